"""A runner's own exercises (names in no catalogue) and the reports waiting for the runner to
say whether a new name is one.

Sets of an own exercise are logged as "custom:<name>" (bot/core/reports/catalogue.py), so a
rename rewrites the runner's sets too; a delete only forgets the name (what was logged stays in
the history). A name is matched by its key, so "Zercher good mornings" and "zercher good
morning" are one exercise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, cast

from sqlalchemy import String, Table, delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.reports.catalogue import CUSTOM_PREFIX, custom_id, own_key
from bot.db import engine
from bot.db.log_models import OWN_NAME_LIMIT, OwnExercise, OwnExerciseAsk, WorkoutSet

__all__ = [
    "OWN_NAME_LIMIT",
    "Listed",
    "OwnExercise",
    "OwnExerciseAsk",
    "add",
    "ask",
    "by_key",
    "drop_ask",
    "find_ask",
    "forget",
    "listed",
    "reask",
    "rename",
    "tidy",
]

_OWN = cast(Table, OwnExercise.__table__)
_ASKS = cast(Table, OwnExerciseAsk.__table__)


def tidy(name: str) -> str:
    """The name as kept: lowercase, single spaces."""
    return " ".join(name.lower().split())


async def by_key(session: AsyncSession, user_id: int) -> dict[str, str]:
    """The runner's own exercises: key -> name."""
    rows = await session.execute(
        select(OwnExercise.key, OwnExercise.name).where(OwnExercise.user_id == user_id)
    )
    return {row.key: row.name for row in rows}


async def add(session: AsyncSession, user_id: int, names: Iterable[str], now: datetime) -> None:
    """Keep ``names`` as the runner's own exercises; a name kept already (any spelling) stays."""
    rows = [
        {"user_id": user_id, "name": tidy(n), "key": own_key(n), "created_at": now}
        for n in dict.fromkeys(names)
        if 0 < len(tidy(n)) <= OWN_NAME_LIMIT
    ]
    if rows:
        statement = engine.insert(session, _OWN).on_conflict_do_nothing(
            index_elements=["user_id", "key"]
        )
        await session.execute(statement, rows)


@dataclass(frozen=True, slots=True)
class Listed:
    id: int
    name: str
    sets: int  # sets logged under it


async def listed(session: AsyncSession, user_id: int) -> list[Listed]:
    """The runner's own exercises, by name, with the sets logged under each (one query)."""
    sets = (
        select(func.count())
        .where(
            WorkoutSet.user_id == user_id,
            WorkoutSet.exercise == literal(CUSTOM_PREFIX, String) + OwnExercise.name,
        )
        .scalar_subquery()
    )
    rows = await session.execute(
        select(OwnExercise.id, OwnExercise.name, sets)
        .where(OwnExercise.user_id == user_id)
        .order_by(OwnExercise.name)
    )
    return [Listed(r[0], r[1], int(r[2] or 0)) for r in rows]


Renamed = Literal["renamed", "missing", "taken", "too long"]


async def rename(
    session: AsyncSession, user_id: int, exercise_id: int, new_name: str
) -> tuple[Renamed, OwnExercise | None]:
    """Give one of the runner's own exercises a new name, and their sets logged under it."""
    found = await session.get(OwnExercise, exercise_id)
    if found is None or found.user_id != user_id:
        return "missing", None
    name = tidy(new_name)
    if not name or len(name) > OWN_NAME_LIMIT:
        return "too long", found
    key = own_key(name)
    clash = await session.scalar(
        select(OwnExercise.id).where(
            OwnExercise.user_id == user_id, OwnExercise.key == key, OwnExercise.id != found.id
        )
    )
    if clash is not None:
        return "taken", found
    await session.execute(
        update(WorkoutSet)
        .where(WorkoutSet.user_id == user_id, WorkoutSet.exercise == custom_id(found.name))
        .values(exercise=custom_id(name))
    )
    found.name, found.key = name, key
    await session.flush()
    return "renamed", found


async def forget(session: AsyncSession, user_id: int, exercise_id: int) -> OwnExercise | None:
    """Forget one of the runner's own exercises (its logged sets stay); None: not theirs."""
    found = await session.get(OwnExercise, exercise_id)
    if found is None or found.user_id != user_id:
        return None
    await session.delete(found)
    await session.flush()
    return found


async def ask(
    session: AsyncSession, *, user_id: int, chat_id: int, message_id: int, reply_to: int | None,
    text: str, names: Iterable[str], now: datetime,
) -> int | None:  # fmt: skip
    """Keep the report of message (``chat_id``, ``message_id``) while the runner is asked about
    ``names``. Returns the ask's id, or None when this message was asked about already (a second
    delivery asks nothing)."""
    values = {
        "user_id": user_id, "chat_id": chat_id, "message_id": message_id, "reply_to": reply_to,
        "text": text, "names": "\n".join(names), "created_at": now,
    }  # fmt: skip
    statement = (
        engine.insert(session, _ASKS)
        .values(values)
        .on_conflict_do_nothing(index_elements=["chat_id", "message_id"])
        .returning(_ASKS.c.id)
    )
    new_id: int | None = (await session.execute(statement)).scalar_one_or_none()
    return new_id


async def reask(
    session: AsyncSession, existing: OwnExerciseAsk, text: str, names: Iterable[str]
) -> None:
    """The message was edited while the bot was asking: the ask keeps its new text."""
    existing.text, existing.names = text, "\n".join(names)
    await session.flush()


async def find_ask(
    session: AsyncSession, *, ask_id: int | None = None, message: tuple[int, int] | None = None
) -> OwnExerciseAsk | None:
    """An ask by its id, or by the message it is about (chat id, message id)."""
    if ask_id is not None:
        return await session.get(OwnExerciseAsk, ask_id)
    assert message is not None
    return await session.scalar(
        select(OwnExerciseAsk).where(
            OwnExerciseAsk.chat_id == message[0], OwnExerciseAsk.message_id == message[1]
        )
    )


async def drop_ask(session: AsyncSession, found: OwnExerciseAsk) -> None:
    await session.execute(delete(OwnExerciseAsk).where(OwnExerciseAsk.id == found.id))
