"""The command line as a person or a script uses it: ``ask`` (a stable contract) and the offline
chat, each in a real child process."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env["DATA_DIR"] = str(tmp_path / "var")
    env["LOG_LEVEL"] = "WARNING"
    return env


def _run(args: list[str], tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=_env(tmp_path),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_ask_prints_the_answer(tmp_path: Path) -> None:
    result = _run(["ask", "how", "do", "I", "do", "a", "glute", "bridge"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Glute bridge: how to do it\n\n1. ")
    assert not (tmp_path / "var").exists()  # no database needed


def test_ask_json_contract(tmp_path: Path) -> None:
    result = _run(["ask", "--json", "sumo deadlift how to"], tmp_path)
    data = json.loads(result.stdout)
    assert data["exercise"] == "sumo-deadlift"
    assert data["topic"] == "how-to"
    assert data["text"]
    declined = json.loads(_run(["ask", "--json", "how do I do a push-up"], tmp_path).stdout)
    assert (declined["exercise"], declined["topic"]) == (None, None)


def test_ask_stdin_gives_one_json_object_per_line(tmp_path: Path) -> None:
    questions = "what do lunges work?\n\nwhat should runners do in the gym\ngltue bridge\n"
    result = _run(["ask", "-"], tmp_path, stdin=questions)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["exercise"], r["topic"]) for r in rows] == [
        ("lunge", "muscles"),
        (None, "overview"),
        ("glute-bridge", None),
    ]


def test_offline_chat_answers_and_buttons_work(tmp_path: Path) -> None:
    # No token: plain `python -m bot` falls back to the offline chat over the local emulator.
    script = "how do I do a glute bridge\n/exercises\n1\n/quit\n"
    result = _run([], tmp_path, stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Glute bridge: how to do it" in out
    assert "Lie" in out or "lie" in out
    assert "[1] Squats" in out
    assert "bot (edited)> Squat" in out
    assert (tmp_path / "var" / "legwork.db").exists()  # created on first run
    assert "No TELEGRAM_BOT_TOKEN" in result.stderr


def test_bad_content_refuses_to_start(tmp_path: Path) -> None:
    broken = tmp_path / "content"
    broken.mkdir()
    for source in (ROOT / "data").iterdir():
        (broken / source.name).write_text(source.read_text())
    text = (broken / "squat.yaml").read_text().replace("  how-to: |", "  how_to_do: |", 1)
    (broken / "squat.yaml").write_text(text)
    env = _env(tmp_path) | {"CONTENT_DIR": str(broken)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "squat"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "squat.yaml: field 'topics." in result.stderr
    assert result.stderr.count("\n") == 1


# -- start-up faults: one line naming the setting at fault, no log lines before it -----------

BOT_TOKEN = "123456789:" + "A" * 35


def _start(args: list[str], tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """The bot at INFO (so any log line before the failure would show), stdin closed."""
    env = _env(tmp_path) | {"LOG_LEVEL": "INFO"} | settings
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def _the_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("legwork: "), result.stderr
    return lines[0]


def test_a_database_url_into_proc_names_database_url(tmp_path: Path) -> None:
    url = "sqlite+aiosqlite:////proc/self/legwork.db"
    for args in (["migrate"], []):
        result = _start(
            args, tmp_path, DATABASE_URL=url, TELEGRAM_BOT_TOKEN=BOT_TOKEN,
            TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
        )  # fmt: skip
        assert result.returncode == 2
        line = _the_line(result)
        assert "Check DATABASE_URL" in line
        assert "DATA_DIR" not in line


def test_data_dir_faults_are_one_line_naming_data_dir_with_one_exit_code(tmp_path: Path) -> None:
    """A file in the way (/etc/passwd), a directory no one can write in, one under a file."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    codes = set()
    for data_dir in ("/etc/passwd", "/proc/self", str(blocker / "var")):
        result = _start(
            [], tmp_path, DATA_DIR=data_dir, TELEGRAM_BOT_TOKEN=BOT_TOKEN,
            TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
        )  # fmt: skip
        line = _the_line(result)  # no traceback, no INFO lines before it
        assert f"Check DATA_DIR ({data_dir})" in line
        assert "server" not in line
        codes.add(result.returncode)
    assert codes == {2}


def test_a_trailing_slash_in_the_api_base_url_names_that_setting(tmp_path: Path) -> None:
    result = _start(
        [], tmp_path, TELEGRAM_BOT_TOKEN=BOT_TOKEN,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:8081/bot/",
    )  # fmt: skip
    assert result.returncode == 2
    line = _the_line(result)
    assert "TELEGRAM_API_BASE_URL" in line
    assert "TELEGRAM_BOT_TOKEN" not in line


async def test_no_bot_api_at_the_base_url_names_it_not_the_token(tmp_path: Path) -> None:
    from bot.emulator import BotApiEmulator

    async with BotApiEmulator(token=BOT_TOKEN) as emulator:
        wrong_path = emulator.base_url.removesuffix("bot") + "nobot"
        env = _env(tmp_path) | {
            "LOG_LEVEL": "INFO", "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
            "TELEGRAM_API_BASE_URL": wrong_path,
        }  # fmt: skip
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=env,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(child.communicate(), timeout=120)
    result = subprocess.CompletedProcess([], child.returncode or 0, out.decode(), err.decode())
    assert result.returncode == 2
    line = _the_line(result)
    assert "TELEGRAM_API_BASE_URL" in line
    assert "TELEGRAM_BOT_TOKEN" not in line
    assert BOT_TOKEN not in result.stderr
