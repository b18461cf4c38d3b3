"""Report parsing beyond the corpus: the CLI contract, what is not logged, new store entries."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli_parse import parse_messages
from bot.core.content import ContentStore, load_store
from bot.core.reports import Report, ReportEntry, ReportParser, format_report
from tests.conftest import ROOT

CONTRACT = (
    '{"status": null, "entries": [{"exercise": "lunge", "reps": [10, 10, 10, 10], '
    '"weight_kg": 20.0, "per_side": false}]}'
)


@pytest.fixture(scope="module")
def parser(store: ContentStore) -> ReportParser:
    return ReportParser(store)


def test_cli_contract_exact_output() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "parse", "--json", "4x10 lunges @ 20kg"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert done.stdout == CONTRACT + "\n"


def test_cli_reads_one_message_a_line_with_escaped_breaks(store: ContentStore) -> None:
    out = io.StringIO()
    stdin = io.StringIO("4x10 lunges @ 20kg\nsquats 3x10\\ncalf raises 3x15\ndone\n\nhow?\n")
    assert parse_messages(["-"], store, out, stdin=stdin) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 5  # one object per input line, blank ones included
    assert lines[0] == CONTRACT
    second = json.loads(lines[1])
    assert [e["exercise"] for e in second["entries"]] == ["squat", "calf-raise"]
    assert json.loads(lines[2]) == {"status": "done", "entries": []}
    assert json.loads(lines[4]) == {"status": None, "entries": []}


def test_cli_text_and_details(store: ContentStore) -> None:
    out = io.StringIO()
    parse_messages(["squats 3x10 @ 40kg, pull ups 3x8, lunges 3x0"], store, out, as_json=False)
    assert out.getvalue().splitlines() == [
        "Squat 3 x 10 @ 40 kg",
        "not covered: pull ups",
        "to ask about: lunge: 0 reps",
    ]
    out = io.StringIO()
    parse_messages(["pull ups 3x8"], store, out, details=True)
    assert json.loads(out.getvalue())["not_covered"] == ["pull ups"]


def test_question_is_not_a_report(parser: ReportParser) -> None:
    report = parser.parse("how many sets of 10 squats should I do?")
    assert report == Report(question=True)
    assert not report.is_report
    assert not parser.is_report("what do lunges work")
    assert parser.is_report("squats 3x10")
    assert parser.is_report("skipped today")


def test_uncovered_exercise_is_named_and_the_rest_logged(parser: ReportParser) -> None:
    report = parser.parse("squats 3x10, pull-ups 3x10, kettlebell swings 3x15")
    assert [e.exercise for e in report.entries] == ["squat"]
    assert report.not_covered == ("pull ups", "kettlebell swings")


def test_unknown_words_with_numbers_are_not_covered(parser: ReportParser) -> None:
    report = parser.parse("squats 3x10, yoke carries 3x20")
    assert [e.exercise for e in report.entries] == ["squat"]
    assert report.not_covered == ("yoke carries",)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("squats 0 reps", "0 reps"),
        ("calf raises 10,000 reps", "10000 reps"),
        ("deadlift 2,000 kg x 5", "2000 kg"),
        ("squats 100x10", "100 sets"),
        ("lunges 0x10", "0 sets"),
    ],
)
def test_impossible_numbers_are_questioned(parser: ReportParser, text: str, problem: str) -> None:
    report = parser.parse(text)
    assert report.entries == ()
    assert [d.problem for d in report.doubts] == [problem]
    assert report.is_report  # the bot asks about it


def test_pounds_and_decimal_commas(parser: ReportParser) -> None:
    [entry] = parser.parse("deadlift 3x5 @ 135lbs").entries
    assert entry.weight_kg == 61.2
    [entry] = parser.parse("squat 4x8 @ 42,5 kg").entries
    assert entry.weight_kg == 42.5


def test_format_is_the_fixed_form(store: ContentStore) -> None:
    report = Report(
        "done",
        (
            ReportEntry("squat", (12, 12, 12), 40.0),
            ReportEntry("calf-raise", (15, 15, 12)),
            ReportEntry("lunge", (10, 10), 22.5, per_side=True),
        ),
    )
    assert format_report(report, store) == (
        "Done: Squat 3 x 12 @ 40 kg, Calf raise 15 / 15 / 12, Lunge 2 x 10 each side @ 22.5 kg"
    )
    assert format_report(Report("skipped"), store) == "Skipped"


def test_new_store_entries_are_picked_up(tmp_path: Path, store: ContentStore) -> None:
    """An entry added to data/ is logged with no change to the parser."""
    before = ReportParser(store).parse("hamstring walkouts 3x8")
    assert before.entries == ()
    content = tmp_path / "data"
    shutil.copytree(ROOT / "data", content)
    family = yaml.safe_load((content / "glute-bridge.yaml").read_text())
    family.update(
        id="hamstring-walkout",
        name="Hamstring walkout",
        aliases=["hamstring walkouts"],
        variations=[],
        see_also=[],
    )
    for optional in ("mentions", "helps_with", "qualifiers"):
        family.pop(optional, None)
    (content / "hamstring-walkout.yaml").write_text(yaml.safe_dump(family))
    after = ReportParser(load_store(content)).parse("hamstring walkouts 3x8")
    assert [(e.exercise, e.reps) for e in after.entries] == [("hamstring-walkout", (8, 8, 8))]
