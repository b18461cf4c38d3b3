"""The inbox's own SQLite connection: "handled" marks in batches, and reads that need no session.

Why: most updates (a question, a button to browse) write nothing but the inbox's "handled" mark.
Through an AsyncSession that mark costs a session, a pooled connection, four hops to aiosqlite's
thread for the UPDATE and one for the COMMIT: more CPU than everything else the bot does for
the update. Here the inbox processor keeps one pooled connection of its own (opened in its
start, given back in its stop) and:

* ``mark_handled`` runs the inbox's own UPDATE (``bot/db/inbox.py``'s statement, compiled once)
  and the COMMIT in one hop. Marks that arrive while a batch is being written go together into
  the next one (a group commit): an update's worker still waits until its own mark is committed
  before it moves on, so nothing is confirmed earlier than before; only fewer commits are made.
* ``fetch`` runs a read-only statement in one hop, for an update that has not opened its session
  (``UpdateScope.read``). Outside the update's transaction, but SQLite has one process per file
  (this one) and each chat's updates are handled one after another, so it sees everything the
  chat's earlier updates committed, as a read in the session would.

An update whose handlers opened the session is marked in that session's transaction instead,
together with its effects (``bot/inbox/processor.py``). PostgreSQL never uses this module: there
several processes share the inbox and the claim is a row lock inside the update's session.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db import inbox, log_sqlite

# Any SELECT, whatever its columns (SQLAlchemy 2.1 types a Select by its column types).
AnySelect = Select[*tuple[Any, ...]]


class DirectSQLite:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._db: Any = None
        self._pending: list[tuple[int, datetime, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.batches = 0  # commits made (tests, benches)

    @staticmethod
    def usable(engine: AsyncEngine) -> bool:
        return engine.dialect.name == "sqlite" and engine.dialect.driver == "aiosqlite"

    async def open(self) -> None:
        self._connection = await self._engine.connect()
        self._db = await log_sqlite.driver(self._connection)
        assert self._db is not None, "DirectSQLite needs sqlite+aiosqlite"

    async def close(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                await self._writer
        if self._connection is not None:
            await self._connection.close()
            self._connection = self._db = None

    async def fetch(self, statement: AnySelect, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        prepared = log_sqlite.compiled(statement, self._engine.dialect)
        return await log_sqlite.run(self._db, lambda conn: log_sqlite.query(conn, prepared, values))

    async def mark_handled(self, update_id: int, now: datetime) -> bool:
        """Mark a pending update handled and commit; False if it was not pending."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((update_id, now, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="inbox-marks")
        return await done

    async def _write(self) -> None:
        statement = log_sqlite.compiled(inbox.MARK_HANDLED, self._engine.dialect)
        while self._pending:
            batch, self._pending = self._pending, []

            def work(conn: Any, batch: list[tuple[int, datetime, Any]] = batch) -> list[bool]:
                try:
                    marked = [
                        log_sqlite.execute(conn, statement, {"id": update_id, "now": now}) > 0
                        for update_id, now, _ in batch
                    ]
                    conn.commit()
                except BaseException:
                    conn.rollback()
                    raise
                return marked

            try:
                results = await log_sqlite.run(self._db, work)
            except Exception as error:  # the whole batch stays pending; each worker decides
                for _, _, done in batch:
                    if not done.done():
                        done.set_exception(error)
                continue
            self.batches += 1
            for (_, _, done), marked in zip(batch, results, strict=True):
                if not done.done():
                    done.set_result(marked)
