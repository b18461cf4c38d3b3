"""Reminders end to end: the real Application over HTTP against the emulator, real SQLite, time
from a FixedClock (moved forward to bring a reminder's fire time near)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.application import (
    LegworkApp,
    build_application,
    reminders_of,
    services_of,
    stop_polling,
)
from bot.core.clock import FixedClock
from bot.core.content import ContentStore
from bot.core.plans import Session
from bot.db import planned_sessions, schedules
from bot.db.log_models import WorkoutLog
from bot.db.training_models import SetupConversation
from bot.emulator import BotApiEmulator, BotMessage
from tests.e2e.conftest import start_watched

CHAT = 1001
MONDAY_6AM_BERLIN = datetime(2027, 1, 4, 5, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_6AM_BERLIN)


@pytest.fixture
async def app(
    emulator: BotApiEmulator, store: ContentStore, database_url: str, clock: FixedClock,
    log_output: io.StringIO,
) -> AsyncIterator[LegworkApp]:  # fmt: skip
    application = build_application(
        token=emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        store=store,
        database_url=database_url,
        poll_timeout=1,
        clock=clock,
    )
    await start_watched(emulator, application)
    try:
        yield application
    finally:
        await stop_polling(application)


async def _say(emulator: BotApiEmulator, text: str, replies: int = 1) -> list[BotMessage]:
    before = len(emulator.messages(CHAT))
    emulator.user_sends(text, chat_id=CHAT)
    await emulator.wait_for_messages(before + replies, chat_id=CHAT)
    await emulator.wait_until_idle()
    return emulator.messages(CHAT)[before:]


async def _press(
    emulator: BotApiEmulator, message: BotMessage, data: str, replies: int = 1
) -> list[BotMessage]:
    """Press a button; wait for ``replies`` new messages (0: for the message to be edited)."""
    before = len(emulator.messages(CHAT))
    edits = _current(emulator, message).edit_count
    query = emulator.user_presses(message.message_id, data, chat_id=CHAT)
    await emulator.wait_for(lambda: emulator.callback_answer(query) is not None)
    if replies:
        await emulator.wait_for_messages(before + replies, chat_id=CHAT)
    else:
        await emulator.wait_for(lambda: _current(emulator, message).edit_count > edits)
    await emulator.wait_until_idle()
    return emulator.messages(CHAT)[before:]


def _current(emulator: BotApiEmulator, message: BotMessage) -> BotMessage:
    return next(m for m in emulator.messages(CHAT) if m.message_id == message.message_id)


def _buttons(message: BotMessage) -> dict[str, str]:
    assert message.reply_markup is not None
    return {b["text"]: b["callback_data"] for row in message.reply_markup["inline_keyboard"]
            for b in row}  # fmt: skip


async def _schedule(app: LegworkApp) -> schedules.ReminderSchedule | None:
    async with services_of(app).sessions() as db:
        return await schedules.get(db, CHAT)


async def _fire(app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock,
                at: datetime) -> BotMessage:  # fmt: skip
    before = len(emulator.messages(CHAT))
    clock.set(at)
    reminders_of(app).wake()
    sent = await emulator.wait_for_messages(before + 1, chat_id=CHAT)
    return sent[-1]


async def test_guided_set_up(app: LegworkApp, emulator: BotApiEmulator) -> None:
    [welcome] = await _say(emulator, "/start")
    assert "Set up my training reminders" in _buttons(welcome)
    [zone_question] = await _press(emulator, welcome, "ru:setup")
    assert zone_question.text.startswith("Which time zone are you in?")
    # A restart half-way loses nothing: the step is in the database.
    async with services_of(app).sessions() as db:
        state = await db.get(SetupConversation, CHAT)
        assert state is not None
        assert state.step == "zone"
    [answer] = await _say(emulator, "how do I do a glute bridge?")
    assert answer.text.startswith("Glute bridge")  # a question mid-set-up is still answered
    zone_set, days_question = await _say(emulator, "Berlin", replies=2)
    assert zone_set.text == "Time zone set: Europe/Berlin."
    assert "2 days: Mon & Thu" in _buttons(days_question)
    [time_question] = await _press(
        emulator, days_question, _buttons(days_question)["2 days: Mon & Thu"]
    )
    assert time_question.text.startswith("What time should I remind you?")
    [bad] = await _say(emulator, "25:99")
    assert "There is no 25:99" in bad.text  # the step stays, nothing changed
    [long_question] = await _say(emulator, "7am")
    assert long_question.text.startswith("Which day is your long run?")
    long_set, week = await _press(emulator, long_question, "ru:l:6", replies=2)
    assert long_set.text == "Long run: Sunday."
    assert week.text.startswith("Your week")
    assert "Monday (deadlift day)" in week.text
    assert "Thursday (deadlift day)" in week.text
    assert "Next reminder: Mon 4 Jan at 07:00" in week.text
    row = await _schedule(app)
    assert row is not None
    assert (row.zone, row.local_time, row.long_run_day) == ("Europe/Berlin", "07:00", 6)
    assert schedules.days_from_mask(row.days) == {0, 3}
    async with services_of(app).sessions() as db:
        assert await db.get(SetupConversation, CHAT) is None


async def test_remind_asks_for_a_zone_then_the_reminder_arrives_and_done_logs_it(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:  # Done closes the session and logs its prescription
    [ask_zone] = await _say(emulator, "/remind 07:00 mon thu")
    assert ask_zone.text.startswith("Which time zone are you in?")
    row = await _schedule(app)
    assert row is not None
    assert row.next_fire_at is None  # never silently UTC
    replies = await _say(emulator, "/timezone it's 06:00 here")
    assert "UTC+01:00" in replies[-1].text
    assert "Berlin" in _buttons(replies[-1])
    zone_set, status = await _press(emulator, replies[-1], "ru:z:Europe/Berlin", replies=2)
    assert zone_set.text == "Time zone set: Europe/Berlin."
    assert "Mon Thu at 07:00 (Europe/Berlin)" in status.text
    reminder = await _fire(app, emulator, clock, datetime(2027, 1, 4, 6, 0, tzinfo=UTC))
    assert reminder.text.startswith("Today's strength session (Mon 4 Jan)")
    buttons = _buttons(reminder)
    assert await _press(emulator, reminder, buttons["✅ Done"], replies=0) == []
    done = _current(emulator, reminder)
    assert done.text.endswith("✅ Done: logged as prescribed.")
    assert all(b.startswith("How to") for b in _buttons(done))  # Done/Skip/Snooze are gone
    async with services_of(app).sessions() as db:
        planned = await planned_sessions.find_by_reminder(db, CHAT, reminder.message_id)
        assert planned is not None
        assert planned.status == "done"
    # The prescription is in the training log, once, however often Done is tapped.
    [history] = await _say(emulator, "/history")
    assert "Mon 4 Jan" in history.text
    prescribed = Session.from_json(planned.prescription)
    for exercise in prescribed.exercises:
        assert exercise.name.split(" (")[0] in history.text, history.text
    async with services_of(app).sessions() as db:
        logs = await db.scalar(select(func.count()).select_from(WorkoutLog))
    assert logs == 1


async def test_snooze_then_skip(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    await _say(emulator, "/timezone Berlin", replies=2)
    await _say(emulator, "/remind 07:00 mon thu")
    reminder = await _fire(app, emulator, clock, datetime(2027, 1, 4, 6, 0, tzinfo=UTC))
    await _press(emulator, reminder, _buttons(reminder)["Snooze 30 min"], replies=0)
    snoozed = _current(emulator, reminder)
    assert "Snoozed until 07:30" in snoozed.text
    again = await _fire(app, emulator, clock, datetime(2027, 1, 4, 6, 30, tzinfo=UTC))
    assert again.text.startswith("Snoozed: your strength session")
    await _press(emulator, again, _buttons(again)["Skip"], replies=0)
    async with services_of(app).sessions() as db:
        planned = await planned_sessions.for_day(db, CHAT, date(2027, 1, 4))
        assert planned is not None
        assert planned.status == "skipped"
        assert planned.reminder_message_id == again.message_id


async def test_pause_and_resume(app: LegworkApp, emulator: BotApiEmulator) -> None:
    await _say(emulator, "/timezone Berlin", replies=2)
    await _say(emulator, "/remind 07:00 mon thu")
    [paused] = await _say(emulator, "/pause 10 days")
    assert paused.text.startswith("Paused until Thu 14 Jan. Next reminder: Thu 14 Jan at 07:00")
    [bad] = await _say(emulator, "/pause until yesterday-ish")
    assert "/pause 10 days" in bad.text
    [open_pause] = await _say(emulator, "/pause")
    assert "send /resume" in open_pause.text
    row = await _schedule(app)
    assert row is not None
    assert row.next_fire_at is None
    [back] = await _say(emulator, "/resume")
    assert back.text.startswith("Welcome back!")
    assert "Next reminder: Mon 4 Jan at 07:00" in back.text


async def test_blocked_user_gets_reminders_back_with_start(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    await _say(emulator, "/timezone Berlin", replies=2)
    await _say(emulator, "/remind 07:00 mon thu")
    emulator.user_blocks_bot(CHAT)
    clock.set(datetime(2027, 1, 4, 6, 0, tzinfo=UTC))
    reminders_of(app).wake()
    await emulator.wait_for(lambda: len(emulator.rejected) == 1)
    assert emulator.rejected[0].status == 403
    emulator.rejected.clear()

    async def blocked() -> bool:
        row = await _schedule(app)
        return row is not None and row.blocked

    for _ in range(100):
        if await blocked():
            break
        await emulator.wait_until_idle()
    assert await blocked()
    await _say(emulator, "/start")  # writing again unblocks the chat in the emulator too
    row = await _schedule(app)
    assert row is not None
    assert not row.blocked
    assert row.next_fire_at == datetime(2027, 1, 7, 6, 0, tzinfo=UTC)


async def test_free_text_requests_and_questions(app: LegworkApp, emulator: BotApiEmulator) -> None:
    await _say(emulator, "/timezone new york", replies=2)
    [confirm] = await _say(emulator, "remind me every weekday at 7am")
    assert confirm.text == "Remind you weekdays at 07:00?"
    [status] = await _press(emulator, confirm, _buttons(confirm)["Yes, set it"])
    assert "weekdays at 07:00 (America/New_York)" in status.text
    [answer] = await _say(emulator, "how do I do a glute bridge")
    assert answer.text.startswith("Glute bridge")
    [stopped] = await _say(emulator, "stop reminding me")
    assert stopped.text.startswith("Done: no more reminders.")
    row = await _schedule(app)
    assert row is not None
    assert row.stopped
    assert row.next_fire_at is None


async def test_bad_input_changes_nothing(app: LegworkApp, emulator: BotApiEmulator) -> None:
    [bad_time] = await _say(emulator, "/remind 25:99")
    assert "There is no 25:99 on the clock" in bad_time.text
    [bad_zone] = await _say(emulator, "/timezone Atlantis")
    assert "I don't know the time zone 'Atlantis'" in bad_zone.text
    [bad_days] = await _say(emulator, "/remind 07:00 someday")
    assert "mon wed fri" in bad_days.text
    assert await _schedule(app) is None


async def test_plan_and_today(app: LegworkApp, emulator: BotApiEmulator) -> None:
    await _say(emulator, "/timezone Berlin", replies=2)
    await _say(emulator, "/remind 18:00 mon wed fri")
    [week] = await _say(emulator, "/plan")
    assert week.text.startswith("Your strength week")
    assert "Monday" in week.text
    assert "Wednesday" in week.text
    assert "Friday" in week.text
    [today] = await _say(emulator, "/today")
    assert today.text.startswith("Today's strength session (Mon 4 Jan)")
    howto = _buttons(today)
    assert "✅ Done" in howto
    [how] = await _press(
        emulator, today, next(v for k, v in howto.items() if k.startswith("How to"))
    )
    assert ": how to do it" in how.text


async def test_reminder_commands_in_a_group_point_to_the_private_chat(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    await _say(emulator, "/timezone Berlin", replies=2)
    await _say(emulator, "/remind 07:00 mon thu")
    before = await _schedule(app)
    assert before is not None
    group = -100777
    commands = ("/pause 10 days", "/stop", "/remind 18:00", "/plan", "/resume")
    for sent, command in enumerate(commands, start=1):
        emulator.user_sends(command, chat_id=group, chat_type="group", user_id=CHAT)
        replies = await emulator.wait_for_messages(sent, chat_id=group)
        assert replies[-1].text.startswith("Let's do that in a private chat with me"), command
    after = await _schedule(app)
    assert after is not None
    assert (after.paused_open, after.paused_until, after.stopped, after.local_time) == (
        before.paused_open,
        before.paused_until,
        before.stopped,
        before.local_time,
    )
