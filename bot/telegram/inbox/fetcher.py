"""The long-polling loop: getUpdates -> store the batch in the inbox (one transaction) -> only then
move the offset past it, which is what tells Telegram the updates arrived.

Telegram forgets an update once a getUpdates asks for a higher offset, so an update is either
still at Telegram or already committed in the inbox; a crash at any point loses nothing. A batch
fetched twice (crash between commit and the next getUpdates) is stored once: the inbox keys on
update_id. Network failures and a database that is briefly away are retried with backoff, and
logged once per episode rather than once per try.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError

from bot.core.clock import Clock
from bot.db import inbox

log = logging.getLogger(__name__)

MAX_BACKOFF = 30.0


class Episode:
    """Logs a run of failures once when it starts and once when it ends."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.failures = 0

    def failed(self, exc: BaseException) -> float:
        self.failures += 1
        if self.failures == 1:
            log.warning("%s failed, retrying with backoff: %s", self.what, exc)
        base = min(0.5 * 2.0 ** (self.failures - 1), MAX_BACKOFF)
        return base / 2 + random.uniform(0, base / 2)  # jitter, not crypto

    def succeeded(self) -> None:
        if self.failures:
            log.warning("%s works again after %d failed tries", self.what, self.failures)
        self.failures = 0


class Fetcher:
    def __init__(
        self,
        bot: Bot,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        on_stored: Callable[[list[inbox.Claimed], Sequence[Update]], None],
        *,
        poll_timeout: int = 10,
        allowed_updates: Sequence[str] | None = None,
    ) -> None:
        self._bot = bot
        self._sessions = sessions
        self._clock = clock
        self._on_stored = on_stored
        self._poll_timeout = poll_timeout
        self._allowed_updates = list(allowed_updates) if allowed_updates is not None else None
        self._offset: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._running = False
        self.stored = 0

    async def start(self) -> None:
        # A webhook left behind would make every getUpdates fail with 409.
        await self._bot.delete_webhook(drop_pending_updates=False)
        self._running = True
        self._task = asyncio.create_task(self._run(), name="inbox-fetcher")

    async def stop(self) -> None:
        """Stop polling and confirm what was stored, so Telegram does not send it again."""
        self._running = False
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._offset is not None:
            try:
                await self._get_updates(wait=0, limit=1)
            except TelegramError as exc:  # harmless: a restart stores those updates once
                log.info("Could not confirm the last updates on shutdown: %s", exc)

    async def _get_updates(self, *, wait: int, limit: int = 100) -> tuple[Update, ...]:
        # The read timeout must outlast the long poll itself.
        return await self._bot.get_updates(
            offset=self._offset,
            limit=limit,
            timeout=wait,
            allowed_updates=self._allowed_updates,
            read_timeout=wait + 10.0,
        )

    async def _run(self) -> None:
        network = Episode("Fetching updates")
        while self._running:
            try:
                batch = await self._get_updates(wait=self._poll_timeout)
                network.succeeded()
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc.retry_after))
                continue
            except InvalidToken:
                log.critical("Telegram refused the bot token; polling stops")
                raise
            except (NetworkError, Conflict) as exc:  # TimedOut is a NetworkError
                await asyncio.sleep(network.failed(exc))
                continue
            except TelegramError as exc:  # a 5xx from Telegram
                await asyncio.sleep(network.failed(exc))
                continue
            if not batch:
                continue
            # The inbox stores each update's Bot API JSON; the processor is handed the parsed
            # updates too, so it reads the JSON back only for what it did not get from here.
            new = await self._store([update.to_dict() for update in batch])
            self._offset = batch[-1].update_id + 1
            self.stored += len(new)
            self._on_stored(new, batch)

    async def _store(self, batch: list[dict[str, Any]]) -> list[inbox.Claimed]:
        """Commit the batch, retrying until the database takes it: the offset waits."""
        database = Episode("Storing fetched updates")
        while True:
            try:
                async with self._sessions() as session, session.begin():
                    new = await inbox.store_batch(session, batch, self._clock.now())
            except (SQLAlchemyError, OSError) as exc:
                await asyncio.sleep(database.failed(exc))
                continue
            database.succeeded()
            return new


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
