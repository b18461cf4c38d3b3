"""Fault and crash scenarios: how many questions are answered, lost or answered twice.

    .venv/bin/python -m bench.faults [--users 200] [--questions 10]

1. Telegram's bad moments: ``python -m bot`` with its default limits against the emulator
   answering 5% of calls 502, dropping 2% of connections (half of them after the call took
   effect, which no client can tell from a drop before it) and flood control at 25 messages a
   second overall and 2 a second per chat (below the bot's own 30 and its bursts, so 429s come).
2. A crash: every question fetched (the offset confirmed to the emulator), then SIGKILL, then a
   restart.

Each user asks ``--questions`` different questions at once; an answer counts when its title is
the expected one, in order. Duplicates are answers sent twice; in scenario 1 the bound is the
number of sends accepted before their connection dropped, in scenario 2 the updates in hand at
the kill.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from bot.core.answering import Answerer
from bot.core.content import load_store
from bot.emulator import BotApiEmulator
from bot.telegram.handlers.errors import SORRY

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:" + "BenchFaultScenario" * 2
QUESTIONS = (
    "how do I do a glute bridge",
    "what do lunges work",
    "common deadlift mistakes",
    "how often should I do calf raises",
    "what muscles do squats work",
    "how do I do a lunge",
    "deadlift sets and reps",
    "calf raise mistakes",
    "how do I squat",
    "why should runners do glute bridges",
)


async def start_bot(emulator: BotApiEmulator, data_dir: str) -> asyncio.subprocess.Process:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "SEND_"))
    }
    environment.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=emulator.base_url,
        DATA_DIR=data_dir,
        LOG_LEVEL="ERROR",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=environment
    )


def tally(emulator: BotApiEmulator, chats: list[int], titles: list[str]) -> dict[str, int]:
    answered = duplicates = apologies = 0
    for chat in chats:
        lines = [m.text.split("\n")[0] for m in emulator.messages(chat)]
        apologies += lines.count(SORRY)
        unique = [line for i, line in enumerate(lines) if i == 0 or lines[i - 1] != line]
        duplicates += len(lines) - len(unique)
        expected = iter(titles)
        wanted = next(expected, None)
        for line in unique:
            if line == wanted:
                answered += 1
                wanted = next(expected, None)
    return {"answered": answered, "duplicates": duplicates, "apologies": apologies}


async def wait_answered(
    emulator: BotApiEmulator, chats: list[int], titles: list[str], within: float
) -> None:
    goal = len(chats) * len(titles)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if tally(emulator, chats, titles)["answered"] >= goal:
            return
        await asyncio.sleep(0.5)


async def faults(users: int, questions: int, titles: list[str]) -> None:
    chats = [100_000 + i for i in range(users)]
    async with BotApiEmulator(token=TOKEN) as emulator:
        with tempfile.TemporaryDirectory() as data_dir:
            bot = await start_bot(emulator, data_dir)
            await emulator.wait_for(lambda: emulator.waiting_polls > 0, timeout=60)
            emulator.set_faults(error_rate=0.05, drop_rate=0.02, status=502, seed=11)
            emulator.set_flood_limit(per_second=25, per_chat=2, retry_after=1)
            start = time.perf_counter()
            for question in QUESTIONS[:questions]:
                for chat in chats:
                    emulator.user_sends(question, chat_id=chat)
            await wait_answered(emulator, chats, titles, within=900)
            seconds = time.perf_counter() - start
            emulator.set_faults()
            await emulator.wait_until_idle(timeout=60, quiet=1.0)
            alive = bot.returncode is None
            bot.terminate()
            await bot.wait()
        result = tally(emulator, chats, titles)
        report = emulator.fault_report()
        total = users * questions
        print(
            f"faults: {total} questions in {seconds:.0f} s; answered {result['answered']}, "
            f"lost {total - result['answered']}, answered twice {result['duplicates']} "
            f"(sends accepted before their connection dropped: "
            f"{report['accepted_then_dropped']}), apologies {result['apologies']}, "
            f"bot alive throughout: {alive}"
        )
        print(
            f"  injected: {report.get('error', 0)} x 502, "
            f"{report.get('dropped_before', 0)} drops before and "
            f"{report.get('dropped_after', 0)} after the call took effect, "
            f"{report.get('flood', 0)} x 429; refused calls: {len(emulator.rejected)}"
        )


async def crash(users: int, questions: int, titles: list[str]) -> None:
    chats = [200_000 + i for i in range(users)]
    total = users * questions
    async with BotApiEmulator(token=TOKEN) as emulator:
        with tempfile.TemporaryDirectory() as data_dir:
            bot = await start_bot(emulator, data_dir)
            await emulator.wait_for(lambda: emulator.waiting_polls > 0, timeout=60)
            for question in QUESTIONS[:questions]:
                for chat in chats:
                    emulator.user_sends(question, chat_id=chat)
            await emulator.wait_for(lambda: emulator.pending_updates() == 0, timeout=120)
            bot.kill()
            await bot.wait()
            before = tally(emulator, chats, titles)["answered"]
            start = time.perf_counter()
            bot = await start_bot(emulator, data_dir)
            await wait_answered(emulator, chats, titles, within=900)
            seconds = time.perf_counter() - start
            await emulator.wait_until_idle(timeout=60, quiet=1.0)
            bot.terminate()
            await bot.wait()
        result = tally(emulator, chats, titles)
        print(
            f"SIGKILL: {total} questions fetched and confirmed, {total - before} of them not yet "
            f"answered at the kill; after the restart ({seconds:.0f} s): answered "
            f"{result['answered']}, lost {total - result['answered']}, answered twice "
            f"{result['duplicates']}, refused calls: {len(emulator.rejected)}"
        )


async def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.faults")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--questions", type=int, default=10, choices=range(1, 11))
    args = parser.parse_args()
    answerer = Answerer(load_store(ROOT / "data"))
    titles: list[str] = []
    previous: str | None = None
    for question in QUESTIONS[: args.questions]:
        answer = answerer.answer(question, previous=previous)
        titles.append(answer.title or "")
        previous = answer.exercise or previous
    await faults(args.users, args.questions, titles)
    await crash(args.users, args.questions, titles)
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
