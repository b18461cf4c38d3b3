"""The one fixed written form of a report, for confirmations, history and the CLI.

"Squat 3 x 12 @ 40 kg, Calf raise 15 / 15 / 12, Lunge 3 x 10 each side @ 20 kg, Wall sit 3 x 45 s".
The parser reads it back to the same report (tested as a property).
"""

from __future__ import annotations

from bot.core.content import ContentStore
from bot.core.reports.catalogue import custom_name, slug
from bot.core.reports.model import Report, ReportEntry


def weight_text(kg: float) -> str:
    return f"{kg:g} kg" if abs(kg) < 1e6 else f"{kg:.0f} kg"


def sets_text(reps: tuple[int, ...], unit: str = "") -> str:
    """ "3 x 12", "15 / 15 / 12"; with a unit ("s") after the last number: "3 x 45 s"."""
    if not reps:
        return ""
    same = len(set(reps)) == 1
    text = f"{len(reps)} x {reps[0]}" if same else " / ".join(str(r) for r in reps)
    return f"{text} {unit}" if unit else text


def name_of(store: ContentStore, exercise: str) -> str:
    """A catalogue id's name: the entry's, the uncovered lift's, or the runner's own words."""
    entry = store.entries.get(exercise)
    if entry is not None:
        return entry.name
    own = custom_name(exercise)
    if own is not None:
        return own
    for lift in store.uncovered:
        if slug(lift.name) == exercise:
            return lift.name[:1].upper() + lift.name[1:]
    return exercise.replace("-", " ").capitalize()


def format_entry(entry: ReportEntry, store: ContentStore) -> str:
    counts = sets_text(entry.reps) if entry.seconds is None else sets_text(entry.seconds, "s")
    parts = [name_of(store, entry.exercise), counts]
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
