"""A runner's week, end to end (issue 19 §2): one workout is one session however many messages
it takes, "done" closes it, a mis-tapped Skip is taken back in words, /undo says what it
removed, and a run gets a friendly line. Real Application against the emulator, both databases.

Monday 4 Jan 2027 (Berlin) is a strength day of "/remind 07:00 mon thu": squat 2 x 10, side
lunge 2 x 6, glute bridge 2 x 12, calf raise 3 x 12, conventional deadlift 2 x 10 @ 20 kg.
"""

from __future__ import annotations

from bot.core.clock import FixedClock
from bot.db import planned_sessions, workout_log
from bot.emulator import BotApiEmulator
from bot.telegram.app import LegworkApp, services_of
from tests.e2e.chat import CHAT, buttons, press, press_label, say

TODAY = "Mon 4 Jan"


async def _set_up(emulator: BotApiEmulator) -> None:
    await say(emulator, "/timezone Berlin", replies=2)
    await say(emulator, "/remind 07:00 mon thu")


async def _status(app: LegworkApp, clock: FixedClock) -> str:
    async with services_of(app).sessions() as db:
        planned = await planned_sessions.for_day(db, CHAT, clock.now().date())
        assert planned is not None
        return planned.status


async def test_messages_of_one_workout_make_one_session_until_done(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    await _set_up(emulator)
    [first] = await say(emulator, "did 3x10 goblet squats with 16kg")
    assert first.text.splitlines()[0] == f"Logged for {TODAY}: Goblet squat 3 x 10 @ 16 kg"
    assert first.text.splitlines()[1] == (
        "1 of 4 exercises logged: Romanian deadlift, Calf raise and Glute bridge left. Say done "
        "when you finish."
    )
    [second] = await say(emulator, "calf raises 15, 15, 12 and lunges 2x6")
    # Lunges are not in today's plan: logged with the session, not counted against it.
    assert "2 of 4 exercises logged: Romanian deadlift and Glute bridge left." in second.text
    assert await _status(app, clock) in planned_sessions.OPEN  # not closed by the first line
    [today] = await say(emulator, "/today")
    assert "✅ Done" in buttons(today)

    [done] = await say(emulator, "done")
    assert done.text.splitlines()[0] == (
        f"Session done for {TODAY}: Goblet squat 3 x 10 @ 16 kg, Calf raise 15 / 15 / 12, "
        "Lunge 2 x 6"
    )
    assert done.text.splitlines()[1] == (
        "Planned session done: 2 of 4 exercises logged (Romanian deadlift and Glute bridge not "
        "done)."
    )
    assert await _status(app, clock) == "done"

    [stats] = await say(emulator, "/stats")
    assert "Sessions logged: 1." in stats.text  # three messages, one workout
    assert "This week: 1 of 2 planned sessions done." in stats.text
    [history] = await say(emulator, "/history")
    assert "(1–1 of 1, newest first)" in history.text
    assert f"{TODAY}: Goblet squat 3 x 10 @ 16 kg, Calf raise 15 / 15 / 12, Lunge 2 x 6" in (
        history.text
    )

    # After "done" the planned session is closed: more work is an extra session.
    [extra] = await say(emulator, "glute bridges 2x12")
    assert "Logged as an extra session." in extra.text
    [again] = await say(emulator, "done")
    assert again.text.startswith(f"Session done for {TODAY}: Glute bridge 2 x 12")
    [stats] = await say(emulator, "/stats")
    assert "Sessions logged: 2." in stats.text
    assert "plus 1 extra" in stats.text
    [nothing] = await say(emulator, "done")
    assert nothing.text == "Today's session is already done, so there is nothing to mark as done."

    [undo] = await say(emulator, "/undo")  # the bare "done" of the extra session
    assert undo.text == f"Removed: done, {TODAY}."
    [undo] = await say(emulator, "/undo")
    assert undo.text == f"Removed: Glute bridge 2 x 12, {TODAY}."

    [run] = await say(emulator, "ran 10k")
    assert run.text.startswith("Nice run!")
    assert "squats 3x10" in run.text


async def test_logging_every_planned_exercise_completes_the_session(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    await _set_up(emulator)
    await say(emulator, "goblet squats 2x12 @ 8kg, romanian deadlifts 2x12 @ 8kg")
    [last] = await say(emulator, "calf raises 2x12, glute bridges 2x12")
    assert "Planned session complete: all 4 exercises logged. Strong work!" in last.text
    assert await _status(app, clock) == "done"


async def test_oops_actually_i_did_it_turns_a_skip_into_done(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    await _set_up(emulator)
    [today] = await say(emulator, "/today")
    await press(emulator, today, buttons(today)["Skip"])
    assert await _status(app, clock) == "skipped"
    [fixed] = await say(emulator, "oops, actually I did it")
    assert fixed.text.startswith(
        f"Logged for {TODAY}: Goblet squat 2 x 12 @ 8 kg, Romanian deadlift 2 x 12 @ 8 kg"
    )
    assert "Planned session complete: all 4 exercises logged." in fixed.text
    assert await _status(app, clock) == "done"
    [history] = await say(emulator, "/history")
    assert "(1–1 of 1, newest first)" in history.text
    assert "skipped" not in history.text


async def _sets(app: LegworkApp, exercise: str) -> list[tuple[int, float | None]]:
    async with services_of(app).sessions() as db:
        rows = await workout_log.sets_of_user(db, CHAT)
    return [(r.reps, r.weight_kg) for r in rows if r.exercise == exercise]


async def test_a_correction_in_words_changes_the_last_log_of_that_exercise_with_undo(
    app: LegworkApp, emulator: BotApiEmulator
) -> None:
    await say(emulator, "rdl 3x8 @ 30kg")
    await say(emulator, "squats 3x10")
    [fixed] = await say(emulator, "actually i only did 2 sets of the RDLs")
    assert fixed.text == (
        f"Corrected for {TODAY}: Romanian deadlift 2 x 8 @ 30 kg (was 3 x 8 @ 30 kg)."
    )
    assert await _sets(app, "romanian-deadlift") == [(8, 30.0)] * 2
    assert await _sets(app, "squat") == [(10, None)] * 3  # the other log is untouched
    back = await press_label(emulator, fixed, "Undo")
    assert back.text == f"Undone for {TODAY}: Romanian deadlift 3 x 8 @ 30 kg again."
    assert await _sets(app, "romanian-deadlift") == [(8, 30.0)] * 3
    [again] = await say(emulator, "actually rdl 3x6")  # the load stays
    assert again.text.startswith(f"Corrected for {TODAY}: Romanian deadlift 3 x 6 @ 30 kg")
    [none] = await say(emulator, "actually 2 sets of calf raises")
    assert none.text.startswith("There is no log of that exercise to correct.")
    [history] = await say(emulator, "/history")
    assert "Romanian deadlift 3 x 6 @ 30 kg, Squat 3 x 10" in history.text


async def test_done_button_after_logging_in_words_counts_the_work_once(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    await _set_up(emulator)
    await say(emulator, "squats 2x10")
    [today] = await say(emulator, "/today")
    await press(emulator, today, buttons(today)["✅ Done"])
    assert await _status(app, clock) == "done"
    assert await _sets(app, "squat") == [(10, None)] * 2  # not the prescription on top
    [stats] = await say(emulator, "/stats")
    assert "Sessions logged: 1." in stats.text
    assert "Squat: 2 sets, 20 reps" in stats.text
