"""Several real bot processes on one PostgreSQL (issue 18 §4, full size), against the local Bot
API emulator with Telegram's flood control on (30/s overall, bursts of 3 a chat):

    .venv/bin/python -m bench.scale_out [--users 200] [--runners 300] [--redis URL]

1. Three webhook instances behind the emulator's round robin: a question and a workout report
   from each of ``--users`` users: answered exactly once? 429s?
2. The same three: reminders for ``--runners`` runners due together, the instance fanning out
   SIGKILLed a third of the way: each reminder once (at most the in-flight ones twice), 0 lost,
   429s, the combined rate (reminders alone, and with the answers that shared the 30/s), and
   the p95 of questions asked meanwhile.
3. Three polling instances: 409s, and how long after SIGKILLing the poller another polls.
0. (first) What the shared budget costs a send: one slot taken and given back, in ms; and the
   same booking in Redis (``--redis``, database 15 of the local server by default; skipped
   when none answers), the alternative the issue asks to price.

Needs PostgreSQL on 127.0.0.1:5432 (LEGWORK_TEST_POSTGRES_URL); each scenario gets a fresh
database.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from bot.db.engine import autocommit_sessions, create_engine, migrate, session_factory
from bot.db.models import User
from bot.db.training_models import ReminderSchedule
from bot.emulator import BotApiEmulator
from tests.conftest import POSTGRES_URL
from tests.e2e.processes import free_port, start_bot, terminate

TOKEN = "123456:" + "BenchScaleOutToken" * 2
SECRET = "bench-secret"
FIRST_USER = 100_000
FIRST_RUNNER = 200_000
ASKER = 999
POLLER_LINE = "This instance is the poller now"


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    name = f"legwork_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
        engine = create_engine(url)
        await migrate(engine)
        await engine.dispose()
        yield url
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def start_instances(
    emulator: BotApiEmulator, url: str, folder: Path, webhook: bool
) -> tuple[list[asyncio.subprocess.Process], list[Path]]:
    ports = [free_port() for _ in range(3)]
    logs = [folder / f"bot{i}.log" for i in range(3)]
    extra: list[dict[str, str]] = [{} for _ in ports]
    if webhook:
        emulator.set_webhook_backends(
            [f"http://127.0.0.1:{port}/tg" for port in ports], retry_delay=0.2
        )
        extra = [
            {"WEBHOOK_URL": f"http://127.0.0.1:{ports[0]}/tg", "WEBHOOK_SECRET": SECRET,
             "WEBHOOK_LISTEN": f"127.0.0.1:{port}"} for port in ports
        ]  # fmt: skip
    bots = [
        await start_bot(TOKEN, emulator.base_url, folder, log, DATABASE_URL=url, **env)
        for log, env in zip(logs, extra, strict=True)
    ]
    marker = "Webhook mode: serving" if webhook else "Legwork is up"
    await wait_logs(logs, marker, 3, 60)
    return bots, logs


async def wait_logs(logs: list[Path], line: str, count: int, timeout: float) -> list[int]:  # noqa: ASYNC109
    async with asyncio.timeout(timeout):
        while True:
            found = [i for i, log in enumerate(logs) if log.exists() and line in log.read_text()]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.05)


async def stop_all(bots: list[asyncio.subprocess.Process]) -> None:
    for bot in bots:
        if bot.returncode is None:
            await terminate(bot)


def counts(emulator: BotApiEmulator, first: int, last: int) -> Counter[int]:
    return Counter(m.chat_id for m in emulator.messages() if first <= m.chat_id < last)


async def questions_and_reports(users: int, folder: Path) -> None:
    async with fresh_database() as url, BotApiEmulator(token=TOKEN) as emulator:
        emulator.set_flood_limit(per_second=30, per_chat=3)
        bots, _ = await start_instances(emulator, url, folder / "a", webhook=True)
        try:
            started = time.monotonic()
            for i in range(users):
                emulator.user_sends("how do I do a glute bridge", chat_id=FIRST_USER + i)
                emulator.user_sends("3x12 squats @ 40kg", chat_id=FIRST_USER + i)
            await emulator.wait_for(
                lambda: sum(counts(emulator, FIRST_USER, FIRST_USER + users).values()) >= 2 * users,
                timeout=120,
            )
            elapsed = time.monotonic() - started
            await asyncio.sleep(6)
            got = counts(emulator, FIRST_USER, FIRST_USER + users)
        finally:
            await stop_all(bots)
        exact = sum(1 for i in range(users) if got[FIRST_USER + i] == 2)
        print(f"1. webhook x3, {users} users x (question + report): {exact}/{users} users "
              f"answered exactly twice, {sum(got.values())} answers in {elapsed:.1f} s, "
              f"429s: {emulator.fault_report().get('flood', 0)}, "
              f"getUpdates calls: {len(emulator.calls('getUpdates'))}")  # fmt: skip


async def seed_runners(url: str, runners: int) -> None:
    engine = create_engine(url)
    now = datetime.now(UTC)
    async with session_factory(engine).begin() as db:
        await db.execute(insert(User), [
            {"id": FIRST_RUNNER + i, "chat_id": FIRST_RUNNER + i, "first_name": "R",
             "created_at": now, "last_seen_at": now} for i in range(runners)
        ])  # fmt: skip
        await db.execute(insert(ReminderSchedule), [
            {"user_id": FIRST_RUNNER + i, "chat_id": FIRST_RUNNER + i, "zone": "UTC",
             "local_time": "07:00", "days": 0b1111111, "sessions_per_week": 3,
             "level": "beginner", "paused_open": False, "stopped": False, "blocked": False,
             "next_fire_at": now - timedelta(seconds=1) + timedelta(seconds=5 * i / runners),
             "attempts": 0, "progress": {}, "created_at": now, "updated_at": now}
            for i in range(runners)
        ])  # fmt: skip
    await engine.dispose()


async def lease_pids(url: str) -> set[int]:
    engine = create_engine(url)
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT DISTINCT lease_owner FROM reminder_schedules WHERE lease_owner IS NOT NULL"
            )
        )
        owners = [str(o) for o in rows.scalars()]
    await engine.dispose()
    return {int(o.split(":")[1]) for o in owners}


async def ask_timed(emulator: BotApiEmulator, asks: int) -> list[float]:
    latencies = []
    for _ in range(asks):
        before = len(emulator.messages(ASKER))
        started = time.monotonic()
        emulator.user_sends("what do lunges work", chat_id=ASKER)
        await emulator.wait_for_messages(before + 1, chat_id=ASKER, timeout=30)
        latencies.append(time.monotonic() - started)
        # One question a second at most: the pace the send budget keeps a chat to (after a
        # burst of 3) on every instance together, so no answer waits for the chat's turn.
        await asyncio.sleep(1.0)
    return latencies


async def reminders_with_a_kill(runners: int, folder: Path, kill: bool) -> None:
    async with fresh_database() as url, BotApiEmulator(token=TOKEN) as emulator:
        emulator.set_flood_limit(per_second=30, per_chat=3)
        emulator.add_chat(ASKER)
        for i in range(runners):
            emulator.add_chat(FIRST_RUNNER + i)
        bots, _ = await start_instances(emulator, url, folder / f"b{kill}", webhook=True)
        last = FIRST_RUNNER + runners

        def sent() -> int:
            return len(counts(emulator, FIRST_RUNNER, last))

        try:
            await seed_runners(url, runners)
            await emulator.wait_for(lambda: sent() >= 1, timeout=30)
            first = time.monotonic()
            asking = asyncio.create_task(ask_timed(emulator, 15))
            await emulator.wait_for(lambda: sent() >= runners // 3, timeout=60)
            if kill:
                pids = await lease_pids(url)
                victim = next(b for b in bots if b.pid in pids)
                victim.send_signal(signal.SIGKILL)
                await victim.wait()
            await emulator.wait_for(lambda: sent() >= runners, timeout=120)
            elapsed = time.monotonic() - first
            answers = len(emulator.messages(ASKER))  # they shared the 30/s with the reminders
            latencies = await asking
            await asyncio.sleep(3)
            got = counts(emulator, FIRST_RUNNER, last)
        finally:
            await stop_all(bots)
        doubled = sum(n - 1 for n in got.values() if n > 1)
        p95 = statistics.quantiles(latencies, n=20)[-1]
        what = "one instance SIGKILLed at 1/3" if kill else "no kill"
        print(
            f"2. webhook x3, {runners} reminders due, {what}: {len(got)}/{runners} sent, "
            f"{runners - len(got)} lost, {doubled} doubled, "
            f"429s: {emulator.fault_report().get('flood', 0)}, first to last "
            f"{elapsed:.1f} s = {runners / elapsed:.1f}/s ({(runners + answers) / elapsed:.1f}/s "
            f"with the {answers} answers); questions meanwhile: "
            f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        )


async def polling_takeover(folder: Path) -> None:
    async with fresh_database() as url, BotApiEmulator(token=TOKEN) as emulator:
        emulator.set_flood_limit(per_second=30, per_chat=3)
        bots, logs = await start_instances(emulator, url, folder / "c", webhook=False)
        try:
            [poller] = await wait_logs(logs, POLLER_LINE, 1, 30)
            await asyncio.sleep(30)  # 30 s of three instances side by side
            conflicts = emulator.conflicts
            bots[poller].send_signal(signal.SIGKILL)
            await bots[poller].wait()
            killed = time.monotonic()
            others = [log for i, log in enumerate(logs) if i != poller]
            await wait_logs(others, POLLER_LINE, 1, 60)
            took = time.monotonic() - killed
            before = len(emulator.messages(ASKER))
            emulator.user_sends("what do lunges work", chat_id=ASKER)
            await emulator.wait_for_messages(before + 1, chat_id=ASKER, timeout=30)
        finally:
            await stop_all(bots)
        print(
            f"3. polling x3: {conflicts} getUpdates 409s in 30 s; the poller SIGKILLed: "
            f"another polls after {took:.1f} s; a question then answered"
        )


async def budget_cost(sends: int = 300) -> None:
    from bot.telegram.send_budget import SharedSendBudget

    async with fresh_database() as url:
        engine = create_engine(url)
        # 30 slots as in production; a tiny window so no send waits: the cost alone.
        budget = SharedSendBudget(autocommit_sessions(engine), per_second=30, window=1e-4)
        await budget.release(await budget.acquire(False) or 0)  # the slot rows exist
        costs = []
        for i in range(sends):
            started = time.perf_counter()
            slot = await budget.acquire(background=i % 2 == 0)
            assert slot is not None
            await budget.release(slot)
            costs.append(time.perf_counter() - started)
        await engine.dispose()
    p95 = statistics.quantiles(costs, n=20)[-1]
    print(
        f"0. shared budget, one send's take + release on PostgreSQL: median "
        f"{statistics.median(costs) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms ({sends} sends)"
    )


# The same booking in Redis, for comparison: 30 slots in a sorted set scored by the instant each
# is free again; taking one books the first free slot for HOLD seconds, releasing frees it a
# window later. One round trip each, as PostgreSQL's two autocommitted statements.
_TAKE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1e6
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if first[1] == nil or tonumber(first[2]) > t then return -1 end
redis.call('ZADD', KEYS[1], t + tonumber(ARGV[1]), first[1])
return tonumber(first[1])
"""
_RELEASE = """
local now = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(now[1]) + tonumber(now[2]) / 1e6 + tonumber(ARGV[2]), ARGV[1])
"""


async def budget_cost_redis(url: str, sends: int = 300) -> None:
    from redis.asyncio import Redis
    from redis.exceptions import ConnectionError as RedisUnavailable

    client = Redis.from_url(url)
    key = "legwork-bench:send-slots"
    try:
        await client.delete(key)
        await client.zadd(key, {str(slot): 0 for slot in range(30)})
    except RedisUnavailable:
        print(f"0. shared budget in Redis: skipped, no Redis at {url}")
        return
    take, release = client.register_script(_TAKE), client.register_script(_RELEASE)
    costs = []
    for _ in range(sends):
        started = time.perf_counter()
        slot = await take(keys=[key], args=[30])
        assert slot != -1
        await release(keys=[key], args=[slot, 1e-4])
        costs.append(time.perf_counter() - started)
    await client.delete(key)
    await client.aclose()
    p95 = statistics.quantiles(costs, n=20)[-1]
    print(
        f"0. the same booking in Redis (a sorted set, two Lua scripts): median "
        f"{statistics.median(costs) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms ({sends} sends)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--runners", type=int, default=300)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for sub in ("a", "bFalse", "bTrue", "c"):
            (root / sub).mkdir()
        await budget_cost()
        await budget_cost_redis(args.redis)
        await questions_and_reports(args.users, root)
        await reminders_with_a_kill(args.runners, root, kill=False)
        await reminders_with_a_kill(args.runners, root, kill=True)
        await polling_takeover(root)


if __name__ == "__main__":
    asyncio.run(main())
