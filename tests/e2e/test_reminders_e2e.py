"""Reminders end to end: the real Application over HTTP against the emulator, SQLite and
PostgreSQL, time from a FixedClock (moved forward to bring a reminder's fire time near)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from bot.core.clock import FixedClock
from bot.core.plans import Session
from bot.db import planned_sessions, schedules, seasons
from bot.db.log_models import WorkoutLog
from bot.db.training_models import SetupConversation
from bot.emulator import BotApiEmulator, BotMessage
from bot.telegram.app import (
    LegworkApp,
    reminders_of,
    services_of,
)
from tests.e2e.chat import CHAT, buttons, current, press, say

MONDAY_6AM_BERLIN = datetime(2027, 1, 4, 5, 0, tzinfo=UTC)


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
    [welcome] = await say(emulator, "/start")
    assert "Set up my training reminders" in buttons(welcome)
    [zone_question] = await press(
        emulator, welcome, buttons(welcome)["Set up my training reminders"], replies=1
    )
    assert zone_question.text.startswith("Which time zone are you in?")
    # A restart half-way loses nothing: the step is in the database.
    async with services_of(app).sessions() as db:
        state = await db.get(SetupConversation, CHAT)
        assert state is not None
        assert state.step == "zone"
    [answer] = await say(emulator, "how do I do a glute bridge?")
    assert answer.text.startswith("Glute bridge")  # a question mid-set-up is still answered
    zone_set, days_question = await say(emulator, "Berlin", replies=2)
    assert zone_set.text == "Time zone set: Europe/Berlin."
    assert "2 days: Mon & Thu" in buttons(days_question)
    [time_question] = await press(
        emulator, days_question, buttons(days_question)["2 days: Mon & Thu"], replies=1
    )
    assert time_question.text.startswith("What time should I remind you?")
    [bad] = await say(emulator, "25:99")
    assert "There is no 25:99" in bad.text  # the step stays, nothing changed
    [long_question] = await say(emulator, "7am")
    assert long_question.text.startswith("Which day is your long run?")
    long_set, race_question = await press(
        emulator, long_question, buttons(long_question)["Sun"], replies=2
    )
    assert long_set.text == "Long run: Sunday."
    # The season's steps: optional, a tap or a line each.
    assert race_question.text.startswith("Training for a race?")
    [bad_race] = await say(emulator, "2027-04-18 sprint")
    assert bad_race.text.startswith("Which distance is it?")  # the step stays, nothing changed
    [hard_question] = await say(emulator, "2027-04-18 marathon")
    assert hard_question.text.startswith("Which days are your hard runs")
    problem, level_question = await say(emulator, "tue", replies=2)
    assert problem.text.startswith("⚠️ Monday: the day of or before a key run")  # said when set
    assert "Experienced" in buttons(level_question)
    [week] = await press(emulator, level_question, buttons(level_question)["Skip"], replies=1)
    assert week.text.startswith("Your week")
    assert "Monday" in week.text
    assert "Thursday" in week.text
    assert "Next reminder: Mon 4 Jan at 07:00" in week.text
    row = await _schedule(app)
    assert row is not None
    assert (row.zone, row.local_time, row.long_run_day) == ("Europe/Berlin", "07:00", 6)
    assert schedules.days_from_mask(row.days) == {0, 3}
    async with services_of(app).sessions() as db:
        assert await db.get(SetupConversation, CHAT) is None
        season = await seasons.get(db, CHAT)
        assert season is not None
        assert (season.race_date, season.race_distance) == (date(2027, 4, 18), "marathon")
        assert schedules.days_from_mask(season.hard_run_days) == {1}
        assert season.level is None  # skipped: planned as new to lifting


async def test_remind_asks_for_a_zone_then_the_reminder_arrives_and_done_logs_it(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:  # Done closes the session and logs its prescription
    [ask_zone] = await say(emulator, "/remind 07:00 mon thu")
    assert ask_zone.text.startswith("Which time zone are you in?")
    row = await _schedule(app)
    assert row is not None
    assert row.next_fire_at is None  # never silently UTC
    replies = await say(emulator, "/timezone it's 06:00 here")
    assert "UTC+01:00" in replies[-1].text
    assert "Berlin" in buttons(replies[-1])
    zone_set, status = await press(emulator, replies[-1], buttons(replies[-1])["Berlin"], replies=2)
    assert zone_set.text == "Time zone set: Europe/Berlin."
    assert "Mon Thu at 07:00 (Europe/Berlin)" in status.text
    reminder = await _fire(app, emulator, clock, datetime(2027, 1, 4, 6, 0, tzinfo=UTC))
    assert reminder.text.startswith("Today's strength session (Mon 4 Jan)")
    keys = buttons(reminder)
    sent = len(emulator.messages(CHAT))
    await press(emulator, reminder, keys["✅ Done"])
    assert len(emulator.messages(CHAT)) == sent  # the reminder is edited, nothing new is sent
    done = current(emulator, reminder)
    assert done.text.endswith("✅ Done: logged as prescribed.")
    assert all(b.startswith("How to") for b in buttons(done))  # Done/Skip/Snooze are gone
    async with services_of(app).sessions() as db:
        planned = await planned_sessions.find_by_reminder(db, CHAT, reminder.message_id)
        assert planned is not None
        assert planned.status == "done"
    # The prescription is in the training log, once, however often Done is tapped.
    [history] = await say(emulator, "/history")
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
    await say(emulator, "/timezone Berlin", replies=2)
    await say(emulator, "/remind 07:00 mon thu")
    reminder = await _fire(app, emulator, clock, datetime(2027, 1, 4, 6, 0, tzinfo=UTC))
    await press(emulator, reminder, buttons(reminder)["Snooze 30 min"])
    snoozed = current(emulator, reminder)
    assert "Snoozed until 07:30" in snoozed.text
    again = await _fire(app, emulator, clock, datetime(2027, 1, 4, 6, 30, tzinfo=UTC))
    assert again.text.startswith("Snoozed: your strength session")
    await press(emulator, again, buttons(again)["Skip"])
    async with services_of(app).sessions() as db:
        planned = await planned_sessions.for_day(db, CHAT, date(2027, 1, 4))
        assert planned is not None
        assert planned.status == "skipped"
        assert planned.reminder_message_id == again.message_id


async def test_pause_and_resume(app: LegworkApp, emulator: BotApiEmulator) -> None:
    await say(emulator, "/timezone Berlin", replies=2)
    await say(emulator, "/remind 07:00 mon thu")
    [paused] = await say(emulator, "/pause 10 days")
    assert paused.text.startswith("Paused until Thu 14 Jan. Next reminder: Thu 14 Jan at 07:00")
    [bad] = await say(emulator, "/pause until yesterday-ish")
    assert "/pause 10 days" in bad.text
    [open_pause] = await say(emulator, "/pause")
    assert "send /resume" in open_pause.text
    row = await _schedule(app)
    assert row is not None
    assert row.next_fire_at is None
    [back] = await say(emulator, "/resume")
    assert back.text.startswith("Welcome back!")
    assert "Next reminder: Mon 4 Jan at 07:00" in back.text


async def test_blocked_user_gets_reminders_back_with_start(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    await say(emulator, "/timezone Berlin", replies=2)
    await say(emulator, "/remind 07:00 mon thu")
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
    await say(emulator, "/start")  # writing again unblocks the chat in the emulator too
    row = await _schedule(app)
    assert row is not None
    assert not row.blocked
    assert row.next_fire_at == datetime(2027, 1, 7, 6, 0, tzinfo=UTC)


async def test_free_text_requests_and_questions(app: LegworkApp, emulator: BotApiEmulator) -> None:
    await say(emulator, "/timezone new york", replies=2)
    [confirm] = await say(emulator, "remind me every weekday at 7am")
    assert confirm.text == "Remind you weekdays at 07:00?"
    [status] = await press(emulator, confirm, buttons(confirm)["Yes, set it"], replies=1)
    assert "weekdays at 07:00 (America/New_York)" in status.text
    [answer] = await say(emulator, "how do I do a glute bridge")
    assert answer.text.startswith("Glute bridge")
    [stopped] = await say(emulator, "stop reminding me")
    assert stopped.text.startswith("Done: no more reminders.")
    row = await _schedule(app)
    assert row is not None
    assert row.stopped
    assert row.next_fire_at is None


async def test_bad_input_changes_nothing(app: LegworkApp, emulator: BotApiEmulator) -> None:
    [bad_time] = await say(emulator, "/remind 25:99")
    assert "There is no 25:99 on the clock" in bad_time.text
    [bad_zone] = await say(emulator, "/timezone Atlantis")
    assert "I don't know the time zone 'Atlantis'" in bad_zone.text
    [bad_days] = await say(emulator, "/remind 07:00 someday")
    assert "mon wed fri" in bad_days.text
    assert await _schedule(app) is None


async def test_plan_and_today(app: LegworkApp, emulator: BotApiEmulator) -> None:
    await say(emulator, "/timezone Berlin", replies=2)
    await say(emulator, "/remind 18:00 mon wed fri")
    [week] = await say(emulator, "/plan")
    assert week.text.startswith("This week (Mon 4 Jan to Sun 10 Jan)")
    assert "Monday 4 Jan" in week.text
    assert any(label.startswith("How to: ") for label in buttons(week))
    [today] = await say(emulator, "/today")
    assert today.text.startswith("Today's strength session (Mon 4 Jan)")
    howto = buttons(today)
    assert "✅ Done" in howto
    [how] = await press(
        emulator, today, next(v for k, v in howto.items() if k.startswith("How to")), replies=1
    )
    assert ": how to do it" in how.text


async def test_reminder_commands_in_a_group_point_to_the_private_chat(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    await say(emulator, "/timezone Berlin", replies=2)
    await say(emulator, "/remind 07:00 mon thu")
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
