"""Planned sessions repository: the strength session of a runner's local day and its reminder.

Stable API for the workout logging (issue 6):

* ``for_day(session, user_id, local_date)`` -> the runner's PlannedSession that day, or None.
* ``find_by_reminder(session, chat_id, message_id)`` -> the PlannedSession whose reminder is that
  message (a reply to the reminder maps to the session), or None.
* ``PlannedSession.prescription`` is ``bot.core.plans.Session.as_json()``
  (``Session.from_json`` reads it back); ``status`` is one of ``STATUSES``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, get_args

from sqlalchemy import case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.log_models import WorkoutLog
from bot.db.training_models import PlannedSession

Status = Literal["planned", "sent", "done", "skipped", "missed"]
STATUSES: tuple[Status, ...] = get_args(Status)
OPEN: tuple[Status, ...] = ("planned", "sent")

__all__ = ["OPEN", "STATUSES", "PlannedSession", "Status", "find_by_reminder", "for_day"]


async def for_day(session: AsyncSession, user_id: int, local_date: date) -> PlannedSession | None:
    return await session.scalar(
        select(PlannedSession).where(
            PlannedSession.user_id == user_id, PlannedSession.local_date == local_date
        )
    )


async def find_by_reminder(
    session: AsyncSession, chat_id: int, message_id: int
) -> PlannedSession | None:
    return await session.scalar(
        select(PlannedSession).where(
            PlannedSession.reminder_chat_id == chat_id,
            PlannedSession.reminder_message_id == message_id,
        )
    )


async def get(session: AsyncSession, planned_id: int) -> PlannedSession | None:
    return await session.get(PlannedSession, planned_id)


async def get_or_create(
    session: AsyncSession,
    user_id: int,
    local_date: date,
    prescription: dict[str, Any],
    day_ends_at: datetime,
) -> PlannedSession:
    """The day's planned session; created with ``prescription`` if there is none yet."""
    found = await for_day(session, user_id, local_date)
    if found is not None:
        return found
    planned = PlannedSession(
        user_id=user_id, local_date=local_date, prescription=prescription, status="planned",
        day_ends_at=day_ends_at,
    )  # fmt: skip
    session.add(planned)
    await session.flush()
    return planned


def record_reminder(
    planned: PlannedSession, chat_id: int, message_id: int, fire_at: datetime, now: datetime
) -> None:
    planned.reminder_chat_id = chat_id
    planned.reminder_message_id = message_id
    planned.fire_at = fire_at
    planned.sent_at = now
    if planned.status == "planned":
        planned.status = "sent"


async def sweep_missed(session: AsyncSession, now: datetime, limit: int = 1000) -> int:
    """Sessions still open when their local day ended: missed (progress holds), or done when
    the runner logged some of it that day (one workout is one session, the day closes it)."""
    ids = (
        await session.scalars(
            select(PlannedSession.id)
            .where(PlannedSession.status.in_(OPEN), PlannedSession.day_ends_at <= now)
            .limit(limit)
        )
    ).all()
    if not ids:
        return 0
    logged = (
        select(WorkoutLog.id)
        .where(WorkoutLog.planned_session_id == PlannedSession.id, WorkoutLog.status == "done")
        .exists()
    )
    await session.execute(
        update(PlannedSession)
        .where(PlannedSession.id.in_(ids), PlannedSession.status.in_(OPEN))
        .values(status=case((logged, "done"), else_="missed"))
        .execution_options(synchronize_session=False)
    )
    return len(ids)


async def record_reminder_sent(
    session: AsyncSession,
    planned_id: int,
    chat_id: int,
    message_id: int,
    fire_at: datetime,
    now: datetime,
) -> None:
    """The dispatcher's write after a send: the message that carries the session."""
    await session.execute(
        update(PlannedSession)
        .where(PlannedSession.id == planned_id)
        .values(
            reminder_chat_id=chat_id,
            reminder_message_id=message_id,
            fire_at=fire_at,
            sent_at=now,
            status=case((PlannedSession.status == "planned", "sent"), else_=PlannedSession.status),
        )
        .execution_options(synchronize_session=False)
    )
