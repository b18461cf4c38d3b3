"""The season plan: a runner's weeks ahead, phase by phase, from the coaching rules and the log.

    planner = SeasonPlanner(store, load_rules())          # once, at start-up
    plan = planner.plan(runner, start, weeks, history)    # any weeks ahead
    week = planner.week_of(runner, today, history)        # this week's sessions (handlers)

Pure: dates come in, nothing reads a clock, a database or Telegram. Every number is from
data/rules.yaml (``bot.core.coaching``); every exercise id from the content store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.core.coaching.rules import CoachingRules
from bot.core.content import ContentStore
from bot.core.content.store import words
from bot.core.plans.bridge import as_week_session
from bot.core.plans.catalog import build_catalog
from bot.core.plans.days import SessionDay, choose_days, day_problems, race_week_day, recovery_day
from bot.core.plans.dosage import Dosage, scale_volume
from bot.core.plans.moves import LIGHT_SESSION, MoveTable, Slot
from bot.core.plans.phases import WeekPhase, monday_of, week_phase
from bot.core.plans.season_model import (
    History,
    PainAdvice,
    PlannedExercise,
    PlannedSession,
    PlannedWeek,
    Runner,
    SeasonPlan,
)
from bot.core.plans.week import Session

HINGE_SESSIONS_PER_WEEK = 2  # the deadlift answer: twice a week
MAX_WEEKS = 520


class SeasonPlanner:
    """Plans for any runner on one content store and one set of rules (built once)."""

    def __init__(self, store: ContentStore, rules: CoachingRules) -> None:
        self.store = store
        self.rules = rules
        self.moves = MoveTable(store)
        self.catalog = build_catalog(store)
        self.dosage = Dosage(rules, self.moves)
        light = [self.dosage.light(exercise, slot) for slot, exercise in LIGHT_SESSION
                 if self.moves.has(exercise)]  # fmt: skip
        self._light_items = tuple(light[: rules.session.exercises.low])

    def plan(
        self, runner: Runner, start: date, weeks: int, history: History | None = None
    ) -> SeasonPlan:
        """``weeks`` weeks from the week of ``start`` (sessions before ``start`` left out)."""
        if not 1 <= weeks <= MAX_WEEKS:
            raise ValueError(f"weeks must be between 1 and {MAX_WEEKS}")
        history = history or History()
        state = _PlanState(self._last_hinge(history))
        state.technique_until = self._technique_until(runner, start, history)
        monday = monday_of(start)
        planned = []
        for index in range(weeks):
            week_start = monday + timedelta(weeks=index)
            week = self._week(runner, week_start, start, history, state, first=index == 0)
            planned.append(week)
        return SeasonPlan(tuple(planned), day_problems(runner, self.rules), self._advice(history))

    def week_of(self, runner: Runner, day: date, history: History | None = None) -> PlannedWeek:
        """The whole week (Monday to Sunday) that holds ``day``: "this week's sessions"."""
        return self.plan(runner, monday_of(day), 1, history).weeks[0]

    def problems(self, runner: Runner) -> tuple[str, ...]:
        """What the runner's days cannot satisfy, in words: to say when the days are set."""
        return day_problems(runner, self.rules)

    def session_on(
        self, runner: Runner, day: date, history: History | None = None
    ) -> PlannedSession | None:
        """The session planned on ``day`` (a reminder's), or None on a day without one."""
        week = self.week_of(runner, day, history)
        return next((s for s in week.sessions if s.day == day), None)

    def as_week_session(self, session: PlannedSession) -> Session:
        """The session in the week plan's types: ``line()`` texts, ``as_json`` to store."""
        return as_week_session(session, self.store, self.catalog)

    # --- one week ----------------------------------------------------------------------------

    def _week(
        self,
        runner: Runner,
        monday: date,
        start: date,
        history: History,
        state: _PlanState,
        first: bool,
    ) -> PlannedWeek:
        phase = week_phase(monday, runner.race, self.rules.season)
        dates = [monday + timedelta(days=i) for i in range(7)]
        dates = [d for d in dates if d >= start]
        if phase.phase in ("race", "recovery"):
            pick = race_week_day if phase.phase == "race" else recovery_day
            day = pick(dates, runner)
            allowed = self.rules.season.sessions_per_week[phase.phase].high > 0
            light = (self._light(day, runner),) if day is not None and allowed else ()
            return PlannedWeek(monday, phase.phase, False, light, phase.weeks_to_race)
        wanted = self.rules.season.sessions_per_week[phase.phase].high
        days = choose_days(dates, wanted, runner, self.rules)
        built = self._sessions(runner, days, phase, monday, start, history, state)
        exercises = [list(items) for items in built]
        # Two missed sessions in a row (not a long gap: that restarts lower) repeat the last
        # prescription, before any deload or taper trims the week.
        if first and history.missed_in_a_row >= 2 and not self.dosage.returning(history, start):
            exercises = [[self.dosage.repeat_last(i, history) for i in e] for e in exercises]
        if phase.phase == "taper":
            reference = self._build_volume(runner, monday, start, history)
            target = int(reference * self.rules.season.taper_volume_max)
            scale_volume(exercises, target, keep_exercises=self.rules.session.exercises.low)
        elif phase.deload:
            normal = sum(item.sets for items in exercises for item in items)
            scale_volume(exercises, int(normal * self.rules.season.deload_volume))
        runs = runner.key_run_days
        sessions = tuple(
            PlannedSession(d.day, d.heavy, tuple(items), d.day.weekday() in runs)
            for d, items in zip(days, exercises, strict=True)
        )
        return PlannedWeek(monday, phase.phase, phase.deload, sessions, phase.weeks_to_race)

    def _sessions(
        self,
        runner: Runner,
        days: Sequence[SessionDay],
        phase: WeekPhase,
        monday: date,
        start: date,
        history: History,
        state: _PlanState,
    ) -> list[tuple[PlannedExercise, ...]]:
        cycle = self.rules.season.deload_every_weeks
        # The taper keeps the intensity of the cycle's heaviest week and drops the jumps.
        cycle_week = cycle - 2 if phase.phase == "taper" else phase.cycle_week
        plyo_left = 0
        if phase.phase == "build" and runner.level != "new":
            plyo_left = self.rules.plyometrics.sessions_per_week.high
        built: list[tuple[PlannedExercise, ...]] = []
        week_turn = monday.toordinal() // 7
        technique = state.technique_until is not None and monday < state.technique_until
        for position, session_day in enumerate(days):
            if not session_day.heavy:
                built.append(self._light_items)
                continue
            slots: list[Slot] = []
            if plyo_left > 0 and self.moves.choices("plyo", runner.level):
                slots.append("plyo")
                plyo_left -= 1
            with_hinge = state.take(session_day.day, self.rules.spacing.days_between_heavy_hinge)
            slots += ["squat", "hinge" if with_hinge else "single-leg", "calf", "bridge"]
            slots = slots[: self.rules.session.exercises.high]
            items = []
            for slot in slots:
                exercise = self.moves.pick(slot, runner.level, week_turn + position)
                if exercise is None:
                    continue
                if slot == "plyo":
                    items.append(self.dosage.plyometric(exercise, runner.level, cycle_week))
                    continue
                dose = self.dosage.dose(slot, exercise, runner.level, cycle_week, technique)
                if exercise not in state.kg:  # weights from the log: once per plan
                    state.kg[exercise] = self.dosage.kg(exercise, runner.level, history, start)
                kg = state.kg[exercise]
                items.append(PlannedExercise(exercise, dose.sets, dose.reps, None, dose.load, kg))
            built.append(tuple(items))
        return built

    def _light(self, day: date, runner: Runner) -> PlannedSession:
        return PlannedSession(day, False, self._light_items, day.weekday() in runner.key_run_days)

    def _build_volume(self, runner: Runner, monday: date, start: date, history: History) -> int:
        """A whole build week's work sets for this runner (the smaller of a week with and
        without deadlifts): what the taper's volume limit is measured against."""
        dates = [monday + timedelta(days=i) for i in range(7)]
        plain = Runner(runner.training_days, runner.long_run_day, runner.hard_run_days,
                       runner.level)  # fmt: skip
        wanted = self.rules.season.sessions_per_week["build"].high
        days = choose_days(dates, wanted, plain, self.rules)
        build = WeekPhase("build", False, None, 0)
        volumes = []
        for hinge in (True, False):
            state = _PlanState(None, always_hinge=hinge)
            sessions = self._sessions(plain, days, build, monday, start, history, state)
            volumes.append(sum(item.sets for items in sessions for item in items))
        return min(volumes)

    def _technique_until(self, runner: Runner, start: date, history: History) -> date | None:
        """Runners with some experience learn the main lifts in technique weeks first (new
        lifters stay on technique reps; experienced ones need none). Counted from their first
        session with us; with no log at all, from the plan's start."""
        if runner.level != "some-experience":
            return None
        started = history.started or (start if not history.lifts else None)
        if started is None:
            return None
        weeks = self.rules.technique_phase_weeks.low
        return monday_of(started) + timedelta(weeks=weeks)

    # --- history -----------------------------------------------------------------------------

    def _last_hinge(self, history: History) -> date | None:
        days = [
            lift.day
            for lift in history.lifts.values()
            if self.moves.has(lift.exercise) and self.moves.family_of(lift.exercise) == "deadlift"
        ]
        return max(days, default=None)

    def _advice(self, history: History) -> tuple[PainAdvice, ...]:
        """One line a pain note: of the exercises skipped with it, the best-matching line (a
        pain/physio line naming the sore part first), each line once."""
        by_note: dict[str, list[str]] = {}
        for skip in history.pain:
            by_note.setdefault(skip.note, []).append(skip.exercise)
        found: dict[str, PainAdvice] = {}
        for note, exercises in by_note.items():
            matches = [
                (match[0], index, exercise, match[1])
                for index, exercise in enumerate(exercises)
                if (match := _pain_match(self.store, exercise, note)) is not None
            ]
            if matches:
                _, _, exercise, text = min(matches)
                found.setdefault(text, PainAdvice(exercise, text))
        return tuple(found.values())


class _PlanState:
    """What one plan carries from week to week: deadlift days (enough days between two, at
    most two a week) and the weights already worked out from the log."""

    def __init__(self, last: date | None, always_hinge: bool | None = None) -> None:
        self.last = last
        self.always = always_hinge
        self.week: dict[int, int] = {}
        self.kg: dict[str, float | None] = {}
        self.technique_until: date | None = None  # the Monday the heavier main lifts begin

    def take(self, day: date, days_between: int) -> bool:
        if self.always is not None:
            return self.always
        week = (day.toordinal() - 1) // 7  # Monday-based week number (1 Jan 0001 was a Monday)
        if self.week.get(week, 0) >= HINGE_SESSIONS_PER_WEEK:
            return False
        if self.last is not None and (day - self.last).days <= days_between:
            return False
        self.last = day
        self.week[week] = self.week.get(week, 0) + 1
        return True


def pain_line(store: ContentStore, exercise: str, note: str) -> str | None:
    """The line of the exercise's mistakes (or its family's) for a pain skip: the physio line
    naming the sore body part, else a pain line naming it, else any pain line, else a mistake
    naming the body part."""
    match = _pain_match(store, exercise, note)
    return None if match is None else match[1]


def _pain_match(store: ContentStore, exercise: str, note: str) -> tuple[int, str] | None:
    """``pain_line``'s line with its rank: 0 the physio line naming the body part, 1 another
    pain line naming it, 2 any pain line, 3 a line naming the part."""
    if exercise not in store.entries:
        return None
    noted = _stems(note) - _NOT_BODY_PARTS
    entries = [store.entries[exercise]]
    family = store.family_of(exercise)
    if family != exercise:
        entries.append(store.entries[family])
    lines = [
        line.strip().removeprefix("- ").strip()
        for entry in entries
        for line in entry.topic_text("mistakes").splitlines()
        if line.strip()
    ]
    best: tuple[int, int] | None = None  # (rank, line index): lower is a better match
    for index, line in enumerate(lines):
        found = _stems(line)
        pain, part = bool(found & _PAIN_WORDS), bool(found & noted)
        physio = "physio" in found
        rank = 0 if physio and part else 1 if pain and part else 2 if pain else 3 if part else None
        if rank is not None and (best is None or (rank, index) < best):
            best = (rank, index)
    return None if best is None else (best[0], lines[best[1]])


_PAIN_WORDS = frozenset({"pain", "painful", "physio", "hurt"})
_NOT_BODY_PARTS = frozenset(
    "skipped skip hurt my the a sore pain it because of bit bad today and is i in".split()
)


def _stems(text: str) -> set[str]:
    """Lowercase words, a plural or third-person "s" dropped ("knees", "hurts")."""
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words(text)}
