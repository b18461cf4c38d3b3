"""The season plan's inputs (what the runner told us, what they logged) and its output.

Weekdays are 0 = Monday ... 6 = Sunday, as ``date.weekday()``. Everything is plain, frozen data:
the handlers build a ``Runner`` and a ``History`` from the database, the CLI from its flags.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, get_args

RunnerLevel = Literal["new", "some-experience", "experienced"]
RUNNER_LEVELS: tuple[RunnerLevel, ...] = get_args(RunnerLevel)
Distance = Literal["5k", "10k", "half", "marathon", "ultra"]
DISTANCES: tuple[Distance, ...] = get_args(Distance)
SeasonPhase = Literal["base", "build", "taper", "race", "recovery"]
LoadClass = Literal["bodyweight", "light", "moderate", "heavy"]
HEAVY_LOADS: frozenset[LoadClass] = frozenset({"moderate", "heavy"})


@dataclass(frozen=True, slots=True)
class Race:
    day: date
    distance: Distance


@dataclass(frozen=True, slots=True)
class Runner:
    """What the runner told us. ``training_days``: the days they can do a strength session."""

    training_days: frozenset[int]
    long_run_day: int | None = None
    hard_run_days: frozenset[int] = frozenset()
    level: RunnerLevel = "new"
    race: Race | None = None

    @property
    def key_run_days(self) -> frozenset[int]:
        """The long run and the hard runs: the days that need fresh legs."""
        if self.long_run_day is None:
            return self.hard_run_days
        return self.hard_run_days | {self.long_run_day}


@dataclass(frozen=True, slots=True)
class LoggedLift:
    """The last time the runner did an exercise (from the training log)."""

    exercise: str
    day: date
    sets: int
    reps: int | None = None
    seconds: int | None = None
    kg: float | None = None
    completed: bool = True  # every prescribed rep done


@dataclass(frozen=True, slots=True)
class PainSkip:
    """A session skipped because something hurt ("skipped, knee hurts")."""

    exercise: str
    note: str


@dataclass(frozen=True, slots=True)
class History:
    """What happened so far. Lifts: the latest log per exercise id."""

    lifts: dict[str, LoggedLift] = field(default_factory=dict)
    missed_in_a_row: int = 0  # planned sessions missed back to back, most recent last
    back_from_pause: bool = False  # a /pause ended since the last session
    pain: tuple[PainSkip, ...] = ()
    started: date | None = None  # the first strength session with us: technique weeks count from it

    @classmethod
    def from_log(cls, lifts: Iterable[LoggedLift], **signals: Any) -> History:
        """The latest lift per exercise out of a log in any order; ``signals`` are the other
        fields (missed_in_a_row, back_from_pause, pain, started)."""
        latest: dict[str, LoggedLift] = {}
        for lift in lifts:
            known = latest.get(lift.exercise)
            if known is None or lift.day >= known.day:
                latest[lift.exercise] = lift
        return cls(lifts=latest, **signals)

    def last_session(self) -> date | None:
        return max((lift.day for lift in self.lifts.values()), default=None)


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    exercise: str  # an id of the content store
    sets: int
    reps: int | None
    seconds: int | None
    load: LoadClass
    kg: float | None = None  # a weight when the log gives one; the JSON contract shows the class
    plyometric: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "sets": self.sets, "reps": self.reps,
                "seconds": self.seconds, "load": self.load}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlannedSession:
    day: date
    heavy: bool
    exercises: tuple[PlannedExercise, ...]
    # A run day (a hard run or the long run): lift after the run, rules.spacing's hours later.
    after_run: bool = False

    @property
    def volume(self) -> int:
        """Work sets: the volume measure of the season rules (taper, deload)."""
        return sum(item.sets for item in self.exercises)

    def as_json(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "heavy": self.heavy,
                "exercises": [item.as_json() for item in self.exercises]}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlannedWeek:
    start: date  # a Monday
    phase: SeasonPhase
    deload: bool
    sessions: tuple[PlannedSession, ...]
    weeks_to_race: int | None = None  # 0 in race week, negative after it

    @property
    def volume(self) -> int:
        return sum(session.volume for session in self.sessions)

    def as_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "phase": self.phase, "deload": self.deload,
                "sessions": [session.as_json() for session in self.sessions]}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PainAdvice:
    """The line of the content that matches a pain skip, for the runner to read."""

    exercise: str
    text: str


@dataclass(frozen=True, slots=True)
class SeasonPlan:
    weeks: tuple[PlannedWeek, ...]
    problems: tuple[str, ...] = ()  # what the runner's days cannot satisfy, in words
    advice: tuple[PainAdvice, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"weeks": [week.as_json() for week in self.weeks]}
