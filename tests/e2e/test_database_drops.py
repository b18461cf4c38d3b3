"""PostgreSQL drops the bot's connections (a server restart, a failover, a firewall): the next
updates are still answered, once each, and nothing is lost."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from bot.db import inbox
from bot.db.engine import create_engine
from bot.emulator import BotApiEmulator
from bot.telegram.app import LegworkApp, services_of
from tests.e2e.chat import say

pytestmark = pytest.mark.postgres


async def _drop_the_bots_connections(database_url: str) -> int:
    """Terminate every server connection to the bot's database (from a connection of our own)."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            dropped = await connection.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    finally:
        await engine.dispose()
    return int(dropped or 0)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_questions_and_reports_after_the_server_dropped_every_connection(
    app: LegworkApp, emulator: BotApiEmulator, database_url: str, log_output: io.StringIO
) -> None:
    await say(emulator, "how do I do a glute bridge")  # the pool holds warm connections now
    assert await _drop_the_bots_connections(database_url) >= 1

    replies = await say(emulator, "what do lunges work")
    assert "lunge" in replies[0].text.lower()
    replies = await say(emulator, "3x10 goblet squats 16kg")
    assert "goblet squat" in replies[0].text.lower()
    async with services_of(app).sessions() as session:
        states = await inbox.counts(session)
    assert states == {"handled": 3}  # each once; none failed or left pending
    # A recovered transient failure is a WARNING at most, never an ERROR with a traceback.
    assert " ERROR " not in log_output.getvalue()
