"""Migrations and the users repository on SQLite and PostgreSQL (real servers, no mocks)."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import users
from bot.db.engine import alembic_config, migrate, session_factory
from bot.db.models import User


async def test_migrations_create_the_schema_and_are_rerunnable(engine: AsyncEngine) -> None:
    await migrate(engine)
    await migrate(engine)  # a restart runs them again: nothing to do, no error
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    assert {"users", "alembic_version"} <= set(tables)


async def test_downgrade_to_base_and_back(engine: AsyncEngine) -> None:
    await migrate(engine)

    def down(sync_conn: object) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        command.downgrade(cfg, "base")

    async with engine.begin() as conn:
        await conn.run_sync(down)
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    assert "users" not in names
    await migrate(engine)


async def test_touch_inserts_once_and_refreshes(engine: AsyncEngine) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    seen = users.SeenUser(id=42, chat_id=42, first_name="Ada", username="ada")
    first = datetime(2026, 1, 1, tzinfo=UTC)
    later = datetime(2026, 2, 1, tzinfo=UTC)
    async with sessions() as session, session.begin():
        assert await users.touch(session, seen, now=first) is True
    async with sessions() as session, session.begin():
        renamed = users.SeenUser(id=42, chat_id=42, first_name="Ada L.", username=None)
        assert await users.touch(session, renamed, now=later) is False
    async with sessions() as session:
        assert await users.count(session) == 1
        user = await session.get(User, 42)
        assert user is not None
        assert user.first_name == "Ada L."
        assert user.username is None
        assert user.last_seen_at == later  # aware on every backend (UtcDateTime)
        assert user.last_seen_at.tzinfo is not None
        assert user.created_at == first
