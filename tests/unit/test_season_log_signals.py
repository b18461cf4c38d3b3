"""What the season planner reads of the log besides the lifts (issues 17 and 19): a skip for
pain keeps the skipped session's loads and brings the matching physio line; a partly logged
planned session progresses only the exercises whose prescribed sets and reps were done."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.core.content import ContentStore
from bot.core.plans import PainSkip, Runner, SeasonPlanner
from bot.core.stats import LoggedSet, PlannedDay, PlannedWork
from bot.services.season_inputs import LogReading, history_from
from tests.unit.season_support import MONDAY, RULES

MON, THU, SUN = 0, 3, 6
LAST_WEEK = MONDAY - timedelta(days=7)  # a Monday: the planned session the log is about
SESSION = (
    PlannedWork("goblet-squat", 3, 10),
    PlannedWork("romanian-deadlift", 3, 8),
    PlannedWork("calf-raise", 3, 12),
)
RUNNER = Runner(frozenset({MON, THU}), SUN, level="new")


@pytest.fixture(scope="module")
def reading(store: ContentStore) -> LogReading:
    return LogReading.of(store)


@pytest.fixture(scope="module")
def planner(store: ContentStore) -> SeasonPlanner:
    return SeasonPlanner(store, RULES)


def _sets(log: int, day: date, exercise: str, reps: list[int], kg: float | None,
          session: str = "") -> list[LoggedSet]:  # fmt: skip
    return [
        LoggedSet(log, day, "done", True, "", 0, exercise, index, r, kg, False, session=session)
        for index, r in enumerate(reps, start=1)
    ]


def _skip(log: int, day: date, note: str) -> LoggedSet:
    return LoggedSet(log, day, "skipped", True, note, -1, "", 0, 0, None, False)


def _kg(planner: SeasonPlanner, reading: LogReading, logged: list[LoggedSet],
        planned: list[PlannedDay], exercise: str) -> set[float | None]:  # fmt: skip
    """The loads this week's plan gives ``exercise`` from that log."""
    history = history_from(logged, planned, [], MONDAY, reading)
    week = planner.plan(RUNNER, MONDAY, 1, history).weeks[0]
    found = {i.kg for s in week.sessions for i in s.exercises if i.exercise == exercise}
    assert found, f"{exercise} is not in this week's plan"
    return found


def test_a_skip_for_pain_marks_the_skipped_session_s_exercises(reading: LogReading) -> None:
    note = "skipped today, knee hurts"
    logged = [*_sets(1, LAST_WEEK, "goblet-squat", [10, 10, 10], 16.0), _skip(2, MONDAY, note)]
    planned = [PlannedDay(LAST_WEEK, "done", SESSION), PlannedDay(MONDAY, "skipped", SESSION)]
    history = history_from(logged, planned, [], MONDAY, reading)
    assert history.pain == tuple(PainSkip(item.move, note) for item in SESSION)

    busy = [*logged[:-1], _skip(2, MONDAY, "skipped, too busy today")]
    assert history_from(busy, planned, [], MONDAY, reading).pain == ()
    # A session done since the skip: the pain is behind the runner.
    later = [*logged, *_sets(3, MONDAY + timedelta(days=3), "squat", [10], None)]
    assert history_from(later, planned, [], MONDAY + timedelta(days=4), reading).pain == ()


def test_a_pain_skip_keeps_the_load_and_gives_one_physio_line_for_the_sore_part(
    planner: SeasonPlanner, reading: LogReading
) -> None:
    done = _sets(1, LAST_WEEK, "goblet-squat", [10, 10, 10], 16.0)
    planned = [PlannedDay(LAST_WEEK, "done", SESSION)]
    assert _kg(planner, reading, done, planned, "goblet-squat") == {18.0}  # progressed

    skipped = [*planned, PlannedDay(MONDAY - timedelta(days=4), "skipped", SESSION)]
    logged = [*done, _skip(2, MONDAY - timedelta(days=4), "skipped today, knee hurts")]
    assert _kg(planner, reading, logged, skipped, "goblet-squat") == {16.0}  # kept
    history = history_from(logged, skipped, [], MONDAY, reading)
    [advice] = planner.plan(RUNNER, MONDAY, 1, history).advice
    assert "knee" in advice.text
    assert "physio" in advice.text
    assert advice.text in planner.store.entries[advice.exercise].topic_text("mistakes") + (
        planner.store.entries[planner.store.family_of(advice.exercise)].topic_text("mistakes")
    )


def test_a_partly_logged_session_progresses_only_what_met_its_prescription(
    planner: SeasonPlanner, reading: LogReading
) -> None:
    """Goblet squats 2 of 3 sets: short, the load stays; Romanian deadlifts 3 x 8 over two
    messages of the session: done, the load goes up; calf raises not logged: not progressed."""
    planned = [PlannedDay(LAST_WEEK, "done", SESSION)]
    logged = [
        *_sets(1, LAST_WEEK, "goblet-squat", [10, 10], 16.0, session="p7"),
        *_sets(1, LAST_WEEK, "romanian-deadlift", [8, 8], 40.0, session="p7"),
        *_sets(2, LAST_WEEK, "romanian-deadlift", [8], 40.0, session="p7"),
    ]
    history = history_from(logged, planned, [], MONDAY, reading)
    assert not history.lifts["goblet-squat"].completed
    rdl = history.lifts["romanian-deadlift"]
    assert (rdl.sets, rdl.completed) == (3, True)
    assert "calf-raise" not in history.lifts
    assert _kg(planner, reading, logged, planned, "goblet-squat") == {16.0}
    assert _kg(planner, reading, logged, planned, "romanian-deadlift") == {42.0}

    # The same sets with reps short of the prescription: not completed either.
    short = [*_sets(1, LAST_WEEK, "romanian-deadlift", [8, 8, 6], 40.0, session="p7")]
    assert (
        not history_from(short, planned, [], MONDAY, reading).lifts["romanian-deadlift"].completed
    )
    # A lift of the family counts for the prescribed move ("squats" for goblet squats).
    family = _sets(1, LAST_WEEK, "squat", [10, 10, 10], None, session="p7")
    assert history_from(family, planned, [], MONDAY, reading).lifts["squat"].completed
    # With nothing prescribed (an extra session), the sets logged are the session.
    extra = [replace(s, planned=False) for s in _sets(1, LAST_WEEK, "goblet-squat", [10], 16.0)]
    assert history_from(extra, planned, [], MONDAY, reading).lifts["goblet-squat"].completed
