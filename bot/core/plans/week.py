"""The week: which days are strength days, which carry deadlifts, and each day's session.

* 2 or 3 strength days; each session: a squat, a lunge, glute bridges and calf raises.
* Deadlifts on two days a week, never on the day before the long run.
* Suggested days keep a rest day between strength days where the week allows.
* Variations rotate week to week.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core.plans.catalog import Catalog
from bot.core.plans.progress import Level, TrackState, state_of

BASE_SLOTS = ("squat", "lunge", "bridge", "calf")
DEADLIFT_DAYS_PER_WEEK = 2


def _gap(a: int, b: int) -> int:
    """Days between weekdays a and b going round the week (1 = back to back)."""
    return min((a - b) % 7, (b - a) % 7)


def _min_gap(days: tuple[int, ...]) -> int:
    if len(days) < 2:
        return 7
    return min(_gap(a, b) for a, b in itertools.combinations(days, 2))


def _before(day: int) -> int:
    return (day - 1) % 7


def suggest_days(count: int, long_run_day: int | None = None,
                 allowed: Iterable[int] = range(7)) -> tuple[int, ...]:  # fmt: skip
    """``count`` strength days out of ``allowed``: off the long-run day, not the day before it,
    spread out so no two are back to back where the week allows."""
    pool = sorted(set(allowed))
    count = max(1, min(count, len(pool)))
    best: tuple[tuple[int, int, int, tuple[int, ...]], tuple[int, ...]] | None = None
    for combo in itertools.combinations(pool, count):
        clashes = 0
        if long_run_day is not None:
            clashes += sum(2 for d in combo if d == long_run_day)
            clashes += sum(1 for d in combo if d == _before(long_run_day))
        back_to_back = sum(1 for a, b in itertools.combinations(combo, 2) if _gap(a, b) == 1)
        key = (clashes, back_to_back, -_min_gap(combo), combo)
        if best is None or key < best[0]:
            best = (key, combo)
    assert best is not None
    return best[1]


@dataclass(frozen=True, slots=True)
class WeekLayout:
    strength_days: tuple[int, ...]
    deadlift_days: tuple[int, ...]
    long_run_day: int | None


def layout(reminder_days: Iterable[int], sessions_per_week: int,
           long_run_day: int | None) -> WeekLayout:  # fmt: skip
    days = tuple(sorted(set(reminder_days)))
    wanted = max(1, min(3, sessions_per_week))
    strength = days if len(days) <= wanted else suggest_days(wanted, long_run_day, days)
    candidates = tuple(d for d in strength if long_run_day is None or d != _before(long_run_day))
    if len(candidates) <= DEADLIFT_DAYS_PER_WEEK:
        deadlift = candidates
    else:
        deadlift = max(
            itertools.combinations(candidates, DEADLIFT_DAYS_PER_WEEK),
            key=lambda pair: (_gap(*pair), tuple(-d for d in pair)),
        )
    return WeekLayout(strength, tuple(sorted(deadlift)), long_run_day)


@dataclass(frozen=True, slots=True)
class Prescription:
    track: str
    move: str
    name: str
    sets: int
    reps: int
    per_side: bool
    kg: float | None
    weight_note: str

    def line(self) -> str:
        side = " per side" if self.per_side else ""
        text = f"{self.name}: {self.sets} x {self.reps}{side}"
        if self.kg is not None:
            kg = f"{self.kg:g}"
            text += f", {kg} kg {self.weight_note}".rstrip()
        return text

    def as_json(self) -> dict[str, Any]:
        return {"track": self.track, "move": self.move, "name": self.name, "sets": self.sets,
                "reps": self.reps, "per_side": self.per_side, "kg": self.kg,
                "weight_note": self.weight_note}  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Prescription:
        kg = data.get("kg")
        return cls(str(data["track"]), str(data["move"]), str(data["name"]), int(data["sets"]),
                   int(data["reps"]), bool(data["per_side"]), None if kg is None else float(kg),
                   str(data.get("weight_note", "")))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Session:
    day: date
    exercises: tuple[Prescription, ...]
    deadlifts: bool

    @property
    def tracks(self) -> tuple[str, ...]:
        return tuple(p.track for p in self.exercises)

    def as_json(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "deadlifts": self.deadlifts,
                "exercises": [p.as_json() for p in self.exercises]}  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Session:
        return cls(date.fromisoformat(str(data["day"])),
                   tuple(Prescription.from_json(p) for p in data["exercises"]),
                   bool(data.get("deadlifts", False)))  # fmt: skip


def week_number(day: date) -> int:
    """Weeks since 1 Jan 0001 (a Monday): the same for Monday to Sunday of one week."""
    return (day.toordinal() - 1) // 7


def _prescribe(catalog: Catalog, track: str, state: TrackState) -> Prescription:
    move = catalog.move(state.move)
    kg = state.kg if move.loaded else None
    return Prescription(track, move.id, move.name, state.sets, state.reps, move.per_side, kg,
                        move.weight_note)  # fmt: skip


def session_for(
    day: date,
    week: WeekLayout,
    catalog: Catalog,
    progress: Mapping[str, TrackState],
    level: Level = "beginner",
) -> Session | None:
    """The strength session on local ``day``, or None on a day without one."""
    weekday = day.weekday()
    if weekday not in week.strength_days:
        return None
    index = week.strength_days.index(weekday)
    number = week_number(day)
    slots = list(BASE_SLOTS)
    deadlifts = weekday in week.deadlift_days
    if deadlifts:
        slots.append("deadlift")
    exercises = []
    for slot in slots:
        tracks = catalog.slots[slot]
        position = week.deadlift_days.index(weekday) if slot == "deadlift" else index
        track = tracks[(number + position) % len(tracks)]
        exercises.append(_prescribe(catalog, track, state_of(progress, catalog, track, level)))
    return Session(day, tuple(exercises), deadlifts)


def next_session_day(after: date, week: WeekLayout, include_today: bool = True) -> date:
    """The next strength day on or after (or strictly after) ``after``."""
    for offset in range(0 if include_today else 1, 8):
        candidate = date.fromordinal(after.toordinal() + offset)
        if candidate.weekday() in week.strength_days:
            return candidate
    return after  # pragma: no cover - a layout always has a strength day
