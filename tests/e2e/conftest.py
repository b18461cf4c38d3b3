"""End-to-end rig: the real Application, over real HTTP, against the local Bot API emulator, with
a real database: every test that takes ``app`` (or ``database_url``) runs on SQLite and on
PostgreSQL (tests/conftest.py). Time comes from ``clock``, a FixedClock tests move forward.
Every test also checks the emulator refused nothing the bot sent and the token never reached a
log line."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest

from bot.core.clock import FixedClock
from bot.core.content import ContentStore
from bot.emulator import BotApiEmulator
from bot.logs import setup_logging
from bot.telegram.app import (
    LegworkApp,
    build_application,
    inbox_of,
    start_polling,
    stop_polling,
)

TOKEN = "123456:" + "E2eTestTokenXYZ" * 3
MONDAY_6AM_BERLIN = datetime(2027, 1, 4, 5, 0, tzinfo=UTC)


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
def clock() -> FixedClock:
    return FixedClock(MONDAY_6AM_BERLIN)


@pytest.fixture
async def app(
    emulator: BotApiEmulator,
    store: ContentStore,
    database_url: str,
    clock: FixedClock,
    log_output: io.StringIO,
) -> AsyncIterator[LegworkApp]:
    application = build_application(
        token=emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        store=store,
        database_url=database_url,
        poll_timeout=1,
        clock=clock,
    )
    await start_watched(emulator, application)
    try:
        yield application
    finally:
        await stop_polling(application)
