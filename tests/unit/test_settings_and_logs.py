"""Settings fail with one clear line; the token never reaches a log line."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from bot.logs import REDACTED, setup_logging
from bot.settings import Settings, SettingsError, load_settings
from tests.conftest import ROOT

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "DATABASE_", "LOG_", "DATA_DIR", "CONTENT_DIR")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults() -> None:
    settings = load_settings()
    assert settings.token is None
    assert settings.resolved_database_url().startswith("sqlite+aiosqlite:///")
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"


def test_env_example_documents_every_setting() -> None:
    example = (ROOT / ".env.example").read_text()
    for name in Settings.model_fields:
        assert f"\n{name.upper()}=" in example, name


def test_env_file_is_read(tmp_path: os.PathLike[str]) -> None:
    with open(os.path.join(tmp_path, ".env"), "w") as f:
        f.write(f"TELEGRAM_BOT_TOKEN={TOKEN}\nLOG_LEVEL=debug\n")
    settings = load_settings()
    assert settings.token == TOKEN
    assert settings.log_level == "DEBUG"
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LOG_LEVEL", "LOUD", "Bad setting LOG_LEVEL"),
        ("DATABASE_URL", "mysql://x", "Bad setting DATABASE_URL"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "Bad setting TELEGRAM_BOT_TOKEN"),
        ("TELEGRAM_API_BASE_URL", "ftp://x", "Bad setting TELEGRAM_API_BASE_URL"),
    ],
)
def test_bad_setting_is_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)
    if name == "TELEGRAM_BOT_TOKEN":
        assert value not in str(info.value)


def test_bad_setting_exits_2_with_one_line(tmp_path: os.PathLike[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOG_")}
    env["LOG_LEVEL"] = "SHOUTY"
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "LOG_LEVEL" in result.stderr


def test_token_is_redacted_everywhere_in_logs() -> None:
    stream = io.StringIO()
    setup_logging("DEBUG", secrets=(TOKEN,), stream=stream)
    log = logging.getLogger("legwork.test")
    log.debug("url https://api.telegram.org/bot%s/getMe", TOKEN)
    log.info("another bot 987654321:ZZZdqTcvCH1vGWJxfSeofSAs0K5PALDsaw leaked")
    try:
        raise RuntimeError(f"failed calling /bot{TOKEN}/sendMessage")
    except RuntimeError:
        log.exception("boom")
    # httpx logs the full request URL at INFO/DEBUG: it goes through the same formatter.
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
    with httpx.Client(transport=transport) as client:
        client.get(f"https://api.telegram.org/bot{TOKEN}/getMe")
    output = stream.getvalue()
    assert "getMe" in output
    assert "boom" in output
    assert "Traceback" in output
    assert TOKEN not in output
    assert "987654321:ZZZ" not in output
    assert output.count(REDACTED) >= 4
    logging.getLogger().handlers.clear()


def test_a_5xx_page_is_one_warning_line_not_an_error_with_a_traceback() -> None:
    """PTB logs a non-JSON answer (a 502 page) as an ERROR with a traceback before it raises;
    the send layer retries it, so the log says it once, calmly."""
    from telegram.error import TelegramError
    from telegram.request import BaseRequest

    stream = io.StringIO()
    setup_logging("INFO", stream=stream)
    try:
        with pytest.raises(TelegramError):
            BaseRequest.parse_json_payload(b"<html><body>502 Bad Gateway</body></html>")
    finally:
        logging.getLogger().handlers.clear()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert " WARNING " in lines[0]
    assert "not JSON" in lines[0]


def test_compose_runs_two_instances_whose_settings_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """compose.yaml (never run here: no Docker daemon) as far as it can be checked without
    one: two bot services on its PostgreSQL, and each one's environment, with the webhook
    lines its comments tell to uncomment, is settings the bot accepts."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    bots = [name for name, service in services.items() if service.get("build") == "."]
    assert len(bots) == 2
    assert "pg_isready" in str(services["postgres"]["healthcheck"]["test"])
    for name in bots:
        service = services[name]
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        environment = dict(service["environment"])
        environment["WEBHOOK_LISTEN"] = "0.0.0.0:8443"  # commented out in the file
        environment["WEBHOOK_URL"] = "https://legwork.example/telegram"  # from .env
        environment["WEBHOOK_SECRET"] = "s3cret-token"
        environment["TELEGRAM_BOT_TOKEN"] = TOKEN
        for key, value in environment.items():
            # ${POSTGRES_PASSWORD:-change-me}: what compose gives when .env does not set it
            monkeypatch.setenv(key, str(value).replace("${POSTGRES_PASSWORD:-change-me}", "pw"))
        settings = load_settings()
        assert settings.resolved_database_url() == (
            "postgresql+asyncpg://legwork:pw@postgres:5432/legwork"
        )
        assert settings.webhook_listen == "0.0.0.0:8443"
