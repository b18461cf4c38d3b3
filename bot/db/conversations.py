"""Conversation memory: the exercise a chat last talked about (follow-ups stay on it).

Read once per question by primary key; written with one INSERT ... ON CONFLICT statement, and
only when it changes, so the common case (a new question) costs no write lock on SQLite.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

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


def _upsert(insert: Callable[[Table], Any]) -> Insert:
    """INSERT ... ON CONFLICT (chat_id) DO UPDATE of the chat's memory, with bound parameters
    ``chat_id``, ``exercise`` and ``now``: built once per dialect."""
    statement = insert(_table).values(
        chat_id=bindparam("chat_id", type_=_table.c.chat_id.type),
        last_exercise=bindparam("exercise", type_=_table.c.last_exercise.type),
        updated_at=bindparam("now", type_=_table.c.updated_at.type),
    )
    upsert: Insert = statement.on_conflict_do_update(
        index_elements=["chat_id"],
        set_={
            "last_exercise": statement.excluded.last_exercise,
            "updated_at": statement.excluded.updated_at,
        },
    )
    return upsert


_REMEMBER = {"sqlite": _upsert(sqlite.insert), "postgresql": _upsert(postgresql.insert)}


def remember_later(chat_id: int, exercise: str | None, now: datetime) -> Write:
    """``remember`` as a write deferred to the update's handled mark (``context.defer``, SQLite
    only): a question that moves the conversation then opens no session either."""
    values = {"chat_id": chat_id, "exercise": exercise, "now": now}

    def write(conn: sqlite3.Connection, dialect: Dialect) -> None:
        log_sqlite.execute(conn, log_sqlite.compiled(_REMEMBER["sqlite"], dialect), values)

    return write


async def remember(
    session: AsyncSession, chat_id: int, exercise: str | None, now: datetime
) -> None:
    """Set (or with None, forget) the chat's last exercise."""
    statement = _REMEMBER[session.get_bind().dialect.name]
    await session.execute(statement, {"chat_id": chat_id, "exercise": exercise, "now": now})


async def forget_chat(session: AsyncSession, chat_id: int) -> None:
    """Part of deleting a user's data: their private chat's memory."""
    await session.execute(delete(_table).where(_table.c.chat_id == chat_id))
