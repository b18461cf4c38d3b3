"""Which phase a week is in, and whether it is a lighter (deload) week.

With a race, phases count back from race week: taper the last ``taper_weeks`` before it, build
up to ``build_weeks_before_race`` out, base before that; race week, one recovery week after it,
then base and build alternate again. Without a race, base and build alternate in blocks of one
deload cycle. Deloads count back from the taper (the taper ends the last cycle), or from a fixed
calendar origin without a race, so a week's phase never depends on the day the plan is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.coaching.rules import Season
from bot.core.plans.season_model import Race, SeasonPhase


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class WeekPhase:
    phase: SeasonPhase
    deload: bool
    weeks_to_race: int | None  # 0 in race week, negative after it
    cycle_week: int  # 0 for the first week of a deload cycle; the deload is the last


def _alternating(index: int, season: Season) -> WeekPhase:
    """Base and build in blocks of one deload cycle; each block ends with its lighter week."""
    cycle = season.deload_every_weeks
    phase: SeasonPhase = "base" if (index // cycle) % 2 == 0 else "build"
    return WeekPhase(phase, index % cycle == cycle - 1, None, index % cycle)


def week_phase(week_start: date, race: Race | None, season: Season) -> WeekPhase:
    """The phase of the week starting on Monday ``week_start``."""
    if race is None:
        return _alternating(week_start.toordinal() // 7, season)
    out = (monday_of(race.day) - week_start).days // 7
    if out == 0:
        return WeekPhase("race", False, 0, 0)
    if out == -1:
        return WeekPhase("recovery", False, -1, 0)
    if out < -1:
        after = _alternating(-out - 2, season)
        return WeekPhase(after.phase, after.deload, out, after.cycle_week)
    if out <= season.taper_weeks:
        return WeekPhase("taper", False, out, 0)
    cycle = season.deload_every_weeks
    back = (out - season.taper_weeks - 1) % cycle  # cycles end with a deload week before the taper
    cycle_week = (cycle - 2 - back) % cycle
    phase: SeasonPhase = "build" if out <= season.build_weeks_before_race else "base"
    return WeekPhase(phase, cycle_week == cycle - 1, out, cycle_week)
