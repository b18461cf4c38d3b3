"""The /progress chart on its own: render time for a year and a first week, and resident memory
over many charts with and without a collection + ``malloc_trim`` after each.

    .venv/bin/python -m bench.chart            # timings, then memory (two fresh processes)
    .venv/bin/python -m bench.chart --charts 200

Target (issue 14): /progress for a year <= 500 ms (this is the render; the query is in
bench/workouts.py). Memory is read in fresh processes so the first chart measured is the
process's first, as in the bot: once with ``gc.collect()`` + glibc's ``malloc_trim(0)`` after
each chart (what bot/telegram/memory.py does), once with the collection only, and once
leaving both to Python's and glibc's own schedule.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

from bot.core.content import load_store
from bot.core.stats.chart import render_progress
from bot.core.stats.model import LoggedSet
from tests.report_cases import ROOT

FIRST_DAY = date(2027, 1, 4)
MEMORY_AT = (1, 2, 10, 50, 100, 200, 400)


def year_of_logs(days: int = 365) -> list[LoggedSet]:
    """A runner who logs every day: a rotating main lift with load, lunges, calf raises."""
    lifts = ("squat", "deadlift", "romanian-deadlift", "hip-thrust")
    logs: list[LoggedSet] = []
    for n in range(days):
        day = FIRST_DAY + timedelta(days=n)
        for exercise, reps, kg in (
            (lifts[n % 4], (8, 8, 8), 40 + n * 0.1),
            ("lunge", (10, 10, 10), 16.0),
            ("calf-raise", (15, 15, 12), None),
        ):
            logs += [
                LoggedSet(n, day, "done", True, "bench", 0, exercise, i, r, kg, False)
                for i, r in enumerate(reps, start=1)
            ]
    return logs


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


# What is done after each chart: nothing, a full collection, or that and glibc's malloc_trim(0)
# (bot/telegram/memory.py's release_freed_memory).
MODES = {
    "nothing": "nothing after each",
    "gc": "gc.collect() after each",
    "gc+trim": "gc.collect() + malloc_trim(0) after each (bot/telegram/memory.py)",
}


def _after_each(mode: str) -> Callable[[], None]:
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None

    def release() -> None:
        if mode != "nothing":
            gc.collect()
        if mode == "gc+trim" and trim is not None:
            trim(0)

    return release


def _memory_child(charts: int, mode: str) -> None:
    store = load_store(ROOT / "data")
    logs = year_of_logs()
    after_each = _after_each(mode)
    gc.freeze()  # as the bot does once started
    readings = {0: _rss_mb()}
    for n in range(1, charts + 1):
        render_progress(logs, store, today=FIRST_DAY + timedelta(days=364))
        after_each()
        if n in MEMORY_AT or n == charts:
            readings[n] = _rss_mb()
    print(json.dumps(readings))


def _memory(charts: int, mode: str) -> dict[int, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.chart", "--child", "--charts", str(charts), "--mode", mode],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {int(k): v for k, v in json.loads(out.stdout).items()}


def _timed(runs: int, work: Callable[[], object]) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return sorted(timings)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--charts", type=int, default=200)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--mode", choices=list(MODES), default="nothing")
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    if args.child:
        _memory_child(args.charts, args.mode)
        return 0

    store = load_store(ROOT / "data")
    year = year_of_logs()
    week = year_of_logs(5)
    start = time.perf_counter()
    render_progress(year, store)
    first = (time.perf_counter() - start) * 1000
    print(f"first chart in this process (imports matplotlib): {first:.0f} ms")
    for label, logs in (("a year (365 days, 3,285 sets)", year), ("a first week", week)):
        found = _timed(15, lambda logs=logs: render_progress(logs, store))  # type: ignore[misc]
        print(
            f"render {label}: median {statistics.median(found):.0f} ms, "
            f"max {found[-1]:.0f} ms (target <= 500 ms for a year)"
        )
    if args.no_memory:
        return 0
    for mode, how in MODES.items():
        rss = _memory(args.charts, mode)
        shown = ", ".join(f"{n}: {mb:.1f}" for n, mb in rss.items())
        print(
            f"RSS MB over {args.charts} charts, {how}: {shown} "
            f"(growth from chart 1: {rss[args.charts] - rss[1]:+.1f} MB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
