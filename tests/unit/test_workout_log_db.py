"""The training log tables and repository on SQLite and PostgreSQL (real servers, no mocks)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.reports import Report, ReportEntry
from bot.core.stats import Best
from bot.db import log_day, workout_log
from bot.db.engine import migrate, session_factory
from bot.db.models import Base, User
from bot.db.training_models import PlannedSession

NOW = datetime(2027, 3, 11, 18, 30, tzinfo=UTC)
DAY = date(2027, 3, 11)
REPORT = Report(
    None,
    (
        ReportEntry("lunge", (10, 10, 10, 10), 20.0),
        ReportEntry("calf-raise", (15, 15, 12)),
    ),
)


async def _ready(engine: AsyncEngine, *user_ids: int) -> async_sessionmaker[AsyncSession]:
    await migrate(engine)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        for uid in user_ids:
            session.add(User(id=uid, chat_id=uid, first_name=f"R{uid}", created_at=NOW,
                             last_seen_at=NOW))  # fmt: skip
    return sessions


async def test_tables_exist_after_migration(engine: AsyncEngine) -> None:
    await migrate(engine)
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    assert {"workout_logs", "workout_sets"} <= set(tables)


async def test_record_reads_back_and_the_same_message_is_stored_once(engine: AsyncEngine) -> None:
    sessions = await _ready(engine, 7)
    async with sessions() as session, session.begin():
        log = await workout_log.record(
            session, user_id=7, chat_id=7, message_id=100, local_date=DAY, report=REPORT, now=NOW,
            note="4x10 lunges @ 20kg, calf raises 15,15,12",
        )  # fmt: skip
        assert log.created
        assert log.entries == REPORT.entries
    async with sessions() as session, session.begin():
        again = await workout_log.record(
            session, user_id=7, chat_id=7, message_id=100, local_date=DAY, report=REPORT, now=NOW
        )
        assert not again.created
        assert again.log_id == log.log_id
        assert again.entries == REPORT.entries  # read back from the database
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(workout_log.WorkoutLog)) == 1
        assert await session.scalar(select(func.count()).select_from(workout_log.WorkoutSet)) == 7
        stored = await workout_log.find_by_message(session, 7, 100)
        assert stored is not None
        assert stored.created_at == NOW
        assert stored.status == "done"
        assert stored.local_date == DAY


async def test_replace_on_edit_and_undo(engine: AsyncEngine) -> None:
    sessions = await _ready(engine, 7)
    later = datetime(2027, 3, 11, 19, tzinfo=UTC)
    async with sessions() as session, session.begin():
        await workout_log.record(
            session, user_id=7, chat_id=7, message_id=1, local_date=DAY, report=REPORT, now=NOW
        )
        log = await workout_log.find_by_message(session, 7, 1)
        assert log is not None
        assert workout_log.entries_of(log) == REPORT.entries
        edited = Report(None, (ReportEntry("squat", (12, 12, 12), 40.0),))
        await workout_log.replace(session, log, edited, later)
        assert workout_log.entries_of(log) == edited.entries
    async with sessions() as session, session.begin():
        found = await workout_log.find_by_message(session, 7, 1)
        assert found is not None
        assert workout_log.entries_of(found) == edited.entries
        assert found.edited_at == later
        last = await workout_log.last_log(session, 7)
        assert last is not None
        await workout_log.delete_log(session, last)
    async with sessions() as session:
        assert await workout_log.last_log(session, 7) is None
        assert await session.scalar(select(func.count()).select_from(workout_log.WorkoutSet)) == 0


async def test_history_pages_and_users_are_separate(engine: AsyncEngine) -> None:
    sessions = await _ready(engine, 7, 8)
    async with sessions() as session, session.begin():
        for day in range(1, 13):
            await workout_log.record(
                session, user_id=7, chat_id=7, message_id=day, local_date=date(2027, 3, day),
                report=REPORT, now=NOW,
            )  # fmt: skip
        await workout_log.record(
            session, user_id=8, chat_id=8, message_id=1, local_date=DAY, report=Report("skipped"),
            now=NOW,
        )  # fmt: skip
    async with sessions() as session:
        first, total = await workout_log.history(session, 7, page=0, per_page=5)
        assert total == 12
        assert [logs[0].local_date.day for logs in first] == [12, 11, 10, 9, 8]
        last, _ = await workout_log.history(session, 7, page=2, per_page=5)
        assert [logs[0].local_date.day for logs in last] == [2, 1]
        other, total = await workout_log.history(session, 8)
        assert total == 1
        assert other[0][0].status == "skipped"
        assert other[0][0].sets == []
        rows = await workout_log.sets_of_user(session, 7, since=date(2027, 3, 12))
        assert [(r.exercise, r.set_index, r.reps) for r in rows] == [
            ("lunge", 1, 10), ("lunge", 2, 10), ("lunge", 3, 10), ("lunge", 4, 10),
            ("calf-raise", 1, 15), ("calf-raise", 2, 15), ("calf-raise", 3, 12),
        ]  # fmt: skip
        skipped = await workout_log.sets_of_user(session, 8)
        assert [(r.status, r.exercise) for r in skipped] == [("skipped", "")]


async def test_delete_user_data_leaves_no_row_of_that_user(engine: AsyncEngine) -> None:
    sessions = await _ready(engine, 7, 8)
    async with sessions() as session, session.begin():
        planned = PlannedSession(
            user_id=7, local_date=DAY, prescription={}, status="sent",
            day_ends_at=datetime(2027, 3, 12, tzinfo=UTC),
        )  # fmt: skip
        session.add(planned)
        await session.flush()
        for uid in (7, 8):
            await workout_log.record(
                session, user_id=uid, chat_id=uid, message_id=5, local_date=DAY, report=REPORT,
                now=NOW, planned_session_id=planned.id if uid == 7 else None,
            )  # fmt: skip
    async with sessions() as session, session.begin():
        deleted = await workout_log.delete_user_data(session, 7)
    assert deleted["users"] == 1
    assert deleted["workout_logs"] == 1
    async with sessions() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in ("user_id", "id", "chat_id") if c in table.c]
            if table.name == "workout_sets":
                continue
            for column in columns:
                if table.name != "users" and column == "id":
                    continue
                count = await session.scalar(
                    select(func.count()).select_from(table).where(table.c[column] == 7)
                )
                assert count == 0, (table.name, column)
        orphans = await session.scalar(
            text(
                "SELECT count(*) FROM workout_sets"
                " WHERE log_id NOT IN (SELECT id FROM workout_logs)"
            )
        )
        assert orphans == 0
        assert await session.scalar(select(func.count()).select_from(workout_log.WorkoutSet)) == 7
        assert await session.get(User, 8) is not None


async def test_bests_and_day_context(engine: AsyncEngine) -> None:
    sessions = await _ready(engine, 7)
    async with sessions() as session, session.begin():
        for n, report in enumerate(
            (
                Report(
                    None, (ReportEntry("squat", (5, 5), 40.0), ReportEntry("calf-raise", (20,)))
                ),
                Report(
                    None, (ReportEntry("squat", (3,), 45.0), ReportEntry("calf-raise", (25, 12)))
                ),
            )
        ):
            await workout_log.record(
                session, user_id=7, chat_id=7, message_id=n, local_date=DAY, report=report, now=NOW
            )
        found = await workout_log.bests(session, 7, ["squat", "calf-raise", "lunge"])
        assert found == {"squat": Best(45.0, None), "calf-raise": Best(None, 25)}
        first = await workout_log.find_by_message(session, 7, 0)
        assert first is not None
        second = await workout_log.find_by_message(session, 7, 1)
        assert second is not None
        without = await workout_log.bests(session, 7, ["squat"], exclude_log=second.id)
        assert without == {"squat": Best(40.0, None)}
        context = await log_day.day_context(session, 7, DAY, ["squat", "lunge"])
        assert context == log_day.DayContext(False, None, [], {"squat": Best(45.0, None)})
        session.add(
            PlannedSession(
                user_id=7, local_date=DAY, prescription={}, status="sent",
                day_ends_at=datetime(2027, 3, 12, tzinfo=UTC),
            )
        )  # fmt: skip
        await session.flush()
        context = await log_day.day_context(session, 7, DAY)
        assert [(p.local_date, p.status) for p in context.planned] == [(DAY, "sent")]


async def test_a_failed_statement_raises_sqlalchemys_error(engine: AsyncEngine) -> None:
    """A refused statement raises SQLAlchemy's error (the inbox counts it as an attempt)."""
    sessions = await _ready(engine, 7)
    with pytest.raises(IntegrityError):  # no such user: the foreign key refuses the log
        async with sessions() as session, session.begin():
            await workout_log.record(
                session, user_id=99, chat_id=99, message_id=1, local_date=DAY, report=REPORT,
                now=NOW,
            )  # fmt: skip
    async with sessions() as session:  # rolled back: nothing half-written
        assert await session.scalar(select(func.count()).select_from(workout_log.WorkoutSet)) == 0


async def test_a_session_closed_without_commit_leaves_nothing(engine: AsyncEngine) -> None:
    """A session closed without a commit (a handler raised) leaves nothing behind, and the
    next session starts clean."""
    sessions = await _ready(engine, 7)
    session = sessions()
    logged = await workout_log.record(
        session, user_id=7, chat_id=7, message_id=3, local_date=DAY, report=REPORT, now=NOW
    )
    assert logged.created
    await session.close()  # no commit
    async with sessions() as session, session.begin():
        assert await session.scalar(select(func.count()).select_from(workout_log.WorkoutLog)) == 0
        assert await session.scalar(select(func.count()).select_from(workout_log.WorkoutSet)) == 0
        again = await workout_log.record(
            session, user_id=7, chat_id=7, message_id=3, local_date=DAY, report=REPORT, now=NOW
        )
        assert again.created
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(workout_log.WorkoutSet)) == 7
