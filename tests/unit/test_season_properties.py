"""Every rule of issue 17 section 2 holds on the season plan, for any valid runner (hypothesis).

The numbers are read from data/rules.yaml, like the plan reads them; the checks restate each
rule on the output rather than calling the plan's own helpers.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli import plan as cli_plan
from bot.core.content import ContentStore
from bot.core.plans import (
    History,
    LoggedLift,
    PlannedWeek,
    Race,
    Runner,
    RunnerLevel,
    SeasonPlan,
    SeasonPlanner,
)
from bot.core.plans.moves import PLYOMETRIC_IDS
from tests.unit.season_support import MONDAY, RULES, expected_phase, heavy_allowed, planners

LEVELS: tuple[RunnerLevel, ...] = ("new", "some-experience", "experienced")
days_st = st.frozensets(st.integers(0, 6), min_size=1)


@st.composite
def runners(draw: st.DrawFn, with_race: bool | None = None) -> Runner:
    race = None
    if with_race is None:
        with_race = draw(st.booleans())
    if with_race:
        race_day = MONDAY + timedelta(days=draw(st.integers(-30, 40 * 7)))
        race = Race(race_day, draw(st.sampled_from(("5k", "10k", "half", "marathon", "ultra"))))
    return Runner(
        training_days=draw(days_st),
        long_run_day=draw(st.none() | st.integers(0, 6)),
        hard_run_days=draw(st.frozensets(st.integers(0, 6), max_size=3)),
        level=draw(st.sampled_from(LEVELS)),
        race=race,
    )


@pytest.fixture(scope="module")
def both(store: ContentStore) -> dict[str, SeasonPlanner]:
    return planners(store)


def _families(planner: SeasonPlanner, ids: list[str]) -> set[str]:
    return {planner.store.family_of(i) for i in ids}


def check_plan(planner: SeasonPlanner, runner: Runner, start: date, plan: SeasonPlan,
               full_weeks: bool) -> None:  # fmt: skip
    """Every rule of section 2 on one plan. ``full_weeks``: start is a Monday, no history."""
    season = RULES.season
    race_day = runner.race.day if runner.race else None
    hinge_days: list[date] = []
    plyo_store = bool(PLYOMETRIC_IDS & set(planner.store.entries))
    _check_problems(runner, plan)
    _check_taper_intensity(plan.weeks)
    for index, week in enumerate(plan.weeks):
        assert week.start == start - timedelta(days=start.weekday()) + timedelta(weeks=index)
        wanted = expected_phase(runner, week.start)
        if wanted is None:
            assert week.phase in ("base", "build")
        else:
            assert week.phase == wanted
        if week.phase not in ("base", "build"):
            assert not week.deload
        sessions = week.sessions
        assert len(sessions) <= season.sessions_per_week[week.phase].high
        assert [s.day for s in sessions] == sorted({s.day for s in sessions})
        for session in sessions:
            assert week.start <= session.day < week.start + timedelta(days=7)
            assert session.day >= start
            assert session.day.weekday() in runner.training_days
            assert session.day != race_day
            assert 1 <= len(session.exercises) <= RULES.session.exercises.high
            ids = [item.exercise for item in session.exercises]
            assert all(i in planner.store.entries for i in ids)
            for item in session.exercises:
                assert item.sets >= 1
                assert (item.reps is None) != (item.seconds is None)
                if runner.level == "new":
                    assert item.load != "heavy"
            if session.heavy:
                # No heavy legs within the clear hours before the long run, a hard run or the race.
                assert heavy_allowed(runner, session.day), (session.day, runner)
            else:
                assert all(item.load == "bodyweight" for item in session.exercises)
                assert "deadlift" not in _families(planner, ids)
                assert not PLYOMETRIC_IDS & set(ids)
                assert not {"bulgarian-split-squat", "side-lunge"} & set(ids)
            if "deadlift" in _families(planner, ids):
                hinge_days.append(session.day)
            plyo = [item for item in session.exercises if item.exercise in PLYOMETRIC_IDS]
            if plyo:
                assert runner.level != "new"
                assert week.phase == "build"
                assert len(plyo) == 1
                if not week.deload:
                    contacts = plyo[0].sets * (plyo[0].reps or 0)
                    span = RULES.plyometrics.contacts_per_session
                    assert span.low <= contacts <= span.high
        plyo_sessions = [s for s in sessions if PLYOMETRIC_IDS & {i.exercise for i in s.exercises}]
        assert len(plyo_sessions) <= RULES.plyometrics.sessions_per_week.high
        if week.phase == "race":
            for session in sessions:
                assert not session.heavy
                assert race_day is not None
                assert (race_day - session.day).days >= 2
                assert session.day.weekday() <= 2  # early in the week
        if week.phase == "recovery":
            assert all(not s.heavy for s in sessions)
        if full_weeks and week.phase in ("base", "build", "taper"):
            _check_days_used(runner, week)
        if week.phase == "taper":
            assert all(len(s.exercises) <= RULES.session.exercises.low for s in sessions)
        heavy_sessions = [s for s in sessions if s.heavy]
        if week.phase == "build" and runner.level != "new" and heavy_sessions and plyo_store:
            assert plyo_sessions  # plyometrics join the build for runners who are not new
    # Deadlift days: enough days between two, across week boundaries too; two a week at most.
    for first, second in itertools.pairwise(hinge_days):
        assert (second - first).days > RULES.spacing.days_between_heavy_hinge, hinge_days
    for week in plan.weeks:
        in_week = [d for d in hinge_days if week.start <= d < week.start + timedelta(days=7)]
        assert len(in_week) <= 2
    _check_deloads(plan.weeks)
    if full_weeks:
        _check_volumes(plan.weeks)


def _check_days_used(runner: Runner, week: PlannedWeek) -> None:
    """As many sessions as the phase asks and the days allow; a hard-run day is used for a
    heavy session before any easy day is; a light session only where no heavy day was left."""
    race_day = runner.race.day if runner.race else None
    days = [week.start + timedelta(days=i) for i in range(7)]
    usable = [d for d in days if d.weekday() in runner.training_days and d != race_day]
    high = RULES.season.sessions_per_week[week.phase].high
    assert len(week.sessions) == min(high, len(usable))
    heavy = {s.day for s in week.sessions if s.heavy}
    capable = {d for d in usable if heavy_allowed(runner, d)}
    assert len(heavy) == min(len(week.sessions), len(capable))
    hard_free = {d for d in capable - heavy if d.weekday() in runner.hard_run_days}
    easy_used = {d for d in heavy if d.weekday() not in runner.hard_run_days}
    assert not (hard_free and easy_used), (hard_free, easy_used)


def _check_problems(runner: Runner, plan: SeasonPlan) -> None:
    """Days that cannot satisfy the rules are named when they are set."""
    monday = date(2024, 1, 1)
    plain = Runner(runner.training_days, runner.long_run_day, runner.hard_run_days)
    eves = [d for d in runner.training_days if not heavy_allowed(plain, monday + timedelta(d))]
    too_few = len(runner.training_days) < RULES.season.sessions_per_week["base"].low
    assert bool(plan.problems) == (bool(eves) or too_few)


LOAD_RANK = {"bodyweight": 0, "light": 1, "moderate": 2, "heavy": 3}


def _check_taper_intensity(weeks: tuple[PlannedWeek, ...]) -> None:
    """The taper keeps the intensity: no exercise of the last build week gets a lighter load."""
    last_build: dict[str, int] = {}
    for week in weeks:
        loads = {i.exercise: LOAD_RANK[i.load] for s in week.sessions for i in s.exercises}
        if week.phase == "build" and not week.deload:
            last_build = loads
        elif week.phase == "taper":
            for exercise, rank in loads.items():
                assert rank >= last_build.get(exercise, 0), exercise


def _check_deloads(weeks: tuple[PlannedWeek, ...]) -> None:
    """Every 4th week of base and build is lighter: runs of loading weeks never longer than
    the cycle allows, deloads exactly one cycle apart."""
    cycle = RULES.season.deload_every_weeks
    streak = 0
    last_deload: int | None = None
    for index, week in enumerate(weeks):
        if week.phase not in ("base", "build"):
            streak, last_deload = 0, None
            continue
        if week.deload:
            if last_deload is not None:
                assert index - last_deload == cycle
            last_deload, streak = index, 0
        else:
            streak += 1
            assert streak <= cycle - 1


def _check_volumes(weeks: tuple[PlannedWeek, ...]) -> None:
    season = RULES.season
    normal: dict[str, list[int]] = {"base": [], "build": []}
    for week in weeks:
        if week.phase in normal and not week.deload:
            normal[week.phase].append(week.volume)
    for week in weeks:
        if week.phase in normal and week.deload and normal[week.phase]:
            reference = min(normal[week.phase])
            assert week.volume <= season.deload_volume * reference
            assert week.volume >= min(int(season.deload_volume * reference), len(week.sessions))
        if week.phase == "taper" and normal["build"]:
            # Volume at most 60% of build; intensity kept: no lighter load class than build's.
            assert week.volume <= season.taper_volume_max * min(normal["build"])


@settings(max_examples=300, deadline=None)
@given(runner=runners(), weeks_ahead=st.integers(0, 30), weeks=st.integers(1, 30),
       which=st.sampled_from(("today", "with-new-entries")))  # fmt: skip
def test_every_rule_holds_for_any_runner(
    both: dict[str, SeasonPlanner], runner: Runner, weeks_ahead: int, weeks: int, which: str
) -> None:
    planner = both[which]
    start = MONDAY + timedelta(weeks=weeks_ahead)
    plan = planner.plan(runner, start, weeks)
    assert len(plan.weeks) == weeks
    check_plan(planner, runner, start, plan, full_weeks=True)


@settings(max_examples=150, deadline=None)
@given(runner=runners(), offset=st.integers(0, 400), weeks=st.integers(1, 25),
       gap=st.integers(0, 40), missed=st.integers(0, 3), paused=st.booleans())  # fmt: skip
def test_rules_hold_mid_week_and_with_a_history(
    both: dict[str, SeasonPlanner], runner: Runner, offset: int, weeks: int, gap: int,
    missed: int, paused: bool,
) -> None:  # fmt: skip
    planner = both["with-new-entries"]
    start = MONDAY + timedelta(days=offset)
    last = start - timedelta(days=gap)
    history = History(
        lifts={
            "romanian-deadlift": LoggedLift("romanian-deadlift", last, 4, 8, None, 60.0),
            "squat": LoggedLift("squat", last - timedelta(days=1), 3, 12),
        },
        missed_in_a_row=missed,
        back_from_pause=paused,
    )
    plan = planner.plan(runner, start, weeks, history)
    check_plan(planner, runner, start, plan, full_weeks=False)
    hinge = [
        s.day
        for w in plan.weeks
        for s in w.sessions
        if any(planner.store.family_of(i.exercise) == "deadlift" for i in s.exercises)
    ]
    if hinge:  # the logged deadlift counts for the spacing too
        assert (hinge[0] - last).days > RULES.spacing.days_between_heavy_hinge
    # Loads from the log: a step up after a full session; the same after two misses in a row;
    # lower after a gap or a pause.
    jump = RULES.progression.smallest_jump_kg["dumbbell"]
    rdl = [i for w in plan.weeks for s in w.sessions for i in s.exercises
           if i.exercise == "romanian-deadlift"]  # fmt: skip
    for item in rdl:
        assert item.kg is not None
        if gap >= RULES.season.return_after_gap_days or paused:
            assert item.kg < 60.0
        elif missed >= 2:
            assert item.kg == 60.0
        else:
            assert item.kg == 60.0 + jump


@settings(max_examples=100, deadline=None)
@given(runner=runners(with_race=False), weeks_ahead=st.integers(0, 60))
def test_without_a_race_no_race_phases_and_blocks_alternate(
    both: dict[str, SeasonPlanner], runner: Runner, weeks_ahead: int
) -> None:
    plan = both["today"].plan(runner, MONDAY + timedelta(weeks=weeks_ahead), 24)
    phases = [w.phase for w in plan.weeks]
    assert set(phases) == {"base", "build"}
    # Blocks of one cycle: a phase changes only right after a deload week.
    for before, after in itertools.pairwise(plan.weeks):
        if before.phase != after.phase:
            assert before.deload


@settings(max_examples=60, deadline=None)
@given(runner=runners(), day_offset=st.integers(0, 300))
def test_this_week_is_the_same_week_as_in_the_whole_plan(
    both: dict[str, SeasonPlanner], runner: Runner, day_offset: int
) -> None:
    """What the handlers show for "this week" is the week of the season plan, whatever day
    of the week it is asked on."""
    planner = both["today"]
    day = MONDAY + timedelta(days=day_offset)
    week = planner.week_of(runner, day)
    assert week.start <= day < week.start + timedelta(days=7)
    whole = planner.plan(runner, MONDAY, day_offset // 7 + 1).weeks[-1]
    assert (week.phase, week.deload) == (whole.phase, whole.deload)
    assert [s.day for s in week.sessions] == [s.day for s in whole.sessions]


DAY_FLAGS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@settings(max_examples=40, deadline=None)
@given(runner=runners(), weeks_ahead=st.integers(0, 30), weeks=st.integers(1, 25))
def test_the_contract_command_prints_the_plan_these_rules_hold_on(
    store: ContentStore, runner: Runner, weeks_ahead: int, weeks: int
) -> None:
    """``python -m bot plan --json`` is the plan checked above, for any valid flags."""
    start = MONDAY + timedelta(weeks=weeks_ahead)
    days = ",".join(DAY_FLAGS[d] for d in sorted(runner.training_days))
    argv = ["plan", "--json", "--days", days, "--level", runner.level,
            "--from", start.isoformat(), "--weeks", str(weeks)]  # fmt: skip
    if runner.long_run_day is not None:
        argv += ["--long-run", DAY_FLAGS[runner.long_run_day]]
    if runner.hard_run_days:
        argv += ["--hard-runs", ",".join(DAY_FLAGS[d] for d in sorted(runner.hard_run_days))]
    if runner.race is not None:
        argv += ["--race", runner.race.day.isoformat(), "--distance", runner.race.distance]
    out = io.StringIO()
    parser = argparse.ArgumentParser()
    cli_plan.add_parser(parser.add_subparsers())
    assert cli_plan.run(parser.parse_args(argv), store, out=out) == 0
    planner = SeasonPlanner(store, RULES)
    assert json.loads(out.getvalue()) == planner.plan(runner, start, weeks).as_json()
