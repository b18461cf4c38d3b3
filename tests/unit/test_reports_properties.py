"""Property-based tests of the report parser: total, sane, and the fixed form reads back.

Issue 15: any text up to 4,096 characters (a Telegram message) never raises and never yields a
number outside its bounds, whatever its signs, exponents or digits."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.content import ContentStore, load_store
from bot.core.reports import Report, ReportEntry, ReportParser, format_report
from bot.core.reports.catalogue import CUSTOM_PREFIX, HOLDS, Catalogue
from bot.core.reports.model import MAX_REPS, MAX_SECONDS, MAX_SETS, MAX_WEIGHT_KG
from tests.conftest import ROOT
from tests.report_cases import CORPUS, RUNNERS, Case, load_cases

STORE = load_store(ROOT / "data")
PARSER = ReportParser(STORE, every_lift=True)
IDS = sorted(STORE.entries)
CATALOGUE = Catalogue.of(STORE)
LIFTS = sorted(CATALOGUE.names)  # entries and the lifts of uncovered.yaml
OWN_NAMES = ["yoke carries", "ski erg", "zercher good mornings", "landmine rotations"]

# Pieces runners type, so random messages look like reports often enough to matter.
PIECES = [
    *(STORE.entries[i].name for i in IDS),
    *(alias for i in IDS for alias in STORE.entries[i].aliases[:2]),
    "x", "×", "@", "at", "kg", "lbs", "kilos", ",", "/", "-", "+", "and", "\n", "sets of",
    "reps", "each leg", "per side", "ea", "done", "skipped", "not today", "?", "how", "0", "1",
    "3", "10", "12", "42,5", "10,000", "2,000", "x12", "3x10", "80kg", "pull ups", "rdl", "✅",
    "3 rounds:", "circuit x3 -", "x3 rounds of", "(15 reps)", "bw", "kilos", "pounds", "45s",
    "1 min", "60 sec", "1:30", "rest day", "missed it", "ran 8k", "tempo run", "-", "-3", "-40kg",
    "1e308", "2.5e1", "1e-5", "9" * 309, "zercher", *OWN_NAMES,
    *(CATALOGUE.names[i] for i in LIFTS),
]  # fmt: skip
messages = st.lists(
    st.one_of(st.sampled_from(PIECES), st.integers(0, 100_000).map(str)), max_size=14
).map(" ".join)


def _sane(report: Report) -> None:
    for entry in report.entries:
        own = entry.custom_name
        assert entry.exercise in CATALOGUE.names or (own is not None and own.strip())
        assert 1 <= entry.sets <= MAX_SETS
        if entry.seconds is None:
            assert all(isinstance(r, int) and 1 <= r <= MAX_REPS for r in entry.reps)
        else:
            assert entry.reps == ()
            assert all(isinstance(s, int) and 1 <= s <= MAX_SECONDS for s in entry.seconds)
        assert entry.weight_kg is None or 0 < entry.weight_kg <= MAX_WEIGHT_KG
    assert set(report.not_covered) == {e.custom_name for e in report.entries} - {None}
    if report.status == "skipped":
        assert report.entries == ()


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_never_raises_on_any_text(text: str) -> None:
    _sane(PARSER.parse(text))


@settings(max_examples=600)
@given(messages)
def test_report_like_messages_give_sane_entries(text: str) -> None:
    _sane(PARSER.parse(text))


long_messages = st.lists(
    st.one_of(st.sampled_from(PIECES), st.integers(-(10**12), 10**12).map(str)),
    min_size=50,
    max_size=700,
).map(lambda pieces: " ".join(pieces)[:4096])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(long_messages, st.text(min_size=1000, max_size=4096)))
def test_messages_up_to_4096_characters_never_raise_and_stay_in_bounds(text: str) -> None:
    _sane(PARSER.parse(text))


weights = st.one_of(st.none(), st.integers(1, int(MAX_WEIGHT_KG * 2)).map(lambda h: h / 2))
counted = st.builds(
    ReportEntry,
    exercise=st.one_of(
        st.sampled_from([i for i in LIFTS if i not in HOLDS]),
        st.sampled_from(OWN_NAMES).map(CUSTOM_PREFIX.__add__),
    ),
    reps=st.lists(st.integers(1, MAX_REPS), min_size=1, max_size=MAX_SETS).map(tuple),
    weight_kg=weights,
    per_side=st.booleans(),
)
timed = st.builds(
    ReportEntry,
    exercise=st.sampled_from(LIFTS),
    reps=st.just(()),
    weight_kg=weights,
    per_side=st.booleans(),
    seconds=st.lists(st.integers(1, MAX_SECONDS), min_size=1, max_size=MAX_SETS).map(tuple),
)
entries = st.one_of(counted, timed)
reports = st.one_of(
    st.builds(
        Report,
        status=st.sampled_from([None, "done"]),
        entries=st.lists(entries, min_size=1, max_size=5).map(tuple),
    ),
    st.sampled_from([Report("done"), Report("skipped")]),
)


def _core(report: Report) -> tuple[object, ...]:
    return (report.status, report.entries)


@settings(max_examples=500)
@given(reports)
def test_format_then_parse_gives_the_same_report(report: Report) -> None:
    text = format_report(report, STORE)
    assert _core(PARSER.parse(text)) == _core(report), text


@pytest.mark.parametrize(
    "case", [*load_cases(CORPUS, STORE), *load_cases(RUNNERS, STORE)], ids=lambda c: c.text[:40]
)
def test_corpus_reports_read_back_from_their_fixed_form(case: Case, store: ContentStore) -> None:
    report = PARSER.parse(case.text)
    if report.entries or report.status:
        again = PARSER.parse(format_report(report, store))
        assert _core(again) == _core(report)
