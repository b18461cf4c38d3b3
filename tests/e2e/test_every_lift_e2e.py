"""Every lift a runner names is logged, end to end (real Application, emulator, both databases):
timed sets in seconds and lifts of uncovered.yaml in the log, history, stats, bests, /progress
and /export."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image

from bot.core.clock import FixedClock
from bot.core.content import ContentStore
from bot.core.stats.export import read_csv
from bot.db import workout_log
from bot.emulator import BotApiEmulator
from bot.telegram.app import LegworkApp, services_of
from bot.telegram.callbacks import OwnAsk, decode
from tests.e2e.chat import CHAT, buttons, press_label, say


async def test_timed_sets_and_uncovered_lifts_are_logged_and_shown_everywhere(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock, store: ContentStore
) -> None:
    [logged] = await say(emulator, "wall sit 3x45s, back squats 4x6 at 55 kilos, plank 60 sec")
    assert logged.text.splitlines()[0] == (
        "Logged for Mon 4 Jan: Wall sit 3 x 45 s, Back squat 4 x 6 @ 55 kg, Plank 1 x 60 s"
    )
    async with services_of(app).sessions() as db:
        rows = await workout_log.sets_of_user(db, CHAT)
    assert [(r.exercise, r.reps, r.seconds) for r in rows][:4] == [
        ("wall-sit", 0, 45), ("wall-sit", 0, 45), ("wall-sit", 0, 45), ("back-squat", 6, None),
    ]  # fmt: skip

    clock.set(datetime(2027, 1, 6, 18, 0, tzinfo=UTC))
    [longer] = await say(emulator, "wall sit 2x60s, leg press 3x10 @ 100kg")
    assert longer.text.splitlines()[0] == (
        "Logged for Wed 6 Jan: Wall sit 2 x 60 s, Leg press 3 x 10 @ 100 kg"
    )
    assert "🏆 New personal best: Wall sit 60 s in a set (was 45 s)" in longer.text

    [history] = await say(emulator, "/history")
    assert "Wed 6 Jan (extra): Wall sit 2 x 60 s, Leg press 3 x 10 @ 100 kg" in history.text
    assert "Mon 4 Jan (extra): Wall sit 3 x 45 s, Back squat 4 x 6 @ 55 kg, Plank" in history.text
    [stats] = await say(emulator, "/stats")
    assert "• Wall sit: 5 sets, 255 s held, longest 60 s" in stats.text
    assert "• Back squat: 4 sets, 24 reps, 1,320 kg moved, best 55 kg x 6, most reps 6" in (
        stats.text
    )
    assert "• Leg press: 3 sets, 30 reps, 3,000 kg moved" in stats.text

    [chart] = await say(emulator, "/progress")
    assert chart.kind == "photo"
    assert chart.file_bytes is not None
    with Image.open(io.BytesIO(chart.file_bytes)) as image:
        assert image.size == (800, 1100)

    [document] = await say(emulator, "/export")
    assert document.file_bytes is not None
    lines = document.file_bytes.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Date,Session,Exercise,Set,Reps,Seconds,Weight (kg)")
    assert lines[1] == (
        "2027-01-04,Extra session,Wall sit,1,,45,,no,done,"
        '"wall sit 3x45s, back squats 4x6 at 55 kilos, plank 60 sec"'
    )
    exported = read_csv(document.file_bytes, store)
    assert [(s.exercise, s.reps, s.seconds, s.weight_kg) for s in exported] == [
        (r.exercise, r.reps, r.seconds, r.weight_kg) for r in rows
    ] + [("wall-sit", 0, 60, None)] * 2 + [("leg-press", 10, None, 100.0)] * 3


async def test_a_name_in_no_catalogue_is_asked_about_once_then_logged_without_asking(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock, store: ContentStore
) -> None:
    [ask] = await say(emulator, "3x10 zercher good mornings @ 40kg")
    assert ask.text.startswith("Log 'zercher good mornings' as your own exercise?")
    assert list(buttons(ask)) == ["Yes, log it", "No"]
    assert await _sets(app) == []  # nothing logged while asking
    emulator.user_sends("3x10 zercher good mornings @ 40kg", chat_id=CHAT)  # asked again: new
    await emulator.wait_for_messages(len(emulator.messages(CHAT)) + 1, chat_id=CHAT)
    await emulator.wait_until_idle()
    second = emulator.messages(CHAT)[-1]

    declined = await press_label(emulator, second, "No")
    assert declined.text == "OK, not logged: 'zercher good mornings'."
    assert await _sets(app) == []
    logged = await press_label(emulator, ask, "Yes, log it")
    assert logged.text.splitlines()[0] == (
        "Logged for Mon 4 Jan: zercher good mornings 3 x 10 @ 40 kg"
    )
    assert list(buttons(logged)) == ["Undo"]
    # A second "yes" to the same ask (another instance's stale tap) logs nothing more.
    button = decode(buttons(ask)["Yes, log it"])
    assert isinstance(button, OwnAsk)
    ask_id = button.ask_id
    async with services_of(app).sessions.begin() as db:
        assert await services_of(app).own_exercises.answer(db, CHAT, ask_id, keep=True) is None
    assert await _sets(app) == [("custom:zercher good mornings", 10)] * 3

    # Later reports with the name (another spelling) log without asking, with other lifts.
    clock.set(datetime(2027, 1, 6, 18, 0, tzinfo=UTC))
    [both] = await say(emulator, "squats 3x10, zercher good morning 2x8 @ 45kg")
    assert both.text.splitlines()[0] == (
        "Logged for Wed 6 Jan: Squat 3 x 10, zercher good mornings 2 x 8 @ 45 kg"
    )
    assert "🏆 New personal best: zercher good mornings 45 kg (was 40 kg)" in both.text

    # A known lift and a new name in one report: the known one is logged at once.
    logged_now, asked = await say(emulator, "lunges 3x8, 3x12 jefferson curls", replies=2)
    assert logged_now.text.splitlines()[0] == "Logged for Wed 6 Jan: Lunge 3 x 8"
    assert asked.text.startswith("Log 'jefferson curls' as your own exercise?")
    completed = await press_label(emulator, asked, "Yes, log it")
    assert completed.text.splitlines()[0] == (
        "Updated for Wed 6 Jan: Lunge 3 x 8, jefferson curls 3 x 12"
    )

    [history] = await say(emulator, "/history")
    # One workout is one session: the day's messages are one line.
    assert (
        "Wed 6 Jan (extra): Squat 3 x 10, zercher good mornings 2 x 8 @ 45 kg, Lunge 3 x 8, "
        "jefferson curls 3 x 12"
    ) in history.text
    assert "Mon 4 Jan (extra): zercher good mornings 3 x 10 @ 40 kg" in history.text
    [stats] = await say(emulator, "/stats")
    assert "• zercher good mornings: 5 sets, 46 reps" in stats.text
    [document] = await say(emulator, "/export")
    assert document.file_bytes is not None
    exported = read_csv(document.file_bytes, store)
    assert {s.exercise for s in exported} == {
        "squat", "lunge", "zercher good mornings", "jefferson curls",
    }  # fmt: skip
    [chart] = await say(emulator, "/progress")
    assert chart.kind == "photo"


async def test_own_exercises_are_listed_renamed_and_deleted(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    [empty] = await say(emulator, "/myexercises")
    assert empty.text.startswith("You have no exercises of your own yet.")
    for text in ("3x10 zercher good mornings", "3x12 jefferson curls"):
        [ask] = await say(emulator, text)
        await press_label(emulator, ask, "Yes, log it")
    [listing] = await say(emulator, "/myexercises")
    assert listing.text.splitlines()[2:4] == [
        "1. jefferson curls (3 sets logged)",
        "2. zercher good mornings (3 sets logged)",
    ]
    assert list(buttons(listing)) == ["Delete jefferson curls", "Delete zercher good mornings"]

    [renamed] = await say(emulator, "/myexercises rename 2 Zercher GMs")
    assert renamed.text == "Renamed 'zercher good mornings' to 'zercher gms', in your history too."
    [history] = await say(emulator, "/history")
    assert "zercher gms 3 x 10" in history.text
    [known] = await say(emulator, "/myexercises rename 1 back squat")
    assert known.text == "'back squat' is an exercise I know already: log it under that name."
    [taken] = await say(emulator, "/myexercises rename 1 ZERCHER  GMs")
    assert taken.text == "You already have an exercise called 'zercher gms'."
    [missing] = await say(emulator, "/myexercises rename 7 anything")
    assert missing.text == "You have no exercise number 7: /myexercises lists them."
    [bad] = await say(emulator, "/myexercises frobnicate")
    assert bad.text.startswith("I didn't get that.")

    [listing] = await say(emulator, "/myexercises")
    deleted = await press_label(emulator, listing, "Delete jefferson curls")
    assert deleted.text.startswith("Deleted 'jefferson curls' from your own exercises.")
    [by_number] = await say(emulator, "/myexercises delete 1")
    assert by_number.text.startswith("Deleted 'zercher gms' from your own exercises.")
    assert len(await _sets(app)) == 6  # what was logged stays
    [ask] = await say(emulator, "2x10 jefferson curls")  # forgotten: asked again
    assert ask.text.startswith("Log 'jefferson curls' as your own exercise?")


async def _sets(app: LegworkApp) -> list[tuple[str, int]]:
    async with services_of(app).sessions() as db:
        return [(s.exercise, s.reps) for s in await workout_log.sets_of_user(db, CHAT) if s.is_set]


async def test_an_edit_while_asking_is_what_yes_logs_and_an_edit_can_ask(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    sent = emulator.user_sends("3x10 jefferson curls", chat_id=CHAT)
    await emulator.wait_for_messages(1, chat_id=CHAT)
    await emulator.wait_until_idle()
    [ask] = emulator.messages(CHAT)
    emulator.user_edits(sent["message_id"], "3x12 jefferson curls @ 10kg", chat_id=CHAT)
    await emulator.wait_until_idle()
    assert len(emulator.messages(CHAT)) == 1  # the question stands: not asked twice
    logged = await press_label(emulator, ask, "Yes, log it")
    assert logged.text.splitlines()[0] == "Logged for Mon 4 Jan: jefferson curls 3 x 12 @ 10 kg"

    report = emulator.user_sends("squats 3x10", chat_id=CHAT)
    await emulator.wait_for_messages(2, chat_id=CHAT)
    await emulator.wait_until_idle()
    emulator.user_edits(report["message_id"], "squats 3x10, 2x8 reverse hypers", chat_id=CHAT)
    await emulator.wait_for_messages(4, chat_id=CHAT)
    await emulator.wait_until_idle()
    updated, asked = emulator.messages(CHAT)[-2:]
    assert updated.text.splitlines()[0] == "Updated for Mon 4 Jan: Squat 3 x 10"
    assert asked.text.startswith("Log 'reverse hypers' as your own exercise?")
    declined = await press_label(emulator, asked, "No")
    assert declined.text == "OK, not logged: 'reverse hypers'."
    assert await _sets(app) == [("custom:jefferson curls", 12)] * 3 + [("squat", 10)] * 3


async def test_in_a_group_only_the_sender_answers_the_ask(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    group = -100123
    username = app.bot.username
    [ask] = await say(
        emulator, f"@{username} 3x10 jefferson curls", chat=group, chat_type="group",
        user_id=3003,
    )  # fmt: skip
    assert ask.text.startswith("Log 'jefferson curls' as your own exercise?")
    query = emulator.user_presses(
        ask.message_id, buttons(ask)["Yes, log it"], chat_id=group, user_id=4004
    )
    await emulator.wait_for(lambda: emulator.callback_answer(query) is not None)
    await emulator.wait_until_idle()
    answer = emulator.callback_answer(query)
    assert answer is not None
    assert "not yours" in str(answer)
    async with services_of(app).sessions() as db:
        assert await workout_log.last_log(db, 4004) is None
        assert await workout_log.last_log(db, 3003) is None
    query = emulator.user_presses(
        ask.message_id, buttons(ask)["Yes, log it"], chat_id=group, user_id=3003
    )
    await emulator.wait_for(lambda: emulator.callback_answer(query) is not None)
    await emulator.wait_until_idle()
    async with services_of(app).sessions() as db:
        log = await workout_log.last_log(db, 3003)
        assert log is not None
        assert (log.chat_id, [s.exercise for s in log.sets]) == (
            group, ["custom:jefferson curls"] * 3,
        )  # fmt: skip


async def test_an_edit_that_drops_the_new_name_voids_the_ask_and_doubts_are_still_told(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    sent = emulator.user_sends("squats 3x10, 3x8 jefferson curls", chat_id=CHAT)
    await emulator.wait_for_messages(2, chat_id=CHAT)
    await emulator.wait_until_idle()
    _, ask = emulator.messages(CHAT)
    emulator.user_edits(sent["message_id"], "squats 3x12", chat_id=CHAT)
    await emulator.wait_for_messages(3, chat_id=CHAT)
    await emulator.wait_until_idle()
    assert emulator.messages(CHAT)[-1].text.startswith("Updated for Mon 4 Jan: Squat 3 x 12")
    query = emulator.user_presses(ask.message_id, buttons(ask)["Yes, log it"], chat_id=CHAT)
    await emulator.wait_for(lambda: emulator.callback_answer(query) is not None)
    await emulator.wait_until_idle()
    assert "answered already" in str(emulator.callback_answer(query))
    assert await _sets(app) == [("squat", 12)] * 3  # the old text is not logged back

    doubt, asked = await say(emulator, "lunges 3x0, 3x8 reverse hypers", replies=2)
    assert "Not logged: lunge with 0 reps?" in doubt.text
    assert asked.text.startswith("Log 'reverse hypers' as your own exercise?")
