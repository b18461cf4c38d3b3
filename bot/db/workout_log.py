"""Training log repository: record a report exactly once, replace it on edit, undo, history, the
sets for stats and export, and erasing everything of a runner.

A log is keyed by the message that reported it (chat id + message id, unique): recording the
same message twice (a redelivered update, a second instance) inserts nothing the second time.

The day around a report, which the logging path reads first, is in ``log_day``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.core.plans import Session
from bot.core.reports import Report, ReportEntry
from bot.core.stats import (
    Best,
    LoggedSet,
    LogHead,
    PlannedDay,
    PlannedWork,
    is_marker,
    session_keys,
)
from bot.db import engine
from bot.db.log_models import WorkoutLog, WorkoutSet
from bot.db.training_models import PlannedSession
from bot.db.user_data import delete_user_data

__all__ = [
    "LoggedSet",
    "Recorded",
    "WorkoutLog",
    "WorkoutSet",
    "bests",
    "delete_log",
    "delete_user_data",
    "entries_of",
    "extra_logs_on",
    "find_by_message",
    "history",
    "last_log",
    "last_log_with",
    "open_extra",
    "planned_days",
    "record",
    "replace",
    "session_logs",
    "sets_of_user",
    "status_of",
]

NOTE_LIMIT = 1000


def _set_rows(
    log_id: int, user_id: int, entries: tuple[ReportEntry, ...]
) -> list[dict[str, object]]:
    """One row per set; a timed set stores its seconds and reps 0."""
    return [
        {
            "log_id": log_id,
            "user_id": user_id,
            "entry_index": index,
            "exercise": entry.exercise,
            "set_index": number,
            "reps": 0 if entry.seconds is not None else count,
            "seconds": count if entry.seconds is not None else None,
            "weight_kg": entry.weight_kg,
            "per_side": entry.per_side,
        }
        for index, entry in enumerate(entries)
        for number, count in enumerate(
            entry.seconds if entry.seconds is not None else entry.reps, start=1
        )
    ]


_SETS = cast(Table, WorkoutSet.__table__)
_LOGS = cast(Table, WorkoutLog.__table__)


@dataclass(frozen=True, slots=True)
class Recorded:
    log_id: int
    created: bool  # False: this message was logged already (nothing was written)
    local_date: date
    planned_session_id: int | None
    status: str
    entries: tuple[ReportEntry, ...]


def status_of(report: Report) -> str:
    return report.status or "done"


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
    INSERT ... ON CONFLICT DO NOTHING, so two concurrent deliveries cannot both insert."""
    values = {
        "user_id": user_id,
        "chat_id": chat_id,
        "message_id": message_id,
        "planned_session_id": planned_session_id,
        "local_date": local_date,
        "status": status_of(report),
        "note": note[:NOTE_LIMIT],
        "created_at": now,
    }
    statement = (
        engine.insert(session, _LOGS)
        .on_conflict_do_nothing(index_elements=["chat_id", "message_id"])
        .returning(_LOGS.c.id)
    )
    new_id = (await session.execute(statement, values)).scalar_one_or_none()
    if new_id is None:
        existing = await find_by_message(session, chat_id, message_id)
        assert existing is not None  # the conflict was on this very key
        return Recorded(
            existing.id, False, existing.local_date, existing.planned_session_id,
            existing.status, entries_of(existing),
        )  # fmt: skip
    rows = _set_rows(new_id, user_id, report.entries)
    if rows:
        await session.execute(insert(_SETS), rows)
    return Recorded(new_id, True, local_date, planned_session_id, status_of(report), report.entries)


async def find_by_message(
    session: AsyncSession, chat_id: int, message_id: int
) -> WorkoutLog | None:
    return await session.scalar(
        select(WorkoutLog).where(WorkoutLog.chat_id == chat_id, WorkoutLog.message_id == message_id)
    )


async def replace(session: AsyncSession, log: WorkoutLog, report: Report, now: datetime) -> None:
    """The message was edited: its log now says what the new text says."""
    await session.execute(delete(WorkoutSet).where(WorkoutSet.log_id == log.id))
    rows = _set_rows(log.id, log.user_id, report.entries)
    if rows:
        await session.execute(insert(_SETS), rows)
    log.status = status_of(report)
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


async def last_log_with(session: AsyncSession, user_id: int, exercise: str) -> WorkoutLog | None:
    """The runner's newest log with a set of ``exercise``."""
    return await session.scalar(
        select(WorkoutLog)
        .where(
            WorkoutLog.user_id == user_id,
            WorkoutLog.id.in_(
                select(WorkoutSet.log_id).where(
                    WorkoutSet.user_id == user_id, WorkoutSet.exercise == exercise
                )
            ),
        )
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
    return tuple(_entry_of(rows) for _, rows in sorted(grouped.items()))


def _entry_of(rows: list[WorkoutSet]) -> ReportEntry:
    first = rows[0]
    if first.seconds is not None:  # timed work: seconds, no reps
        seconds = tuple(r.seconds or 0 for r in rows)
        return ReportEntry(first.exercise, (), first.weight_kg, first.per_side, seconds)
    return ReportEntry(first.exercise, tuple(r.reps for r in rows), first.weight_kg, first.per_side)


def _head(log: WorkoutLog) -> LogHead:
    return LogHead(log.id, log.local_date, log.planned_session_id, log.status, bool(log.sets))


async def history(
    session: AsyncSession, user_id: int, page: int = 0, per_page: int = 5
) -> tuple[list[list[WorkoutLog]], int]:
    """A page of a runner's training sessions (each its logs, oldest first), newest session
    first, and how many sessions there are in all. A bare "done" closing an extra session is
    left out of it."""
    logs = list(
        await session.scalars(
            select(WorkoutLog)
            .where(WorkoutLog.user_id == user_id)
            .order_by(WorkoutLog.local_date, WorkoutLog.created_at, WorkoutLog.id)
        )
    )
    keys = session_keys(_head(log) for log in logs)
    grouped: dict[str, list[WorkoutLog]] = {}
    for log in logs:
        if not is_marker(_head(log)):
            grouped.setdefault(keys[log.id], []).append(log)
    newest_first = list(reversed(grouped.values()))
    start = max(0, page) * per_page
    return newest_first[start : start + per_page], len(newest_first)


async def session_logs(session: AsyncSession, planned_session_id: int) -> list[WorkoutLog]:
    """Every log counted for a planned session, oldest first."""
    return list(
        await session.scalars(
            select(WorkoutLog)
            .where(WorkoutLog.planned_session_id == planned_session_id)
            .order_by(WorkoutLog.created_at, WorkoutLog.id)
        )
    )


_EXTRA_LOGS = (
    select(WorkoutLog)
    .options(joinedload(WorkoutLog.sets))
    .where(
        WorkoutLog.user_id == bindparam("user"),
        WorkoutLog.local_date == bindparam("day"),
        WorkoutLog.planned_session_id.is_(None),
    )
    .order_by(WorkoutLog.created_at, WorkoutLog.id)
)


async def extra_logs_on(session: AsyncSession, user_id: int, local_date: date) -> list[WorkoutLog]:
    """The runner's logs of ``local_date`` that count for no planned session, oldest first,
    with their sets (joined: one statement, where the default loads them with a second)."""
    found = await session.scalars(_EXTRA_LOGS, {"user": user_id, "day": local_date})
    return list(found.unique())


def open_extra(logs: Sequence[WorkoutLog]) -> list[WorkoutLog]:
    """Of a day's extra logs (oldest first), those after the last bare "done": the extra
    session still open."""
    found: list[WorkoutLog] = []
    for log in logs:
        found = [] if is_marker(_head(log)) else [*found, log]
    return found


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
            WorkoutSet.seconds,
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
    rows = (await session.execute(query)).all()
    heads: dict[int, LogHead] = {}
    for r in rows:  # in the order the logs were made
        if r[0] not in heads:
            heads[r[0]] = LogHead(r[0], r[1], r[3], r[2], r[6] is not None)
    keys = session_keys(heads.values())
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
            seconds=r[11],
            session=keys[r[0]],
        )
        for r in rows
    ]


# Per exercise: the heaviest load, the most reps of a set with neither load nor time, and the
# longest timed set, leaving out one log (``exclude``: 0 leaves out none; ids start at 1). One
# constant statement (an expanding IN), so SQLAlchemy builds and keys it once.
_BESTS = (
    select(
        WorkoutSet.exercise,
        func.max(WorkoutSet.weight_kg),
        func.max(
            case((WorkoutSet.weight_kg.is_(None) & WorkoutSet.seconds.is_(None), WorkoutSet.reps))
        ),
        func.max(WorkoutSet.seconds),
    )
    .where(
        WorkoutSet.user_id == bindparam("user"),
        WorkoutSet.exercise.in_(bindparam("exercises", expanding=True)),
        WorkoutSet.log_id != bindparam("exclude"),
    )
    .group_by(WorkoutSet.exercise)
)


async def bests(
    session: AsyncSession, user_id: int, exercises: Iterable[str], exclude_log: int | None = None
) -> dict[str, Best]:
    """The runner's best load and best bodyweight set per exercise (leaving out ``exclude_log``),
    in one statement. Only done logs have sets."""
    wanted = sorted(set(exercises))
    if not wanted:
        return {}
    rows = await session.execute(
        _BESTS, {"user": user_id, "exercises": wanted, "exclude": exclude_log or 0}
    )
    found = {}
    for exercise, load, reps, seconds in rows:
        if load is not None or reps is not None or seconds is not None:
            found[str(exercise)] = Best(
                None if load is None else float(load),
                None if reps is None else int(reps),
                None if seconds is None else int(seconds),
            )
    return found


def work_of(prescription: Mapping[str, Any] | None) -> tuple[PlannedWork, ...]:
    """A stored prescription (``Session.as_json()``) as the moves, sets and reps it asks for."""
    if not prescription:
        return ()
    return tuple(
        PlannedWork(p.move, p.sets, p.reps) for p in Session.from_json(prescription).exercises
    )


async def planned_days(session: AsyncSession, user_id: int) -> list[PlannedDay]:
    """The runner's planned sessions (date, status and prescription), oldest first."""
    rows = await session.execute(
        select(PlannedSession.local_date, PlannedSession.status, PlannedSession.prescription)
        .where(PlannedSession.user_id == user_id)
        .order_by(PlannedSession.local_date)
    )
    return [PlannedDay(r[0], r[1], work_of(r[2])) for r in rows]
