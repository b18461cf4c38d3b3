"""What the logging handlers say, as HTML (the bot's default parse mode): one fixed form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from bot.core.content import ContentStore
from bot.core.reports import Report, ReportEntry, format_entry
from bot.core.reports.format import name_of, weight_text
from bot.core.stats import PersonalBest
from bot.db.workout_log import WorkoutLog, entries_of
from bot.services.logbook import Logged, StatsView


def day_label(day: date) -> str:
    """ "Thu 12 Mar" (no locale: the same everywhere)."""
    return f"{day:%a} {day.day} {day:%b}"


def _entries_text(logged_status: str, entries: Sequence[ReportEntry], store: ContentStore) -> str:
    parts = [format_entry(e, store) for e in entries]
    if parts:
        return ", ".join(parts)
    return "skipped" if logged_status == "skipped" else "done"


def _best(best: PersonalBest, store: ContentStore) -> str:
    name = name_of(store, best.exercise)
    if best.kind == "weight":
        return f"{name} {weight_text(best.value)} (was {weight_text(best.previous)})"
    if best.kind == "seconds":
        return f"{name} {best.value:g} s in a set (was {best.previous:g} s)"
    return f"{name} {best.value:g} reps in a set (was {best.previous:g})"


def confirmation(result: Logged, store: ContentStore) -> str:
    """ "Logged for Thu 12 Mar: Squat 3 x 12 @ 40 kg, Calf raise 15 / 15 / 12" and what else the
    runner should know (which session it counts for, bests, what was not logged)."""
    assert result.local_date is not None
    verb = "Updated" if result.kind == "updated" else "Logged"
    lines = [
        f"<b>{verb} for {day_label(result.local_date)}:</b> "
        + escape(_entries_text(result.status, result.entries, store))
    ]
    lines.append(
        "Counted for your planned session." if result.planned else "Logged as an extra session."
    )
    for best in result.bests:
        lines.append(f"🏆 New personal best: {escape(_best(best, store))}")
    extra = _not_logged_lines(result.report)
    if extra:
        lines.append("")
        lines += extra
    return "\n".join(lines)


def _not_logged_lines(report: Report) -> list[str]:
    lines = []
    for name in report.not_covered:
        # Names in no catalogue are asked about; only one too long to keep ends up here.
        lines.append(f"Not logged: {escape(name)} (a name that long I can't keep).")
    for doubt in report.doubts:
        lines.append(
            f"Not logged: {escape(doubt.exercise.replace('-', ' '))} with {escape(doubt.problem)}?"
            " That looks off: send it again with the right numbers."
        )
    return lines


def not_logged_text(report: Report, store: ContentStore) -> str:
    lines = _not_logged_lines(report)
    if not lines and not report.entries and report.status == "skipped":
        return "Nothing was planned for today, so there is nothing to skip. Rest well!"
    if not lines and not report.entries and report.status == "done":
        return (
            "Nice work! There is no planned session today to mark as done, so tell me what you "
            "did, like: squats 3x10 @ 40kg, calf raises 15, 15, 12"
        )
    lines = lines or ["I couldn't find sets to log in that."]
    lines.append("")
    lines.append("Write it like: squats 3x10 @ 40kg, calf raises 15, 15, 12")
    return "\n".join(lines)


def history_text(
    logs: Sequence[WorkoutLog], total: int, page: int, per_page: int, store: ContentStore
) -> str:
    if not total:
        return "No sessions logged yet. Tell me what you did, e.g. squats 3x10 @ 40kg."
    first = page * per_page + 1
    last = first + len(logs) - 1
    lines = [f"<b>Your sessions</b> ({first}–{last} of {total}, newest first)", ""]
    for log in logs:
        what = _entries_text(log.status, entries_of(log), store)
        kind = "" if log.planned_session_id is not None else " (extra)"
        lines.append(f"<b>{day_label(log.local_date)}{kind}:</b> {escape(what)}")
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    """ "1 planned session", "3 planned sessions"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def stats_text(view: StatsView, store: ContentStore) -> str:
    week = view.week
    lines = [
        "<b>Your training</b>",
        f"Streak: {_count(view.streaks.current, 'planned session')} done in a row "
        f"(best {view.streaks.best}).",
        f"This week: {week.planned_done} of {_count(week.planned, 'planned session')} done"
        + (f", plus {week.extra} extra." if week.extra else "."),
        f"Sessions logged: {view.sessions}.",
    ]
    if view.exercises:
        lines += ["", "<b>Per exercise</b> (volume, best load, best set)"]
    for exercise, st in view.exercises.items():
        parts = [f"{st.sets} sets"]
        if st.reps or not st.seconds:
            parts[0] += f", {st.reps} reps"
        if st.seconds:
            parts.append(f"{st.seconds} s held")
        if st.volume_kg:
            parts.append(f"{st.volume_kg:,.0f} kg moved")
        if st.best_weight_kg is not None and st.best_weight_reps:
            parts.append(f"best {weight_text(st.best_weight_kg)} x {st.best_weight_reps}")
        if st.reps or not st.seconds:
            parts.append(f"most reps {st.best_reps}")
        if st.seconds:
            parts.append(f"longest {st.best_seconds} s")
        lines.append(f"• {escape(name_of(store, exercise))}: " + ", ".join(parts))
    return "\n".join(lines)
