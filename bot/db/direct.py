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
* ``mark_handled`` can carry the update's writes (``Write``: statements the handler decided on
  but deferred, such as a training log, bot/logbook.py): they run in the same hop, before the
  mark, and commit with it, so the update's effects and its mark still commit together. Each
  update's writes and mark sit in a SAVEPOINT of their own: one that fails is rolled back alone
  (its update stays pending and is retried) and the rest of the batch commits.
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
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from bot.db import inbox, log_sqlite

# Any SELECT, whatever its columns (SQLAlchemy 2.1 types a Select by its column types).
AnySelect = Select[*tuple[Any, ...]]

# A deferred write: statements run on the sqlite3 connection in aiosqlite's thread (log_sqlite's
# helpers), inside the transaction that commits the update's mark.
Write = Callable[[sqlite3.Connection, Dialect], object]


@dataclass(slots=True)
class _Mark:
    update_id: int
    now: datetime
    writes: Sequence[Write]
    done: asyncio.Future[bool]


class DirectSQLite:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._db: Any = None
        self._pending: list[_Mark] = []
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

    async def mark_handled(
        self, update_id: int, now: datetime, writes: Sequence[Write] = ()
    ) -> bool:
        """Run the update's ``writes``, mark it handled and commit; False if it was not pending
        (then its writes are rolled back too). Raises what a write raised (nothing of this
        update is committed then)."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append(_Mark(update_id, now, writes, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="inbox-marks")
        return await done

    async def _write(self) -> None:
        dialect = self._engine.dialect
        statement = log_sqlite.compiled(inbox.MARK_HANDLED, dialect)

        def mark(conn: sqlite3.Connection, item: _Mark) -> bool:
            return log_sqlite.execute(conn, statement, {"id": item.update_id, "now": item.now}) > 0

        def with_writes(conn: sqlite3.Connection, item: _Mark) -> bool | BaseException:
            """The item's writes and mark in a savepoint: a failure undoes this item only."""
            conn.execute("SAVEPOINT item")
            try:
                for write in item.writes:
                    write(conn, dialect)
                marked = mark(conn, item)
                if not marked:  # not pending (erased, or handled elsewhere): nothing of it
                    conn.execute("ROLLBACK TO item")
            except Exception as error:  # handed to the update's own worker
                conn.execute("ROLLBACK TO item")
                conn.execute("RELEASE item")
                if isinstance(error, sqlite3.Error):
                    return DBAPIError.instance(None, None, error, sqlite3.Error)
                return error
            conn.execute("RELEASE item")
            return marked

        while self._pending:
            batch, self._pending = self._pending, []

            def work(conn: sqlite3.Connection, batch: list[_Mark] = batch) -> list[Any]:
                try:
                    if not conn.in_transaction and any(item.writes for item in batch):
                        # Savepoints inside one transaction: an outermost savepoint's RELEASE
                        # would commit on its own.
                        conn.execute("BEGIN")
                    results = [
                        with_writes(conn, item) if item.writes else mark(conn, item)
                        for item in batch
                    ]
                    conn.commit()
                except BaseException:
                    conn.rollback()
                    raise
                return results

            try:
                results = await log_sqlite.run(self._db, work)
            except Exception as error:  # the whole batch stays pending; each worker decides
                for item in batch:
                    if not item.done.done():
                        item.done.set_exception(error)
                continue
            self.batches += 1
            for item, result in zip(batch, results, strict=True):
                if item.done.done():
                    continue
                if isinstance(result, BaseException):
                    item.done.set_exception(result)
                else:
                    item.done.set_result(result)


async def run_writes(session: AsyncSession, writes: Sequence[Write]) -> None:
    """Deferred writes in ``session``'s transaction instead (a handler opened it after they were
    deferred): its pending ORM changes first, then the writes, in one hop."""
    await session.flush()
    connection = await session.connection()
    db = await log_sqlite.driver(connection)
    assert db is not None, "deferred writes exist only on sqlite+aiosqlite"
    dialect = connection.dialect
    await log_sqlite.run(db, lambda conn: [write(conn, dialect) for write in writes])
