"""The durable update inbox: nothing Telegram sends is lost between fetching and handling.

``InboxService`` = a ``Fetcher`` (getUpdates -> inbox table -> offset) and an
``InboxProcessor`` (inbox table -> ``Application.process_update`` in one transaction per
update). The Application is built with ``.updater(None)``: PTB's Updater confirms updates to
Telegram as soon as they are in its in-memory queue, which is exactly the window this closes.
A webhook (later) stores the update and calls ``processor.notify`` before answering 200.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import Clock
from bot.telegram.inbox.fetcher import Fetcher
from bot.telegram.inbox.processor import (
    AnyApp,
    BeforeHandle,
    InboxProcessor,
    OnBlocked,
    OnGaveUp,
    ReadyToSend,
)

__all__ = ["Fetcher", "InboxOptions", "InboxProcessor", "InboxService"]


@dataclass(frozen=True, slots=True)
class InboxOptions:
    max_attempts: int = 3
    concurrency: int = 8
    retention: timedelta = timedelta(days=7)
    poll_timeout: int = 10
    allowed_updates: Sequence[str] | None = None


class InboxService:
    def __init__(
        self,
        app: AnyApp,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        options: InboxOptions,
        before_handle: BeforeHandle | None = None,
        on_blocked: OnBlocked | None = None,
        on_gave_up: OnGaveUp | None = None,
        ready_to_send: ReadyToSend | None = None,
    ) -> None:
        self.processor = InboxProcessor(
            app,
            sessions,
            clock,
            max_attempts=options.max_attempts,
            concurrency=options.concurrency,
            retention=options.retention,
            before_handle=before_handle,
            on_blocked=on_blocked,
            on_gave_up=on_gave_up,
            ready_to_send=ready_to_send,
        )
        self.fetcher = Fetcher(
            app.bot,
            sessions,
            clock,
            self.processor.notify,
            poll_timeout=options.poll_timeout,
            allowed_updates=options.allowed_updates,
        )

    async def start(self) -> None:
        """Handle what a previous run stored but did not handle, and start polling."""
        await self.processor.start()
        await self.fetcher.start()

    async def stop(self) -> None:
        await self.fetcher.stop()
        await self.processor.stop()
