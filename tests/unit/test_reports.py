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

from bot.cli.parse import parse_messages
from bot.core.content import ContentStore, load_store
from bot.core.reports import Report, ReportEntry, ReportParser, format_report
from tests.conftest import ROOT

CONTRACT = (
    '{"status": null, "entries": [{"exercise": "lunge", "reps": [10, 10, 10, 10], '
    '"weight_kg": 20.0, "per_side": false}]}'
)


@pytest.fixture(scope="module")
def parser(store: ContentStore) -> ReportParser:
    return ReportParser(store, every_lift=True)


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
    message = "squats 3x10 @ 40kg, yoke carries 3x8, lunges 3x0"
    parse_messages([message], store, out, as_json=False)
    assert out.getvalue().splitlines() == [
        "Squat 3 x 10 @ 40 kg, yoke carries 3 x 8",
        "in no catalogue: yoke carries",
        "to ask about: lunge: 0 reps",
    ]
    out = io.StringIO()
    parse_messages(["yoke carries 3x8"], store, out, details=True)
    details = json.loads(out.getvalue())
    assert details["not_covered"] == ["yoke carries"]
    assert details["entries"][0]["exercise"] == "custom:yoke carries"


def test_cli_timed_entry_carries_seconds_instead_of_reps(store: ContentStore) -> None:
    out = io.StringIO()
    parse_messages(["wall sit 3x45s"], store, out)
    assert json.loads(out.getvalue()) == {
        "status": None,
        "entries": [
            {"exercise": "wall-sit", "seconds": [45, 45, 45], "weight_kg": None, "per_side": False}
        ],
    }


def test_question_is_not_a_report(parser: ReportParser) -> None:
    report = parser.parse("how many sets of 10 squats should I do?")
    assert report == Report(question=True)
    assert not report.is_report
    assert not parser.is_report("what do lunges work")
    assert parser.is_report("squats 3x10")
    assert parser.is_report("skipped today")


def test_lifts_without_a_how_to_are_logged_under_their_slug(parser: ReportParser) -> None:
    report = parser.parse("squats 3x10, pull-ups 3x10, leg press 3x12 @ 100 kg")
    assert [(e.exercise, e.reps, e.weight_kg) for e in report.entries] == [
        ("squat", (10, 10, 10), None),
        ("pull-up", (10, 10, 10), None),
        ("leg-press", (12, 12, 12), 100.0),
    ]
    assert report.not_covered == ()


def test_a_name_in_no_catalogue_is_the_runners_own(parser: ReportParser) -> None:
    report = parser.parse("squats 3x10, yoke carries 3x20")
    assert [e.exercise for e in report.entries] == ["squat", "custom:yoke carries"]
    assert report.entries[1].custom_name == "yoke carries"
    assert report.not_covered == ("yoke carries",)
    # Unknown words before a lift's name make another lift, not that one.
    [entry] = parser.parse("3x10 zercher good mornings").entries
    assert (entry.exercise, entry.reps) == ("custom:zercher good mornings", (10, 10, 10))
    # Words that only describe how a lift was done keep it.
    [entry] = parser.parse("pause squats 3x5").entries
    assert entry.exercise == "squat"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("squats 0 reps", "0 reps"),
        ("calf raises 10,000 reps", "10000 reps"),
        ("deadlift 2,000 kg x 5", "2000 kg"),
        ("squats 100x10", "100 sets"),
        ("lunges 0x10", "0 sets"),
        ("squats 3x-12", "-12 reps"),
        ("-3x12 squats", "-3 sets"),
        ("squats 3x12 @ -40kg", "-40 kg"),
        ("squats 3x10 @ 1e308kg", "a billion or more kg"),
        ("squats 3x10 @ -1e308kg", "minus a billion or less kg"),
        ("squats 3x10 @ 1e3kg", "1000 kg"),
        ("plank 3x3600s", "3600s"),
        ("squats 1.5x10", "1.5 sets"),
    ],
)
def test_impossible_numbers_are_questioned(parser: ReportParser, text: str, problem: str) -> None:
    report = parser.parse(text)
    assert report.entries == ()
    assert [d.problem for d in report.doubts] == [problem]
    assert report.is_report  # the bot asks about it


def test_signs_and_exponents_are_read_not_dropped(parser: ReportParser) -> None:
    report = parser.parse("-3x-12 squats @ -40kg")
    assert report.entries == ()
    assert len(report.doubts) == 1
    [entry] = parser.parse("squats 3x10 @ 2.5e1 kg").entries
    assert entry.weight_kg == 25.0
    # A dash between numbers or after a name is a separator, not a sign.
    [entry] = parser.parse("squats 8-8-6").entries
    assert entry.reps == (8, 8, 6)
    [entry] = parser.parse("squats - 3x10").entries
    assert entry.reps == (10, 10, 10)


def test_numbers_of_any_length_never_overflow(parser: ReportParser) -> None:
    digits = "9" * 309
    for text in (f"squats 3x{digits}", f"squats {digits}x10", f"squats 3x10 @ {digits}kg"):
        report = parser.parse(text)
        assert report.entries == ()
        assert len(report.doubts) == 1, text
    done = subprocess.run(
        [sys.executable, "-m", "bot", "parse", "--json", f"squats 3x10 @ {digits}kg"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert json.loads(done.stdout) == {"status": None, "entries": []}


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
            ReportEntry("wall-sit", (), seconds=(45, 45, 30)),
            ReportEntry("leg-press", (10, 10), 100.0),
            ReportEntry("custom:yoke carries", (20,)),
        ),
    )
    assert format_report(report, store) == (
        "Done: Squat 3 x 12 @ 40 kg, Calf raise 15 / 15 / 12, Lunge 2 x 10 each side @ 22.5 kg, "
        "Wall sit 45 / 45 / 30 s, Leg press 2 x 10 @ 100 kg, yoke carries 1 x 20"
    )
    assert format_report(Report("skipped"), store) == "Skipped"


def test_new_store_entries_are_picked_up(tmp_path: Path, store: ContentStore) -> None:
    """An entry added to data/ is logged with no change to the parser."""
    before = ReportParser(store, every_lift=True).parse("hamstring walkouts 3x8")
    assert [e.exercise for e in before.entries] == ["custom:hamstring walkouts"]
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
    after = ReportParser(load_store(content), every_lift=True).parse("hamstring walkouts 3x8")
    assert [(e.exercise, e.reps) for e in after.entries] == [("hamstring-walkout", (8, 8, 8))]


def test_the_training_log_parser_keeps_to_what_the_log_stores(store: ContentStore) -> None:
    """Without every_lift (the bot until the log stores seconds and runners' own exercises):
    content-store entries in reps are logged; other lifts, timed work and unknown names are
    named back as written, and everything else the parser learned still applies."""
    parser = ReportParser(store)
    report = parser.parse("squats 3x10, pull ups 3x8, wall sit 3x45s, yoke carries 3x20")
    assert [(e.exercise, e.reps) for e in report.entries] == [("squat", (10, 10, 10))]
    assert report.not_covered == ("pull ups", "wall sit", "yoke carries")
    report = parser.parse("3 rounds: 10 squats, 15 bridges")
    assert [(e.exercise, e.reps) for e in report.entries] == [
        ("squat", (10, 10, 10)),
        ("glute-bridge", (15, 15, 15)),
    ]
    assert parser.parse("couldn't fit it in today").status == "skipped"
    assert ReportParser(store, every_lift=True).parse("pull ups 3x8").not_covered == ()


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("wall sit 3x45s", (45, 45, 45)),
        ("plank hold 60s x 3", (60, 60, 60)),
        ("wall sits 2 x 1 min", (60, 60)),
        ("plank 1:30", (90,)),
        ("planks 3x60", (60, 60, 60)),  # a hold counts seconds without a unit
        ("wall sit 45s, 45s, 30s", (45, 45, 30)),
    ],
)
def test_timed_work_is_seconds_not_reps(
    parser: ReportParser, text: str, seconds: tuple[int, ...]
) -> None:
    [entry] = parser.parse(text).entries
    assert (entry.reps, entry.seconds, entry.sets) == ((), seconds, len(seconds))


def test_a_time_or_a_clock_is_never_a_load(parser: ReportParser) -> None:
    for text in ("squats 3x10 with a 2 min rest", "glute bridges 3x15 with a 5 second hold"):
        [entry] = parser.parse(text).entries
        assert (entry.weight_kg, entry.seconds) == (None, None), text
    [entry] = parser.parse("squats 3x10 at 7pm").entries
    assert entry.weight_kg is None


def test_numbers_before_names_without_separators(parser: ReportParser) -> None:
    report = parser.parse("3x10 squats @ 40kg 3x10 lunges @ 20kg")
    assert [(e.exercise, e.weight_kg) for e in report.entries] == [
        ("squat", 40.0),
        ("lunge", 20.0),
    ]
    report = parser.parse("10 squats 10 lunges 15 bridges")
    assert [(e.exercise, e.reps) for e in report.entries] == [
        ("squat", (10,)),
        ("lunge", (10,)),
        ("glute-bridge", (15,)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "3 rounds: 10 squats, 10 lunges",
        "circuit x3 - 10 squats, 10 lunges",
        "x3 rounds of 10 squats and 10 lunges",
        "circuit (3 rounds): 10 squats / 10 lunges",
        "3 rounds\n- 10 squats\n- 10 lunges",
        "rounds: 3\nsquats 10\nlunges 10",
        "x3: 10 squats, 10 lunges",
        "three rounds of 10 squats + 10 lunges",
    ],
)
def test_every_exercise_of_a_circuit_is_done_once_a_round(parser: ReportParser, text: str) -> None:
    report = parser.parse(text)
    assert [(e.exercise, e.reps) for e in report.entries] == [
        ("squat", (10, 10, 10)),
        ("lunge", (10, 10, 10)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ran 8k",
        "tempo run 6x800m",
        "hit 10000 steps",
        "feeling 7/10 today",
        "slept 8 hours",
        "2 weeks to my marathon",
        "walked 5k",
    ],
)
def test_runs_and_chat_with_numbers_log_nothing(parser: ReportParser, text: str) -> None:
    report = parser.parse(text)
    assert (report.entries, report.not_covered, report.doubts) == ((), (), ())
