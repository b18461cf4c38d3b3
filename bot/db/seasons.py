"""Runner seasons repository: race, hard run days, level, and the weekly check-in's claim.

The check-in is claimed like a reminder (bot/db/schedules.py:claim_due explains the statement):
one UPDATE ... WHERE user_id IN (due rows, oldest first, FOR UPDATE SKIP LOCKED on PostgreSQL)
RETURNING, and every later write is conditional on the lease owner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule import ReminderRule, next_fire, valid_zone
from bot.core.stats import LoggedSet, PlannedDay
from bot.db.log_models import WorkoutLog, WorkoutSet
from bot.db.season_models import RunnerSeason
from bot.db.training_models import PauseWindow, PlannedSession
from bot.db.workout_log import work_of

__all__ = [
    "CheckinClaim",
    "RunnerSeason",
    "claim_due_checkins",
    "confirm_checkin",
    "get",
    "get_or_create",
    "next_checkin_of",
    "reschedule_checkin",
]


async def get(session: AsyncSession, user_id: int) -> RunnerSeason | None:
    return await session.get(RunnerSeason, user_id)


async def get_or_create(
    session: AsyncSession, user_id: int, chat_id: int, now: datetime
) -> RunnerSeason:
    row = await session.get(RunnerSeason, user_id)
    if row is None:
        row = RunnerSeason(
            user_id=user_id, chat_id=chat_id, hard_run_days=0, checkin_on=True, checkin_day=6,
            checkin_time="18:00", checkin_attempts=0, updated_at=now,
        )  # fmt: skip
        session.add(row)
        await session.flush()
    return row


def checkin_rule(row: RunnerSeason, zone: str | None) -> ReminderRule | None:
    if not row.checkin_on or not zone or not valid_zone(zone):
        return None
    hour, minute = (int(p) for p in row.checkin_time.split(":"))
    return ReminderRule(ZoneInfo(zone), time(hour, minute), frozenset({row.checkin_day}))


def next_checkin_of(row: RunnerSeason, zone: str | None, after: datetime) -> datetime | None:
    """The next check-in instant strictly after ``after`` (exact through DST: the reminders'
    rule); None when the check-in is off or the runner's time zone is unknown."""
    rule = checkin_rule(row, zone)
    return None if rule is None else next_fire(rule, after)


def reschedule_checkin(row: RunnerSeason, zone: str | None, now: datetime) -> None:
    """After a change of the check-in or the time zone: the next one from now, any claim dropped."""
    row.checkin_next_at = next_checkin_of(row, zone, now)
    row.checkin_lease_owner = None
    row.checkin_lease_until = None
    row.checkin_attempts = 0
    row.updated_at = now


@dataclass(frozen=True, slots=True)
class CheckinClaim:
    user_id: int
    chat_id: int
    fire_at: datetime
    attempts: int


async def claim_due_checkins(
    session: AsyncSession, now: datetime, owner: str, lease: timedelta, limit: int
) -> list[CheckinClaim]:
    """Claim up to ``limit`` due check-ins, oldest first. Commit right after."""
    table = RunnerSeason
    due = (
        select(table.user_id)
        .where(table.checkin_next_at <= now)
        .where(or_(table.checkin_lease_until.is_(None), table.checkin_lease_until <= now))
        .order_by(table.checkin_next_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(table)
        .where(table.user_id.in_(due.scalar_subquery()))
        .values(checkin_lease_owner=owner, checkin_lease_until=now + lease,
                checkin_attempts=table.checkin_attempts + 1)
        .returning(table.user_id, table.chat_id, table.checkin_next_at, table.checkin_attempts)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    rows = (await session.execute(statement)).all()
    claimed = [CheckinClaim(r[0], r[1], r[2], r[3]) for r in rows if r[2] is not None]
    claimed.sort(key=lambda c: (c.fire_at, c.user_id))
    return claimed


async def renew_checkin_leases(
    session: AsyncSession, owner: str, user_ids: Sequence[int], until: datetime
) -> None:
    """Extend the leases of check-ins this process still holds (its heartbeat)."""
    table = RunnerSeason
    await session.execute(
        update(table)
        .where(table.user_id.in_(user_ids), table.checkin_lease_owner == owner)
        .values(checkin_lease_until=until)
        .execution_options(synchronize_session=False)
    )


async def confirm_checkin(
    session: AsyncSession, owner: str, user_id: int, next_at: datetime | None, now: datetime
) -> None:
    """Release a handled claim with the next check-in instant (nothing if the lease was lost)."""
    table = RunnerSeason
    await session.execute(
        update(table)
        .where(table.user_id == user_id, table.checkin_lease_owner == owner)
        .values(
            checkin_next_at=next_at,
            checkin_lease_owner=None,
            checkin_lease_until=None,
            checkin_attempts=0,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )


async def release_checkin_for_retry(
    session: AsyncSession, owner: str, user_id: int, retry_at: datetime
) -> None:
    table = RunnerSeason
    await session.execute(
        update(table)
        .where(table.user_id == user_id, table.checkin_lease_owner == owner)
        .values(checkin_lease_until=retry_at)
        .execution_options(synchronize_session=False)
    )


async def stop_checkins(session: AsyncSession, user_id: int, now: datetime) -> None:
    """The runner blocked the bot: no more check-ins until a change reschedules them."""
    table = RunnerSeason
    await session.execute(
        update(table)
        .where(table.user_id == user_id)
        .values(
            checkin_next_at=None, checkin_lease_owner=None, checkin_lease_until=None, updated_at=now
        )
        .execution_options(synchronize_session=False)
    )


async def checkin_lease_owners(session: AsyncSession, now: datetime) -> list[str]:
    table = RunnerSeason
    found = await session.scalars(
        select(table.checkin_lease_owner)
        .where(table.checkin_lease_owner.is_not(None), table.checkin_lease_until > now)
        .distinct()
    )
    return [owner for owner in found if owner]


async def release_checkin_leases_of(
    session: AsyncSession, owners: Sequence[str], now: datetime
) -> int:
    """Make the check-ins claimed by ``owners`` (processes known to be dead) claimable now."""
    if not owners:
        return 0
    table = RunnerSeason
    result = await session.execute(
        update(table)
        .where(table.checkin_lease_owner.in_(owners), table.checkin_lease_until > now)
        .values(checkin_lease_until=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True, slots=True)
class SeasonLogs:
    """What the season planner reads of several runners' logs at once (the dispatcher's
    batches): done sets and skips (with their notes), planned days with their prescriptions,
    pauses, each by runner."""

    sets: dict[int, list[LoggedSet]]
    planned: dict[int, list[PlannedDay]]
    pauses: dict[int, list[tuple[date, date | None]]]


async def logs_of(session: AsyncSession, user_ids: Sequence[int]) -> SeasonLogs:
    """Three statements for any number of runners (instead of three per runner)."""
    ids = list(user_ids)
    found = SeasonLogs({u: [] for u in ids}, {u: [] for u in ids}, {u: [] for u in ids})
    if not ids:
        return found
    sets = await session.execute(
        select(WorkoutLog.user_id, WorkoutLog.id, WorkoutLog.local_date, WorkoutLog.status,
               WorkoutLog.planned_session_id, WorkoutLog.note, WorkoutSet.exercise,
               WorkoutSet.set_index, WorkoutSet.reps, WorkoutSet.weight_kg, WorkoutSet.seconds)
        .outerjoin(WorkoutSet, WorkoutSet.log_id == WorkoutLog.id)
        .where(WorkoutLog.user_id.in_(ids), WorkoutLog.status.in_(("done", "skipped")))
        .order_by(WorkoutLog.local_date, WorkoutLog.id, WorkoutSet.set_index)
    )  # fmt: skip
    for user, log_id, day, status, planned_id, note, exercise, index, reps, kg, seconds in sets:
        found.sets[user].append(
            LoggedSet(log_id, day, status, planned_id is not None, note or "", 0, exercise or "",
                      index or 0, reps or 0, kg, False, seconds)
        )  # fmt: skip
    planned = await session.execute(
        select(PlannedSession.user_id, PlannedSession.local_date, PlannedSession.status,
               PlannedSession.prescription)
        .where(PlannedSession.user_id.in_(ids))
        .order_by(PlannedSession.local_date)
    )  # fmt: skip
    for user, day, status, prescription in planned:
        found.planned[user].append(PlannedDay(day, status, work_of(prescription)))
    windows = await session.execute(
        select(PauseWindow.user_id, PauseWindow.first_day, PauseWindow.last_day)
        .where(PauseWindow.user_id.in_(ids))
        .order_by(PauseWindow.first_day)
    )
    for user, first, last in windows:
        found.pauses[user].append((first, last))
    return found


async def get_many(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, RunnerSeason]:
    rows = await session.scalars(select(RunnerSeason).where(RunnerSeason.user_id.in_(user_ids)))
    return {row.user_id: row for row in rows}
