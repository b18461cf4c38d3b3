"""The send layer's share of the budget all instances on one PostgreSQL draw from
(bot/db/send_budget.py). SQLite runs one process, whose own limiter (sending.py) is the budget.

``per_second`` becomes at most ``MAX_SLOTS`` slots and a window with the same rate: 30/s is 30
slots reusable a second after Telegram answered, 100,000/s is 30 slots and 0.3 ms. ``acquire``
books a slot: one interactive and one background send per process ask the database at a time
(the others queue here, so a fan-out of hundreds is two queries in flight, not hundreds). An
interactive send books the first slot whose answer came (up to a window ahead), a background
one only the next pacer step ahead; then it sleeps until its instant, outside the queue. A
refused ask sleeps until the database says one may be booked (a few milliseconds when every
slot is in flight). A send to a chat books the chat's turn with its first ask, so all
instances together keep to the per-chat limit too. ``release`` starts the slot's window when
Telegram answered. Each statement commits on its own (autocommit sessions: no BEGIN and COMMIT
round trips). If the database does not answer, the send goes ahead under this process's own
limits (logged once): a reply is not held back by a budget it cannot read, and Telegram's 429,
which the send layer honours, is the last word anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import replace

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import send_budget
from bot.db.send_budget import Refused, Taken, Turn

log = logging.getLogger(__name__)

# A booked slot is held this long, and held on while its send is still out (``keep_held``):
# only a process that died keeps one longer, and its slots come back this soon.
HOLD = 3.0
POLL = 0.005  # every slot in flight: ask again after this long


class SharedSendBudget:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        per_second: float = 30.0,
        window: float = 1.0,
    ) -> None:
        self._sessions = sessions
        self.slots = min(max(1, round(per_second)), send_budget.MAX_SLOTS)
        # ``per_second`` in ``window`` is ``slots`` in this: the same rate, at most MAX_SLOTS.
        self._window = window * self.slots / per_second
        self._spacing = self._window / self.slots
        self._ready = False
        self._failing = False
        self._gates = {True: asyncio.Lock(), False: asyncio.Lock()}  # by background
        self._releasing: set[asyncio.Task[None]] = set()
        self.waits = 0  # asks that found nothing to book (benches)

    async def acquire(self, background: bool, turn: Turn | None = None) -> int | None:
        """A slot number once the send may leave, or None when the database cannot be asked
        (send anyway). With a ``turn``, the first ask books the chat's turn too; a turn later
        than the horizon is waited for outside the queue, so other chats' sends go on."""
        floor = 0.0  # the chat's turn, once booked: the send leaves no earlier
        while True:
            async with self._gates[background]:
                taken = await self._ask(background, turn, floor)
            if not isinstance(taken, Refused):
                break
            turn, floor = None, taken.turn_at or 0.0  # booked: a slot alone from now on
            await asyncio.sleep(max(0.0, floor - self._ahead(background) - time.time()))
        if taken is None:
            return None
        await asyncio.sleep(max(0.0, taken.start - time.time()))
        return taken.slot

    async def _ask(
        self, background: bool, turn: Turn | None, floor: float
    ) -> Taken | Refused | None:
        """Ask until a slot is booked (None: the database did not answer); a refusal comes back
        only when the chat's turn, just booked, is beyond the horizon."""
        while True:
            try:
                taken = await self._take(background, turn)
            except (SQLAlchemyError, OSError) as exc:
                self._failed(exc)
                return None
            self._recovered()
            if isinstance(taken, Taken):
                return replace(taken, start=max(taken.start, floor))
            self.waits += 1
            if taken.turn_at is not None:
                if taken.turn_at > time.time() + self._ahead(background):
                    return taken
                turn, floor = None, taken.turn_at
            await asyncio.sleep(self._sleep(taken, time.time(), background))

    def _ahead(self, background: bool) -> float:
        return self._spacing if background else self._window

    async def _take(self, background: bool, turn: Turn | None) -> Taken | Refused:
        ahead = self._ahead(background)
        async with self._sessions.begin() as session:
            if not self._ready:
                await send_budget.ensure_slots(session, self.slots)
                self._ready = True
            now = time.time()  # shared by hosts: wall-clock seconds (NTP-synced)
            return await send_budget.take(
                session, now, now + ahead, now + HOLD, self.slots, background=background,
                spacing=self._spacing, turn=turn,
            )  # fmt: skip

    def _sleep(self, refused: Refused, now: float, background: bool) -> float:
        """Until something may be booked: the first slot's free_at (less ``ahead``) or, when
        every slot is in flight (each frees a window after its answer), a short poll."""
        ahead = self._ahead(background)
        in_flight = refused.slot_free > now + self._window
        wait = POLL if in_flight else refused.slot_free - ahead - now
        if background:
            wait = max(wait, refused.pacer - ahead - now)
        return min(max(wait, 0.001), self._window)

    async def forget_old_turns(self, older_than: float = 60.0) -> None:
        """Drop the chats' turns that ended more than ``older_than`` seconds ago (a job)."""
        async with self._sessions.begin() as session:
            await send_budget.forget_turns(session, time.time() - older_than)

    def keep_held(self, slot: int) -> asyncio.Task[None]:
        """Hold the slot on while its send is slower than usual (a task: give it to
        ``release_soon``, which ends it)."""
        return asyncio.create_task(self._keep_held(slot))

    async def _keep_held(self, slot: int) -> None:
        while True:
            await asyncio.sleep(HOLD / 3)
            try:
                async with self._sessions.begin() as session:
                    await send_budget.release(session, slot, time.time() + HOLD)
            except (SQLAlchemyError, OSError) as exc:
                self._failed(exc)

    def release_soon(self, slot: int, held: asyncio.Task[None] | None = None) -> None:
        """Give the slot back without holding the send up: its window starts now, the write
        follows in a task of its own (``close`` waits for those), after the ``held`` task."""
        if held is not None:
            held.cancel()
        task = asyncio.create_task(self._release_after(held, slot, time.time()))
        self._releasing.add(task)
        task.add_done_callback(self._releasing.discard)

    async def _release_after(
        self, held: asyncio.Task[None] | None, slot: int, answered: float
    ) -> None:
        if held is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await held  # its last write, if any, lands before the release
        await self.release(slot, answered)

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
