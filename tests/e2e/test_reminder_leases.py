"""Reminder claims across hosts: a claim's lease is short (4 s, at most 30 s) and renewed while
its holder lives, so a dead instance's reminders are sent by another host within the lease,
never sooner."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import ExtBot

from bot.core.clock import FixedClock
from bot.core.content import ContentStore
from bot.db import schedules
from bot.db.engine import session_factory
from bot.emulator import BotApiEmulator
from bot.jobs.reminders import DispatcherOptions
from tests.e2e.test_reminder_dispatcher import FIRE, _dispatcher, _runner, bot, engine

__all__ = ["bot", "engine"]  # the fixtures, shared with the dispatcher's tests


async def test_a_dead_hosts_claim_is_sent_by_another_host_once_its_lease_ends(
    emulator: BotApiEmulator, bot: ExtBot[None], engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = session_factory(engine)
    await _runner(sessions, emulator, 4001)
    lease = DispatcherOptions().lease
    assert lease <= timedelta(seconds=30)
    async with sessions.begin() as db:  # claimed by an instance on another host that died
        [claim] = await schedules.claim_due(db, FIRE, "far-host:42:dead0000", lease, 10)
    clock = FixedClock(FIRE + lease / 2)
    here = _dispatcher(bot, engine, clock, store, owner="this-host:7:live0000")
    assert await here.release_dead_leases() == 0  # another host's pid says nothing here
    waiting = await here.tick()
    assert waiting.sent == 0  # its lease still holds
    # ... until this instant, which the tick reports: the JobQueue's tick runs again then, so
    # a dead instance's claims go out in the same fan-out, not a tick later.
    assert waiting.others_until == FIRE + lease
    clock.set(FIRE + lease)
    assert (await here.tick()).sent == 1
    assert len(emulator.messages(4001)) == 1
    assert claim.user_id == 4001


async def test_a_live_claim_renewed_by_its_heartbeat_is_not_taken(
    emulator: BotApiEmulator, bot: ExtBot[None], engine: AsyncEngine, store: ContentStore
) -> None:
    """The renewal the heartbeat job makes every second (renew_leases of the claims in hand)
    keeps the claim from another host past the first lease."""
    sessions = session_factory(engine)
    await _runner(sessions, emulator, 4002)
    lease = DispatcherOptions().lease
    owner = "busy-host:9:live1111"
    async with sessions.begin() as db:
        await schedules.claim_due(db, FIRE, owner, lease, 10)
    beat = timedelta(seconds=DispatcherOptions().heartbeat)
    assert beat < lease
    async with sessions.begin() as db:  # the holder's heartbeat, one beat later
        await schedules.renew_leases(db, owner, [4002], FIRE + beat + lease)
    clock = FixedClock(FIRE + lease + beat / 2)  # past the first lease, inside the renewed one
    other = _dispatcher(bot, engine, clock, store, owner="other-host:3:live2222")
    assert (await other.tick()).sent == 0
    assert emulator.messages(4002) == []
