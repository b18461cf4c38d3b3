"""Issue 15 end to end: what a hostile or careless sender does cannot loop the bot, lose a log
or move a runner's plan. The real Application against the emulator, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from bot.db import inbox, schedules, workout_log
from bot.db.models import InboxUpdate
from bot.emulator import BotApiEmulator
from bot.telegram.app import LegworkApp, services_of
from tests.e2e.chat import CHAT, say

GROUP = -100777


async def _count(app: LegworkApp, model: type[object]) -> int:
    async with services_of(app).sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def _inbox_states(app: LegworkApp) -> list[tuple[str, int]]:
    async with services_of(app).sessions() as db:
        rows = await db.execute(select(InboxUpdate.state, InboxUpdate.attempts))
        return [(state, attempts) for state, attempts in rows]


async def test_reports_from_anonymous_admins_channels_and_bots_are_explained_not_logged(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    """Issue 15 §1: no person to log it for, so one reply says why; the update is handled once
    (no foreign-key failure, no retry loop), and the same senders' questions are answered."""
    mention = f"@{app.bot.username}"
    senders: list[Callable[..., object]] = [
        emulator.anonymous_admin_sends,
        emulator.channel_sends,
        emulator.bot_account_sends,
    ]
    for send in senders:
        before = len(emulator.messages(GROUP))
        send(f"{mention} squats 3x10 @ 40kg", chat_id=GROUP)
        await emulator.wait_for_messages(before + 1, chat_id=GROUP)
        await emulator.wait_until_idle()
        [reply] = emulator.messages(GROUP)[before:]
        assert "not logged" in reply.text
        assert "no person" in reply.text
    assert await _count(app, workout_log.WorkoutLog) == 0
    before = len(emulator.messages(GROUP))
    emulator.anonymous_admin_sends(f"{mention} how do I do a glute bridge?", chat_id=GROUP)
    await emulator.wait_for_messages(before + 1, chat_id=GROUP)
    await emulator.wait_until_idle()
    assert emulator.messages(GROUP)[before].text.startswith("Glute bridge")
    # Every update handled at its first attempt (which counts): none pending or failed, no apology.
    assert await _inbox_states(app) == [(inbox.HANDLED, 1)] * 4
    assert not any("Sorry" in m.text for m in emulator.messages(GROUP))


async def test_signs_exponents_and_huge_numbers_are_asked_about_not_logged(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    """Issue 15 §6: "-40kg" is not 40 kg, "1e308kg" is not 1 kg, 309 digits do not overflow."""
    for text in ("-3x-12 squats @ -40kg", "squats 3x10 @ 1e308kg", "squats 3x" + "9" * 309):
        [reply] = await say(emulator, text)
        assert not reply.text.startswith("Logged"), text
        assert "Nothing logged" in reply.text or "?" in reply.text, reply.text
    [reply] = await say(emulator, "squats 3x10 @ -40kg")
    assert "-40 kg" in reply.text
    assert await _count(app, workout_log.WorkoutLog) == 0
    assert all(state == inbox.HANDLED for state, _ in await _inbox_states(app))


async def test_timezone_refuses_names_no_runner_lives_in(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    """Issue 15 §9: localtime (the server's clock), Factory, Etc/Unknown are refused."""
    await say(emulator, "/remind 07:00 mon thu")
    for name in ("localtime", "Factory", "Etc/Unknown"):
        [reply] = await say(emulator, f"/timezone {name}")
        assert not reply.text.startswith("Time zone set"), reply.text
    async with services_of(app).sessions() as db:
        row = await schedules.get(db, CHAT)
        assert row is not None
        assert row.zone is None
    zone_set, _ = await say(emulator, "/timezone Europe/Berlin", replies=2)
    assert zone_set.text == "Time zone set: Europe/Berlin."
