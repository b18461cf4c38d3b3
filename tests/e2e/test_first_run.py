"""First run and operations, the way a person meets them: a real child process, the real
.env.example, real files and ports. Each failure is one line with the right exit code."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.conftest import ROOT

EXAMPLE = re.compile(r"^# Example: ([A-Z_]+)=(.*)$", re.MULTILINE)


def _env(**extra: str) -> dict[str, str]:
    """The machine's environment without any Legwork setting: only .env (if any) speaks."""
    names = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k not in names}
    return env | extra


def _bot(
    args: list[str], cwd: Path, env: dict[str, str], stdin: str | None = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("legwork: "), stderr
    return lines[0]


# -- .env.example as the README tells a newcomer to use it ----------------------------------


def test_env_example_copied_unchanged_runs_ask_and_the_offline_chat(tmp_path: Path) -> None:
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    asked = _bot(["ask", "how do I do a glute bridge"], tmp_path, _env())
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.startswith("Glute bridge: how to do it")

    chat = _bot([], tmp_path, _env(), stdin="how do I do a glute bridge\n/quit\n")
    assert chat.returncode == 0, chat.stderr
    assert "Glute bridge: how to do it" in chat.stdout
    assert (tmp_path / "var" / "legwork.db").exists()  # DATA_DIR=var from .env.example


def test_every_setting_has_an_example_and_the_examples_are_accepted(tmp_path: Path) -> None:
    examples = dict(EXAMPLE.findall((ROOT / ".env.example").read_text()))
    assert set(examples) == {name.upper() for name in Settings.model_fields}
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in examples.items()))
    shutil.copytree(ROOT / "data", tmp_path / "data")  # CONTENT_DIR=./data

    asked = _bot(["ask", "what do lunges work"], tmp_path, _env())
    assert asked.returncode == 0, asked.stderr
    assert "Lunge" in asked.stdout

    # The example DATABASE_URL and Bot API server are not running here: each says so in one
    # line, and neither the token nor the database password is printed.
    migrated = _bot(["migrate"], tmp_path, _env())
    if migrated.returncode != 0:
        assert migrated.returncode == 1
        line = _one_line(migrated.stderr)
        assert "127.0.0.1:5432/legwork" in line
        assert "change-me" not in migrated.stderr
    served = _bot([], tmp_path, _env(), stdin=None)
    assert served.returncode == 1
    line = _one_line(served.stderr)
    assert examples["TELEGRAM_BOT_TOKEN"] not in served.stderr + served.stdout
    assert "change-me" not in served.stderr
    assert "cannot reach" in line or "database" in line


# -- failures at run time: one line, exit 1 (run time) or 2 (configuration) -----------------


def test_unreachable_postgres_is_one_line_without_the_password(tmp_path: Path) -> None:
    port = _free_port()
    url = f"postgresql+asyncpg://legwork:s3cret-pw@127.0.0.1:{port}/legwork"
    env = _env(DATABASE_URL=url, DATA_DIR=str(tmp_path / "var"))
    for args, stdin in ((["migrate"], ""), ([], "hello\n/quit\n")):
        result = _bot(args, tmp_path, env, stdin=stdin)
        assert result.returncode == 1, result.stderr
        line = _one_line(
            result.stderr.replace(
                "No TELEGRAM_BOT_TOKEN set: starting the offline chat instead.\n\n", ""
            )
        )
        assert f"cannot reach the database at 127.0.0.1:{port}/legwork" in line
        assert "DATABASE_URL" in line
        assert "s3cret-pw" not in result.stderr


def test_traceback_only_at_debug(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://legwork@127.0.0.1:{_free_port()}/legwork"
    quiet = _bot(["migrate"], tmp_path, _env(DATABASE_URL=url))
    loud = _bot(["migrate"], tmp_path, _env(DATABASE_URL=url, LOG_LEVEL="DEBUG"))
    assert "Traceback" not in quiet.stderr
    assert "Traceback" in loud.stderr
    assert loud.returncode == quiet.returncode == 1


def test_data_dir_that_cannot_be_created_is_a_configuration_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = _bot(["migrate"], tmp_path, _env(DATA_DIR=str(blocker / "var")))
    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert "DATA_DIR" in line
    assert str(blocker) in line


def test_telegram_unreachable_at_start_up_is_one_line_without_the_token(tmp_path: Path) -> None:
    token = "123456789:" + "A" * 35
    port = _free_port()
    env = _env(
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}/bot",
        DATA_DIR=str(tmp_path / "var"),
    )
    result = _bot([], tmp_path, env, stdin=None)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert f"cannot reach the Telegram Bot API at 127.0.0.1:{port}" in line
    assert token not in result.stderr + result.stdout


def test_no_token_and_no_terminal_exits_2_naming_the_token(tmp_path: Path) -> None:
    # `docker run` without -it: stdin is /dev/null.
    result = _bot([], tmp_path, _env(DATA_DIR=str(tmp_path / "var")), stdin=None)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in _one_line(result.stderr)


# -- the offline chat -----------------------------------------------------------------------


def test_a_number_with_no_such_button_says_so_and_shows_the_buttons(tmp_path: Path) -> None:
    env = _env(DATA_DIR=str(tmp_path / "var"))
    result = _bot(["chat"], tmp_path, env, stdin="/start\n99\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "There is no button 99. The buttons are:" in result.stdout
    assert "] Browse exercises" in result.stdout.split("There is no button 99")[1]


def test_ctrl_c_at_the_prompt_ends_the_chat_at_once(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        cwd=tmp_path,
        env=_env(DATA_DIR=str(tmp_path / "var")),
        stdin=subprocess.PIPE,  # kept open: the chat waits at the prompt, as in a terminal
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        banner = child.stdout.readline()
        assert banner.startswith("Offline chat with Legwork"), banner
        time.sleep(0.3)
        started = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=20)
        assert time.monotonic() - started < 10
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert "Traceback" not in err
    assert "Bye." in out


# -- the stand-alone emulator and a bot connected to it ---------------------------------------


def test_a_bot_connects_to_the_standalone_emulator_with_its_printed_token(tmp_path: Path) -> None:
    port = _free_port()
    emulator = subprocess.Popen(
        [sys.executable, "-m", "bot.emulator", "--port", str(port)],
        cwd=tmp_path,
        env=_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    bot: subprocess.Popen[str] | None = None
    try:
        assert emulator.stdout is not None
        assert emulator.stdin is not None
        connect = ""
        while not connect:
            line = emulator.stdout.readline()
            assert line, "the emulator stopped before printing how to connect"
            if line.startswith("connect a bot:"):
                connect = line
        settings = dict(re.findall(r"(TELEGRAM_[A-Z_]+)=(\S+)", connect))
        assert set(settings) == {"TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL"}
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=tmp_path,
            env=_env(**settings, DATA_DIR=str(tmp_path / "var")),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        emulator.stdin.write("how do I do a glute bridge\n")
        emulator.stdin.flush()
        deadline = time.monotonic() + 60
        answered = False
        while time.monotonic() < deadline and not answered:
            line = emulator.stdout.readline()
            answered = line.startswith("[bot -> 1001") and "Glute bridge" in line
        assert answered, bot.stderr.read() if bot.poll() is not None and bot.stderr else ""
    finally:
        for process in (bot, emulator):
            if process is None:
                continue
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
            try:
                process.communicate(timeout=15)  # also closes our ends of its pipes
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()


@pytest.mark.parametrize("name", ["Dockerfile"])
def test_dockerfile_installs_dependencies_before_the_code_and_pins_the_base(name: str) -> None:
    text = (ROOT / name).read_text()
    assert re.search(r"python:3\.11\.\d+-slim-bookworm", text)
    assert text.index("-r requirements.txt") < text.index("COPY bot ./bot")
    assert "USER legwork" in text
