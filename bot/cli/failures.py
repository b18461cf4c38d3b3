"""Run-time failures as one line a person can act on.

The command line catches whatever stopped the bot and asks ``explain`` for one line that says
what failed, where (host and port, a path; never the token or a password) and what to check, and
the exit code: 2 when a setting is wrong, 1 when something outside us failed at run time. The
traceback is only for ``LOG_LEVEL=DEBUG``.
"""

from __future__ import annotations

import errno
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bot.db import engine
from bot.logs import redact
from bot.settings import TELEGRAM_API, Settings

EXIT_CONFIG = 2
EXIT_RUNTIME = 1


@dataclass(frozen=True, slots=True)
class Failure:
    message: str
    exit_code: int


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it was raised from or during, outermost first."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _database_where(settings: Settings) -> str:
    return engine.describe(settings.resolved_database_url())


def _sqlite_file(settings: Settings) -> Path | None:
    return engine.sqlite_file(settings.resolved_database_url())


def _storage_setting(settings: Settings) -> str:
    """The setting that chose where the SQLite file lives: DATABASE_URL when it is set."""
    return "DATABASE_URL" if settings.database_url else "DATA_DIR"


def _storage_fault(settings: Settings, problem: str) -> Failure:
    if settings.database_url:
        hint = "DATABASE_URL: its SQLite file must be in a directory this user can write"
    else:
        hint = f"DATA_DIR ({settings.data_dir}): it must be a directory this user can write"
    return Failure(f"{problem}. Check {hint}.", EXIT_CONFIG)


def check_storage(settings: Settings) -> Failure | None:
    """Before the bot logs anything: the SQLite file's directory exists (made when missing) and
    this user can create files in it (SQLite puts its journal beside the file), and an existing
    file opens for writing. None when all is well or the database is not a SQLite file."""
    path = _sqlite_file(settings)
    if path is None:
        return None
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
        if path.exists():
            with path.open("r+b"):
                pass
    except OSError as exc:
        if isinstance(exc, FileExistsError | NotADirectoryError):
            in_the_way = next(
                (p for p in (directory, *directory.parents) if p.exists() and not p.is_dir()),
                directory,
            )
            problem = f"cannot create the directory {directory}: {in_the_way} is a file"
        elif isinstance(exc, IsADirectoryError):
            problem = f"the SQLite file {path} is a directory"
        else:
            problem = f"cannot create files in {directory} ({_os_error_text(exc)})"
        return _storage_fault(settings, problem)
    return None


def _telegram_where(settings: Settings) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(settings.telegram_api_base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"


def _os_error_text(exc: OSError) -> str:
    return exc.strerror or errno.errorcode.get(exc.errno or 0, "") or exc.__class__.__name__


def explain(exc: BaseException, settings: Settings | None) -> Failure | None:
    """One line for a failure we recognise; None for a bug of ours (show the traceback)."""
    from telegram.error import InvalidToken, NetworkError, TelegramError

    chain = list(_chain(exc))
    from bot.db.engine import DatabaseInUse

    for item in chain:
        if isinstance(item, DatabaseInUse):
            return Failure(str(item), EXIT_RUNTIME)
    # No token, no secret: an empty one would be "found" between every two characters.
    secrets = (settings.token,) if settings and settings.token else ()

    # The data directory: mkdir or the SQLite file failed on a path the operator chose.
    file_errors = PermissionError | FileNotFoundError | NotADirectoryError | FileExistsError
    for item in chain:
        if isinstance(item, file_errors) and item.filename is not None:
            problem = f"cannot create or write {item.filename}: {_os_error_text(item)}"
            if settings is not None:
                return _storage_fault(settings, problem)
            return Failure(f"{problem}. Check DATA_DIR and DATABASE_URL.", EXIT_CONFIG)

    # PTB raises its own InvalidToken from the server's answer: a 404 from a self-hosted
    # address means no Bot API there (Telegram's own 404s a token of the wrong shape); a 401 is
    # a token the server does not know.
    not_found = any(isinstance(i, InvalidToken) and i.message == "Not Found" for i in chain)
    if not_found and settings is not None and settings.telegram_api_base_url != TELEGRAM_API:
        return Failure(
            f"the server at {_telegram_where(settings)} has no Bot API at that address (404 Not "
            "Found). Check TELEGRAM_API_BASE_URL: it ends in /bot, as in https://api.telegram.org/bot.",
            EXIT_CONFIG,
        )
    for item in chain:
        if isinstance(item, InvalidToken):
            return Failure(
                "Telegram refused TELEGRAM_BOT_TOKEN (unauthorized). Check the token with "
                "@BotFather (/mybots -> API Token) and that .env holds it whole.",
                EXIT_CONFIG,
            )
        if isinstance(item, NetworkError):
            where = _telegram_where(settings) if settings else "the Bot API"
            detail = redact(item.message, secrets)
            return Failure(
                f"cannot reach the Telegram Bot API at {where} ({detail}). Check the network, "
                "a proxy or firewall, and TELEGRAM_API_BASE_URL.",
                EXIT_RUNTIME,
            )
        if isinstance(item, TelegramError):
            return Failure(
                f"the Telegram Bot API refused a request at start-up: "
                f"{redact(item.message, secrets)}",
                EXIT_RUNTIME,
            )

    # The webhook server could not bind WEBHOOK_LISTEN (a port in use, a host not ours).
    listen_errors = (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES)
    for item in chain:
        webhook = settings is not None and settings.webhook_url is not None
        if webhook and isinstance(item, OSError) and item.errno in listen_errors:
            assert settings is not None
            return Failure(
                f"cannot listen on {settings.webhook_listen} for the webhook "
                f"({_os_error_text(item)}). Check WEBHOOK_LISTEN (host:port) and that no "
                "other process uses that port.",
                EXIT_CONFIG,
            )

    database_failed = any(isinstance(item, DBAPIError) for item in chain)
    for item in chain:
        if isinstance(item, ConnectionRefusedError | TimeoutError) or (
            isinstance(item, OSError) and item.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH)
        ):
            where = _database_where(settings) if settings else "the database"
            return Failure(
                f"cannot reach the database at {where} ({_os_error_text(item)}). "
                "Check DATABASE_URL and that the server is running and accepts connections.",
                EXIT_RUNTIME,
            )
        if isinstance(item, OSError) and item.errno == errno.ENOSPC:
            return Failure("the disk is full. Free some space and start again.", EXIT_RUNTIME)
    if database_failed:
        first_line = str(next(i for i in chain if isinstance(i, DBAPIError)).orig).splitlines()
        detail = redact(first_line[0] if first_line else "", secrets)
        # The driver's text may carry the URL's password: never print the URL itself.
        if settings is not None and settings.database_url:
            password = make_url(settings.database_url).password
            if password:
                detail = detail.replace(str(password), "***")
        if settings is not None and _sqlite_file(settings) is not None:
            # SQLite has no server: a file that does not open is where the settings put it.
            where = f"the SQLite file {_sqlite_file(settings)}"
            if any(cue in detail for cue in ("unable to open", "readonly", "read-only")):
                return _storage_fault(settings, f"{where} cannot be opened for writing ({detail})")
            return Failure(
                f"{where} failed: {detail}. Check {_storage_setting(settings)} and the file.",
                EXIT_RUNTIME,
            )
        where = _database_where(settings) if settings else "the database"
        return Failure(
            f"the database at {where} failed: {detail}. Check DATABASE_URL and the server's log.",
            EXIT_RUNTIME,
        )
    return None
