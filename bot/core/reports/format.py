"""The one fixed written form of a report, for confirmations, history and the CLI.

"Squat 3 x 12 @ 40 kg, Calf raise 15 / 15 / 12, Lunge 3 x 10 each side @ 20 kg". The parser reads
it back to the same report (tested as a property).
"""

from __future__ import annotations

from bot.core.content import ContentStore
from bot.core.reports.model import Report, ReportEntry


def weight_text(kg: float) -> str:
    return f"{kg:g} kg" if abs(kg) < 1e6 else f"{kg:.0f} kg"


def sets_text(reps: tuple[int, ...]) -> str:
    if len(set(reps)) == 1:
        return f"{len(reps)} x {reps[0]}"
    return " / ".join(str(r) for r in reps)


def name_of(store: ContentStore, exercise: str) -> str:
    entry = store.entries.get(exercise)
    return entry.name if entry is not None else exercise.replace("-", " ").capitalize()


def format_entry(entry: ReportEntry, store: ContentStore) -> str:
    parts = [name_of(store, entry.exercise), sets_text(entry.reps)]
    if entry.per_side:
        parts.append("each side")
    if entry.weight_kg is not None:
        parts.append("@ " + weight_text(entry.weight_kg))
    return " ".join(parts)


def format_report(report: Report, store: ContentStore) -> str:
    """Entries joined with commas; a status alone is "Done" or "Skipped"."""
    body = ", ".join(format_entry(e, store) for e in report.entries)
    if report.status == "skipped" and not body:
        return "Skipped"
    if report.status == "done":
        return f"Done: {body}" if body else "Done"
    return body
