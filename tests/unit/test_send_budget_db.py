"""The shared send budget's table (bot/db/send_budget.py) on both backends, at chosen instants:
slots booked ahead, the window counted from the answer, a dead taker's slot back after its hold,
background sends paced and kept to a short horizon, and at most 30 rows whatever the rate."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db import send_budget
from bot.db.engine import autocommit_sessions, migrate
from bot.db.send_budget import Refused, SendSlot, Taken, Turn
from bot.telegram.send_budget import SharedSendBudget

NOW = 1_000.0
HOLD = 30.0
SPACING = 0.1


async def _sessions(engine: AsyncEngine, slots: int) -> async_sessionmaker[AsyncSession]:
    await migrate(engine)
    sessions = autocommit_sessions(engine)
    async with sessions.begin() as db:
        await send_budget.ensure_slots(db, slots)
    return sessions


async def _take(
    sessions: async_sessionmaker[AsyncSession],
    now: float,
    ahead: float,
    slots: int,
    background: bool = False,
    turn: Turn | None = None,
) -> Taken | Refused:
    async with sessions.begin() as db:
        return await send_budget.take(
            db, now, now + ahead, now + HOLD, slots, background=background, spacing=SPACING,
            turn=turn,
        )  # fmt: skip


async def _release(sessions: async_sessionmaker[AsyncSession], slot: int, free_at: float) -> None:
    async with sessions.begin() as db:
        await send_budget.release(db, slot, free_at)


async def test_each_slot_once_until_answered_then_a_window_after_the_answer(
    engine: AsyncEngine,
) -> None:
    sessions = await _sessions(engine, 2)
    first, second = [await _take(sessions, NOW, 1.0, 2) for _ in range(2)]
    assert [first, second] == [Taken(0, NOW), Taken(1, NOW)]
    # Both in flight: nothing to book, and the earliest free_at is a hold, not an answer.
    assert await _take(sessions, NOW + 0.5, 1.0, 2) == Refused(NOW + HOLD, 0.0)
    free_at = NOW + 0.02 + 1.0  # answered at NOW + 0.02, a window of 1 s
    await _release(sessions, 1, free_at)
    # Booked ahead: it may leave a window after the answer, not before.
    assert await _take(sessions, NOW + 0.5, 1.0, 2) == Taken(1, free_at)


async def test_a_slot_of_a_taker_that_died_comes_back_after_its_hold(engine: AsyncEngine) -> None:
    sessions = await _sessions(engine, 1)
    assert isinstance(await _take(sessions, NOW, 1.0, 1), Taken)  # never released
    assert isinstance(await _take(sessions, NOW + HOLD - 1.5, 1.0, 1), Refused)
    assert await _take(sessions, NOW + HOLD - 0.5, 1.0, 1) == Taken(0, NOW + HOLD)


async def test_background_sends_are_paced_and_book_only_a_short_way_ahead(
    engine: AsyncEngine,
) -> None:
    sessions = await _sessions(engine, 5)
    # After an idle spell two may go back to back, then one every SPACING.
    starts = []
    for _ in range(3):
        taken = await _take(sessions, NOW, SPACING, 5, background=True)
        assert isinstance(taken, Taken)
        starts.append(taken.start)
    assert starts == [NOW, NOW, NOW + SPACING]
    refused = await _take(sessions, NOW, SPACING / 2, 5, background=True)
    assert refused == Refused(0.0, NOW + 2 * SPACING)
    # The slot it found is left as it was: an interactive send books it at once.
    assert await _take(sessions, NOW, 1.0, 5) == Taken(3, NOW)


async def test_a_reply_books_a_slot_that_background_sends_may_not_yet(engine: AsyncEngine) -> None:
    sessions = await _sessions(engine, 2)
    for slot, free_at in ((0, NOW + 0.5), (1, NOW + 0.8)):
        await _release(sessions, slot, free_at)
    refused = await _take(sessions, NOW, SPACING, 2, background=True)
    assert refused == Refused(NOW + 0.5, 0.0)
    assert await _take(sessions, NOW, 1.0, 2) == Taken(0, NOW + 0.5)
    refused = await _take(sessions, NOW + 0.45, SPACING, 2, background=True)
    assert refused == Refused(NOW + 0.8, 0.0)


async def test_any_rate_keeps_at_most_30_slot_rows(engine: AsyncEngine) -> None:
    await migrate(engine)
    sessions = autocommit_sessions(engine)
    budget = SharedSendBudget(sessions, per_second=100_000)
    assert budget.slots == send_budget.MAX_SLOTS == 30
    for background in (False, True, False):
        slot = await budget.acquire(background)
        assert slot is not None
        await budget.release(slot)
    async with sessions() as db:
        rows = await db.scalar(select(func.count()).select_from(SendSlot))
    assert rows == 31  # the slots and the pacer
    assert SharedSendBudget(sessions, per_second=30).slots == 30
    assert SharedSendBudget(sessions, per_second=5).slots == 5


# Only several instances share a budget, and they need PostgreSQL (SQLite is one process).
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_chats_turns_are_booked_with_the_slot_and_a_late_turn_gives_the_slot_back(
    engine: AsyncEngine,
) -> None:
    sessions = await _sessions(engine, 30)
    chat = Turn(chat_id=42, step=1.0, burst=2)
    # A burst of two back to back, then one a second, counted from the booked turns.
    assert await _take(sessions, NOW, 1.0, 30, turn=chat) == Taken(0, NOW)
    assert await _take(sessions, NOW, 1.0, 30, turn=chat) == Taken(1, NOW)
    assert await _take(sessions, NOW, 1.0, 30, turn=chat) == Taken(2, NOW + 1.0)
    # The fourth turn is two seconds off, past a reply's horizon: booked, but the slot it
    # found goes back as it was, for another chat's send.
    late = await _take(sessions, NOW, 1.0, 30, turn=chat)
    assert isinstance(late, Refused)
    assert late.turn_at == NOW + 2.0
    assert await _take(sessions, NOW, 1.0, 30) == Taken(3, NOW)
    # Another chat has turns of its own.
    assert await _take(sessions, NOW, 1.0, 30, turn=Turn(43, 1.0, 2)) == Taken(4, NOW)
    async with sessions.begin() as db:  # forgotten once their last turn is a minute old
        assert await send_budget.forget_turns(db, NOW + 2.5) == 1
        assert await send_budget.forget_turns(db, NOW + 4.5) == 1
