"""The services a running bot shares between handlers and background services.

Built once in ``build_application`` (creating an engine opens no connection), so nothing here is
Optional: post_init only migrates the schema and starts the inbox, post_shutdown disposes the
engine. Handlers reach it as ``context.services`` (bot/handlers/context.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.answering import Answerer
from bot.core.clock import SYSTEM_CLOCK, Clock
from bot.core.content import ContentStore


@dataclass(slots=True)
class Services:
    store: ContentStore
    answerer: Answerer
    database_url: str
    engine: AsyncEngine
    # For background services (reminders...): ``async with services.sessions.begin() as s:``.
    # Handlers never open one: they use context.session, owned by the inbox processor.
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock = field(default=SYSTEM_CLOCK)
