"""Settings from the environment and ``.env`` (pydantic-settings).

A bad setting is reported as one clear line and the process exits with code 2 (see cli.py).
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_CONTENT_DIR = Path(__file__).resolve().parents[1] / "data"

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
TELEGRAM_API = "https://api.telegram.org/bot"
_TOKEN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{20,}$")
# What Telegram accepts as setWebhook's secret_token.
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class Settings(BaseSettings):
    # An empty value (``CONTENT_DIR=`` as .env.example has it) means "not set": the default applies.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None, description="Token from @BotFather. Empty: run the offline terminal chat."
    )
    telegram_api_base_url: str = Field(
        default=TELEGRAM_API,
        description="Bot API server, PTB base_url convention (token and method are appended).",
    )
    data_dir: Path = Field(default=Path("var"), description="Where the SQLite file lives.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL. Default: sqlite+aiosqlite in DATA_DIR/legwork.db.",
    )
    content_dir: Path | None = Field(default=None, description="The content store (data/).")
    log_level: LogLevel = "INFO"
    inbox_max_attempts: int = Field(
        default=3,
        ge=1,
        description="Tries per update before the inbox marks it failed and moves on.",
    )
    inbox_retention_hours: int = Field(
        default=24,
        ge=1,
        description="Hours a handled update's id stays in the inbox table (against a redelivery; "
        "Telegram keeps an unconfirmed update for 24 hours). Its text is dropped once handled.",
    )
    send_rate_per_second: float = Field(
        default=30.0,
        gt=0,
        description="Messages per second to Telegram overall (30 is Telegram's limit; raise it "
        "for a self-hosted Bot API server or paid broadcasts).",
    )
    send_rate_per_chat: float = Field(
        default=1.0, gt=0, description="Messages per second to one chat."
    )
    send_max_retries: int = Field(
        default=5,
        ge=0,
        description="Retries of a send after a 5xx, a timeout or a dropped connection.",
    )
    reminder_grace_minutes: int = Field(
        default=60,
        ge=0,
        description="A reminder due while the bot was down is still sent this many minutes "
        "late; later ones are skipped and the next one scheduled.",
    )

    webhook_url: str | None = Field(
        default=None,
        description="Public HTTPS URL Telegram posts updates to. Set: webhook mode (setWebhook "
        "at start). Empty: long polling, one elected poller per database.",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        validate_default=True,
        description="Required with WEBHOOK_URL: the secret_token Telegram sends in the "
        "X-Telegram-Bot-Api-Secret-Token header (1-256 of A-Z a-z 0-9 _ -).",
    )
    webhook_listen: str = Field(
        default="0.0.0.0:8443",
        description="host:port the webhook server binds (behind the TLS-terminating proxy); "
        "it serves the path of WEBHOOK_URL and GET /healthz.",
    )

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urllib.parse.urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be a full URL such as https://bot.example.com/telegram")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _empty_secret_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_with_url(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None:
            if info.data.get("webhook_url"):
                raise ValueError("is required when WEBHOOK_URL is set")
            return None
        if not _WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be host:port, as in 0.0.0.0:8443")
        return value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Never echo the value: a typo'd token is still a secret.
        if value is not None and not _TOKEN.match(value.get_secret_value()):
            raise ValueError("does not look like a BotFather token (digits, a colon, then letters)")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        if value.endswith("/"):
            # PTB appends the token right after it: ".../bot/123:ABC" is a 404, not a token.
            raise ValueError(
                "must not end with a slash: the token is appended to it, as in "
                "https://api.telegram.org/bot"
            )
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    def resolved_content_dir(self) -> Path:
        """CONTENT_DIR, else the data/ folder of this checkout, else ./data (an installed
        package, as in the Docker image, has no checkout around it)."""
        if self.content_dir is not None:
            return self.content_dir
        for candidate in (REPO_CONTENT_DIR, Path.cwd() / "data"):
            if (candidate / "overview.yaml").is_file():
                return candidate
        return REPO_CONTENT_DIR

    def describe_content_dir(self) -> str:
        """Where the content store came from, for error messages."""
        if self.content_dir is not None:
            return f"CONTENT_DIR={self.content_dir}"
        return f"the default content store {self.resolved_content_dir()} (CONTENT_DIR not set)"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'legwork.db'}"

    @property
    def webhook_path(self) -> str:
        """The path the webhook server serves: the path of WEBHOOK_URL."""
        return urllib.parse.urlsplit(self.webhook_url or "").path or "/"

    @property
    def webhook_bind(self) -> tuple[str, int]:
        host, _, port = self.webhook_listen.rpartition(":")
        return host.strip("[]"), int(port)

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None


class SettingsError(Exception):
    """One line naming the bad setting, never its value."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = first["msg"].removeprefix("Value error, ")
        more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
        raise SettingsError(f"Bad setting {name}: {message}{more}") from None
