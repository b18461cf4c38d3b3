"""Standalone emulator for manual testing: ``python -m bot.emulator --port 8081``.

Point a bot at the printed base_url.  Lines typed on stdin are sent as messages from chat
1001; ``!press MESSAGE_ID DATA`` presses an inline button of any earlier message.  Every call
the bot makes is logged (``--log-level WARNING`` for quiet).  Tests drive it from another
process through its control API (bot/emulator/control.py, client.py).

``--data-dir DIR`` keeps chats and update numbering in DIR/emulator-state.json across restarts
(default: in memory); ``--webhook-backend URL`` (repeatable) delivers webhook updates round
robin to those URLs once the bot calls setWebhook.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

from bot.emulator.server import DEFAULT_TOKEN, BotApiEmulator


def _handle_line(emulator: BotApiEmulator, line: str, chat_id: int) -> None:
    line = line.strip()
    if not line:
        return
    try:
        if line.startswith("!press "):
            _, message_id, data = line.split(maxsplit=2)
            emulator.user_presses(int(message_id), data, chat_id=chat_id)
        else:
            emulator.user_sends(line, chat_id=chat_id)
    except ValueError as error:
        print(f"! {error}", file=sys.stderr)


async def _serve(args: argparse.Namespace) -> None:
    emulator = BotApiEmulator(args.token, host=args.host, port=args.port, data_dir=args.data_dir)
    if args.webhook_backend:
        emulator.set_webhook_backends(args.webhook_backend, retry_delay=args.webhook_retry_delay)
    emulator.on_bot_message = lambda m: print(
        f"[bot -> {m.chat_id} #{m.message_id}{' edited' if m.edited else ''}] "
        f"{m.text or m.caption or m.file_name} {m.buttons() or ''}",
        flush=True,
    )
    async with emulator:
        print(f"base_url:      {emulator.base_url}", flush=True)
        print(f"base_file_url: {emulator.base_file_url}", flush=True)
        print(f"token:         {emulator.token}", flush=True)
        print(f"control:       http://{emulator.host}:{emulator.port}/_emulator/", flush=True)
        print(
            "connect a bot:  "
            f"TELEGRAM_BOT_TOKEN={emulator.token} TELEGRAM_API_BASE_URL={emulator.base_url} "
            "python -m bot",
            flush=True,
        )
        loop = asyncio.get_running_loop()
        done = asyncio.Event()

        def on_stdin() -> None:
            line = sys.stdin.readline()
            if not line:  # EOF: keep serving, just stop reading
                loop.remove_reader(sys.stdin)
                return
            _handle_line(emulator, line, args.chat_id)

        with contextlib.suppress(NotImplementedError, ValueError, OSError):
            loop.add_reader(sys.stdin, on_stdin)  # not on Windows or without a usable stdin
        with contextlib.suppress(NotImplementedError):  # SIGTERM stops cleanly: state saved
            loop.add_signal_handler(signal.SIGTERM, done.set)
        await done.wait()  # until Ctrl-C or SIGTERM


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--chat-id", type=int, default=1001, help="chat that stdin lines come from")
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="keep chats and update ids here (restarts)"
    )
    parser.add_argument(
        "--webhook-backend",
        action="append",
        default=[],
        help="deliver webhook updates here (repeat for round robin over several instances)",
    )
    parser.add_argument(
        "--webhook-retry-delay", type=float, default=None, help="seconds before a first retry"
    )
    parser.add_argument("--log-level", default="INFO", help="INFO logs every call the bot makes")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
