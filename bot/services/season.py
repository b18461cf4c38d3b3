"""The runner's season on the database: what they tell us (/race, /hardruns, /level, /weekly),
the plan they see (/plan, /plan next) and the weekly check-in's content.

No Telegram here; "now" comes in from the injected clock. Every setter returns what the
runner's days cannot satisfy (``problems``), to be said when the days are set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.plans import PlannedWeek, Race, Runner, RunnerLevel, Session, what_changes
from bot.core.plans.season_text import WeeklySpec
from bot.core.stats import LoggedSet, Pause, PlannedDay
from bot.core.stats.weekly import WeekReview, review_week
from bot.db import pauses, schedules, seasons, workout_log
from bot.db.schedules import ReminderSchedule, days_to_mask
from bot.db.season_models import RunnerSeason
from bot.services.season_inputs import history_from, runner_of
from bot.services.training import Training, local_today


@dataclass(frozen=True, slots=True)
class WeekView:
    """One week of the season plan, ready to show."""

    week: PlannedWeek
    sessions: tuple[Session, ...]  # in the week plan's types: line(), how-to ids
    race: Race | None
    problems: tuple[str, ...]
    advice: tuple[str, ...]  # the content's line for a session skipped because it hurt


@dataclass(frozen=True, slots=True)
class Checkin:
    """The weekly check-in: the week that ends, and the next one."""

    review: WeekReview
    upcoming: WeekView
    change: str  # what changes next week and why, one sentence


@dataclass(frozen=True, slots=True)
class WeeklySetting:
    on: bool
    day: int
    at: str  # "HH:MM"
    next_at: datetime | None
    zone: str | None


class Season:
    def __init__(self, training: Training) -> None:
        self.training = training
        self.planner = training.planner

    # -- what the runner tells us ----------------------------------------------------------

    async def _rows(
        self, db: AsyncSession, user_id: int, chat_id: int, now: datetime
    ) -> tuple[ReminderSchedule | None, RunnerSeason]:
        schedule = await schedules.get(db, user_id)
        season = await seasons.get_or_create(db, user_id, chat_id, now)
        season.updated_at = now
        return schedule, season

    async def set_race(
        self, db: AsyncSession, user_id: int, chat_id: int, race: Race | None, now: datetime
    ) -> None:
        _, season = await self._rows(db, user_id, chat_id, now)
        season.race_date = race.day if race is not None else None
        season.race_distance = race.distance if race is not None else None

    async def set_hard_runs(
        self, db: AsyncSession, user_id: int, chat_id: int, days: frozenset[int], now: datetime
    ) -> tuple[str, ...]:
        """The hard run days; what the runner's days then cannot satisfy, in words."""
        schedule, season = await self._rows(db, user_id, chat_id, now)
        season.hard_run_days = days_to_mask(days)
        return self.planner.problems(runner_of(schedule, season))

    async def set_level(
        self, db: AsyncSession, user_id: int, chat_id: int, level: RunnerLevel, now: datetime
    ) -> None:
        schedule, season = await self._rows(db, user_id, chat_id, now)
        season.level = level
        if schedule is not None:  # the week plan's progression reads the older two levels
            schedule.level = "experienced" if level == "experienced" else "beginner"

    async def set_weekly(
        self, db: AsyncSession, user_id: int, chat_id: int, spec: WeeklySpec, now: datetime
    ) -> WeeklySetting:
        schedule, season = await self._rows(db, user_id, chat_id, now)
        season.checkin_on = spec.on
        if spec.day is not None:
            season.checkin_day = spec.day
        if spec.at is not None:
            season.checkin_time = f"{spec.at.hour:02d}:{spec.at.minute:02d}"
        zone = schedule.zone if schedule is not None else None
        seasons.reschedule_checkin(season, zone, now)
        return self._setting(season, zone)

    async def resume_checkins(self, db: AsyncSession, user_id: int, now: datetime) -> None:
        """The runner is back (/start after blocking the bot): check-ins that stopped on a 403
        are scheduled again (ones turned off with /weekly off stay off)."""
        season = await seasons.get(db, user_id)
        if season is None or not season.checkin_on or season.checkin_next_at is not None:
            return
        schedule = await schedules.get(db, user_id)
        seasons.reschedule_checkin(season, schedule.zone if schedule is not None else None, now)

    async def weekly(self, db: AsyncSession, user_id: int) -> WeeklySetting | None:
        season = await seasons.get(db, user_id)
        if season is None:
            return None
        schedule = await schedules.get(db, user_id)
        return self._setting(season, schedule.zone if schedule is not None else None)

    @staticmethod
    def _setting(season: RunnerSeason, zone: str | None) -> WeeklySetting:
        return WeeklySetting(season.checkin_on, season.checkin_day, season.checkin_time,
                             season.checkin_next_at, zone)  # fmt: skip

    async def problems(self, db: AsyncSession, user_id: int) -> tuple[str, ...]:
        runner, _ = await self._runner(db, user_id)
        return self.planner.problems(runner)

    async def today(self, db: AsyncSession, user_id: int, now: datetime) -> date:
        """The runner's local date (UTC while their time zone is unknown)."""
        schedule = await schedules.get(db, user_id)
        return local_today(schedule, now) if schedule is not None else now.date()

    # -- the plan ---------------------------------------------------------------------------

    async def _runner(
        self, db: AsyncSession, user_id: int
    ) -> tuple[Runner, ReminderSchedule | None]:
        schedule = await schedules.get(db, user_id)
        season = await seasons.get(db, user_id)
        return runner_of(schedule, season), schedule

    async def week(
        self, db: AsyncSession, user_id: int, now: datetime, weeks_ahead: int = 0
    ) -> WeekView:
        """This week (``weeks_ahead`` 0) or a later one, from the runner's log."""
        runner, schedule = await self._runner(db, user_id)
        today = local_today(schedule, now) if schedule is not None else now.date()
        logged, planned, paused = await self._log(db, user_id, today)
        history = history_from(logged, planned, paused, today, self.training.reading)
        plan = self.planner.plan(runner, today, weeks_ahead + 1, history)
        return self._view(plan.weeks[-1], runner, tuple(a.text for a in plan.advice))

    def _view(self, week: PlannedWeek, runner: Runner, advice: tuple[str, ...]) -> WeekView:
        sessions = tuple(self.planner.as_week_session(s) for s in week.sessions)
        return WeekView(week, sessions, runner.race, self.planner.problems(runner), advice)

    async def _log(
        self, db: AsyncSession, user_id: int, today: date
    ) -> tuple[list[LoggedSet], list[PlannedDay], list[tuple[date, date]]]:
        logged = await workout_log.sets_of_user(db, user_id)
        planned = await workout_log.planned_days(db, user_id)
        paused = await pauses.windows(db, user_id, today)
        return logged, planned, paused

    async def checkin(self, db: AsyncSession, user_id: int, fire_at: datetime) -> Checkin:
        """The check-in due at ``fire_at``: the local week it falls in, and the next one."""
        runner, schedule = await self._runner(db, user_id)
        today = local_today(schedule, fire_at) if schedule is not None else fire_at.date()
        logged, planned, paused = await self._log(db, user_id, today)
        review = review_week(logged, planned, [Pause(a, b) for a, b in paused], today)
        history = history_from(logged, planned, paused, today, self.training.reading)
        monday = today - timedelta(days=today.weekday())
        plan = self.planner.plan(runner, monday, 2, history)
        upcoming = self._view(plan.weeks[1], runner, ())
        return Checkin(review, upcoming, what_changes(plan.weeks[0], plan.weeks[1]))
