"""The send budget shared by every instance on one PostgreSQL: Telegram's 30 messages a second
are ``capacity`` slots, each usable once per ``window`` (1 s).

A slot row holds ``free_at``, the epoch second from which it may be used again. Taking one is a
single statement: the slot free longest is locked (``FOR UPDATE SKIP LOCKED``: instances never
wait on each other's slot) and marked busy until ``hold_until`` (a process that dies mid-send
gives it back then); after Telegram answered, ``release`` sets ``free_at`` to the answer's
instant plus the window. So, as in the process-local limiter (bot/telegram/sending.py), no
31st message leaves within a second of the 1st being answered, whichever instance sends it.

Interactive replies first across instances, three ways: a background send (reminders) takes a
slot only while more than ``reserve`` are free; not while an interactive send of any instance
is waiting (it marks the ``WAITING`` row for a moment); and background sends are spaced evenly
(the ``PACER`` row holds the next instant one may go, GCRA-style), so slots free one by one
instead of in bursts and a waiting reply gets the next. Rows are created by ``ensure_slots``
at start (idempotent).
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Float, Integer, Table, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import engine
from bot.db.base import Base


class SendSlot(Base):
    __tablename__ = "send_slots"

    slot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    free_at: Mapped[float] = mapped_column(Float)


_table = cast(Table, SendSlot.__table__)
WAITING = -1  # free_at: until when an interactive send is waiting (background holds off)
PACER = -2  # free_at: the next instant a background send may take a slot


async def ensure_slots(session: AsyncSession, capacity: int) -> None:
    """``capacity`` slot rows (0..capacity-1), free now; rows already there are kept."""
    statement = engine.insert(session, _table).on_conflict_do_nothing(index_elements=["slot"])
    rows = [{"slot": n, "free_at": 0.0} for n in (PACER, WAITING, *range(capacity))]
    await session.execute(statement, rows)


async def take(
    session: AsyncSession,
    now: float,
    hold_until: float,
    capacity: int,
    *,
    background: bool = False,
    reserve: int = 0,
    spacing: float = 0.0,
) -> int | None:
    """A slot free at ``now``, marked busy until ``hold_until``; None when none is. An
    interactive send that finds none marks itself waiting; a background one needs more than
    ``reserve`` free, no interactive send waiting and the pacer's instant reached."""
    slot = await _take_slot(session, now, hold_until, capacity, reserve if background else 0)
    if not background:
        if slot is None:
            await session.execute(
                update(_table).where(_table.c.slot == WAITING).values(free_at=now + 0.1)
            )
        return slot
    if slot is None:
        return None
    t = _table.c
    waiting = select(t.slot).where(t.slot == WAITING, t.free_at > now).exists()
    # Up to two back to back after an idle spell, then one every ``spacing``.
    paced = await session.execute(
        update(_table)
        .where(t.slot == PACER, t.free_at <= now, ~waiting)
        .values(free_at=case((t.free_at > now - spacing, t.free_at), else_=now - spacing) + spacing)
    )
    if not paced.rowcount:  # type: ignore[attr-defined]
        await release(session, slot, now)  # not now: the slot stays free
        return None
    return slot


async def _take_slot(
    session: AsyncSession, now: float, hold_until: float, capacity: int, reserve: int
) -> int | None:
    usable = (_table.c.slot >= 0) & (_table.c.slot < capacity)
    free = _table.c.free_at <= now
    oldest = (
        select(_table.c.slot)
        .where(usable, free)
        .order_by(_table.c.free_at)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    statement = update(_table).where(_table.c.slot == oldest).values(free_at=hold_until)
    if reserve > 0:
        free_count = select(func.count()).where(usable, free).scalar_subquery()
        statement = statement.where(free_count > reserve)
    result = await session.execute(statement.returning(_table.c.slot))
    slot = result.scalar_one_or_none()
    return None if slot is None else int(slot)


async def release(session: AsyncSession, slot: int, free_at: float) -> None:
    await session.execute(update(_table).where(_table.c.slot == slot).values(free_at=free_at))
