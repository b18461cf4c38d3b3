"""Conversation memory: the exercise a chat last talked about (follow-ups stay on it).

Read once per question by primary key; written with one INSERT ... ON CONFLICT statement, and
only when it changes, so the common case (a new question) costs no write lock on SQLite.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import cast

from sqlalchemy import Insert, Table, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import log_sqlite
from bot.db.direct import Write
from bot.db.models import Conversation

_table = cast(Table, Conversation.__table__)


# The chat's last exercise, for ``context.read(LAST_EXERCISE, {"chat_id": ...})``: a question
# that changes nothing then opens no session (bot/inbox/scope.py).
LAST_EXERCISE = select(_table.c.last_exercise).where(_table.c.chat_id == bindparam("chat_id"))


def first_value(rows: list[tuple[str | None, ...]]) -> str | None:
    return rows[0][0] if rows else None


def _remember_sqlite() -> Insert:
    statement = sqlite.insert(_table).values(
        chat_id=bindparam("chat_id", type_=_table.c.chat_id.type),
        last_exercise=bindparam("exercise", type_=_table.c.last_exercise.type),
        updated_at=bindparam("now", type_=_table.c.updated_at.type),
    )
    return statement.on_conflict_do_update(
        index_elements=["chat_id"],
        set_={
            "last_exercise": statement.excluded.last_exercise,
            "updated_at": statement.excluded.updated_at,
        },
    )


_REMEMBER_SQLITE = _remember_sqlite()


def remember_later(chat_id: int, exercise: str | None, now: datetime) -> Write:
    """``remember`` as a write deferred to the update's handled mark (``context.defer``, SQLite
    only): a question that moves the conversation then opens no session either."""
    values = {"chat_id": chat_id, "exercise": exercise, "now": now}

    def write(conn: sqlite3.Connection, dialect: Dialect) -> None:
        log_sqlite.execute(conn, log_sqlite.compiled(_REMEMBER_SQLITE, dialect), values)

    return write


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
