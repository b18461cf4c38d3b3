"""The day around a report, read in one round trip: the training log's hot path.

What logging a report needs to know: whether the runner has a reminder schedule and its time
zone, their planned sessions within a day of the report, their bests at the report's exercises,
and (``read_day``) whether this very message is logged already. ``day_and_extra`` reads it in the
update's session and can log an extra session in the same hop; ``read_day`` reads it without a
session (``context.read``) and ``extra_write`` is that log as a write deferred to the update's
handled mark (bot/db/direct.py). The log's own statements are ``workout_log``'s.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import BigInteger, BindParameter, Select, and_, bindparam, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.reports import Report
from bot.core.stats import Best
from bot.db import log_sqlite, workout_log
from bot.db.direct import AnySelect, Write
from bot.db.log_models import WorkoutLog, WorkoutSet
from bot.db.models import User
from bot.db.training_models import PlannedSession, ReminderSchedule
from bot.db.workout_log import Recorded

# Rows of a read-only statement without a session (``context.read``, bot/handlers/context.py).
Reader = Callable[[AnySelect, Mapping[str, Any]], Awaitable[list[tuple[Any, ...]]]]


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
        bests=workout_log.bests_from(wanted, first[5 : 5 + 2 * len(wanted)]),
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
    values = workout_log.log_values(
        user_id, chat_id, message_id, local_date, report, now, None, note
    )

    def write(conn: sqlite3.Connection, dialect: Dialect) -> None:
        workout_log.write_sqlite(conn, dialect, values, report.entries)

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
    connection = await workout_log.session_connection(session)
    db = await log_sqlite.driver(connection)
    if db is None:
        day = _context(
            wanted, (await connection.execute(_day_statement(len(wanted)), params)).all()
        )
        local = extra.local_date_of(day) if extra is not None else None
        if extra is None or local is None:
            return day, None
        recorded = await workout_log.record(
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
        values = workout_log.log_values(
            user_id, extra.chat_id, extra.message_id, local, report, extra.now, None, extra.note
        )
        new_id = workout_log.write_sqlite(conn, dialect, values, report.entries)
        if new_id is None:
            return day, None
        return day, Recorded(
            new_id, True, local, None, workout_log.status_of(report), report.entries
        )

    return await log_sqlite.run(db, work)
