"""A reminder fan-out through the whole bot: the real Application (inbox, send layer, dispatcher)
against the local Bot API emulator, with a question asked in the middle of it.

    .venv/bin/python -m bench.reminders_fanout [--due 1000] [--checkins]

Seeds a fresh SQLite file with ``--due`` runners whose reminders fell due in the last 30 s,
starts the bot and reports: the send rate sustained (target >= 95% of the 30/s limit), the
first reminder's delay, duplicates and lost reminders (target 0), 429s seen (target 0), the
answer time of a question sent a third of the way through (target <= 1.5 s) and this
process's peak resident memory (bot and emulator together). The emulator is set to answer 429
above 30 messages a second overall or 1 a second to one chat (its flood control). With
``--checkins`` the runners have no reminder due but their weekly check-in (same dispatcher).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bot.core.content import load_store
from bot.db.engine import create_engine, migrate, session_factory
from bot.db.models import User
from bot.db.season_models import RunnerSeason
from bot.db.training_models import ReminderSchedule
from bot.emulator import BotApiEmulator, BotMessage
from bot.settings import Settings
from bot.telegram.app import build_application, start_polling, stop_polling

TOKEN = "123456:" + "F" * 35
ASKER = 999


async def seed(url: str, due: int, now: datetime, checkins: bool = False) -> None:
    engine = create_engine(url)
    await migrate(engine)
    users = [{"id": ASKER, "chat_id": ASKER, "first_name": "Asker", "created_at": now,
              "last_seen_at": now}]  # fmt: skip
    rows = []
    seasons = []
    for index in range(due):
        uid = 10_000 + index
        fire = now - timedelta(seconds=30) + timedelta(milliseconds=index * 30_000 // due)
        users.append({"id": uid, "chat_id": uid, "first_name": "R", "created_at": now,
                      "last_seen_at": now})  # fmt: skip
        rows.append({
            "user_id": uid, "chat_id": uid, "zone": "UTC",
            "local_time": f"{fire.hour:02d}:{fire.minute:02d}", "days": 0b1111111,
            "sessions_per_week": 3, "level": "beginner", "paused_open": False,
            "stopped": False, "blocked": False, "next_fire_at": fire, "attempts": 0,
            "progress": {}, "created_at": now, "updated_at": now,
        })  # fmt: skip
        if checkins:  # the check-in is due instead of the reminder
            rows[-1].update(local_time=None, next_fire_at=None)
            seasons.append({
                "user_id": uid, "chat_id": uid, "hard_run_days": 0, "checkin_on": True,
                "checkin_day": fire.weekday(), "checkin_time": f"{fire.hour:02d}:{fire.minute:02d}",
                "checkin_next_at": fire, "checkin_attempts": 0, "updated_at": now,
            })  # fmt: skip
    async with session_factory(engine).begin() as db:
        await db.execute(insert(User), users)
        if rows:
            await db.execute(insert(ReminderSchedule), rows)
        if seasons:
            await db.execute(insert(RunnerSeason), seasons)
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--checkins", action="store_true", help="weekly check-ins due instead")
    parser.add_argument(
        "--send-rate", type=float, default=30.0, help="the bot's SEND_RATE_PER_SECOND"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    load_before = os.getloadavg()
    store = load_store()
    sent_at: list[tuple[float, int]] = []

    def reminders() -> list[int]:
        return [c for _, c in sent_at if c != ASKER]

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'fanout.db'}"
        now = datetime.now(UTC)
        await seed(url, args.due, now, args.checkins)
        async with BotApiEmulator(token=TOKEN) as emulator:
            emulator.on_bot_message = lambda m: sent_at.append((time.monotonic(), m.chat_id))
            for index in range(args.due):
                emulator.add_chat(10_000 + index)
            # Telegram's limits, enforced by the emulator: 429 above 30/s overall, 1/s a chat.
            emulator.set_flood_limit(per_second=30, per_chat=1)
            app = build_application(
                token=emulator.token, base_url=emulator.base_url,
                base_file_url=emulator.base_file_url, store=store, database_url=url,
                poll_timeout=1,
                settings=Settings.model_construct(send_rate_per_second=args.send_rate),
            )  # fmt: skip
            started = time.monotonic()
            await start_polling(app)
            try:
                await emulator.wait_for(lambda: len(reminders()) >= args.due // 3, timeout=600)
                asked = time.monotonic()
                emulator.user_sends("how do I do a glute bridge", chat_id=ASKER)
                answer: list[BotMessage] = await emulator.wait_for_messages(
                    1, chat_id=ASKER, timeout=60
                )
                answered = next(t for t, c in sent_at if c == ASKER) - asked
                await emulator.wait_for(lambda: len(reminders()) >= args.due, timeout=900)
                await asyncio.sleep(3)  # anything doubled late would show up now
            finally:
                await stop_polling(app)
            rejected_429 = emulator.fault_report().get("flood", 0)
            assert answer
    times = sorted(t for t, c in sent_at if c != ASKER)
    counts = Counter(c for _, c in sent_at if c != ASKER)
    lo, hi = times[len(times) // 10], times[len(times) * 9 // 10]
    rate = (len(times) * 8 // 10) / (hi - lo) if hi > lo else float("inf")
    kind = "weekly check-ins" if args.checkins else "reminders"
    print(f"{args.due} {kind} due: first sent {times[0] - started:.2f} s after start, "
          f"all in {times[-1] - times[0]:.1f} s")  # fmt: skip
    print(f"sustained rate (10%-90%): {rate:.1f}/s = {rate / 30 * 100:.0f}% of 30/s")
    print(f"duplicates: {sum(n - 1 for n in counts.values() if n > 1)}, "
          f"lost: {args.due - len(counts)}, 429s: {rejected_429}")  # fmt: skip
    print(f"question asked mid-fan-out answered in {answered:.2f} s")
    load = " ".join(f"{x:.2f}" for x in load_before)
    after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) before: {load}, after: {after}; {os.cpu_count()} CPUs")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory (bot + emulator in one process): {peak:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
