"""The season planner's inputs, read from the database: what the runner told us (``Runner``)
and what they logged (``History``). Shared by the training service (reminders, /today) and the
season service (/plan, the weekly check-in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.plans import History, LoggedLift, Race, Runner, RunnerLevel, suggest_days
from bot.core.plans.season_model import DISTANCES, RUNNER_LEVELS
from bot.core.stats.model import LoggedSet, PlannedDay
from bot.db import pauses, seasons, workout_log
from bot.db.schedules import ReminderSchedule, days_from_mask
from bot.db.season_models import RunnerSeason

DEFAULT_SESSIONS = 2
MISSED = ("missed", "skipped")


def level_of(schedule: ReminderSchedule | None, season: RunnerSeason | None) -> RunnerLevel:
    if season is not None and season.level in RUNNER_LEVELS:
        return season.level
    return "experienced" if schedule is not None and schedule.level == "experienced" else "new"


def race_of(season: RunnerSeason | None) -> Race | None:
    if season is None or season.race_date is None or season.race_distance not in DISTANCES:
        return None
    return Race(season.race_date, season.race_distance)


def runner_of(schedule: ReminderSchedule | None, season: RunnerSeason | None) -> Runner:
    """The runner as the planner sees them. Their strength days are the reminder days (or two
    suggested days while none are set)."""
    long_run = schedule.long_run_day if schedule is not None else None
    days = days_from_mask(schedule.days) if schedule is not None else frozenset()
    if not days:
        sessions = schedule.sessions_per_week if schedule is not None else DEFAULT_SESSIONS
        days = frozenset(suggest_days(sessions or DEFAULT_SESSIONS, long_run))
    hard = days_from_mask(season.hard_run_days) if season is not None else frozenset()
    return Runner(days, long_run, hard - {long_run} if long_run is not None else hard,
                  level_of(schedule, season), race_of(season))  # fmt: skip


async def load_runner(
    db: AsyncSession, user_id: int, schedule: ReminderSchedule | None
) -> tuple[Runner, RunnerSeason | None]:
    season = await seasons.get(db, user_id)
    return runner_of(schedule, season), season


def history_from(
    logged: Sequence[LoggedSet],
    planned: Sequence[PlannedDay],
    paused: Sequence[tuple[date, date]],
    today: date,
) -> History:
    """The log as the planner reads it: the latest lift per exercise (its work sets, most reps,
    heaviest load), missed sessions in a row, a pause ended since the last session, the start."""
    by_log: dict[tuple[int, str], list[LoggedSet]] = {}
    for row in logged:
        if row.status == "done" and row.exercise:
            by_log.setdefault((row.log_id, row.exercise), []).append(row)
    lifts = []
    for (_, exercise), sets in by_log.items():
        loads = [s.weight_kg for s in sets if s.weight_kg is not None]
        reps = max(s.reps for s in sets)
        lifts.append(
            LoggedLift(exercise, sets[0].local_date, len(sets), reps, kg=max(loads, default=None))
        )
    missed = 0
    for day in sorted((p for p in planned if p.local_date < today), key=lambda p: p.local_date):
        missed = missed + 1 if day.status in MISSED else 0
    done_days = [s.local_date for s in logged if s.status == "done"]
    last = max(done_days, default=None)
    back = any(last_day < today and (last is None or last_day >= last) for _, last_day in paused)
    return History.from_log(lifts, missed_in_a_row=missed, back_from_pause=back,
                            started=min(done_days, default=None))  # fmt: skip


async def load_many(
    db: AsyncSession, schedules_by_user: Mapping[int, ReminderSchedule], days: Mapping[int, date]
) -> dict[int, tuple[Runner, History]]:
    """The planner's inputs of several runners in four statements (the dispatcher's batches);
    ``days``: the day each runner's plan is wanted for."""
    ids = [user for user in days if user in schedules_by_user]
    rows = await seasons.get_many(db, ids)
    logs = await seasons.logs_of(db, ids)
    found = {}
    for user in ids:
        today = days[user]
        paused = [(first, last if last is not None else today) for first, last in logs.pauses[user]]
        history = history_from(logs.sets[user], logs.planned[user], paused, today)
        found[user] = (runner_of(schedules_by_user[user], rows.get(user)), history)
    return found


async def load_history(db: AsyncSession, user_id: int, today: date) -> History:
    logged = await workout_log.sets_of_user(db, user_id)
    planned = await workout_log.planned_days(db, user_id)
    paused = await pauses.windows(db, user_id, today)
    return history_from(logged, planned, paused, today)
