"""Run-time failures as one line a person can act on.

The command line catches whatever stopped the bot and asks ``explain`` for one line that says
what failed, where (host and port, a path; never the token or a password) and what to check, and
the exit code: 2 when a setting is wrong, 1 when something outside us failed at run time. The
traceback is only for ``LOG_LEVEL=DEBUG``.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from bot.logs import redact
from bot.settings import Settings

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
    """host:port/database of the database URL, without user or password."""
    try:
        url = make_url(settings.resolved_database_url())
    except ArgumentError:
        return "DATABASE_URL"
    if url.get_backend_name() == "sqlite":
        return f"the SQLite file {url.database}"
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


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
    secrets = (settings.token or "",) if settings else ()

    # The data directory: mkdir or the SQLite file failed on a path the operator chose.
    for item in chain:
        if isinstance(item, PermissionError | FileNotFoundError | NotADirectoryError) and (
            item.filename is not None
        ):
            where = f" ({settings.data_dir})" if settings else ""
            return Failure(
                f"cannot create or write {item.filename}: {_os_error_text(item)}. "
                f"Check DATA_DIR{where}: it must be a directory this user can write.",
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
        where = _database_where(settings) if settings else "the database"
        return Failure(
            f"the database at {where} failed: {detail}. Check DATABASE_URL and the server's log.",
            EXIT_RUNTIME,
        )
    return None
