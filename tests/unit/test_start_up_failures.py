"""Start-up failures name the setting at fault (issue 19 section 6): where the SQLite file
lives (DATA_DIR, or DATABASE_URL when it is set), the Bot API's address, the token."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from telegram.error import InvalidToken

from bot.cli.failures import EXIT_CONFIG, EXIT_RUNTIME, check_storage, explain
from bot.settings import TELEGRAM_API, Settings, SettingsError, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
NOT_WRITABLE = Path("/proc/self")  # a directory no one, root included, can create files in


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "DATABASE_", "LOG_", "DATA_DIR", "CONTENT_DIR")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


def _settings(**values: object) -> Settings:
    return load_settings(**values)


def test_a_usable_data_dir_passes_and_a_missing_one_is_created(tmp_path: Path) -> None:
    data = tmp_path / "not" / "yet"
    assert check_storage(_settings(data_dir=data)) is None
    assert data.is_dir()
    assert check_storage(_settings(database_url="postgresql+asyncpg://u:p@h/db")) is None


def test_a_file_where_the_data_dir_should_be_names_data_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "passwd"
    blocker.write_text("root:x:0:0")
    failure = check_storage(_settings(data_dir=blocker))
    assert failure is not None
    assert failure.exit_code == EXIT_CONFIG
    assert f"Check DATA_DIR ({blocker})" in failure.message
    assert "is a file" in failure.message
    assert "\n" not in failure.message


def test_a_directory_that_cannot_be_written_names_data_dir_with_the_same_exit_code(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    unwritable = check_storage(_settings(data_dir=NOT_WRITABLE))
    uncreatable = check_storage(_settings(data_dir=blocker / "var"))
    assert unwritable is not None
    assert uncreatable is not None
    assert unwritable.exit_code == uncreatable.exit_code == EXIT_CONFIG
    assert "DATA_DIR" in unwritable.message
    assert "server" not in unwritable.message  # SQLite has none


def test_a_database_url_into_proc_blames_database_url_not_data_dir(tmp_path: Path) -> None:
    settings = _settings(
        data_dir=tmp_path, database_url=f"sqlite+aiosqlite:///{NOT_WRITABLE}/legwork.db"
    )
    failure = check_storage(settings)
    assert failure is not None
    assert failure.exit_code == EXIT_CONFIG
    assert "Check DATABASE_URL" in failure.message
    assert "DATA_DIR" not in failure.message


def test_sqlite_that_does_not_open_is_a_setting_fault_not_the_servers_log(tmp_path: Path) -> None:
    error = OperationalError(
        "PRAGMA x", {}, sqlite3.OperationalError("unable to open database file")
    )
    failure = explain(error, _settings(data_dir=tmp_path))
    assert failure is not None
    assert failure.exit_code == EXIT_CONFIG
    assert "DATA_DIR" in failure.message
    assert "server" not in failure.message
    broken = OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error"))
    at_run_time = explain(broken, _settings(data_dir=tmp_path))
    assert at_run_time is not None
    assert at_run_time.exit_code == EXIT_RUNTIME
    assert "server" not in at_run_time.message


def _rejected(answer: str) -> InvalidToken:
    """What PTB raises at start-up: its own InvalidToken, from the server's answer."""
    try:
        raise InvalidToken(answer)
    except InvalidToken as cause:
        try:
            raise InvalidToken("The token was rejected by the server.") from cause
        except InvalidToken as outer:
            return outer


def test_no_bot_api_at_a_self_hosted_address_names_the_base_url_not_the_token() -> None:
    settings = _settings(telegram_bot_token=TOKEN, telegram_api_base_url="http://h:8081/nobot")
    failure = explain(_rejected("Not Found"), settings)
    assert failure is not None
    assert failure.exit_code == EXIT_CONFIG
    assert "TELEGRAM_API_BASE_URL" in failure.message
    assert "TELEGRAM_BOT_TOKEN" not in failure.message
    assert "h:8081" in failure.message


@pytest.mark.parametrize(
    ("base_url", "answer"),
    [(TELEGRAM_API, "Not Found"), (TELEGRAM_API, "Unauthorized"), ("http://h/bot", "Unauthorized")],
)
def test_a_token_the_server_does_not_take_names_the_token(base_url: str, answer: str) -> None:
    """Telegram's own API answers 404 to a token of the wrong shape, 401 to an unknown one."""
    settings = _settings(telegram_bot_token=TOKEN, telegram_api_base_url=base_url)
    failure = explain(_rejected(answer), settings)
    assert failure is not None
    assert failure.exit_code == EXIT_CONFIG
    assert "TELEGRAM_BOT_TOKEN" in failure.message
    assert TOKEN not in failure.message


def test_a_trailing_slash_in_the_base_url_is_a_bad_setting_not_a_refused_token() -> None:
    with pytest.raises(SettingsError) as info:
        _settings(telegram_api_base_url="http://127.0.0.1:8081/bot/")
    assert str(info.value).startswith("Bad setting TELEGRAM_API_BASE_URL: must not end with")
    assert "TOKEN" not in str(info.value)
