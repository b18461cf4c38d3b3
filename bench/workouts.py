"""Training log speed and memory: the service path the handlers use, on SQLite (a file) or
PostgreSQL (a fresh database on the test server, bench/databases.py).

    .venv/bin/python -m bench.workouts [--database postgres]

Targets (issue 14): logging >= 300 reports a second (one transaction per report, like the
inbox's one per update); /stats for a year of daily logs <= 100 ms; /progress for a year <= 500 ms
(query and render); exporting a year <= 200 ms; memory after 100 charts no higher than after
the first.

Chart memory is read in fresh processes (``--chart-memory``, the year's logs pickled on stdin),
so the first chart measured is the process's first, as in the bot: once as the bot runs (objects
of start-up frozen; after each chart the handler's ``chart_png`` collects and gives freed memory
back to the system, bot/telegram/memory.py), and once without that (charts' garbage
waiting for Python's own schedule, glibc keeping freed memory). The timings, too, are taken as
in the bot: start-up frozen, the chart made by ``chart_png``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypedDict

from matplotlib.figure import Figure

from bench.databases import fresh_database
from bot.core.clock import FixedClock
from bot.core.content import ContentStore, load_store
from bot.core.reports import Report, ReportEntry, ReportParser
from bot.core.stats.chart import render_progress
from bot.core.stats.export import to_csv
from bot.core.stats.model import LoggedSet
from bot.db import workout_log
from bot.db.engine import create_engine, migrate, session_factory
from bot.db.models import User
from bot.services.logbook import Logbook
from bot.services.training import Training
from bot.telegram.handlers.workouts import chart_png
from bot.telegram.handlers.workouts_text import stats_text
from tests.report_cases import CORPUS, ROOT, load_cases

START = datetime(2027, 1, 4, 18, tzinfo=UTC)
YEAR_USER = 1
CHART_MEMORY = "--chart-memory"
CHARTS = 200
MEMORY_AT = (1, 2, 10, 100, 200)
ROUNDS = 3
# A runner's day holds a few reports (one gym visit sent in three messages), as in real use: the
# clock moves a day every 3 reports per runner, so a day's open session never grows without end.
REPORTS_A_DAY = 3 * 200


def _rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4


class ChartMemory(TypedDict):
    """A child's readings (JSON: keys are chart counts as strings, "0" before the first)."""

    rss: dict[str, int]  # KiB
    blocks: dict[str, int]  # sys.getallocatedblocks()
    emptied: dict[str, int]  # the same with CPython's attribute cache emptied (1 and CHARTS)
    full: int  # full collections during the charts
    waiting: int  # figures alive at the end, before a collection
    figures: int  # after it


def _figures() -> int:
    return sum(isinstance(o, Figure) for o in gc.get_objects())


def _chart_memory(collect_each: bool) -> int:
    """The child: ``CHARTS`` charts of the logs on stdin, each rendered off the loop as the
    /progress handler does; prints RSS and Python heap blocks after the charts in MEMORY_AT."""
    logs = pickle.load(sys.stdin.buffer)
    store = load_store(ROOT / "data")
    full = 0

    def on_gc(phase: str, info: dict[str, int]) -> None:
        nonlocal full
        if phase == "start" and info["generation"] == 2:
            full += 1

    async def charts() -> ChartMemory:
        rss = {"0": _rss_kib()}
        blocks: dict[str, int] = {}
        emptied: dict[str, int] = {}
        gc.callbacks.append(on_gc)
        if collect_each:  # as the bot: start-up frozen, a collection after each chart
            gc.freeze()
        for n in range(1, CHARTS + 1):
            if collect_each:
                await asyncio.to_thread(chart_png, logs, store)
            else:
                await asyncio.to_thread(render_progress, logs, store)
            if n in MEMORY_AT:
                rss[str(n)] = _rss_kib()
                blocks[str(n)] = sys.getallocatedblocks()
            if collect_each and n in (1, CHARTS):
                # CPython's attribute-lookup cache (4,096 entries) keeps the names matplotlib
                # builds per chart (f"set_{k}"...): bounded, but it looks like growth.
                sys._clear_type_cache()
                emptied[str(n)] = sys.getallocatedblocks()
        gc.callbacks.remove(on_gc)
        waiting = _figures()
        gc.collect()
        return ChartMemory(
            rss=rss, blocks=blocks, emptied=emptied, full=full, waiting=waiting,
            figures=_figures(),
        )  # fmt: skip

    print(json.dumps(asyncio.run(charts())))
    return 0


async def _chart_memory_run(logs: list[LoggedSet], collect_each: bool) -> ChartMemory:
    flags = ["--collect"] if collect_each else []
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.workouts", CHART_MEMORY, *flags,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await child.communicate(pickle.dumps(logs))
    if child.returncode:
        raise RuntimeError(f"chart memory child exited {child.returncode}")
    result: ChartMemory = json.loads(out)
    return result


def _rss_line(result: ChartMemory) -> str:
    rss = {int(k): v / 1024 for k, v in result["rss"].items()}
    after = ", ".join(f"{n}: {rss[n]:,.1f}" for n in MEMORY_AT)
    growth = ", ".join(f"{rss[n] - rss[1]:+,.1f} MB at {n}" for n in MEMORY_AT[1:])
    return f"RSS before {rss[0]:,.1f} MB; after chart {after} MB; since the first: {growth}"


async def _timed(runs: int, work: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        await work()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[-1]


def _year_entries(day: int) -> tuple[ReportEntry, ...]:
    lifts = ("squat", "deadlift", "romanian-deadlift", "hip-thrust")
    return (
        ReportEntry(lifts[day % 4], (8, 8, 8), 40 + day * 0.1),
        ReportEntry("lunge", (10, 10, 10), 16.0, per_side=True),
        ReportEntry("calf-raise", (15, 15, 12)),
    )


async def main(backend: str) -> int:
    store = load_store(ROOT / "data")
    texts = [c.text for c in load_cases(CORPUS, store)]
    parser = ReportParser(store)
    # Reports with sets: a bare "done" with nothing planned is not logged (the runner is asked
    # what they did), so it has no place in a logging-throughput figure.
    reports = [t for t in texts if parser.parse(t).entries]
    with tempfile.TemporaryDirectory() as tmp:
        async with fresh_database(backend, Path(tmp)) as url:
            await measure(url, backend, store, parser, reports)
    return 0


async def measure(
    url: str, backend: str, store: ContentStore, parser: ReportParser, reports: list[str]
) -> None:
    engine = create_engine(url)
    await migrate(engine)
    sessions = session_factory(engine)
    clock = FixedClock(START)
    book = Logbook(store, parser, Training.from_store(store), clock)
    users = range(2, 202)
    async with sessions.begin() as db:
        for uid in (YEAR_USER, *users):
            db.add(User(id=uid, chat_id=uid, first_name="R", created_at=START,
                        last_seen_at=START))  # fmt: skip

    # 1. Logging through the service, as the report handler calls it (bot/telegram/handlers/
    # workouts.py on_report): one transaction per report, like the inbox's one per update.
    async def log_session(uid: int, update_id: int, text: str) -> None:
        clock.set(START + timedelta(days=update_id // REPORTS_A_DAY))
        async with sessions.begin() as db:
            result = await book.log_text(
                db, user_id=uid, chat_id=uid, message_id=update_id, text=text
            )
            assert result.kind == "logged", result

    Log = Callable[[int, int, str], Awaitable[None]]

    next_id = 0

    async def log_at_once(log: Log, count: int, workers: int) -> float:
        """Up to ``workers`` reports (of different chats) at once, like the inbox, each in
        its own transaction."""
        nonlocal next_id
        first, next_id = next_id + 1, next_id + count

        async def worker(w: int) -> None:
            for n in range(w, count, workers):
                await log(users[n % len(users)], first + n, reports[n % len(reports)])

        start = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(workers)))
        return count / (time.perf_counter() - start)

    async def log_batched(count: int, per_transaction: int) -> float:
        nonlocal next_id
        first, next_id = next_id + 1, next_id + count
        start = time.perf_counter()
        for chunk in range(0, count, per_transaction):
            async with sessions.begin() as db:
                for n in range(chunk, min(count, chunk + per_transaction)):
                    uid = users[n % len(users)]
                    clock.set(START + timedelta(days=(first + n) // REPORTS_A_DAY))
                    result = await book.log_text(
                        db, user_id=uid, chat_id=uid, message_id=first + n,
                        text=reports[n % len(reports)],
                    )  # fmt: skip
                    assert result.kind == "logged", result
        return count / (time.perf_counter() - start)

    await log_at_once(log_session, 200, 1)  # warm-up
    rates: dict[tuple[str, int], list[float]] = {}
    for _ in range(ROUNDS):
        for workers in (1, 8):
            rate = await log_at_once(log_session, 2000, workers)
            rates.setdefault(("session", workers), []).append(rate)
    batched = await log_batched(5000, 100)
    clock.set(START)
    async with engine.connect() as conn:
        select_one = time.perf_counter()
        for _ in range(500):
            await conn.exec_driver_sql("SELECT 1")
        round_trip = (time.perf_counter() - select_one) / 500 * 1000

    def figure(name: str, workers: int) -> str:
        found = sorted(rates[(name, workers)])
        runs = ", ".join(f"{r:,.0f}" for r in found)
        return f"{statistics.median(found):,.0f} reports/s (runs {runs})"

    print(
        f"Logging ({len(reports)} corpus reports, 200 runners, {backend}, "
        f"{ROUNDS} rounds, 3 reports per runner a day; target >= 300/s), one transaction per "
        "report:\n"
        f"  one at a time: {figure('session', 1)}\n"
        f"  8 at once (the inbox's concurrency): {figure('session', 8)}\n"
        f"  100 reports per transaction (the service's own cost): {batched:,.0f} reports/s\n"
        f"  (one round trip, SELECT 1, costs {round_trip:.2f} ms here)"
    )

    # A year of daily logs for one runner.
    async with sessions.begin() as db:
        for day in range(365):
            local = date(2027, 1, 4) + timedelta(days=day)
            await workout_log.record(
                db, user_id=YEAR_USER, chat_id=YEAR_USER, message_id=100_000 + day,
                local_date=local, report=Report("done", _year_entries(day)),
                now=START + timedelta(days=day), note="bench",
            )  # fmt: skip
    clock.set(START + timedelta(days=364))

    async def stats() -> str:
        async with sessions() as db:
            return stats_text(await book.stats(db, YEAR_USER), store)

    async def progress() -> bytes:
        async with sessions() as db:
            logs = await book.all_sets(db, YEAR_USER)
        return await asyncio.to_thread(chart_png, logs, store)  # as the handler does

    async def export() -> bytes:
        async with sessions() as db:
            return to_csv(await book.all_sets(db, YEAR_USER), store)

    gc.freeze()  # what the bot's process does once started (bot/telegram/app.py serve)
    await stats()
    median, worst = await _timed(20, stats)
    print(
        f"/stats for a year (365 logs, 3,285 sets): median {median:.1f} ms, "
        f"max {worst:.1f} ms (target <= 50 ms)"
    )
    median, worst = await _timed(10, progress)
    print(
        f"/progress for a year (query + render): median {median:.0f} ms, "
        f"max {worst:.0f} ms (target <= 300 ms)"
    )
    median, worst = await _timed(20, export)
    rows = (await export()).count(b"\n")
    print(
        f"/export for a year ({rows} lines): median {median:.1f} ms, "
        f"max {worst:.1f} ms (target <= 200 ms)"
    )

    # Memory, in fresh processes (see the module's docstring).
    async with sessions() as db:
        logs = await book.all_sets(db, YEAR_USER)
    running = await _chart_memory_run(logs, collect_each=False)
    collected = await _chart_memory_run(logs, collect_each=True)
    blocks, emptied, last = collected["blocks"], collected["emptied"], str(CHARTS)
    print(
        f"Memory over {CHARTS} /progress charts, fresh process, rendered off the loop "
        "(target: no higher after 100 than after the first):\n"
        f"  as the bot runs (start-up frozen; after each chart the handler collects and "
        "gives freed memory back, bot/telegram/memory.py): "
        f"{_rss_line(collected)}\n"
        f"    (Python heap blocks {blocks[last] - blocks['1']:+,} from chart 1 to "
        f"{CHARTS}; {emptied[last] - emptied['1']:+,} with CPython's attribute cache "
        f"emptied at both; figures left: {collected['figures']})\n"
        f"  without that (Python's own schedule, glibc keeping what is freed): "
        f"{_rss_line(running)}\n"
        f"    ({running['full']} full collections in {CHARTS} charts; the difference is "
        f"charts' garbage waiting for them: {running['waiting']} figures at the end, "
        f"{running['figures']} after a collection)"
    )
    await engine.dispose()


if __name__ == "__main__":
    if CHART_MEMORY in sys.argv:
        sys.exit(_chart_memory(collect_each="--collect" in sys.argv))
    chosen = sys.argv[sys.argv.index("--database") + 1] if "--database" in sys.argv else "sqlite"
    sys.exit(asyncio.run(main(chosen)))
