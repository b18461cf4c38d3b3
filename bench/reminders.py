"""Reminder scheduling at scale: the due query + claim per tick, next-fire arithmetic, memory.

    .venv/bin/python -m bench.reminders [--users 100000] [--due 10000] [--batch 200]
                                        [--postgres postgresql+asyncpg://postgres@127.0.0.1/test]

Builds a fresh SQLite file with ``--users`` runners whose reminders are spread over the day in
40 zones, ``--due`` of them due in the same minute, then drains that minute the way the
dispatcher does (claim a batch, confirm it with each runner's next fire instant) and reports the
claim time per tick (target <= 50 ms); then the same for the weekly check-ins (every runner has
one, spread over the week, ``--due`` of them due in that same minute); the next-fire
computations per second (target >= 50,000) and this process's peak resident memory. With
``--postgres`` the same claims run on a private database of that server (created and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.schedule import ReminderRule, next_fire
from bot.db import schedules, seasons
from bot.db.engine import create_engine, migrate, session_factory
from bot.db.models import User
from bot.db.schedules import Confirmation
from bot.db.season_models import RunnerSeason
from bot.db.training_models import ReminderSchedule

NOW = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
ZONES = [
    "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
    "America/Sao_Paulo", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "Australia/Sydney",
    "Australia/Lord_Howe", "America/Santiago", "Africa/Casablanca", "Africa/Lagos",
    "Asia/Shanghai", "Europe/Moscow", "Pacific/Auckland", "America/Chicago", "America/Denver",
    "Asia/Dubai", "Asia/Singapore", "Europe/Paris", "Europe/Madrid", "Europe/Rome",
    "Europe/Warsaw", "Europe/Helsinki", "Europe/Istanbul", "Africa/Cairo", "Africa/Nairobi",
    "Asia/Karachi", "Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta", "Asia/Seoul",
    "Australia/Perth", "Australia/Adelaide", "America/Mexico_City", "America/Bogota",
    "America/Halifax", "America/St_Johns", "Pacific/Honolulu",
]  # fmt: skip


def _rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def populate(engine: AsyncEngine, users: int, due: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    await migrate(engine)
    user_rows = []
    schedule_rows = []
    for uid in range(1, users + 1):
        user_rows.append({"id": uid, "chat_id": uid, "first_name": f"R{uid}",
                          "created_at": NOW, "last_seen_at": NOW})  # fmt: skip
        if uid <= due:  # all due in the same minute as NOW
            fire = NOW - timedelta(seconds=rng.randrange(60))
        else:  # spread over the next day
            fire = NOW + timedelta(seconds=rng.randrange(60, 86_400))
        zone = ZONES[uid % len(ZONES)]
        local = fire.astimezone(ZoneInfo(zone))
        schedule_rows.append({
            "user_id": uid, "chat_id": uid, "zone": zone,
            "local_time": f"{local.hour:02d}:{local.minute:02d}", "days": 0b1111111,
            "sessions_per_week": 2, "level": "beginner", "paused_open": False,
            "stopped": False, "blocked": False, "next_fire_at": fire, "attempts": 0,
            "progress": {}, "created_at": NOW, "updated_at": NOW,
        })  # fmt: skip
    sessions = session_factory(engine)
    for start in range(0, users, 10_000):
        async with sessions.begin() as db:
            await db.execute(insert(User), user_rows[start : start + 10_000])
            await db.execute(insert(ReminderSchedule), schedule_rows[start : start + 10_000])
    if engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()


async def drain(engine: AsyncEngine, batch: int, due: int) -> dict[str, float]:
    """Claim and confirm the due minute batch by batch, as the dispatcher does."""
    sessions = session_factory(engine)
    claim_ms: list[float] = []
    confirm_ms: list[float] = []
    handled = 0
    owner = "bench"
    now = NOW + timedelta(seconds=1)
    while True:
        started = time.perf_counter()
        async with sessions.begin() as db:
            claimed = await schedules.claim_due(db, now, owner, timedelta(minutes=5), batch)
        claim_ms.append((time.perf_counter() - started) * 1000)
        if not claimed:
            break
        handled += len(claimed)
        started = time.perf_counter()
        async with sessions.begin() as db:
            rows = {
                r.user_id: r
                for r in await db.scalars(
                    ReminderSchedule.__table__.select()
                    .where(ReminderSchedule.user_id.in_([c.user_id for c in claimed]))
                    .with_only_columns(ReminderSchedule)
                )
            }
            done = [
                Confirmation(c.user_id, schedules.next_fire_of(rows[c.user_id], c.fire_at))
                for c in claimed
            ]
            await schedules.confirm_sent(db, owner, done, now)
        confirm_ms.append((time.perf_counter() - started) * 1000)
    assert handled == due, (handled, due)
    ticks = claim_ms[:-1]  # the last claim found nothing
    ticks.sort()
    return {
        "ticks": len(ticks),
        "claim_median_ms": statistics.median(ticks),
        "claim_p95_ms": ticks[int(len(ticks) * 0.95) - 1] if len(ticks) > 1 else ticks[0],
        "claim_max_ms": ticks[-1],
        "claim_empty_ms": claim_ms[-1],
        "confirm_median_ms": statistics.median(confirm_ms),
    }


async def populate_checkins(engine: AsyncEngine, users: int, due: int, seed: int = 11) -> None:
    """Every runner's weekly check-in: ``due`` in NOW's minute, the others over the week."""
    rng = random.Random(seed)
    rows = []
    for uid in range(1, users + 1):
        if uid <= due:
            fire = NOW - timedelta(seconds=rng.randrange(60))
        else:
            fire = NOW + timedelta(seconds=rng.randrange(60, 7 * 86_400))
        rows.append({"user_id": uid, "chat_id": uid, "hard_run_days": 0, "checkin_on": True,
                     "checkin_day": 6, "checkin_time": "18:00", "checkin_next_at": fire,
                     "checkin_attempts": 0, "updated_at": NOW})  # fmt: skip
    sessions = session_factory(engine)
    for start in range(0, users, 10_000):
        async with sessions.begin() as db:
            await db.execute(insert(RunnerSeason), rows[start : start + 10_000])
    if engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()


async def drain_checkins(engine: AsyncEngine, batch: int, due: int) -> dict[str, float]:
    """Claim and confirm the due check-ins batch by batch, as bot/jobs/checkins.py does."""
    sessions = session_factory(engine)
    claim_ms: list[float] = []
    confirm_ms: list[float] = []
    handled = 0
    now = NOW + timedelta(seconds=1)
    while True:
        started = time.perf_counter()
        async with sessions.begin() as db:
            claimed = await seasons.claim_due_checkins(db, now, "bench", timedelta(minutes=5),
                                                       batch)  # fmt: skip
        claim_ms.append((time.perf_counter() - started) * 1000)
        if not claimed:
            break
        handled += len(claimed)
        for claim in claimed:  # one small transaction per result, as the sender does
            started = time.perf_counter()
            async with sessions.begin() as db:
                following = claim.fire_at + timedelta(weeks=1)
                await seasons.confirm_checkin(db, "bench", claim.user_id, following, now)
            confirm_ms.append((time.perf_counter() - started) * 1000)
    assert handled == due, (handled, due)
    ticks = sorted(claim_ms[:-1])
    return {
        "ticks": len(ticks),
        "claim_median_ms": statistics.median(ticks),
        "claim_p95_ms": ticks[int(len(ticks) * 0.95) - 1] if len(ticks) > 1 else ticks[0],
        "claim_max_ms": ticks[-1],
        "claim_empty_ms": claim_ms[-1],
        "confirm_median_ms": statistics.median(confirm_ms),
    }


def next_fire_rate(count: int) -> float:
    rng = random.Random(3)
    rules = [
        ReminderRule(
            ZoneInfo(rng.choice(ZONES)),
            clock_time(rng.randrange(24), rng.randrange(60)),
            frozenset(rng.sample(range(7), rng.randint(1, 7))),
        )
        for _ in range(1000)
    ]
    afters = [NOW + timedelta(minutes=rng.randrange(525_600)) for _ in range(1000)]
    started = time.perf_counter()
    for i in range(count):
        next_fire(rules[i % 1000], afters[(i * 7) % 1000])
    return count / (time.perf_counter() - started)


def _print(label: str, result: dict[str, float]) -> None:
    print(
        f"{label}: {int(result['ticks'])} ticks; claim per tick median "
        f"{result['claim_median_ms']:.1f} ms, p95 {result['claim_p95_ms']:.1f} ms, max "
        f"{result['claim_max_ms']:.1f} ms; empty due query {result['claim_empty_ms']:.1f} ms; "
        f"confirm per batch median {result['confirm_median_ms']:.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--postgres", default=None, help="admin URL of a PostgreSQL server")
    args = parser.parse_args()

    rate = next_fire_rate(200_000)
    print(f"next fire instants: {rate:,.0f} per second (target >= 50,000)")

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        started = time.perf_counter()
        await populate(engine, args.users, args.due)
        print(f"SQLite: {args.users:,} runners, {args.due:,} due in one minute "
              f"(built in {time.perf_counter() - started:.1f} s)")  # fmt: skip
        _print(f"SQLite, batch {args.batch}", await drain(engine, args.batch, args.due))
        await populate_checkins(engine, args.users, args.due)
        _print(f"SQLite check-ins, batch {args.batch}",
               await drain_checkins(engine, args.batch, args.due))  # fmt: skip
        await engine.dispose()

    if args.postgres:
        name = f"legwork_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            engine = create_engine(args.postgres.rsplit("/", 1)[0] + f"/{name}")
            await populate(engine, args.users, args.due)
            _print(f"PostgreSQL, batch {args.batch}", await drain(engine, args.batch, args.due))
            await populate_checkins(engine, args.users, args.due)
            _print(f"PostgreSQL check-ins, batch {args.batch}",
                   await drain_checkins(engine, args.batch, args.due))  # fmt: skip
            await engine.dispose()
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await admin.dispose()
    print(f"peak resident memory of this process: {_rss_peak_mb():.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
