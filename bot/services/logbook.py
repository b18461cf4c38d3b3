"""The training log service: what the logging handlers do, without Telegram.

One workout is one session, however many messages it takes. A report is logged against, in
order: the planned session whose reminder it replies to; today's planned session (in the
runner's time zone) while it is open; else today's extra session. Messages add to the session
until it is complete (every prescribed exercise logged) or the runner says "done"; then it is
closed through the plan (``Training.finish``), so it feeds the progression: "done" when all its
logs cover the prescription, "partial" when they fell short, "skipped" for a skip. "done" alone
with nothing logged yet logs the prescription; "done" after a skip turns the skip into done.
What it returns (``Logged``, ``StatsView``) is defined in logbook_results.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.answering.red_flags import RedFlags
from bot.core.clock import Clock
from bot.core.content import ContentStore
from bot.core.plans import Outcome
from bot.core.reports import Report, ReportParser
from bot.core.stats import (
    LoggedSet,
    Pause,
    new_bests,
    per_exercise,
    sessions_done,
    streaks,
    this_week,
)
from bot.db import log_day, planned_sessions, schedules, workout_log
from bot.db.pauses import windows as pause_windows
from bot.db.planned_sessions import PlannedSession
from bot.db.schedules import ReminderSchedule
from bot.db.workout_log import WorkoutLog
from bot.services.logbook_results import Kind, Logged, StatsView
from bot.services.own_names import ask_once, drop_stale_ask, resolve
from bot.services.session_views import done_entries
from bot.services.session_work import outcome_of, prescription_entries, progress_of
from bot.services.training import Training, local_today

__all__ = ["Logbook", "Logged", "StatsView", "outcome_of", "prescription_entries"]


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
        self.red_flags = RedFlags(store)

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
        row = await schedules.get(session, user_id) if day.has_schedule else None
        planned = await self._session_for(session, user_id, chat_id, reply_to, day, today, row)
        key = (chat_id, message_id)
        if planned is None and report.status == "done" and not report.entries:
            planned = await self._unskip(session, user_id, today)  # "oops, actually I did it"
        if planned is None:
            return await self._log_extra(session, report, user_id, key, today, now, note, day)
        await self._supersede_button_log(session, planned, user_id, key)
        earlier = await workout_log.session_logs(session, planned.id)
        earlier_done = done_entries(earlier)
        entries, previous = report.entries, day.bests
        if not entries and report.status == "done" and not earlier_done:  # "done": as planned
            entries = prescription_entries(planned, self.store)
            report = Report("done", entries, report.not_covered, report.doubts)
            previous = await workout_log.bests(session, user_id, (e.exercise for e in entries))
        status = report.status or "done"
        recorded = await workout_log.record(
            session, user_id=user_id, chat_id=chat_id, message_id=message_id,
            local_date=planned.local_date, report=report, now=now,
            planned_session_id=planned.id, note=note,
        )  # fmt: skip
        if not recorded.created:  # a second delivery of this message: nothing more to do
            return Logged(
                "duplicate", report, recorded.log_id, recorded.local_date, True, recorded.status,
                recorded.entries,
            )  # fmt: skip
        done = earlier_done + (entries if status == "done" else ())
        progress = progress_of(planned, done, self.store, closed=False)
        if status == "skipped" or report.status == "done" or not progress.left:
            self._close(row, planned, outcome_of(status, done, planned, self.store), now)
            progress = progress_of(planned, done, self.store, closed=True)
        bests = tuple(new_bests(previous, entries)) if status == "done" else ()
        closing = report.status == "done" and not report.entries and bool(earlier_done)
        return Logged(
            "closed" if closing else "logged", report, recorded.log_id, recorded.local_date,
            True, status, done if closing else entries, bests, progress,
            pain=status == "skipped" and self.red_flags.reported(note),
        )  # fmt: skip

    async def _session_for(
        self, session: AsyncSession, user_id: int, chat_id: int, reply_to: int | None,
        day: log_day.DayContext, today: date, row: ReminderSchedule | None,
    ) -> PlannedSession | None:  # fmt: skip
        """The planned session a report counts for: the one whose reminder it replies to, else
        today's while it is open (planned from the runner's plan if no reminder made it yet)."""
        if reply_to is not None:
            replied = await planned_sessions.find_by_reminder(session, chat_id, reply_to)
            if replied is not None and replied.user_id == user_id:
                return replied
        nearby = _open_session_on(day, today)
        if nearby is not None:
            return await planned_sessions.get(session, nearby.id)
        if row is None or any(n.local_date == today for n in day.planned):
            return None
        planned = await self.training.planned_for(session, row, today)
        return planned if planned is not None and planned.status in planned_sessions.OPEN else None

    async def _unskip(
        self, session: AsyncSession, user_id: int, today: date
    ) -> PlannedSession | None:
        """Today's session was skipped (a mis-tapped Skip) and the runner says they did it: the
        skip goes and the session is open again, to be logged as done."""
        planned = await planned_sessions.for_day(session, user_id, today)
        if planned is None or planned.status != "skipped":
            return None
        for log in await workout_log.session_logs(session, planned.id):
            if log.status == "skipped":
                await workout_log.delete_log(session, log)
        planned.status = "sent" if planned.sent_at is not None else "planned"
        planned.completed_at = None
        return planned

    async def _log_extra(
        self, session: AsyncSession, report: Report, user_id: int, key: tuple[int, int],
        today: date, now: datetime, note: str, day: log_day.DayContext,
    ) -> Logged:  # fmt: skip
        """No planned session: the report adds to today's extra session; "done" closes it."""
        open_logs = workout_log.open_extra(await workout_log.extra_logs_on(session, user_id, today))
        if not report.entries and (report.status != "done" or not open_logs):
            # "done" or "skipped" with nothing to close: nothing to record; the runner is told
            # why (today's session is closed already) or asked what they did.
            planned = await planned_sessions.for_day(session, user_id, today)
            pain = report.status == "skipped" and self.red_flags.reported(note)
            return Logged("nothing", report, pain=pain, already=planned.status if planned else None)
        recorded = await workout_log.record(
            session, user_id=user_id, chat_id=key[0], message_id=key[1], local_date=today,
            report=report, now=now, note=note,
        )  # fmt: skip
        if not recorded.created:
            return Logged(
                "duplicate", report, recorded.log_id, recorded.local_date, False,
                recorded.status, recorded.entries,
            )  # fmt: skip
        if not report.entries:  # "done": the extra session is closed, with all its work
            work = tuple(e for log in open_logs for e in workout_log.entries_of(log))
            return Logged("closed", report, recorded.log_id, today, False, "done", work)
        status = report.status or "done"
        bests = tuple(new_bests(day.bests, report.entries)) if status == "done" else ()
        return Logged(
            "logged", report, recorded.log_id, today, False, status, report.entries, bests,
            extra_so_far=len(open_logs),
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
                      status, report.entries, bests, asking=asking, ask_id=ask_id)  # fmt: skip

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
        self, session: AsyncSession, *, row: ReminderSchedule, planned: PlannedSession,
        status: Literal["done", "skipped"], pressed_on: tuple[int, int],
    ) -> Logged | None:  # fmt: skip
        """The Done / Skip button under a reminder (or /today) closes the session through the
        plan and logs it: the prescription when nothing of it was logged yet, else a bare
        "done" (what was logged stays, not counted twice), or the skip. Keyed by the reminder
        message when there is one, else by the message pressed on. None: already closed."""
        if planned.status not in planned_sessions.OPEN:
            return None
        chat_id, message_id = pressed_on
        if planned.reminder_chat_id is not None and planned.reminder_message_id is not None:
            chat_id, message_id = planned.reminder_chat_id, planned.reminder_message_id
        earlier = await workout_log.session_logs(session, planned.id)
        done = done_entries(earlier)
        entries = prescription_entries(planned, self.store) if status == "done" and not done else ()
        report = Report(status, entries)
        now = self.clock.now()
        recorded = await workout_log.record(
            session, user_id=planned.user_id, chat_id=chat_id,
            message_id=message_id, local_date=planned.local_date, report=report,
            now=now, planned_session_id=planned.id, note=f"{status} (button)",
        )  # fmt: skip
        self._close(row, planned, outcome_of(status, done or entries, planned, self.store), now)
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
        today, row = await self.today(session, user_id)
        planned = await workout_log.planned_days(session, user_id)
        logs = await workout_log.sets_of_user(session, user_id)
        pauses = [
            Pause(first, last) for first, last in await pause_windows(session, user_id, today)
        ]
        week = this_week(planned, logs, today)
        if row is not None and row.local_time and not row.stopped:
            # The week's plan, not only the sessions a reminder or a log has made so far.
            days = len(self.training.week(row).strength_days)
            week = replace(week, planned=max(week.planned, days))
        return StatsView(
            today=today,
            streaks=streaks(planned, pauses, today),
            week=week,
            exercises=per_exercise(logs),
            sessions=sessions_done(logs),
        )

    async def all_sets(self, session: AsyncSession, user_id: int) -> list[LoggedSet]:
        return await workout_log.sets_of_user(session, user_id)
