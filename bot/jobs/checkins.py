"""The weekly check-in, sent by the reminder dispatcher (bot/jobs/reminders.py) after each
tick's reminders: the same claim, lease and crash guarantee, in functions of its own.

Due check-ins are claimed from ``runner_seasons.checkin_next_at`` (indexed) in a short
transaction; each message is worked out in a read-only transaction, sent as background traffic
(interactive replies go first in the send layer), and its result committed in its own small
transaction before its slot is given to the next: the next instant on success, a retry after a
backoff on a passing failure, no more check-ins on 403. Claims are small (16) with the
reminders' short lease (4 s), renewed by the dispatcher's heartbeat (``renew_leases``) while
this process holds them. A process killed mid-fan-out leaves leases its restart releases at
once (``release_dead_leases``) and another host takes over when they end: nothing is lost, and
at most ``concurrency`` check-ins whose request had left are sent twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.core.clock import Clock
from bot.core.content import ContentStore
from bot.core.schedule import is_stale
from bot.db import schedules, seasons
from bot.db.seasons import CheckinClaim
from bot.services.season import Season
from bot.telegram.season_text import checkin_html

log = logging.getLogger(__name__)


@dataclass(slots=True)
class CheckinStats:
    sent: int = 0
    skipped_stale: int = 0
    blocked: int = 0
    retried: int = 0
    failed: int = 0


@dataclass(frozen=True, slots=True)
class CheckinOptions:
    grace: timedelta = timedelta(hours=1)
    lease: timedelta = timedelta(seconds=4)
    batch: int = 16
    concurrency: int = 2  # check-ins between "about to send" and "result committed"


class CheckinSender:
    def __init__(
        self,
        bot: ExtBot[Any],
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        season: Season,
        store: ContentStore,
        options: CheckinOptions | None = None,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.clock = clock
        self.season = season
        self.names = {entry_id: entry.name for entry_id, entry in store.entries.items()}
        self.options = options or CheckinOptions()
        self.total = CheckinStats()
        self._held: set[int] = set()  # user_ids claimed and not settled: their leases renewed

    async def release_dead_leases(self, owner: str, is_dead: Callable[[str], bool]) -> int:
        """Check-ins claimed by a process on this host that died are claimable at once."""
        now = self.clock.now()
        async with self.sessions.begin() as db:
            dead = [o for o in await seasons.checkin_lease_owners(db, now) if is_dead(o)]
            released = await seasons.release_checkin_leases_of(db, dead, now)
        if released:
            log.info("Reclaimed %d weekly check-ins claimed by a process that died", released)
        return released

    async def renew_leases(self, owner: str) -> None:
        """Extend the leases of the check-ins in hand (called by the dispatcher's heartbeat)."""
        held = list(self._held)
        if held:
            until = self.clock.now() + self.options.lease
            async with self.sessions.begin() as db:
                await seasons.renew_checkin_leases(db, owner, held, until)

    async def tick(self, owner: str, rate_limit_args: Any) -> CheckinStats:
        """Send every check-in due now, batch after batch."""
        stats = CheckinStats()
        semaphore = asyncio.Semaphore(self.options.concurrency)

        async def one(claim: CheckinClaim) -> None:
            async with semaphore:
                await self._handle(claim, owner, rate_limit_args, stats)
            self._held.discard(claim.user_id)

        try:
            while True:
                now = self.clock.now()
                async with self.sessions.begin() as db:
                    claimed = await seasons.claim_due_checkins(
                        db, now, owner, self.options.lease, self.options.batch
                    )
                if not claimed:
                    break
                self._held.update(claim.user_id for claim in claimed)
                await asyncio.gather(*(one(claim) for claim in claimed))
        finally:
            self._held.clear()  # whatever is still claimed after a failure is left to its lease
        if stats.sent or stats.skipped_stale or stats.blocked or stats.retried or stats.failed:
            log.info(
                "Weekly check-ins: %d sent, %d skipped late, %d blocked, %d to retry, %d failed",
                stats.sent, stats.skipped_stale, stats.blocked, stats.retried, stats.failed,
            )  # fmt: skip
        for name in ("sent", "skipped_stale", "blocked", "retried", "failed"):
            setattr(self.total, name, getattr(self.total, name) + getattr(stats, name))
        return stats

    async def _handle(
        self, claim: CheckinClaim, owner: str, rate_limit_args: Any, stats: CheckinStats
    ) -> None:
        now = self.clock.now()
        async with self.sessions() as db:  # reading only: no transaction held while sending
            row = await seasons.get(db, claim.user_id)
            schedule = await schedules.get(db, claim.user_id)
            zone = schedule.zone if schedule is not None else None
            following = (
                None if row is None else seasons.next_checkin_of(row, zone, max(now, claim.fire_at))
            )
            if is_stale(claim.fire_at, now, self.options.grace) or row is None:
                stats.skipped_stale += 1
                fresh = None if row is None else seasons.next_checkin_of(row, zone, now)
                await self._settle(claim, owner, fresh, None)
                return
            checkin = await self.season.checkin(db, claim.user_id, claim.fire_at)
        text = checkin_html(checkin, self.names)
        result: int | TelegramError
        try:
            message = await self.bot.send_message(
                claim.chat_id, text, parse_mode=ParseMode.HTML, rate_limit_args=rate_limit_args
            )
            result = message.message_id
        except TelegramError as exc:
            result = exc
        if isinstance(result, int):
            stats.sent += 1
            await self._settle(claim, owner, following, None)
        elif _is_blocked(result):
            stats.blocked += 1
            log.info("User %s blocked the bot: weekly check-ins stop", claim.user_id)
            await self._settle(claim, owner, None, None, blocked=True)
        elif isinstance(result, BadRequest):
            stats.failed += 1
            level = logging.WARNING if "chat not found" in result.message.lower() else logging.ERROR
            log.log(level, "Weekly check-in for user %s refused: %s", claim.user_id, result)
            await self._settle(claim, owner, following, None)
        else:
            stats.retried += 1
            await self._settle(claim, owner, None, now + _backoff(claim, result))

    async def _settle(
        self,
        claim: CheckinClaim,
        owner: str,
        next_at: datetime | None,
        retry_at: datetime | None,
        blocked: bool = False,
    ) -> None:
        now = self.clock.now()
        async with self.sessions.begin() as db:
            if blocked:
                await seasons.stop_checkins(db, claim.user_id, now)
                await schedules.mark_blocked(db, claim.user_id, now)
            elif retry_at is not None:
                await seasons.release_checkin_for_retry(db, owner, claim.user_id, retry_at)
            else:
                await seasons.confirm_checkin(db, owner, claim.user_id, next_at, now)


def _is_blocked(error: TelegramError) -> bool:
    """403 only, as for reminders ("chat not found" skips this check-in, not the next)."""
    return isinstance(error, Forbidden)


def _backoff(claim: CheckinClaim, error: TelegramError) -> timedelta:
    if isinstance(error, RetryAfter):
        wait = error.retry_after
        return wait if isinstance(wait, timedelta) else timedelta(seconds=float(wait))
    return timedelta(seconds=min(300.0, 5.0 * 2 ** max(0, claim.attempts - 1)))
