"""Report parsing: exact-match accuracy on both corpora, then latency per message.

    .venv/bin/python -m bench.reports [-v]

Targets (issue 16): >= 97% exact on every set (tests/data/reports.yaml, the runners' set
tests/data/reports_runners.yaml, and bench/reports_blind.yaml, never used for tuning); p99 <= 1 ms
per message.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from bot.core.content import load_store
from bot.core.reports import ReportParser
from tests.report_cases import (
    BLIND,
    CORPUS,
    ROOT,
    RUNNERS,
    RUNNERS_BLIND,
    load_cases,
    matches,
    observed,
)


def main() -> int:
    store = load_store(ROOT / "data")
    parser = ReportParser(store, every_lift=True)
    texts: list[str] = []
    print("Exact match (status, every entry, what is not logged):")
    sets = (
        (CORPUS, "tuned on"),
        (RUNNERS, "runners: circuits, every lift, units, holds, skips, runs"),
        (BLIND, "blind: never used for tuning"),
        (RUNNERS_BLIND, "blind, issue 16: never used for tuning"),
    )
    for path, role in sets:
        cases = load_cases(path, store)
        right = 0
        for case in cases:
            report = parser.parse(case.text)
            ok = matches(case, report)
            right += ok
            if not ok and "-v" in sys.argv:
                print(f"    miss: {case.text!r}\n      want {json.dumps(case.expected)}")
                print(f"      got  {json.dumps(observed(report))}")
            texts.append(case.text)
        name = path.relative_to(ROOT)
        print(f"  {name!s:34} {right}/{len(cases)} = {right / len(cases):.1%}  ({role})")

    for text in texts:  # warm-up: the first calls fill the word cache
        parser.parse(text)
    wall: list[float] = []
    cpu: list[float] = []  # this thread's CPU time: the parse's cost without waiting for a core
    for _ in range(30):
        for text in texts:
            start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
            parser.parse(text)
            cpu.append((time.thread_time_ns() - start_cpu) / 1e6)
            wall.append((time.perf_counter_ns() - start) / 1e6)
    print(f"Latency over {len(wall)} parses (target p99 <= 1 ms):")
    for label, timings in (("wall clock", wall), ("CPU time", cpu)):
        timings.sort()
        p99 = timings[int(len(timings) * 0.99)]
        print(
            f"  {label:10}  p50 {statistics.median(timings):.3f} ms, p99 {p99:.3f} ms, "
            f"max {timings[-1]:.3f} ms"
        )
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
