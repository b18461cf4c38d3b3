"""One workout is one session: which logs (one per message) make up which training session.

Logs of a planned session are that session. Logs of no planned session made on the same local
day are one extra session, until the runner says "done" (a log with no sets, status done): that
log closes the extra session, and a later log the same day starts another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class LogHead:
    """What grouping needs of a log; ``has_sets`` False: a bare "done" or "skipped"."""

    log_id: int
    local_date: date
    planned_id: int | None
    status: str
    has_sets: bool


def session_keys(logs: Iterable[LogHead]) -> dict[int, str]:
    """log id -> its session's key ("p<planned id>" or "x<date>#<n>"), for logs in the order they
    were made."""
    keys: dict[int, str] = {}
    extra_count: dict[date, int] = {}
    for log in logs:
        if log.planned_id is not None:
            keys[log.log_id] = f"p{log.planned_id}"
            continue
        number = extra_count.get(log.local_date, 0)
        keys[log.log_id] = f"x{log.local_date.isoformat()}#{number}"
        if log.status == "done" and not log.has_sets:  # "done": the next log starts afresh
            extra_count[log.local_date] = number + 1
    return keys


def is_marker(log: LogHead) -> bool:
    """A bare "done" closing an extra session: part of it, but nothing to show or count."""
    return log.planned_id is None and log.status == "done" and not log.has_sets
