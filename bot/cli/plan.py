"""``python -m bot plan``: a runner's season plan, the plan's own code, no token, no database.

    python -m bot plan --json --days mon,wed,fri --long-run sun --hard-runs tue \
        --level some-experience --race 2027-04-18 --distance marathon --from 2027-01-04 --weeks 20

``--json`` prints one object, a stable contract: ``{"weeks": [{"start", "phase", "deload",
"sessions": [{"date", "heavy", "exercises": [{"exercise", "sets", "reps", "seconds",
"load"}]}]}]}``. Without it, the plan as text, then what the days cannot satisfy.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO, cast

from bot.core.clock import SYSTEM_CLOCK
from bot.core.coaching import load_rules
from bot.core.coaching.rules import RULES_FILE, RulesError
from bot.core.content import ContentStore
from bot.core.plans import Distance, Race, Runner, RunnerLevel, SeasonPlan, SeasonPlanner
from bot.core.plans.season import MAX_WEEKS
from bot.core.plans.season_model import DISTANCES, RUNNER_LEVELS
from bot.core.schedule import Problem, parse_days

COMMAND = "plan"
EXIT_USAGE = 2


def add_parser(sub: Any) -> None:
    """Register the subcommand on the main parser's subparsers."""
    plan = sub.add_parser(
        COMMAND,
        help="print a runner's season plan (no token, no database)",
        description="Print the weeks of a season plan from the runner's days, level and race.",
    )
    plan.add_argument("--days", required=True, help="strength days: mon,wed,fri / 'mon thu'")
    plan.add_argument("--long-run", default=None, help="the long-run day: sun")
    plan.add_argument("--hard-runs", default=None, help="hard run days: tue,thu")
    plan.add_argument("--level", default="new", choices=RUNNER_LEVELS)
    plan.add_argument("--race", default=None, help="race date, like 2027-04-18")
    plan.add_argument("--distance", default=None, choices=DISTANCES)
    plan.add_argument("--from", dest="start", default=None, help="first day (default: today)")
    plan.add_argument("--weeks", type=int, default=20, help="how many weeks (default 20)")
    plan.add_argument("--json", action="store_true", help="print one JSON object")


class _Usage(Exception):
    pass


def _weekdays(text: str | None, flag: str, single: bool = False) -> frozenset[int]:
    if text is None:
        return frozenset()
    days = parse_days(text)
    if isinstance(days, Problem):
        raise _Usage(f"{flag}: {days.message}")
    if single and len(days) != 1:
        raise _Usage(f"{flag}: one day, like sun")
    return days


def _date(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Usage(f"{flag}: a date like 2027-04-18, not {text[:20]!r}") from None


def runner_from(args: argparse.Namespace) -> Runner:
    long_run = _weekdays(args.long_run, "--long-run", single=True)
    race = None
    if args.race is not None:
        if args.distance is None:
            raise _Usage("--race needs --distance (5k, 10k, half, marathon, ultra)")
        race = Race(_date(args.race, "--race"), cast(Distance, args.distance))
    elif args.distance is not None:
        raise _Usage("--distance needs --race")
    return Runner(
        training_days=_weekdays(args.days, "--days"),
        long_run_day=min(long_run) if long_run else None,
        hard_run_days=_weekdays(args.hard_runs, "--hard-runs"),
        level=cast(RunnerLevel, args.level),
        race=race,
    )


def run(args: argparse.Namespace, store: ContentStore, content_dir: Path | None = None,
        out: TextIO | None = None, err: TextIO | None = None) -> int:  # fmt: skip
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        runner = runner_from(args)
        start = SYSTEM_CLOCK.now().date() if args.start is None else _date(args.start, "--from")
        if not 1 <= args.weeks <= MAX_WEEKS:
            raise _Usage(f"--weeks must be between 1 and {MAX_WEEKS}")
        own_rules = content_dir / RULES_FILE if content_dir is not None else None
        rules = load_rules(own_rules if own_rules is not None and own_rules.exists() else None)
    except (_Usage, RulesError) as exc:
        print(f"legwork: {exc}", file=err)
        return EXIT_USAGE
    plan = SeasonPlanner(store, rules).plan(runner, start, args.weeks)
    if args.json:
        print(json.dumps(plan.as_json(), ensure_ascii=False), file=out)
        return 0
    print(plan_text(plan, store), file=out)
    return 0


def plan_text(plan: SeasonPlan, store: ContentStore) -> str:
    lines = []
    for week in plan.weeks:
        deload = ", lighter week" if week.deload else ""
        lines.append(f"Week of {week.start:%a %d %b %Y}: {week.phase}{deload}")
        for session in week.sessions:
            kind = "strength" if session.heavy else "light"
            lines.append(f"  {session.day:%a %d %b} ({kind})")
            for item in session.exercises:
                amount = f"{item.reps} reps" if item.reps is not None else f"{item.seconds} s"
                name = store.entries[item.exercise].name
                lines.append(f"    {name}: {item.sets} x {amount}, {item.load}")
    lines += [f"Note: {problem}" for problem in plan.problems]
    return "\n".join(lines)
