"""Several real bot processes on one PostgreSQL (issue 18 §4, scaled down to run in under a
minute each; bench/scale_out.py runs the full sizes): three pollers elect one, and another
takes over within 15 s of a SIGKILL; three webhook instances behind the emulator's round robin
answer every question exactly once, one of them SIGKILLed mid-traffic. PostgreSQL only."""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, text

from bot.db.engine import create_engine, migrate, session_factory
from bot.db.models import User
from bot.db.training_models import ReminderSchedule
from bot.emulator import BotApiEmulator
from bot.jobs.reminders import DispatcherOptions
from tests.e2e.processes import free_port, start_bot, terminate

pytestmark = pytest.mark.postgres

TOKEN = "123456:" + "ScaleOutTestToken" * 3
SECRET = "scale-out-secret"
USERS = 60
FIRST_CHAT = 50_000
POLLER_LINE = "This instance is the poller now"


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN) as emu:
        # Telegram's limits: 30/s overall (shared by the instances: bot/db/send_budget.py) and
        # about 1/s a chat with short bursts, which the send layer allows up to 3.
        emu.set_flood_limit(per_second=30, per_chat=3)
        yield emu


def _answers(emulator: BotApiEmulator) -> Counter[int]:
    return Counter(m.chat_id for m in emulator.messages() if m.chat_id >= FIRST_CHAT)


def _ask_everyone(emulator: BotApiEmulator, question: str) -> None:
    for i in range(USERS):
        emulator.user_sends(question, chat_id=FIRST_CHAT + i)


async def _wait_lines(logs: list[Path], line: str, count: int, timeout: float) -> list[int]:  # noqa: ASYNC109
    """Indices of the logs holding ``line``, once at least ``count`` of them do."""
    async with asyncio.timeout(timeout):
        while True:
            found = [i for i, log in enumerate(logs) if log.exists() and line in log.read_text()]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.1)


async def _wait_count(log: Path, line: str, count: int, timeout: float) -> None:  # noqa: ASYNC109
    async with asyncio.timeout(timeout):
        while log.read_text().count(line) < count:  # noqa: ASYNC110, ASYNC240 - a small log
            await asyncio.sleep(0.1)


async def _wait_handled(database_url: str, count: int) -> None:
    engine = create_engine(database_url)
    try:
        async with asyncio.timeout(30):
            while True:
                async with engine.connect() as conn:
                    handled = await conn.scalar(
                        text("SELECT count(*) FROM inbox WHERE state = 'handled'")
                    )
                if handled == count:
                    return
                await asyncio.sleep(0.1)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_three_pollers_elect_one_and_another_takes_over_after_sigkill(
    emulator: BotApiEmulator, database_url: str, tmp_path: Path
) -> None:
    logs = [tmp_path / f"bot{i}.log" for i in range(3)]
    bots = [
        await start_bot(TOKEN, emulator.base_url, tmp_path, log, DATABASE_URL=database_url)
        for log in logs
    ]
    try:
        [poller] = await _wait_lines(logs, POLLER_LINE, 1, timeout=30)
        _ask_everyone(emulator, "how do I do a glute bridge")
        await emulator.wait_for(lambda: len(_answers(emulator)) == USERS, timeout=45)
        # Killed once every answer is committed: an answer sent but not committed would be
        # sent again by design (the webhook test below kills mid-traffic).
        await _wait_handled(database_url, USERS)
        assert emulator.conflicts == 0  # one poller: no 409 stream

        bots[poller].send_signal(signal.SIGKILL)
        await bots[poller].wait()
        killed = time.monotonic()
        _ask_everyone(emulator, "what do lunges work")
        taken = await _wait_lines(
            [log for i, log in enumerate(logs) if i != poller], POLLER_LINE, 1, timeout=15
        )
        took_over = time.monotonic() - killed
        assert len(taken) == 1
        await emulator.wait_for(lambda: sum(_answers(emulator).values()) >= 2 * USERS, timeout=45)
        await asyncio.sleep(1.0)  # anything doubled would arrive now
        assert _answers(emulator) == Counter({FIRST_CHAT + i: 2 for i in range(USERS)})
        assert took_over < 15
        assert emulator.conflicts == 0
        assert emulator.pending_updates() == 0
    finally:
        for i, bot in enumerate(bots):
            if bot.returncode is None:
                assert await terminate(bot) == 0, logs[i].read_text()[-2000:]


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_three_webhook_instances_answer_each_question_once_one_killed(
    emulator: BotApiEmulator, database_url: str, tmp_path: Path
) -> None:
    ports = [free_port() for _ in range(3)]
    logs = [tmp_path / f"bot{i}.log" for i in range(3)]
    public = f"http://127.0.0.1:{ports[0]}/telegram"  # the load balancer's address
    emulator.set_webhook_backends(
        [f"http://127.0.0.1:{port}/telegram" for port in ports], retry_delay=0.2
    )
    bots = [
        await start_bot(
            TOKEN, emulator.base_url, tmp_path, log,
            DATABASE_URL=database_url, WEBHOOK_URL=public, WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        )
        for log, port in zip(logs, ports, strict=True)
    ]  # fmt: skip
    try:
        await _wait_lines(logs, "Webhook mode: serving", 3, timeout=30)
        _ask_everyone(emulator, "how do I do a glute bridge")
        await emulator.wait_for(lambda: sum(_answers(emulator).values()) >= USERS // 3, 45)
        bots[1].send_signal(signal.SIGKILL)  # mid-traffic
        await bots[1].wait()
        _ask_everyone(emulator, "common deadlift mistakes")
        await emulator.wait_for(lambda: sum(_answers(emulator).values()) >= 2 * USERS, timeout=45)
        await asyncio.sleep(6.0)  # the survivors' rescan (5 s) finishes the dead one's updates
        answers = _answers(emulator)
        assert set(answers) == {FIRST_CHAT + i for i in range(USERS)}
        assert min(answers.values()) == 2  # nothing lost
        # Only an answer sent but not yet committed when the kill fell is sent again: at most
        # the killed instance's concurrent updates (8).
        assert sum(answers.values()) - 2 * USERS <= 8
        assert emulator.calls("getUpdates") == []
        assert emulator.fault_report().get("flood", 0) == 0  # one budget: no 429
        assert SECRET not in "".join(log.read_text() for log in logs)
        assert TOKEN not in "".join(log.read_text() for log in logs)
    finally:
        for i, bot in enumerate(bots):
            if bot.returncode is None:
                assert await terminate(bot) == 0, logs[i].read_text()[-2000:]


RUNNERS = 100
FIRST_RUNNER = 60_000


async def _seed_due_reminders(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate(engine)
    now = datetime.now(UTC)
    async with session_factory(engine).begin() as db:
        await db.execute(insert(User), [
            {"id": FIRST_RUNNER + i, "chat_id": FIRST_RUNNER + i, "first_name": "R",
             "created_at": now, "last_seen_at": now} for i in range(RUNNERS)
        ])  # fmt: skip
        await db.execute(insert(ReminderSchedule), [
            {"user_id": FIRST_RUNNER + i, "chat_id": FIRST_RUNNER + i, "zone": "UTC",
             "local_time": "07:00", "days": 0b1111111, "sessions_per_week": 3,
             "level": "beginner", "paused_open": False, "stopped": False, "blocked": False,
             "next_fire_at": now - timedelta(seconds=30 - i * 0.2), "attempts": 0,
             "progress": {}, "created_at": now, "updated_at": now} for i in range(RUNNERS)
        ])  # fmt: skip
    await engine.dispose()


async def _lease_owners(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT DISTINCT lease_owner FROM reminder_schedules "
                     "WHERE lease_owner IS NOT NULL")
            )  # fmt: skip
            return {str(owner) for owner in rows.scalars()}
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_killed_instances_reminders_are_sent_by_another_within_30_s(
    emulator: BotApiEmulator, database_url: str, tmp_path: Path
) -> None:
    """Two instances; the one fanning out is SIGKILLed mid-way: the other takes its claims
    over when their short lease runs out (it is on "another host" as far as it can tell: its
    own pid check does not apply to a process it never was), nothing is lost, and at most
    the dispatcher's in-flight sends (2) are doubled."""
    await _seed_due_reminders(database_url)
    for i in range(RUNNERS):
        emulator.add_chat(FIRST_RUNNER + i)

    def sent() -> Counter[int]:
        return Counter(m.chat_id for m in emulator.messages() if m.chat_id >= FIRST_RUNNER)

    logs = [tmp_path / f"bot{i}.log" for i in range(2)]
    bots = [
        await start_bot(TOKEN, emulator.base_url, tmp_path, log, DATABASE_URL=database_url)
        for log in logs
    ]
    try:
        await emulator.wait_for(lambda: sum(sent().values()) >= 20, timeout=30)
        owners = await _lease_owners(database_url)
        pids = {int(owner.split(":")[1]) for owner in owners}
        fanning = [i for i, bot in enumerate(bots) if bot.pid in pids]
        assert fanning, owners
        victim = fanning[0]
        bots[victim].send_signal(signal.SIGKILL)
        await bots[victim].wait()
        killed = time.monotonic()
        await emulator.wait_for(lambda: len(sent()) == RUNNERS, timeout=45)
        taken_over_in = time.monotonic() - killed
        await asyncio.sleep(2.5)  # a tick later: nothing more
        counts = sent()
        assert len(counts) == RUNNERS  # none lost
        assert sum(counts.values()) - RUNNERS <= DispatcherOptions().concurrency
        assert taken_over_in < 30 + 5  # the lease, then a tick and the sends left
        assert emulator.fault_report().get("flood", 0) == 0
    finally:
        for i, bot in enumerate(bots):
            if bot.returncode is None:
                assert await terminate(bot) == 0, logs[i].read_text()[-2000:]


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_rolling_restart_under_steady_traffic_loses_and_doubles_nothing(
    emulator: BotApiEmulator, database_url: str, tmp_path: Path
) -> None:
    """Three webhook instances; questions keep coming (20 a second) while each instance in
    turn is stopped with SIGTERM and started again."""
    ports = [free_port() for _ in range(3)]
    logs = [tmp_path / f"bot{i}.log" for i in range(3)]
    public = f"http://127.0.0.1:{ports[0]}/telegram"
    emulator.set_webhook_backends(
        [f"http://127.0.0.1:{port}/telegram" for port in ports], retry_delay=0.2
    )

    async def start(i: int) -> asyncio.subprocess.Process:
        return await start_bot(
            TOKEN, emulator.base_url, tmp_path, logs[i],
            DATABASE_URL=database_url, WEBHOOK_URL=public, WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN=f"127.0.0.1:{ports[i]}",
        )  # fmt: skip

    bots = [await start(i) for i in range(3)]
    asked: Counter[int] = Counter()
    stop = asyncio.Event()

    async def traffic() -> None:
        n = 0
        while not stop.is_set():
            chat = FIRST_CHAT + n % USERS
            emulator.user_sends("what do lunges work", chat_id=chat)
            asked[chat] += 1
            n += 1
            await asyncio.sleep(0.05)

    try:
        await _wait_lines(logs, "Webhook mode: serving", 3, timeout=30)
        sender = asyncio.create_task(traffic())
        for i in range(3):
            await asyncio.sleep(1.0)
            assert await terminate(bots[i]) == 0, logs[i].read_text()[-2000:]
            serving = logs[i].read_text().count("Webhook mode: serving")
            bots[i] = await start(i)
            await _wait_count(logs[i], "Webhook mode: serving", serving + 1, timeout=30)
        await asyncio.sleep(1.0)
        stop.set()
        await sender
        total = sum(asked.values())
        await emulator.wait_for(lambda: sum(_answers(emulator).values()) >= total, 45)
        await asyncio.sleep(6.0)  # a rescan later: nothing more arrives
        assert _answers(emulator) == asked  # each question answered once
        assert emulator.fault_report().get("flood", 0) == 0
    finally:
        stop.set()
        for i, bot in enumerate(bots):
            if bot.returncode is None:
                assert await terminate(bot) == 0, logs[i].read_text()[-2000:]
