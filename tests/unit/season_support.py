"""Shared helpers of the season plan tests: the rules, planners on today's store and on a store
with the entries issue 16 adds (back squat, front squat, plyometrics), and the rule checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from bot.core.coaching import CoachingRules, load_rules
from bot.core.content import ContentStore
from bot.core.plans import Runner, SeasonPlanner

ROOT_DIR = Path(__file__).resolve().parents[2]
RULES: CoachingRules = load_rules()
MONDAY = date(2027, 1, 4)
# Entries another issue adds to the store; copies of existing entries stand in for them here,
# so the plan is tested both before and after they land.
NEW_ENTRIES = {
    "back-squat": ("goblet-squat", "squat"),
    "front-squat": ("goblet-squat", "squat"),
    "pogo-hops": ("calf-raise", None),
    "box-jump": ("squat", None),
}


def with_new_entries(store: ContentStore) -> ContentStore:
    entries = dict(store.entries)
    for new_id, (source, family) in NEW_ENTRIES.items():
        if new_id not in entries:
            entries[new_id] = replace(entries[source], id=new_id, family=family, variations=())
    return replace(store, entries=entries)


def without_entries(store: ContentStore, ids: set[str]) -> ContentStore:
    """The store as it was before ``ids`` were added."""
    return replace(store, entries={k: v for k, v in store.entries.items() if k not in ids})


def planners(store: ContentStore) -> dict[str, SeasonPlanner]:
    return {
        "today": SeasonPlanner(store, RULES),
        "with-new-entries": SeasonPlanner(with_new_entries(store), RULES),
    }


def key_day(runner: Runner, day: date) -> bool:
    """The long run, a hard run or the race falls on ``day``."""
    race = runner.race.day if runner.race else None
    return day.weekday() in runner.key_run_days or day == race


def heavy_allowed(runner: Runner, day: date) -> bool:
    """The rule, restated: no heavy legs on the long-run day, on race day, or within the clear
    hours before a key run."""
    clear_days = max(1, -(-RULES.spacing.hours_clear_before_key_run // 24))
    if day.weekday() == runner.long_run_day or (runner.race and day == runner.race.day):
        return False
    return not any(key_day(runner, day + timedelta(days=k)) for k in range(1, clear_days + 1))


def expected_phase(runner: Runner, week_start: date) -> str | None:
    """The phase the issue asks for, from the race date backwards (None: base or build)."""
    if runner.race is None:
        return None
    race_monday = runner.race.day - timedelta(days=runner.race.day.weekday())
    out = (race_monday - week_start).days // 7
    season = RULES.season
    if out > season.build_weeks_before_race:
        return "base"
    if out > season.taper_weeks:
        return "build"
    if out >= 1:
        return "taper"
    if out == 0:
        return "race"
    if out == -1:
        return "recovery"
    return None
