"""A runner's own exercises: the answer to "Log 'zercher good mornings' as your own exercise?",
and listing, renaming and forgetting them (/myexercises). Each method works in the caller's
session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.reports import ReportParser
from bot.core.reports.catalogue import custom_name
from bot.db import own_exercises
from bot.services.logbook import Logbook, Logged


@dataclass(frozen=True, slots=True)
class Answered:
    names: tuple[str, ...]  # the names asked about
    message_id: int  # the report's message (its log is keyed by it)
    logged: Logged | None = None  # yes: the report's log (None: no)


Renaming = Literal["renamed", "missing", "taken", "too long", "known"]


class OwnExercises:
    def __init__(self, logbook: Logbook, parser: ReportParser) -> None:
        self.logbook = logbook
        self.parser = parser

    async def answer(
        self, session: AsyncSession, user_id: int, ask_id: int, keep: bool
    ) -> Answered | None:
        """Yes (``keep``): the names become the runner's own exercises and their report is
        logged (or its log completed). No: nothing more is logged. None: the ask is gone (an
        earlier tap answered it) or not theirs."""
        found = await own_exercises.find_ask(session, ask_id=ask_id)
        if found is None or found.user_id != user_id:
            return None
        names = tuple(found.names.splitlines())
        await own_exercises.drop_ask(session, found)
        if not keep:
            return Answered(names, found.message_id)
        await own_exercises.add(session, user_id, names, self.logbook.clock.now())
        logged = await self.logbook.edit_text(
            session, user_id=user_id, chat_id=found.chat_id, message_id=found.message_id,
            text=found.text, reply_to=found.reply_to,
        )  # fmt: skip
        return Answered(names, found.message_id, logged)

    async def listed(self, session: AsyncSession, user_id: int) -> list[own_exercises.Listed]:
        return await own_exercises.listed(session, user_id)

    async def rename(
        self, session: AsyncSession, user_id: int, number: int, new_name: str
    ) -> tuple[Renaming, str | None]:
        """Rename the runner's ``number``-th own exercise (1-based, as /myexercises lists them);
        a name the catalogue knows is refused (it would log there). Returns what happened and
        the exercise's old name."""
        mine = await own_exercises.listed(session, user_id)
        if not 1 <= number <= len(mine):
            return "missing", None
        old = mine[number - 1]
        if not self._own_name(new_name):
            return "known", old.name
        outcome, _ = await own_exercises.rename(session, user_id, old.id, new_name)
        return outcome, old.name

    async def forget(self, session: AsyncSession, user_id: int, exercise_id: int) -> str | None:
        """Forget one of the runner's own exercises (its logged sets stay); its name, or None."""
        found = await own_exercises.forget(session, user_id, exercise_id)
        return found.name if found is not None else None

    def _own_name(self, name: str) -> bool:
        """Whether a report naming ``name`` reads it as a name in no catalogue."""
        entries = self.parser.parse(f"{name} 3x10").entries
        return len(entries) == 1 and custom_name(entries[0].exercise) == own_exercises.tidy(name)
