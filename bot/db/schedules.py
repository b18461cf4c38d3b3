"""Reminder schedules repository: the per-runner set-up, and the dispatcher's atomic claim.

The claim is one statement on both backends::

    UPDATE reminder_schedules SET lease_owner = :me, lease_until = :now + lease
    WHERE user_id IN (SELECT user_id FROM reminder_schedules
                      WHERE next_fire_at <= :now AND (lease_until IS NULL OR lease_until <= :now)
                      ORDER BY next_fire_at LIMIT :n
                      FOR UPDATE SKIP LOCKED)      -- PostgreSQL only
    RETURNING ...

PostgreSQL: rows another process holds are skipped, not waited for, and re-checked after
locking, so two dispatchers never claim one reminder. SQLite: the single writer serialises the
statement. Every later write (confirm, retry, block) is conditional on ``lease_owner``: a process
that lost its lease (or a runner who changed the set-up meanwhile) changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule import ReminderRule, next_fire_outside, valid_zone
from bot.db.training_models import ReminderSchedule

__all__ = [
    "Claimed",
    "ReminderSchedule",
    "claim_due",
    "confirm_sent",
    "days_from_mask",
    "get",
    "get_or_create",
    "mark_blocked",
    "release_for_retry",
    "renew_leases",
    "reschedule",
    "rule_of",
]


def days_to_mask(days: Iterable[int]) -> int:
    mask = 0
    for day in days:
        mask |= 1 << day
    return mask


def days_from_mask(mask: int) -> frozenset[int]:
    return frozenset(d for d in range(7) if mask & (1 << d))


def rule_of(row: ReminderSchedule) -> ReminderRule | None:
    """The reminder rule, once zone, time and days are all set."""
    if not row.zone or not row.local_time or not row.days or not valid_zone(row.zone):
        return None
    hour, minute = (int(p) for p in row.local_time.split(":"))
    return ReminderRule(ZoneInfo(row.zone), time(hour, minute), days_from_mask(row.days))


def next_fire_of(row: ReminderSchedule, after: datetime) -> datetime | None:
    """When this runner's next reminder is due after ``after``; None when none is."""
    rule = rule_of(row)
    if rule is None or row.stopped or row.blocked or row.paused_open:
        return None
    return next_fire_outside(rule, after, row.paused_until)


def reschedule(row: ReminderSchedule, now: datetime) -> None:
    """After any change to the set-up: the next fire from now, any claim or snooze dropped."""
    row.next_fire_at = next_fire_of(row, now)
    row.lease_owner = None
    row.lease_until = None
    row.snooze_session_id = None
    row.attempts = 0
    row.updated_at = now


async def get(session: AsyncSession, user_id: int) -> ReminderSchedule | None:
    return await session.get(ReminderSchedule, user_id)


async def get_or_create(
    session: AsyncSession, user_id: int, chat_id: int, now: datetime
) -> ReminderSchedule:
    row = await session.get(ReminderSchedule, user_id)
    if row is None:
        row = ReminderSchedule(
            user_id=user_id, chat_id=chat_id, days=0, sessions_per_week=2, level="beginner",
            paused_open=False, stopped=False, blocked=False, attempts=0, progress={},
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(row)
        await session.flush()
    return row


@dataclass(frozen=True, slots=True)
class Claimed:
    user_id: int
    chat_id: int
    fire_at: datetime
    snooze_session_id: int | None
    attempts: int


async def claim_due(
    session: AsyncSession, now: datetime, owner: str, lease: timedelta, limit: int
) -> list[Claimed]:
    """Claim up to ``limit`` due reminders, oldest first. Commit right after."""
    table = ReminderSchedule
    due = (
        select(table.user_id)
        .where(table.next_fire_at <= now)
        .where(or_(table.lease_until.is_(None), table.lease_until <= now))
        .order_by(table.next_fire_at)
        .limit(limit)
    )
    # Instances sharing PostgreSQL skip each other's rows; SQLite (one process) renders nothing.
    due = due.with_for_update(skip_locked=True)
    statement = (
        update(table)
        .where(table.user_id.in_(due.scalar_subquery()))
        .values(lease_owner=owner, lease_until=now + lease, attempts=table.attempts + 1)
        .returning(
            table.user_id, table.chat_id, table.next_fire_at, table.snooze_session_id,
            table.attempts,
        )
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    rows = (await session.execute(statement)).all()
    claimed = [Claimed(r[0], r[1], r[2], r[3], r[4]) for r in rows if r[2] is not None]
    claimed.sort(key=lambda c: (c.fire_at, c.user_id))
    return claimed


@dataclass(frozen=True, slots=True)
class Confirmation:
    user_id: int
    next_fire_at: datetime | None


async def confirm_sent(
    session: AsyncSession, owner: str, done: Sequence[Confirmation], now: datetime
) -> None:
    """Release handled claims with their next fire instant (one executemany)."""
    if not done:
        return
    # Core executemany (not the ORM's bulk update by primary key).
    table = cast(Table, ReminderSchedule.__table__)
    statement = (
        update(table)
        .where(table.c.user_id == bindparam("b_user"), table.c.lease_owner == owner)
        .values(
            next_fire_at=bindparam("b_next"), lease_owner=None, lease_until=None, attempts=0,
            snooze_session_id=None, updated_at=now,
        )
    )  # fmt: skip
    await session.execute(
        statement, [{"b_user": c.user_id, "b_next": c.next_fire_at} for c in done]
    )


async def renew_leases(
    session: AsyncSession, owner: str, user_ids: Sequence[int], until: datetime
) -> None:
    """Extend this owner's claims on ``user_ids`` to ``until`` (a write: see the dispatcher)."""
    table = ReminderSchedule
    await session.execute(
        update(table)
        .where(table.user_id.in_(user_ids), table.lease_owner == owner)
        .values(lease_until=until)
        .execution_options(synchronize_session=False)
    )


async def release_for_retry(
    session: AsyncSession, owner: str, user_id: int, retry_at: datetime
) -> None:
    """A send failed for a passing reason: try again at ``retry_at`` (backoff via the lease)."""
    table = ReminderSchedule
    await session.execute(
        update(table)
        .where(table.user_id == user_id, table.lease_owner == owner)
        .values(lease_until=retry_at)
        .execution_options(synchronize_session=False)
    )


async def mark_blocked(session: AsyncSession, user_id: int, now: datetime) -> None:
    """403 from Telegram: no more reminders (and no retries) until the runner comes back."""
    table = ReminderSchedule
    await session.execute(
        update(table)
        .where(table.user_id == user_id)
        .values(blocked=True, next_fire_at=None, lease_owner=None, lease_until=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )


async def unblock(session: AsyncSession, user_id: int, now: datetime) -> bool:
    """The runner came back (/start): reminders resume. True when they were blocked."""
    row = await session.get(ReminderSchedule, user_id)
    if row is None or not row.blocked:
        return False
    row.blocked = False
    reschedule(row, now)
    return True


async def release_leases_of(session: AsyncSession, owners: Sequence[str], now: datetime) -> int:
    """Make the reminders claimed by ``owners`` (processes known to be dead) claimable now."""
    if not owners:
        return 0
    table = ReminderSchedule
    result = await session.execute(
        update(table)
        .where(table.lease_owner.in_(owners), table.lease_until > now)
        .values(lease_until=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def lease_owners(session: AsyncSession, now: datetime) -> list[str]:
    table = ReminderSchedule
    found = await session.scalars(
        select(table.lease_owner)
        .where(table.lease_owner.is_not(None), table.lease_until > now)
        .distinct()
    )
    return [owner for owner in found if owner]


async def due_count(session: AsyncSession, now: datetime) -> int:
    table = ReminderSchedule
    found = await session.scalar(
        select(func.count()).select_from(table).where(table.next_fire_at <= now)
    )
    return int(found or 0)


async def next_lease_end(session: AsyncSession, now: datetime, owner: str) -> datetime | None:
    """When the first live lease another process holds on a due reminder ends (None: none
    held). A dead process's claims become claimable then; a live one renews first."""
    table = ReminderSchedule
    return await session.scalar(
        select(func.min(table.lease_until)).where(
            table.next_fire_at <= now, table.lease_until > now, table.lease_owner != owner
        )
    )
