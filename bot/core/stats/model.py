"""What stats, charts and the export read: logged sets and planned days, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class LoggedSet:
    """One set with its log's date and status. A log with no sets (a bare "done", "skipped")
    is one row with ``exercise == ""`` and ``set_index == 0``."""

    log_id: int
    local_date: date
    status: str  # done | skipped
    planned: bool  # counted for a planned session (else an extra session)
    note: str
    entry_index: int
    exercise: str
    set_index: int
    reps: int  # 0 for a timed set
    weight_kg: float | None
    per_side: bool
    seconds: int | None = None  # a timed set ("wall sit 3x45s"): its seconds, else None
    session: str = ""  # the training session it belongs to (bot/core/stats/sessions.py)

    @property
    def is_set(self) -> bool:
        return bool(self.exercise) and self.set_index > 0


@dataclass(frozen=True, slots=True)
class PlannedWork:
    """One exercise of a planned session's prescription: the move's id, sets and reps."""

    move: str
    sets: int
    reps: int


@dataclass(frozen=True, slots=True)
class PlannedDay:
    """A planned session: its local date and status (planned, sent, done, skipped, missed),
    and its prescription (empty when not read)."""

    local_date: date
    status: str
    work: tuple[PlannedWork, ...] = ()


@dataclass(frozen=True, slots=True)
class Pause:
    """Days the runner paused reminders (inclusive): planned days inside never break a streak."""

    first: date
    last: date

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last
