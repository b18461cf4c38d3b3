"""Reading times, days, zones, pauses and reminder requests; bad input is a friendly Problem."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.core.schedule import (
    ALL_DAYS,
    OffsetMatch,
    PauseSpec,
    Problem,
    ReminderIntent,
    StopIntent,
    ZoneMatch,
    is_reminder_request,
    parse_days,
    parse_intent,
    parse_pause,
    parse_time,
    resolve_zone,
    zones_for_local_time,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:30", time(7, 30)),
        ("7:30", time(7, 30)),
        ("7am", time(7, 0)),
        ("7 AM", time(7, 0)),
        ("18h", time(18, 0)),
        ("18h30", time(18, 30)),
        ("6.30pm", time(18, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("0730", time(7, 30)),
        ("noon", time(12, 0)),
        ("at 6:05", time(6, 5)),
    ],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:99", "24:00", "13pm", "7:60", "soon", "", "7:3"])
def test_bad_times_are_problems_with_an_example(text: str) -> None:
    found = parse_time(text)
    assert isinstance(found, Problem)
    assert "07:30" in found.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon wed fri", {0, 2, 4}),
        ("mon,wed,fri", {0, 2, 4}),
        ("weekdays", {0, 1, 2, 3, 4}),
        ("every day", set(range(7))),
        ("mon and thu", {0, 3}),
        ("Tuesdays & Saturdays", {1, 5}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("fri-mon", {4, 5, 6, 0}),
        ("weekends", {5, 6}),
    ],
)
def test_days(text: str, expected: set[int]) -> None:
    assert parse_days(text) == frozenset(expected)


@pytest.mark.parametrize("text", ["", "blursday", "and"])
def test_bad_days(text: str) -> None:
    found = parse_days(text)
    assert isinstance(found, Problem)
    assert "mon wed fri" in found.message


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("in Kathmandu", "Asia/Kathmandu"),
        ("UTC", "UTC"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_zones(text: str, zone: str) -> None:
    assert resolve_zone(text) == ZoneMatch(zone)


def test_unknown_zone_is_a_problem_with_an_example() -> None:
    found = resolve_zone("Atlantis")
    assert isinstance(found, Problem)
    assert "Berlin" in found.message


def test_local_time_gives_the_offset_and_its_zones() -> None:
    now = datetime(2027, 1, 10, 17, 38, 20, tzinfo=UTC)
    found = zones_for_local_time("it's 18:40 here", now)
    assert isinstance(found, OffsetMatch)
    assert found.offset == timedelta(hours=1)
    assert found.label == "UTC+01:00"
    assert found.zones[0] == "Europe/Berlin"
    assert "America/New_York" not in found.zones
    kathmandu = zones_for_local_time("it's 11:25pm", datetime(2027, 1, 10, 17, 41, tzinfo=UTC))
    assert isinstance(kathmandu, OffsetMatch)
    assert kathmandu.zones == ("Asia/Kathmandu",)
    # Yesterday's evening in New York while it is already tomorrow in UTC.
    new_york = zones_for_local_time("it is 9pm", datetime(2027, 7, 11, 1, 0, tzinfo=UTC))
    assert isinstance(new_york, OffsetMatch)
    assert new_york.offset == timedelta(hours=-4)
    assert "America/New_York" in new_york.zones


def test_local_time_without_a_time() -> None:
    assert isinstance(zones_for_local_time("it's late here", datetime.now(UTC)), Problem)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("remind me every weekday at 7am", ReminderIntent(time(7), frozenset(range(5)))),
        ("remind me mon and thu at 6:30pm", ReminderIntent(time(18, 30), frozenset({0, 3}))),
        ("Remind me at 7 on weekends", ReminderIntent(time(7), frozenset({5, 6}))),
        ("please remind me at 18h", ReminderIntent(time(18), None)),
        ("set a reminder for 06:45 every day", ReminderIntent(time(6, 45), ALL_DAYS)),
        ("stop reminding me", StopIntent()),
        ("Stop the reminders please", StopIntent()),
        ("no more reminders", StopIntent()),
    ],
)
def test_reminder_intents(text: str, expected: object) -> None:
    assert parse_intent(text) == expected
    assert is_reminder_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "how do I do a glute bridge",
        "what time should I do squats at 7pm?",
        "should I lift on my long run day",
        "deadlifts on monday?",
    ],
)
def test_questions_are_not_reminder_requests(text: str) -> None:
    assert parse_intent(text) is None
    assert not is_reminder_request(text)


def test_reminder_request_without_a_time_or_a_bad_one() -> None:
    assert isinstance(parse_intent("remind me to do my squats"), Problem)
    bad = parse_intent("remind me at 25:99")
    assert isinstance(bad, Problem)
    assert "25:99" in bad.message


TODAY = date(2027, 1, 4)


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("", None),
        ("indefinitely", None),
        ("for 10 days", date(2027, 1, 14)),
        ("10 days", date(2027, 1, 14)),
        ("2 weeks", date(2027, 1, 18)),
        ("a week", date(2027, 1, 11)),
        ("until 2027-01-15", date(2027, 1, 15)),
        ("2027-02-01", date(2027, 2, 1)),
    ],
)
def test_pauses(text: str, until: date | None) -> None:
    assert parse_pause(text, TODAY) == PauseSpec(until)


@pytest.mark.parametrize(
    "text", ["until 2026-12-01", "until 2027-02-30", "for 0 days", "for 900 days", "forever-ish"]
)
def test_bad_pauses(text: str) -> None:
    found = parse_pause(text, TODAY)
    assert isinstance(found, Problem)
    assert "/pause" in found.message
