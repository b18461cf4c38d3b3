"""The report corpora (tests/data/reports.yaml, bench/reports_blind.yaml): loading and checking.

Shared by the corpus unit test and bench/reports.py. Read the corpus file header for the format.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.content import ContentStore
from bot.core.reports import Report

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "reports.yaml"
BLIND = ROOT / "bench" / "reports_blind.yaml"


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    expected: dict[str, Any]


def _reps(value: Any) -> list[int]:
    if isinstance(value, str):
        sets, _, reps = value.partition("x")
        return [int(reps)] * int(sets)
    return [int(v) for v in value]


def _expectation(raw: dict[str, Any]) -> dict[str, Any]:
    entries = [
        {
            "exercise": e[0],
            "reps": _reps(e[1]),
            "weight_kg": None if e[2] is None else float(e[2]),
            "per_side": bool(e[3]),
        }
        for e in raw.get("entries", [])
    ]
    return {
        "status": raw.get("status"),
        "entries": entries,
        "not_covered": int(raw.get("not_covered", 0)),
        "questioned": int(raw.get("questioned", 0)),
        "question": bool(raw.get("question", False)),
    }


def load_cases(path: Path, store: ContentStore) -> list[Case]:
    """Cases with the expectation that fits the store as it is (``needs`` / ``without``)."""
    raw_cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for raw in raw_cases:
        needs = raw.get("needs")
        if needs is not None and needs not in store.entries:
            raw = {"text": raw["text"], **raw["without"]}
        cases.append(Case(raw["text"], _expectation(raw)))
    return cases


def observed(report: Report) -> dict[str, Any]:
    data = report.as_json()
    return {
        "status": data["status"],
        "entries": data["entries"],
        "not_covered": len(report.not_covered),
        "questioned": len(report.doubts),
        "question": not report.is_report and bool(report.question or not report.is_report),
    }


def matches(case: Case, report: Report) -> bool:
    got = observed(report)
    want = dict(case.expected)
    # A question is "nothing to log": status none, no entries, nothing to say about numbers.
    if want["question"]:
        return not report.is_report
    got["question"] = False
    return got == want
