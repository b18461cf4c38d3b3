"""``python -m bot chat``: talk to the real bot in this terminal, no token and no network.

The unchanged Application runs against the local Bot API emulator on 127.0.0.1; this module
plays the Telegram app: it types your lines as messages and shows the bot's messages, each with
its number (#12) and buttons. Press a button of the newest keyboard by typing its number, or of
any earlier message with /press 12 2; reply to a message with /reply 12 text. Photos and
documents are saved under the data directory and their paths printed. Messages the bot sends on
its own (reminders) are shown at once, followed by a fresh prompt.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.core.content import ContentStore
from bot.emulator import BotApiEmulator, BotMessage
from bot.settings import Settings
from bot.telegram.app import build_application, start_polling, stop_polling
from bot.telegram.handlers.workouts import warm_up_chart

CHAT_ID = 1001
PROMPT = "you> "
HELP = (
    "Offline chat with Legwork. Type a question, /start, /exercises or /help.\n"
    "Press a button by typing its number (/press 12 2: button 2 of message #12).\n"
    "Reply to a message with /reply 12 your text. Quit with /quit or Ctrl-D.\n"
)
FILES_DIR = "chat-files"


class TerminalChat:
    """Renders bot messages, keeps every message's buttons, saves photos and documents."""

    def __init__(self, out: TextIO, files_dir: Path | None = None) -> None:
        self.out = out
        self.files_dir = files_dir
        self.buttons: list[tuple[int, str, str]] = []  # newest keyboard: (message, label, data)
        self.keyboards: dict[int, list[tuple[str, str]]] = {}  # message id -> (label, data)
        self.replied = asyncio.Event()
        self.busy = False  # a typed line is being answered: no fresh prompt after each message

    def show(self, message: BotMessage) -> None:
        if message.chat_id != CHAT_ID:
            return
        head = f"#{message.message_id} " + ("bot (edited)>" if message.edited else "bot>")
        body = (
            message.text if message.kind == "text" else f"[{message.kind}] {message.caption or ''}"
        )
        lines = [f"{head} {body}"]
        saved = self._save(message)
        if saved is not None:
            lines.append(f"     saved: {saved}")
        rows = message.buttons()
        if rows:
            self.buttons = []
            self.keyboards[message.message_id] = []
            for row in rows:
                labels = []
                for label, data in row:
                    self.buttons.append((message.message_id, label, data or ""))
                    self.keyboards[message.message_id].append((label, data or ""))
                    labels.append(f"[{len(self.buttons)}] {label}")
                lines.append("     " + "   ".join(labels))
        elif message.edited:
            self.keyboards.pop(message.message_id, None)
        text = "\n".join(lines) + "\n"
        if not self.busy:  # the bot spoke on its own (a reminder): then a fresh prompt
            text = "\n" + text + "\n" + PROMPT
            print(text, end="", file=self.out, flush=True)
        else:
            print(text, file=self.out, flush=True)
        self.replied.set()

    def _save(self, message: BotMessage) -> Path | None:
        """A photo or document, as a file under the data directory (like a download)."""
        if message.file_bytes is None or self.files_dir is None or message.edited:
            return None
        name = Path(message.file_name or f"{message.kind}.bin").name
        path = self.files_dir / f"{message.message_id}-{name}"
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(message.file_bytes)
        return path

    def button(self, typed: str) -> tuple[int, str] | None:
        if not typed.isdigit():
            return None
        index = int(typed) - 1
        if 0 <= index < len(self.buttons):
            message_id, _, data = self.buttons[index]
            return message_id, data
        return None

    def earlier_button(self, message_id: int, number: int) -> tuple[int, str] | None:
        """Button ``number`` (from 1) of message ``message_id``, as it is now."""
        found = self.keyboards.get(message_id, [])
        if 1 <= number <= len(found):
            return message_id, found[number - 1][1]
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


_PRESS = re.compile(r"^/press\s+#?(\d+)\s+(\d+)$")
_REPLY = re.compile(r"^/reply\s+#?(\d+)\s+(.+)$", re.DOTALL)


def _act(line: str, chat: TerminalChat, emulator: BotApiEmulator, out: TextIO) -> bool:
    """Do what the typed line says (send, reply, press); False when nothing went to the bot."""
    press = _PRESS.match(line)
    reply = _REPLY.match(line)
    if press is not None:
        pressed = chat.earlier_button(int(press.group(1)), int(press.group(2)))
        if pressed is None:
            print(f"(Message #{press.group(1)} has no button {press.group(2)}.)\n", file=out)
            return False
    elif line.startswith(("/press", "/reply")) and reply is None:
        print("(Write it like: /press 12 2, or /reply 12 your text)\n", file=out)
        return False
    elif reply is not None:
        emulator.user_sends(
            reply.group(2), chat_id=CHAT_ID, reply_to_message_id=int(reply.group(1))
        )
        return True
    else:
        pressed = chat.button(line)
        if pressed is None and line.isdigit():
            chat.no_such_button(line)
            return False
    if pressed is not None:
        emulator.user_presses(pressed[0], pressed[1], chat_id=CHAT_ID)
    else:
        emulator.user_sends(line, chat_id=CHAT_ID)
    return True


async def run_offline_chat(
    settings: Settings,
    store: ContentStore,
    read: Callable[[str], str] = read_line,
    out: TextIO = sys.stdout,
) -> int:
    chat = TerminalChat(out, settings.data_dir / FILES_DIR)
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
        # Off the loop while the runner reads the banner: the first /progress then answers fast.
        warming = asyncio.create_task(asyncio.to_thread(warm_up_chart, store))
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
                chat.busy = True
                try:
                    if _act(line, chat, emulator, out):
                        await _until_quiet(chat)
                finally:
                    chat.busy = False
        except asyncio.CancelledError:
            # Ctrl-C: asyncio.run cancels this task; leave like /quit, without a traceback.
            print("\nBye.", file=out, flush=True)
        finally:
            await stop_polling(app)
            with contextlib.suppress(Exception):
                await warming
    return 0
