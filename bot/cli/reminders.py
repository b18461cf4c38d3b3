"""``python -m bot reminder-times``: the next fire instants of a reminder set-up.

A stable contract for operators and content authors; it needs no token, no database and no
.env, and uses the same arithmetic as the dispatcher (bot.core.schedule)::

    python -m bot reminder-times --zone Europe/Berlin --time 02:30 --days mon,wed,fri \
        --after 2027-03-26T00:00:00Z --count 5
    2027-03-29T00:30:00Z
    ...
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.core.clock import SYSTEM_CLOCK
from bot.core.schedule import (
    ALL_DAYS,
    Problem,
    ReminderRule,
    fire_times,
    format_utc,
    parse_days,
    parse_time,
    parse_utc,
    valid_zone,
)

COMMAND = "reminder-times"
EXIT_USAGE = 2


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="print the next fire instants (UTC) of a reminder set-up, one a line",
        description=(
            "Print the next fire instants of a reminder, strictly after --after, in UTC "
            "(2027-03-29T00:30:00Z). No token, no database."
        ),
    )
    parser.add_argument("--zone", required=True, help="IANA time zone, like Europe/Berlin")
    parser.add_argument("--time", required=True, help="local time: 07:30, 7am, 18h, 6.30pm")
    parser.add_argument(
        "--days", default=None, help="mon,wed,fri / weekdays / 'every day' (default: every day)"
    )
    parser.add_argument(
        "--after",
        default=None,
        help="an instant with an offset, like 2027-03-26T00:00:00Z (default: now)",
    )
    parser.add_argument("--count", type=int, default=5, help="how many instants (default 5)")


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr

    def fail(message: str) -> int:
        print(f"legwork: {message}", file=err)
        return EXIT_USAGE

    if not valid_zone(args.zone):
        return fail(f"unknown time zone {args.zone!r}: use an IANA name like Europe/Berlin")
    at = parse_time(args.time)
    if isinstance(at, Problem):
        return fail(at.message)
    days = ALL_DAYS if args.days is None else parse_days(args.days)
    if isinstance(days, Problem):
        return fail(days.message)
    try:
        after = SYSTEM_CLOCK.now() if args.after is None else parse_utc(args.after)
    except ValueError as exc:
        return fail(f"--after: {exc}")
    if not 1 <= args.count <= 10_000:
        return fail("--count must be between 1 and 10000")
    rule = ReminderRule(ZoneInfo(args.zone), at, days)
    for instant in fire_times(rule, after, args.count):
        print(format_utc(instant), file=out)
    return 0
