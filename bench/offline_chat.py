"""The offline chat's first /progress in a new process (issue 19 §5: within 1 s).

Runs ``python -m bot chat`` on a pseudo-terminal with a fresh data directory, logs one session,
waits as long as a person takes to type the next line (``TYPING`` seconds after the reply), then
times ``/progress`` from Enter to the saved chart's path, for a few new processes::

    .venv/bin/python -m bench.offline_chat [runs] [typing seconds]
"""

from __future__ import annotations

import os
import pty
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.cli.offline_chat import PROMPT
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _read_until(master: int, pattern: str, seen: list[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = "".join(seen)
        found = re.search(pattern, text)
        if found:
            seen[:] = [text[found.end() :]]
            return
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            seen.append(os.read(master, 65536).decode(errors="replace"))
    raise TimeoutError(pattern)


TYPING = 1.5


def first_progress_seconds(typing: float = TYPING) -> float:
    names = {name.upper() for name in Settings.model_fields}
    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if k not in names} | {
            "DATA_DIR": data_dir, "PYTHONPATH": str(ROOT),
        }  # fmt: skip
        master, slave = pty.openpty()
        child = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat"], stdin=slave, stdout=slave, stderr=slave,
            cwd=ROOT, env=env, close_fds=True,
        )  # fmt: skip
        os.close(slave)
        seen: list[str] = []
        try:
            _read_until(master, re.escape(PROMPT), seen)
            os.write(master, b"squats 3x10 @ 40kg\n")
            _read_until(master, r"Logged for", seen)
            _read_until(master, re.escape(PROMPT), seen)
            time.sleep(typing)
            started = time.monotonic()
            os.write(master, b"/progress\n")
            _read_until(master, r"saved: \S+\.png", seen)
            elapsed = time.monotonic() - started
            os.write(master, b"/quit\n")
            child.wait(timeout=30)
            return elapsed
        finally:
            if child.poll() is None:
                child.kill()
            os.close(master)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    typing = float(sys.argv[2]) if len(sys.argv) > 2 else TYPING
    times = [first_progress_seconds(typing) for _ in range(runs)]
    print(
        f"first /progress in a new offline chat ({typing:g} s typing): median "
        f"{statistics.median(times):.2f} s, max {max(times):.2f} s over {runs} processes"
    )


if __name__ == "__main__":
    main()
