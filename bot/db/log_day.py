"""The day around a report: what logging it needs to know first.

Whether the runner has a reminder schedule and its time zone, their planned sessions within a
day of the report, and their bests at the report's exercises (before this report).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.stats import Best
from bot.db import workout_log
from bot.db.training_models import PlannedSession, ReminderSchedule


@dataclass(frozen=True, slots=True)
class NearbySession:
    id: int
    local_date: date
    status: str


@dataclass(frozen=True, slots=True)
class DayContext:
    has_schedule: bool
    zone: str | None  # IANA name of the runner's reminders, None: not set
    planned: list[NearbySession]
    bests: dict[str, Best]


async def day_context(
    session: AsyncSession, user_id: int, around: date, exercises: Iterable[str] = ()
) -> DayContext:
    """The runner's day around ``around`` (the UTC date; the local one is within a day of it)."""
    schedule = (
        await session.execute(
            select(ReminderSchedule.zone).where(ReminderSchedule.user_id == user_id)
        )
    ).first()
    planned = await session.execute(
        select(PlannedSession.id, PlannedSession.local_date, PlannedSession.status)
        .where(
            PlannedSession.user_id == user_id,
            PlannedSession.local_date.between(
                around - timedelta(days=1), around + timedelta(days=1)
            ),
        )
        .order_by(PlannedSession.local_date, PlannedSession.id)
    )
    return DayContext(
        has_schedule=schedule is not None,
        zone=schedule[0] if schedule is not None else None,
        planned=[NearbySession(r[0], r[1], r[2]) for r in planned],
        bests=await workout_log.bests(session, user_id, exercises),
    )
