"""Logging sessions end to end: the real Application over HTTP against the emulator, SQLite and
PostgreSQL, the real reminder dispatcher (time from a FixedClock)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image
from sqlalchemy import func, select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.clock import FixedClock
from bot.core.content import ContentStore
from bot.core.stats.export import read_csv
from bot.db import planned_sessions, workout_log
from bot.db.models import Base
from bot.emulator import BotApiEmulator, BotMessage
from bot.telegram.app import (
    LegworkApp,
    reminders_of,
    services_of,
)
from tests.e2e.chat import CHAT, buttons, current, press_label, say, tap

REPORT = "4x10 lunges @ 20kg, calf raises 15,15,12"


async def _reminder(app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock) -> BotMessage:
    await say(emulator, "/timezone Berlin", replies=2)
    await say(emulator, "/remind 07:00 mon thu")
    before = len(emulator.messages(CHAT))
    clock.set(datetime(2027, 1, 4, 6, 0, tzinfo=UTC))
    reminders_of(app).wake()
    sent = await emulator.wait_for_messages(before + 1, chat_id=CHAT)
    await emulator.wait_until_idle()
    assert sent[-1].text.startswith("Today's strength session (Mon 4 Jan)")
    return sent[-1]


async def _count(app: LegworkApp, model: type[object]) -> int:
    async with services_of(app).sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_reply_to_a_reminder_is_logged_shown_edited_and_undone(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    reminder = await _reminder(app, emulator, clock)
    before = len(emulator.messages(CHAT))
    report = emulator.user_sends(REPORT, chat_id=CHAT, reply_to_message_id=reminder.message_id)
    await emulator.wait_for_messages(before + 1, chat_id=CHAT)
    await emulator.wait_until_idle()
    confirm = emulator.messages(CHAT)[-1]
    assert confirm.text.splitlines()[0] == (
        "Logged for Mon 4 Jan: Lunge 4 x 10 @ 20 kg, Calf raise 15 / 15 / 12"
    )
    # Lunges are not in Monday's season session; the calf raises are.
    assert (
        "1 of 4 exercises logged: Goblet squat, Romanian deadlift and Glute bridge left."
        in confirm.text
    )
    assert list(buttons(confirm)) == ["Undo"]
    async with services_of(app).sessions() as db:
        planned = await planned_sessions.find_by_reminder(db, CHAT, reminder.message_id)
        assert planned is not None
        assert planned.status == "sent"  # still open: 3 exercises left
        log = await workout_log.last_log(db, CHAT)
        assert log is not None
        assert log.planned_session_id == planned.id

    [history] = await say(emulator, "/history")
    assert "Mon 4 Jan: Lunge 4 x 10 @ 20 kg, Calf raise 15 / 15 / 12" in history.text
    [stats] = await say(emulator, "/stats")
    assert "This week: 0 of 2 planned sessions done." in stats.text  # 3 exercises still open
    assert "Sessions logged: 1." in stats.text
    assert "Lunge: 4 sets, 40 reps, 800 kg moved, best 20 kg x 10" in stats.text

    before = len(emulator.messages(CHAT))
    emulator.user_edits(report["message_id"], "4x12 lunges @ 22.5kg", chat_id=CHAT)
    await emulator.wait_for_messages(before + 1, chat_id=CHAT)
    updated = emulator.messages(CHAT)[-1]
    await emulator.wait_until_idle()
    assert updated.text.splitlines()[0] == "Updated for Mon 4 Jan: Lunge 4 x 12 @ 22.5 kg"
    async with services_of(app).sessions() as db:
        log = await workout_log.last_log(db, CHAT)
        assert log is not None
        assert [(s.exercise, s.reps, s.weight_kg) for s in log.sets] == [("lunge", 12, 22.5)] * 4

    undone = await press_label(emulator, updated, "Undo")
    assert undone.text == "Removed: Lunge 4 x 12 @ 22.5 kg, Mon 4 Jan."
    assert await _count(app, workout_log.WorkoutLog) == 0
    assert await _count(app, workout_log.WorkoutSet) == 0


async def test_questions_still_get_answers_and_bad_numbers_change_nothing(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    [answer] = await say(emulator, "how do I do a lunge?")
    assert answer.text.startswith("Lunge")
    [doubt] = await say(emulator, "squats 3x10, lunges 3x0, pull ups 3x8")
    # Pull-ups are in no content-store entry but in the catalogue (uncovered.yaml): logged.
    assert doubt.text.startswith("Logged for Mon 4 Jan: Squat 3 x 10, Pull-up 3 x 8")
    assert "Not logged: lunge with 0 reps?" in doubt.text
    [bad] = await say(emulator, "deadlift 3x5 @ 2000kg")
    assert "2000 kg" in bad.text
    assert await _count(app, workout_log.WorkoutLog) == 1
    [nothing] = await say(emulator, "/undo")
    assert nothing.text == "Removed: Squat 3 x 10, Pull-up 3 x 8, Mon 4 Jan."
    [again] = await say(emulator, "/undo")
    assert again.text == "Nothing to undo: you have no logged sessions."


async def test_a_bare_done_with_nothing_planned_asks_what_was_done(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    [done] = await say(emulator, "done")
    assert done.text.startswith("Nice work! There is no planned session today")
    [skipped] = await say(emulator, "skipped today")
    assert skipped.text.startswith("Nothing was planned for today")
    assert await _count(app, workout_log.WorkoutLog) == 0  # no empty extra sessions
    [logged] = await say(emulator, "done: squats 3x10")
    assert logged.text.startswith("Logged for Mon 4 Jan: Squat 3 x 10")


async def test_progress_chart_and_csv_export(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock, store: ContentStore
) -> None:
    [empty] = await say(emulator, "/progress")
    assert empty.text.startswith("Nothing to chart yet")
    await say(emulator, REPORT)
    clock.set(datetime(2027, 1, 8, 18, 0, tzinfo=UTC))
    await say(emulator, "squat 5x5 @ 60kg, lunges 3x8 each leg @ 22.5kg")
    [chart] = await say(emulator, "/progress")
    assert chart.kind == "photo"
    assert chart.file_bytes is not None
    with Image.open(io.BytesIO(chart.file_bytes)) as image:
        assert image.format == "PNG"
        assert image.size == (800, 1100)
    [document] = await say(emulator, "/export")
    assert document.kind == "document"
    assert document.file_name == "legwork-log.csv"
    assert document.file_bytes is not None
    exported = read_csv(document.file_bytes, store)
    async with services_of(app).sessions() as db:
        stored = await workout_log.sets_of_user(db, CHAT)
    assert [
        (s.local_date, s.exercise, s.set_index, s.reps, s.weight_kg, s.per_side) for s in exported
    ] == [(s.local_date, s.exercise, s.set_index, s.reps, s.weight_kg, s.per_side) for s in stored]
    assert len(exported) == 4 + 3 + 5 + 3


async def test_deletedata_leaves_no_row_of_that_user(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    reminder = await _reminder(app, emulator, clock)
    await say(emulator, REPORT, reply_to_message_id=reminder.message_id)
    await say(emulator, "squats 3x10", chat=2002)  # someone else's log stays
    [ask] = await say(emulator, "/deletedata")
    kept = await press_label(emulator, ask, "No, keep it")
    assert kept.text == "Nothing was deleted."
    [ask] = await say(emulator, "/deletedata")
    gone = await press_label(emulator, ask, "Yes, delete everything")
    assert gone.text.startswith("Done: everything I kept about you is deleted.")
    async with services_of(app).sessions() as db:
        for table in Base.metadata.sorted_tables:
            if table.name == "chat_send_turns":
                # PostgreSQL's shared per-chat send turns: the instant of the chat's next
                # message and nothing else, booked by the bot's own replies (this one's too),
                # deleted a minute after (tests/e2e/test_send_budget.py).
                continue
            for column in ("user_id", "id", "chat_id"):
                if column not in table.c or (column == "id" and table.name != "users"):
                    continue
                count = await db.scalar(
                    select(func.count()).select_from(table).where(table.c[column] == CHAT)
                )
                assert count == 0, (table.name, column)
        assert await workout_log.last_log(db, 2002) is not None
    # The runner can start over at once.
    [again] = await say(emulator, "squats 3x10")
    assert again.text.startswith("Logged for")


async def test_the_same_update_twice_is_logged_once(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    await say(emulator, REPORT)
    emulator.redeliver_last_update()
    await emulator.wait_until_idle()
    assert await _count(app, workout_log.WorkoutLog) == 1
    confirmations = [m for m in emulator.messages(CHAT) if m.text.startswith("Logged for")]
    assert len(confirmations) == 1


async def test_group_reports_belong_to_the_sender_and_need_the_bot_addressed(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    group = -100123
    username = app.bot.username
    emulator.user_sends("squats 3x10", chat_id=group, chat_type="group", user_id=3003)
    await emulator.wait_until_idle()
    assert emulator.messages(group) == []  # not addressed to the bot: not logged, no reply
    [confirm] = await say(
        emulator, f"@{username} squats 3x10 @ 40kg", chat=group, chat_type="group", user_id=3003
    )
    assert confirm.text.startswith("Logged for Mon 4 Jan: Squat 3 x 10 @ 40 kg")
    async with services_of(app).sessions() as db:
        log = await workout_log.last_log(db, 3003)
        assert log is not None
        assert log.chat_id == group
        assert await workout_log.last_log(db, CHAT) is None
    [private] = await say(emulator, "/stats", chat=group, chat_type="group", user_id=3003)
    assert "private chat" in private.text


async def test_history_pages_and_a_new_personal_best(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    for day in range(6):
        clock.set(datetime(2027, 1, 4 + day, 18, tzinfo=UTC))
        [confirm] = await say(emulator, f"squats 3x5 @ {40 + day * 2.5}kg")
    assert "🏆 New personal best: Squat 52.5 kg (was 50 kg)" in confirm.text
    [history] = await say(emulator, "/history")
    assert history.text.startswith("Your sessions (1–5 of 6, newest first)")
    assert "Sat 9 Jan (extra): Squat 3 x 5 @ 52.5 kg" in history.text
    assert "Mon 4 Jan" not in history.text
    older = await press_label(emulator, history, "Older »")
    assert older.text.startswith("Your sessions (6–6 of 6, newest first)")
    assert "Mon 4 Jan (extra): Squat 3 x 5 @ 40 kg" in older.text
    newer = await press_label(emulator, older, "« Newer")
    assert "Sat 9 Jan" in newer.text


async def test_a_report_that_is_an_extra_session_is_logged_with_its_sets_and_undone(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    """A report that is not a reply, with nothing planned today, is an extra session; its Undo
    finds the log by the report's message."""
    await say(emulator, "squats 3x10")
    before = len(emulator.messages(CHAT))
    report = emulator.user_sends("lunges 3x8 each leg @ 12kg", chat_id=CHAT)
    await emulator.wait_for_messages(before + 1, chat_id=CHAT)
    confirm = emulator.messages(CHAT)[-1]
    await emulator.wait_until_idle()
    assert confirm.text.startswith("Logged for Mon 4 Jan: Lunge 3 x 8 each side @ 12 kg")
    assert buttons(confirm) == {"Undo": f"1:lu:{report['message_id']}"}
    async with services_of(app).sessions() as db:
        log = await workout_log.find_by_message(db, CHAT, report["message_id"])
        assert log is not None
        assert [(s.exercise, s.reps, s.weight_kg, s.per_side) for s in log.sets] == [
            ("lunge", 8, 12.0, True)
        ] * 3
    undone = await press_label(emulator, confirm, "Undo")
    assert undone.text == "Removed: Lunge 3 x 8 each side @ 12 kg, Mon 4 Jan."
    assert await _count(app, workout_log.WorkoutLog) == 1  # the squats stay


async def test_buttons_from_before_the_scheme_or_forged_are_no_longer_valid(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    """Old (lg:u:<log id>), forged (superscript, 40 digits) and unknown data: answered at once
    "This button is no longer valid", nothing changes, the update is not retried."""
    await say(emulator, "squats 3x10")
    async with services_of(app).sessions() as db:
        log = await workout_log.last_log(db, CHAT)
        assert log is not None
    forged = [f"lg:u:{log.id}", "lg:um:²", "1:lu:²", "1:lu:" + "9" * 40, "1:s:d:" + "1" * 40,
              "1:ud:²", "1:zz", "1:lu:1:2", "ru:d:²"]  # fmt: skip
    old = InlineKeyboardMarkup([[InlineKeyboardButton(str(i), callback_data=d)]
                                for i, d in enumerate(forged)])  # fmt: skip
    await app.bot.send_message(CHAT, "Logged for Mon 4 Jan: Squat 3 x 10", reply_markup=old)
    [sent] = emulator.messages(CHAT)[-1:]
    before = len(emulator.messages(CHAT))
    for data in forged:
        answer = await tap(emulator, sent, data)
        assert answer.get("text") == "This button is no longer valid.", data
    assert len(emulator.messages(CHAT)) == before  # no "Sorry", nothing retried
    assert current(emulator, sent).edit_count == 0
    assert await _count(app, workout_log.WorkoutLog) == 1


async def test_log_commands_in_a_group_point_to_the_private_chat_and_show_nothing(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    await say(emulator, "3x10 goblet squats 16kg")
    group = -100778
    commands = ("/history", "/stats", "/progress", "/export", "/deletedata")
    for sent, command in enumerate(commands, start=1):
        emulator.user_sends(command, chat_id=group, chat_type="group", user_id=CHAT)
        replies = await emulator.wait_for_messages(sent, chat_id=group)
        assert replies[-1].text == "Send me that in our private chat: your log is yours alone."
        assert not replies[-1].buttons(), command  # no Delete button, no pages
    await emulator.wait_until_idle()
    assert len(emulator.messages(group)) == len(commands)  # no chart, no file, no log
