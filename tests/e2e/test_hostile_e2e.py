"""Issue 15 end to end: what a hostile or careless sender does cannot loop the bot, lose a log
or move a runner's plan. The real Application against the emulator, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.clock import FixedClock
from bot.core.content import ContentStore
from bot.db import inbox, planned_sessions, schedules, workout_log
from bot.db.models import InboxUpdate
from bot.emulator import BotApiEmulator, BotMessage
from bot.services.training import local_today
from bot.settings import Settings
from bot.telegram.app import (
    LegworkApp,
    build_application,
    reminders_of,
    services_of,
    stop_polling,
)
from bot.telegram.callbacks import (
    ReminderYes,
    SessionButton,
    SetupAsk,
    SetupStart,
    SetupTime,
    SetupZone,
    encode,
)
from tests.e2e.chat import CHAT, buttons, press, say, tap
from tests.e2e.conftest import MONDAY_6AM_BERLIN, start_watched

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


async def test_set_up_and_reminder_buttons_change_nothing_in_a_group(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    """Issue 15 §3: /start in a group offers no set-up; set-up, settings and reminder buttons
    pressed in a group (by their owner, even) change nothing and say so; reminders keep going
    to the runner's private chat."""
    await say(emulator, "/remind 07:00 mon thu")
    await say(emulator, "/timezone Europe/Berlin", replies=2)
    [welcome] = await say(emulator, "/start", chat=GROUP, chat_type="supergroup", user_id=CHAT)
    assert "Set up my training reminders" not in buttons(welcome)
    planned = await _planned_today(app)
    forged = [
        encode(SetupStart()), encode(SetupZone("Asia/Tokyo")), encode(SetupAsk("time")),
        encode(SetupTime(time(12))), encode(ReminderYes(time(12), 1)),
        encode(SessionButton("d", planned)), encode(SessionButton("z60", planned)),
    ]  # fmt: skip
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d)] for d in forged])
    await app.bot.send_message(GROUP, "Buttons", reply_markup=keyboard)
    [board] = emulator.messages(GROUP)[-1:]
    before = len(emulator.messages(GROUP))
    for data in forged:
        answer = await tap(emulator, board, data, chat=GROUP, user_id=CHAT)
        assert "private chat" in str(answer.get("text")), data
    assert len(emulator.messages(GROUP)) == before  # nothing posted in the group
    async with services_of(app).sessions() as db:
        row = await schedules.get(db, CHAT)
        assert row is not None
        assert (row.chat_id, row.zone, row.local_time) == (CHAT, "Europe/Berlin", "07:00")
        session = await planned_sessions.get(db, planned)
        assert session is not None
        assert session.status in planned_sessions.OPEN
    clock.set(datetime(2027, 1, 4, 6, 0, tzinfo=UTC))
    reminders_of(app).wake()
    sent = len(emulator.messages(CHAT))
    await emulator.wait_for_messages(sent + 1, chat_id=CHAT)
    assert emulator.messages(CHAT)[-1].text.startswith("Today's strength session")
    assert len(emulator.messages(GROUP)) == before


async def _planned_today(app: LegworkApp) -> int:
    """A planned session of the runner's (made by /today)."""
    async with services_of(app).sessions() as db, db.begin():
        row = await schedules.get(db, CHAT)
        assert row is not None
        training = services_of(app).training
        planned = await training.planned_for(db, row, local_today(row, MONDAY_6AM_BERLIN))
        assert planned is not None
        return planned.id


async def test_a_button_on_a_message_that_cannot_be_edited_is_answered_once(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    """Issue 15 §5: the edit's 400 does not fail the update: the press is answered, the new
    content arrives as a new message, the update is handled at its first attempt."""
    await say(emulator, "squats 3x10")
    [menu] = await say(emulator, "/exercises")
    [confirm] = [m for m in emulator.messages(CHAT) if m.text.startswith("Logged")]
    for message, label in ((menu, "Squats"), (confirm, "Undo")):
        emulator.make_uneditable(message.message_id, chat_id=CHAT)
        before = len(emulator.messages(CHAT))
        answer = await tap(emulator, message, buttons(message)[label])
        assert answer.get("text") != "This button is no longer valid."
        assert len(emulator.messages(CHAT)) == before + 1
    assert emulator.messages(CHAT)[-1].text == "Removed: Squat 3 x 10, Mon 4 Jan."
    assert await _count(app, workout_log.WorkoutLog) == 0
    assert all(row == (inbox.HANDLED, 1) for row in await _inbox_states(app))
    assert not any(m.text.startswith("Sorry") for m in emulator.messages(CHAT))
    refused = [r for r in emulator.rejected if "can't be edited" in r.description]
    assert len(refused) == 2
    emulator.rejected[:] = [r for r in emulator.rejected if r not in refused]


async def test_deletedata_erases_the_runners_group_messages_from_the_inbox_at_once(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    """Issue 15 §7: their group messages (raw JSON with name and text) go with the rest, at
    once; another member's stay."""
    mention = f"@{app.bot.username}"
    await say(emulator, f"{mention} squats 3x10", chat=GROUP, chat_type="supergroup")
    emulator.user_sends("nice weather today", chat_id=GROUP, chat_type="supergroup")
    emulator.user_sends("my own chatter", chat_id=GROUP, chat_type="supergroup", user_id=4004)
    await emulator.wait_until_idle()
    [confirm] = await say(emulator, "/deletedata")
    [done] = await press(emulator, confirm, buttons(confirm)["Yes, delete everything"])
    assert done.text.startswith("Done: everything I kept about you is deleted")
    async with services_of(app).sessions() as db:
        raws = list((await db.execute(select(InboxUpdate.raw))).scalars())
    assert raws, "another member's update stays (as an id: a handled update keeps no text)"
    senders = {
        payload["from"]["id"] for raw in raws for key, payload in raw.items() if key != "update_id"
    }
    assert CHAT not in senders
    assert await _count(app, workout_log.WorkoutLog) == 0


async def _send_until_keyboard(emulator: BotApiEmulator, text: str) -> list[BotMessage]:
    """Send ``text``; the bot's messages until one carries a keyboard (the last part)."""
    before = len(emulator.messages(CHAT))
    emulator.user_sends(text, chat_id=CHAT)
    await emulator.wait_for(lambda: any(buttons(m) for m in emulator.messages(CHAT)[before:]))
    await emulator.wait_until_idle()
    return emulator.messages(CHAT)[before:]


async def test_long_confirmations_and_history_pages_are_split_and_the_log_is_kept(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    """Issue 15 §2: 190 entries make a confirmation past 4,096 characters: the log is kept and
    the confirmation arrives in parts (Undo on the last); /history after five 40-entry logs
    too; 300 doubtful numbers are all asked about."""
    parts = await _send_until_keyboard(emulator, ", ".join(["squats 3x10@42.5"] * 190))
    assert len(parts) >= 2
    assert parts[0].text.startswith("Logged for Mon 4 Jan: Squat 3 x 10 @ 42.5 kg")
    assert all(len(p.text) <= 4096 for p in parts)
    assert [p for p in parts if buttons(p)] == [parts[-1]]
    assert "Undo" in buttons(parts[-1])
    assert sum(p.text.count("Squat 3 x 10 @ 42.5 kg") for p in parts) == 190
    assert await _count(app, workout_log.WorkoutLog) == 1
    for day in range(5):
        clock.set(datetime(2027, 1, 5 + day, 18, tzinfo=UTC))
        await _send_until_keyboard(emulator, ", ".join(["lunges 3x8@12.5"] * 40))
    pages = await _send_until_keyboard(emulator, "/history")
    assert pages[0].text.startswith("Your sessions (1–5 of 6, newest first)")
    assert len(pages) >= 2
    assert "Older »" in buttons(pages[-1])
    doubtful = ", ".join(f"squats 3x{100_000 + i}" for i in range(300))
    before = len(emulator.messages(CHAT))
    emulator.user_sends(doubtful[:4096].rsplit(",", 1)[0], chat_id=CHAT)
    await emulator.wait_for(lambda: len(emulator.messages(CHAT)) > before)
    await emulator.wait_until_idle()
    asked = emulator.messages(CHAT)[before:]
    assert all(len(p.text) <= 4096 for p in asked)
    assert "Not logged" in asked[0].text
    assert await _count(app, workout_log.WorkoutLog) == 6
    assert all(state == inbox.HANDLED for state, _ in await _inbox_states(app))
    assert not any(m.text.startswith("Sorry") for m in emulator.messages(CHAT))


async def test_a_reply_refused_for_a_reason_of_ours_does_not_undo_the_log(
    app: LegworkApp, emulator: BotApiEmulator, log_output: io.StringIO
) -> None:
    """Issue 15 §2: Telegram answers 400 to the confirmation: logged once, the log stays, the
    update is handled (not retried into "Sorry")."""
    emulator.fail_next("sendMessage", status=400, description="Bad Request: can't parse entities")
    emulator.user_sends("squats 3x10", chat_id=CHAT)
    await emulator.wait_for(lambda: "Telegram refused a reply" in log_output.getvalue())
    await emulator.wait_until_idle()
    assert await _count(app, workout_log.WorkoutLog) == 1
    assert await _inbox_states(app) == [(inbox.HANDLED, 1)]
    assert emulator.messages(CHAT) == []
    assert log_output.getvalue().count("Telegram refused a reply") == 1
    emulator.rejected.clear()


async def test_chats_waiting_for_their_send_allowance_hold_no_handling_slot(
    emulator: BotApiEmulator, store: ContentStore, database_url: str, clock: FixedClock
) -> None:
    """Issue 15 §8: ten chats flood past their allowance (slowed here to one message every
    20 s a chat, so each waits far longer than this test does); another user's question is
    still answered at once: the waiting chats hold none of the inbox's 8 handling slots. Their
    updates are not lost: they stay pending and are handled when their allowance comes."""
    slow = Settings.model_construct(send_rate_per_chat=0.05)
    app = build_application(
        token=emulator.token, base_url=emulator.base_url, base_file_url=emulator.base_file_url,
        store=store, database_url=database_url, poll_timeout=1, clock=clock, settings=slow,
    )  # fmt: skip
    await start_watched(emulator, app)
    try:
        flooders = [20_001 + i for i in range(10)]
        for round_ in range(5):
            for chat in flooders:
                emulator.user_sends(f"squats 3x{round_ + 1}", chat_id=chat)
        # Each flooder gets its burst of 3 replies, then waits for its allowance.
        await emulator.wait_for(lambda: all(len(emulator.messages(c)) == 3 for c in flooders))
        emulator.user_sends("how do I do a glute bridge?", chat_id=30_001)
        [answer] = await emulator.wait_for_messages(1, chat_id=30_001)  # not idle: they wait
        assert answer.text.startswith("Glute bridge")
        assert all(len(emulator.messages(c)) == 3 for c in flooders)  # still waiting
        async with services_of(app).sessions() as db:
            waiting = select(func.count()).where(
                InboxUpdate.chat_id.in_(flooders), InboxUpdate.state == inbox.PENDING
            )
            assert await db.scalar(waiting) == 20
    finally:
        await stop_polling(app)


async def test_buttons_naming_someone_elses_log_or_session_are_no_longer_valid(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    """Issue 15 §4: a group member pressing another's Undo, or a button naming another
    runner's planned session: "This button is no longer valid", nothing changes."""
    mention = f"@{app.bot.username}"
    [confirm] = await say(emulator, f"{mention} squats 3x10", chat=GROUP, chat_type="supergroup")
    undo = buttons(confirm)["Undo"]
    answer = await tap(emulator, confirm, undo, chat=GROUP, user_id=4004)
    assert answer.get("text") == "This button is no longer valid."
    assert await _count(app, workout_log.WorkoutLog) == 1
    other = 5005
    await say(emulator, "/remind 07:00 mon thu", chat=other)
    await say(emulator, "/timezone Europe/Berlin", chat=other, replies=2)
    [today] = await say(emulator, "/today", chat=other)
    theirs = buttons(today)["✅ Done"]
    await say(emulator, "/remind 07:00 mon thu")
    forged = InlineKeyboardMarkup([[InlineKeyboardButton("✅ Done", callback_data=theirs)]])
    await app.bot.send_message(CHAT, "Today's strength session", reply_markup=forged)
    [sent] = emulator.messages(CHAT)[-1:]
    answer = await tap(emulator, sent, theirs)
    assert answer.get("text") == "This button is no longer valid."
    async with services_of(app).sessions() as db:
        planned = await planned_sessions.for_day(db, other, date(2027, 1, 4))
        assert planned is not None
        assert planned.status in planned_sessions.OPEN
    [undone] = await press(emulator, confirm, undo, chat=GROUP)  # the owner still can
    assert undone.text.startswith("Removed: ")
