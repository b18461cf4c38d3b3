"""Engine, sessions and migrations: the one module that knows SQLite from PostgreSQL.

Every read and write goes through an AsyncSession (one per update, opened by the inbox processor;
background jobs open their own). Repositories ask this module for what differs by backend: the
INSERT that can say ON CONFLICT (``insert``), connection pragmas, the migration lock and the
instance lock (one poller per database; one process per SQLite file).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def sqlite_file(url: str) -> Path | None:
    """The SQLite file ``url`` names; None for PostgreSQL, an in-memory database, a bad URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def describe(url: str) -> str:
    """Where ``url`` points, for an error message: never its user or password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "DATABASE_URL"
    if parsed.get_backend_name() == "sqlite":
        return f"the SQLite file {parsed.database}"
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def create_engine(url: str, **options: Any) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        # The data directory is created on first run.
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "sqlite":
        # No ROLLBACK when a connection goes back to the pool (a hop to aiosqlite's thread per
        # update): every session ends its own transaction (commit, or rollback on error and on
        # close), so the pool's rollback only ever ran where nothing was open.
        options.setdefault("pool_reset_on_return", None)
    # No pre-ping: on asyncpg it is three round trips (BEGIN, SELECT, ROLLBACK) at every checkout,
    # and an update checks out three times. A connection the server dropped fails its first
    # statement instead; SQLAlchemy then replaces the whole pool, and the work is retried (the
    # inbox's next attempt, a job's next tick). Recycling keeps idle connections younger than
    # a firewall's idle timeout.
    options.setdefault("pool_recycle", 1800)
    engine = create_async_engine(url, **options)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Writers queue for up to 30 s instead of failing; first, so that switching a new file to
    # WAL (which needs the file's lock) waits too when two processes open it at once.
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL lets a reader and the writer work at once; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # NORMAL in WAL mode: a commit is written to the WAL file (the OS's page cache) before
    # COMMIT returns, so it survives the process crashing, a restart or SIGKILL - what the
    # brief asks: nothing a runner logged is lost on restart. Only a power cut or OS crash can
    # lose the last commits before the next checkpoint's fsync (the database stays consistent);
    # FULL would fsync the WAL on every commit, costing more than the whole report.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


Upsert = postgresql.Insert | sqlite.Insert  # what ``insert`` gives: either backend's INSERT
Built = TypeVar("Built")


def insert(session: AsyncSession, table: Table) -> Upsert:
    """An INSERT for the session's backend, with its ``on_conflict_do_nothing`` and
    ``on_conflict_do_update`` (the same API on both)."""
    return _insert_for(session.get_bind().dialect.name)(table)


def _insert_for(dialect: str) -> Callable[[Table], Upsert]:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def per_backend(
    build: Callable[[Callable[[Table], Upsert]], Built],
) -> Callable[[AsyncSession], Built]:
    """A statement with an upsert in it, built by ``build`` once per backend (from that
    backend's ``insert``) and then reused: bound parameters only, so SQLAlchemy compiles it
    once, and the hot path does not build it again per call."""
    built: dict[str, Built] = {}

    def statement(session: AsyncSession) -> Built:
        dialect = session.get_bind().dialect.name
        if dialect not in built:
            built[dialect] = build(_insert_for(dialect))
        return built[dialect]

    return statement


def update_slots(engine: AsyncEngine) -> int:
    """How many updates the inbox handles at once, each in a transaction on a connection of its
    own. SQLite lets one transaction write at a time and aiosqlite runs each connection in a
    thread of its own: past three, more connections only queue for the write lock and take
    turns at the GIL (bench/update_path.py: a question's CPU 25-40% lower with three than with
    eight, README "Benchmarks"). PostgreSQL handles each on a server process of its own."""
    return 8 if engine.dialect.name == "postgresql" else 3


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def autocommit_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose every statement commits on its own: for work made of single statements
    that need no transaction (the send budget), without BEGIN and COMMIT round trips."""
    return session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"))


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


# Any constant shared by every instance: pg_advisory_xact_lock takes a 64-bit key.
MIGRATION_LOCK = 0x1E6_0007


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (Alembic runs on the engine's own connection).

    On PostgreSQL the upgrade runs under a transaction-scoped advisory lock, so instances that
    start together migrate one after the other: the first upgrades, the others find the schema
    at head and do nothing. DDL is transactional there, so the lock covers the whole upgrade.
    SQLite gets the same from BEGIN IMMEDIATE (the database file's write lock).
    """
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
            )
        else:  # SQLite: take the file's write lock first, so DDL is one transaction too
            await connection.exec_driver_sql("BEGIN IMMEDIATE")
        await connection.run_sync(_upgrade, revision)


# The poller's lock: only the instance holding it calls getUpdates.
POLLER_LOCK = 0x1E6_0008


class DatabaseInUse(Exception):
    """A second process started on a SQLite file that one process already serves."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"another Legwork process is already running on the SQLite file {path}; SQLite "
            "serves one process per file. Stop the other one, or use PostgreSQL "
            "(DATABASE_URL=postgresql+asyncpg://...) to run several instances."
        )
        self.path = path


class InstanceLock:
    """An exclusive lock shared by every process on one database, released when its holder
    dies. PostgreSQL: a session-level advisory lock on a connection of its own (TCP
    keepalives of a few seconds, so a dead host's lock goes too). SQLite: ``flock`` on a
    file beside the database, which the kernel drops with the process."""

    def __init__(self, engine: AsyncEngine, key: int = POLLER_LOCK) -> None:
        self._engine = engine
        self._key = key
        self._connection: AsyncConnection | None = None
        self._file: int | None = None

    @property
    def shared(self) -> bool:
        """Several processes may use this database at once (PostgreSQL)."""
        return self._engine.dialect.name == "postgresql"

    @property
    def sqlite_path(self) -> str | None:
        database = self._engine.url.database
        return None if self.shared or database in (None, "", ":memory:") else str(database)

    async def try_acquire(self) -> bool:
        """Take the lock if it is free; never waits."""
        if not self.shared:
            return self._flock()
        if self._connection is not None:
            return True
        connection = await self._engine.connect()
        try:
            # Autocommit: a session-level lock, no transaction left open for hours.
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            for setting in ("tcp_keepalives_idle = 5", "tcp_keepalives_interval = 2",
                            "tcp_keepalives_count = 3"):  # fmt: skip
                await connection.exec_driver_sql(f"SET {setting}")
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}
            )
        except BaseException:
            await connection.close()
            raise
        if not got:
            await connection.close()
            return False
        self._connection = connection
        return True

    async def still_held(self) -> bool:
        """False once the holding connection is gone (the server restarted, the network)."""
        if not self.shared:
            return True  # a flock is only lost with the process
        if self._connection is None:
            return False
        try:
            await self._connection.exec_driver_sql("SELECT 1")
        except Exception:  # any failure means the session, and so the lock, may be gone
            await self.release()
            return False
        return True

    async def release(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            with contextlib.suppress(Exception):  # closing a dead connection drops the lock too
                await connection.exec_driver_sql(f"SELECT pg_advisory_unlock({self._key})")
            with contextlib.suppress(Exception):
                await connection.close()
        if self._file is not None:
            os.close(self._file)  # drops the flock
            self._file = None

    def _flock(self) -> bool:
        path = self.sqlite_path
        if path is None or self._file is not None:
            return True
        descriptor = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return False
        self._file = descriptor
        return True
