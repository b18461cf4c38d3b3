"""The echo bot on Legwork's update path: bench/update_path.py's middle contender.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_BASE_URL=... python -m bench.inbox_echo

The real Application from bot.telegram.app (inbox, send layer, JSON transport, typed context,
user memory, database) with every handler replaced by the echo handler of bench/echo_bot.py:
what the update path itself costs, apart from what Legwork's handlers do.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from telegram.ext import MessageHandler, filters

from bench.echo_bot import echo
from bot.cli.main import file_url_for
from bot.core.content import load_store
from bot.settings import load_settings
from bot.telegram.app import build_application, serve

ROOT = Path(__file__).resolve().parents[1]


async def main() -> None:
    settings = load_settings()
    app = build_application(
        token=os.environ["TELEGRAM_BOT_TOKEN"],
        base_url=settings.telegram_api_base_url,
        base_file_url=file_url_for(settings.telegram_api_base_url),
        store=load_store(ROOT / "data"),
        database_url=settings.resolved_database_url(),
        settings=settings,
    )
    for group, handlers in list(app.handlers.items()):
        for handler in list(handlers):
            app.remove_handler(handler, group)
    app.add_handler(MessageHandler(filters.TEXT, echo))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await serve(app, stop)


if __name__ == "__main__":
    asyncio.run(main())
