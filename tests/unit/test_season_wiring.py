"""What the season commands read (race, hard runs, level, weekly check-in), the planner's
inputs built from the log, and the week in review of the check-in."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from bot.core.plans.season_model import Race
from bot.core.plans.season_text import (
    WeeklySpec,
    parse_hard_runs,
    parse_level,
    parse_race,
    parse_weekly,
)
from bot.core.schedule import Problem
from bot.core.stats import LoggedSet, Pause, PlannedDay
from bot.core.stats.weekly import WeekBest, review_week
from bot.db import seasons as seasons_db
from bot.db.engine import create_engine, migrate, session_factory
from bot.db.models import User
from bot.db.schedules import days_to_mask
from bot.db.season_models import RunnerSeason
from bot.db.training_models import ReminderSchedule
from bot.services.season_inputs import history_from, runner_of

TODAY = date(2027, 1, 4)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-04-18 marathon", Race(date(2027, 4, 18), "marathon")),
        ("marathon 2027-04-18", Race(date(2027, 4, 18), "marathon")),
        ("2027-04-18 Half Marathon", Race(date(2027, 4, 18), "half")),
        ("2027-3-7 10K", Race(date(2027, 3, 7), "10k")),
        ("off", None),
    ],
)
def test_races_are_read_in_either_order(text: str, expected: Race | None) -> None:
    assert parse_race(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Send it like"),
        ("2027-02-30 5k", "There is no 2027-02-30"),
        ("2027-01-04 5k", "That date has passed"),
        ("2030-01-01 5k", "more than two years away"),
        ("2027-04-18 sprint", "Which distance is it?"),
        ("april marathon", "year-month-day"),
    ],
)
def test_a_race_that_cannot_be_used_says_why(text: str, says: str) -> None:
    found = parse_race(text, TODAY)
    assert isinstance(found, Problem)
    assert says in found.message


def test_hard_runs_levels_and_the_weekly_time() -> None:
    assert parse_hard_runs("tue thu") == frozenset({1, 3})
    assert parse_hard_runs("none") == frozenset()
    assert isinstance(parse_hard_runs("every day"), Problem)
    assert isinstance(parse_hard_runs("blursday"), Problem)
    assert parse_level("Some experience") == "some-experience"
    assert parse_level("beginner") == "new"
    assert isinstance(parse_level("wizard"), Problem)
    assert parse_weekly("sun 19:00") == WeeklySpec(True, 6, time(19, 0))
    assert parse_weekly("7pm sat") == WeeklySpec(True, 5, time(19, 0))
    assert parse_weekly("off") == WeeklySpec(False)
    assert isinstance(parse_weekly("mon tue"), Problem)
    assert isinstance(parse_weekly("sun 25:00"), Problem)


def _schedule(days: set[int], long_run: int | None, level: str = "beginner") -> ReminderSchedule:
    return ReminderSchedule(user_id=1, chat_id=1, days=days_to_mask(days), sessions_per_week=2,
                            long_run_day=long_run, level=level)  # fmt: skip


def test_the_runner_as_the_planner_sees_them() -> None:
    season = RunnerSeason(user_id=1, chat_id=1, hard_run_days=days_to_mask({1, 6}),
                          level="experienced", race_date=date(2027, 4, 18),
                          race_distance="marathon")  # fmt: skip
    runner = runner_of(_schedule({0, 3}, 6), season)
    assert runner.training_days == {0, 3}
    assert runner.hard_run_days == {1}  # the long run is not also a hard run
    assert runner.level == "experienced"
    assert runner.race == Race(date(2027, 4, 18), "marathon")
    plain = runner_of(_schedule(set(), None, "experienced"), None)
    assert len(plain.training_days) == 2  # suggested while none are set
    assert plain.level == "experienced"
    assert plain.race is None
    broken = RunnerSeason(user_id=1, chat_id=1, hard_run_days=0, level="guru",
                          race_date=date(2027, 4, 18), race_distance="sprint")  # fmt: skip
    assert runner_of(None, broken).level == "new"
    assert runner_of(None, broken).race is None


def _set(log: int, day: date, exercise: str, reps: int, kg: float | None, index: int = 1,
         status: str = "done") -> LoggedSet:  # fmt: skip
    return LoggedSet(log, day, status, True, "", 0, exercise, index, reps, kg, False)


def test_history_from_the_log() -> None:
    logged = [
        _set(1, date(2026, 12, 14), "goblet-squat", 10, 12.0),
        _set(2, date(2026, 12, 21), "goblet-squat", 8, 16.0),
        _set(2, date(2026, 12, 21), "goblet-squat", 8, 14.0, index=2),
    ]
    planned = [PlannedDay(date(2026, 12, 21), "done"), PlannedDay(date(2026, 12, 24), "missed"),
               PlannedDay(date(2026, 12, 28), "skipped"), PlannedDay(TODAY, "sent")]  # fmt: skip
    history = history_from(logged, planned, [(date(2026, 12, 29), date(2027, 1, 2))], TODAY)
    lift = history.lifts["goblet-squat"]
    assert (lift.day, lift.sets, lift.reps, lift.kg) == (date(2026, 12, 21), 2, 8, 16.0)
    assert history.missed_in_a_row == 2  # today's open session is not counted
    assert history.back_from_pause
    assert history.started == date(2026, 12, 14)


def test_the_week_in_review() -> None:
    monday = TODAY
    logged = [
        _set(1, date(2026, 12, 28), "goblet-squat", 10, 12.0),
        _set(1, date(2026, 12, 28), "glute-bridge", 12, None),
        _set(2, monday, "goblet-squat", 8, 16.0),
        _set(2, monday, "goblet-squat", 8, 16.0, index=2),
        _set(3, date(2027, 1, 7), "glute-bridge", 15, None),
        _set(3, date(2027, 1, 7), "calf-raise", 20, None),  # a first: no "new" best
    ]
    planned = [
        PlannedDay(date(2026, 12, 28), "done"),
        PlannedDay(monday, "done"),
        PlannedDay(date(2027, 1, 7), "done"),
        PlannedDay(date(2027, 1, 9), "missed"),
    ]
    review = review_week(logged, planned, [Pause(date(2027, 1, 9), date(2027, 1, 9))],
                         date(2027, 1, 10))  # fmt: skip
    assert (review.planned, review.planned_done, review.sets) == (3, 2, 4)
    assert review.volume_kg == 2 * 8 * 16.0
    assert review.bests == (WeekBest("glute-bridge", "reps", 15.0),
                            WeekBest("goblet-squat", "weight", 16.0))  # fmt: skip
    assert review.streak == 3  # the missed day fell in a pause


async def test_runners_with_a_time_zone_get_the_default_check_in_on_upgrade(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    try:
        await migrate(engine, "0009_own_exercises")
        now = datetime(2027, 1, 4, 5, 0, tzinfo=UTC)
        async with session_factory(engine).begin() as db:
            await db.execute(insert(User), [
                {"id": i, "chat_id": i, "first_name": "R", "created_at": now,
                 "last_seen_at": now} for i in (1, 2)
            ])  # fmt: skip
            await db.execute(insert(ReminderSchedule), [
                {"user_id": 1, "chat_id": 1, "zone": "Europe/Berlin", "days": 0,
                 "created_at": now, "updated_at": now, "progress": {}},
                {"user_id": 2, "chat_id": 2, "zone": None, "days": 0, "created_at": now,
                 "updated_at": now, "progress": {}},
            ])  # fmt: skip
        await migrate(engine)
        async with session_factory(engine)() as db:
            row = await seasons_db.get(db, 1)
            assert row is not None
            assert row.checkin_on
            assert row.checkin_next_at is not None
            local = row.checkin_next_at.astimezone(ZoneInfo("Europe/Berlin"))
            assert (local.weekday(), local.hour, local.minute) == (6, 18, 0)
            assert await seasons_db.get(db, 2) is None  # no zone yet: none
    finally:
        await engine.dispose()
