"""The deployed process under Telegram's bad moments, and killed with a backlog.

* 5% of calls answered 502, 2% of connections dropped (half of them after the call took
  effect) and flood control below the bot's own limit: every question gets its real answer,
  duplicates only where a connection dropped after the emulator accepted the send (counted),
  no apology, the bot stays up and its log says what happened.
* SIGKILL while at least 400 questions are fetched (confirmed to Telegram) but not answered,
  then a restart: every one is answered; twice only for the few being handled at the kill.
* The same faults, and the same SIGKILL, with reports: every one logged exactly once, with its
  sets.
Each on SQLite and on PostgreSQL (``database_url``).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from bot.core.answering import Answerer
from bot.db.engine import create_engine
from bot.emulator import BotApiEmulator
from bot.emulator.client import EmulatorClient
from bot.telegram.handlers.errors import SORRY
from tests.e2e.processes import free_port, start_bot, start_emulator, terminate

TOKEN = "123456:" + "ResilienceTestToken" * 2
QUESTIONS = (
    "how do I do a glute bridge",
    "what do lunges work",
    "common deadlift mistakes",
    "how often should I do calf raises",
    "what muscles do squats work",
)
CONCURRENCY = 8  # updates the processor handles at once (InboxOptions.concurrency)


def _first_lines(texts: list[str]) -> list[str]:
    return [text.split("\n")[0] for text in texts]


def _dedupe(lines: list[str]) -> list[str]:
    """Adjacent repeats removed: a resent answer lands right after the first copy."""
    return [line for i, line in enumerate(lines) if i == 0 or lines[i - 1] != line]


async def test_under_502s_dropped_connections_and_flood_control_every_question_is_answered(
    tmp_path: Path, answerer: Answerer, database_url: str
) -> None:
    users, per_user = 40, 5
    log = tmp_path / "bot.log"
    titles = [answerer.answer(q).title for q in QUESTIONS[:per_user]]
    async with BotApiEmulator(token=TOKEN) as emulator:
        bot = await start_bot(TOKEN, emulator.base_url, tmp_path, log, DATABASE_URL=database_url)
        try:
            await emulator.wait_for(lambda: emulator.waiting_polls > 0, timeout=30)
            emulator.set_faults(error_rate=0.05, drop_rate=0.02, status=502, seed=7)
            emulator.set_flood_limit(per_second=20, per_chat=2, retry_after=1)
            chats = [3000 + i for i in range(users)]
            for question in QUESTIONS[:per_user]:
                for chat in chats:
                    emulator.user_sends(question, chat_id=chat)

            def answered() -> bool:
                return all(
                    _dedupe(_first_lines([m.text for m in emulator.messages(c)])) == titles
                    for c in chats
                )

            await emulator.wait_for(answered, timeout=100)
            emulator.set_faults()
            await emulator.wait_until_idle(timeout=30, quiet=0.5)
            assert bot.returncode is None  # it stayed up throughout
        finally:
            code = await terminate(bot)
        assert code == 0
        report = emulator.fault_report()
        duplicates = 0
        for chat in chats:
            lines = _first_lines([m.text for m in emulator.messages(chat)])
            assert SORRY not in lines
            duplicates += len(lines) - len(titles)
        dropped_after = Counter(
            chat for method, chat, _ in emulator.accepted_then_dropped if method == "sendMessage"
        )
        assert duplicates <= sum(dropped_after.values()), (duplicates, report)
        assert emulator.rejected == []
    text = log.read_text()
    print(f"faults: {report}, duplicate answers: {duplicates}")
    assert report["error"] > 0
    assert report["flood"] > 0
    assert report["dropped_before"] + report["dropped_after"] > 0
    assert "retry 1 of 5" in text  # the send layer says what it retried
    assert "flood control" in text
    assert "Traceback" not in text


async def test_under_502s_dropped_connections_and_flood_control_every_report_is_logged_once(
    tmp_path: Path, database_url: str
) -> None:
    """The same faults while runners log: each report is logged exactly once with its sets (a
    send that fails rolls its update back, the retry logs it again from scratch), each is
    confirmed, twice only where the connection dropped after the emulator accepted the send."""
    users, per_user = 30, 4
    log = tmp_path / "bot.log"
    reports = [f"squats 3x5 @ {40 + k}kg" for k in range(per_user)]  # 3 sets each
    async with BotApiEmulator(token=TOKEN) as emulator:
        bot = await start_bot(TOKEN, emulator.base_url, tmp_path, log, DATABASE_URL=database_url)
        try:
            await emulator.wait_for(lambda: emulator.waiting_polls > 0, timeout=30)
            emulator.set_faults(error_rate=0.05, drop_rate=0.02, status=502, seed=11)
            emulator.set_flood_limit(per_second=20, per_chat=2, retry_after=1)
            chats = [6000 + i for i in range(users)]
            for text in reports:
                for chat in chats:
                    emulator.user_sends(text, chat_id=chat)

            def confirmed() -> bool:
                return all(
                    len(set(_first_lines([m.text for m in emulator.messages(c)]))) == per_user
                    for c in chats
                )

            await emulator.wait_for(confirmed, timeout=100)
            emulator.set_faults()
            await emulator.wait_until_idle(timeout=30, quiet=0.5)
            assert bot.returncode is None
        finally:
            code = await terminate(bot)
        assert code == 0
        report = emulator.fault_report()
        duplicates = 0
        for chat in chats:
            lines = _first_lines([m.text for m in emulator.messages(chat)])
            assert all(line.startswith("Logged for") for line in lines), lines
            duplicates += len(lines) - per_user
        dropped_after = sum(
            1 for method, _, _ in emulator.accepted_then_dropped if method == "sendMessage"
        )
        assert duplicates <= dropped_after, (duplicates, report)
        assert emulator.rejected == []
    total = users * per_user
    assert await _counts(database_url) == (total, total * 3, 0)  # none lost, none twice
    assert report["error"] > 0
    assert report["flood"] > 0
    print(f"faults: {report}, confirmations twice: {duplicates}")


@dataclass
class _Rig:
    """The emulator as its own process, and the bot as deployed against it (restartable)."""

    client: EmulatorClient
    base_url: str
    data_dir: Path
    database_url: str
    bot: asyncio.subprocess.Process | None = None

    async def start_bot(self) -> None:
        # Answers at 20 a second (below Telegram's 30): fetching all of them takes a moment, so
        # on a fast machine too most are still unanswered when the process is killed.
        self.bot = await start_bot(
            TOKEN, self.base_url, self.data_dir, self.data_dir / "bot.log",
            DATABASE_URL=self.database_url, SEND_RATE_PER_SECOND="20",
        )  # fmt: skip

    async def kill_once_fetched(self, sends: list[dict[str, object]]) -> None:
        """Start the bot, send ``sends``, and SIGKILL it as soon as every update was fetched and
        confirmed to "Telegram" (the offset moved past it): no clean-up of any kind."""
        await self.start_bot()
        await self.client.wait_for(lambda r: r["calls"].get("getUpdates", 0) > 0, timeout=30)
        await self.client.user_sends(sends)
        await self.client.wait_for(lambda r: r["pending_updates"] == 0, timeout=30, interval=0.01)
        assert self.bot is not None
        self.bot.kill()
        await self.bot.wait()
        self.bot = None

    async def stop_bot(self) -> int:
        assert self.bot is not None
        code = await terminate(self.bot)
        self.bot = None
        return code


@asynccontextmanager
async def _rig(data_dir: Path, database_url: str) -> AsyncIterator[_Rig]:
    port = free_port()
    emulator = await start_emulator(TOKEN, port, data_dir / "emulator.log")
    rig: _Rig | None = None
    try:
        async with EmulatorClient(f"http://127.0.0.1:{port}") as client:
            await _until_up(client)
            rig = _Rig(client, f"http://127.0.0.1:{port}/bot", data_dir, database_url)
            yield rig
    finally:
        if rig is not None and rig.bot is not None:
            rig.bot.kill()
            await rig.bot.wait()
        await terminate(emulator)


async def _counts(database_url: str) -> tuple[int, int, int]:
    """(training logs, their sets, inbox rows still pending) in the bot's database."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as db:
            logs = await db.scalar(text("SELECT count(*) FROM workout_logs"))
            sets = await db.scalar(text("SELECT count(*) FROM workout_sets"))
            pending = await db.scalar(text("SELECT count(*) FROM inbox WHERE state = 'pending'"))
    finally:
        await engine.dispose()
    return int(logs or 0), int(sets or 0), int(pending or 0)


async def _until_counts(database_url: str, wanted: tuple[int, int, int], seconds: float) -> None:
    async with asyncio.timeout(seconds):
        while True:  # another process writes: nothing here to wait on but the database
            if await _counts(database_url) == wanted:
                return
            await asyncio.sleep(0.2)


async def test_sigkill_with_hundreds_of_questions_fetched_but_unanswered_loses_none(
    tmp_path: Path, answerer: Answerer, database_url: str
) -> None:
    chats = [5000 + i for i in range(300)]
    per_chat = QUESTIONS[:2]
    titles = [answerer.answer(q).title for q in per_chat]
    total = len(chats) * len(per_chat)
    async with _rig(tmp_path, database_url) as rig:
        await rig.kill_once_fetched(
            [{"text": q, "chat_id": chat} for q in per_chat for chat in chats]
        )
        before = await rig.client.report()
        unanswered = total - len(before["messages"])
        assert unanswered >= 400, unanswered  # a real backlog was cut off
        assert (await _counts(database_url))[2] >= 400

        await rig.start_bot()

        def all_answered(report: dict[str, object]) -> bool:
            messages = report["messages"]
            assert isinstance(messages, list)
            return len({(m["chat_id"], m["text"].split("\n")[0]) for m in messages}) == total

        await rig.client.wait_for(all_answered, timeout=90, interval=0.2)
        await asyncio.sleep(1.0)  # nothing more should come
        after = await rig.client.report()
        assert await rig.stop_bot() == 0

    by_chat: dict[int, list[str]] = {}
    for message in after["messages"]:
        by_chat.setdefault(message["chat_id"], []).append(message["text"].split("\n")[0])
    for chat in chats:
        assert _dedupe(by_chat[chat]) == titles, (chat, by_chat[chat])
    duplicates = len(after["messages"]) - total
    # Only an update being handled at the kill can be answered twice: its send was accepted,
    # its transaction never committed. At most one per update in flight.
    assert duplicates <= CONCURRENCY, duplicates
    assert after["rejected"] == []
    print(f"unanswered at the kill: {unanswered}, duplicates after restart: {duplicates}")


async def test_sigkill_while_logging_reports_logs_each_exactly_once(
    tmp_path: Path, database_url: str
) -> None:
    """Killed with hundreds of reports fetched but not logged, then restarted: every report is
    logged, none twice, each with its sets; each confirmed (twice at most for the few in flight
    at the kill, whose confirmation went out before their commit)."""
    chats = [7000 + i for i in range(200)]  # confirmations at 30 a second: 13 s
    reports = ("squats 3x10 @ 40kg", "lunges 3x8 each leg")  # 3 sets each
    total = len(chats) * len(reports)
    async with _rig(tmp_path, database_url) as rig:
        await rig.kill_once_fetched(
            [{"text": text, "chat_id": chat} for text in reports for chat in chats]
        )
        logs_at_kill, _, pending_at_kill = await _counts(database_url)
        assert pending_at_kill >= 100, pending_at_kill  # a real backlog was cut off
        assert logs_at_kill + pending_at_kill == total  # each either logged or pending

        await rig.start_bot()
        done = (total, total * 3, 0)
        await _until_counts(database_url, done, seconds=90)

        def all_confirmed(report: dict[str, object]) -> bool:
            messages = report["messages"]
            assert isinstance(messages, list)
            return len({m["chat_id"] for m in messages}) == len(chats) and len(messages) >= total

        await rig.client.wait_for(all_confirmed, timeout=30, interval=0.2)
        await asyncio.sleep(1.0)  # nothing more should come
        after = await rig.client.report()
        assert await rig.stop_bot() == 0

    assert await _counts(database_url) == (total, total * 3, 0)  # none lost, none twice
    by_chat = Counter(m["chat_id"] for m in after["messages"])
    assert all(m["text"].startswith("Logged for") for m in after["messages"])
    assert all(by_chat[chat] >= len(reports) for chat in chats)
    duplicates = len(after["messages"]) - total
    assert duplicates <= CONCURRENCY, duplicates
    assert after["rejected"] == []
    print(f"pending at the kill: {pending_at_kill}, confirmations twice: {duplicates}")


async def _until_up(client: EmulatorClient) -> None:
    async with asyncio.timeout(30):
        while True:
            try:
                await client.report()
                return
            except OSError:
                await asyncio.sleep(0.05)
            except Exception as exc:  # httpx.ConnectError until it listens
                if "connect" not in type(exc).__name__.lower():
                    raise
                await asyncio.sleep(0.05)
