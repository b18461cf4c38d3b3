"""Training log repository: record a report exactly once, replace it on edit, undo, history, the
sets for stats and export, and erasing everything of a runner.

A log is keyed by the message that reported it (chat id + message id, unique): recording the
same message twice (a redelivered update, a second instance) inserts nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Table, case, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.reports import Report, ReportEntry
from bot.core.stats import Best, LoggedSet, PlannedDay
from bot.db.log_models import WorkoutLog, WorkoutSet
from bot.db.models import Base
from bot.db.training_models import PlannedSession

__all__ = [
    "LoggedSet",
    "WorkoutLog",
    "WorkoutSet",
    "bests",
    "delete_log",
    "delete_user_data",
    "entries_of",
    "find_by_message",
    "history",
    "last_log",
    "planned_days",
    "record",
    "replace",
    "sets_of_user",
]

NOTE_LIMIT = 1000


def _sets(log_id: int, entries: tuple[ReportEntry, ...]) -> list[dict[str, object]]:
    return [
        {
            "log_id": log_id,
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


def _status(report: Report) -> str:
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
) -> tuple[WorkoutLog, bool]:
    """Store ``report`` for the message; (the log, True) when new, (the existing one, False)
    when this message was logged already. One INSERT ... ON CONFLICT DO NOTHING, so two
    concurrent deliveries cannot both insert."""
    values = {
        "user_id": user_id,
        "chat_id": chat_id,
        "message_id": message_id,
        "planned_session_id": planned_session_id,
        "local_date": local_date,
        "status": _status(report),
        "note": note[:NOTE_LIMIT],
        "created_at": now,
    }
    table: Table = WorkoutLog.__table__  # type: ignore[assignment]
    dialect = session.get_bind().dialect.name
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        upsert(table)
        .values(values)
        .on_conflict_do_nothing(index_elements=["chat_id", "message_id"])
        .returning(table.c.id)
    )
    new_id = (await session.execute(statement)).scalar_one_or_none()
    if new_id is None:
        existing = await find_by_message(session, chat_id, message_id)
        assert existing is not None  # the conflict was on this very key
        return existing, False
    rows = _sets(new_id, report.entries)
    if rows:
        await session.execute(insert(WorkoutSet), rows)
    log = await session.get(WorkoutLog, new_id, populate_existing=True)
    assert log is not None
    return log, True


async def find_by_message(
    session: AsyncSession, chat_id: int, message_id: int
) -> WorkoutLog | None:
    return await session.scalar(
        select(WorkoutLog).where(WorkoutLog.chat_id == chat_id, WorkoutLog.message_id == message_id)
    )


async def replace(session: AsyncSession, log: WorkoutLog, report: Report, now: datetime) -> None:
    """The message was edited: its log now says what the new text says."""
    await session.execute(delete(WorkoutSet).where(WorkoutSet.log_id == log.id))
    rows = _sets(log.id, report.entries)
    if rows:
        await session.execute(insert(WorkoutSet), rows)
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


async def bests(
    session: AsyncSession, user_id: int, exercises: Iterable[str], exclude_log: int | None = None
) -> dict[str, Best]:
    """The runner's best load and best bodyweight set per exercise (done logs only)."""
    wanted = sorted(set(exercises))
    if not wanted:
        return {}
    bodyweight_reps = case((WorkoutSet.weight_kg.is_(None), WorkoutSet.reps))
    query = (
        select(WorkoutSet.exercise, func.max(WorkoutSet.weight_kg), func.max(bodyweight_reps))
        .join(WorkoutLog, WorkoutSet.log_id == WorkoutLog.id)
        .where(
            WorkoutLog.user_id == user_id,
            WorkoutLog.status == "done",
            WorkoutSet.exercise.in_(wanted),
        )
        .group_by(WorkoutSet.exercise)
    )
    if exclude_log is not None:
        query = query.where(WorkoutLog.id != exclude_log)
    rows = await session.execute(query)
    return {
        r[0]: Best(None if r[1] is None else float(r[1]), None if r[2] is None else int(r[2]))
        for r in rows
    }


async def planned_days(session: AsyncSession, user_id: int) -> list[PlannedDay]:
    """The runner's planned sessions (date and status), oldest first."""
    rows = await session.execute(
        select(PlannedSession.local_date, PlannedSession.status)
        .where(PlannedSession.user_id == user_id)
        .order_by(PlannedSession.local_date)
    )
    return [PlannedDay(r[0], r[1]) for r in rows]


async def delete_user_data(session: AsyncSession, user_id: int) -> dict[str, int]:
    """Erase a runner from every table: rows with their ``user_id`` (children first), updates of
    their private chat, then the user row. Returns rows deleted per table."""
    deleted: dict[str, int] = {}
    await session.execute(
        delete(WorkoutSet).where(
            WorkoutSet.log_id.in_(select(WorkoutLog.id).where(WorkoutLog.user_id == user_id))
        )
    )
    for table in reversed(Base.metadata.sorted_tables):
        if table.name == "users":
            continue
        condition = None
        if "user_id" in table.c:
            condition = table.c.user_id == user_id
        elif "chat_id" in table.c and table.name == "inbox":
            condition = table.c.chat_id == user_id  # a private chat's id is the user's id
        if condition is None:
            continue
        result = await session.execute(delete(table).where(condition))
        deleted[table.name] = int(getattr(result, "rowcount", 0) or 0)
    users = Base.metadata.tables["users"]
    result = await session.execute(delete(users).where(users.c.id == user_id))
    deleted["users"] = int(getattr(result, "rowcount", 0) or 0)
    return deleted
