"""What a report is: a status and the sets done, as plain values (JSON-able, comparable)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.reports.catalogue import custom_name

Status = Literal["done", "skipped"]
STATUSES: tuple[Status, ...] = ("done", "skipped")

# Sane bounds. Outside them a number is asked about, never stored.
MAX_SETS = 20
MAX_REPS = 300
MAX_WEIGHT_KG = 500.0
MAX_SECONDS = 1800  # one set of a hold or a timed set: half an hour


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """One exercise of a report: the reps of every set (or, for timed work, the seconds of every
    set and no reps), the load (None: bodyweight) and whether the numbers count each leg or side.

    ``exercise`` is a catalogue id (bot.core.reports.catalogue): an entry's id, an uncovered
    lift's slug, or "custom:<the runner's name>"."""

    exercise: str
    reps: tuple[int, ...]
    weight_kg: float | None = None
    per_side: bool = False
    seconds: tuple[int, ...] | None = None

    @property
    def sets(self) -> int:
        return len(self.seconds) if self.seconds is not None else len(self.reps)

    @property
    def total_reps(self) -> int:
        return sum(self.reps)

    @property
    def custom_name(self) -> str | None:
        """The runner's own name when the exercise is in no catalogue, else None."""
        return custom_name(self.exercise)

    def as_json(self) -> dict[str, object]:
        """Reps, or for timed work "seconds" instead of "reps"."""
        counts: dict[str, object] = (
            {"seconds": list(self.seconds)}
            if self.seconds is not None
            else {"reps": list(self.reps)}
        )
        return {
            "exercise": self.exercise,
            **counts,
            "weight_kg": self.weight_kg,
            "per_side": self.per_side,
        }


@dataclass(frozen=True, slots=True)
class Doubt:
    """Numbers that cannot be right ("0 reps", "2000 kg"): the bot asks instead of logging."""

    exercise: str  # entry id, or the words the runner used
    problem: str  # plain text: "0 reps", "2000 kg", "100 sets"


@dataclass(frozen=True, slots=True)
class Report:
    status: Status | None = None
    entries: tuple[ReportEntry, ...] = ()
    # Lifts named with numbers that are not logged as they are, as the runner wrote them
    # (lowercase). With ReportParser(every_lift=True): names in no catalogue, each also an entry
    # "custom:<name>", so the bot can ask before keeping it as the runner's own exercise. Without
    # it: every lift that is not a content-store entry counted in reps.
    not_covered: tuple[str, ...] = ()
    doubts: tuple[Doubt, ...] = ()
    # The message (all of it) was a question or chat, not a report.
    question: bool = False

    @property
    def is_report(self) -> bool:
        """Something to log, or to tell the runner about (not covered, doubtful numbers)."""
        return bool(self.status is not None or self.entries or self.not_covered or self.doubts)

    def as_json(self) -> dict[str, object]:
        """The stable command-line form: status and entries only."""
        return {"status": self.status, "entries": [e.as_json() for e in self.entries]}

    def details_json(self) -> dict[str, object]:
        data = self.as_json()
        data["not_covered"] = list(self.not_covered)
        data["questioned"] = [{"exercise": d.exercise, "problem": d.problem} for d in self.doubts]
        data["question"] = self.question
        return data
