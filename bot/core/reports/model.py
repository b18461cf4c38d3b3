"""What a report is: a status and the sets done, as plain values (JSON-able, comparable)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["done", "skipped"]
STATUSES: tuple[Status, ...] = ("done", "skipped")

# Sane bounds. Outside them a number is asked about, never stored.
MAX_SETS = 20
MAX_REPS = 300
MAX_WEIGHT_KG = 500.0


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """One exercise of a report: the reps of every set, the load (None: bodyweight) and whether
    the reps count each leg or side."""

    exercise: str
    reps: tuple[int, ...]
    weight_kg: float | None = None
    per_side: bool = False

    @property
    def sets(self) -> int:
        return len(self.reps)

    @property
    def total_reps(self) -> int:
        return sum(self.reps)

    def as_json(self) -> dict[str, object]:
        return {
            "exercise": self.exercise,
            "reps": list(self.reps),
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
    # Exercises the content store does not cover, named with numbers (as the runner wrote them).
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
