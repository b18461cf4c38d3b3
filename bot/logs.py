"""Logging set-up. The bot token must never reach a log line, at any level.

httpx logs every request URL and Telegram puts the token in the URL, so redaction happens in the
formatter: whatever a record carries (message, arguments, traceback), the final line is scrubbed.
"""

from __future__ import annotations

import logging
import re
import sys

# Any BotFather-shaped token, even one we were not told about (a second bot, a pasted URL).
_TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
REDACTED = "[REDACTED-TOKEN]"


class RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return _TOKEN_SHAPE.sub(REDACTED, text)


class _StartupNetworkNoise(logging.Filter):
    """PTB logs a start-up network failure with a 100-line traceback before it raises; the
    command line then prints one line that says the same (bot/cli/failures.py). Keep the traceback
    for DEBUG only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "telegram.ext" and "Aborting" in str(record.msg):
            return logging.getLogger().isEnabledFor(logging.DEBUG)
        return True


class _RecoveredTransients(logging.Filter):
    """A 5xx page from Telegram (or a proxy) is not JSON: PTB logs it as an ERROR with a
    traceback before raising, and our send layer then retries it. Routine weather, not a page:
    one WARNING line; the send layer says ERROR itself if the retries run out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and "invalid JSON" in str(record.msg):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "Telegram answered a page that is not JSON (a 5xx)", ()
            record.exc_info = record.exc_text = None
        return True


def setup_logging(level: str, secrets: tuple[str, ...] = (), stream: object = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.addFilter(_StartupNetworkNoise())
    handler.addFilter(_RecoveredTransients())
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # One line per HTTP request is noise at INFO; keep warnings. Redaction covers DEBUG too.
    quiet = logging.WARNING if logging.getLevelName(level) > logging.DEBUG else logging.NOTSET
    for noisy in ("httpx", "apscheduler", "alembic.runtime.plugins", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(quiet)
