"""A runner's week, end to end (issue 19 §3, §4): a skip for pain is heard and reminders pause
with one tap, pause and resume in words, a current injury leads with the caution, /stop then
/remind, a reminder request with a question mark, /help, /timezone, /plan, Snooze. Real
Application against the emulator, both databases; the clock is Monday 4 Jan 2027, 06:00 in
Berlin."""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.core.clock import FixedClock
from bot.db import pauses, schedules
from bot.emulator import BotApiEmulator
from bot.telegram.app import LegworkApp, services_of
from bot.telegram.handlers.commands import COMMAND_GROUPS, COMMANDS
from tests.e2e.chat import CHAT, buttons, current, press, say


async def _row(app: LegworkApp) -> schedules.ReminderSchedule:
    async with services_of(app).sessions() as db:
        row = await schedules.get(db, CHAT)
        assert row is not None
        return row


async def _set_up(emulator: BotApiEmulator) -> None:
    await say(emulator, "/timezone Berlin", replies=2)
    await say(emulator, "/remind 07:00 mon thu")


async def test_a_skip_for_pain_is_heard_and_one_tap_pauses_reminders(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    await _set_up(emulator)
    [skip] = await say(emulator, "skipped today, knee hurts")
    assert skip.text.startswith("Logged for Mon 4 Jan: skipped")
    assert "Skipped: your plan holds" in skip.text
    assert "Sorry it hurts" in skip.text
    assert "physiotherapist" in skip.text
    assert list(buttons(skip)) == ["Undo", "Pause reminders for a week"]
    [paused] = await press(emulator, skip, buttons(skip)["Pause reminders for a week"], replies=1)
    assert paused.text.startswith("Paused until Mon 11 Jan. Next reminder: Mon 11 Jan at 07:00.")
    row = await _row(app)
    assert row.paused_until is not None
    async with services_of(app).sessions() as db:
        assert await pauses.windows(db, CHAT, row.paused_until.date()) != []


async def test_pause_and_resume_in_words_and_a_current_injury_leads_with_the_caution(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    [not_yet] = await say(emulator, "pause my reminders for 2 weeks")
    assert not_yet.text.startswith("You have no reminders yet.")
    await _set_up(emulator)
    [paused] = await say(emulator, "pause my reminders for 2 weeks, my knee hurts")
    assert paused.text.startswith("Paused until Mon 18 Jan.")
    [bad] = await say(emulator, "pause my reminders for 2 fortnights")
    assert "/pause 10 days" in bad.text
    assert (await _row(app)).paused_until is not None  # the bad one changed nothing
    [back] = await say(emulator, "resume my reminders")
    assert back.text.startswith("Welcome back!")
    assert "Next reminder: Mon 4 Jan at 07:00" in back.text
    [caution] = await say(emulator, "i have shin splints what should i do")
    assert caution.text.startswith("Pain and injuries")
    assert "doctor or physiotherapist" in caution.text.splitlines()[2]


async def test_stop_then_remind_turns_them_back_on_and_a_question_mark_is_fine(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    await _set_up(emulator)
    [stopped] = await say(emulator, "/stop")
    assert "/remind turns them back on" in stopped.text
    assert (await _row(app)).next_fire_at is None
    [on] = await say(emulator, "/remind")
    assert on.text.startswith("Reminders are back on. Your reminders: Mon Thu at 07:00")
    assert "Next reminder: Mon 4 Jan at 07:00" in on.text
    assert not (await _row(app)).stopped
    [status] = await say(emulator, "/remind")
    assert status.text.startswith("Your reminders:")  # already on: just the status
    [confirm] = await say(emulator, "can you remind me mondays and thursdays at 6:30?")
    assert confirm.text == "Remind you Mon Thu at 06:30?"


async def test_help_lists_every_command_grouped(app: LegworkApp, emulator: BotApiEmulator) -> None:
    [help_text] = await say(emulator, "/help")
    for title, group in COMMAND_GROUPS:
        assert f"{title}:" in help_text.text
        for command in group:
            assert f"/{command.command} - " in help_text.text
    registered = {
        command
        for handlers in app.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    assert registered <= {c.command for c in COMMANDS} | {"cancel"}


async def test_timezone_changes_only_the_zone_and_accepts_a_typo(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    await _set_up(emulator)
    before = await _row(app)
    set_zone = await say(emulator, "/timezone berln", replies=2)
    assert set_zone[0].text == "Time zone set: Europe/Berlin."
    after = await _row(app)
    assert (after.local_time, after.days, after.stopped) == (
        before.local_time, before.days, before.stopped,
    )  # fmt: skip
    await say(emulator, "/timezone")
    answered = await say(emulator, "lisbn", replies=2)
    assert answered[0].text == "Time zone set: Europe/Lisbon."
    assert (await _row(app)).local_time == before.local_time
    [status] = await say(emulator, "/remind")
    assert "(Europe/Lisbon)" in status.text


async def test_plan_has_how_to_buttons_and_snooze_keeps_done(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    await _set_up(emulator)
    [week] = await say(emulator, "/plan")
    labels = list(buttons(week))
    how_to = [label for label in labels if label.startswith("How to: ")]
    assert how_to
    assert len(labels) == len(set(labels))  # each exercise once
    [how] = await press(emulator, week, buttons(week)[how_to[0]], replies=1)
    assert ": how to do it" in how.text
    [today] = await say(emulator, "/today")
    todays = next(label for label in buttons(today) if label.startswith("How to: "))
    await press(emulator, today, buttons(today)["Snooze 30 min"])
    snoozed = current(emulator, today)
    assert "Snoozed until 06:30" in snoozed.text
    assert {"✅ Done", "Skip", todays} <= set(buttons(snoozed))
    assert "Snooze 30 min" not in buttons(snoozed)
    await press(emulator, snoozed, buttons(snoozed)["✅ Done"])
    assert "Done: logged as prescribed" in current(emulator, today).text


async def test_remind_says_why_no_reminder_comes_on_a_day_already_done(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    await _set_up(emulator)
    [status] = await say(emulator, "/remind")
    assert "Next reminder: Mon 4 Jan at 07:00" in status.text
    assert "already" not in status.text
    [today] = await say(emulator, "/today")
    await press(emulator, today, buttons(today)["✅ Done"])
    why = (
        "That day's session is already done, so no reminder comes that day: the next is "
        "Thu 7 Jan at 07:00."
    )
    [status] = await say(emulator, "/remind")
    assert status.text.endswith(why)
    [changed] = await say(emulator, "/remind 07:00 mon thu")
    assert changed.text.startswith("Done.")
    assert changed.text.endswith(why)
