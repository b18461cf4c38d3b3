"""The season planner's inputs, read from the database: what the runner told us (``Runner``)
and what they logged (``History``). Shared by the training service (reminders, /today) and the
season service (/plan, the weekly check-in)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.answering.red_flags import RedFlags
from bot.core.content import ContentStore
from bot.core.plans import History, LoggedLift, Race, Runner, RunnerLevel, suggest_days
from bot.core.plans.season_model import DISTANCES, RUNNER_LEVELS, PainSkip
from bot.core.stats.model import LoggedSet, PlannedDay, PlannedWork
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


def _never(_: str) -> bool:
    return False


def _itself(move: str) -> str:
    return move


@dataclass(frozen=True, slots=True)
class LogReading:
    """How the planner's inputs read the log's words and names: which skip notes report pain
    (the answering's red flags), which family a move belongs to (the content store)."""

    hurts: Callable[[str], bool] = _never
    family: Callable[[str], str] = _itself

    @classmethod
    def of(cls, store: ContentStore) -> LogReading:
        def family(move: str) -> str:
            return store.family_of(move) if move in store.entries else move

        return cls(RedFlags(store).reported, family)


# No pain words known, every move its own family (tests, the CLI's plan).
PLAIN = LogReading()


def _completed(sets: Sequence[LoggedSet], planned: PlannedWork | None) -> bool:
    """Every prescribed set and rep done (timed sets count by sets); True with nothing
    prescribed (an extra session, an exercise the plan did not ask for)."""
    if planned is None or planned.sets <= 0:
        return True
    if len(sets) < planned.sets:
        return False
    reps = sorted((planned.reps if s.seconds else s.reps for s in sets), reverse=True)
    return reps[planned.sets - 1] >= planned.reps


def _prescribed(
    work: Sequence[PlannedWork], exercise: str, reading: LogReading
) -> PlannedWork | None:
    """The prescribed exercise a logged one counts for: the same move, else one of its family."""
    same = next((p for p in work if p.move == exercise), None)
    family = reading.family(exercise)
    return same or next((p for p in work if reading.family(p.move) == family), None)


def history_from(
    logged: Sequence[LoggedSet],
    planned: Sequence[PlannedDay],
    paused: Sequence[tuple[date, date]],
    today: date,
    reading: LogReading = PLAIN,
) -> History:
    """The log as the planner reads it: the latest lift per exercise (its work sets over the
    session's messages, most reps, heaviest load, and whether it met the planned session's
    prescription), missed sessions in a row, a pause ended since the last session, the start,
    and skips for pain since the last session (each exercise of the skipped session)."""
    work = {day.local_date: day.work for day in planned}
    by_session: dict[tuple[str, str], list[LoggedSet]] = {}
    for row in logged:
        if row.status == "done" and row.exercise:
            key = row.session or (f"p{row.local_date}" if row.planned else f"l{row.log_id}")
            by_session.setdefault((key, row.exercise), []).append(row)
    lifts = []
    for (_, exercise), sets in by_session.items():
        day = sets[0].local_date
        prescribed = _prescribed(work.get(day, ()), exercise, reading) if sets[0].planned else None
        loads = [s.weight_kg for s in sets if s.weight_kg is not None]
        reps = max(s.reps for s in sets)
        lifts.append(LoggedLift(exercise, day, len(sets), reps, kg=max(loads, default=None),
                                completed=_completed(sets, prescribed)))  # fmt: skip
    missed = 0
    for planned_day in sorted(
        (p for p in planned if p.local_date < today), key=lambda p: p.local_date
    ):
        missed = missed + 1 if planned_day.status in MISSED else 0
    done_days = [s.local_date for s in logged if s.status == "done"]
    last = max(done_days, default=None)
    back = any(last_day < today and (last is None or last_day >= last) for _, last_day in paused)
    return History.from_log(lifts, missed_in_a_row=missed, back_from_pause=back,
                            started=min(done_days, default=None),
                            pain=_pain_skips(logged, work, last, reading))  # fmt: skip


def _pain_skips(
    logged: Sequence[LoggedSet],
    work: Mapping[date, Sequence[PlannedWork]],
    last_done: date | None,
    reading: LogReading,
) -> tuple[PainSkip, ...]:
    """Skips of a planned session whose note reports pain, made since the last session done:
    one per exercise the skipped session prescribed (their loads are kept)."""
    found: dict[tuple[str, str], PainSkip] = {}
    seen: set[int] = set()
    for row in logged:
        if row.status != "skipped" or row.log_id in seen or not row.planned:
            continue
        seen.add(row.log_id)
        if (last_done is not None and row.local_date < last_done) or not reading.hurts(row.note):
            continue
        for item in work.get(row.local_date, ()):
            found.setdefault((item.move, row.note), PainSkip(item.move, row.note))
    return tuple(found.values())


async def load_many(
    db: AsyncSession,
    schedules_by_user: Mapping[int, ReminderSchedule],
    days: Mapping[int, date],
    reading: LogReading,
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
        history = history_from(logs.sets[user], logs.planned[user], paused, today, reading)
        found[user] = (runner_of(schedules_by_user[user], rows.get(user)), history)
    return found


async def load_history(db: AsyncSession, user_id: int, today: date, reading: LogReading) -> History:
    logged = await workout_log.sets_of_user(db, user_id)
    planned = await workout_log.planned_days(db, user_id)
    paused = await pauses.windows(db, user_id, today)
    return history_from(logged, planned, paused, today, reading)
