"""Training log repository: record a report exactly once, replace it on edit, undo, history, the
sets for stats and export, and erasing everything of a runner.

A log is keyed by the message that reported it (chat id + message id, unique): recording the
same message twice (a redelivered update, a second instance) inserts nothing the second time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    BindParameter,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.core.reports import Report, ReportEntry
from bot.core.stats import Best, LoggedSet, PlannedDay
from bot.db import log_sqlite
from bot.db.direct import AnySelect, Write
from bot.db.log_models import WorkoutLog, WorkoutSet
from bot.db.models import User
from bot.db.training_models import PlannedSession, ReminderSchedule
from bot.db.user_data import delete_user_data

__all__ = [
    "LoggedSet",
    "Recorded",
    "WorkoutLog",
    "WorkoutSet",
    "bests",
    "day_and_extra",
    "day_context",
    "delete_log",
    "delete_user_data",
    "entries_of",
    "extra_write",
    "find_by_message",
    "history",
    "last_log",
    "planned_days",
    "read_day",
    "record",
    "replace",
    "sets_of_user",
]

NOTE_LIMIT = 1000

# Rows of a read-only statement without a session (``context.read``, bot/handlers/context.py).
Reader = Callable[[AnySelect, Mapping[str, Any]], Awaitable[list[tuple[Any, ...]]]]


def _sets(log_id: int, user_id: int, entries: tuple[ReportEntry, ...]) -> list[dict[str, object]]:
    return [
        {
            "log_id": log_id,
            "user_id": user_id,
            "entry_index": index,
            "exercise": entry.exercise,
            "set_index": number,
            "reps": reps,
            "weight_kg": entry.weight_kg,
            "per_side": entry.per_side,
        }
        for index, entry in enumerate(entries)
        for number, reps in enumerate(entry.reps, start=1)
    ]


_SETS = cast(Table, WorkoutSet.__table__)
_LOGS = cast(Table, WorkoutLog.__table__)
_INSERTS: dict[str, Any] = {}


def _insert_log(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (chat_id, message_id) DO NOTHING RETURNING id, built once."""
    found = _INSERTS.get(dialect)
    if found is None:
        upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        found = (
            upsert(_LOGS)
            .on_conflict_do_nothing(index_elements=["chat_id", "message_id"])
            .returning(_LOGS.c.id)
        )
        _INSERTS[dialect] = found
    return found


@dataclass(frozen=True, slots=True)
class Recorded:
    log_id: int
    created: bool  # False: this message was logged already (nothing was written)
    local_date: date
    planned_session_id: int | None
    status: str
    entries: tuple[ReportEntry, ...]


async def _connection(session: AsyncSession) -> AsyncConnection:
    """The session's connection, for the hot path's Core statements (no ORM machinery per
    statement); pending ORM changes are flushed first (usually none: then not even the flush's
    own machinery runs)."""
    if session.new or session.dirty or session.deleted:
        await session.flush()
    return await session.connection()


def _status(report: Report) -> str:
    return report.status or "done"


def _log_values(
    user_id: int, chat_id: int, message_id: int, local_date: date, report: Report, now: datetime,
    planned_session_id: int | None, note: str,
) -> dict[str, Any]:  # fmt: skip
    return {
        "user_id": user_id,
        "chat_id": chat_id,
        "message_id": message_id,
        "planned_session_id": planned_session_id,
        "local_date": local_date,
        "status": _status(report),
        "note": note[:NOTE_LIMIT],
        "created_at": now,
    }


async def record(
    session: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    message_id: int,
    local_date: date,
    report: Report,
    now: datetime,
    planned_session_id: int | None = None,
    note: str = "",
) -> Recorded:
    """Store ``report`` for the message, or find it logged already (``created`` False). One
    INSERT ... ON CONFLICT DO NOTHING, so two concurrent deliveries cannot both insert; two
    statements in all for a new log (the hot path: no read back)."""
    values = _log_values(
        user_id, chat_id, message_id, local_date, report, now, planned_session_id, note
    )
    connection = await _connection(session)
    db = await log_sqlite.driver(connection)
    if db is not None:
        dialect = connection.dialect
        new_id = await log_sqlite.run(
            db,
            lambda conn: log_sqlite.write_log(
                conn, dialect, values, lambda log_id: _sets(log_id, user_id, report.entries)
            ),
        )
    else:
        statement = _insert_log(connection.dialect.name)
        new_id = (await connection.execute(statement, values)).scalar_one_or_none()
    if new_id is None:
        existing = await find_by_message(session, chat_id, message_id)
        assert existing is not None  # the conflict was on this very key
        return Recorded(
            existing.id, False, existing.local_date, existing.planned_session_id,
            existing.status, entries_of(existing),
        )  # fmt: skip
    if db is None:
        rows = _sets(new_id, user_id, report.entries)
        if rows:
            await connection.execute(insert(_SETS), rows)
    return Recorded(new_id, True, local_date, planned_session_id, _status(report), report.entries)


async def find_by_message(
    session: AsyncSession, chat_id: int, message_id: int
) -> WorkoutLog | None:
    return await session.scalar(
        select(WorkoutLog).where(WorkoutLog.chat_id == chat_id, WorkoutLog.message_id == message_id)
    )


async def replace(session: AsyncSession, log: WorkoutLog, report: Report, now: datetime) -> None:
    """The message was edited: its log now says what the new text says."""
    await session.execute(delete(WorkoutSet).where(WorkoutSet.log_id == log.id))
    rows = _sets(log.id, log.user_id, report.entries)
    if rows:
        await session.execute(insert(_SETS), rows)
    log.status = _status(report)
    log.edited_at = now
    await session.flush()
    await session.refresh(log, attribute_names=["sets"])


async def last_log(session: AsyncSession, user_id: int) -> WorkoutLog | None:
    return await session.scalar(
        select(WorkoutLog)
        .where(WorkoutLog.user_id == user_id)
        .order_by(WorkoutLog.created_at.desc(), WorkoutLog.id.desc())
        .limit(1)
    )


async def delete_log(session: AsyncSession, log: WorkoutLog) -> None:
    await session.delete(log)  # its sets go with it (ORM cascade, and ON DELETE CASCADE)
    await session.flush()


def entries_of(log: WorkoutLog) -> tuple[ReportEntry, ...]:
    """A log's sets grouped back into the report's entries."""
    grouped: dict[int, list[WorkoutSet]] = {}
    for row in sorted(log.sets, key=lambda s: (s.entry_index, s.set_index)):
        grouped.setdefault(row.entry_index, []).append(row)
    return tuple(
        ReportEntry(
            rows[0].exercise,
            tuple(r.reps for r in rows),
            rows[0].weight_kg,
            rows[0].per_side,
        )
        for _, rows in sorted(grouped.items())
    )


async def history(
    session: AsyncSession, user_id: int, page: int = 0, per_page: int = 5
) -> tuple[list[WorkoutLog], int]:
    """A page of a runner's logs, newest first, and how many logs there are in all."""
    total = await session.scalar(
        select(func.count()).select_from(WorkoutLog).where(WorkoutLog.user_id == user_id)
    )
    logs = await session.scalars(
        select(WorkoutLog)
        .where(WorkoutLog.user_id == user_id)
        .order_by(WorkoutLog.local_date.desc(), WorkoutLog.created_at.desc(), WorkoutLog.id.desc())
        .offset(max(0, page) * per_page)
        .limit(per_page)
    )
    return list(logs), int(total or 0)


async def sets_of_user(
    session: AsyncSession, user_id: int, since: date | None = None
) -> list[LoggedSet]:
    """Every set of a runner (and status-only logs as one row with no exercise), oldest first:
    one query, for stats, charts and the export."""
    query = (
        select(
            WorkoutLog.id,
            WorkoutLog.local_date,
            WorkoutLog.status,
            WorkoutLog.planned_session_id,
            WorkoutLog.note,
            WorkoutSet.entry_index,
            WorkoutSet.exercise,
            WorkoutSet.set_index,
            WorkoutSet.reps,
            WorkoutSet.weight_kg,
            WorkoutSet.per_side,
        )
        .outerjoin(WorkoutSet, WorkoutSet.log_id == WorkoutLog.id)
        .where(WorkoutLog.user_id == user_id)
        .order_by(
            WorkoutLog.local_date,
            WorkoutLog.created_at,
            WorkoutLog.id,
            WorkoutSet.entry_index,
            WorkoutSet.set_index,
        )
    )
    if since is not None:
        query = query.where(WorkoutLog.local_date >= since)
    rows = await session.execute(query)
    return [
        LoggedSet(
            log_id=r[0],
            local_date=r[1],
            status=r[2],
            planned=r[3] is not None,
            note=r[4] or "",
            entry_index=r[5] if r[5] is not None else -1,
            exercise=r[6] or "",
            set_index=r[7] or 0,
            reps=r[8] or 0,
            weight_kg=r[9],
            per_side=bool(r[10]),
        )
        for r in rows
    ]


def _best_columns(user_id: int, exercises: list[str], exclude_log: int | None = None) -> list[Any]:
    """Per exercise, two scalar subqueries (max load; max reps of a set with no load): each an
    index seek on ix_workout_sets_user_exercise_weight_reps. Only done logs have sets."""
    columns: list[Any] = []
    for exercise in exercises:
        mine = (WorkoutSet.user_id == user_id) & (WorkoutSet.exercise == exercise)
        if exclude_log is not None:
            mine = mine & (WorkoutSet.log_id != exclude_log)
        columns.append(select(func.max(WorkoutSet.weight_kg)).where(mine).scalar_subquery())
        columns.append(
            select(func.max(WorkoutSet.reps))
            .where(mine & WorkoutSet.weight_kg.is_(None))
            .scalar_subquery()
        )
    return columns


def _bests_from(exercises: list[str], values: Sequence[Any]) -> dict[str, Best]:
    found = {}
    for n, exercise in enumerate(exercises):
        load, reps = values[2 * n], values[2 * n + 1]
        if load is not None or reps is not None:
            found[exercise] = Best(
                None if load is None else float(load), None if reps is None else int(reps)
            )
    return found


async def bests(
    session: AsyncSession, user_id: int, exercises: Iterable[str], exclude_log: int | None = None
) -> dict[str, Best]:
    """The runner's best load and best bodyweight set per exercise (leaving out ``exclude_log``),
    in one statement."""
    wanted = sorted(set(exercises))
    if not wanted:
        return {}
    row = (await session.execute(select(*_best_columns(user_id, wanted, exclude_log)))).one()
    return _bests_from(wanted, row)


@dataclass(frozen=True, slots=True)
class NearbySession:
    id: int
    local_date: date
    status: str


@dataclass(frozen=True, slots=True)
class DayContext:
    has_schedule: bool
    zone: str | None  # IANA name of the runner's reminders, None: not set
    planned: list[NearbySession]
    bests: dict[str, Best]


_DAY_STATEMENTS: dict[tuple[int, bool], Select[Any]] = {}


def _day_statement(count: int, keyed: bool = False) -> Select[Any]:
    """Built once per number of exercises, with bound parameters (the hot path of logging:
    no statement building or cache-key work per report). ``keyed``: one more column, the id of
    the log of message (``chat``, ``message``) if it is logged already."""
    found = _DAY_STATEMENTS.get((count, keyed))
    if found is not None:
        return found
    uid: BindParameter[int] = bindparam("uid", type_=BigInteger())
    columns: list[Any] = [
        ReminderSchedule.user_id,
        ReminderSchedule.zone,
        PlannedSession.id,
        PlannedSession.local_date,
        PlannedSession.status,
    ]
    for n in range(count):
        mine = (WorkoutSet.user_id == uid) & (WorkoutSet.exercise == bindparam(f"ex{n}"))
        columns.append(select(func.max(WorkoutSet.weight_kg)).where(mine).scalar_subquery())
        columns.append(
            select(func.max(WorkoutSet.reps))
            .where(mine & WorkoutSet.weight_kg.is_(None))
            .scalar_subquery()
        )
    if keyed:
        columns.append(
            select(WorkoutLog.id)
            .where(
                WorkoutLog.chat_id == bindparam("chat", type_=BigInteger()),
                WorkoutLog.message_id == bindparam("message", type_=BigInteger()),
            )
            .scalar_subquery()
        )
    near = and_(
        PlannedSession.user_id == User.id,
        PlannedSession.local_date.between(bindparam("first"), bindparam("last")),
    )
    found = (
        select(*columns)
        .select_from(User)
        .outerjoin(ReminderSchedule, ReminderSchedule.user_id == User.id)
        .outerjoin(PlannedSession, near)
        .where(User.id == uid)
    )
    _DAY_STATEMENTS[(count, keyed)] = found
    return found


@dataclass(frozen=True, slots=True)
class Extra:
    """A report to log in the same round trip as ``day_context`` reads the day, as an extra
    session (no planned one) on the date ``local_date_of(context)`` returns; None: not that way
    (the caller goes on with the context: a planned session to match)."""

    chat_id: int
    message_id: int
    report: Report
    now: datetime
    note: str
    local_date_of: Callable[[DayContext], date | None]


def _context(wanted: list[str], rows: Sequence[Any]) -> DayContext:
    if not rows:
        return DayContext(False, None, [], {})
    first = rows[0]
    return DayContext(
        has_schedule=first[0] is not None,
        zone=first[1],
        planned=[NearbySession(r[2], r[3], r[4]) for r in rows if r[2] is not None],
        bests=_bests_from(wanted, first[5 : 5 + 2 * len(wanted)]),
    )


def _day_params(user_id: int, around: date, wanted: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {
        "uid": user_id,
        "first": around - timedelta(days=1),
        "last": around + timedelta(days=1),
    }
    params.update({f"ex{n}": exercise for n, exercise in enumerate(wanted)})
    return params


async def read_day(
    read: Reader, user_id: int, around: date, exercises: Iterable[str], key: tuple[int, int]
) -> tuple[DayContext, int | None]:
    """``day_context`` through ``read`` (no session needed: ``context.read``), with the id of
    the log of message ``key`` (chat id, message id) when it is logged already."""
    wanted = sorted(set(exercises))
    params = _day_params(user_id, around, wanted)
    params.update(chat=key[0], message=key[1])
    rows = await read(_day_statement(len(wanted), keyed=True), params)
    logged = rows[0][-1] if rows else None
    return _context(wanted, rows), logged


def extra_write(
    *, user_id: int, chat_id: int, message_id: int, local_date: date, report: Report,
    now: datetime, note: str,
) -> Write:  # fmt: skip
    """``record`` of an extra session as a deferred write (``UpdateScope.defer``): it commits
    with the update's handled mark. A message logged already is left as it is (ON CONFLICT DO
    NOTHING), as ``record`` does."""
    values = _log_values(user_id, chat_id, message_id, local_date, report, now, None, note)

    def write(conn: sqlite3.Connection, dialect: Dialect) -> None:
        log_sqlite.write_log(
            conn, dialect, values, lambda log_id: _sets(log_id, user_id, report.entries)
        )

    return write


async def day_context(
    session: AsyncSession, user_id: int, around: date, exercises: Iterable[str] = ()
) -> DayContext:
    """``day_and_extra`` without a report to log."""
    return (await day_and_extra(session, user_id, around, exercises))[0]


async def day_and_extra(
    session: AsyncSession, user_id: int, around: date, exercises: Iterable[str] = (),
    extra: Extra | None = None,
) -> tuple[DayContext, Recorded | None]:  # fmt: skip
    """In one round trip: whether the runner has a reminder schedule and its time zone, their
    planned sessions within a day of ``around`` (the UTC date; the local one is within a day of
    it), and their bests at ``exercises`` (before this report); and, with ``extra``, the report
    logged as an extra session when ``extra.local_date_of`` gives a date (a new log: the second
    value; None when it did not, or when the message was logged already: ``record`` says so)."""
    wanted = sorted(set(exercises))
    params = _day_params(user_id, around, wanted)
    connection = await _connection(session)
    db = await log_sqlite.driver(connection)
    if db is None:
        day = _context(
            wanted, (await connection.execute(_day_statement(len(wanted)), params)).all()
        )
        local = extra.local_date_of(day) if extra is not None else None
        if extra is None or local is None:
            return day, None
        recorded = await record(
            session, user_id=user_id, chat_id=extra.chat_id, message_id=extra.message_id,
            local_date=local, report=extra.report, now=extra.now, note=extra.note,
        )  # fmt: skip
        return day, recorded if recorded.created else None
    dialect = connection.dialect
    statement = log_sqlite.prepared(("day", len(wanted)), partial(_day_statement, len(wanted)),
                                    dialect)  # fmt: skip

    def work(conn: Any) -> tuple[DayContext, Recorded | None]:  # in aiosqlite's thread
        day = _context(wanted, log_sqlite.query(conn, statement, params))
        local = extra.local_date_of(day) if extra is not None else None
        if extra is None or local is None:
            return day, None
        report = extra.report
        values = _log_values(user_id, extra.chat_id, extra.message_id, local, report, extra.now,
                             None, extra.note)  # fmt: skip
        new_id = log_sqlite.write_log(
            conn, dialect, values, lambda log_id: _sets(log_id, user_id, report.entries)
        )
        if new_id is None:
            return day, None
        return day, Recorded(new_id, True, local, None, _status(report), report.entries)

    return await log_sqlite.run(db, work)


async def planned_days(session: AsyncSession, user_id: int) -> list[PlannedDay]:
    """The runner's planned sessions (date and status), oldest first."""
    rows = await session.execute(
        select(PlannedSession.local_date, PlannedSession.status)
        .where(PlannedSession.user_id == user_id)
        .order_by(PlannedSession.local_date)
    )
    return [PlannedDay(r[0], r[1]) for r in rows]
