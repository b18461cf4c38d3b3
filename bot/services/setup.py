"""The guided set-up, a state machine on the database: time zone -> training days -> reminder
time -> long-run day -> goal race -> hard run days -> lifting level, then the week.

One method per step; each stores the answer and returns what comes next (``Next``): the step
to ask, or ``None`` when the set-up is over (its state row is then gone). Every step is
optional ("Skip" moves on without changing anything), so the set-up stays under a minute. The
flow "single" asks one step and ends (the change buttons under /remind, /timezone). No
Telegram here: the handler (bot/telegram/handlers/setup.py) parses and renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.plans import Race, RunnerLevel, Session
from bot.db import schedules, setup_state
from bot.db.schedules import ReminderSchedule
from bot.services import training as plan
from bot.services.season import Season
from bot.services.training import Training

Step = Literal["zone", "days", "time", "long", "race", "hard", "level"]
STEPS: tuple[Step, ...] = ("zone", "days", "time", "long", "race", "hard", "level")
Flow = Literal["full", "single"]


@dataclass(frozen=True, slots=True)
class Question:
    """A step to ask, with what its question shows."""

    step: Step
    zone: str | None  # the runner's time zone so far
    long_run_day: int | None  # for the suggested days


@dataclass(frozen=True, slots=True)
class Next:
    question: Question | None  # None: the set-up is over, show the result
    problems: tuple[str, ...] = ()  # what the runner's days cannot satisfy, said now


@dataclass(frozen=True, slots=True)
class Result:
    row: ReminderSchedule
    sessions: tuple[Session, ...]  # the next seven days' sessions of the season plan


class SetupService:
    def __init__(self, training: Training, season: Season) -> None:
        self.training = training
        self.season = season

    async def step(self, db: AsyncSession, user_id: int) -> Step | None:
        """The step waiting for an answer, or None when no set-up is in progress."""
        state = await setup_state.get(db, user_id)
        if state is None or state.step not in STEPS:
            return None
        return STEPS[STEPS.index(state.step)]  # typed as a Step

    async def ask(
        self, db: AsyncSession, user_id: int, chat_id: int, step: Step, flow: Flow | None,
        now: datetime,
    ) -> Question:  # fmt: skip
        """Begin (or go back to) ``step``: the set-up waits for its answer. ``flow`` None keeps
        the flow in progress (a single step when none is)."""
        await setup_state.put(db, user_id, step, flow, now)
        row = await schedules.get_or_create(db, user_id, chat_id, now)
        return Question(step, row.zone, row.long_run_day)

    async def cancel(self, db: AsyncSession, user_id: int) -> bool:
        return await setup_state.clear(db, user_id)

    async def _after(
        self, db: AsyncSession, user_id: int, chat_id: int, done: Step, now: datetime,
        flow: Flow | None = None, problems: tuple[str, ...] = (),
    ) -> Next:  # fmt: skip
        state = await setup_state.get(db, user_id)
        if flow is None:
            flow = "full" if state is not None and state.data.get("flow") == "full" else "single"
        following = STEPS.index(done) + 1
        if flow == "full" and state is not None and following < len(STEPS):
            question = await self.ask(db, user_id, chat_id, STEPS[following], "full", now)
            return Next(question, problems)
        await setup_state.clear(db, user_id)
        return Next(None, problems)

    # -- one method per step ----------------------------------------------------------------

    async def zone(
        self, db: AsyncSession, user_id: int, chat_id: int, zone: str, now: datetime,
        flow: Flow | None = None,
    ) -> Next:  # fmt: skip
        await plan.set_zone(db, user_id, chat_id, zone, now)
        return await self._after(db, user_id, chat_id, "zone", now, flow)

    async def days(
        self, db: AsyncSession, user_id: int, chat_id: int, days: frozenset[int], now: datetime
    ) -> Next:
        await plan.set_days(db, user_id, chat_id, days, now)
        problems = await self.season.problems(db, user_id)
        return await self._after(db, user_id, chat_id, "days", now, problems=problems)

    async def reminder_time(
        self, db: AsyncSession, user_id: int, chat_id: int, at: time, now: datetime
    ) -> Next:
        await plan.set_reminder(db, user_id, chat_id, at, None, now)
        return await self._after(db, user_id, chat_id, "time", now)

    async def long_run(
        self, db: AsyncSession, user_id: int, chat_id: int, day: int | None, now: datetime
    ) -> Next:
        await plan.set_long_run(db, user_id, chat_id, day, now)
        problems = await self.season.problems(db, user_id)
        return await self._after(db, user_id, chat_id, "long", now, problems=problems)

    async def race(
        self, db: AsyncSession, user_id: int, chat_id: int, race: Race | None, now: datetime
    ) -> Next:
        await self.season.set_race(db, user_id, chat_id, race, now)
        return await self._after(db, user_id, chat_id, "race", now)

    async def hard_runs(
        self, db: AsyncSession, user_id: int, chat_id: int, days: frozenset[int], now: datetime
    ) -> Next:
        problems = await self.season.set_hard_runs(db, user_id, chat_id, days, now)
        return await self._after(db, user_id, chat_id, "hard", now, problems=problems)

    async def level(
        self, db: AsyncSession, user_id: int, chat_id: int, level: RunnerLevel, now: datetime
    ) -> Next:
        await self.season.set_level(db, user_id, chat_id, level, now)
        return await self._after(db, user_id, chat_id, "level", now)

    async def confirm_reminder(
        self, db: AsyncSession, user_id: int, chat_id: int, at: time,
        days: frozenset[int] | None, now: datetime,
    ) -> ReminderSchedule:  # fmt: skip
        """A free-text reminder request confirmed with its button."""
        return await plan.set_reminder(db, user_id, chat_id, at, days, now)

    async def skip(self, db: AsyncSession, user_id: int, chat_id: int, now: datetime) -> Next:
        """Move on without changing anything."""
        step = await self.step(db, user_id)
        return await self._after(db, user_id, chat_id, step or "level", now)

    async def result(self, db: AsyncSession, user_id: int, chat_id: int, now: datetime) -> Result:
        """The set-up as it stands and the sessions of the next seven days."""
        row = await schedules.get_or_create(db, user_id, chat_id, now)
        today = plan.local_today(row, now)
        sessions = []
        for ahead in (0, 1):
            view = await self.season.week(db, user_id, now, ahead)
            sessions += [s for s in view.sessions if 0 <= (s.day - today).days < 7]
        return Result(row, tuple(sessions))
