"""The training log service: what the logging handlers do, without Telegram.

A report is logged against, in order: the planned session whose reminder it replies to; today's
planned session (in the runner's time zone) while it is still open; else an extra session.
"done" alone against a planned session logs its prescription. A logged planned session is
closed through the plan (``Training.finish``), so it feeds the progression: "done" when what was
done covers the prescription, "partial" when it fell short, "skipped" for a skip.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.content import ContentStore
from bot.core.plans import Outcome, Session
from bot.core.reports import Report, ReportEntry, ReportParser
from bot.core.stats import (
    ExerciseStats,
    LoggedSet,
    Pause,
    PersonalBest,
    Streaks,
    Week,
    new_bests,
    per_exercise,
    streaks,
    this_week,
)
from bot.db import log_day, planned_sessions, schedules, workout_log
from bot.db.pauses import windows as pause_windows
from bot.db.planned_sessions import PlannedSession
from bot.db.schedules import ReminderSchedule
from bot.db.workout_log import WorkoutLog
from bot.services.own_names import ask_once, drop_stale_ask, resolve
from bot.services.training import Training, local_today

Kind = Literal["logged", "duplicate", "updated", "removed", "nothing"]


@dataclass(frozen=True, slots=True)
class Logged:
    """What happened to a message: ``nothing`` means it was not logged (see ``report`` for what
    was not covered or doubtful)."""

    kind: Kind
    report: Report
    log_id: int | None = None
    local_date: date | None = None
    planned: bool = False
    status: str = "done"
    entries: tuple[ReportEntry, ...] = ()
    bests: tuple[PersonalBest, ...] = ()
    # Names in no catalogue left out of the log, and the ask that keeps the report until the
    # runner says whether they are their own exercises (None: asked already).
    asking: tuple[str, ...] = ()
    ask_id: int | None = None


@dataclass(frozen=True, slots=True)
class StatsView:
    today: date
    streaks: Streaks
    week: Week
    exercises: dict[str, ExerciseStats] = field(default_factory=dict)
    sessions: int = 0


def prescription_entries(planned: PlannedSession, store: ContentStore) -> tuple[ReportEntry, ...]:
    """A planned session's prescription as report entries (what "done" means)."""
    session = Session.from_json(planned.prescription)
    return tuple(
        ReportEntry(p.move, (p.reps,) * p.sets, p.kg, p.per_side)
        for p in session.exercises
        if p.move in store.entries and p.sets > 0 and p.reps > 0
    )


def outcome_of(
    report_status: str, entries: tuple[ReportEntry, ...], planned: PlannedSession
) -> Outcome:
    if report_status == "skipped":
        return "skipped"
    done = {e.exercise: e for e in entries}
    for p in Session.from_json(planned.prescription).exercises:
        entry = done.get(p.move)
        # A timed entry (no reps) counts by its sets: the plan prescribes reps only.
        if entry is None or entry.sets < p.sets or min(entry.reps, default=p.reps) < p.reps:
            return "partial"
    return "done"


def _local_date(day: log_day.DayContext, now: datetime) -> date:
    """The runner's date at ``now``: in their reminders' time zone, UTC before they set one."""
    return now.astimezone(ZoneInfo(day.zone or "UTC")).date()


def _open_session_on(day: log_day.DayContext, today: date) -> log_day.NearbySession | None:
    """The runner's planned session of ``today`` still open, if any (the last one listed)."""
    found = None
    for nearby in day.planned:
        if nearby.local_date == today and nearby.status in planned_sessions.OPEN:
            found = nearby
    return found


class Logbook:
    def __init__(
        self, store: ContentStore, parser: ReportParser, training: Training, clock: Clock
    ) -> None:
        self.store = store
        self.parser = parser
        self.training = training
        self.clock = clock

    async def today(
        self, session: AsyncSession, user_id: int
    ) -> tuple[date, ReminderSchedule | None]:
        """The runner's local date (their reminder time zone; UTC before they set one)."""
        row = await schedules.get(session, user_id)
        now = self.clock.now()
        return (local_today(row, now) if row is not None else now.date()), row

    # ---- logging ---------------------------------------------------------------------------

    async def log_text(
        self, session: AsyncSession, *, user_id: int, chat_id: int, message_id: int, text: str,
        reply_to: int | None = None,
    ) -> Logged:  # fmt: skip
        report = self.parser.parse(text)
        return await self.log_report(
            session, report, user_id=user_id, chat_id=chat_id, message_id=message_id,
            reply_to=reply_to, note=text,
        )  # fmt: skip

    async def log_report(
        self, session: AsyncSession, report: Report, *, user_id: int, chat_id: int,
        message_id: int, reply_to: int | None = None, note: str = "",
    ) -> Logged:  # fmt: skip
        if not report.entries and report.status is None:
            return Logged("nothing", report)
        now = self.clock.now()
        report, asking = await resolve(session, user_id, report)
        if asking:
            ask_id = await ask_once(
                session, user_id=user_id, chat_id=chat_id, message_id=message_id,
                reply_to=reply_to, text=note, names=asking, now=now,
            )  # fmt: skip
            if not report.entries:  # nothing else to log (not even a bare "done") until asked
                return Logged("nothing", report, asking=asking, ask_id=ask_id)
            logged = await self.log_report(
                session, report, user_id=user_id, chat_id=chat_id, message_id=message_id,
                reply_to=reply_to, note=note,
            )  # fmt: skip
            return replace(logged, asking=asking, ask_id=ask_id)
        day = await log_day.day_context(
            session, user_id, now.date(), (e.exercise for e in report.entries)
        )
        today = _local_date(day, now)
        planned: PlannedSession | None = None
        if reply_to is not None:
            replied = await planned_sessions.find_by_reminder(session, chat_id, reply_to)
            if replied is not None and replied.user_id == user_id:
                planned = replied
        if planned is None:
            nearby = _open_session_on(day, today)
            if nearby is not None:
                planned = await planned_sessions.get(session, nearby.id)
        if planned is None and not report.entries:
            # "done" or "skipped" with nothing planned today: nothing to record; the runner is
            # asked what they did instead of getting an empty extra session.
            return Logged("nothing", report)
        row = await schedules.get(session, user_id) if planned is not None else None
        if planned is not None:
            await self._supersede_button_log(session, planned, user_id, (chat_id, message_id))
        entries = report.entries
        if planned is not None and not entries and report.status == "done":
            entries = prescription_entries(planned, self.store)
            report = Report("done", entries, report.not_covered, report.doubts)
        status = report.status or "done"
        previous = day.bests
        if entries is not report.entries:  # the prescription: other exercises
            previous = await workout_log.bests(session, user_id, (e.exercise for e in entries))
        recorded = await workout_log.record(
            session, user_id=user_id, chat_id=chat_id, message_id=message_id,
            local_date=planned.local_date if planned is not None else today, report=report,
            now=now, planned_session_id=planned.id if planned is not None else None, note=note,
        )  # fmt: skip
        if not recorded.created:  # a second delivery of this message: nothing more to do
            return Logged(
                "duplicate", report, recorded.log_id, recorded.local_date,
                recorded.planned_session_id is not None, recorded.status, recorded.entries,
            )  # fmt: skip
        if planned is not None:
            self._close(row, planned, outcome_of(status, entries, planned), now)
        bests = tuple(new_bests(previous, entries)) if status == "done" else ()
        return Logged(
            "logged", report, recorded.log_id, recorded.local_date, planned is not None, status,
            entries, bests,
        )  # fmt: skip

    async def _supersede_button_log(
        self, session: AsyncSession, planned: PlannedSession, user_id: int, key: tuple[int, int]
    ) -> None:
        """What the runner writes about a session replaces the "as prescribed" log of its Done
        button (keyed by the reminder message), so the session is logged once."""
        chat, message = planned.reminder_chat_id, planned.reminder_message_id
        if chat is None or message is None or (chat, message) == key:
            return
        button_log = await workout_log.find_by_message(session, chat, message)
        if button_log is not None and button_log.user_id == user_id:
            await workout_log.delete_log(session, button_log)

    def _close(
        self, row: ReminderSchedule | None, planned: PlannedSession, outcome: Outcome, now: datetime
    ) -> None:
        if planned.status not in planned_sessions.OPEN:
            return
        if row is not None:
            self.training.finish(row, planned, outcome, now)
        else:  # no schedule row (should not happen for a planned session): close it plainly
            planned.status = "skipped" if outcome == "skipped" else "done"
            planned.completed_at = now

    def _view(self, kind: Kind, report: Report, log: WorkoutLog) -> Logged:
        return Logged(
            kind, report, log.id, log.local_date, log.planned_session_id is not None, log.status,
            workout_log.entries_of(log),
        )  # fmt: skip

    async def edit_text(
        self, session: AsyncSession, *, user_id: int, chat_id: int, message_id: int, text: str,
        reply_to: int | None = None,
    ) -> Logged:  # fmt: skip
        """The runner edited a message: its log follows (created, changed, or removed)."""
        report = self.parser.parse(text)
        await drop_stale_ask(session, report, (chat_id, message_id))
        log = await workout_log.find_by_message(session, chat_id, message_id)
        if log is None:
            return await self.log_report(
                session, report, user_id=user_id, chat_id=chat_id, message_id=message_id,
                reply_to=reply_to, note=text,
            )  # fmt: skip
        if log.user_id != user_id:
            return Logged("nothing", report)
        report, asking = await resolve(session, user_id, report)
        ask_id = None
        if asking:
            ask_id = await ask_once(
                session, user_id=user_id, chat_id=chat_id, message_id=message_id,
                reply_to=reply_to, text=text, names=asking, now=self.clock.now(),
            )  # fmt: skip
        if not report.entries and report.status is None:
            removed = await self._remove(session, log)
            return Logged("removed", report, removed.log_id, removed.local_date, removed.planned,
                          removed.status, removed.entries)  # fmt: skip
        await workout_log.replace(session, log, report, self.clock.now())
        previous = await workout_log.bests(
            session, user_id, (e.exercise for e in report.entries), exclude_log=log.id
        )
        log.note = text[: workout_log.NOTE_LIMIT]
        status = report.status or "done"
        bests = tuple(new_bests(previous, report.entries)) if status == "done" else ()
        return Logged("updated", report, log.id, log.local_date, log.planned_session_id is not None,
                      status, report.entries, bests, asking, ask_id)  # fmt: skip

    async def undo(
        self, session: AsyncSession, user_id: int, log_id: int | None = None
    ) -> Logged | None:
        """Remove the runner's last log (or ``log_id`` if it is theirs); None when there is none."""
        if log_id is None:
            log = await workout_log.last_log(session, user_id)
        else:
            log = await session.get(WorkoutLog, log_id)
        if log is None or log.user_id != user_id:
            return None
        return await self._remove(session, log)

    async def undo_message(
        self, session: AsyncSession, user_id: int, chat_id: int, message_id: int
    ) -> Logged | None:
        """Remove the log of message (``chat_id``, ``message_id``) if it is the runner's."""
        log = await workout_log.find_by_message(session, chat_id, message_id)
        if log is None or log.user_id != user_id:
            return None
        return await self._remove(session, log)

    async def log_button(
        self,
        session: AsyncSession,
        *,
        planned: PlannedSession,
        status: Literal["done", "skipped"],
        pressed_on: tuple[int, int],
    ) -> Logged:
        """The Done / Skip button under a reminder (or under /today): log the prescription (or
        the skip) for that session, keyed by the reminder message when there is one, else by the
        message the button was on (chat id, message id), so a second tap logs nothing more. It
        does not close the session: the reminder handler does that through the plan."""
        chat_id, message_id = pressed_on
        if planned.reminder_chat_id is not None and planned.reminder_message_id is not None:
            chat_id, message_id = planned.reminder_chat_id, planned.reminder_message_id
        entries = prescription_entries(planned, self.store) if status == "done" else ()
        report = Report(status, entries)
        recorded = await workout_log.record(
            session, user_id=planned.user_id, chat_id=chat_id,
            message_id=message_id, local_date=planned.local_date, report=report,
            now=self.clock.now(), planned_session_id=planned.id, note=f"{status} (button)",
        )  # fmt: skip
        return Logged(
            "logged" if recorded.created else "duplicate", report, recorded.log_id,
            recorded.local_date, True, recorded.status, recorded.entries,
        )  # fmt: skip

    async def _remove(self, session: AsyncSession, log: WorkoutLog) -> Logged:
        view = self._view("removed", Report(), log)
        if log.planned_session_id is not None:
            planned = await planned_sessions.get(session, log.planned_session_id)
            if planned is not None and planned.status in ("done", "skipped"):
                # The session is open again (the plan's progression already applied stays).
                planned.status = "sent" if planned.sent_at is not None else "planned"
                planned.completed_at = None
        await workout_log.delete_log(session, log)
        return view

    # ---- reading -----------------------------------------------------------------------------

    async def stats(self, session: AsyncSession, user_id: int) -> StatsView:
        today, _ = await self.today(session, user_id)
        planned = await workout_log.planned_days(session, user_id)
        logs = await workout_log.sets_of_user(session, user_id)
        pauses = [
            Pause(first, last) for first, last in await pause_windows(session, user_id, today)
        ]
        return StatsView(
            today=today,
            streaks=streaks(planned, pauses, today),
            week=this_week(planned, logs, today),
            exercises=per_exercise(logs),
            sessions=len({s.log_id for s in logs if s.status == "done"}),
        )

    async def all_sets(self, session: AsyncSession, user_id: int) -> list[LoggedSet]:
        return await workout_log.sets_of_user(session, user_id)
