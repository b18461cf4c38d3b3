"""Command line: ``python -m bot [run|ask|chat|migrate]``. No subcommand runs the bot."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.core.content import ContentError, ContentStore, load_store
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("bot")

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Legwork: lower-body strength coaching for runners, on Telegram.",
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser(
        "run", help="run the bot (the default); without a token, open the offline chat instead"
    )
    ask = sub.add_parser("ask", help="answer one question (or '-' for one per line on stdin)")
    ask.add_argument("question", nargs="+", help="the question, or '-' to read stdin")
    ask.add_argument("--json", action="store_true", help="print a JSON object per question")
    sub.add_parser("chat", help="chat with the bot in this terminal (no token, no network)")
    sub.add_parser("migrate", help="bring the database schema up to date and exit")
    return parser


def _fail(message: str) -> int:
    print(f"legwork: {message}", file=sys.stderr)
    return EXIT_CONFIG


def ask(questions: Sequence[str], as_json: bool, store: ContentStore, out: TextIO) -> int:
    from bot.core.answering import Answerer

    answerer = Answerer(store)
    if list(questions) == ["-"]:
        for line in sys.stdin:
            if line.strip():
                print(
                    json.dumps(answerer.answer(line.strip()).as_json(), ensure_ascii=False),
                    file=out,
                    flush=True,
                )
        return 0
    answer = answerer.answer(" ".join(questions))
    print(json.dumps(answer.as_json(), ensure_ascii=False) if as_json else answer.text, file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # `python -m bot ask - < list | head` closed our stdout early
        sys.stderr.close()
        return 0


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        store = load_store(settings.content_dir)
    except (SettingsError, ContentError) as exc:
        return _fail(str(exc))

    if args.command == "ask":
        return ask(args.question, args.json, store, sys.stdout)

    from bot.logs import setup_logging

    offline = args.command == "chat" or (args.command in (None, "run") and settings.token is None)
    # In the terminal chat, log lines would bury the conversation: only warnings reach the screen
    # unless LOG_LEVEL=DEBUG asks for everything.
    level = settings.log_level if not offline or settings.log_level == "DEBUG" else "WARNING"
    setup_logging(level, secrets=(settings.token or "",))
    if args.command == "migrate":
        from bot.db.engine import create_engine, migrate

        async def _migrate() -> None:
            engine = create_engine(settings.resolved_database_url())
            await migrate(engine)
            await engine.dispose()

        asyncio.run(_migrate())
        return 0
    if offline:
        if args.command != "chat":
            print(
                "No TELEGRAM_BOT_TOKEN set: starting the offline chat instead.\n", file=sys.stderr
            )
        from bot.offline_chat import run_offline_chat

        return asyncio.run(run_offline_chat(settings, store))
    return run_polling(settings, store)


def run_polling(settings: Settings, store: ContentStore) -> int:
    from telegram import Update

    from bot.application import build_application

    assert settings.token is not None
    app = build_application(
        token=settings.token,
        base_url=settings.telegram_api_base_url,
        base_file_url=file_url_for(settings.telegram_api_base_url),
        store=store,
        database_url=settings.resolved_database_url(),
    )
    # Updates Telegram kept while we were down are still answered: drop_pending_updates=False.
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


def file_url_for(base_url: str) -> str:
    """PTB's file URL beside a base_url ending in /bot (both are self-hosted together)."""
    if base_url.endswith("/bot"):
        return base_url[: -len("bot")] + "file/bot"
    return "https://api.telegram.org/file/bot"
