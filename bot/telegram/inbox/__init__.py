"""The durable update inbox: nothing Telegram sends is lost between fetching and handling.

``InboxService`` = a ``Fetcher`` (getUpdates -> inbox table -> offset) and an
``InboxProcessor`` (inbox table -> ``Application.process_update`` in one transaction per
update). The Application is built with ``.updater(None)``: PTB's Updater confirms updates to
Telegram as soon as they are in its in-memory queue, which is exactly the window this closes.
Updates come in one of two ways: long polling, where only the instance holding the database's
instance lock polls (election.py), or webhook mode (webhook.py), where every instance stores
what Telegram posts to it and calls ``processor.notify`` before answering 200. On SQLite the
lock is taken at start whatever the mode: one process per file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import Clock
from bot.db.engine import DatabaseInUse, InstanceLock
from bot.telegram.inbox.election import PollerElection
from bot.telegram.inbox.fetcher import Fetcher
from bot.telegram.inbox.processor import (
    AnyApp,
    BeforeHandle,
    InboxProcessor,
    OnBlocked,
    OnGaveUp,
    ReadyToSend,
)
from bot.telegram.inbox.webhook import WebhookOptions, WebhookServer

__all__ = ["Fetcher", "InboxOptions", "InboxProcessor", "InboxService", "WebhookOptions"]


@dataclass(frozen=True, slots=True)
class InboxOptions:
    max_attempts: int = 3
    concurrency: int = 8
    retention: timedelta = timedelta(days=7)
    poll_timeout: int = 10
    allowed_updates: Sequence[str] | None = None
    webhook: WebhookOptions | None = None  # None: long polling
    election_seconds: float = 3.0  # how often a non-polling instance tries to become the poller


class InboxService:
    def __init__(
        self,
        app: AnyApp,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        options: InboxOptions,
        lock: InstanceLock,
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
        self.lock = lock
        self.election = PollerElection(lock, self.fetcher, options.election_seconds)
        self.webhook: WebhookServer | None = None
        if options.webhook is not None:
            self.webhook = WebhookServer(
                app.bot,
                sessions,
                clock,
                self.processor.notify,
                options.webhook,
                options.allowed_updates,
            )

    async def claim_database(self) -> None:
        """SQLite: take the file's lock, or stop with DatabaseInUse (before migrating: a second
        process must not change the schema under the first). PostgreSQL: nothing to take."""
        if not self.lock.shared and not await self.lock.try_acquire():
            raise DatabaseInUse(self.lock.sqlite_path or "")

    async def start(self) -> None:
        """Handle what a previous run stored but did not handle, then take updates in."""
        await self.claim_database()  # held already when post_init took it
        await self.processor.start()
        if self.webhook is not None:
            await self.webhook.start()
        else:
            await self.election.start()

    async def stop(self) -> None:
        if self.webhook is not None:
            await self.webhook.stop()
        else:
            await self.election.stop()
        await self.processor.stop()
        await self.lock.release()
