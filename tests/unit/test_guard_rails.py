"""The CI guard rails do what they say: ruff refuses Telegram and database imports in bot/core
(and nowhere else), and the test command runs with a per-test timeout and coverage."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from tests.conftest import ROOT


def _ruff(path: str, source: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--stdin-filename", path, "-"],
        cwd=ROOT,
        input=source,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "line",
    [
        "import telegram",
        "from telegram.ext import Application",
        "from sqlalchemy import select",
        "from bot.db import users",
    ],
)
def test_core_may_not_import_telegram_or_the_database(line: str) -> None:
    source = f"{line}\n\n__all__ = [{line.split()[-1]!r}]\n"
    core = _ruff("bot/core/probe.py", source)
    assert core.returncode == 1
    assert "TID251" in core.stdout
    assert _ruff("bot/telegram/handlers/probe.py", source).returncode == 0


def test_tests_have_a_timeout_and_the_test_command_prints_coverage() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["tool"]["pytest"]["ini_options"]["timeout"] > 0
    assert "--cov=bot" in (ROOT / "dev.py").read_text()
