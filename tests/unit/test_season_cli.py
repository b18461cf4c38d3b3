"""``python -m bot plan``: the issue's contract command, its flags and its text form."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.cli.main import main
from tests.unit.season_support import ROOT_DIR

CONTRACT = ["plan", "--json", "--days", "mon,wed,fri", "--long-run", "sun", "--hard-runs", "tue",
            "--level", "some-experience", "--race", "2027-04-18", "--distance", "marathon",
            "--from", "2027-01-04", "--weeks", "20"]  # fmt: skip


def test_the_contract_command_prints_one_json_object_of_the_issue_shape(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(CONTRACT) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["weeks"]
    weeks = data["weeks"]
    assert len(weeks) == 20
    assert weeks[0]["start"] == "2027-01-04"
    for week in weeks:
        assert set(week) == {"start", "phase", "deload", "sessions"}
        for session in week["sessions"]:
            assert set(session) == {"date", "heavy", "exercises"}
            for item in session["exercises"]:
                assert set(item) == {"exercise", "sets", "reps", "seconds", "load"}
                assert item["load"] in ("bodyweight", "light", "moderate", "heavy")
    # Race on Sunday 18 April: race week starts 12 April, taper the two weeks before it, build
    # from 12 weeks out, base before; one recovery week, then base again.
    phases = [w["phase"] for w in weeks]
    assert (
        phases
        == ["base"] * 2 + ["build"] * 10 + ["taper"] * 2 + ["race", "recovery"] + ["base"] * 4
    )
    assert weeks[14]["start"] == "2027-04-12"


def test_the_contract_runs_as_a_process_without_a_token_or_database() -> None:
    unset = ("TELEGRAM_BOT_TOKEN", "DATABASE_URL")
    env = {key: value for key, value in os.environ.items() if key not in unset}
    done = subprocess.run([sys.executable, "-m", "bot", *CONTRACT], cwd=ROOT_DIR, env=env,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["weeks"]) == 20


def test_without_a_race_no_race_phases_in_the_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*CONTRACT[: CONTRACT.index("--race")], "--from", "2027-01-04", "--weeks", "30"]
    assert main(argv) == 0
    phases = {w["phase"] for w in json.loads(capsys.readouterr().out)["weeks"]}
    assert phases == {"base", "build"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--race", "2027-04-18"], "--distance"),
        (["--race", "18/04/2027", "--distance", "10k"], "--race"),
        (["--long-run", "sat,sun"], "--long-run"),
        (["--weeks", "0"], "--weeks"),
    ],
)
def test_bad_flags_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["plan", "--days", "mon,thu", *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("legwork: ")
    assert message in err
    assert err.count("\n") == 1


def test_the_text_form_names_the_exercises_and_the_problems(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["plan", "--days", "sat", "--long-run", "sun", "--from", "2027-01-04", "--weeks", "1"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Week of Mon 04 Jan 2027" in out
    assert "Glute bridge" in out
    assert "Note: " in out
