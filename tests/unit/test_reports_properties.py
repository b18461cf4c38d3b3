"""Property-based tests of the report parser: total, sane, and the fixed form reads back."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.content import ContentStore, load_store
from bot.core.reports import Report, ReportEntry, ReportParser, format_report
from bot.core.reports.model import MAX_REPS, MAX_SETS, MAX_WEIGHT_KG
from tests.conftest import ROOT
from tests.report_cases import CORPUS, Case, load_cases

STORE = load_store(ROOT / "data")
PARSER = ReportParser(STORE)
IDS = sorted(STORE.entries)

# Pieces runners type, so random messages look like reports often enough to matter.
PIECES = [
    *(STORE.entries[i].name for i in IDS),
    *(alias for i in IDS for alias in STORE.entries[i].aliases[:2]),
    "x", "×", "@", "at", "kg", "lbs", "kilos", ",", "/", "-", "+", "and", "\n", "sets of",
    "reps", "each leg", "per side", "ea", "done", "skipped", "not today", "?", "how", "0", "1",
    "3", "10", "12", "42,5", "10,000", "2,000", "x12", "3x10", "80kg", "pull ups", "rdl", "✅",
]  # fmt: skip
messages = st.lists(
    st.one_of(st.sampled_from(PIECES), st.integers(0, 100_000).map(str)), max_size=14
).map(" ".join)


def _sane(report: Report) -> None:
    for entry in report.entries:
        assert entry.exercise in STORE.entries
        assert 1 <= len(entry.reps) <= MAX_SETS
        assert all(isinstance(r, int) and 1 <= r <= MAX_REPS for r in entry.reps)
        assert entry.weight_kg is None or 0 < entry.weight_kg <= MAX_WEIGHT_KG
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


weights = st.one_of(st.none(), st.integers(1, int(MAX_WEIGHT_KG * 2)).map(lambda h: h / 2))
entries = st.builds(
    ReportEntry,
    exercise=st.sampled_from(IDS),
    reps=st.lists(st.integers(1, MAX_REPS), min_size=1, max_size=MAX_SETS).map(tuple),
    weight_kg=weights,
    per_side=st.booleans(),
)
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


@pytest.mark.parametrize("case", load_cases(CORPUS, STORE), ids=lambda c: c.text[:40])
def test_corpus_reports_read_back_from_their_fixed_form(case: Case, store: ContentStore) -> None:
    report = PARSER.parse(case.text)
    if report.entries or report.status:
        again = PARSER.parse(format_report(report, store))
        assert _core(again) == _core(report)
