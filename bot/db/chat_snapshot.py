"""What nearly every update of a private chat reads, in one statement: the user's row (is it
new or changed?), their set-up step (is a text the answer to a set-up question?) and the
chat's conversation memory (what a follow-up is about).

``users.remember`` loads it first thing in the update's unit of work and keeps it in the
session's ``info`` for the rest of that unit of work; ``setup_state.get`` and
``conversations.last_talked_about`` answer from it instead of asking again, and every write to
those rows drops it, so later reads go to the database. On SQLite each statement is four hops
to aiosqlite's thread; one statement instead of three is what a question's update path needed to
stay inside its CPU budget (README, "Benchmarks").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import BigInteger, Table, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Conversation, User
from bot.db.training_models import SetupConversation

_KEY = "legwork.chat_snapshot"


@dataclass(frozen=True, slots=True)
class SetupState:
    step: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class UserRow:
    chat_id: int
    first_name: str
    username: str | None
    language_code: str | None
    blocked_at: datetime | None
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class ChatSnapshot:
    user_id: int
    chat_id: int
    user: UserRow | None  # None: a new user
    setup: SetupState | None  # None: no set-up in progress
    conversation: tuple[str | None, str | None]  # (exercise, topic) last talked about


_users = cast(Table, User.__table__)
_setup = cast(Table, SetupConversation.__table__)
_talk = cast(Table, Conversation.__table__)

# One row even for a new user: the user's id is the left side of every join.
_key = select(bindparam("user", type_=BigInteger).label("id")).subquery("wanted")
_LOAD = select(
    _users.c.chat_id, _users.c.first_name, _users.c.username, _users.c.language_code,
    _users.c.blocked_at, _users.c.last_seen_at, _users.c.id.label("known"),
    _setup.c.step, _setup.c.data, _talk.c.last_exercise, _talk.c.last_topic,
).select_from(
    _key.outerjoin(_users, _users.c.id == _key.c.id)
    .outerjoin(_setup, _setup.c.user_id == _key.c.id)
    .outerjoin(_talk, _talk.c.chat_id == bindparam("chat", type_=BigInteger))
)  # fmt: skip


async def load(session: AsyncSession, user_id: int, chat_id: int) -> ChatSnapshot:
    """Read the snapshot and keep it for the session's unit of work."""
    connection = await session.connection()  # Core: the ORM adds nothing to one row of columns
    row = (await connection.execute(_LOAD, {"user": user_id, "chat": chat_id})).one()
    user = None
    if row.known is not None:
        user = UserRow(row.chat_id, row.first_name, row.username, row.language_code,
                       row.blocked_at, row.last_seen_at)  # fmt: skip
    setup = None if row.step is None else SetupState(row.step, dict(row.data or {}))
    snapshot = ChatSnapshot(user_id, chat_id, user, setup, (row.last_exercise, row.last_topic))
    session.info[_KEY] = snapshot
    return snapshot


def of_user(session: AsyncSession, user_id: int) -> ChatSnapshot | None:
    snapshot = cast(ChatSnapshot | None, session.info.get(_KEY))
    return snapshot if snapshot is not None and snapshot.user_id == user_id else None


def of_chat(session: AsyncSession, chat_id: int) -> ChatSnapshot | None:
    snapshot = cast(ChatSnapshot | None, session.info.get(_KEY))
    return snapshot if snapshot is not None and snapshot.chat_id == chat_id else None


def forget(session: AsyncSession) -> None:
    """A write changed what the snapshot holds: later reads ask the database."""
    session.info.pop(_KEY, None)
