"""Reminders on, paused, resumed, stopped: one method per use case, in the caller's session.

The schedule row knows the state in force now (``bot/db/schedules.py``); the pause history
(``bot/db/pauses.py``) keeps every pause, so a session missed in a pause never breaks a streak.
Handlers (commands, free text, the one-tap pause after a pain skip) render what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.schedule import Problem, local_day_end, parse_pause
from bot.db import pauses, planned_sessions, schedules
from bot.db.schedules import ReminderSchedule
from bot.services import training
from bot.services.training import local_today

Change = Literal["not_set", "stopped", "already_off", "paused", "resumed", "already_on", "on"]


@dataclass(frozen=True, slots=True)
class Switched:
    """What a switch did: ``not_set`` (no reminder time yet: nothing changed), ``stopped``
    (reminders are off now), ``already_off`` (they were off already: nothing changed),
    ``paused`` (until ``until``, None: open), ``resumed`` (a pause ended), ``already_on``,
    ``on`` (turned back on after /stop)."""

    change: Change
    row: ReminderSchedule | None
    now: datetime
    until: date | None = None


class Reminders:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    async def _row(self, db: AsyncSession, user_id: int) -> ReminderSchedule | None:
        row = await schedules.get(db, user_id)
        return row if row is not None and row.local_time else None

    async def pause(self, db: AsyncSession, user_id: int, words: str) -> Switched | Problem:
        """Pause for ``words`` ("10 days", "until 2027-01-15", "" for open-ended)."""
        now = self.clock.now()
        row = await self._row(db, user_id)
        if row is None:
            return Switched("not_set", None, now)
        if row.stopped:
            return Switched("already_off", row, now)
        today = local_today(row, now)
        spec = parse_pause(words, today)
        if isinstance(spec, Problem):
            return spec
        training.pause(row, spec, now)
        last = None if spec.until is None else spec.until - timedelta(days=1)
        await pauses.begin(db, user_id, today, last, now)
        return Switched("paused", row, now, spec.until)

    async def resume(self, db: AsyncSession, user_id: int) -> Switched:
        """End a pause (and a stop): reminders are on again."""
        now = self.clock.now()
        row = await self._row(db, user_id)
        if row is None:
            return Switched("not_set", None, now)
        was_stopped = row.stopped
        row.stopped = False
        if training.resume(row, now):  # the pause ends yesterday: today counts again
            await pauses.end(db, user_id, local_today(row, now) - timedelta(days=1))
            return Switched("resumed", row, now)
        return Switched("on" if was_stopped else "already_on", row, now)

    async def stop(self, db: AsyncSession, user_id: int) -> Switched:
        """No more reminders; the set-up and progress are kept."""
        now = self.clock.now()
        row = await self._row(db, user_id)
        if row is None or row.stopped:
            return Switched("not_set" if row is None else "already_off", row, now)
        training.stop(row, now)
        return Switched("stopped", row, now)

    async def next_after_closed_day(
        self, db: AsyncSession, row: ReminderSchedule
    ) -> tuple[str, datetime | None] | None:
        """The next reminder falls on a day whose session is closed already (done or skipped):
        none is sent that day. Then (that session's status, the reminder after that day)."""
        if row.next_fire_at is None:
            return None
        zone = training.zone_of(row)
        day = row.next_fire_at.astimezone(zone).date()
        planned = await planned_sessions.for_day(db, row.user_id, day)
        if planned is None or planned.status in planned_sessions.OPEN:
            return None
        return planned.status, schedules.next_fire_of(row, local_day_end(zone, day))

    async def turn_on(self, db: AsyncSession, user_id: int) -> Switched:
        """/remind alone: after /stop, the same reminders come back; otherwise nothing changes."""
        now = self.clock.now()
        row = await self._row(db, user_id)
        if row is None:
            return Switched("not_set", None, now)
        if not row.stopped:
            return Switched("already_on", row, now)
        row.stopped = False
        schedules.reschedule(row, now)
        return Switched("on", row, now)
