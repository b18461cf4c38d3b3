"""Reading what a runner tells us about their season: ``/race``, ``/hardruns``, ``/level``,
``/weekly``. Every parser returns a value or a ``Problem`` (a friendly sentence with an
example) and never raises on bad input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.core.plans.season_model import Distance, Race, RunnerLevel
from bot.core.schedule import Problem, parse_days, parse_time

RACE_EXAMPLE = (
    "Send it like: /race 2027-04-18 marathon (5k, 10k, half, marathon, ultra), or /race off."
)
HARD_EXAMPLE = "Send your hard run days like: /hardruns tue thu, or /hardruns none."
LEVEL_EXAMPLE = "Send one of: /level new, /level some, /level experienced."
WEEKLY_EXAMPLE = "Send it like: /weekly sun 19:00, or /weekly off."
MAX_RACE_AHEAD = timedelta(days=2 * 366)
OFF_WORDS = frozenset({"off", "none", "no", "stop", "cancel", "clear"})

_DISTANCES: dict[str, Distance] = {
    "5k": "5k", "5km": "5k", "parkrun": "5k",
    "10k": "10k", "10km": "10k",
    "half": "half", "half-marathon": "half", "hm": "half", "21k": "half", "21km": "half",
    "half marathon": "half",
    "marathon": "marathon", "42k": "marathon", "42km": "marathon", "full": "marathon",
    "ultra": "ultra", "50k": "ultra", "50km": "ultra", "100k": "ultra", "ultramarathon": "ultra",
}  # fmt: skip
_LEVELS: dict[str, RunnerLevel] = {
    "new": "new", "beginner": "new", "none": "new", "new to lifting": "new",
    "some": "some-experience", "some experience": "some-experience",
    "some-experience": "some-experience", "intermediate": "some-experience",
    "experienced": "experienced", "advanced": "experienced", "expert": "experienced",
}  # fmt: skip
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


def parse_race(text: str, today: date) -> Race | Problem | None:
    """``2027-04-18 marathon`` (either order) -> Race; ``off`` -> None."""
    cleaned = " ".join(text.lower().split())
    if not cleaned:
        return Problem(RACE_EXAMPLE)
    if cleaned in OFF_WORDS:
        return None
    found = _ISO_DATE.search(cleaned)
    if found is None:
        return Problem("I need the race date as year-month-day. " + RACE_EXAMPLE)
    try:
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return Problem(f"There is no {found[0]} in the calendar. " + RACE_EXAMPLE)
    if day <= today:
        return Problem("That date has passed: send a race still ahead. " + RACE_EXAMPLE)
    if day - today > MAX_RACE_AHEAD:
        return Problem("That is more than two years away: set it closer to the time.")
    rest = " ".join((cleaned[: found.start()] + " " + cleaned[found.end() :]).split())
    distance = _DISTANCES.get(rest) or _DISTANCES.get(rest.replace(" ", "-"))
    if distance is None:
        return Problem("Which distance is it? " + RACE_EXAMPLE)
    return Race(day, distance)


def parse_hard_runs(text: str) -> frozenset[int] | Problem:
    cleaned = text.strip().lower()
    if not cleaned:
        return Problem(HARD_EXAMPLE)
    if cleaned in OFF_WORDS:
        return frozenset()
    days = parse_days(cleaned)
    if isinstance(days, Problem):
        return Problem(days.message.split(". ")[0].rstrip(".") + ". " + HARD_EXAMPLE)
    if len(days) > 4:
        return Problem("That is most of the week: name the 1 to 4 days with intervals or tempo.")
    return days


def parse_level(text: str) -> RunnerLevel | Problem:
    found = _LEVELS.get(" ".join(text.lower().replace("_", " ").split()))
    return found if found is not None else Problem(LEVEL_EXAMPLE)


@dataclass(frozen=True, slots=True)
class WeeklySpec:
    on: bool
    day: int | None = None  # None: keep the current day
    at: time | None = None  # None: keep the current time


def parse_weekly(text: str) -> WeeklySpec | Problem:
    """``off``, ``on``, ``sun 19:00``, ``19:00``, ``sunday``."""
    cleaned = " ".join(text.lower().split())
    if not cleaned:
        return Problem(WEEKLY_EXAMPLE)
    if cleaned in OFF_WORDS:
        return WeeklySpec(on=False)
    if cleaned == "on":
        return WeeklySpec(on=True)
    words = cleaned.split()
    day: int | None = None
    at: time | None = None
    for word in words:
        found_day = parse_days(word)
        if not isinstance(found_day, Problem) and len(found_day) == 1:
            if day is not None:
                return Problem("One day a week, please. " + WEEKLY_EXAMPLE)
            day = min(found_day)
            continue
        found_time = parse_time(word)
        if isinstance(found_time, Problem):
            return Problem(found_time.message + " " + WEEKLY_EXAMPLE)
        at = found_time
    return WeeklySpec(on=True, day=day, at=at)
