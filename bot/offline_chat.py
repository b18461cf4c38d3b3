"""``python -m bot chat``: talk to the real bot in this terminal, no token and no network.

The unchanged Application runs against the local Bot API emulator on 127.0.0.1; this module
plays the Telegram app: it types your lines as messages and shows the bot's replies with their
buttons. Press a button by typing its number.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable
from typing import TextIO

from bot.application import build_application, start_polling, stop_polling
from bot.core.content import ContentStore
from bot.emulator import BotApiEmulator, BotMessage
from bot.settings import Settings

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


async def run_offline_chat(
    settings: Settings,
    store: ContentStore,
    read: Callable[[str], str] = read_line,
    out: TextIO = sys.stdout,
) -> int:
    chat = TerminalChat(out)
    async with BotApiEmulator() as emulator:
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
        try:
            while True:
                try:
                    line = (await asyncio.to_thread(read, PROMPT)).strip()
                except EOFError:
                    break
                if line in {"/quit", "/exit"}:
                    break
                if not line:
                    continue
                chat.replied.clear()
                pressed = chat.button(line)
                if pressed is not None:
                    emulator.user_presses(pressed[0], pressed[1], chat_id=CHAT_ID)
                else:
                    emulator.user_sends(line, chat_id=CHAT_ID)
                # Let the reply arrive before the next prompt, so output does not interleave;
                # a long answer comes in several messages right after one another.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(chat.replied.wait(), timeout=10)
                    await asyncio.sleep(0.15)
        finally:
            await stop_polling(app)
    return 0
