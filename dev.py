#!/usr/bin/env python3
"""Set up and run Legwork with nothing but Python 3.11+.

    python3 dev.py run     # set up, then run the bot (offline terminal chat without a token)
    python3 dev.py test    # set up, then run ruff, mypy and every test (coverage: one line)
    python3 dev.py test --cov-report=term:skip-covered   # ... with the coverage table

The first call creates .venv and installs the pinned dependencies (constraints.txt); later calls
reinstall only when pyproject.toml or constraints.txt changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".legwork-installed"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under whatever python3 is
        sys.exit("Legwork needs Python 3.11 or newer.")
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("Installing dependencies into .venv (first run takes a minute) ...", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-c", "constraints.txt", "-e", ".[dev]"], check=True, cwd=ROOT)
    STAMP.write_text(_fingerprint())


def _run(*cmd: str) -> int:
    print("$", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("run", [])
    if command not in {"run", "test", "setup"}:
        print(__doc__)
        return 2
    setup()
    if command == "setup":
        return 0
    if command == "run":
        os.chdir(ROOT)
        os.execv(str(PY), [str(PY), "-m", "bot", *rest])
    for step in (
        (str(PY), "-m", "ruff", "check", "."),
        (str(PY), "-m", "ruff", "format", "--check", "."),
        (str(PY), "-m", "mypy"),
    ):
        if _run(*step) != 0:
            return 1
    if any(arg.startswith("--cov-report") for arg in rest):  # asked for a table (or more)
        return _run(str(PY), "-m", "pytest", "--cov=bot", *rest)
    code = _run(str(PY), "-m", "pytest", "--cov=bot", "--cov-report=", *rest)
    total = subprocess.run(
        [str(PY), "-m", "coverage", "report", "--format=total"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if total.returncode == 0:
        print(
            f"Coverage of bot/: {total.stdout.strip()}% "
            "(the table: python3 dev.py test --cov-report=term:skip-covered)"
        )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
