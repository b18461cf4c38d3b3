"""The send layer's share of the budget all instances on one PostgreSQL draw from
(bot/db/send_budget.py). SQLite runs one process, whose own limiter (sending.py) is the budget.

``acquire`` waits for a slot: one interactive and one background send per process ask the
database at a time (the others queue here, so a fan-out of hundreds is two queries in flight,
not hundreds), interactive ones poll every few milliseconds, background ones leave ``reserve``
slots to them and poll less often; ``release`` starts the slot's window when
Telegram answered. Each is one short statement in its own transaction. If the database does not
answer, the send goes ahead under this process's own limits (logged once): a reply is not held
back by a budget it cannot read, and Telegram's 429, which the send layer honours, is the last
word anyway.
"""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import send_budget

log = logging.getLogger(__name__)

HOLD = 30.0  # a slot taken by a process that died comes back after this many seconds
INTERACTIVE_POLL = 0.005
BACKGROUND_POLL = 0.01


class SharedSendBudget:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        per_second: float = 30.0,
        reserve: int = 1,
        window: float = 1.0,
    ) -> None:
        self._sessions = sessions
        self.capacity = max(1, round(per_second))
        self._reserve = reserve
        self._window = window
        self._ready = False
        self._failing = False
        self._gates = {True: asyncio.Lock(), False: asyncio.Lock()}  # by background
        self._releasing: set[asyncio.Task[None]] = set()
        self.waits = 0  # polls that found no slot (benches)

    async def acquire(self, background: bool) -> int | None:
        """A slot number, or None when the database cannot be asked (send anyway)."""
        async with self._gates[background]:
            return await self._take(background)

    async def _take(self, background: bool) -> int | None:
        poll = BACKGROUND_POLL if background else INTERACTIVE_POLL
        while True:
            try:
                async with self._sessions.begin() as session:
                    if not self._ready:
                        await send_budget.ensure_slots(session, self.capacity)
                        self._ready = True
                    now = time.time()  # shared by hosts: wall-clock seconds (NTP-synced)
                    slot = await send_budget.take(
                        session, now, now + HOLD, self.capacity, background=background,
                        reserve=self._reserve, spacing=self._window / self.capacity,
                    )  # fmt: skip
            except (SQLAlchemyError, OSError) as exc:
                self._failed(exc)
                return None
            self._recovered()
            if slot is not None:
                return slot
            self.waits += 1
            await asyncio.sleep(poll)

    def release_soon(self, slot: int) -> None:
        """Give the slot back without holding the send up: its window starts now, the write
        follows in a task of its own (``close`` waits for those)."""
        task = asyncio.create_task(self.release(slot, time.time()))
        self._releasing.add(task)
        task.add_done_callback(self._releasing.discard)

    async def close(self) -> None:
        if self._releasing:
            await asyncio.gather(*self._releasing, return_exceptions=True)

    async def release(self, slot: int, answered: float | None = None) -> None:
        answered = time.time() if answered is None else answered
        try:
            async with self._sessions.begin() as session:
                await send_budget.release(session, slot, answered + self._window)
        except (SQLAlchemyError, OSError) as exc:  # the slot comes back after HOLD
            self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        if not self._failing:
            log.warning("Shared send budget unreachable; sending under local limits: %s", exc)
        self._failing = True

    def _recovered(self) -> None:
        if self._failing:
            log.warning("Shared send budget reachable again")
        self._failing = False
