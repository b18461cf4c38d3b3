"""Polling with several instances: only the one holding the poller lock calls getUpdates.

Two pollers on one token get 409 Conflict from Telegram and take turns by accident of back-off.
Instead every instance tries the database's instance lock (bot/db/engine.py:InstanceLock: a
PostgreSQL advisory lock, released by the server when the holder's connection dies) every
``retry_seconds``; the holder runs the fetcher, which stores updates in the shared inbox, where
every instance's processor handles them. When the poller dies another instance holds the lock
within ``retry_seconds`` of the server noticing (at once for a killed process; a few seconds of
TCP keepalive for a vanished host). The holder checks its connection as often and stops polling
when it lost it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram.error import TelegramError

from bot.db.engine import InstanceLock
from bot.telegram.inbox.fetcher import Fetcher

log = logging.getLogger(__name__)


class PollerElection:
    def __init__(self, lock: InstanceLock, fetcher: Fetcher, retry_seconds: float = 3.0) -> None:
        self._lock = lock
        self._fetcher = fetcher
        self._retry_seconds = retry_seconds
        self._task: asyncio.Task[None] | None = None
        self.polling = False

    async def start(self) -> None:
        # The first try is made before returning, so a lone instance polls at once.
        await self._step()
        self._task = asyncio.create_task(self._run(), name="poller-election")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.polling:
            await self._fetcher.stop()
            self.polling = False
        await self._lock.release()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._retry_seconds)
            await self._step()

    async def _step(self) -> None:
        try:
            if not self.polling:
                if await self._lock.try_acquire():
                    log.info("This instance is the poller now")
                    try:
                        await self._fetcher.start()
                    except BaseException:
                        await self._lock.release()  # let another instance try
                        raise
                    self.polling = True
            elif not await self._lock.still_held():
                log.warning("Lost the poller lock (database connection); polling stops")
                await self._fetcher.stop()
                self.polling = False
        except (SQLAlchemyError, OSError, TelegramError) as exc:
            log.warning("Poller election failed, retrying: %s", exc)
