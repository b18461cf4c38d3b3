"""The training log's hot path on SQLite: the same statements as ``workout_log``'s Core ones,
run on the aiosqlite driver connection, one worker-thread hop each.

Why: SQLAlchemy's aiosqlite adapter spends four hops to aiosqlite's thread per statement
(cursor, execute, fetchall, close), and the execution machinery around them (parameter
construction, result proxies) costs more than SQLite itself for these tiny statements. Here
each statement is compiled once from its Core form (SQLAlchemy writes the SQL, so it stays the
one definition), its parameters go through the columns' own bind processors (dates, UTC
datetimes and booleans are stored exactly as the ORM stores them) and it runs with aiosqlite's
public ``execute_fetchall``: one hop, the cursor closed in the worker thread.

Transactions are unchanged: the statements run on the session's own DBAPI connection inside the
session's transaction (Python's sqlite3 opens it before the first INSERT, as it does for
SQLAlchemy's own statements), and the session commits or rolls them back with everything else.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar, cast

from sqlalchemy import Insert, Select, Table, Update, bindparam, insert
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.db.log_models import WorkoutLog, WorkoutSet

Processor = Callable[[Any], Any] | None
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Prepared:
    """A statement compiled for SQLite: its SQL, the names of its (positional) parameters in
    order with their bind processors, the result processor of each selected column, and the
    values the statement itself fixes (``.values(state="handled")``: not the caller's)."""

    sql: str
    names: tuple[str, ...]
    binds: tuple[Processor, ...]
    results: tuple[Processor, ...]
    constants: Mapping[str, Any] = field(default_factory=dict)

    def parameters(self, values: Mapping[str, Any]) -> list[Any]:
        out = []
        for name, process in zip(self.names, self.binds, strict=True):
            value = values[name] if name in values else self.constants[name]
            out.append(process(value) if process is not None and value is not None else value)
        return out

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        if not any(self.results):
            return [tuple(r) for r in raw]
        return [
            tuple(
                p(v) if p is not None and v is not None else v
                for p, v in zip(self.results, r, strict=True)
            )
            for r in raw
        ]


def prepare(statement: Select[Any] | Insert | Update, dialect: Dialect) -> Prepared:
    compiled = statement.compile(dialect=dialect)
    names = tuple(compiled.positiontup or ())
    binds = tuple(
        compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    results: tuple[Processor, ...] = ()
    if isinstance(statement, Select):  # (an INSERT's RETURNING id needs no processing)
        results = tuple(
            c.type.dialect_impl(dialect).result_processor(dialect, None)
            for c in statement.selected_columns
        )
    fixed = {n: compiled.binds[n].effective_value for n in names if not compiled.binds[n].required}
    return Prepared(compiled.string, names, binds, results, fixed)


def multi_insert(table: Any, columns: Sequence[str], count: int) -> Insert:
    """``INSERT INTO table (columns) VALUES (...), (...)`` with ``count`` rows of parameters
    named ``<column>_<row>``."""
    return insert(table).values(
        [{c: bindparam(f"{c}_{n}", type_=table.c[c].type) for c in columns} for n in range(count)]
    )


async def driver(connection: AsyncConnection) -> Any | None:
    """The aiosqlite connection under ``connection``, or None on any other driver."""
    if connection.dialect.name != "sqlite" or connection.dialect.driver != "aiosqlite":
        return None
    raw = await connection.get_raw_connection()
    return raw.driver_connection


_PREPARED: dict[object, Prepared] = {}


def prepared(
    key: object, build: Callable[[], Select[Any] | Insert | Update], dialect: Dialect
) -> Prepared:
    """The statement ``build`` makes, compiled once for SQLite and kept under ``key``."""
    found = _PREPARED.get(key)
    if found is None:
        found = _PREPARED[key] = prepare(build(), dialect)
    return found


_LOGS = cast(Table, WorkoutLog.__table__)
_SETS = cast(Table, WorkoutSet.__table__)
LOG_COLUMNS = ("user_id", "chat_id", "message_id", "planned_session_id", "local_date", "status",
               "note", "created_at")  # fmt: skip
SET_COLUMNS = ("log_id", "user_id", "entry_index", "exercise", "set_index", "reps", "weight_kg",
               "per_side")  # fmt: skip
SETS_PER_STATEMENT = 50  # 400 parameters: far below SQLite's limit (32,766)


def _insert_log() -> Insert:
    """workout_log's INSERT ... ON CONFLICT (chat_id, message_id) DO NOTHING RETURNING id, with
    a named parameter per column."""
    return (
        sqlite.insert(_LOGS)
        .values({c: bindparam(c, type_=_LOGS.c[c].type) for c in LOG_COLUMNS})
        .on_conflict_do_nothing(index_elements=["chat_id", "message_id"])
        .returning(_LOGS.c.id)
    )


def compiled(statement: Select[Any] | Insert | Update, dialect: Dialect) -> Prepared:
    """A module-level statement, compiled once for SQLite and kept under itself."""
    return prepared(statement, lambda: statement, dialect)


def execute(conn: Any, statement: Prepared, values: Mapping[str, Any]) -> int:
    """Run a statement that returns no rows on ``conn`` (inside ``run``): its row count."""
    cursor = conn.execute(statement.sql, statement.parameters(values))
    try:
        return int(cursor.rowcount)
    finally:
        cursor.close()


def query(conn: Any, statement: Prepared, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Run ``statement`` on the sqlite3 connection ``conn`` (inside ``run``): its rows."""
    cursor = conn.execute(statement.sql, statement.parameters(values))
    try:
        return statement.rows(cursor.fetchall())
    finally:
        cursor.close()


def write_log(
    conn: Any,
    dialect: Dialect,
    values: Mapping[str, Any],
    sets_of: Callable[[int], list[dict[str, object]]],
) -> int | None:
    """``workout_log.record``'s statements (inside ``run``): the INSERT ... ON CONFLICT DO
    NOTHING RETURNING id of the log (``values``: LOG_COLUMNS), then its sets (``sets_of(log_id)``:
    SET_COLUMNS) in one multi-row INSERT per 50 sets. The new log's id, None when the message
    was logged already (then nothing was written)."""
    found = query(conn, prepared("log", _insert_log, dialect), values)
    if not found:
        return None
    new_id = int(found[0][0])
    rows = sets_of(new_id)
    for first in range(0, len(rows), SETS_PER_STATEMENT):
        chunk = rows[first : first + SETS_PER_STATEMENT]
        statement = prepared(
            ("sets", len(chunk)), partial(multi_insert, _SETS, SET_COLUMNS, len(chunk)), dialect
        )
        query(conn, statement, {f"{c}_{n}": row[c] for n, row in enumerate(chunk)
                                for c in SET_COLUMNS})  # fmt: skip
    return new_id


async def run(db: Any, work: Callable[[Any], T]) -> T:
    """``work(sqlite3 connection)`` in aiosqlite's worker thread: one hop for all its
    statements. (aiosqlite has no public call for this; ``_execute`` is the queue every one of
    its public methods uses, and SQLAlchemy's own aiosqlite adapter reaches into it too.)
    sqlite3's errors come out as SQLAlchemy's, as from any other statement (``DBAPIError``
    subclasses: "database is locked" is an ``OperationalError`` the inbox retries)."""
    try:
        return cast(T, await db._execute(lambda: work(db._conn)))
    except sqlite3.Error as error:
        raise DBAPIError.instance(None, None, error, sqlite3.Error) from error
