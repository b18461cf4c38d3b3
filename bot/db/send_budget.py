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

Telegram's per-chat limit (about one message a second to a chat, a short burst allowed) is
shared too: ``chat_send_turns`` keeps each chat's next turn (GCRA's theoretical arrival time,
epoch seconds). A send to a chat books the chat's turn in the same statement as its slot (a
data-modifying CTE: no extra round trip); a turn beyond the horizon gives the slot back, and
the taker asks again for a slot alone once the turn is near. ``forget_turns`` deletes the rows
of chats not sent to lately (a job every minute), so the table holds the last minutes' chats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import (
    BigInteger,
    Float,
    Integer,
    Select,
    Table,
    bindparam,
    case,
    delete,
    func,
    select,
    true,
    update,
)
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


class ChatSendTurn(Base):
    __tablename__ = "chat_send_turns"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    next_at: Mapped[float] = mapped_column(Float)


_table = cast(Table, SendSlot.__table__)
_turns = cast(Table, ChatSendTurn.__table__)
_t = _table.c
MAX_SLOTS = 30  # slot rows at most, whatever the rate
PACER = -2  # free_at: the next instant a background send may go


@dataclass(frozen=True, slots=True)
class Turn:
    """A send to ``chat_id``, whose messages are one every ``step`` seconds after a ``burst``."""

    chat_id: int
    step: float
    burst: float


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
    turn_at: float | None = None  # the chat's turn was booked, from this instant: ask without it


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
    turn: Turn | None = None,
) -> Taken | Refused:
    """The slot that frees first, if by ``horizon``, marked busy until ``hold_until``. A
    background send also takes the pacer's next instant, which must be by ``horizon`` too. With
    a ``turn``, the chat's turn is booked as well (whatever the slot), and must be by
    ``horizon`` for the slot to be kept."""
    booking = {"slots": slots, "horizon": horizon, "hold_until": hold_until}
    turn_at = None
    if turn is None:
        row = (await session.execute(_BOOK, booking)).one_or_none()
        found = None if row is None else (row.slot, row.booked_from)
    else:
        both = _book_with_turn(session)
        row = (await session.execute(both, {**booking, "chat": turn.chat_id, "now": now,
                                            "step": turn.step})).one()  # fmt: skip
        # GCRA: the turn after the new arrival time, less the burst's allowance.
        turn_at = max(now, float(row.next_at) - turn.step * max(turn.burst, 1.0))
        found = None if row.slot is None else (row.slot, row.booked_from)
    if found is not None:
        slot, free_at = int(found[0]), float(found[1])
        start = max(now, free_at, turn_at or 0.0)
        if start > horizon:  # the chat's turn is later: the slot must not wait for it
            await release(session, slot, free_at)
        elif not background:
            return Taken(slot, start)
        else:
            pacer = await _pace(session, start, horizon, spacing)
            if pacer is not None:
                return Taken(slot, max(start, pacer - spacing))
            await release(session, slot, free_at)  # not by the horizon: the slot stays as it was
    row = (await session.execute(_NEXT_FREE, {"slots": slots})).one()
    return Refused(float(row[0]), float(row[1]), turn_at)


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


async def _pace(
    session: AsyncSession, start: float, horizon: float, spacing: float
) -> float | None:
    """Move the pacer on if its instant is by ``horizon``; its new instant, or None."""
    result = await session.execute(_PACE, {"start": start, "horizon": horizon, "spacing": spacing})
    pacer = result.scalar_one_or_none()
    return None if pacer is None else float(pacer)


async def release(session: AsyncSession, slot: int, free_at: float) -> None:
    await session.execute(_RELEASE, {"which": slot, "until": free_at})


def _turn_and_book(
    insert: Callable[[Table], engine.Upsert],
) -> Select[tuple[float, int | None, float | None]]:
    """Book the chat's turn and a slot in one statement: the turn's new arrival time, and the
    slot with the free_at it had (NULL when none was by the horizon; the turn is booked anyway,
    as PostgreSQL runs every data-modifying CTE to completion)."""
    now, step = bindparam("now", type_=Float), bindparam("step", type_=Float)
    current = _turns.c.next_at
    turn = (
        insert(_turns)
        .values(chat_id=bindparam("chat", type_=BigInteger), next_at=now + step)
        .on_conflict_do_update(
            index_elements=["chat_id"],
            set_={"next_at": case((current > now, current), else_=now) + step},
        )
        .returning(current)
        .cte("turn")
    )
    booked = _BOOK.cte("booked")
    return select(turn.c.next_at, booked.c.slot, booked.c.booked_from).select_from(
        turn.outerjoin(booked, true())
    )


_book_with_turn = engine.per_backend(_turn_and_book)


async def forget_turns(session: AsyncSession, before: float) -> int:
    """Delete the turns of chats whose next turn was before ``before`` (epoch seconds)."""
    result = await session.execute(delete(_turns).where(_turns.c.next_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
