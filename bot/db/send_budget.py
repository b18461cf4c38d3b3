"""The send budget shared by every instance on one PostgreSQL: at most ``slots`` messages in
any ``window``, each counted from the moment Telegram answered it (bot/telegram/send_budget.py
picks both: 30 and 1 s for Telegram's 30/s).

``send_slots`` has one row a slot, never more than ``MAX_SLOTS`` (a faster budget gets a shorter
window, not more rows, so a send costs the same at 30/s or 100,000/s), and the ``PACER`` row.
A slot's ``free_at`` is the epoch second from which it may be used again. Taking one is one
statement (no transaction needed: callers run these in autocommit): the slot that frees first,
if by the taker's ``horizon``, is locked (``FOR UPDATE SKIP LOCKED``: instances never wait on
each other's slot) and marked busy until ``hold_until``
(a process that dies gives it back then); the send leaves at the slot's old ``free_at`` (booked
ahead: no second round trip when it frees). After Telegram answered, ``release`` sets
``free_at`` to the answer's instant plus the window. So, as in the process-local limiter
(bot/telegram/sending.py), no 31st message leaves within a second of the 1st being answered,
whichever instance sends it.

Interactive replies first across instances: background sends (reminders) book only a short
``horizon`` ahead and are spaced evenly (``PACER`` holds the next instant one may go,
GCRA-style), so slots free one by one and a reply books the first one no reminder holds yet.
A take that finds nothing says when to ask again (``Refused``), so takers sleep until then.
Rows are created by ``ensure_slots`` at start (idempotent).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import Float, Integer, Table, bindparam, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import engine
from bot.db.base import Base


class SendSlot(Base):
    __tablename__ = "send_slots"

    slot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    free_at: Mapped[float] = mapped_column(Float)
    # Set when the slot is booked: the free_at it had, so booking is one statement.
    booked_from: Mapped[float | None] = mapped_column(Float)


_table = cast(Table, SendSlot.__table__)
_t = _table.c
MAX_SLOTS = 30  # slot rows at most, whatever the rate
PACER = -2  # free_at: the next instant a background send may go


@dataclass(frozen=True, slots=True)
class Taken:
    slot: int
    start: float  # the send may leave from this instant


@dataclass(frozen=True, slots=True)
class Refused:
    """Nothing by the horizon: ``slot_free`` is the earliest ``free_at`` of the slots (a slot in
    flight has its ``hold_until`` there), ``pacer`` the pacer's next instant."""

    slot_free: float
    pacer: float


async def ensure_slots(session: AsyncSession, slots: int) -> None:
    """``slots`` slot rows (0..slots-1), free now; rows already there are kept."""
    statement = engine.insert(session, _table).on_conflict_do_nothing(index_elements=["slot"])
    rows = [{"slot": n, "free_at": 0.0} for n in (PACER, *range(slots))]
    await session.execute(statement, rows)


async def take(
    session: AsyncSession,
    now: float,
    horizon: float,
    hold_until: float,
    slots: int,
    *,
    background: bool = False,
    spacing: float = 0.0,
) -> Taken | Refused:
    """The slot that frees first, if by ``horizon``, marked busy until ``hold_until``. A
    background send also takes the pacer's next instant, which must be by ``horizon`` too."""
    found = await _take_slot(session, horizon, hold_until, slots)
    if found is not None:
        slot, free_at = found
        start = max(now, free_at)
        if not background:
            return Taken(slot, start)
        pacer = await _pace(session, start, horizon, spacing)
        if pacer is not None:
            return Taken(slot, max(start, pacer - spacing))
        await release(session, slot, free_at)  # not by the horizon: the slot stays as it was
    row = (await session.execute(_NEXT_FREE, {"slots": slots})).one()
    return Refused(float(row[0]), float(row[1]))


# Statements built once (bound parameters only), so SQLAlchemy keys and compiles each once.
_usable = (_t.slot >= 0) & (_t.slot < bindparam("slots"))
_FIRST_FREE = (
    select(_t.slot)
    .where(_usable, _t.free_at <= bindparam("horizon"))
    .order_by(_t.free_at, _t.slot)
    .limit(1)
    .with_for_update(skip_locked=True)
    .scalar_subquery()
)
# One statement: each instance books a different slot (``SKIP LOCKED``), so it needs no
# transaction of its own; SET reads the old free_at, which ``booked_from`` keeps.
_BOOK = (
    update(_table)
    .where(_t.slot == _FIRST_FREE)
    .values(booked_from=_t.free_at, free_at=bindparam("hold_until"))
    .returning(_t.slot, _t.booked_from)
)
_NEXT_FREE = select(
    func.min(case((_usable, _t.free_at))), func.max(case((_t.slot == PACER, _t.free_at)))
).where(_usable | (_t.slot == PACER))
# Up to two back to back after an idle spell, then one every ``spacing``.
_start, _spacing = bindparam("start", type_=Float), bindparam("spacing", type_=Float)
_PACE = (
    update(_table)
    .where(_t.slot == PACER, _t.free_at <= bindparam("horizon"))
    .values(
        free_at=case((_t.free_at > _start - _spacing, _t.free_at), else_=_start - _spacing)
        + _spacing
    )
    .returning(_t.free_at)
)
_RELEASE = update(_table).where(_t.slot == bindparam("which")).values(free_at=bindparam("until"))


async def _take_slot(
    session: AsyncSession, horizon: float, hold_until: float, slots: int
) -> tuple[int, float] | None:
    booked = await session.execute(
        _BOOK, {"slots": slots, "horizon": horizon, "hold_until": hold_until}
    )
    row = booked.one_or_none()
    return None if row is None else (int(row.slot), float(row.booked_from))


async def _pace(
    session: AsyncSession, start: float, horizon: float, spacing: float
) -> float | None:
    """Move the pacer on if its instant is by ``horizon``; its new instant, or None."""
    result = await session.execute(_PACE, {"start": start, "horizon": horizon, "spacing": spacing})
    pacer = result.scalar_one_or_none()
    return None if pacer is None else float(pacer)


async def release(session: AsyncSession, slot: int, free_at: float) -> None:
    await session.execute(_RELEASE, {"which": slot, "until": free_at})
