"""The reminder dispatcher: a tick every few seconds claims due reminders and sends them.

No job per runner: the schedule lives in the database (``reminder_schedules.next_fire_at``,
indexed) and one repeating job per process on PTB's JobQueue (``schedule``) claims what is due
(bot/db/schedules.py:claim_due), oldest first, in batches. For each claimed reminder:

1. due longer ago than the grace window (the bot was down): skipped, the next one scheduled;
2. otherwise the day's planned session is created (or the snoozed one taken) and sent with its
   buttons, through the send layer as background traffic (``rate_limit_args``);
3. right after each send, in its own small transaction: the message id is stored with the
   planned session and the next fire instant computed; a 403 stops that runner's reminders (no
   retries); a 429 or a network error hands the reminder back for a retry after a backoff; a
   process that dies before confirming leaves a lease that expires, and another process (or its
   restart, at once: ``release_dead_leases``) retries.

Claims are small and leases short: a batch is about half a second of sends at Telegram's 30/s,
its lease 4 s, renewed every second while this process holds the claim (a second job,
``heartbeat``: three renewals missed before another takes it). A dead instance holds at most
two batches (the one being sent, the next one prepared). Another instance that runs out of
reminders to claim while others still hold some ticks again when the first of those leases
ends, so a dead instance's batches go out in the same fan-out (SIGKILLed a third of the way
through 300 runners: 300 in 10.1 s), and a long fan-out of a live instance is never taken
from it.

Pacing: the send layer (bot/telegram/sending.py) is the one pacing authority: it spaces background
sends evenly under Telegram's overall limit and puts interactive replies first. The dispatcher
adds no pacing of its own; it only keeps ``concurrency`` (2) reminders between "about to send"
and "result committed", enough to keep the send layer busy at 30/s (one waiting for its slot
while the other's result is being committed).

Crash guarantee (SIGKILL, OOM, power loss), stated exactly: nothing is lost, and at most
``concurrency`` (2) reminders are sent twice. A reminder whose result is committed is never
sent again; one claimed but not committed is sent by the restart (or, on another host, after
its lease). The ambiguous ones are those whose request had left when the process died: Telegram
may or may not have accepted them, and it has no idempotency key and no way to ask. Resending
them risks a double, skipping them risks a loss; we resend, because a runner missing a session
is worse than a second copy (whose buttons act on the same planned session, so Done on either
counts once). A worker holds its slot until its result is committed, so those ambiguous
reminders are at most ``concurrency``, whatever the batch size.

No database transaction is held while sending. Sessions still open at the end of their local
day are recorded as missed on every tick. Long fan-outs log progress at INFO every few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot, Job, JobQueue

from bot.core.clock import Clock
from bot.core.plans import History, Runner, Session
from bot.core.schedule import is_stale
from bot.db import planned_sessions, schedules
from bot.db.schedules import Claimed, Confirmation, ReminderSchedule
from bot.jobs.checkins import CheckinSender
from bot.services.season_inputs import load_many
from bot.services.training import Training, zone_of
from bot.telegram import reminder_text as render
from bot.telegram.sending import SendLayer

log = logging.getLogger(__name__)

BACKGROUND = {"background": True}


def background_args(bot: ExtBot[Any]) -> Any:
    """``rate_limit_args`` marking a send as background traffic for our send layer; any other
    limiter (or none: PTB then refuses the argument) gets None."""
    return BACKGROUND if isinstance(bot.rate_limiter, SendLayer) else None


@dataclass(frozen=True, slots=True)
class DispatcherOptions:
    tick: float = 2.0  # seconds between wake-ups
    grace: timedelta = timedelta(hours=1)
    lease: timedelta = timedelta(seconds=4)
    heartbeat: float = 1.0  # seconds between lease renewals of the claims in hand
    batch: int = 16
    # Reminders between "about to send" and "result committed": the most a crash can double.
    # The send layer paces them; 2 keep it busy at 30/s.
    concurrency: int = 2
    prepare_chunk: int = 8  # reminders planned per transaction (short: sends' commits wait)
    progress_every: float = 5.0


@dataclass(slots=True)
class _Outgoing:
    claim: Claimed
    text: str
    markup: InlineKeyboardMarkup | None
    planned_id: int | None
    next_fire_at: datetime | None


@dataclass(slots=True)
class TickStats:
    sent: int = 0
    skipped_stale: int = 0
    skipped_closed: int = 0
    blocked: int = 0
    retried: int = 0
    failed: int = 0
    missed: int = 0
    started: float = field(default_factory=time.monotonic)
    # Due reminders other processes hold: the first lease end (a dead one's come free then).
    others_until: datetime | None = None

    @property
    def handled(self) -> int:
        return self.sent + self.skipped_stale + self.skipped_closed + self.blocked + self.failed


class ReminderDispatcher:
    def __init__(
        self,
        bot: ExtBot[Any],
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        training: Training,
        options: DispatcherOptions | None = None,
        owner: str | None = None,
        checkins: CheckinSender | None = None,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.clock = clock
        self.training = training
        self.options = options or DispatcherOptions()
        self.owner = owner or f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._jobs: list[Job[Any]] = []
        self._job_queue: JobQueue[Any] | None = None
        self._stopping = asyncio.Event()
        self._ticking = asyncio.Lock()  # one tick at a time; a wake during one runs another
        self._again = False
        self._failures = 0
        self._resume_at = 0.0  # after failed ticks: monotonic time of the next try
        self._writing = asyncio.Lock()  # one settling transaction at a time (SQLite: no busy)
        self._held: set[int] = set()  # user_ids claimed and not settled: their leases renewed
        self.total = TickStats()
        self.checkins = checkins  # the weekly check-ins, sent after each tick's reminders

    # -- lifecycle -------------------------------------------------------------------------

    def schedule(self, job_queue: JobQueue[Any]) -> None:
        """Run on PTB's JobQueue: a tick every ``options.tick`` seconds (the first at once,
        after reclaiming a dead predecessor's leases) and the lease heartbeat."""
        if self._jobs:
            return
        self._stopping.clear()
        self._job_queue = job_queue
        # A one-off job removes itself once run; only the repeating ones are removed on stop.
        job_queue.run_once(self._first_tick, 0, name="reminders-start")
        self._jobs = [
            job_queue.run_repeating(
                self._scheduled_tick, self.options.tick, first=self.options.tick,
                name="reminders-tick",
            ),
            job_queue.run_repeating(
                self._heartbeat, self.options.heartbeat, first=self.options.heartbeat,
                name="reminders-lease-heartbeat",
            ),
        ]  # fmt: skip

    async def stop(self) -> None:
        """No new ticks; the one running finishes its sends in hand (at most 30 s)."""
        if not self._jobs:
            return
        self._stopping.set()
        for job in self._jobs:
            job.schedule_removal()
        self._jobs = []
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(30), self._ticking:
                pass

    def wake(self) -> None:
        """Run a tick now (a handler just set a reminder due in the next seconds)."""
        if self._job_queue is not None and not self._stopping.is_set():
            self._job_queue.run_once(self._scheduled_tick, 0, name="reminders-wake")

    async def release_dead_leases(self) -> int:
        """Reminders claimed by an earlier process on this host that died (SIGKILL, OOM) are
        claimable at once instead of after their lease: a restart resends them now."""
        now = self.clock.now()
        async with self.sessions.begin() as db:
            dead = [o for o in await schedules.lease_owners(db, now) if _is_dead(o, self.owner)]
            released = await schedules.release_leases_of(db, dead, now)
        if released:
            log.info("Reclaimed %d reminders claimed by a process that died", released)
        if self.checkins is not None:
            released += await self.checkins.release_dead_leases(
                self.owner, lambda other: _is_dead(other, self.owner)
            )
        return released

    async def _first_tick(self, context: Any) -> None:
        try:
            await self.release_dead_leases()
        except Exception:
            log.exception("Could not check for reminders claimed by a dead process")
        await self._scheduled_tick(context)

    async def _scheduled_tick(self, _context: Any) -> None:
        """The JobQueue's callback: never two ticks at once (a wake during a tick makes it run
        once more), and after failures the next tries back off up to a minute."""
        if self._ticking.locked():
            self._again = True
            return
        async with self._ticking:
            while not self._stopping.is_set() and time.monotonic() >= self._resume_at:
                self._again = False
                try:
                    stats = await self.tick()
                    self._failures = 0
                except Exception:
                    self._failures += 1
                    self._resume_at = time.monotonic() + min(60.0, 2.0**self._failures)
                    log.exception("Reminder tick failed (%d in a row)", self._failures)
                else:
                    if stats.others_until is not None:  # a dead one's: sent in this fan-out
                        await self._sleep_until(stats.others_until)
                        self._again = True
                if not self._again:
                    break

    async def _sleep_until(self, instant: datetime) -> None:
        seconds = (instant - self.clock.now()).total_seconds()
        seconds = min(max(seconds, 0.0), self.options.lease.total_seconds())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _heartbeat(self, _context: Any) -> None:
        """Renew the leases of the claims in hand (reminders and check-ins), so only a dead
        process's ones expire."""
        held = list(self._held)
        until = self.clock.now() + self.options.lease
        try:
            if held:
                async with self._writing, self.sessions.begin() as db:
                    await schedules.renew_leases(db, self.owner, held, until)
            if self.checkins is not None:
                async with self._writing:
                    await self.checkins.renew_leases(self.owner)
        except Exception:
            log.exception("Could not renew the leases of the reminders in hand")

    # -- one tick --------------------------------------------------------------------------

    async def tick(self) -> TickStats:
        """Handle everything due now (several batches during a big fan-out)."""
        stats = TickStats()
        now = self.clock.now()
        async with self._writing, self.sessions.begin() as db:
            stats.missed = await planned_sessions.sweep_missed(db, now)
        # The next batch is claimed and prepared while this one is being sent: no gap in
        # the fan-out between batches. At most one batch waits ready.
        batches: asyncio.Queue[list[_Outgoing] | None] = asyncio.Queue(maxsize=1)

        failure: list[BaseException] = []

        async def produce() -> None:
            try:
                while not self._stopping.is_set():
                    outgoing = await self._claim_and_prepare(stats)
                    if outgoing is None:
                        stats.others_until = await self._other_claims_end()
                        break
                    await batches.put(outgoing)
            except Exception as exc:  # reported after the batches in hand are sent
                failure.append(exc)
            await batches.put(None)

        producer = asyncio.create_task(produce())
        last_log = time.monotonic()
        try:
            while (outgoing := await batches.get()) is not None:
                await self._send_all(outgoing, stats)
                if time.monotonic() - last_log >= self.options.progress_every:
                    last_log = time.monotonic()
                    await self._log_progress(stats)
        finally:
            if not producer.done():
                producer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await producer
            # Whatever is still claimed now (a failure mid-batch) is left to its lease.
            self._held.clear()
        if failure:
            raise failure[0]
        if stats.handled or stats.retried or stats.missed:
            elapsed = time.monotonic() - stats.started
            log.info(
                "Reminders: %d sent, %d skipped late, %d already closed, %d blocked, %d to "
                "retry, %d failed, %d missed sessions recorded, in %.1f s",
                stats.sent, stats.skipped_stale, stats.skipped_closed, stats.blocked,
                stats.retried, stats.failed, stats.missed, elapsed,
            )  # fmt: skip
        self._add(stats)
        if self.checkins is not None:
            await self.checkins.tick(self.owner, background_args(self.bot))
        return stats

    def _add(self, stats: TickStats) -> None:
        for name in ("sent", "skipped_stale", "skipped_closed", "blocked", "retried", "failed",
                     "missed"):  # fmt: skip
            setattr(self.total, name, getattr(self.total, name) + getattr(stats, name))

    async def _log_progress(self, stats: TickStats) -> None:
        async with self.sessions() as db:
            remaining = await schedules.due_count(db, self.clock.now())
        elapsed = max(0.001, time.monotonic() - stats.started)
        log.info(
            "Reminder fan-out: %d sent, %d remaining, %.1f/s",
            stats.sent, remaining, stats.sent / elapsed,
        )  # fmt: skip

    async def _other_claims_end(self) -> datetime | None:
        """When the first due reminder another process holds comes free, unless it renews."""
        async with self.sessions() as db:
            return await schedules.next_lease_end(db, self.clock.now(), self.owner)

    async def _claim_and_prepare(self, stats: TickStats) -> list[_Outgoing] | None:
        """Claim the next batch (one short transaction), then plan its messages a few at a time,
        each chunk in its own short transaction: the sends' result commits wait at most one
        chunk for the database, never a whole batch's preparation. Each chunk's transaction
        writes first (it renews the chunk's lease): on SQLite a transaction that reads, then
        writes after another connection's commit, fails at once."""
        now = self.clock.now()
        async with self._writing, self.sessions.begin() as db:
            claimed = await schedules.claim_due(
                db, now, self.owner, self.options.lease, self.options.batch
            )
        if not claimed:
            return None
        self._held.update(c.user_id for c in claimed)
        outgoing: list[_Outgoing] = []
        step = self.options.prepare_chunk
        for start in range(0, len(claimed), step):
            chunk = claimed[start : start + step]
            now = self.clock.now()
            async with self._writing, self.sessions.begin() as db:
                await schedules.renew_leases(
                    db, self.owner, [c.user_id for c in chunk], now + self.options.lease
                )
                items, closed = await self._prepare(db, chunk, now, stats)
                if closed:
                    await schedules.confirm_sent(db, self.owner, closed, now)
            self._held.difference_update(c.user_id for c in closed)
            outgoing.extend(items)
        return outgoing

    async def _send_all(self, outgoing: list[_Outgoing], stats: TickStats) -> None:
        """Send in due order, ``concurrency`` at a time; each result is committed in its own
        transaction before its slot is given to the next reminder (see the crash guarantee)."""
        semaphore = asyncio.Semaphore(self.options.concurrency)

        async def send(item: _Outgoing) -> None:
            async with semaphore:
                result: int | TelegramError
                try:
                    message = await self.bot.send_message(
                        item.claim.chat_id,
                        item.text,
                        reply_markup=item.markup,
                        parse_mode=ParseMode.HTML,
                        rate_limit_args=background_args(self.bot),
                    )
                    result = message.message_id
                except TelegramError as exc:
                    result = exc
                async with self._writing, self.sessions.begin() as db:
                    await self._settle(db, item, result, stats)
                self._held.discard(item.claim.user_id)

        await asyncio.gather(*(send(item) for item in outgoing))

    async def _settle(
        self, db: AsyncSession, item: _Outgoing, result: int | TelegramError, stats: TickStats
    ) -> None:
        claim = item.claim
        now = self.clock.now()
        if isinstance(result, int):
            stats.sent += 1
            if item.planned_id is not None:
                await planned_sessions.record_reminder_sent(
                    db, item.planned_id, claim.chat_id, result, claim.fire_at, now
                )
            await schedules.confirm_sent(
                db, self.owner, [Confirmation(claim.user_id, item.next_fire_at)], now
            )
        elif _is_blocked(result):
            stats.blocked += 1
            log.info("User %s blocked the bot: reminders stop", claim.user_id)
            await schedules.mark_blocked(db, claim.user_id, now)
        elif isinstance(result, BadRequest):
            stats.failed += 1
            level = logging.WARNING if "chat not found" in result.message.lower() else logging.ERROR
            log.log(level, "Reminder for user %s refused: %s", claim.user_id, result)
            await schedules.confirm_sent(
                db, self.owner, [Confirmation(claim.user_id, item.next_fire_at)], now
            )
        else:
            stats.retried += 1
            await schedules.release_for_retry(
                db, self.owner, claim.user_id, now + _backoff(claim, result)
            )

    async def _prepare(
        self, db: AsyncSession, claimed: list[Claimed], now: datetime, stats: TickStats
    ) -> tuple[list[_Outgoing], list[Confirmation]]:
        """Plan what to send (creating the day's planned sessions)."""
        outgoing: list[_Outgoing] = []
        closed: list[Confirmation] = []
        ids = [c.user_id for c in claimed]
        rows = {
            row.user_id: row
            for row in await db.scalars(
                select(ReminderSchedule).where(ReminderSchedule.user_id.in_(ids))
            )
        }
        # The season plan's inputs of the whole chunk in four statements, not four per runner.
        days = {c.user_id: c.fire_at.astimezone(zone_of(rows[c.user_id])).date()
                for c in claimed if c.user_id in rows}  # fmt: skip
        inputs = await load_many(db, rows, days, self.training.reading)
        for claim in claimed:
            row = rows.get(claim.user_id)
            if row is None:
                continue
            following = schedules.next_fire_of(row, max(now, claim.fire_at))
            if is_stale(claim.fire_at, now, self.options.grace):
                stats.skipped_stale += 1
                closed.append(Confirmation(claim.user_id, schedules.next_fire_of(row, now)))
                continue
            item = await self._message_for(db, row, claim, following, inputs.get(claim.user_id))
            if item is None:
                stats.skipped_closed += 1
                closed.append(Confirmation(claim.user_id, following))
            else:
                outgoing.append(item)
        return outgoing, closed

    async def _message_for(
        self, db: AsyncSession, row: ReminderSchedule, claim: Claimed, following: datetime | None,
        inputs: tuple[Runner, History] | None = None,
    ) -> _Outgoing | None:  # fmt: skip
        day = claim.fire_at.astimezone(zone_of(row)).date()
        if claim.snooze_session_id is not None:
            planned = await planned_sessions.get(db, claim.snooze_session_id)
        else:
            planned = await self.training.planned_for(db, row, day, inputs)
            if planned is None:
                found = await self.training.next_season_session(db, row, day, False, inputs)
                upcoming = found.day if found is not None else day + timedelta(weeks=1)
                text = render.rest_day_html(day, upcoming)
                return _Outgoing(claim, text, None, None, following)
        if planned is None or planned.status not in planned_sessions.OPEN:
            return None  # already done or skipped (from /today), or gone
        session = Session.from_json(planned.prescription)
        heading = "Snoozed: your strength session" if claim.snooze_session_id else None
        text = render.reminder_html(session, heading=heading or "Today's strength session")
        markup = render.session_keyboard(planned.id, session)
        return _Outgoing(claim, text, markup, planned.id, following)


def _is_dead(owner: str, me: str) -> bool:
    """Owners are ``host:pid:token``. On this host, a pid that is gone, or our own pid with
    another token (a restarted container where we are pid 1 again), is a dead process."""
    parts = owner.split(":")
    mine = me.split(":")
    if owner == me or len(parts) != 3 or len(mine) != 3 or parts[0] != mine[0]:
        return False
    if not parts[1].isdigit():
        return False
    if parts[1] == mine[1]:
        return True
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    return False


def _is_blocked(error: BaseException) -> bool:
    """403: the runner blocked the bot. ("chat not found" is not that: a Bot API server that lost
    its chats, or a chat Telegram cannot reach right now; that reminder is skipped, the next one
    is tried.)"""
    return isinstance(error, Forbidden)


def _backoff(claim: Claimed, error: BaseException) -> timedelta:
    if isinstance(error, RetryAfter):
        return (
            error.retry_after
            if isinstance(error.retry_after, timedelta)
            else timedelta(seconds=float(error.retry_after))
        )
    return timedelta(seconds=min(300.0, 5.0 * 2 ** max(0, claim.attempts - 1)))
