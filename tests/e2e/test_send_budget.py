"""Two instances' send layers drawing from one PostgreSQL send budget, against the emulator's
flood control (30/s overall, Telegram's limit): together they stay under it (no 429), a reply
of either still goes first, and each chat's turns are shared. The rates they reach are figures
of bench/scale_out.py, not assertions here."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.db import send_budget
from bot.db.engine import autocommit_sessions, create_engine, migrate
from bot.db.send_budget import Refused, Taken
from bot.emulator import BotApiEmulator
from bot.telegram.send_budget import HOLD, SharedSendBudget
from bot.telegram.sending import RateLimitArgs, SendLayer

pytestmark = pytest.mark.postgres

PER_INSTANCE = 60
FIRST_CHAT = 70_000


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(database_url)
    await migrate(eng)
    yield eng
    await eng.dispose()


async def _instance(
    emulator: BotApiEmulator, engine: AsyncEngine, per_chat: float = 1.0
) -> tuple[ExtBot[RateLimitArgs], SendLayer]:
    layer = SendLayer(per_second=30, per_chat=per_chat)
    layer.shared = SharedSendBudget(autocommit_sessions(engine), 30)
    bot: ExtBot[RateLimitArgs] = ExtBot(
        emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        rate_limiter=layer,
    )
    await bot.initialize()
    return bot, layer


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_instances_share_30_a_second_and_replies_go_first(
    emulator: BotApiEmulator, engine: AsyncEngine
) -> None:
    emulator.set_flood_limit(per_second=30, per_chat=1)
    chats = [FIRST_CHAT + i for i in range(2 * PER_INSTANCE + 20)]
    for chat in chats:
        emulator.add_chat(chat)
    (one, one_layer), (two, two_layer) = [await _instance(emulator, engine) for _ in range(2)]
    overtaken: list[int] = []  # reminders delivered while each reply was on its way

    async def fan_out(bot: ExtBot[RateLimitArgs], first: int) -> None:
        await asyncio.gather(*(
            bot.send_message(chat, "reminder", rate_limit_args={"background": True})
            for chat in chats[first : first + PER_INSTANCE]
        ))  # fmt: skip

    async def replies() -> None:
        await asyncio.sleep(0.5)  # the fan-outs are under way
        for chat in chats[2 * PER_INSTANCE :]:
            before = len(emulator.messages())
            await one.send_message(chat, "answer")  # interactive, while both fan out
            overtaken.append(len(emulator.messages()) - before - 1)
            await asyncio.sleep(0.1)

    try:
        await asyncio.gather(fan_out(one, 0), fan_out(two, PER_INSTANCE), replies())
    finally:
        await one.shutdown()
        await two.shutdown()
    assert len(emulator.messages()) == 2 * PER_INSTANCE + 20
    assert one_layer.floods + two_layer.floods == 0  # no 429: the sum stayed under 30/s
    # Replies first, across instances: a reply passes the dozens of reminders queued on both
    # instances; only those already booked or in flight (a few) arrive while it is on its way.
    # Behind them it would wait for most of both fan-outs. (The rate: bench/scale_out.py.)
    assert max(overtaken) <= 10, overtaken


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_instances_share_one_chats_turns(
    emulator: BotApiEmulator, engine: AsyncEngine
) -> None:
    """Each instance alone would send its first three to the chat at once (the per-chat burst);
    drawing turns from the database, the two together keep to the chat's limit: no 429."""
    emulator.set_flood_limit(per_second=30, per_chat=3)
    chat = FIRST_CHAT
    emulator.add_chat(chat)
    instances = [await _instance(emulator, engine, per_chat=0.8) for _ in range(2)]
    started = time.monotonic()
    try:
        await asyncio.gather(*(
            bot.send_message(chat, f"message {n}") for bot, _ in instances for n in range(3)
        ))  # fmt: skip
    finally:
        for bot, _ in instances:
            await bot.shutdown()
    assert len(emulator.messages(chat)) == 6
    assert sum(layer.floods for _, layer in instances) == 0
    # Three at once, then one every 1.25 s: the sixth leaves about 3.75 s after the first.
    assert time.monotonic() - started > 3.5
    async with autocommit_sessions(engine)() as db:  # a minute later the turn is forgotten
        assert await send_budget.forget_turns(db, time.time() + 61) == 1


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_chat_waiting_for_its_turn_holds_no_other_chat_back(
    emulator: BotApiEmulator, engine: AsyncEngine
) -> None:
    """Two instances send three each to one chat: three go at once, the rest wait for the
    chat's turns, 1.25 s apart. Meanwhile a message to another chat goes straight away."""
    emulator.set_flood_limit(per_second=30, per_chat=3)
    busy, other = FIRST_CHAT, FIRST_CHAT + 1
    for chat in (busy, other):
        emulator.add_chat(chat)
    instances = [await _instance(emulator, engine, per_chat=0.8) for _ in range(2)]
    try:
        crowd = asyncio.gather(*(
            bot.send_message(busy, f"message {n}") for bot, _ in instances for n in range(3)
        ))  # fmt: skip
        await emulator.wait_for_messages(3, chat_id=busy, timeout=10)
        await instances[0][0].send_message(other, "not held back")
        assert len(emulator.messages(busy)) == 3  # the next turn is 1.25 s after the third
        await crowd
    finally:
        for bot, _ in instances:
            await bot.shutdown()
    assert len(emulator.messages(busy)) == 6
    assert sum(layer.floods for _, layer in instances) == 0


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_slow_send_keeps_its_slot_past_the_hold_a_dead_one_would_lose(
    emulator: BotApiEmulator, engine: AsyncEngine
) -> None:
    """A booked slot is held for HOLD seconds, so a process that died gives it back soon; a
    send still out after that keeps it held, and nobody else books it until it is answered."""
    emulator.add_chat(FIRST_CHAT)
    layer = SendLayer(per_second=1, per_chat=1)  # one slot: any booking would be that one
    layer.shared = SharedSendBudget(autocommit_sessions(engine), 1)
    bot: ExtBot[RateLimitArgs] = ExtBot(
        emulator.token,
        base_url=emulator.base_url,
        rate_limiter=layer,
        request=HTTPXRequest(read_timeout=30),  # the slow answer is not a timeout
    )
    await bot.initialize()
    emulator.set_faults(latency=HOLD + 2, methods=["sendMessage"])
    try:
        slow = asyncio.create_task(bot.send_message(FIRST_CHAT, "slow"))
        await asyncio.sleep(HOLD + 1)  # past the hold it was booked with
        async with autocommit_sessions(engine).begin() as db:
            now = time.time()
            other = await send_budget.take(db, now, now + 1, now + HOLD, 1)
        assert isinstance(other, Refused)
        await slow
    finally:
        await bot.shutdown()
    async with autocommit_sessions(engine).begin() as db:  # answered: a window later, free
        now = time.time()
        assert isinstance(await send_budget.take(db, now, now + 1, now + HOLD, 1), Taken)
