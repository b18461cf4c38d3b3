"""Migrations and repositories on SQLite and PostgreSQL (real servers, no mocks)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import inbox, users
from bot.db.engine import alembic_config, create_engine, migrate, session_factory
from bot.db.models import Base, InboxUpdate, User

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _message(update_id: int, chat_id: int, text_: str = "hi") -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "R"},
            "text": text_,
        },
    }


async def test_migrations_create_the_schema_and_are_rerunnable(engine: AsyncEngine) -> None:
    await migrate(engine)
    await migrate(engine)  # a restart runs them again: nothing to do, no error
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    assert {"users", "inbox", "alembic_version"} <= set(tables)


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    await migrate(engine)

    def diff(sync: Connection) -> list[Any]:
        context = MigrationContext.configure(sync, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


# PostgreSQL only: on SQLite a second process is refused before it migrates (one process per
# file: tests/e2e/test_sqlite_one_process.py).
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_instances_migrating_at_once_both_start(database_url: str) -> None:
    engines = [create_engine(database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(migrate(e) for e in engines))
        async with engines[0].connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert len(versions) == 1
    finally:
        for e in engines:
            await e.dispose()


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
    assert "inbox" not in names
    await migrate(engine)


async def test_touch_inserts_once_and_refreshes_only_when_needed(engine: AsyncEngine) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    seen = users.SeenUser(id=42, chat_id=42, first_name="Ada", username="ada")
    async with sessions.begin() as session:
        await users.touch(session, seen, now=T0)
    # Unchanged and seen a minute ago: the row is left alone (last_seen_at stays T0).
    async with sessions.begin() as session:
        await users.touch(session, seen, now=T0 + timedelta(minutes=1))
    async with sessions() as session:
        user = await session.get(User, 42)
        assert user is not None
        assert user.last_seen_at == T0
    # A new name is written at once; created_at never moves.
    later = T0 + timedelta(minutes=2)
    async with sessions.begin() as session:
        renamed = users.SeenUser(id=42, chat_id=42, first_name="Ada L.", username=None)
        await users.touch(session, renamed, now=later)
    async with sessions() as session:
        assert await users.count(session) == 1
        user = await session.get(User, 42)
        assert user is not None
        assert (user.first_name, user.username) == ("Ada L.", None)
        assert user.last_seen_at == later  # aware on every backend (UtcDateTime)
        assert user.created_at == T0
    # Stale last_seen_at: written again though nothing else changed.
    stale = later + users.SEEN_PRECISION + timedelta(seconds=1)
    async with sessions.begin() as session:
        await users.touch(session, renamed, now=stale)
    async with sessions() as session:
        user = await session.get(User, 42)
        assert user is not None
        assert user.last_seen_at == stale


async def test_blocked_user_is_unblocked_when_they_write_again(engine: AsyncEngine) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    seen = users.SeenUser(id=7, chat_id=7, first_name="Bo")
    async with sessions.begin() as session:
        await users.touch(session, seen, now=T0)
        await users.mark_blocked(session, 7, T0)
    async with sessions() as session:
        user = await session.get(User, 7)
        assert user is not None
        assert user.blocked_at == T0
    async with sessions.begin() as session:
        await users.touch(session, seen, now=T0 + timedelta(seconds=5))
    async with sessions() as session:
        user = await session.get(User, 7)
        assert user is not None
        assert user.blocked_at is None


async def test_two_sessions_seeing_a_new_user_at_once_do_not_clash(engine: AsyncEngine) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    seen = users.SeenUser(id=99, chat_id=99, first_name="Cy")

    async def one() -> None:
        async with sessions.begin() as session:
            await users.touch(session, seen, now=T0)

    await asyncio.gather(*(one() for _ in range(5)))
    async with sessions() as session:
        assert await users.count(session) == 1


async def test_inbox_stores_a_batch_once(engine: AsyncEngine) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    batch = [_message(1, 10), _message(2, 11), _message(3, 10)]
    async with sessions.begin() as session:
        new = await inbox.store_batch(session, batch, T0)
    assert [(c.update_id, c.chat_id) for c in new] == [(1, 10), (2, 11), (3, 10)]
    async with sessions.begin() as session:  # Telegram sent the batch again
        new = await inbox.store_batch(session, [*batch, _message(4, 12)], T0)
    assert [c.update_id for c in new] == [4]  # only what was not stored yet
    async with sessions() as session:
        assert await inbox.counts(session) == {"pending": 4}
        assert await inbox.pending_chats(session) == [10, 11, 12]
        stored = await inbox.row(session, 3)
        assert stored is not None
        assert stored.raw["message"]["text"] == "hi"
        assert stored.chat_id == 10
        assert stored.received_at == T0


async def test_inbox_claims_in_order_per_chat_and_counts_failures(engine: AsyncEngine) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    async with sessions.begin() as session:
        await inbox.store_batch(session, [_message(1, 10), _message(2, 10)], T0)
    async with sessions.begin() as session:
        first = await inbox.claim_next(session, 10)
        assert first is not None
        assert (first.update_id, first.attempts) == (1, 0)
        assert await inbox.record_failure(session, 1, "boom", 2, T0) is False
    async with sessions.begin() as session:
        again = await inbox.claim_next(session, 10)
        assert again is not None
        assert (again.update_id, again.attempts) == (1, 1)  # still first in line
        assert await inbox.record_failure(session, 1, "boom", 2, T0) is True
    async with sessions.begin() as session:
        second = await inbox.claim_next(session, 10)
        assert second is not None
        assert second.update_id == 2
        await inbox.mark_handled(session, 2, T0)
    async with sessions() as session:
        assert await inbox.claim_next(session, 10) is None
        assert await inbox.counts(session) == {"failed": 1, "handled": 1}
        failed = await inbox.row(session, 1)
        assert failed is not None
        assert (failed.attempts, failed.last_error) == (2, "boom")


async def test_inbox_prunes_only_old_finished_rows(engine: AsyncEngine) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    async with sessions.begin() as session:
        await inbox.store_batch(session, [_message(i, 10 + i) for i in range(1, 4)], T0)
        await inbox.mark_handled(session, 1, T0)
        await inbox.mark_handled(session, 2, T0 + timedelta(days=8))
    async with sessions.begin() as session:
        removed = await inbox.prune(session, T0 + timedelta(days=7))
    assert removed == 1
    async with sessions() as session:
        assert await inbox.counts(session) == {"handled": 1, "pending": 1}
        left = await session.scalars(select(InboxUpdate.update_id).order_by(InboxUpdate.update_id))
        assert list(left) == [2, 3]


def test_chat_key_of_every_kind_of_update() -> None:
    assert inbox.chat_key(_message(1, 55)) == 55
    press = {
        "update_id": 2,
        "callback_query": {"id": "q", "from": {"id": 7}, "message": {"chat": {"id": -100}}},
    }
    assert inbox.chat_key(press) == -100
    inline = {"update_id": 3, "inline_query": {"id": "q", "from": {"id": 8}, "query": ""}}
    assert inbox.chat_key(inline) == 8
    assert inbox.chat_key({"update_id": 4, "poll": {"id": "p"}}) == 0


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_concurrent_claimers_on_postgres_share_the_inbox_correctly(
    engine: AsyncEngine,
) -> None:
    """Several processes on one PostgreSQL: a chat being handled is skipped by the others, and
    every update is handled exactly once, in order per chat."""
    await migrate(engine)
    sessions = session_factory(engine)
    async with sessions.begin() as session:
        await inbox.store_batch(session, [_message(1, 10), _message(2, 10), _message(3, 11)], T0)

    async with sessions() as a, sessions() as b, a.begin(), b.begin():
        held = await inbox.claim_next(a, 10)
        assert held is not None
        assert held.update_id == 1
        assert await inbox.claim_next(b, 10) is None  # chat 10 is busy elsewhere: skip it
        other = await inbox.claim_next(b, 11)
        assert other is not None
        assert other.update_id == 3

    handled: list[tuple[int, int]] = []
    async with sessions.begin() as session:
        await inbox.store_batch(session, [_message(100 + i, 20 + i % 5) for i in range(200)], T0)

    async def claimer() -> None:
        while True:
            progressed = False
            async with sessions() as probe:
                chats = await inbox.pending_chats(probe)
            for chat in chats:
                async with sessions.begin() as session:
                    claimed = await inbox.claim_next(session, chat)
                    if claimed is None:
                        continue
                    handled.append((chat, claimed.update_id))
                    await asyncio.sleep(0)  # let the others try the same chat meanwhile
                    await inbox.mark_handled(session, claimed.update_id, T0)
                    progressed = True
            if not chats:
                return
            if not progressed:
                await asyncio.sleep(0.01)

    await asyncio.gather(*(claimer() for _ in range(4)))
    ids = [update_id for _, update_id in handled if update_id >= 100]
    assert sorted(ids) == list(range(100, 300))  # every one, none twice
    for chat in range(20, 25):
        order = [u for c, u in handled if c == chat]
        assert order == sorted(order)
