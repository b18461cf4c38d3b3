"""Conversation memory: the exercise a chat last talked about (follow-ups stay on it).

Read once per question by primary key; written with one INSERT ... ON CONFLICT statement, and
only when it changes, so the common case (a new question) costs no write lock on SQLite.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Conversation

_table = cast(Table, Conversation.__table__)


# The chat's last exercise, for ``context.read(LAST_EXERCISE, {"chat_id": ...})``: a question
# that changes nothing then opens no session (bot/inbox/scope.py).
LAST_EXERCISE = select(_table.c.last_exercise).where(_table.c.chat_id == bindparam("chat_id"))


def first_value(rows: list[tuple[str | None, ...]]) -> str | None:
    return rows[0][0] if rows else None


async def remember(
    session: AsyncSession, chat_id: int, exercise: str | None, now: datetime
) -> None:
    """Set (or with None, forget) the chat's last exercise."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(_table).values(chat_id=chat_id, last_exercise=exercise, updated_at=now)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["chat_id"],
            set_={
                "last_exercise": statement.excluded.last_exercise,
                "updated_at": statement.excluded.updated_at,
            },
        )
    )


async def forget_chat(session: AsyncSession, chat_id: int) -> None:
    """Part of deleting a user's data: their private chat's memory."""
    await session.execute(delete(_table).where(_table.c.chat_id == chat_id))
