"""Users repository: record who talks to the bot (idempotent, safe on redelivered updates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User


@dataclass(frozen=True, slots=True)
class SeenUser:
    id: int
    chat_id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None


async def touch(session: AsyncSession, seen: SeenUser, now: datetime | None = None) -> bool:
    """Insert or refresh a user. Returns True when the user is new."""
    moment = now or datetime.now(UTC)
    user = await session.get(User, seen.id)
    created = user is None
    if user is None:
        user = User(id=seen.id, created_at=moment)
        session.add(user)
    user.chat_id = seen.chat_id
    user.first_name = seen.first_name[:128]
    user.username = seen.username
    user.language_code = seen.language_code
    user.last_seen_at = moment
    return created


async def count(session: AsyncSession) -> int:
    return int((await session.scalar(select(func.count()).select_from(User))) or 0)
