"""What the logging handlers say, as HTML (the bot's default parse mode): one fixed form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from bot.core.content import ContentStore
from bot.core.reports import Report, ReportEntry, format_entry
from bot.core.reports.format import name_of, weight_text
from bot.core.stats import PersonalBest
from bot.db.workout_log import entries_of
from bot.services.logbook import Logged, StatsView
from bot.services.session_views import SessionsPage
from bot.services.session_work import SessionProgress, names_text


def day_label(day: date) -> str:
    """ "Thu 12 Mar" (no locale: the same everywhere)."""
    return f"{day:%a} {day.day} {day:%b}"


def _entries_text(logged_status: str, entries: Sequence[ReportEntry], store: ContentStore) -> str:
    parts = [format_entry(e, store) for e in entries]
    if parts:
        return ", ".join(parts)
    return "skipped" if logged_status == "skipped" else "done"


def removed_text(result: Logged, store: ContentStore) -> str:
    """ "Removed: Goblet squat 3 x 10 @ 16 kg, Wed 2 Dec": what /undo or Undo took away."""
    assert result.local_date is not None
    what = _entries_text(result.status, result.entries, store)
    return f"Removed: {escape(what)}, {day_label(result.local_date)}."


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
    verb = {"updated": "Updated", "closed": "Session done"}.get(result.kind, "Logged")
    lines = [
        f"<b>{verb} for {day_label(result.local_date)}:</b> "
        + escape(_entries_text(result.status, result.entries, store))
    ]
    lines.append(_session_line(result))
    if result.pain:
        lines += ["", PAIN_LINES]
    for best in result.bests:
        lines.append(f"🏆 New personal best: {escape(_best(best, store))}")
    extra = _not_logged_lines(result.report)
    if extra:
        lines.append("")
        lines += extra
    return "\n".join(lines)


PAIN_LINES = (
    "Sorry it hurts: rest it, and skip anything that makes it worse. If it still hurts after a "
    "few days, or it swells, gives way or hurts at night, see a physiotherapist or doctor "
    "before you train it again."
)


def _session_line(result: Logged) -> str:
    """Where the log went: how much of the planned session is done, or the extra session."""
    progress = result.progress
    if result.status == "skipped":
        return "Skipped: your plan holds, see you next session."
    if progress is not None and progress.total:
        done, total = len(progress.logged), progress.total
        if progress.closed and not progress.left:
            return f"Planned session complete: all {_count(total, 'exercise')} logged. Strong work!"
        if progress.closed:
            return (
                f"Planned session done: {done} of {_count(total, 'exercise')} logged "
                f"({escape(names_text(progress.left))} not done)."
            )
        return (
            f"{done} of {_count(total, 'exercise')} logged: "
            f"{escape(names_text(progress.left))} left. Say done when you finish."
        )
    if result.planned:
        return "Counted for your planned session."
    if result.kind == "closed":
        return "Extra session done. Nice work!"
    if result.extra_so_far:
        return "Added to today's extra session. Say done when you finish."
    return "Logged as an extra session. Add more as you go; say done when you finish."


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


def not_logged_text(result: Logged, store: ContentStore) -> str:
    report = result.report
    lines = _not_logged_lines(report)
    if not lines and not report.entries and result.already is not None:
        verb = "skip" if report.status == "skipped" else "mark as done"
        text = f"Today's session is already {result.already}, so there is nothing to {verb}."
        return text + (f"\n\n{PAIN_LINES}" if result.pain else "")
    if not lines and not report.entries and report.status == "skipped":
        text = "Nothing was planned for today, so there is nothing to skip. Rest well!"
        return text + (f"\n\n{PAIN_LINES}" if result.pain else "")
    if not lines and not report.entries and report.status == "done":
        return (
            "Nice work! There is no planned session today to mark as done, so tell me what you "
            "did, like: squats 3x10 @ 40kg, calf raises 15, 15, 12"
        )
    lines = lines or ["I couldn't find sets to log in that."]
    lines.append("")
    lines.append("Write it like: squats 3x10 @ 40kg, calf raises 15, 15, 12")
    return "\n".join(lines)


def history_text(found: SessionsPage, page: int, per_page: int, store: ContentStore) -> str:
    """A page of training sessions, one line each (however many messages it took); a planned
    session closed with part of its plan done says how much ("partial: 2 of 4 exercises")."""
    if not found.total:
        return "No sessions logged yet. Tell me what you did, e.g. squats 3x10 @ 40kg."
    first = page * per_page + 1
    last = first + len(found.sessions) - 1
    lines = [f"<b>Your sessions</b> ({first}–{last} of {found.total}, newest first)", ""]
    for logs, progress in zip(found.sessions, found.progress, strict=True):
        entries = [e for log in logs if log.status == "done" for e in entries_of(log)]
        status = "done" if any(log.status == "done" for log in logs) else "skipped"
        what = escape(_entries_text(status, entries, store))
        kind = "" if progress is not None else " (extra)"
        if status == "done" and progress is not None and progress.closed and progress.left:
            what += f" <i>(partial: {partial_text(progress)})</i>"
        lines.append(f"<b>{day_label(logs[0].local_date)}{kind}:</b> {what}")
    return "\n".join(lines)


def partial_text(progress: SessionProgress) -> str:
    """ "2 of 4 exercises; Calf raise and Glute bridge not done"."""
    done = f"{len(progress.logged)} of {progress.total} exercises"
    return f"{done}; {names_text(progress.left)} not done"


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
