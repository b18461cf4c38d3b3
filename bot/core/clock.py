"""One injectable clock for every caller that needs "now" (core, services, handlers).

Production code takes a ``Clock`` and never calls ``datetime.now()`` itself, so tests can move
time (a reminder due in a minute, a DST change, a week of streaks) without sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(slots=True)
class FixedClock:
    """A clock that stands still until moved (tests and benches)."""

    current: datetime = field(default_factory=lambda: datetime(2027, 1, 4, 12, tzinfo=UTC))

    def __post_init__(self) -> None:
        if self.current.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self.current = self.current.astimezone(UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> datetime:
        self.current += delta
        return self.current

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self.current = moment.astimezone(UTC)


SYSTEM_CLOCK = SystemClock()
