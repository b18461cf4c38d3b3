"""What the training log service (logbook.py) returns: ``Logged`` for a message or a button,
``StatsView`` for /stats.

Apart from the service so the handlers that word a result read these without its database work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from bot.core.reports import Report, ReportEntry
from bot.core.stats import ExerciseStats, PersonalBest, Streaks, Week
from bot.services.session_work import SessionProgress

# logged: a report recorded; closed: "done" closed a session (``entries`` all of its work);
# nothing: not logged (``already`` says why: today's planned session is already done/skipped).
Kind = Literal["logged", "closed", "duplicate", "updated", "removed", "nothing"]


@dataclass(frozen=True, slots=True)
class Logged:
    """What happened to a message: ``nothing`` means it was not logged (see ``report`` for what
    was not covered or doubtful)."""

    kind: Kind
    report: Report
    log_id: int | None = None
    local_date: date | None = None
    planned: bool = False
    status: str = "done"
    entries: tuple[ReportEntry, ...] = ()
    bests: tuple[PersonalBest, ...] = ()
    progress: SessionProgress | None = None  # of the planned session it counts for
    extra_so_far: int = 0  # earlier messages of the same open extra session
    pain: bool = False  # a skip that reports pain or an injury
    already: str | None = None
    # Names in no catalogue left out of the log, and the ask that keeps the report until the
    # runner says whether they are their own exercises (None: asked already).
    asking: tuple[str, ...] = ()
    ask_id: int | None = None


@dataclass(frozen=True, slots=True)
class StatsView:
    """The runner's numbers for /stats, as of their local ``today``."""

    today: date
    streaks: Streaks
    week: Week
    exercises: dict[str, ExerciseStats] = field(default_factory=dict)
    sessions: int = 0
