"""Fair sharing under a flood: ten chats flooding the bot, and another user's reply time.

    .venv/bin/python -m bench.flood [--seconds 20] [--flooders 10] [--rate 5] [--per-chat 3]

The real Application (inbox, send layer, SQLite) against the local Bot API emulator in this
process, with the emulator's flood control on: 429 above 30 messages a second overall (the Bot
API's limit) and above ``--per-chat`` a second to one chat (Telegram asks for about one a second
and allows short bursts; the bot's send layer paces each chat at 1/s with a burst of 3, so the
emulator allows 3). ``--flooders`` chats each send a report ``--rate`` times a second for
``--seconds``; meanwhile another user asks a question 1.5 s after each answer (a person's pace,
within their own chat's allowance). Reported: that user's reply time (question queued -> first
answer accepted by the emulator) alone before the flood and during it, p50/p95/max (target:
p95 <= 200 ms during the flood), the flooders' replies, 429s, and the inbox's rows by state
(every update handled: none lost).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from bot.core.content import load_store
from bot.db import inbox
from bot.emulator import BotApiEmulator, BotMessage
from bot.telegram.app import (
    build_application,
    inbox_of,
    services_of,
    start_polling,
    stop_polling,
)

TOKEN = "123456:" + "G" * 35
ASKER = 30_001
FLOODER = 20_001
ASK_EVERY = 1.5  # seconds between one answer and the next question
QUESTIONS = ("what do lunges work", "how do I do a glute bridge", "common deadlift mistakes")


def _figures(name: str, seconds: list[float]) -> str:
    if not seconds:
        return f"{name}: no answers"
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"{name}: n={len(ordered)} p50 {statistics.median(ordered) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"
    )


async def _ask(emulator: BotApiEmulator, arrived: dict[int, list[float]], index: int) -> float:
    before = len(arrived[ASKER])
    asked = time.monotonic()
    emulator.user_sends(QUESTIONS[index % len(QUESTIONS)], chat_id=ASKER)
    await emulator.wait_for(lambda: len(arrived[ASKER]) > before, timeout=30)
    return arrived[ASKER][before] - asked


async def _asker(
    emulator: BotApiEmulator, arrived: dict[int, list[float]], until: float
) -> list[float]:
    times = []
    index = 0
    while time.monotonic() < until:
        times.append(await _ask(emulator, arrived, index))
        index += 1
        await asyncio.sleep(ASK_EVERY)  # a person's pace: within their own send allowance
    return times


async def _flood(emulator: BotApiEmulator, chats: list[int], rate: float, until: float) -> int:
    sent = 0
    while time.monotonic() < until:
        for chat in chats:
            emulator.user_sends(f"squats 3x{1 + sent % 20}", chat_id=chat)
        sent += 1
        await asyncio.sleep(1 / rate)
    return sent * len(chats)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--flooders", type=int, default=10)
    parser.add_argument("--rate", type=float, default=5.0, help="messages a second per flooder")
    parser.add_argument("--per-chat", type=float, default=3.0, help="emulator's limit per chat")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    store = load_store()
    arrived: dict[int, list[float]] = {}

    def on_message(message: BotMessage) -> None:
        arrived.setdefault(message.chat_id, []).append(time.monotonic())

    chats = [FLOODER + i for i in range(args.flooders)]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'flood.db'}"
        async with BotApiEmulator(token=TOKEN) as emulator:
            emulator.on_bot_message = on_message
            emulator.set_flood_limit(per_second=30, per_chat=args.per_chat)
            arrived[ASKER] = []
            app = build_application(
                token=emulator.token, base_url=emulator.base_url,
                base_file_url=emulator.base_file_url, store=store, database_url=url,
                poll_timeout=1,
            )  # fmt: skip
            await start_polling(app)
            processor = inbox_of(app).processor
            emulator.idle_checks.append(lambda: not processor.busy)
            try:
                for chat in chats:  # warm-up: every user known, as in steady use
                    emulator.user_sends("squats 3x5", chat_id=chat)
                await emulator.wait_for(lambda: all(arrived.get(c) for c in chats), timeout=60)
                await asyncio.sleep(3)  # the warm-up's send allowances refill
                alone = await _asker(emulator, arrived, time.monotonic() + args.seconds / 2)
                until = time.monotonic() + args.seconds
                flood, during = await asyncio.gather(
                    _flood(emulator, chats, args.rate, until), _asker(emulator, arrived, until)
                )
                started = time.monotonic()
                await emulator.wait_until_idle(timeout=600)
                drained = time.monotonic() - started
                async with services_of(app).sessions() as db:
                    states = await inbox.counts(db)
            finally:
                await stop_polling(app)
            report = emulator.fault_report()
    replies = Counter({chat: len(arrived.get(chat, [])) for chat in chats})
    print(
        f"{args.flooders} chats flooding at {args.rate:g}/s each for {args.seconds:g} s "
        f"(emulator: 429 above 30/s, {args.per_chat:g}/s a chat)"
    )
    print(_figures("another user's reply time, alone       ", alone))
    print(_figures("another user's reply time, during flood", during))
    print(
        f"flood: {flood} reports sent, {sum(replies.values()) - len(chats)} replied "
        f"(the backlog drained {drained:.1f} s after the flood), 429s: {report.get('flood', 0)}"
    )
    print(f"inbox rows by state: {states}")


if __name__ == "__main__":
    asyncio.run(main())
