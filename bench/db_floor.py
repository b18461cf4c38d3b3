"""What the inbox's own transaction costs an update, before any handler runs: the floor under
``bench.update_path``'s CPU figure.

    .venv/bin/python -m bench.db_floor [--updates 2000] [--database postgres]

Stores ``--updates`` updates (one chat each, as in bench.update_path), then for each one runs
what the inbox processor does around the handlers: claim the chat's oldest pending update,
mark it handled, commit (bot/db/inbox.py, through an AsyncSession). A/B in one run against the
same two statements and commit sent through the driver alone (aiosqlite or asyncpg), and a
session that only runs ``SELECT 1`` and commits. Figures are this process's CPU time per
update (all threads: on SQLite aiosqlite's too; PostgreSQL's server is not counted, as in
bench.update_path).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.databases import BACKENDS, fresh_database
from bot.db import inbox
from bot.db.engine import create_engine, migrate, session_factory

FIRST_CHAT = 100_000
SQLITE_CLAIM = (
    "SELECT update_id, raw, attempts FROM inbox WHERE update_id = (SELECT min(update_id) "
    "FROM inbox WHERE chat_id = ? AND state = 'pending') AND state = 'pending'"
)
SQLITE_MARK = (
    "UPDATE inbox SET state = 'handled', handled_at = ?, attempts = attempts + 1, raw = '{}' "
    "WHERE update_id = ? AND state = 'pending'"
)
POSTGRES_CLAIM = SQLITE_CLAIM.replace("?", "$1") + " FOR UPDATE SKIP LOCKED"
POSTGRES_MARK = SQLITE_MARK.replace("?", "$1", 1).replace("?", "$2", 1)


def raw_update(update_id: int) -> dict[str, Any]:
    chat = {"id": FIRST_CHAT + update_id, "type": "private", "first_name": "Ada"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": chat,
            "from": {"id": chat["id"], "is_bot": False, "first_name": "Ada"},
            "text": "how do I do a glute bridge",
        },
    }


async def per_update_ms(ids: range, one: Callable[[int], Awaitable[None]]) -> float:
    start = time.process_time()
    for update_id in ids:
        await one(update_id)
    return (time.process_time() - start) / len(ids) * 1000


async def one_round(backend: str, updates: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as directory:
        async with fresh_database(backend, Path(directory)) as url:
            engine = create_engine(url)
            await migrate(engine)
            sessions = session_factory(engine)
            now = datetime.now(UTC)
            batches = [range(start, start + updates) for start in (1, 1 + updates, 1 + 2 * updates)]
            async with sessions.begin() as session:
                for ids in batches:
                    await inbox.store_batch(session, [raw_update(i) for i in ids], now)

            async def through_session(update_id: int) -> None:
                async with sessions() as session:
                    claimed = await inbox.claim_next(session, FIRST_CHAT + update_id)
                    assert claimed is not None
                    await inbox.mark_handled(session, claimed.update_id, now)
                    await session.commit()

            async def select_one(_update_id: int) -> None:
                async with sessions() as session:
                    await session.execute(text("SELECT 1"))
                    await session.commit()

            figures["session: claim + mark + commit"] = await per_update_ms(
                batches[0], through_session
            )
            figures["session: SELECT 1 + commit"] = await per_update_ms(batches[0], select_one)
            await engine.dispose()
            async with _driver(backend, url, now) as bare:
                figures["driver alone: claim + mark + commit"] = await per_update_ms(
                    batches[1], bare
                )
    return figures


@contextlib.asynccontextmanager
async def _driver(
    backend: str, url: str, now: datetime
) -> AsyncIterator[Callable[[int], Awaitable[None]]]:
    """The same claim and mark through the bare driver."""
    if backend == "sqlite":
        database = make_url(url).database
        assert database is not None
        async with aiosqlite.connect(database) as lite:

            async def on_sqlite(update_id: int) -> None:
                async with lite.execute(SQLITE_CLAIM, (FIRST_CHAT + update_id,)) as cursor:
                    row = await cursor.fetchone()
                assert row is not None
                await lite.execute(SQLITE_MARK, (now.isoformat(), row[0]))
                await lite.commit()

            yield on_sqlite
        return
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    postgres = await asyncpg.connect(dsn)

    async def on_postgres(update_id: int) -> None:
        async with postgres.transaction():
            row = await postgres.fetchrow(POSTGRES_CLAIM, FIRST_CHAT + update_id)
            assert row is not None
            await postgres.execute(POSTGRES_MARK, now, row["update_id"])

    try:
        yield on_postgres
    finally:
        await postgres.close()


async def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.db_floor")
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", choices=BACKENDS, default="sqlite")
    args = parser.parse_args()
    rounds = [await one_round(args.database, args.updates) for _ in range(args.rounds)]
    print(f"{args.database}: CPU per update, {args.updates} updates, {args.rounds} rounds")
    for name in rounds[0]:
        values = [figures[name] for figures in rounds]
        print(f"  {name:38} median {statistics.median(values):.2f} ms "
              f"({min(values):.2f}-{max(values):.2f})")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
