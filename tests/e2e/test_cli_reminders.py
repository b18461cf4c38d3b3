"""``python -m bot reminder-times`` in a child process: no token, no database, no .env."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env["DATA_DIR"] = str(tmp_path / "var")
    # A broken setting proves the command does not even read the settings.
    env["DATABASE_URL"] = "mysql://nope"
    return subprocess.run(
        [sys.executable, "-m", "bot", "reminder-times", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_contract_example(tmp_path: Path) -> None:
    result = _run(
        ["--zone", "Europe/Berlin", "--time", "02:30", "--days", "mon,wed,fri",
         "--after", "2027-03-26T00:00:00Z", "--count", "5"],
        tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "2027-03-26T01:30:00Z",
        "2027-03-29T00:30:00Z",
        "2027-03-31T00:30:00Z",
        "2027-04-02T00:30:00Z",
        "2027-04-05T00:30:00Z",
    ]
    assert not (tmp_path / "var").exists()


@pytest.mark.parametrize(
    ("zone", "at", "after", "expected"),
    [
        # Spring forward (gap) and fall back (first occurrence), every day by default.
        ("Europe/Berlin", "02:30", "2027-03-27T12:00:00Z",
         ["2027-03-28T01:00:00Z", "2027-03-29T00:30:00Z"]),
        ("Europe/Berlin", "02:30", "2027-10-30T12:00:00Z",
         ["2027-10-31T00:30:00Z", "2027-11-01T01:30:00Z"]),
        ("America/New_York", "02:30", "2027-03-13T12:00:00Z",
         ["2027-03-14T07:00:00Z", "2027-03-15T06:30:00Z"]),
        ("America/New_York", "01:30", "2027-11-06T12:00:00Z",
         ["2027-11-07T05:30:00Z", "2027-11-08T06:30:00Z"]),
        ("Australia/Lord_Howe", "02:15", "2027-10-02T00:00:00Z",
         ["2027-10-02T15:30:00Z", "2027-10-03T15:15:00Z"]),
        ("Australia/Lord_Howe", "01:45", "2027-04-03T00:00:00Z",
         ["2027-04-03T14:45:00Z", "2027-04-04T15:15:00Z"]),
        ("Asia/Kathmandu", "07:00", "2027-06-01T00:00:00Z",
         ["2027-06-01T01:15:00Z", "2027-06-02T01:15:00Z"]),
        ("America/Santiago", "00:30", "2027-09-04T12:00:00Z",
         ["2027-09-05T04:00:00Z", "2027-09-06T03:30:00Z"]),
        ("America/Santiago", "23:30", "2027-04-03T12:00:00Z",
         ["2027-04-04T02:30:00Z", "2027-04-05T03:30:00Z"]),
        ("Africa/Casablanca", "02:30", "2027-02-06T12:00:00Z",
         ["2027-02-07T01:30:00Z", "2027-02-08T02:30:00Z"]),
        ("Africa/Casablanca", "02:30", "2027-03-13T12:00:00Z",
         ["2027-03-14T02:00:00Z", "2027-03-15T01:30:00Z"]),
    ],
)  # fmt: skip
def test_transitions(tmp_path: Path, zone: str, at: str, after: str, expected: list[str]) -> None:
    result = _run(["--zone", zone, "--time", at, "--after", after, "--count", "2"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--zone", "Mars/Olympus", "--time", "07:00"], "unknown time zone"),
        (["--zone", "UTC", "--time", "25:99"], "25:99"),
        (["--zone", "UTC", "--time", "07:00", "--days", "someday"], "someday"),
        (["--zone", "UTC", "--time", "07:00", "--after", "2027-01-01T00:00:00"], "offset"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = _run(args, tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
