"""Webhook mode end to end: the emulator posts each update to the bot's aiohttp server, which
answers 200 only once the update is in the inbox; wrong secrets, bad bodies and a database that
is away change nothing. Both backends."""

from __future__ import annotations

import asyncio
import io
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import text

from bot.core.clock import FixedClock
from bot.core.content import ContentStore
from bot.db import inbox
from bot.db.engine import create_engine, session_factory
from bot.emulator import BotApiEmulator
from bot.logs import setup_logging
from bot.settings import Settings
from bot.telegram.app import (
    LegworkApp,
    build_application,
    inbox_of,
    services_of,
    stop_polling,
    webhook_options,
)
from bot.telegram.inbox import WebhookOptions
from bot.telegram.inbox.webhook import SECRET_HEADER, WebhookServer
from tests.e2e.chat import say
from tests.e2e.conftest import TOKEN, start_watched
from tests.e2e.processes import free_port, start_bot

SECRET = "s3cret_token-for-tests"


@pytest.fixture
async def webhook_app(
    emulator: BotApiEmulator,
    store: ContentStore,
    database_url: str,
    clock: FixedClock,
    log_output: io.StringIO,
) -> AsyncIterator[tuple[LegworkApp, str]]:
    # As the command line does: the secret is scrubbed like the token (PTB logs setWebhook's
    # parameters at DEBUG).
    logging.getLogger().handlers.clear()
    setup_logging("DEBUG", secrets=(TOKEN, SECRET), stream=log_output)
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        webhook_url=url,
        webhook_secret=SecretStr(SECRET),
        webhook_listen=f"127.0.0.1:{port}",
    )
    application = build_application(
        token=emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        store=store,
        database_url=database_url,
        settings=settings,
        clock=clock,
    )
    await start_watched(emulator, application)
    try:
        yield application, url
    finally:
        await stop_polling(application)
    assert SECRET not in log_output.getvalue()


async def _pending_and_handled(app: LegworkApp) -> dict[str, int]:
    async with services_of(app).sessions() as session:
        return await inbox.counts(session)


async def test_updates_arrive_by_webhook_and_are_answered_once(
    emulator: BotApiEmulator, webhook_app: tuple[LegworkApp, str]
) -> None:
    app, url = webhook_app
    assert emulator.webhook_url == url
    assert emulator.calls("getUpdates") == []  # no polling at all in webhook mode
    [reply] = await say(emulator, "how do I do a glute bridge")
    assert reply.text.startswith("Glute bridge")
    [reply] = await say(emulator, "what do lunges work", chat=2002)
    assert reply.text.startswith("Lunge")
    assert await _pending_and_handled(app) == {"handled": 2}
    server = inbox_of(app).webhook
    assert server is not None
    assert server.stored == 2


async def test_a_wrong_or_missing_secret_is_refused_and_changes_nothing(
    webhook_app: tuple[LegworkApp, str],
) -> None:
    app, url = webhook_app
    update = {"update_id": 990001, "message": {"message_id": 1, "date": 0,
              "chat": {"id": 5, "type": "private"}, "text": "hi"}}  # fmt: skip
    async with httpx.AsyncClient() as client:
        missing = await client.post(url, json=update)
        wrong = await client.post(url, json=update, headers={SECRET_HEADER: "nope"})
        not_json = await client.post(url, content=b"{", headers={SECRET_HEADER: SECRET})
        health = await client.get(url.rsplit("/", 2)[0] + "/healthz")
    assert (missing.status_code, wrong.status_code) == (401, 401)
    assert not_json.status_code == 400
    assert health.status_code == 200
    async with services_of(app).sessions() as session:
        assert await inbox.row(session, 990001) is None
    assert await _pending_and_handled(app) == {}


async def test_a_database_that_is_away_answers_5xx_so_telegram_sends_again(
    emulator: BotApiEmulator, webhook_app: tuple[LegworkApp, str], clock: FixedClock
) -> None:
    """A second server on a database that does not answer: the update is refused with 503
    (and stored nowhere), and /healthz says 503."""
    app, _ = webhook_app
    port = free_port()
    dead = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    options = WebhookOptions(f"http://127.0.0.1:{port}/h", "/h", SECRET, "127.0.0.1", port)
    sessions = session_factory(dead)
    server = WebhookServer(app.bot, sessions, clock, lambda rows, parsed: None, options)
    await server.start()
    update = {"update_id": 990002, "message": {"message_id": 1, "date": 0,
              "chat": {"id": 5, "type": "private"}, "text": "hi"}}  # fmt: skip
    try:
        async with httpx.AsyncClient() as client:
            refused = await client.post(options.url, json=update, headers={SECRET_HEADER: SECRET})
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
    finally:
        await server.stop()
        await dead.dispose()
        # Point the emulator back at the bot's own server for the fixture's teardown.
        await app.bot.set_webhook(webhook_app[1], secret_token=SECRET)
    assert (refused.status_code, health.status_code) == (503, 503)
    assert await _pending_and_handled(app) == {}
    assert emulator.webhook_url == webhook_app[1]


async def test_a_redelivered_update_is_stored_and_answered_once(
    emulator: BotApiEmulator, webhook_app: tuple[LegworkApp, str]
) -> None:
    """Telegram may post an update again (a 200 lost on the way): the inbox keys on update_id."""
    app, url = webhook_app
    update = {"update_id": 990003, "message": {"message_id": 77, "date": 0,
              "from": {"id": 3003, "is_bot": False, "first_name": "R"},
              "chat": {"id": 3003, "type": "private"},
              "text": "what do calf raises work"}}  # fmt: skip
    emulator.user_sends("hello", chat_id=3003)  # the emulator knows the chat
    await emulator.wait_for_messages(1, chat_id=3003)
    await emulator.wait_until_idle()
    async with httpx.AsyncClient() as client:
        for _ in range(3):
            answer = await client.post(url, json=update, headers={SECRET_HEADER: SECRET})
            assert answer.status_code == 200
    await emulator.wait_for_messages(2, chat_id=3003)
    await emulator.wait_until_idle()
    assert len(emulator.messages(3003)) == 2
    async with services_of(app).sessions() as session:
        handled = await session.execute(text("SELECT count(*) FROM inbox WHERE update_id = 990003"))
        assert handled.scalar_one() == 1


def test_webhook_settings_need_a_secret_and_a_listen_address() -> None:
    from bot.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="WEBHOOK_SECRET: is required"):
        load_settings(_env_file=None, webhook_url="https://bot.example.com/tg")
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        load_settings(_env_file=None, webhook_url="https://x.example/tg", webhook_secret="a b")
    with pytest.raises(SettingsError, match="WEBHOOK_LISTEN"):
        load_settings(_env_file=None, webhook_listen="8443")
    with pytest.raises(SettingsError, match="WEBHOOK_URL"):
        load_settings(_env_file=None, webhook_url="bot.example.com/tg", webhook_secret="abc")
    good = load_settings(
        _env_file=None, webhook_url="https://x.example/tg/in", webhook_secret="abc",
        webhook_listen="127.0.0.1:9000",
    )  # fmt: skip
    options = webhook_options(good)
    assert options is not None
    assert (options.path, options.host, options.port) == ("/tg/in", "127.0.0.1", 9000)
    assert webhook_options(load_settings(_env_file=None)) is None


async def test_a_listen_address_in_use_stops_the_bot_with_one_line(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        log = tmp_path / "bot.log"
        bot = await start_bot(
            emulator.token, emulator.base_url, tmp_path, log,
            WEBHOOK_URL=f"http://127.0.0.1:{port}/hook", WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        )  # fmt: skip
        assert await asyncio.wait_for(bot.wait(), timeout=30) == 2
    [line] = [line for line in log.read_text().splitlines() if line.startswith("legwork:")]
    assert f"cannot listen on 127.0.0.1:{port} for the webhook" in line
    assert "WEBHOOK_LISTEN" in line
    assert SECRET not in log.read_text()
    assert emulator.webhook_url is None  # setWebhook is called only once it listens
