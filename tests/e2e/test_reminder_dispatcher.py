"""The dispatcher against the Bot API emulator (real HTTP, SQLite and PostgreSQL), time from a
FixedClock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import ExtBot

from bot.core.clock import FixedClock
from bot.core.content import ContentStore
from bot.db import planned_sessions, schedules, users
from bot.db.engine import create_engine, migrate, session_factory
from bot.emulator import BotApiEmulator
from bot.jobs.reminders import DispatcherOptions, ReminderDispatcher
from bot.services import training as service
from bot.services.training import Training

START = datetime(2027, 1, 4, 3, 0, tzinfo=UTC)  # Monday 04:00 in Berlin
FIRE = datetime(2027, 1, 4, 6, 0, tzinfo=UTC)  # 07:00 in Berlin


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(database_url)
    await migrate(eng)
    yield eng
    await eng.dispose()


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[ExtBot[None]]:
    ext: ExtBot[None] = ExtBot(
        emulator.token, base_url=emulator.base_url, base_file_url=emulator.base_file_url
    )
    await ext.initialize()
    yield ext
    await ext.shutdown()


async def _runner(
    sessions: async_sessionmaker[AsyncSession], emulator: BotApiEmulator, uid: int,
    at: time = time(7, 0), days: frozenset[int] = frozenset({0, 3}),
) -> None:  # fmt: skip
    emulator.add_chat(uid)
    async with sessions.begin() as db:
        await users.touch(db, users.SeenUser(uid, uid, "Runner"), START)
        await service.set_zone(db, uid, uid, "Europe/Berlin", START)
        await service.set_reminder(db, uid, uid, at, days, START)


def _dispatcher(
    bot: ExtBot[None], engine: AsyncEngine, clock: FixedClock, store: ContentStore,
    owner: str = "test",
) -> ReminderDispatcher:  # fmt: skip
    return ReminderDispatcher(
        bot, session_factory(engine), clock, Training.from_store(store), DispatcherOptions(),
        owner=owner,
    )  # fmt: skip


async def test_due_reminder_is_sent_once_with_its_session(
    emulator: BotApiEmulator, bot: ExtBot[None], engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = session_factory(engine)
    await _runner(sessions, emulator, 1001)
    clock = FixedClock(FIRE - timedelta(seconds=1))
    dispatcher = _dispatcher(bot, engine, clock, store)
    assert (await dispatcher.tick()).sent == 0  # not due yet
    clock.set(FIRE)
    stats = await dispatcher.tick()
    assert stats.sent == 1
    [message] = emulator.messages(1001)
    assert message.text.startswith("Today's strength session (Mon 4 Jan)")
    assert "squat" in message.text.lower()  # the season plan's session of the day
    assert "deadlift" in message.text.lower()
    assert message.reply_markup is not None
    labels = [b["text"] for row in message.reply_markup["inline_keyboard"] for b in row]
    assert labels[:4] == ["✅ Done", "Skip", "Snooze 30 min", "Snooze 1 h"]
    assert sum(label.startswith("How to: ") for label in labels) >= 3
    async with sessions() as db:
        planned = await planned_sessions.find_by_reminder(db, 1001, message.message_id)
        assert planned is not None
        assert planned.local_date == date(2027, 1, 4)
        assert planned.status == "sent"
        row = await schedules.get(db, 1001)
        assert row is not None
        assert row.next_fire_at == datetime(2027, 1, 7, 6, 0, tzinfo=UTC)  # Thursday 07:00
        assert row.lease_owner is None
    clock.advance(timedelta(minutes=10))
    assert (await dispatcher.tick()).sent == 0
    assert len(emulator.messages(1001)) == 1


async def test_downtime_within_grace_sends_late_beyond_grace_skips(
    emulator: BotApiEmulator, bot: ExtBot[None], engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = session_factory(engine)
    await _runner(sessions, emulator, 1001)
    await _runner(sessions, emulator, 1002, at=time(5, 30))  # 04:30 UTC: 90 min before FIRE
    clock = FixedClock(FIRE + timedelta(minutes=59))
    stats = await _dispatcher(bot, engine, clock, store).tick()
    assert stats.sent == 1
    assert stats.skipped_stale == 1
    assert len(emulator.messages(1001)) == 1
    assert emulator.messages(1002) == []
    async with sessions() as db:
        row = await schedules.get(db, 1002)
        assert row is not None
        assert row.next_fire_at == datetime(2027, 1, 7, 4, 30, tzinfo=UTC)  # no burst: next one


async def test_blocked_user_stops_without_retries(
    emulator: BotApiEmulator, bot: ExtBot[None], engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = session_factory(engine)
    await _runner(sessions, emulator, 1001)
    emulator.user_blocks_bot(1001)
    clock = FixedClock(FIRE)
    dispatcher = _dispatcher(bot, engine, clock, store)
    assert (await dispatcher.tick()).blocked == 1
    calls = len(emulator.calls("sendMessage"))
    clock.advance(timedelta(days=7))
    assert (await dispatcher.tick()).handled == 0
    assert len(emulator.calls("sendMessage")) == calls  # no retry against a blocked chat
    # The one 403 was the point of this test; nothing else may have been refused.
    assert [r.status for r in emulator.rejected] == [403]
    emulator.rejected.clear()
    async with sessions.begin() as db:
        row = await schedules.get(db, 1001)
        assert row is not None
        assert row.blocked
        assert row.next_fire_at is None
        assert await schedules.unblock(db, 1001, clock.now())  # /start brings them back
        assert row.next_fire_at is not None


async def test_chat_not_found_skips_one_reminder_and_keeps_the_rest(
    emulator: BotApiEmulator, bot: ExtBot[None], engine: AsyncEngine, store: ContentStore
) -> None:
    """A Bot API server that does not know the chat (one that lost its chats) is not a runner
    who blocked the bot: that reminder is skipped and the next one is on schedule."""
    sessions = session_factory(engine)
    async with sessions.begin() as db:  # a runner the emulator has never heard of
        await users.touch(db, users.SeenUser(4242, 4242, "Runner"), START)
        await service.set_zone(db, 4242, 4242, "Europe/Berlin", START)
        await service.set_reminder(db, 4242, 4242, time(7, 0), frozenset({0, 3}), START)
    clock = FixedClock(FIRE)
    stats = await _dispatcher(bot, engine, clock, store).tick()
    assert (stats.blocked, stats.failed) == (0, 1)
    assert [r.description for r in emulator.rejected] == ["Bad Request: chat not found"]
    emulator.rejected.clear()
    async with sessions() as db:
        row = await schedules.get(db, 4242)
        assert row is not None
        assert not row.blocked
        assert row.next_fire_at == datetime(2027, 1, 7, 6, 0, tzinfo=UTC)  # Thursday 07:00


async def test_server_error_is_retried_after_a_backoff(
    emulator: BotApiEmulator, bot: ExtBot[None], engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = session_factory(engine)
    await _runner(sessions, emulator, 1001)
    emulator.fail_next("sendMessage", status=502)
    clock = FixedClock(FIRE)
    dispatcher = _dispatcher(bot, engine, clock, store)
    assert (await dispatcher.tick()).retried == 1
    assert (await dispatcher.tick()).handled == 0  # backing off
    clock.advance(timedelta(seconds=6))
    assert (await dispatcher.tick()).sent == 1
    assert len(emulator.messages(1001)) == 1


async def test_snooze_sends_the_same_session_again(
    emulator: BotApiEmulator, bot: ExtBot[None], engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = session_factory(engine)
    await _runner(sessions, emulator, 1001)
    clock = FixedClock(FIRE)
    dispatcher = _dispatcher(bot, engine, clock, store)
    await dispatcher.tick()
    [first] = emulator.messages(1001)
    async with sessions.begin() as db:
        planned = await planned_sessions.find_by_reminder(db, 1001, first.message_id)
        row = await schedules.get(db, 1001)
        assert planned is not None
        assert row is not None
        service.snooze(row, planned, timedelta(minutes=30), clock.now())
    clock.advance(timedelta(minutes=29))
    assert (await dispatcher.tick()).sent == 0
    clock.advance(timedelta(minutes=1))
    assert (await dispatcher.tick()).sent == 1
    second = emulator.messages(1001)[-1]
    assert second.text.startswith("Snoozed: your strength session")
    assert second.text.split("\n")[1:] == first.text.split("\n")[1:]
    async with sessions() as db:
        again = await planned_sessions.find_by_reminder(db, 1001, second.message_id)
        assert again is not None
        assert again.id == planned.id
        row = await schedules.get(db, 1001)
        assert row is not None
        assert row.next_fire_at == datetime(2027, 1, 7, 6, 0, tzinfo=UTC)


async def test_missed_at_the_end_of_the_local_day(
    emulator: BotApiEmulator, bot: ExtBot[None], engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = session_factory(engine)
    await _runner(sessions, emulator, 1001)
    clock = FixedClock(FIRE)
    dispatcher = _dispatcher(bot, engine, clock, store)
    await dispatcher.tick()
    clock.set(datetime(2027, 1, 4, 23, 0, tzinfo=UTC))  # midnight in Berlin
    assert (await dispatcher.tick()).missed == 1
    async with sessions() as db:
        planned = await planned_sessions.for_day(db, 1001, date(2027, 1, 4))
        assert planned is not None
        assert planned.status == "missed"


async def test_two_dispatchers_send_each_reminder_exactly_once(
    emulator: BotApiEmulator, bot: ExtBot[None], engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = session_factory(engine)
    chats = list(range(2001, 2061))
    for uid in chats:
        await _runner(sessions, emulator, uid)
    clock = FixedClock(FIRE)
    first = ReminderDispatcher(
        bot, session_factory(engine), clock, Training.from_store(store),
        DispatcherOptions(batch=7), owner="one",
    )  # fmt: skip
    second = ReminderDispatcher(
        bot, session_factory(engine), clock, Training.from_store(store),
        DispatcherOptions(batch=5), owner="two",
    )  # fmt: skip
    one, two = await asyncio.gather(first.tick(), second.tick())
    assert one.sent + two.sent == len(chats)
    assert one.sent > 0
    assert two.sent > 0
    for uid in chats:
        assert len(emulator.messages(uid)) == 1
