"""``python -m bot parse``: read training reports the way the bot does, without Telegram.

    python -m bot parse --json "4x10 lunges @ 20kg"
    printf 'squats 3x10\\ndone\\n' | python -m bot parse --json -

With ``-`` every stdin line is one message; a literal ``\\n`` inside a line is a line break.
The JSON form (status and entries) is a stable contract: an entry's "exercise" is its catalogue id
(an entry's id, an uncovered lift's slug, "custom:<name>"), and a timed entry carries "seconds"
(one a set) instead of "reps". ``--details`` adds names in no catalogue and doubtful numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from bot.core.content import ContentStore
from bot.core.reports import Report, ReportParser, format_report


def add_parser(sub: Any) -> None:
    """Register the subcommand on the main parser's subparsers."""
    parse = sub.add_parser(
        "parse", help="read a training report (or '-' for one message per line on stdin)"
    )
    parse.add_argument("message", nargs="+", help="the report, or '-' to read stdin")
    parse.add_argument("--json", action="store_true", help="print a JSON object per message")
    parse.add_argument(
        "--details", action="store_true", help="with --json: also not covered and doubtful"
    )


def _render(report: Report, store: ContentStore, as_json: bool, details: bool) -> str:
    if as_json:
        data = report.details_json() if details else report.as_json()
        return json.dumps(data, ensure_ascii=False)
    lines = [format_report(report, store) or "(nothing to log)"]
    lines += [f"in no catalogue: {name}" for name in report.not_covered]
    lines += [f"to ask about: {d.exercise}: {d.problem}" for d in report.doubts]
    return "\n".join(lines)


def run(args: argparse.Namespace, store: ContentStore, out: TextIO | None = None) -> int:
    return parse_messages(args.message, store, out or sys.stdout, args.json, args.details)


def parse_messages(
    messages: Sequence[str],
    store: ContentStore,
    out: TextIO,
    as_json: bool = True,
    details: bool = False,
    stdin: TextIO | None = None,
) -> int:
    parser = ReportParser(store, every_lift=True)
    if list(messages) == ["-"]:
        for line in stdin or sys.stdin:
            text = line.rstrip("\r\n").replace("\\n", "\n")
            print(_render(parser.parse(text), store, as_json, details), file=out, flush=True)
        return 0
    report = parser.parse(" ".join(messages))
    print(_render(report, store, as_json, details), file=out)
    return 0
