"""Streaks, this week against the plan, volume and bests per exercise, new personal bests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.core.reports import ReportEntry
from bot.core.stats.model import LoggedSet, Pause, PlannedDay

OPEN = frozenset({"planned", "sent"})


@dataclass(frozen=True, slots=True)
class Streaks:
    current: int
    best: int


def streaks(
    planned: Sequence[PlannedDay], pauses: Sequence[Pause] = (), today: date | None = None
) -> Streaks:
    """Consecutive planned sessions done. Days in a pause are left out (a pause never breaks a
    streak); a session still open (today's, not reported yet) neither counts nor breaks."""
    run = best = 0
    for day in sorted(planned, key=lambda p: p.local_date):
        if any(p.covers(day.local_date) for p in pauses):
            continue
        if day.status in OPEN and (today is None or day.local_date >= today):
            continue
        if day.status == "done":
            run += 1
            best = max(best, run)
        else:
            run = 0
    return Streaks(current=run, best=best)


@dataclass(frozen=True, slots=True)
class Week:
    first: date
    planned: int
    planned_done: int
    extra: int  # sessions logged that were not planned


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def sessions_done(logs: Iterable[LoggedSet]) -> int:
    """Training sessions with something done in them (one workout of many messages is one)."""
    return len(
        {s.session or s.log_id for s in logs if s.status == "done" and (s.is_set or s.planned)}
    )


def this_week(planned: Sequence[PlannedDay], logs: Iterable[LoggedSet], today: date) -> Week:
    """Monday to Sunday of ``today``: sessions planned, planned ones done, extra sessions."""
    first = week_start(today)
    last = first + timedelta(days=6)
    days = [p for p in planned if first <= p.local_date <= last]
    extra = {
        s.session or s.log_id
        for s in logs
        if first <= s.local_date <= last and not s.planned and s.status == "done" and s.is_set
    }
    return Week(first, len(days), sum(1 for p in days if p.status == "done"), len(extra))


@dataclass(slots=True)
class ExerciseStats:
    exercise: str
    sessions: int = 0
    sets: int = 0
    reps: int = 0
    volume_kg: float = 0.0  # reps x load over loaded sets
    best_weight_kg: float | None = None
    best_weight_reps: int = 0  # most reps in one set at the best load
    best_reps: int = 0  # most reps in one set, any load
    seconds: int = 0  # timed sets ("wall sit 3x45s"): seconds in all
    best_seconds: int = 0  # the longest timed set
    last_date: date | None = None
    _logs: set[int] = field(default_factory=set, repr=False)


def per_exercise(logs: Iterable[LoggedSet]) -> dict[str, ExerciseStats]:
    """Volume and bests per exercise, in the order exercises were first logged."""
    out: dict[str, ExerciseStats] = {}
    for s in logs:
        if not s.is_set or s.status != "done":
            continue
        st = out.get(s.exercise)
        if st is None:
            st = out[s.exercise] = ExerciseStats(s.exercise)
        if s.log_id not in st._logs:
            st._logs.add(s.log_id)
            st.sessions += 1
        st.sets += 1
        st.last_date = s.local_date
        if s.seconds is not None:  # a timed set has no reps and no volume
            st.seconds += s.seconds
            st.best_seconds = max(st.best_seconds, s.seconds)
            continue
        st.reps += s.reps
        st.best_reps = max(st.best_reps, s.reps)
        if s.weight_kg is not None:
            st.volume_kg += s.reps * s.weight_kg
            if st.best_weight_kg is None or s.weight_kg > st.best_weight_kg:
                st.best_weight_kg, st.best_weight_reps = s.weight_kg, s.reps
            elif s.weight_kg == st.best_weight_kg:
                st.best_weight_reps = max(st.best_weight_reps, s.reps)
    return out


@dataclass(frozen=True, slots=True)
class PersonalBest:
    exercise: str
    kind: str  # "weight" | "reps" | "seconds"
    value: float
    previous: float


@dataclass(frozen=True, slots=True)
class Best:
    """What a runner has done best at one exercise: the heaviest load, the most reps in one
    bodyweight set, the longest timed set (None: never done that way)."""

    weight_kg: float | None = None
    bodyweight_reps: int | None = None
    seconds: int | None = None


def bests_of(logs: Iterable[LoggedSet]) -> dict[str, Best]:
    found: dict[str, Best] = {}
    for s in logs:
        if not s.is_set or s.status != "done":
            continue
        best = found.get(s.exercise, Best())
        if s.weight_kg is not None:
            top = s.weight_kg if best.weight_kg is None else max(best.weight_kg, s.weight_kg)
            best = Best(top, best.bodyweight_reps, best.seconds)
        elif s.seconds is None:
            reps = s.reps if best.bodyweight_reps is None else max(best.bodyweight_reps, s.reps)
            best = Best(best.weight_kg, reps, best.seconds)
        if s.seconds is not None:
            held = s.seconds if best.seconds is None else max(best.seconds, s.seconds)
            best = Best(best.weight_kg, best.bodyweight_reps, held)
        found[s.exercise] = best
    return found


def new_bests(previous: Mapping[str, Best], entries: Sequence[ReportEntry]) -> list[PersonalBest]:
    """Bests ``entries`` set against the ``previous`` ones: a heavier load, more reps in one set
    of a bodyweight exercise, or a longer timed set. A first log of an exercise sets no "new"
    best."""
    found: dict[tuple[str, str], PersonalBest] = {}
    for entry in entries:
        known = previous.get(entry.exercise)
        if known is None:
            continue
        if entry.weight_kg is not None:
            before = known.weight_kg
            if before is not None and entry.weight_kg > before:
                key = (entry.exercise, "weight")
                if key not in found or found[key].value < entry.weight_kg:
                    found[key] = PersonalBest(entry.exercise, "weight", entry.weight_kg, before)
        if entry.seconds is not None:
            held, held_before = max(entry.seconds, default=0), known.seconds
            key = (entry.exercise, "seconds")
            better = held_before is not None and held > held_before
            if better and (key not in found or found[key].value < held):
                assert held_before is not None
                found[key] = PersonalBest(entry.exercise, "seconds", held, held_before)
        elif entry.weight_kg is None and entry.reps:
            top, reps_before = max(entry.reps), known.bodyweight_reps
            if reps_before is not None and top > reps_before:
                key = (entry.exercise, "reps")
                if key not in found or found[key].value < top:
                    found[key] = PersonalBest(entry.exercise, "reps", top, reps_before)
    return list(found.values())
