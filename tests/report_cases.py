"""The report corpora (tests/data/reports.yaml, tests/data/reports_runners.yaml,
bench/reports_blind.yaml): loading and checking.

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
RUNNERS = ROOT / "tests" / "data" / "reports_runners.yaml"
BLIND = ROOT / "bench" / "reports_blind.yaml"
RUNNERS_BLIND = ROOT / "bench" / "reports_runners_blind.yaml"
CUSTOM = "custom:"


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    expected: dict[str, Any]


def _counts(value: Any) -> tuple[str, list[int]]:
    """("reps" or "seconds", one number a set) from "3x10", "3x45s", [15, 12] or ["45s", "30s"]."""
    if isinstance(value, str):
        sets, _, each = value.partition("x")
        value = [each] * int(sets)
    timed = any(str(v).endswith("s") for v in value)
    return ("seconds" if timed else "reps"), [int(str(v).removesuffix("s")) for v in value]


def _entry(raw: list[Any]) -> dict[str, Any]:
    key, counts = _counts(raw[1])
    return {
        "exercise": raw[0],
        key: counts,
        "weight_kg": None if raw[2] is None else float(raw[2]),
        "per_side": bool(raw[3]),
    }


def _expectation(raw: dict[str, Any]) -> dict[str, Any]:
    entries = [_entry(e) for e in raw.get("entries", [])]
    custom = sum(str(e["exercise"]).startswith(CUSTOM) for e in entries)
    return {
        "status": raw.get("status"),
        "entries": entries,
        "not_covered": int(raw.get("not_covered", custom)),
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
