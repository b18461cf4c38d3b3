"""Loading and validating the content store (target <= 150 ms in a fresh process).

    .venv/bin/python -m bench.content_load

Measured in fresh processes (a bot start-up pays imports too) and warm, in one process. Every
load validates (there is no cache of a validated store).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bot.core.content import load_store

ROOT = Path(__file__).resolve().parents[1]
CHILD = (
    "import time; t=time.perf_counter(); "
    "from bot.core.content import load_store; from bot.core.answering import Answerer; "
    "Answerer(load_store()); print((time.perf_counter()-t)*1000)"
)


def _cold() -> float:
    """One fresh process: imports, load and validation, the answer index."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def _line(label: str, values: list[float]) -> str:
    return (
        f"{label}: median {statistics.median(values):.1f} ms, "
        f"min {min(values):.1f} ms, max {max(values):.1f} ms"
    )


def main() -> int:
    warm = []
    store = load_store(ROOT / "data")
    for _ in range(30):
        start = time.perf_counter()
        load_store(ROOT / "data")
        warm.append((time.perf_counter() - start) * 1000)
    cold = [_cold() for _ in range(15)]
    print(f"load + validate, warm process: median {statistics.median(warm):.1f} ms")
    print(_line("fresh process: imports + load + validate + index", cold) + " (target <= 150 ms)")
    print(f"  ({len(store.entries)} entries, {len(store.uncovered)} lifts we lack)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
