"""End-to-end rig: the real Application, over real HTTP, against the local Bot API emulator, with
a real SQLite database. Every test also checks the emulator refused nothing the bot sent."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.application import (
    LegworkApp,
    build_application,
    inbox_of,
    start_polling,
    stop_polling,
)
from bot.core.content import ContentStore
from bot.emulator import BotApiEmulator
from bot.logs import setup_logging

TOKEN = "123456:" + "E2eTestTokenXYZ" * 3
CHAT = 1001


async def start_watched(emulator: BotApiEmulator, app: LegworkApp) -> None:
    """Start ``app`` polling the emulator, whose ``wait_until_idle`` then also waits for the
    bot's inbox to be idle: an update's transaction commits after its last reply, so a test that
    reads the database right after a reply would otherwise race that commit."""
    await start_polling(app)
    processor = inbox_of(app).processor
    emulator.idle_checks.append(lambda: not processor.busy)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything the bot logs, at DEBUG, through the production formatter."""
    stream = io.StringIO()
    setup_logging("DEBUG", secrets=(TOKEN,), stream=stream)
    yield stream
    logging.getLogger().handlers.clear()
    assert TOKEN not in stream.getvalue()


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN) as emu:
        yield emu
        assert emu.rejected == [], emu.rejected


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"


@pytest.fixture
async def bot_app(
    emulator: BotApiEmulator, store: ContentStore, database_url: str, log_output: io.StringIO
) -> AsyncIterator[LegworkApp]:
    app = build_application(
        token=emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        store=store,
        database_url=database_url,
        poll_timeout=1,
    )
    await start_watched(emulator, app)
    try:
        yield app
    finally:
        await stop_polling(app)
