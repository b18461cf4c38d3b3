"""Conversation memory: the exercise and topic a chat last talked about (follow-ups stay on it).

Read once per question by primary key, with the user's row (bot/db/chat_snapshot.py); written
with one INSERT ... ON CONFLICT statement, and only when it changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import chat_snapshot, engine
from bot.db.models import Conversation

_table = cast(Table, Conversation.__table__)


_LAST = select(_table.c.last_exercise, _table.c.last_topic).where(
    _table.c.chat_id == bindparam("chat")
)


async def last_talked_about(session: AsyncSession, chat_id: int) -> tuple[str | None, str | None]:
    """(exercise, topic) the chat last talked about; (None, None) for a new chat."""
    snapshot = chat_snapshot.of_chat(session, chat_id)
    if snapshot is not None:
        return snapshot.conversation
    connection = await session.connection()  # Core: one read by primary key, every question
    found = (await connection.execute(_LAST, {"chat": chat_id})).first()
    return (None, None) if found is None else (found[0], found[1])


async def remember(
    session: AsyncSession, chat_id: int, exercise: str | None, topic: str | None, now: datetime
) -> None:
    """Set (or with None, forget) the chat's last exercise and topic."""
    chat_snapshot.forget(session)
    statement = engine.insert(session, _table).values(
        chat_id=chat_id, last_exercise=exercise, last_topic=topic, updated_at=now
    )
    connection = await session.connection()
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=["chat_id"],
            set_={
                "last_exercise": statement.excluded.last_exercise,
                "last_topic": statement.excluded.last_topic,
                "updated_at": statement.excluded.updated_at,
            },
        )
    )


async def forget_chat(session: AsyncSession, chat_id: int) -> None:
    """Part of deleting a user's data: their private chat's memory."""
    chat_snapshot.forget(session)
    await session.execute(delete(_table).where(_table.c.chat_id == chat_id))
