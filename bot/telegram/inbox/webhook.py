"""Webhook mode: an aiohttp server on the bot's event loop that stores each POSTed update in the
inbox before answering 200.

Telegram delivers an update again until it gets a 2xx, so the 200 is the confirmation the
fetcher's offset is in polling mode: it goes out only after the update is committed
(bot/db/inbox.py:store_batch; an update delivered twice is stored once). A request without the
right ``X-Telegram-Bot-Api-Secret-Token`` is refused with 401 and changes nothing; a body that is
not an update gets 400; any failure to store answers 503, and Telegram retries. ``GET /healthz``
answers 200 while the instance runs and its database answers a query, 503 otherwise, for the
load balancer in front of several instances.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, Update

from bot.core.clock import Clock
from bot.db import inbox

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
HEALTH_TIMEOUT = 3.0


@dataclass(frozen=True, slots=True)
class WebhookOptions:
    url: str  # the public URL Telegram posts to; its path is the one served
    path: str
    secret: str
    host: str
    port: int
    max_connections: int = 40


class WebhookServer:
    def __init__(
        self,
        bot: Bot,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        on_stored: Callable[[list[inbox.Claimed], Sequence[Update]], None],
        options: WebhookOptions,
        allowed_updates: Sequence[str] | None = None,
    ) -> None:
        self._bot = bot
        self._sessions = sessions
        self._clock = clock
        self._on_stored = on_stored
        self._options = options
        self._allowed_updates = list(allowed_updates) if allowed_updates is not None else None
        self._runner: web.AppRunner | None = None
        self._failing = False  # log a run of store failures once, not once per request
        self.stored = 0

    async def start(self) -> None:
        """Listen first, then tell Telegram where to post (it may post at once)."""
        app = web.Application()
        app.router.add_post(self._options.path, self._receive)
        app.router.add_get(HEALTH_PATH, self._health)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self._options.host, self._options.port).start()
            await self._bot.set_webhook(
                self._options.url,
                secret_token=self._options.secret,
                allowed_updates=self._allowed_updates,
                max_connections=self._options.max_connections,
            )
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        log.info(
            "Webhook mode: serving %s on %s:%d", self._options.path, self._options.host,
            self._options.port,
        )  # fmt: skip

    async def stop(self) -> None:
        """Stop accepting; requests being stored finish. The webhook stays set: the other
        instances (or this one, restarted) keep receiving."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._options.secret.encode()):
            return web.Response(status=401, text="wrong or missing secret token")
        try:
            raw: Any = await request.json()
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        try:
            async with self._sessions.begin() as session:
                new = await inbox.store_batch(session, [raw], self._clock.now())
        except Exception as exc:  # anything before the commit: Telegram must send it again
            if not self._failing:
                log.error("Could not store a webhook update; answering 503: %s", exc)
            self._failing = True
            return web.Response(status=503, text="not stored, send it again")
        if self._failing:
            log.warning("Storing webhook updates works again")
            self._failing = False
        self.stored += len(new)
        self._on_stored(new, ())
        return web.Response(text="ok")

    async def _health(self, _request: web.Request) -> web.Response:
        if self._runner is None:
            return web.Response(status=503, text="stopping")
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT), self._sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as exc:  # the database, whatever went wrong with it
            return web.Response(status=503, text=f"database: {type(exc).__name__}")
        return web.Response(text="ok")
