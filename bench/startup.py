"""Process start to the first getUpdates (target <= 2 s) and idle memory (target <= 120 MB).

    .venv/bin/python -m bench.startup

Runs the real ``python -m bot`` in a child process against the local Bot API emulator, with a
fresh SQLite file (so migrations run, as on a first start), and reads its resident memory from
/proc after it has sat idle in long polling for a few seconds.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:" + "B" * 35
IDLE_SECONDS = 5.0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used: steadier than wall time on a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def one_run(measure_memory: bool) -> tuple[float, float, float | None]:
    async with BotApiEmulator(token=TOKEN) as emulator:
        with tempfile.TemporaryDirectory() as data_dir:
            env = dict(os.environ)
            env.update(
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE_URL=emulator.base_url,
                DATA_DIR=data_dir,
                LOG_LEVEL="WARNING",
            )
            env.pop("DATABASE_URL", None)
            start = time.perf_counter()
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=ROOT, env=env
            )
            try:
                # A long poll is recorded when it returns; a parked one counts from its arrival.
                while not (emulator.waiting_polls or emulator.calls("getUpdates")):
                    if time.perf_counter() - start > 30:
                        raise TimeoutError("the bot never polled")
                    await asyncio.sleep(0.005)
                elapsed = time.perf_counter() - start
                cpu = _cpu_seconds(child.pid)
                rss = None
                if measure_memory:
                    await asyncio.sleep(IDLE_SECONDS)
                    rss = _rss_mb(child.pid)
            finally:
                child.terminate()
                await asyncio.wait_for(child.wait(), timeout=30)
    return elapsed, cpu, rss


async def main() -> int:
    starts = []
    cpus = []
    memory = []
    for index in range(5):
        elapsed, cpu, rss = await one_run(measure_memory=index < 2)
        starts.append(elapsed)
        cpus.append(cpu)
        if rss is not None:
            memory.append(rss)
    print(
        f"process start -> first getUpdates: median {statistics.median(starts):.2f} s, "
        f"max {max(starts):.2f} s over {len(starts)} runs (target <= 2 s); CPU of the bot "
        f"process until then: median {statistics.median(cpus):.2f} s, max {max(cpus):.2f} s"
    )
    print(
        f"idle resident memory after {IDLE_SECONDS:.0f} s of polling: max {max(memory):.1f} MB "
        f"(target <= 120 MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
