"""Which of the runner's days carry a strength session, and which of those may be heavy.

Hard days hard, easy days easy: a heavy session never falls in the 24 hours before the long
run, a hard run or the race (so never on the day before one), nor on the long-run day itself;
a hard-run day is the preferred slot (strength after the run). Days that cannot carry a heavy
session may still carry a light one (bodyweight bridges and calf raises) when the runner has
no better day.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.coaching.rules import CoachingRules
from bot.core.plans.season_model import Runner

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "At most one light session early in the week" of a race: Monday to Wednesday.
RACE_WEEK_LAST_SESSION_WEEKDAY = 2


@dataclass(frozen=True, slots=True)
class SessionDay:
    day: date
    heavy: bool


def hours_clear_days(rules: CoachingRules) -> int:
    """Whole days kept free of heavy work before a key run (24 hours: the day before)."""
    return max(1, -(-rules.spacing.hours_clear_before_key_run // 24))


def heavy_allowed(day: date, runner: Runner, rules: CoachingRules) -> bool:
    """No heavy leg work on the long-run day, on race day, or within the clear hours before a
    key run (the long run, a hard run, the race)."""
    if day.weekday() == runner.long_run_day:
        return False
    race_day = runner.race.day if runner.race else None
    if day == race_day:
        return False
    for ahead in range(1, hours_clear_days(rules) + 1):
        later = day + timedelta(days=ahead)
        if later.weekday() in runner.key_run_days or later == race_day:
            return False
    return True


def _spread(days: Sequence[date]) -> tuple[int, int]:
    """(back-to-back pairs, -smallest gap): lower is better spread round the week."""
    weekdays = [d.weekday() for d in days]
    gaps = [min((a - b) % 7, (b - a) % 7) for a, b in itertools.combinations(weekdays, 2)]
    return sum(1 for gap in gaps if gap == 1), -min(gaps, default=7)


def choose_days(
    candidates: Sequence[date], count: int, runner: Runner, rules: CoachingRules
) -> tuple[SessionDay, ...]:
    """``count`` session days out of ``candidates`` (the runner's training days this week):
    as many heavy-capable days as possible, hard-run days before easy days, then spread out."""
    pool = [d for d in candidates if d.weekday() in runner.training_days]
    if runner.race is not None:
        pool = [d for d in pool if d != runner.race.day]
    count = min(count, len(pool))
    if count <= 0:
        return ()
    heavy = {d: heavy_allowed(d, runner, rules) for d in pool}
    best: tuple[tuple[int, int, int, int, tuple[date, ...]], tuple[date, ...]] | None = None
    for combo in itertools.combinations(pool, count):
        heavy_days = [d for d in combo if heavy[d]]
        hard = sum(1 for d in heavy_days if d.weekday() in runner.hard_run_days)
        back_to_back, gap = _spread(combo)
        key = (-len(heavy_days), -hard, back_to_back, gap, combo)
        if best is None or key < best[0]:
            best = (key, combo)
    assert best is not None
    return tuple(SessionDay(d, heavy[d]) for d in best[1])


def race_week_day(candidates: Sequence[date], runner: Runner) -> date | None:
    """The one light session of race week: early in the week, well before the race (never the
    day before it). None when the runner's days leave no such day."""
    assert runner.race is not None
    race_day = runner.race.day
    for day in candidates:
        if (
            day.weekday() in runner.training_days
            and day.weekday() <= RACE_WEEK_LAST_SESSION_WEEKDAY
            and (race_day - day).days >= 2
        ):
            return day
    return None


def recovery_day(candidates: Sequence[date], runner: Runner) -> date | None:
    """The recovery week's one light session: as late as the runner's days allow."""
    days = [d for d in candidates if d.weekday() in runner.training_days]
    return days[-1] if days else None


def day_problems(runner: Runner, rules: CoachingRules) -> tuple[str, ...]:
    """What the runner's days cannot satisfy, in words, to say when the days are set."""
    problems: list[str] = []
    days = sorted(runner.training_days)
    wanted = rules.season.sessions_per_week["base"].low
    if len(days) < wanted:
        problems.append(
            f"The plan asks for at least {wanted} strength days a week; you gave {len(days)}."
        )
    monday = date(2024, 1, 1)  # any Monday: only weekdays matter here
    plain = Runner(runner.training_days, runner.long_run_day, runner.hard_run_days, runner.level)
    light = [
        DAY_NAMES[d] for d in days if not heavy_allowed(monday + timedelta(days=d), plain, rules)
    ]
    if days and len(light) == len(days):
        problems.append(
            "Each of your strength days is the day of or the day before your long run or a hard "
            "run, so the plan can only give light sessions: add a day with fresh legs next day."
        )
    elif light:
        problems.append(
            f"{', '.join(light)}: the day of or before a key run, so only a light session there."
        )
    return tuple(problems)
