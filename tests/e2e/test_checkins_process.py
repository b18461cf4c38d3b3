"""The real process killed with SIGKILL in the middle of a weekly check-in fan-out, then
restarted: no check-in is lost, the dead process's claims are taken back at once, and at most
the sender's ``concurrency`` (2) are doubled (those Telegram accepted before the kill but the
dead process had not recorded: see bot/jobs/checkins.py)."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bot.db.engine import create_engine, migrate, session_factory
from bot.db.models import User
from bot.db.season_models import RunnerSeason
from bot.db.training_models import ReminderSchedule
from bot.emulator import BotApiEmulator
from bot.jobs.checkins import CheckinOptions
from tests.e2e.test_reminders_process import TOKEN, _start

DUE = 150
FIRST = 40_000


async def _seed(data_dir: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{data_dir / 'legwork.db'}")
    await migrate(engine)
    now = datetime.now(UTC)
    async with session_factory(engine).begin() as db:
        await db.execute(insert(User), [
            {"id": FIRST + i, "chat_id": FIRST + i, "first_name": "R", "created_at": now,
             "last_seen_at": now} for i in range(DUE)
        ])  # fmt: skip
        # A time zone and no reminder: only the check-ins are due.
        await db.execute(insert(ReminderSchedule), [
            {"user_id": FIRST + i, "chat_id": FIRST + i, "zone": "UTC", "days": 0,
             "sessions_per_week": 2, "level": "beginner", "paused_open": False,
             "stopped": False, "blocked": False, "attempts": 0, "progress": {},
             "created_at": now, "updated_at": now} for i in range(DUE)
        ])  # fmt: skip
        await db.execute(insert(RunnerSeason), [
            {"user_id": FIRST + i, "chat_id": FIRST + i, "hard_run_days": 0, "checkin_on": True,
             "checkin_day": 6, "checkin_time": "18:00", "checkin_attempts": 0,
             "checkin_next_at": now - timedelta(seconds=60 - i * 0.2), "updated_at": now}
            for i in range(DUE)
        ])  # fmt: skip
    await engine.dispose()


async def test_sigkill_mid_check_in_fan_out_loses_nothing(tmp_path: Path) -> None:
    await _seed(tmp_path)
    async with BotApiEmulator(token=TOKEN) as emulator:
        for i in range(DUE):
            emulator.add_chat(FIRST + i)

        def sent() -> Counter[int]:
            return Counter(
                m.chat_id
                for m in emulator.messages()
                if m.chat_id >= FIRST and m.text.startswith("Your weekly check-in")
            )

        bot = await _start(emulator, tmp_path)
        await emulator.wait_for(lambda: len(sent()) >= 40, timeout=60)
        bot.send_signal(signal.SIGKILL)
        await bot.wait()
        assert sum(sent().values()) < DUE  # killed mid-way

        bot = await _start(emulator, tmp_path)
        try:
            await emulator.wait_for(lambda: len(sent()) == DUE, timeout=60)
            await emulator.wait_until_idle(timeout=10)
            await asyncio.sleep(2.5)  # a tick later: still nothing doubled
        finally:
            bot.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(bot.communicate(), timeout=30)
        assert bot.returncode == 0, stderr.decode()
        counts = sent()
        assert len(counts) == DUE  # none lost
        doubled = [chat for chat, n in counts.items() if n > 1]
        assert CheckinOptions().concurrency == 2
        assert len(doubled) <= 2, doubled
        assert all(n <= 2 for n in counts.values())
        assert emulator.rejected == []
