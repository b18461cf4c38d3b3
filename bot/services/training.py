"""The training set-up and plan, on the database: what handlers and the dispatcher call.

No Telegram here. Every change to a set-up recomputes the next fire instant (``reschedule``);
"now" always comes in from the injected clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.coaching import load_rules
from bot.core.coaching.rules import CoachingRules
from bot.core.content import ContentStore
from bot.core.plans import (
    Catalog,
    History,
    Level,
    Outcome,
    Runner,
    SeasonPlanner,
    Session,
    WeekLayout,
    apply_outcome,
    build_catalog,
    layout,
    next_session_day,
    progress_from_json,
    progress_to_json,
    session_for,
    suggest_days,
)
from bot.core.schedule import PauseSpec, local_day_end, local_midnight
from bot.db import planned_sessions, schedules, seasons
from bot.db.planned_sessions import PlannedSession
from bot.db.schedules import ReminderSchedule, days_from_mask, days_to_mask, reschedule
from bot.services.season_inputs import LogReading, load_history, load_runner

DEFAULT_SESSIONS = 2


@dataclass(frozen=True, slots=True)
class Training:
    """The plan built from the content store, applied to a runner's schedule row. The season
    plan (``planner``) makes the sessions; the week layout is kept for the set-up's summary."""

    catalog: Catalog
    planner: SeasonPlanner
    reading: LogReading = field(
        default_factory=LogReading
    )  # how the planner's inputs read the log (pain, families)

    @classmethod
    def from_store(cls, store: ContentStore, rules: CoachingRules | None = None) -> Training:
        planner = SeasonPlanner(store, rules or load_rules())
        return cls(build_catalog(store), planner, LogReading.of(store))

    def week(self, row: ReminderSchedule) -> WeekLayout:
        days = days_from_mask(row.days) or frozenset(
            suggest_days(row.sessions_per_week or DEFAULT_SESSIONS, row.long_run_day)
        )
        return layout(days, row.sessions_per_week or DEFAULT_SESSIONS, row.long_run_day)

    def level(self, row: ReminderSchedule) -> Level:
        return "experienced" if row.level == "experienced" else "beginner"

    def session_on(self, row: ReminderSchedule, day: date) -> Session | None:
        progress = progress_from_json(row.progress)
        return session_for(day, self.week(row), self.catalog, progress, self.level(row))

    def next_session(self, row: ReminderSchedule, today: date) -> Session:
        day = next_session_day(today, self.week(row))
        found = self.session_on(row, day)
        assert found is not None
        return found

    async def season_session(
        self, db: AsyncSession, row: ReminderSchedule, day: date,
        inputs: tuple[Runner, History] | None = None,
    ) -> Session | None:  # fmt: skip
        """The season plan's session on ``day`` (None on a day without one), from what the
        runner told us and their log (``inputs``: already loaded, for a batch)."""
        if inputs is None:
            runner, _ = await load_runner(db, row.user_id, row)
            inputs = (runner, await load_history(db, row.user_id, day, self.reading))
        runner, history = inputs
        found = self.planner.session_on(runner, day, history)
        return None if found is None else self.planner.as_week_session(found)

    async def next_season_session(
        self, db: AsyncSession, row: ReminderSchedule, today: date, include_today: bool = True,
        inputs: tuple[Runner, History] | None = None,
    ) -> Session | None:  # fmt: skip
        """The next session of the season plan from ``today`` (this week or the next two)."""
        if inputs is None:
            runner, _ = await load_runner(db, row.user_id, row)
            inputs = (runner, await load_history(db, row.user_id, today, self.reading))
        runner, history = inputs
        for offset in range(3):
            week = self.planner.week_of(runner, today + timedelta(weeks=offset), history)
            for session in week.sessions:
                if session.day > today or (include_today and session.day == today):
                    return self.planner.as_week_session(session)
        return None

    async def planned_for(
        self, db: AsyncSession, row: ReminderSchedule, day: date,
        inputs: tuple[Runner, History] | None = None,
    ) -> PlannedSession | None:  # fmt: skip
        """The day's planned session (created from the plan on first use); None on a rest day.
        Once planned, a day's prescription stays as it was shown to the runner."""
        existing = await planned_sessions.for_day(db, row.user_id, day)
        if existing is not None:
            return existing
        session = await self.season_session(db, row, day, inputs)
        if session is None:
            return None
        ends = local_day_end(zone_of(row), day)
        return await planned_sessions.get_or_create(db, row.user_id, day, session.as_json(), ends)

    def finish(
        self, row: ReminderSchedule, planned: PlannedSession, outcome: Outcome, now: datetime
    ) -> bool:
        """Done / skipped. False when the session was already closed (a double tap)."""
        if planned.status not in planned_sessions.OPEN:
            return False
        status = {"done": "done", "partial": "done", "skipped": "skipped", "missed": "missed"}
        planned.status = status[outcome]
        planned.completed_at = now
        tracks = Session.from_json(planned.prescription).tracks
        progress = apply_outcome(
            progress_from_json(row.progress), self.catalog, tracks, outcome, self.level(row)
        )
        row.progress = progress_to_json(progress)
        if row.snooze_session_id == planned.id:
            reschedule(row, now)
        return True


def zone_of(row: ReminderSchedule) -> ZoneInfo:
    return ZoneInfo(row.zone or "UTC")


def local_today(row: ReminderSchedule, now: datetime) -> date:
    return now.astimezone(zone_of(row)).date()


async def set_zone(
    db: AsyncSession, user_id: int, chat_id: int, zone: str, now: datetime
) -> ReminderSchedule:
    row = await schedules.get_or_create(db, user_id, chat_id, now)
    row.zone = zone
    row.chat_id = chat_id
    reschedule(row, now)
    # The weekly check-in follows the runner's zone (on by default once we know it).
    season = await seasons.get_or_create(db, user_id, chat_id, now)
    seasons.reschedule_checkin(season, zone, now)
    return row


async def set_reminder(
    db: AsyncSession,
    user_id: int,
    chat_id: int,
    at: time,
    days: frozenset[int] | None,
    now: datetime,
) -> ReminderSchedule:
    """Time (and days; None keeps them, or suggests some the first time). Turns reminders on."""
    row = await schedules.get_or_create(db, user_id, chat_id, now)
    row.local_time = f"{at.hour:02d}:{at.minute:02d}"
    if days is not None:
        row.days = days_to_mask(days)
        if len(days) <= 3:  # the days named are the strength days
            row.sessions_per_week = len(days)
    elif not row.days:
        row.days = days_to_mask(suggest_days(row.sessions_per_week, row.long_run_day))
    row.chat_id = chat_id
    row.stopped = False
    row.blocked = False
    reschedule(row, now)
    return row


async def set_days(
    db: AsyncSession, user_id: int, chat_id: int, days: frozenset[int], now: datetime
) -> ReminderSchedule:
    row = await schedules.get_or_create(db, user_id, chat_id, now)
    row.days = days_to_mask(days)
    row.sessions_per_week = max(1, min(3, len(days))) if len(days) <= 3 else row.sessions_per_week
    reschedule(row, now)
    return row


async def set_long_run(
    db: AsyncSession, user_id: int, chat_id: int, day: int | None, now: datetime
) -> ReminderSchedule:
    row = await schedules.get_or_create(db, user_id, chat_id, now)
    row.long_run_day = day
    reschedule(row, now)
    return row


def pause(row: ReminderSchedule, spec: PauseSpec, now: datetime) -> None:
    if spec.until is None:
        row.paused_open, row.paused_until = True, None
    else:
        row.paused_open = False
        row.paused_until = local_midnight(zone_of(row), spec.until)
    reschedule(row, now)


def resume(row: ReminderSchedule, now: datetime) -> bool:
    """True when reminders were paused."""
    was_paused = row.paused_open or (row.paused_until is not None and row.paused_until > now)
    row.paused_open, row.paused_until = False, None
    reschedule(row, now)
    return was_paused


def stop(row: ReminderSchedule, now: datetime) -> None:
    row.stopped = True
    reschedule(row, now)


def snooze(row: ReminderSchedule, planned: PlannedSession, delay: timedelta, now: datetime) -> None:
    """Send this session's reminder again after ``delay`` (the regular schedule follows)."""
    row.snooze_session_id = planned.id
    row.next_fire_at = now + delay
    row.lease_owner = None
    row.lease_until = None
    row.attempts = 0
    row.updated_at = now


def is_active(row: ReminderSchedule | None) -> bool:
    return row is not None and row.next_fire_at is not None
