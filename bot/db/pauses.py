"""Pause history: the local days a runner paused their training (injury, holiday).

The schedule row only knows the pause in force now; streaks need every pause there was, so a
session missed during last month's holiday never breaks a streak.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.training_models import PauseWindow


async def begin(
    session: AsyncSession, user_id: int, first: date, last: date | None, now: datetime
) -> None:
    """A pause from ``first`` to ``last`` inclusive (None: until resumed). A pause that was
    still running is replaced from ``first`` on: the newest /pause is the one in force."""
    await end(session, user_id, first - timedelta(days=1))
    session.add(PauseWindow(user_id=user_id, first_day=first, last_day=last, created_at=now))


async def end(session: AsyncSession, user_id: int, last: date) -> None:
    """Pauses running after ``last`` end on it; pauses that had not begun by then go."""
    await session.execute(
        delete(PauseWindow).where(PauseWindow.user_id == user_id, PauseWindow.first_day > last)
    )
    running = await session.scalars(
        select(PauseWindow).where(
            PauseWindow.user_id == user_id,
            or_(PauseWindow.last_day.is_(None), PauseWindow.last_day > last),
        )
    )
    for window in running:
        window.last_day = last


async def windows(session: AsyncSession, user_id: int, today: date) -> list[tuple[date, date]]:
    """Every pause as (first, last) local days, an open one lasting until ``today``."""
    rows = await session.execute(
        select(PauseWindow.first_day, PauseWindow.last_day)
        .where(PauseWindow.user_id == user_id)
        .order_by(PauseWindow.first_day)
    )
    return [(first, last if last is not None else today) for first, last in rows]
