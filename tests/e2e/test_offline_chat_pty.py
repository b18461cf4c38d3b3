"""The offline chat as a person uses it (issue 19 §5): `python -m bot chat` on a pseudo-terminal,
driven like a terminal with the stdlib ``pty``: numbered messages, a button pressed on an
earlier message, /reply, and /progress and /export saved under the data directory."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from bot.cli.offline_chat import PROMPT, TerminalChat
from bot.emulator import BotMessage
from bot.settings import Settings
from tests.conftest import ROOT


class Terminal:
    """A child process on a pseudo-terminal: type lines, read until some text shows."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, close_fds=True
        )
        os.close(slave)
        self.seen = ""

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def read_until(self, pattern: str, timeout: float = 60) -> str:
        """Output up to and including the first match of ``pattern`` (a regex) not read yet."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.seen)
            if found:
                text, self.seen = self.seen[: found.end()], self.seen[found.end() :]
                return text
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536).decode(errors="replace")
                except OSError:  # the child closed the terminal
                    break
        raise AssertionError(f"no {pattern!r} in the output; got: {self.seen[-2000:]}")

    def say(self, line: str, until: str) -> str:
        """Type ``line``; the output up to ``until`` and the next prompt."""
        self.type(line)
        text = self.read_until(until)
        return text + self.read_until(re.escape(PROMPT))

    def close(self) -> int:
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            os.close(self.master)


def _env(data_dir: Path) -> dict[str, str]:
    names = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k not in names}
    return env | {"DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}


def _number(text: str, starts: str) -> int:
    found = re.search(rf"#(\d+) bot> {re.escape(starts)}", text)
    assert found, text
    return int(found.group(1))


def test_the_offline_chat_on_a_terminal_does_what_telegram_does(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    chat = Terminal([sys.executable, "-m", "bot", "chat"], tmp_path, _env(data_dir))
    try:
        chat.read_until(re.escape(PROMPT))
        menu = chat.say("/exercises", until=r"\[1\] Squats")
        menu_id = _number(menu, "Exercises")
        answer = chat.say("how do I do a glute bridge", until=r"Glute bridge: how to do it")
        assert "[1]" in answer  # the newest keyboard is the answer's now
        # A button of the earlier menu, not of the newest message.
        pressed = chat.say(f"/press {menu_id} 1", until=rf"#{menu_id} bot \(edited\)> Squat")
        assert "Glute bridge" not in pressed.split(f"#{menu_id} bot (edited)>")[1]

        logged = chat.say("squats 3x10 @ 40kg", until=r"Logged for .*: Squat 3 x 10 @ 40 kg")
        confirmation = _number(logged, "Logged for")
        replied = chat.say(f"/reply {confirmation} lunges 2x8", until=r"Lunge 2 x 8")
        assert "Added to today's extra session." in replied

        chart = chat.say("/progress", until=r"saved: \S+\.png")
        png = Path(re.findall(r"saved: (\S+\.png)", chart)[-1])
        assert png.is_relative_to(data_dir)
        assert png.read_bytes().startswith(b"\x89PNG")
        export = chat.say("/export", until=r"saved: \S+\.csv")
        csv = Path(re.findall(r"saved: (\S+\.csv)", export)[-1])
        assert csv.is_relative_to(data_dir)
        assert "squat" in csv.read_text().lower()

        wrong = chat.say(f"/press {menu_id} 99", until=r"has no button 99")
        assert "Message #" in wrong
        chat.type("/quit")
    finally:
        code = chat.close()
    assert code == 0
    state = json.loads((data_dir / "emulator-state.json").read_text())
    replies = [
        message for _, _, message in state["user_messages"] if message.get("text") == "lunges 2x8"
    ]
    assert [m["reply_to_message"]["message_id"] for m in replies] == [confirmation]


def _message(message_id: int, text: str) -> BotMessage:
    return BotMessage(message_id, 1001, text, text, None, None)


def test_a_message_the_bot_sends_on_its_own_gets_a_fresh_prompt() -> None:
    out = io.StringIO()
    chat = TerminalChat(out)
    chat.busy = True  # answering a typed line: the reader prints the prompt afterwards
    chat.show(_message(2, "Logged"))
    assert not out.getvalue().endswith(PROMPT)
    chat.busy = False  # a reminder while the runner is at the prompt
    chat.show(_message(3, "Today's strength session"))
    assert out.getvalue().endswith(f"#3 bot> Today's strength session\n\n{PROMPT}")
