"""The update path against a plain PTB echo bot, A/B alternating, through the local emulator.

    .venv/bin/python -m bench.update_path [--updates 2000] [--rounds 3] [--database postgres]

Both bots run as real processes (``python -m bot`` and ``python -m bench.echo_bot``) against the
same in-process emulator, one after the other, alternating. Figures:

* throughput: ``--updates`` questions from as many chats queued at once, until every answer
  arrived (Legwork with SEND_RATE_PER_SECOND raised, so the bot itself is measured; its users
  are known from a warm-up round, as in steady use). Target: Legwork >= 0.5x the echo bot.
* CPU per update: the bot process's user+system time over the measured round / updates.
  Target <= 3 ms. Also the event loop's thread alone (on SQLite the rest is aiosqlite's threads).
* ``--database``: where Legwork keeps its data, a fresh SQLite file (default) or a fresh
  PostgreSQL database (bench/databases.py); the echo bot keeps nothing.
* reply latency at 25 questions a second with the default limits (question queued -> answer
  accepted by the emulator), p50/p99/max. Target p99 <= 50 ms.
* resident memory of each bot after its rounds (VmRSS, and VmHWM the peak).

A third contender, ``bench.inbox_echo``, is the echo handler on Legwork's update path (inbox,
send layer, database, typed context, transport): what the path costs apart from Legwork's
handlers. The echo bot is PTB as it comes (its httpx transport, form bodies, an in-memory
queue); Legwork and inbox-echo send through bot/telegram/transport.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from bench.databases import BACKENDS, fresh_database
from bot.emulator import BotApiEmulator, BotMessage

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:" + "BenchUpdatePath" * 2
QUESTIONS = (
    "how do I do a glute bridge",
    "what do lunges work",
    "common deadlift mistakes",
    "how often should I do calf raises",
    "what muscles do squats work",
)
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def main_thread_cpu_seconds(pid: int) -> float:
    """The event loop's own thread (its tid is the pid); the rest of cpu_seconds is other
    threads: aiosqlite runs each SQLite connection in a thread of its own."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(key)


@dataclass
class Round:
    kind: str
    updates: int
    seconds: float
    cpu_ms: float  # per update
    loop_cpu_ms: float  # of which the event loop's thread (the rest: database threads)
    rss_mb: float
    hwm_mb: float

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds


class Counter:
    """Counts the bot's messages as the emulator accepts them; wakes waiters at a target."""

    def __init__(self) -> None:
        self.count = 0
        self.target = 0
        self.reached = asyncio.Event()
        self.on_message: Callable[[BotMessage], None] | None = None

    def __call__(self, message: BotMessage) -> None:
        if message.edited:
            return
        self.count += 1
        if self.on_message is not None:
            self.on_message(message)
        if self.count >= self.target:
            self.reached.set()

    async def until(self, target: int, timeout: float) -> None:  # noqa: ASYNC109
        self.target = target
        self.reached.clear()
        if self.count >= target:
            return
        await asyncio.wait_for(self.reached.wait(), timeout)


DATABASE = "sqlite"  # set from --database


async def start_bot(
    kind: str, emulator: BotApiEmulator, data_dir: str, **env: str
) -> asyncio.subprocess.Process:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "SEND_"))
    }
    environment.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=emulator.base_url,
        DATA_DIR=data_dir,
        LOG_LEVEL="WARNING",
        **env,
    )
    module = {"legwork": "bot", "echo": "bench.echo_bot", "inbox-echo": "bench.inbox_echo"}[kind]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, cwd=ROOT, env=environment
    )
    await emulator.wait_for(lambda: emulator.waiting_polls > 0, timeout=60)
    return process


@contextlib.asynccontextmanager
async def running(
    kind: str, emulator: BotApiEmulator, **env: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """A bot process with a fresh database of its own (``DATABASE``), stopped at the end."""
    with tempfile.TemporaryDirectory() as data_dir:
        async with fresh_database(DATABASE, Path(data_dir)) as url:
            bot = await start_bot(kind, emulator, data_dir, DATABASE_URL=url, **env)
            try:
                yield bot
            finally:
                await stop(bot)


async def stop(process: asyncio.subprocess.Process) -> None:
    process.terminate()
    await asyncio.wait_for(process.wait(), timeout=60)


def queue(emulator: BotApiEmulator, updates: int, first_chat: int) -> None:
    for i in range(updates):
        emulator.user_sends(QUESTIONS[i % len(QUESTIONS)], chat_id=first_chat + i)


async def throughput_round(kind: str, updates: int) -> Round:
    counter = Counter()
    async with BotApiEmulator(token=TOKEN) as emulator:
        emulator.on_bot_message = counter
        # Only the overall limit is raised; each chat gets one question per round.
        async with running(kind, emulator, SEND_RATE_PER_SECOND="100000") as bot:
            queue(emulator, updates, 10_000)  # warm-up: users known, caches filled
            await counter.until(updates, timeout=300)
            await emulator.wait_until_idle(timeout=60, quiet=0.3)
            await asyncio.sleep(1.1)  # each chat's send budget refills
            loop_before = main_thread_cpu_seconds(bot.pid)
            cpu_before, start = cpu_seconds(bot.pid), time.perf_counter()
            queue(emulator, updates, 10_000)
            await counter.until(2 * updates, timeout=300)
            seconds = time.perf_counter() - start
            cpu = cpu_seconds(bot.pid) - cpu_before
            loop = main_thread_cpu_seconds(bot.pid) - loop_before
            await emulator.wait_until_idle(timeout=60, quiet=0.3)
            rss, hwm = memory_mb(bot.pid, "VmRSS"), memory_mb(bot.pid, "VmHWM")
            assert emulator.rejected == [], emulator.rejected[:3]
    return Round(kind, updates, seconds, cpu / updates * 1000, loop / updates * 1000, rss, hwm)


async def latency_run(kind: str, rate: float, seconds: float) -> list[float]:
    """Reply latencies (s) with default limits, one question per chat at ``rate`` a second."""
    sent: dict[int, float] = {}
    latencies: list[float] = []
    counter = Counter()

    def arrived(message: BotMessage) -> None:
        started = sent.pop(message.chat_id, None)
        if started is not None:
            latencies.append(time.perf_counter() - started)

    counter.on_message = arrived
    total = int(rate * seconds)
    async with BotApiEmulator(token=TOKEN) as emulator:
        emulator.on_bot_message = counter
        async with running(kind, emulator):
            queue(emulator, 20, 90_000)  # warm-up
            await counter.until(20, timeout=60)
            await emulator.wait_until_idle(timeout=60, quiet=0.3)
            # The warm-up's burst of 20 answers counts against the overall limit (30 a second,
            # a sliding window) for a second: measure the steady 25 a second, not that burst
            # plus the first questions queueing behind it.
            await asyncio.sleep(1.1)
            begin = time.perf_counter()
            for i in range(total):
                delay = begin + i / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                chat = 20_000 + i
                sent[chat] = time.perf_counter()
                emulator.user_sends(QUESTIONS[i % len(QUESTIONS)], chat_id=chat)
            await counter.until(20 + total, timeout=120)
    return latencies


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.update_path")
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-seconds", type=float, default=20.0)
    parser.add_argument("--database", choices=BACKENDS, default="sqlite")
    args = parser.parse_args()
    global DATABASE
    DATABASE = args.database
    print(f"Legwork's database: {DATABASE}")

    rounds: list[Round] = []
    for index in range(args.rounds):
        order = ("echo", "inbox-echo", "legwork")
        for kind in order if index % 2 == 0 else tuple(reversed(order)):
            result = await throughput_round(kind, args.updates)
            rounds.append(result)
            print(
                f"  round {index + 1} {kind:8} {result.per_second:7.0f} updates/s  "
                f"CPU {result.cpu_ms:5.2f} ms/update (event loop {result.loop_cpu_ms:5.2f})  "
                f"RSS {result.rss_mb:5.1f} MB",
                flush=True,
            )

    def median(kind: str, key: Callable[[Round], float]) -> float:
        return statistics.median(key(r) for r in rounds if r.kind == kind)

    echo_rate = median("echo", lambda r: r.per_second)
    legwork_rate = median("legwork", lambda r: r.per_second)
    print(f"\nthroughput, {args.updates} questions at once, median of {args.rounds} rounds each:")
    print(f"  echo bot  {echo_rate:7.0f} updates/s")
    inbox_rate = median("inbox-echo", lambda r: r.per_second)
    print(
        f"  echo on Legwork's update path {inbox_rate:7.0f} updates/s  = "
        f"{inbox_rate / echo_rate:.2f}x the echo bot"
    )
    print(
        f"  Legwork   {legwork_rate:7.0f} updates/s  = {legwork_rate / echo_rate:.2f}x the echo "
        "bot (target >= 0.5x)"
    )
    print("CPU per update (bot process, user+system):")
    print(f"  echo bot  {median('echo', lambda r: r.cpu_ms):.2f} ms")
    print(f"  echo on Legwork's update path  {median('inbox-echo', lambda r: r.cpu_ms):.2f} ms")
    print(f"  Legwork   {median('legwork', lambda r: r.cpu_ms):.2f} ms (target <= 3 ms)")
    print("  of which the event loop's thread (the rest: aiosqlite's database threads):")
    for kind in ("echo", "inbox-echo", "legwork"):
        print(f"    {kind:10}  {median(kind, lambda r: r.loop_cpu_ms):.2f} ms")
    print("resident memory after the rounds (VmRSS / peak VmHWM):")
    for kind in ("echo", "inbox-echo", "legwork"):
        print(
            f"  {kind:10}  {median(kind, lambda r: r.rss_mb):.1f} MB / "
            f"{max(r.hwm_mb for r in rounds if r.kind == kind):.1f} MB"
        )

    rate = 25.0
    print(f"\nreply latency at {rate:.0f} questions/s for {args.latency_seconds:.0f} s, defaults:")
    for kind in ("echo", "legwork"):
        values = await latency_run(kind, rate, args.latency_seconds)
        print(
            f"  {kind:8}  p50 {quantile(values, 0.5) * 1000:5.1f} ms  "
            f"p99 {quantile(values, 0.99) * 1000:5.1f} ms  max {max(values) * 1000:5.1f} ms  "
            f"({len(values)} replies)" + ("  (target p99 <= 50 ms)" if kind == "legwork" else "")
        )
    print(f"\nmachine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
