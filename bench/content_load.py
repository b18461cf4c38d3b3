"""Loading and validating the content store (target <= 150 ms).

    .venv/bin/python -m bench.content_load

Measured in fresh processes (a bot start-up pays imports too) and warm, in one process.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.core.content import load_store

ROOT = Path(__file__).resolve().parents[1]
CHILD = (
    "import time; t=time.perf_counter(); "
    "from bot.core.content import load_store; from bot.core.answering import Answerer; "
    "Answerer(load_store()); print((time.perf_counter()-t)*1000)"
)


def _cold(cache: Path, *, fresh_cache: bool) -> float:
    """One fresh process: imports, load (validating, or from the cache), the answer index."""
    if fresh_cache:
        shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "LEGWORK_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def _line(label: str, values: list[float]) -> str:
    return (
        f"{label}: median {statistics.median(values):.1f} ms, "
        f"min {min(values):.1f} ms, max {max(values):.1f} ms"
    )


def main() -> int:
    warm = []
    store = load_store(ROOT / "data", cache=False)
    for _ in range(30):
        start = time.perf_counter()
        load_store(ROOT / "data", cache=False)
        warm.append((time.perf_counter() - start) * 1000)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        # Alternate, so both see the same machine: a start after the content (or the loader)
        # changed validates everything; every later start reads the validated store.
        validating, cached = [], []
        for _ in range(15):
            validating.append(_cold(cache, fresh_cache=True))
            cached.append(_cold(cache, fresh_cache=False))
    print(f"load + validate, warm process (no cache): median {statistics.median(warm):.1f} ms")
    print(_line("cold process, validating (first start)  ", validating))
    print(_line("cold process, validated store cached     ", cached) + "   (target <= 150 ms)")
    print(f"  ({len(store.entries)} entries, {len(store.uncovered)} lifts we lack)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
