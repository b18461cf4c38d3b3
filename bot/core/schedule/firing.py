"""When a reminder fires: exact local-time arithmetic with zoneinfo (no hand-made offsets).

Rules (the CLI ``reminder-times`` and the dispatcher both use ``next_fires``):

* A local time that does not exist that day (spring forward) fires at the first valid instant
  after the gap (Berlin 02:30 on the last Sunday of March fires at 03:00 CEST).
* A local time that happens twice (fall back) fires once, at its first occurrence (fold=0).
* A calendar day that does not exist at all in a zone (Samoa skipped 30 Dec 2011), or whose gap
  pushes the time into the next day, gets no reminder: every fire falls on a chosen local
  weekday, at most one per local day.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ALL_DAYS: frozenset[int] = frozenset(range(7))  # 0 = Monday ... 6 = Sunday (date.weekday())
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_FULL_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ReminderRule:
    """Fire at ``at`` local wall-clock time in ``zone`` on each weekday in ``days``."""

    zone: ZoneInfo
    at: time
    days: frozenset[int] = ALL_DAYS

    def __post_init__(self) -> None:
        if not self.days:
            raise ValueError("a reminder needs at least one day")
        if not self.days <= ALL_DAYS:
            raise ValueError("days are 0 (Monday) to 6 (Sunday)")
        if self.at.tzinfo is not None:
            raise ValueError("the local time is a wall-clock time, without a zone")


def _aware_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("expected a timezone-aware datetime")
    return moment.astimezone(UTC)


def _gap_end(zone: ZoneInfo, wall: datetime) -> datetime:
    """The first instant whose local time is at or after ``wall``, a wall time inside a gap.

    With fold=0 zoneinfo maps a gap time with the offset before the transition (an instant after
    it); fold=1 uses the offset after (an instant before it). The transition lies between: find
    it to the second by bisection (local time only moves forward around a spring-forward).
    """
    late = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    early = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if early > late:
        early, late = late, early
    lo, hi = int(early.timestamp()), int(late.timestamp())
    while lo < hi:
        mid = (lo + hi) // 2
        local = datetime.fromtimestamp(mid, UTC).astimezone(zone).replace(tzinfo=None)
        if local >= wall:
            hi = mid
        else:
            lo = mid + 1
    found = datetime.fromtimestamp(lo, UTC)
    if found.second:  # historical offsets with seconds: the next whole minute
        found = found.replace(second=0) + timedelta(minutes=1)
    return found


def fire_instant(zone: ZoneInfo, day: date, at: time) -> datetime | None:
    """The UTC instant of ``at`` local time on local ``day``; None when that day has no such
    time (the gap pushes it into the next day, or the day is missing from the calendar)."""
    wall = datetime.combine(day, at)
    instant = wall.replace(tzinfo=zone).astimezone(UTC)  # fold=0: first occurrence
    back = instant.astimezone(zone).replace(tzinfo=None)
    if back == wall:
        return instant
    instant = _gap_end(zone, wall)
    if instant.astimezone(zone).date() != day:
        return None
    return instant


def next_fires(rule: ReminderRule, after: datetime) -> Iterator[datetime]:
    """Fire instants (UTC) strictly after ``after``, in order, without end."""
    after = _aware_utc(after)
    # Start the day before: a local date's instant can precede ``after``'s local date only by
    # a gap shift, never by more than a day.
    day = after.astimezone(rule.zone).date() - _ONE_DAY
    while True:
        if day.weekday() in rule.days:
            instant = fire_instant(rule.zone, day, rule.at)
            if instant is not None and instant > after:
                yield instant
        day += _ONE_DAY


def next_fire(rule: ReminderRule, after: datetime) -> datetime:
    """The first fire instant strictly after ``after``."""
    return next(next_fires(rule, after))


def fire_times(rule: ReminderRule, after: datetime, count: int) -> list[datetime]:
    found: list[datetime] = []
    if count <= 0:
        return found
    for instant in next_fires(rule, after):
        found.append(instant)
        if len(found) == count:
            break
    return found


def next_fire_outside(
    rule: ReminderRule, after: datetime, paused_until: datetime | None
) -> datetime:
    """The next fire strictly after ``after`` that is not inside a pause ending at
    ``paused_until`` (a fire exactly at the end of the pause is allowed)."""
    if paused_until is not None:
        paused_until = _aware_utc(paused_until)
        if paused_until > after:
            after = paused_until - timedelta(microseconds=1)
    return next_fire(rule, after)


def is_stale(fire_at: datetime, now: datetime, grace: timedelta) -> bool:
    """A reminder due while the bot was down is still sent within ``grace``; later, skipped."""
    return _aware_utc(now) - _aware_utc(fire_at) > grace


def local_day_end(zone: ZoneInfo, day: date) -> datetime:
    """The UTC instant the local ``day`` ends (next local midnight, or the first instant after
    it when midnight falls in a gap)."""
    following = day + _ONE_DAY
    instant = fire_instant(zone, following, time(0, 0))
    if instant is not None:
        return instant
    return _gap_end(zone, datetime.combine(following, time(0, 0)))


def local_midnight(zone: ZoneInfo, day: date) -> datetime:
    """The UTC instant local ``day`` starts."""
    return local_day_end(zone, day - _ONE_DAY)


def format_utc(moment: datetime) -> str:
    """ISO 8601, UTC, seconds, ``Z``: ``2027-03-29T00:30:00Z``."""
    return _aware_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    """An ISO 8601 instant with an offset or ``Z``. Raises ValueError for a naive one."""
    moment = datetime.fromisoformat(text.strip().replace("z", "Z").replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no offset: write it in UTC, like 2027-03-26T00:00:00Z")
    return moment.astimezone(UTC)


def days_label(days: frozenset[int]) -> str:
    if days == ALL_DAYS:
        return "every day"
    if days == frozenset(range(5)):
        return "weekdays"
    if days == frozenset({5, 6}):
        return "weekends"
    return " ".join(DAY_NAMES[d] for d in sorted(days))
