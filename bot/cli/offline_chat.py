"""``python -m bot chat``: talk to the real bot in this terminal, no token and no network.

The unchanged Application runs against the local Bot API emulator on 127.0.0.1; this module
plays the Telegram app: it types your lines as messages and shows the bot's replies with their
buttons. Press a button by typing its number.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import Callable
from typing import TextIO

from bot.core.content import ContentStore
from bot.emulator import BotApiEmulator, BotMessage
from bot.settings import Settings
from bot.telegram.app import build_application, start_polling, stop_polling

CHAT_ID = 1001
PROMPT = "you> "
HELP = (
    "Offline chat with Legwork. Type a question, /start, /exercises or /help.\n"
    "Press a button by typing its number. Quit with /quit or Ctrl-D.\n"
)


class TerminalChat:
    """Renders bot messages and remembers the buttons of the latest keyboard."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.buttons: list[tuple[int, str, str]] = []  # (message_id, label, callback_data)
        self.replied = asyncio.Event()

    def show(self, message: BotMessage) -> None:
        if message.chat_id != CHAT_ID:
            return
        head = "bot (edited)>" if message.edited else "bot>"
        body = (
            message.text if message.kind == "text" else f"[{message.kind}] {message.caption or ''}"
        )
        lines = [f"{head} {body}"]
        rows = message.buttons()
        if rows:
            self.buttons = []
            for row in rows:
                labels = []
                for label, data in row:
                    self.buttons.append((message.message_id, label, data or ""))
                    labels.append(f"[{len(self.buttons)}] {label}")
                lines.append("     " + "   ".join(labels))
        print("\n".join(lines) + "\n", file=self.out, flush=True)
        self.replied.set()

    def button(self, typed: str) -> tuple[int, str] | None:
        if not typed.isdigit():
            return None
        index = int(typed) - 1
        if 0 <= index < len(self.buttons):
            message_id, _, data = self.buttons[index]
            return message_id, data
        return None

    def no_such_button(self, typed: str) -> None:
        """A number that presses nothing: say so and show what can be pressed."""
        if not self.buttons:
            print(f"(There is no button {typed}: no buttons on screen.)\n", file=self.out)
            return
        labels = "   ".join(f"[{i}] {label}" for i, (_, label, _) in enumerate(self.buttons, 1))
        print(f"(There is no button {typed}. The buttons are:)\n     {labels}\n", file=self.out)


def read_line(prompt: str) -> str:
    """input() with a prompt on a terminal; from a pipe, echo the line so the transcript reads
    like a conversation."""
    if sys.stdin.isatty():
        return input(prompt)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    print(f"{prompt}{line.rstrip()}", flush=True)
    return line


class LineReader:
    """Reads lines on a daemon thread, so Ctrl-C ends the chat at once: a thread blocked in
    input() would otherwise hold the process until Enter (asyncio.to_thread threads are joined
    at exit)."""

    def __init__(self, read: Callable[[str], str]) -> None:
        self._read = read
        self._loop = asyncio.get_running_loop()
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._wanted = threading.Event()
        threading.Thread(target=self._run, name="offline-chat-input", daemon=True).start()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            try:
                line: str | None = self._read(PROMPT)
            except (EOFError, OSError, ValueError):
                line = None
            self._loop.call_soon_threadsafe(self._lines.put_nowait, line)
            if line is None:
                return

    async def next_line(self) -> str | None:
        """The next line typed, or None at end of input."""
        self._wanted.set()
        return await self._lines.get()


async def _until_quiet(chat: TerminalChat, first: float = 10.0, between: float = 0.4) -> None:
    """Let the whole reply arrive before the next prompt, so output does not interleave: the
    first message, then any that follow within ``between`` seconds of the last (a long answer,
    or a confirmation followed by the week it set up)."""
    timeout = first
    with contextlib.suppress(TimeoutError):
        while True:
            await asyncio.wait_for(chat.replied.wait(), timeout=timeout)
            chat.replied.clear()
            timeout = between


async def run_offline_chat(
    settings: Settings,
    store: ContentStore,
    read: Callable[[str], str] = read_line,
    out: TextIO = sys.stdout,
) -> int:
    chat = TerminalChat(out)
    async with BotApiEmulator(data_dir=settings.data_dir) as emulator:
        emulator.on_bot_message = chat.show
        app = build_application(
            token=emulator.token,
            base_url=emulator.base_url,
            base_file_url=emulator.base_file_url,
            store=store,
            database_url=settings.resolved_database_url(),
        )
        await start_polling(app)
        print(HELP, file=out, flush=True)
        reader = LineReader(read)
        try:
            while True:
                typed = await reader.next_line()
                if typed is None:
                    break
                line = typed.strip()
                if line in {"/quit", "/exit"}:
                    break
                if not line:
                    continue
                chat.replied.clear()
                pressed = chat.button(line)
                if pressed is None and line.isdigit():
                    chat.no_such_button(line)
                    continue
                if pressed is not None:
                    emulator.user_presses(pressed[0], pressed[1], chat_id=CHAT_ID)
                else:
                    emulator.user_sends(line, chat_id=CHAT_ID)
                await _until_quiet(chat)
        except asyncio.CancelledError:
            # Ctrl-C: asyncio.run cancels this task; leave like /quit, without a traceback.
            print("\nBye.", file=out, flush=True)
        finally:
            await stop_polling(app)
    return 0
