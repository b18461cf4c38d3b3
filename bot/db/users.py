"""Users repository: who talks to the bot, written with one INSERT ... ON CONFLICT statement.

Two processes seeing a new user at once cannot race (the database settles it), and a row whose
fields are unchanged and whose last_seen_at is recent is not rewritten at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import chat_snapshot, engine
from bot.db.models import User

# How stale last_seen_at may get before an otherwise unchanged user is written again.
SEEN_PRECISION = timedelta(minutes=5)

_table = cast(Table, User.__table__)


@dataclass(frozen=True, slots=True)
class SeenUser:
    id: int
    chat_id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None


async def touch(
    session: AsyncSession,
    seen: SeenUser,
    now: datetime,
    precision: timedelta = SEEN_PRECISION,
) -> None:
    """Insert the user, or refresh them when a field changed, they had blocked the bot, or
    last_seen_at is older than ``precision``. One statement, in the caller's transaction."""
    values = {
        "id": seen.id,
        "chat_id": seen.chat_id,
        "first_name": seen.first_name[:128],
        "username": seen.username,
        "language_code": seen.language_code,
        "created_at": now,
        "last_seen_at": now,
    }
    statement = engine.insert(session, _table).values(values)
    new = statement.excluded
    c = _table.c
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["id"],
            set_={
                "chat_id": new.chat_id,
                "first_name": new.first_name,
                "username": new.username,
                "language_code": new.language_code,
                "last_seen_at": new.last_seen_at,
                "blocked_at": None,  # writing to the bot again means they unblocked it
            },
            where=or_(
                c.chat_id != new.chat_id,
                c.first_name != new.first_name,
                c.username.is_distinct_from(new.username),
                c.language_code.is_distinct_from(new.language_code),
                c.blocked_at.is_not(None),
                c.last_seen_at < now - precision,
            ),
        )
    )


async def remember(
    session: AsyncSession, seen: SeenUser, now: datetime, precision: timedelta = SEEN_PRECISION
) -> None:
    """``touch`` only when it would change something: in the common case one read, the chat's
    snapshot (bot/db/chat_snapshot.py), so an update takes no write lock for it (SQLite has
    one)."""
    row = (await chat_snapshot.load(session, seen.id, seen.chat_id)).user
    if row is not None and (
        (row.chat_id, row.first_name, row.username, row.language_code, row.blocked_at)
        == (seen.chat_id, seen.first_name[:128], seen.username, seen.language_code, None)
        and now - row.last_seen_at < precision
    ):
        return
    await touch(session, seen, now, precision)


async def mark_blocked(session: AsyncSession, user_id: int, now: datetime) -> None:
    """Remember that sends to this user fail with 403 (they blocked the bot)."""
    await session.execute(update(_table).where(_table.c.id == user_id).values(blocked_at=now))


async def count(session: AsyncSession) -> int:
    return int((await session.scalar(select(func.count()).select_from(User))) or 0)
