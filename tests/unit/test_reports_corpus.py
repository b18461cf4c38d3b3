"""The report corpus (tests/data/reports.yaml): at least the accuracy reached, exact matches."""

from __future__ import annotations

import json

from bot.core.content import ContentStore
from bot.core.reports import ReportParser
from tests.report_cases import CORPUS, load_cases, matches, observed

# The level reached (288/288 when last tuned); a change that loses more than two or three
# messages fails here. Issue 6 asks for at least 95%.
ACCURACY_FLOOR = 0.99


def test_corpus_is_large_and_unique(store: ContentStore) -> None:
    cases = load_cases(CORPUS, store)
    assert len(cases) >= 200
    assert len({c.text for c in cases}) == len(cases)


def test_corpus_accuracy(store: ContentStore) -> None:
    parser = ReportParser(store)
    cases = load_cases(CORPUS, store)
    misses = []
    for case in cases:
        report = parser.parse(case.text)
        if not matches(case, report):
            misses.append(
                f"{case.text!r}\n  want {json.dumps(case.expected)}\n"
                f"  got  {json.dumps(observed(report))}"
            )
    accuracy = 1 - len(misses) / len(cases)
    assert accuracy >= ACCURACY_FLOOR, "\n".join(misses)
