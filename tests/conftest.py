"""Shared fixtures: the real content store, real databases (SQLite file, PostgreSQL when one
answers), never mocks."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.answering import Answerer
from bot.core.content import ContentStore, load_store
from bot.db.engine import create_engine

ROOT = Path(__file__).resolve().parents[1]

POSTGRES_URL = os.environ.get(
    "LEGWORK_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def store() -> ContentStore:
    return load_store(ROOT / "data")


@pytest.fixture(scope="session")
def answerer(store: ContentStore) -> Answerer:
    return Answerer(store)


def _postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def _skip_or_fail_without_postgres() -> None:
    if _postgres_reachable():
        return
    if os.environ.get("LEGWORK_REQUIRE_POSTGRES") == "1":
        pytest.fail("LEGWORK_REQUIRE_POSTGRES=1 but no PostgreSQL answers on 127.0.0.1:5432")
    pytest.skip("no PostgreSQL server on 127.0.0.1:5432")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database on each backend. PostgreSQL gets a private schema per test."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'legwork.db'}"
        return
    _skip_or_fail_without_postgres()
    name = f"legwork_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(database_url)
    try:
        yield eng
    finally:
        await eng.dispose()
