"""The report corpora: at least the accuracy reached, exact matches.

tests/data/reports.yaml and tests/data/reports_runners.yaml (issue 16: circuits, every lift,
units, holds, skips, runs) were written before the parser changes they measure;
the never-tuned holdouts bench/reports_blind.yaml and bench/reports_runners_blind.yaml are
measured here too so a change cannot quietly lose them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.content import ContentStore
from bot.core.reports import ReportParser
from tests.report_cases import BLIND, CORPUS, RUNNERS, RUNNERS_BLIND, load_cases, matches, observed

# Issue 16 asks for at least 97% on every set; the tuned sets were at 100% when last tuned (a
# change that loses more than a message or two fails here), the holdouts at 100% and 98%.
FLOORS = {CORPUS: 0.99, RUNNERS: 0.99, BLIND: 0.97, RUNNERS_BLIND: 0.97}
SIZES = {CORPUS: 200, RUNNERS: 150, BLIND: 60, RUNNERS_BLIND: 50}


@pytest.mark.parametrize("path", list(FLOORS), ids=lambda p: p.name)
def test_corpus_is_large_and_unique(store: ContentStore, path: Path) -> None:
    cases = load_cases(path, store)
    assert len(cases) >= SIZES[path]
    assert len({c.text for c in cases}) == len(cases)


@pytest.mark.parametrize("path", list(FLOORS), ids=lambda p: p.name)
def test_corpus_accuracy(store: ContentStore, path: Path) -> None:
    parser = ReportParser(store, every_lift=True)
    cases = load_cases(path, store)
    misses = []
    for case in cases:
        report = parser.parse(case.text)
        if not matches(case, report):
            misses.append(
                f"{case.text!r}\n  want {json.dumps(case.expected)}\n"
                f"  got  {json.dumps(observed(report))}"
            )
    accuracy = 1 - len(misses) / len(cases)
    assert accuracy >= FLOORS[path], "\n".join(misses)
