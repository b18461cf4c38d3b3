"""Command line: ``python -m bot [run|ask|chat|migrate]``. No subcommand runs the bot."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import stat
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.cli import parse as cli_parse
from bot.cli import plan as cli_plan
from bot.cli import reminders as cli_reminders
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
    cli_reminders.add_parser(sub)
    cli_parse.add_parser(sub)
    cli_plan.add_parser(sub)
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
    loaded: list[Settings] = []  # filled once the settings are read, for the failure line
    try:
        return _main(argv, loaded)
    except BrokenPipeError:  # `python -m bot ask - < list | head` closed our stdout early
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:  # Ctrl-C while starting or stopping: no traceback
        return 130
    except Exception as exc:
        return _report_failure(exc, loaded[0] if loaded else None)


def _report_failure(exc: Exception, settings: Settings | None) -> int:
    """One line for a failure we recognise (traceback only at DEBUG); a bug keeps its trace."""
    from bot.cli.failures import EXIT_RUNTIME, explain

    failure = explain(exc, settings)
    if failure is None:
        log.critical("Legwork stopped on an unexpected error", exc_info=exc)
        return EXIT_RUNTIME
    if logging.getLogger().isEnabledFor(logging.DEBUG):
        log.debug("Traceback of the failure below", exc_info=exc)
    print(f"legwork: {failure.message}", file=sys.stderr)
    return failure.exit_code


def _main(argv: Sequence[str] | None, loaded: list[Settings]) -> int:
    args = _parser().parse_args(argv)
    if args.command == cli_reminders.COMMAND:  # no settings, content or token needed
        return cli_reminders.run(args)
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _fail(str(exc))
    loaded.append(settings)
    try:
        store = load_store(settings.resolved_content_dir())
    except ContentError as exc:
        # Name the setting (or the default) that led here, so the fix is obvious.
        return _fail(f"content store from {settings.describe_content_dir()}: {exc}")

    if args.command == "ask":
        return ask(args.question, args.json, store, sys.stdout)
    if args.command == "parse":
        return cli_parse.run(args, store, sys.stdout)
    if args.command == cli_plan.COMMAND:
        return cli_plan.run(args, store, settings.resolved_content_dir())

    from bot.cli.failures import check_storage

    # Before logging starts, so a data directory that cannot be used is the only line printed.
    storage = check_storage(settings)
    if storage is not None:
        print(f"legwork: {storage.message}", file=sys.stderr)
        return storage.exit_code

    from bot.logs import setup_logging

    offline = args.command == "chat" or (args.command in (None, "run") and settings.token is None)
    # In the terminal chat, log lines would bury the conversation: only warnings reach the screen
    # unless LOG_LEVEL=DEBUG asks for everything.
    level = settings.log_level if not offline or settings.log_level == "DEBUG" else "WARNING"
    webhook_secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    setup_logging(level, secrets=(settings.token or "", webhook_secret))
    if args.command == "migrate":
        from bot.db.engine import create_engine, migrate

        async def _migrate() -> None:
            engine = create_engine(settings.resolved_database_url())
            await migrate(engine)
            await engine.dispose()

        asyncio.run(_migrate())
        return 0
    if offline and args.command != "chat" and not _someone_can_type():
        # A container or service with no token and no terminal: the chat would read EOF and
        # exit 0 at once, which looks like success. Say what is missing instead.
        return _fail(
            "TELEGRAM_BOT_TOKEN is not set, and without a terminal there is no offline chat "
            "to open. Set the token (in .env or the environment) to serve Telegram."
        )
    if offline:
        if args.command != "chat":
            print(
                "No TELEGRAM_BOT_TOKEN set: starting the offline chat instead.\n", file=sys.stderr
            )
        from bot.cli.offline_chat import run_offline_chat

        return asyncio.run(run_offline_chat(settings, store))
    return run_polling(settings, store)


def _someone_can_type() -> bool:
    """stdin is a terminal, or a pipe or file that carries a script; not /dev/null or closed
    (``docker run`` without ``-it``, a systemd service)."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return sys.stdin.isatty() or stat.S_ISFIFO(mode) or stat.S_ISREG(mode) or stat.S_ISSOCK(mode)


def run_polling(settings: Settings, store: ContentStore) -> int:
    """The real process: poll until SIGTERM or SIGINT, then stop cleanly (the updates in hand
    are finished, what was stored stays in the inbox for the next start)."""
    import signal

    from bot.telegram.app import build_application, serve

    assert settings.token is not None
    app = build_application(
        token=settings.token,
        base_url=settings.telegram_api_base_url,
        base_file_url=file_url_for(settings.telegram_api_base_url),
        store=store,
        database_url=settings.resolved_database_url(),
        settings=settings,
    )

    async def _run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await serve(app, stop)

    asyncio.run(_run())
    return 0


def file_url_for(base_url: str) -> str:
    """PTB's file URL beside a base_url ending in /bot (both are self-hosted together)."""
    if base_url.endswith("/bot"):
        return base_url[: -len("bot")] + "file/bot"
    return "https://api.telegram.org/file/bot"
