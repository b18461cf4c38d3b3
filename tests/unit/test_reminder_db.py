"""Schedules and planned sessions on SQLite and PostgreSQL: the claim, leases, the repository API
the logging builds on, and two dispatchers claiming at once (each reminder exactly once)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.content import ContentStore
from bot.core.reports import Report, ReportEntry
from bot.core.schedule import PauseSpec
from bot.db import planned_sessions, schedules, users, workout_log
from bot.db.engine import create_engine, migrate, session_factory
from bot.db.schedules import Confirmation, ReminderSchedule
from bot.services import training as service

NOW = datetime(2027, 1, 4, 5, 0, tzinfo=UTC)  # a Monday, 06:00 in Berlin


async def _users(sessions: async_sessionmaker[AsyncSession], count: int) -> None:
    async with sessions.begin() as db:
        for uid in range(1, count + 1):
            await users.touch(db, users.SeenUser(id=uid, chat_id=uid, first_name=f"R{uid}"), NOW)


async def test_tables_exist(engine: AsyncEngine) -> None:
    await migrate(engine)
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    assert {"reminder_schedules", "planned_sessions", "setup_conversations"} <= set(tables)


async def test_set_up_pause_resume_stop(engine: AsyncEngine) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    await _users(sessions, 1)
    async with sessions.begin() as db:
        row = await service.set_zone(db, 1, 1, "Europe/Berlin", NOW)
        assert not service.is_active(row)  # no time yet: nothing is due, nothing assumed
        row = await service.set_reminder(db, 1, 1, time(7, 0), frozenset({0, 2, 4}), NOW)
        assert row.next_fire_at == datetime(2027, 1, 4, 6, 0, tzinfo=UTC)
        service.pause(row, PauseSpec(date(2027, 1, 11)), NOW)
        assert row.next_fire_at == datetime(2027, 1, 11, 6, 0, tzinfo=UTC)
        service.pause(row, PauseSpec(None), NOW)
        assert not service.is_active(row)
        assert service.resume(row, NOW) is True
        assert row.next_fire_at == datetime(2027, 1, 4, 6, 0, tzinfo=UTC)
        service.stop(row, NOW)
        assert not service.is_active(row)
    async with sessions() as db:
        stored = await schedules.get(db, 1)
        assert stored is not None
        assert stored.stopped
        assert stored.local_time == "07:00"
        assert schedules.days_from_mask(stored.days) == {0, 2, 4}


async def test_claim_takes_due_ones_once_and_lease_expiry_retries(engine: AsyncEngine) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    await _users(sessions, 3)
    async with sessions.begin() as db:
        for uid, at in ((1, time(6, 15)), (2, time(6, 30)), (3, time(9, 0))):
            await service.set_zone(db, uid, uid, "Europe/Berlin", NOW)
            await service.set_reminder(db, uid, uid, at, None, NOW)
    lease = timedelta(minutes=5)
    at_630 = datetime(2027, 1, 4, 5, 31, tzinfo=UTC)
    async with sessions.begin() as db:
        first = await schedules.claim_due(db, at_630, "a", lease, 10)
    assert [c.user_id for c in first] == [1, 2]  # due order; 3 is not due
    assert first[0].fire_at == datetime(2027, 1, 4, 5, 15, tzinfo=UTC)
    async with sessions.begin() as db:
        assert await schedules.claim_due(db, at_630, "b", lease, 10) == []  # leased
    # "a" confirms 1 but crashes before 2: after the lease, 2 is claimable again.
    async with sessions.begin() as db:
        await schedules.confirm_sent(db, "a", [Confirmation(1, None)], at_630)
        # A confirmation by a process that does not hold the lease changes nothing.
        await schedules.confirm_sent(db, "b", [Confirmation(2, None)], at_630)
    later = at_630 + lease
    async with sessions.begin() as db:
        again = await schedules.claim_due(db, later, "b", lease, 10)
    assert [c.user_id for c in again] == [2]
    assert again[0].attempts == 2
    async with sessions() as db:
        one = await schedules.get(db, 1)
        assert one is not None
        assert one.next_fire_at is None
        assert one.lease_owner is None


async def test_planned_session_repository(engine: AsyncEngine, store: ContentStore) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    await _users(sessions, 1)
    training = service.Training.from_store(store)
    monday = date(2027, 1, 4)
    async with sessions.begin() as db:
        await service.set_zone(db, 1, 1, "Europe/Berlin", NOW)
        row = await service.set_reminder(db, 1, 1, time(7, 0), frozenset({0, 3}), NOW)
        planned = await training.planned_for(db, row, monday)
        assert planned is not None
        assert await training.planned_for(db, row, date(2027, 1, 5)) is None  # rest day
        planned_sessions.record_reminder(planned, 1, 555, NOW, NOW)
    async with sessions.begin() as db:
        found = await planned_sessions.find_by_reminder(db, 1, 555)
        assert found is not None
        assert found.status == "sent"
        assert found.local_date == monday
        assert found.day_ends_at == datetime(2027, 1, 4, 23, 0, tzinfo=UTC)
        same = await planned_sessions.for_day(db, 1, monday)
        assert same is not None
        assert same.id == found.id
        assert await planned_sessions.find_by_reminder(db, 1, 556) is None
        # Not done by the end of the local day: missed.
        assert (
            await planned_sessions.sweep_missed(db, datetime(2027, 1, 4, 22, 59, tzinfo=UTC)) == 0
        )
        assert await planned_sessions.sweep_missed(db, datetime(2027, 1, 4, 23, 0, tzinfo=UTC)) == 1
    async with sessions() as db:
        missed = await planned_sessions.for_day(db, 1, monday)
        assert missed is not None
        assert missed.status == "missed"
    # Thursday's session, half logged that day: the end of the day closes it as done.
    thursday = date(2027, 1, 7)
    async with sessions.begin() as db:
        again = await schedules.get(db, 1)
        assert again is not None
        half = await training.planned_for(db, again, thursday)
        assert half is not None
        await workout_log.record(
            db, user_id=1, chat_id=1, message_id=900, local_date=thursday,
            report=Report(None, (ReportEntry("squat", (10, 10)),)), now=NOW,
            planned_session_id=half.id,
        )  # fmt: skip
        assert await planned_sessions.sweep_missed(db, datetime(2027, 1, 7, 23, 0, tzinfo=UTC)) == 1
    async with sessions() as db:
        closed = await planned_sessions.for_day(db, 1, thursday)
        assert closed is not None
        assert closed.status == "done"


async def test_done_twice_in_a_row_progresses(engine: AsyncEngine, store: ContentStore) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    await _users(sessions, 1)
    training = service.Training.from_store(store)
    async with sessions.begin() as db:
        await service.set_zone(db, 1, 1, "UTC", NOW)
        row = await service.set_reminder(db, 1, 1, time(7, 0), frozenset(range(7)), NOW)
        row.sessions_per_week = 3
        days = [d for d in (date(2027, 1, 4) + timedelta(i) for i in range(14))
                if training.session_on(row, d) is not None]  # fmt: skip
        first = await training.planned_for(db, row, days[0])
        assert first is not None
        assert training.finish(row, first, "done", NOW)
        assert not training.finish(row, first, "done", NOW)  # a double tap counts once
        second = await training.planned_for(db, row, days[1])
        assert second is not None
        training.finish(row, second, "done", NOW)
    async with sessions() as db:
        stored = await schedules.get(db, 1)
        assert stored is not None
        squat_tracks = [t for t in stored.progress if t in ("squat", "bulgarian-split-squat")]
        assert squat_tracks
        assert any(stored.progress[t]["streak"] == 0 for t in stored.progress)


async def _claimer(url: str, name: str, seen: list[tuple[str, int]]) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        idle = 0
        while idle < 3:
            async with sessions.begin() as db:
                claimed = await schedules.claim_due(db, NOW, name, timedelta(minutes=5), 7)
            if not claimed:
                idle += 1
                await asyncio.sleep(0.01)
                continue
            idle = 0
            seen.extend((name, c.user_id) for c in claimed)
            await asyncio.sleep(0)  # "send"
            async with sessions.begin() as db:
                await schedules.confirm_sent(
                    db, name, [Confirmation(c.user_id, None) for c in claimed], NOW
                )
    finally:
        await engine.dispose()


async def test_two_dispatchers_claim_each_reminder_exactly_once(
    engine: AsyncEngine, database_url: str
) -> None:
    await migrate(engine)
    sessions = session_factory(engine)
    count = 300
    await _users(sessions, count)
    async with sessions.begin() as db:
        for uid in range(1, count + 1):
            row = await schedules.get_or_create(db, uid, uid, NOW)
            row.next_fire_at = NOW - timedelta(seconds=uid)
    seen: list[tuple[str, int]] = []
    await asyncio.gather(_claimer(database_url, "a", seen), _claimer(database_url, "b", seen))
    ids = [uid for _, uid in seen]
    assert sorted(ids) == list(range(1, count + 1))  # every one, none twice
    assert {name for name, _ in seen} == {"a", "b"}  # both really took part
    async with sessions() as db:
        left = await db.scalar(
            select(ReminderSchedule.user_id).where(ReminderSchedule.next_fire_at.is_not(None))
        )
        assert left is None
