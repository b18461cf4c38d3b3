"""Sets, reps, load class and weight of one exercise in one week, from the coaching rules.

* Main lifts (squat, single leg, hinge): the technique goal for new lifters and in a runner's
  first technique weeks, then the strength goal (the accessory goal for single-leg lifts and
  bodyweight moves, where the rules state one); calves and bridges the endurance goal;
  plyometrics the power goal with ground contacts per session from the plyometrics rules.
* Within a deload cycle a loaded lift gets heavier and fewer reps week by week (the top of the
  goal's range down to its bottom); a bodyweight move gets more reps.
* Weights start from the log (the exercise, else its family), else from the level's default;
  a completed last session adds the smallest jump; two missed sessions in a row or a pain skip
  keep the weight; a gap or a pause restarts lower.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import cast

from bot.core.coaching.rules import CoachingRules, GoalRule, Range
from bot.core.plans.moves import LOADED, PLYOMETRIC_IDS, MoveTable, Slot
from bot.core.plans.season_model import (
    RUNNER_LEVELS,
    History,
    LoadClass,
    LoggedLift,
    PlannedExercise,
    RunnerLevel,
)

MAIN_SLOTS: frozenset[Slot] = frozenset({"squat", "single-leg", "hinge"})
# Back after a gap or a pause: this share of the last weight (a coaching default; the rules
# file does not state one yet).
RETURN_LOAD_SHARE = 0.8


def _level_index(level: RunnerLevel) -> int:
    return RUNNER_LEVELS.index(level)


def _within(span: Range, level: RunnerLevel) -> int:
    """New lifters at the bottom of a range, experienced ones at the top."""
    return span.low + (span.high - span.low) * _level_index(level) // 2


def _stepped(span: Range, cycle_week: int, cycle: int, rising: bool) -> int:
    """A value that moves across ``span`` over the loading weeks of a deload cycle."""
    loading = max(1, cycle - 2)
    step = min(cycle_week, loading) if cycle_week < cycle - 1 else 0
    moved = (span.high - span.low) * step // loading
    return span.low + moved if rising else span.high - moved


@dataclass(frozen=True, slots=True)
class Dose:
    sets: int
    reps: int
    load: LoadClass


class Dosage:
    def __init__(self, rules: CoachingRules, moves: MoveTable) -> None:
        self._rules = rules
        self._moves = moves
        self._doses: dict[tuple[Slot, str, RunnerLevel, int, bool], Dose] = {}

    def _goal_named(self, name: str) -> GoalRule | None:
        """A goal by name; None when the rules file does not state it (yet)."""
        return cast(Mapping[str, GoalRule], self._rules.goals).get(name)

    def dose(
        self, slot: Slot, exercise: str, level: RunnerLevel, cycle_week: int, technique: bool
    ) -> Dose:
        key = (slot, exercise, level, cycle_week, technique)
        found = self._doses.get(key)
        if found is None:
            found = self._doses[key] = self._dose(slot, exercise, level, cycle_week, technique)
        return found

    def _dose(
        self, slot: Slot, exercise: str, level: RunnerLevel, cycle_week: int, technique: bool
    ) -> Dose:
        goals = self._rules.goals
        cycle = self._rules.season.deload_every_weeks
        loaded = exercise in LOADED
        if slot not in MAIN_SLOTS:  # calves and bridges: higher reps
            goal = goals["endurance"]
            sets = _within(goal.sets, level)
            reps = _stepped(goal.reps, cycle_week, cycle, rising=not loaded)
            load: LoadClass = (
                "bodyweight" if not loaded else "light" if level == "new" else "moderate"
            )
            return Dose(sets, reps, load)
        # The week's sets follow the level's main goal whatever the reps, so that a week's volume
        # does not depend on which lifts it rotates to.
        sets = _within((goals["technique"] if level == "new" else goals["strength"]).sets, level)
        single_leg = slot == "single-leg" or exercise == "single-leg-romanian-deadlift"
        if technique or level == "new":
            goal = goals["technique"]
        elif single_leg or not loaded:
            goal = self._goal_named("accessory") or goals["technique" if not loaded else "strength"]
        else:
            goal = goals["strength"]
        reps = _stepped(goal.reps, cycle_week, cycle, rising=not loaded)
        if not loaded:
            load = "bodyweight"
        elif goal is goals["technique"]:
            load = "light"
        elif level == "experienced" and goal is goals["strength"]:
            load = "heavy"
        else:
            load = "moderate"
        return Dose(sets, reps, load)

    def plyometric(self, exercise: str, level: RunnerLevel, cycle_week: int) -> PlannedExercise:
        """Ground contacts within the session range, rising over the cycle for the experienced."""
        plyo = self._rules.plyometrics.contacts_per_session
        sets = _within(self._rules.goals["power"].sets, level)
        contacts = plyo.low
        if level == "experienced":
            contacts = _stepped(plyo, cycle_week, self._rules.season.deload_every_weeks, True)
        reps = max(1, contacts // sets)
        if sets * reps < plyo.low:
            reps += 1
        return PlannedExercise(exercise, sets, reps, None, "bodyweight", None, plyometric=True)

    def light(self, exercise: str, slot: Slot) -> PlannedExercise:
        goal = self._rules.goals["technique" if slot in MAIN_SLOTS else "endurance"]
        return PlannedExercise(exercise, goal.sets.low, goal.reps.low, None, "bodyweight")

    # --- weights ---------------------------------------------------------------------------

    def _jump(self, exercise: str) -> float:
        jumps = self._rules.progression.smallest_jump_kg
        return jumps.get(LOADED[exercise].equipment, min(jumps.values(), default=2.5))

    def _logged(self, exercise: str, history: History) -> LoggedLift | None:
        own = history.lifts.get(exercise)
        if own is not None and own.kg is not None:
            return own
        family = self._moves.family_of(exercise)
        same_family = [
            lift
            for lift in history.lifts.values()
            if lift.kg is not None
            and lift.exercise in LOADED
            and self._moves.has(lift.exercise)
            and self._moves.family_of(lift.exercise) == family
        ]
        return max(same_family, key=lambda lift: lift.day, default=None)

    def kg(self, exercise: str, level: RunnerLevel, history: History, start: date) -> float | None:
        if exercise not in LOADED:
            return None
        logged = self._logged(exercise, history)
        if logged is None or logged.kg is None:
            return LOADED[exercise].start_kg[_level_index(level)]
        if self.returning(history, start):
            return _half_kg(logged.kg * RETURN_LOAD_SHARE)
        if (
            logged.exercise == exercise
            and logged.completed
            and history.missed_in_a_row < 2
            and not self.in_pain(exercise, history)
        ):
            return _half_kg(logged.kg + self._jump(exercise))
        return logged.kg

    def returning(self, history: History, start: date) -> bool:
        """Back after a pause, or after a gap long enough that loads restart lower."""
        last = history.last_session()
        gap = (start - last).days if last is not None else 0
        return history.back_from_pause or gap >= self._rules.season.return_after_gap_days

    def in_pain(self, exercise: str, history: History) -> bool:
        family = self._moves.family_of(exercise)
        return any(
            skip.exercise == exercise
            or (self._moves.has(skip.exercise) and self._moves.family_of(skip.exercise) == family)
            for skip in history.pain
        )

    def repeat_last(self, item: PlannedExercise, history: History) -> PlannedExercise:
        """Two missed sessions in a row: the last prescription again, not the next step."""
        lift = history.lifts.get(item.exercise)
        if lift is None or item.exercise in PLYOMETRIC_IDS:
            return item
        kg = lift.kg if lift.kg is not None and item.kg is not None else item.kg
        return replace(item, sets=lift.sets, reps=lift.reps, seconds=lift.seconds, kg=kg)


def _half_kg(kg: float) -> float:
    return max(0.0, round(kg * 2) / 2)


def scale_volume(
    sessions: list[list[PlannedExercise]], target: int, keep_exercises: int | None = None
) -> None:
    """Trim work sets in place until the week's total is at most ``target``. Sessions cut to
    ``keep_exercises`` first when given (the taper's short sessions), then one set at a time
    from the exercise with the most sets (accessories before main lifts on a tie), then whole
    exercises from the longest session; every session keeps at least one exercise."""
    volume = sum(item.sets for session in sessions for item in session)
    if keep_exercises is not None:
        for session in sessions:
            while len(session) > max(1, keep_exercises):
                volume -= session.pop().sets
    while volume > target:
        best: tuple[int, int, int] | None = None  # (sets, exercise index, session index)
        for s_index, session in enumerate(sessions):
            for e_index, item in enumerate(session):
                if item.sets > 1 and (best is None or (item.sets, e_index) > best[:2]):
                    best = (item.sets, e_index, s_index)
        if best is not None:
            _, e_index, s_index = best
            item = sessions[s_index][e_index]
            sessions[s_index][e_index] = replace(item, sets=item.sets - 1)
            volume -= 1
            continue
        longest = max(range(len(sessions)), key=lambda i: len(sessions[i]), default=None)
        if longest is None or len(sessions[longest]) <= 1:
            return
        volume -= sessions[longest].pop().sets
