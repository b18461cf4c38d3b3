"""Webhook delivery: setWebhook/getWebhookInfo/deleteWebhook, POSTs, retries, round robin, order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import telegram
from aiohttp import web
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.emulator import BotApiEmulator
from bot.emulator.webhook import SECRET_HEADER
from tests.emulator.conftest import CHAT, call


class Backend:
    """A bot instance's webhook listener: records each POST, answers with the queued statuses."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []  # (update, secret header)
        self.statuses: list[int] = []  # answers to give first; then 200
        self.reply_body = b""
        self.hold: asyncio.Event | None = None  # when set, answers wait for it
        self.url = ""
        self._arrived = asyncio.Event()
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/hook"

    async def stop(self) -> None:
        if self.hold is not None:
            self.hold.set()  # a held answer would keep the server's shutdown waiting
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        self.received.append((await request.json(), request.headers.get(SECRET_HEADER)))
        self._arrived.set()
        if self.hold is not None:
            await self.hold.wait()
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status, body=self.reply_body)

    async def wait_for_posts(self, count: int) -> None:
        """The emulator is not told what a backend received: wait on the backend itself."""
        async with asyncio.timeout(5):
            while len(self.received) < count:
                self._arrived.clear()
                await self._arrived.wait()

    def update_ids(self) -> list[int]:
        return [update["update_id"] for update, _ in self.received]


@pytest.fixture
async def backends() -> AsyncIterator[list[Backend]]:
    started = [Backend(), Backend()]
    for backend in started:
        await backend.start()
    yield started
    for backend in started:
        await backend.stop()


async def test_updates_are_posted_with_the_secret_and_polling_is_refused(
    emu: BotApiEmulator, http: httpx.AsyncClient, backends: list[Backend]
) -> None:
    backend = backends[0]
    status, body = await call(http, "setWebhook", url=backend.url, secret_token="s3cret-token_1")
    assert (status, body["result"]) == (200, True)
    sent = emu.user_sends("hello")
    await emu.wait_for(lambda: emu.pending_updates() == 0)
    [(update, secret)] = backend.received
    assert update["message"] == sent
    assert secret == "s3cret-token_1"

    status, body = await call(http, "getUpdates")
    assert status == 409
    assert body["description"].startswith("Conflict: can't use getUpdates method while webhook")
    assert emu.conflicts == 1
    _, info = await call(http, "getWebhookInfo")
    assert info["result"] == {
        "url": backend.url,
        "has_custom_certificate": False,
        "pending_update_count": 0,
        "max_connections": 40,
    }


async def test_a_long_poll_waiting_when_the_webhook_is_set_gets_409_not_the_update(
    emu: BotApiEmulator, http: httpx.AsyncClient, backends: list[Backend]
) -> None:
    poll = asyncio.create_task(http.post("getUpdates", data={"timeout": 30}, timeout=40))
    await emu.wait_for(lambda: emu.waiting_polls == 1)
    async with httpx.AsyncClient(base_url=f"{emu.base_url}{emu.token}/") as other:
        await call(other, "setWebhook", url=backends[0].url)
    emu.user_sends("hello")
    response = await poll
    assert response.status_code == 409
    await emu.wait_for(lambda: emu.pending_updates() == 0)
    assert [u["message"]["text"] for u, _ in backends[0].received] == ["hello"]  # once
    # A refused getUpdates confirms nothing, even with an offset.
    emu.set_webhook_backends([], retry_delay=60)
    backends[0].statuses = [500]
    emu.user_sends("later")
    await backends[0].wait_for_posts(2)
    assert (await call(http, "getUpdates", offset=10**6))[0] == 409
    assert emu.pending_updates() == 1


async def test_a_failed_delivery_is_retried_until_2xx_and_reported(
    emu: BotApiEmulator, http: httpx.AsyncClient, backends: list[Backend]
) -> None:
    backend = backends[0]
    backend.statuses = [500, 502]
    emu.set_webhook_backends([backend.url], retry_delay=0.01)
    await call(http, "setWebhook", url="https://bot.example.com/telegram")
    emu.user_sends("hello")
    await emu.wait_for(lambda: emu.pending_updates() == 0)
    assert len(set(backend.update_ids())) == 1
    assert len(backend.received) == 3
    assert [status for _, _, status in emu.webhook_deliveries] == [500, 502, 200]
    _, info = await call(http, "getWebhookInfo")
    assert info["result"]["url"] == "https://bot.example.com/telegram"
    last_error = info["result"]["last_error_message"]
    assert last_error == "Wrong response from the webhook: 502 Bad Gateway"


async def test_round_robin_over_backends_and_a_dead_one_is_retried_on_the_next(
    emu: BotApiEmulator, http: httpx.AsyncClient, backends: list[Backend]
) -> None:
    dead = Backend()
    await dead.start()
    dead_url = dead.url
    await dead.stop()  # nothing listens there any more: connection refused
    emu.set_webhook_backends([backends[0].url, backends[1].url, dead_url], retry_delay=0.01)
    await call(http, "setWebhook", url="https://bot.example.com/telegram")
    for chat in (1001, 1002, 1003, 1004, 1005, 1006):
        emu.user_sends(f"from {chat}", chat_id=chat)
    await emu.wait_for(lambda: emu.pending_updates() == 0)
    delivered = backends[0].update_ids() + backends[1].update_ids()
    assert sorted(delivered) == list(range(100_001, 100_007))  # each once
    assert len(backends[0].received) >= 2
    assert len(backends[1].received) >= 2
    refused = [d for d in emu.webhook_deliveries if d[0] == dead_url]
    assert refused
    assert all(status is None for _, _, status in refused)


async def test_one_chat_is_delivered_in_order_other_chats_do_not_wait(
    emu: BotApiEmulator, http: httpx.AsyncClient, backends: list[Backend]
) -> None:
    slow, fast = backends
    slow.hold = asyncio.Event()
    emu.set_webhook_backends([slow.url, fast.url], retry_delay=0.01)
    await call(http, "setWebhook", url="https://bot.example.com/telegram")
    emu.user_sends("first", chat_id=1001)  # goes to the slow backend, which holds it
    await slow.wait_for_posts(1)
    emu.user_sends("second", chat_id=1001)
    emu.user_sends("other chat", chat_id=2002)
    await fast.wait_for_posts(1)
    [(other, _)] = fast.received
    assert other["message"]["text"] == "other chat"  # chat 1001's second waits for its first
    await asyncio.sleep(0.05)
    assert emu.pending_updates() == 2
    slow.hold.set()
    await emu.wait_for(lambda: emu.pending_updates() == 0)
    texts = [u["message"]["text"] for u, _ in slow.received + fast.received]
    assert texts.index("first") < texts.index("second")


async def test_a_method_in_the_webhook_answer_is_refused_not_ignored(
    emu: BotApiEmulator, http: httpx.AsyncClient, backends: list[Backend]
) -> None:
    backend = backends[0]
    backend.reply_body = b'{"method": "sendMessage", "chat_id": 1001, "text": "hi"}'
    emu.set_webhook_backends([backend.url])
    await call(http, "setWebhook", url="https://bot.example.com/telegram")
    emu.user_sends("hello")
    await emu.wait_for(lambda: emu.pending_updates() == 0)
    [refused] = emu.rejected
    assert refused.method == "sendMessage"
    assert "not emulated" in refused.description
    assert emu.messages() == []


async def test_no_more_posts_at_once_than_max_connections(
    emu: BotApiEmulator, http: httpx.AsyncClient, backends: list[Backend]
) -> None:
    backend = backends[0]
    backend.hold = asyncio.Event()
    emu.set_webhook_backends([backend.url])
    await call(http, "setWebhook", url="https://bot.example.com/telegram", max_connections=2)
    for chat in range(1001, 1006):
        emu.user_sends("hi", chat_id=chat)
    await backend.wait_for_posts(2)
    await asyncio.sleep(0.05)  # time for a third POST, were one allowed
    assert len(backend.received) == 2
    backend.hold.set()
    await emu.wait_for(lambda: emu.pending_updates() == 0)
    assert sorted(backend.update_ids()) == list(range(100_001, 100_006))


async def test_delete_webhook_returns_to_polling_and_can_drop_the_queue(
    emu: BotApiEmulator, http: httpx.AsyncClient, backends: list[Backend]
) -> None:
    backend = backends[0]
    backend.statuses = [503] * 1000
    emu.set_webhook_backends([backend.url], retry_delay=0.01)
    await call(http, "setWebhook", url="https://bot.example.com/telegram")
    emu.user_sends("never accepted by the webhook")
    await backend.wait_for_posts(2)
    assert (await call(http, "deleteWebhook"))[1]["result"] is True
    status, body = await call(http, "getUpdates")
    assert status == 200
    assert [u["message"]["text"] for u in body["result"]] == ["never accepted by the webhook"]
    _, info = await call(http, "getWebhookInfo")
    assert info["result"]["url"] == ""

    await call(http, "setWebhook", url="https://bot.example.com/telegram")
    emu.user_sends("dropped")
    await call(http, "deleteWebhook", drop_pending_updates=True)
    assert emu.pending_updates() == 0


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"url": "http://bot.example.com/hook"}, "HTTPS url must be provided"),
        ({"url": "https://bot.example.com:8080/hook"}, "ports 80, 88, 443 or 8443"),
        ({"url": "https://bot.example.com/hook", "secret_token": "no spaces"}, "unallowed"),
        ({"url": "https://bot.example.com/hook", "max_connections": 101}, "max_connections"),
        ({"url": "https://bot.example.com/hook", "allowed_updates": '["nope"]'}, "unknown"),
    ],
)
async def test_set_webhook_refuses_what_telegram_refuses(
    emu: BotApiEmulator, http: httpx.AsyncClient, params: dict[str, Any], error: str
) -> None:
    status, body = await call(http, "setWebhook", **params)
    assert status == 400
    assert error in body["description"]
    assert emu.webhook_url is None


async def test_ptb_reads_the_webhook_info(
    emu: BotApiEmulator, bot: telegram.Bot, backends: list[Backend]
) -> None:
    emu.set_webhook_backends([backends[0].url])
    assert await bot.set_webhook(
        "https://bot.example.com/tg", secret_token="abc", allowed_updates=["message"]
    )
    info = await bot.get_webhook_info()
    assert (info.url, info.allowed_updates, info.max_connections) == (
        "https://bot.example.com/tg",
        ("message",),
        40,
    )
    emu.user_sends("hi", chat_id=CHAT)
    await emu.wait_for(lambda: emu.pending_updates() == 0)
    assert backends[0].received[0][1] == "abc"
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert emu.rejected == []


async def test_a_ptb_application_behind_an_aiohttp_webhook_answers(emu: BotApiEmulator) -> None:
    """The shape of the bot's webhook mode: aiohttp receives, PTB's update queue handles."""
    app = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .updater(None)
        .build()
    )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"got {update.effective_message.text}")

    async def receive(request: web.Request) -> web.Response:
        if request.headers.get(SECRET_HEADER) != "k3y":
            return web.Response(status=403)
        await app.update_queue.put(Update.de_json(await request.json(), app.bot))
        return web.Response()

    listener = web.Application()
    listener.router.add_post("/tg", receive)
    runner = web.AppRunner(listener, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    app.add_handler(MessageHandler(filters.TEXT, echo))
    try:
        async with app:
            await app.start()
            assert await app.bot.set_webhook(f"http://127.0.0.1:{port}/tg", secret_token="k3y")
            emu.user_sends("hello")
            emu.user_sends("again", chat_id=2002)
            replies = await emu.wait_for_messages(2)
            assert sorted(m.text for m in replies) == ["got again", "got hello"]
            await app.bot.delete_webhook()
            await app.stop()
    finally:
        await runner.cleanup()
    assert [status for _, _, status in emu.webhook_deliveries] == [200, 200]
    assert emu.rejected == []
