"""Fire-instant arithmetic: DST gaps and overlaps in six zones, pauses, grace, and properties."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.clock import FixedClock
from bot.core.schedule import (
    ALL_DAYS,
    ReminderRule,
    fire_instant,
    fire_times,
    format_utc,
    is_stale,
    local_day_end,
    local_midnight,
    next_fire,
    next_fire_outside,
    parse_utc,
)


def _utc(text: str) -> datetime:
    return parse_utc(text)


def _rule(zone: str, at: str, days: frozenset[int] = ALL_DAYS) -> ReminderRule:
    hour, minute = (int(p) for p in at.split(":"))
    return ReminderRule(ZoneInfo(zone), time(hour, minute), days)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # Spring forward: the first valid instant after the gap.
        ("Europe/Berlin", "2027-03-28", "02:30", "2027-03-28T01:00:00Z"),
        ("America/New_York", "2027-03-14", "02:30", "2027-03-14T07:00:00Z"),
        ("Australia/Lord_Howe", "2027-10-03", "02:15", "2027-10-02T15:30:00Z"),  # 30-min DST
        ("America/Santiago", "2027-09-05", "00:30", "2027-09-05T04:00:00Z"),  # midnight gap
        ("Africa/Casablanca", "2027-03-14", "02:30", "2027-03-14T02:00:00Z"),
        # Fall back: the first occurrence.
        ("Europe/Berlin", "2027-10-31", "02:30", "2027-10-31T00:30:00Z"),
        ("America/New_York", "2027-11-07", "01:30", "2027-11-07T05:30:00Z"),
        ("Australia/Lord_Howe", "2027-04-04", "01:45", "2027-04-03T14:45:00Z"),
        ("America/Santiago", "2027-04-03", "23:30", "2027-04-04T02:30:00Z"),
        ("Africa/Casablanca", "2027-02-07", "02:30", "2027-02-07T01:30:00Z"),
        # No DST, odd offset.
        ("Asia/Kathmandu", "2027-06-01", "07:00", "2027-06-01T01:15:00Z"),
        # Ordinary days either side.
        ("Europe/Berlin", "2027-03-27", "02:30", "2027-03-27T01:30:00Z"),
        ("Europe/Berlin", "2027-03-29", "02:30", "2027-03-29T00:30:00Z"),
    ],
)
def test_fire_instant_around_transitions(zone: str, day: str, at: str, expected: str) -> None:
    hour, minute = (int(p) for p in at.split(":"))
    found = fire_instant(ZoneInfo(zone), date.fromisoformat(day), time(hour, minute))
    assert found is not None
    assert format_utc(found) == expected


def test_the_issue_example() -> None:
    rule = _rule("Europe/Berlin", "02:30", frozenset({0, 2, 4}))
    fires = [format_utc(t) for t in fire_times(rule, _utc("2027-03-26T00:00:00Z"), 5)]
    assert fires == [
        "2027-03-26T01:30:00Z",
        "2027-03-29T00:30:00Z",
        "2027-03-31T00:30:00Z",
        "2027-04-02T00:30:00Z",
        "2027-04-05T00:30:00Z",
    ]


def test_fall_back_fires_once() -> None:
    rule = _rule("America/New_York", "01:30")
    fires = fire_times(rule, _utc("2027-11-06T12:00:00Z"), 3)
    assert [format_utc(t) for t in fires] == [
        "2027-11-07T05:30:00Z",  # 01:30 EDT; the 01:30 EST an hour later is not a second fire
        "2027-11-08T06:30:00Z",
        "2027-11-09T06:30:00Z",
    ]


def test_strictly_after() -> None:
    rule = _rule("Europe/Berlin", "07:00")
    fire = _utc("2027-01-04T06:00:00Z")
    assert next_fire(rule, fire) == fire + timedelta(days=1)
    assert next_fire(rule, fire - timedelta(seconds=1)) == fire


def test_a_day_missing_from_the_calendar_gets_no_reminder() -> None:
    # Samoa jumped over Friday 30 December 2011.
    rule = _rule("Pacific/Apia", "07:00", frozenset({4, 5}))
    fires = fire_times(rule, _utc("2011-12-25T00:00:00Z"), 2)
    local = [t.astimezone(rule.zone).date() for t in fires]
    assert local == [date(2011, 12, 31), date(2012, 1, 6)]


def test_pause_window_skips_fires_inside_it() -> None:
    rule = _rule("Europe/Berlin", "07:00")
    resume = local_midnight(rule.zone, date(2027, 1, 15))
    found = next_fire_outside(rule, _utc("2027-01-04T12:00:00Z"), resume)
    assert found.astimezone(rule.zone) == datetime(2027, 1, 15, 7, tzinfo=rule.zone)
    assert next_fire_outside(rule, _utc("2027-01-20T12:00:00Z"), resume) == _utc(
        "2027-01-21T06:00:00Z"
    )


def test_grace_window() -> None:
    clock = FixedClock(_utc("2027-01-04T07:00:00Z"))
    due = _utc("2027-01-04T06:30:00Z")
    assert not is_stale(due, clock.now(), timedelta(hours=1))
    clock.advance(timedelta(minutes=31))
    assert is_stale(due, clock.now(), timedelta(hours=1))


def test_day_bounds_follow_the_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert local_day_end(berlin, date(2027, 3, 27)) == _utc("2027-03-27T23:00:00Z")
    assert local_day_end(berlin, date(2027, 3, 28)) == _utc("2027-03-28T22:00:00Z")
    santiago = ZoneInfo("America/Santiago")  # midnight does not exist on 5 Sep 2027
    assert local_midnight(santiago, date(2027, 9, 5)) == _utc("2027-09-05T04:00:00Z")


def test_rule_needs_days() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        ReminderRule(ZoneInfo("UTC"), time(7), frozenset())


def test_naive_after_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_fire(_rule("UTC", "07:00"), datetime(2027, 1, 1))  # noqa: DTZ001


ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/Santiago",
    "Africa/Casablanca",
    "Pacific/Apia",
    "Pacific/Chatham",
    "America/St_Johns",
    "Asia/Tehran",
    "Europe/London",
    "UTC",
]


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    days=st.frozensets(st.integers(0, 6), min_size=1),
    after=st.datetimes(
        min_value=datetime(1990, 1, 1),  # noqa: DTZ001
        max_value=datetime(2060, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
)
def test_fire_properties(zone: str, at: time, days: frozenset[int], after: datetime) -> None:
    rule = ReminderRule(ZoneInfo(zone), at, days)
    fires = fire_times(rule, after, 15)
    assert len(fires) == 15
    assert fires[0] > after
    assert all(a < b for a, b in itertools.pairwise(fires))
    local_days = [t.astimezone(rule.zone).date() for t in fires]
    assert all(d.weekday() in days for d in local_days)
    assert len(set(local_days)) == len(local_days)
    for fire in fires:
        local = fire.astimezone(rule.zone)
        assert fire.tzinfo is UTC
        # At the chosen time, or (that time falling in a gap) the first instant after it.
        assert local.time() >= at
        if local.time() != at:
            wall = datetime.combine(local.date(), at, tzinfo=rule.zone)
            assert wall.astimezone(UTC).astimezone(rule.zone).time() != at  # it does not exist
            before = (fire - timedelta(seconds=1)).astimezone(rule.zone).replace(tzinfo=None)
            assert before < datetime.combine(local.date(), at)
    # Nothing was skipped: no fire-able day lies between consecutive fires.
    for previous, current in itertools.pairwise(fires):
        assert next_fire(rule, previous) == current
