"""Loading and validating the content store (target <= 150 ms).

    .venv/bin/python -m bench.content_load

Measured in fresh processes (a bot start-up pays imports too) and warm, in one process.
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


def main() -> int:
    warm = []
    store = load_store(ROOT / "data")
    for _ in range(30):
        start = time.perf_counter()
        load_store(ROOT / "data")
        warm.append((time.perf_counter() - start) * 1000)
    cold = []
    for _ in range(15):
        out = subprocess.run(
            [sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, check=True
        )
        cold.append(float(out.stdout))
    print(
        f"load + validate, warm process:          median {statistics.median(warm):.1f} ms, "
        f"max {max(warm):.1f} ms"
    )
    print(
        f"imports + load + validate + index, cold: median {statistics.median(cold):.1f} ms, "
        f"min {min(cold):.1f} ms, max {max(cold):.1f} ms   (target <= 150 ms)"
    )
    print(f"  ({len(store.entries)} entries, {len(store.uncovered)} lifts we lack)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
