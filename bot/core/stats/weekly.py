"""The week in review, for the weekly check-in: sessions done of planned, volume, new bests and
the streak, Monday to Sunday of the check-in's local day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.stats.model import LoggedSet, Pause, PlannedDay
from bot.core.stats.stats import bests_of, streaks, this_week, week_start


@dataclass(frozen=True, slots=True)
class WeekBest:
    exercise: str
    kind: str  # "weight" | "reps"
    value: float


@dataclass(frozen=True, slots=True)
class WeekReview:
    first: date
    planned: int
    planned_done: int
    extra: int  # sessions logged that were not planned
    sets: int  # work sets logged as done
    volume_kg: float  # reps x load over loaded sets
    bests: tuple[WeekBest, ...]  # better than anything logged before this week
    streak: int


def review_week(
    logged: Sequence[LoggedSet], planned: Sequence[PlannedDay], pauses: Sequence[Pause],
    today: date,
) -> WeekReview:  # fmt: skip
    first = week_start(today)
    last = first + timedelta(days=6)
    inside = [s for s in logged if first <= s.local_date <= last]
    done_sets = [s for s in inside if s.is_set and s.status == "done"]
    before = bests_of(s for s in logged if s.local_date < first)
    during = bests_of(inside)
    found: list[WeekBest] = []
    for exercise, best in sorted(during.items()):
        known = before.get(exercise)
        if known is None:
            continue  # a first log of an exercise sets no "new" best
        if best.weight_kg is not None and known.weight_kg is not None:
            if best.weight_kg > known.weight_kg:
                found.append(WeekBest(exercise, "weight", best.weight_kg))
        elif (
            best.bodyweight_reps is not None
            and known.bodyweight_reps is not None
            and best.bodyweight_reps > known.bodyweight_reps
        ):
            found.append(WeekBest(exercise, "reps", float(best.bodyweight_reps)))
    week = this_week(planned, logged, today)
    # Today's session still open neither counts nor breaks the streak.
    streak = streaks(planned, pauses, today).current
    return WeekReview(
        first=first,
        planned=week.planned,
        planned_done=week.planned_done,
        extra=week.extra,
        sets=len(done_sets),
        volume_kg=sum(s.reps * s.weight_kg for s in done_sets if s.weight_kg is not None),
        bests=tuple(found),
        streak=streak,
    )
