"""The day around a report: what logging it needs to know first.

Whether the runner has a reminder schedule and its time zone, their planned sessions within a
day of the report, and their bests at the report's exercises (before this report).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import BigInteger, literal, select
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
    """The runner's day around ``around`` (the UTC date; the local one is within a day of it),
    in one statement: every report needs all of it, and on SQLite each statement costs hops to
    aiosqlite's thread (README, "Benchmarks")."""
    wanted = sorted(set(exercises))
    runner = select(literal(user_id, BigInteger).label("id")).subquery("runner")
    nearby = (PlannedSession.user_id == runner.c.id) & PlannedSession.local_date.between(
        around - timedelta(days=1), around + timedelta(days=1)
    )
    rows = (
        await session.execute(
            select(
                ReminderSchedule.user_id,
                ReminderSchedule.zone,
                PlannedSession.id,
                PlannedSession.local_date,
                PlannedSession.status,
                *workout_log.best_columns(user_id, wanted),
            )
            .select_from(runner)
            .outerjoin(ReminderSchedule, ReminderSchedule.user_id == runner.c.id)
            .outerjoin(PlannedSession, nearby)
            .order_by(PlannedSession.local_date, PlannedSession.id)
        )
    ).all()
    first = rows[0]  # one row at least: the runner's
    return DayContext(
        has_schedule=first[0] is not None,
        zone=first[1],
        planned=[NearbySession(r[2], r[3], r[4]) for r in rows if r[2] is not None],
        bests=workout_log.bests_from(wanted, first[5:]),
    )
