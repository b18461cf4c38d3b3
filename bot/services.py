"""The services a running bot shares between handlers (built in post_init, closed in
post_shutdown). Plain Python: handlers reach them through ``services(context)``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.answering import Answerer
from bot.core.content import ContentStore


@dataclass(slots=True)
class Services:
    store: ContentStore
    answerer: Answerer
    database_url: str
    engine: AsyncEngine | None = None
    sessions: async_sessionmaker[AsyncSession] | None = None
