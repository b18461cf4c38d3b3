"""The day around a report: what logging it needs to know first.

Whether the runner has a reminder schedule and its time zone, their planned sessions within a
day of the report, and their bests at the report's exercises (before this report).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import BigInteger, bindparam, select
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


# The runner, their schedule (if any) and their planned sessions from ``first`` to ``last``: one
# row at least (the runner's), one per planned session.
_runner = select(bindparam("user", type_=BigInteger).label("id")).subquery("runner")
_DAY = (
    select(
        ReminderSchedule.user_id,
        ReminderSchedule.zone,
        PlannedSession.id,
        PlannedSession.local_date,
        PlannedSession.status,
    )
    .select_from(_runner)
    .outerjoin(ReminderSchedule, ReminderSchedule.user_id == _runner.c.id)
    .outerjoin(
        PlannedSession,
        (PlannedSession.user_id == _runner.c.id)
        & PlannedSession.local_date.between(bindparam("first"), bindparam("last")),
    )
    .order_by(PlannedSession.local_date, PlannedSession.id)
)


async def day_context(
    session: AsyncSession, user_id: int, around: date, exercises: Iterable[str] = ()
) -> DayContext:
    """The runner's day around ``around`` (the UTC date; the local one is within a day of it):
    two constant statements, the day and the bests."""
    day = timedelta(days=1)
    window = {"user": user_id, "first": around - day, "last": around + day}
    rows = (await session.execute(_DAY, window)).all()
    first = rows[0]
    return DayContext(
        has_schedule=first[0] is not None,
        zone=first[1],
        planned=[NearbySession(r[2], r[3], r[4]) for r in rows if r[2] is not None],
        bests=await workout_log.bests(session, user_id, exercises),
    )
