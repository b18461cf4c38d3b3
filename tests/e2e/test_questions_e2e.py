"""A runner talks to the real bot over HTTP: welcome, questions, browsing, groups, failures."""

from __future__ import annotations

import io

from sqlalchemy import select, text

from bot.core.content import ContentStore
from bot.db.models import User
from bot.emulator import BotApiEmulator
from bot.telegram.app import LegworkApp, services_of
from bot.telegram.handlers.errors import SORRY
from tests.e2e.chat import CHAT, buttons, press, say


async def test_start_welcomes_with_buttons_and_registers_commands(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    emulator.user_sends("/start", chat_id=CHAT, first_name="Ada")
    [welcome] = await emulator.wait_for_messages(1, chat_id=CHAT)
    assert "Hi Ada" in welcome.text
    labels = [label for row in welcome.buttons() for label, _ in row]
    assert "Browse exercises" in labels
    commands = emulator.calls("setMyCommands")
    assert commands
    assert "exercises" in str(commands[-1][1]["commands"])


async def test_glute_bridge_question_gets_the_steps(
    emulator: BotApiEmulator, app: LegworkApp, store: ContentStore
) -> None:
    emulator.user_sends("how do I do a glute bridge", chat_id=CHAT)
    [reply] = await emulator.wait_for_messages(1, chat_id=CHAT)
    steps = store.entries["glute-bridge"].topic_text("how-to")
    assert reply.text.startswith("Glute bridge: how to do it")
    assert reply.parse_mode == "HTML"
    assert steps.splitlines()[0] in reply.text
    assert "1." in reply.text
    assert "2." in reply.text
    assert reply.reply_to_message_id is None  # a private chat: no quote
    assert any("mistakes" in label.lower() for row in reply.buttons() for label, _ in row)


async def test_exercise_browser_edits_one_message_in_place(
    emulator: BotApiEmulator, app: LegworkApp, store: ContentStore
) -> None:
    emulator.user_sends("/exercises", chat_id=CHAT)
    [menu] = await emulator.wait_for_messages(1, chat_id=CHAT)

    def press(label: str) -> None:
        current = emulator.messages(CHAT)[-1]
        data = next(d for row in current.buttons() for text, d in row if text == label)
        assert data is not None
        emulator.user_presses(current.message_id, data, chat_id=CHAT)

    async def screen(expected: str) -> str:
        await emulator.wait_for(lambda: expected in emulator.messages(CHAT)[-1].text)
        return emulator.messages(CHAT)[-1].text

    press("Lunges")
    await screen(store.entries["lunge"].summary)
    press("Reverse lunge")
    await screen(store.entries["reverse-lunge"].summary)
    press("Muscles")
    await screen("Reverse lunge: muscles worked")
    press("« Reverse lunge")
    await screen(store.entries["reverse-lunge"].summary)
    press("« Lunges")
    await screen(store.entries["lunge"].summary)
    press("« Exercises")
    await screen("Pick an exercise")

    messages = emulator.messages(CHAT)
    assert len(messages) == 1  # every step edited the same message
    assert messages[0].message_id == menu.message_id
    assert messages[0].edited
    assert len(emulator.calls("answerCallbackQuery")) == 6


async def test_html_special_characters_in_questions_are_safe(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    emulator.user_sends("squats <b>form</b> & knees_in??", chat_id=CHAT)
    emulator.user_sends("is 5 < 10 reps & <i> ok for lunges_", chat_id=CHAT)
    emulator.user_sends("<script>&amp;", chat_id=CHAT)
    replies = await emulator.wait_for_messages(3, chat_id=CHAT)
    assert replies[0].text.startswith("Squat: ")
    assert replies[1].text.startswith("Lunge: ")
    assert "can't help" in replies[2].text


async def test_out_of_scope_question_is_declined_politely(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    emulator.user_sends("how do I do a push-up", chat_id=CHAT)
    [reply] = await emulator.wait_for_messages(1, chat_id=CHAT)
    assert "can't help" in reply.text
    assert "glute bridge" in reply.text


async def test_in_groups_the_bot_answers_only_when_addressed(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    group = -500
    emulator.user_sends("how do I do a glute bridge", chat_id=group, user_id=7, chat_type="group")
    question = emulator.user_sends(
        f"@{emulator.bot_username} what do lunges work?",
        chat_id=group,
        user_id=7,
        chat_type="group",
    )
    [reply] = await emulator.wait_for_messages(1, chat_id=group)
    assert reply.text.startswith("Lunge: muscles worked")
    # In a group the answer quotes the question it answers (as PTB's reply_* do), with its
    # buttons; in a private chat it does not quote.
    assert reply.reply_to_message_id == question["message_id"]
    assert reply.reply_markup is not None
    emulator.user_sends(
        "and common mistakes?",
        chat_id=group,
        user_id=7,
        chat_type="group",
        reply_to_message_id=reply.message_id,
    )
    await emulator.wait_for_messages(2, chat_id=group)
    await emulator.wait_until_idle()
    texts = [m.text for m in emulator.messages(group)]
    assert len(texts) == 2
    assert not any(t.startswith("Glute bridge") for t in texts)


async def test_users_are_stored_in_the_real_database(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    emulator.user_sends("/start", chat_id=CHAT, first_name="Ada", username="ada_runs")
    await emulator.wait_for_messages(1, chat_id=CHAT)
    await emulator.wait_until_idle()  # the row commits with the update, after its reply
    sessions = services_of(app).sessions
    assert sessions is not None
    async with sessions() as session:
        user = (await session.execute(select(User))).scalar_one()
    assert (user.id, user.first_name, user.username) == (CHAT, "Ada", "ada_runs")


async def test_a_failing_send_is_retried_and_nobody_is_told_sorry(
    emulator: BotApiEmulator, app: LegworkApp, log_output: io.StringIO
) -> None:
    emulator.fail_next("sendMessage", status=500)
    emulator.user_sends("how do I do a glute bridge", chat_id=CHAT)
    [answer] = await emulator.wait_for_messages(1, chat_id=CHAT)
    assert answer.text.startswith("Glute bridge: how to do it")
    emulator.user_sends("what do lunges work", chat_id=CHAT)
    [_, second] = await emulator.wait_for_messages(2, chat_id=CHAT)
    assert second.text.startswith("Lunge: muscles worked")
    await emulator.wait_until_idle()
    assert len(emulator.messages(CHAT)) == 2  # no "something went wrong", no duplicate
    assert [f.method for f in emulator.injected_failures] == ["sendMessage"]
    assert "Error while handling an update" not in log_output.getvalue()


async def test_flood_limit_is_retried_and_the_answer_arrives_once(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    emulator.fail_next("sendMessage", status=429, retry_after=1)
    emulator.user_sends("common deadlift mistakes", chat_id=CHAT)
    [reply] = await emulator.wait_for_messages(1, chat_id=CHAT, timeout=10)
    assert reply.text.startswith("Deadlift: common mistakes")
    await emulator.wait_until_idle()
    assert len(emulator.messages(CHAT)) == 1


async def test_pressing_the_current_screen_again_is_harmless(
    emulator: BotApiEmulator, app: LegworkApp, log_output: io.StringIO
) -> None:
    emulator.user_sends("/exercises", chat_id=CHAT)
    [menu] = await emulator.wait_for_messages(1, chat_id=CHAT)
    menu_button = "1:m"
    family = next(d for row in menu.buttons() for _, d in row if d and d.startswith("1:e:"))
    emulator.user_presses(menu.message_id, family, chat_id=CHAT)
    await emulator.wait_for(lambda: emulator.messages(CHAT)[0].edited)
    # A double tap on "back to the menu": two queries before the first edit lands, so the
    # second edit asks for the same content and Telegram answers "message is not modified".
    back = emulator.messages(CHAT)[0]
    data = next(d for row in back.buttons() for _, d in row if d == menu_button)
    emulator.user_presses(back.message_id, data, chat_id=CHAT)
    emulator.user_presses(back.message_id, data, chat_id=CHAT)
    await emulator.wait_for(lambda: len(emulator.calls("answerCallbackQuery")) == 3)
    await emulator.wait_until_idle()
    assert len(emulator.messages(CHAT)) == 1  # no "something went wrong" message
    assert "Error while handling" not in log_output.getvalue()
    not_modified = [r for r in emulator.rejected if "not modified" in r.description]
    assert len(not_modified) <= 1
    emulator.rejected[:] = [r for r in emulator.rejected if r not in not_modified]


async def test_overview_sections_are_browsable(
    emulator: BotApiEmulator, app: LegworkApp, store: ContentStore
) -> None:
    emulator.user_sends("why should runners strength train?", chat_id=CHAT)
    [reply] = await emulator.wait_for_messages(1, chat_id=CHAT)
    assert store.overview.sections[0].title in reply.text
    labels = {label: data for row in reply.buttons() for label, data in row}
    assert store.overview.sections[0].title not in labels  # already on screen
    data = labels["How often"]
    assert data is not None
    emulator.user_presses(reply.message_id, data, chat_id=CHAT)
    await emulator.wait_for(lambda: "Twice a week" in emulator.messages(CHAT)[-1].text)
    assert len(emulator.messages(CHAT)) == 1


async def test_help_lists_examples_and_commands(emulator: BotApiEmulator, app: LegworkApp) -> None:
    emulator.user_sends("/help", chat_id=CHAT)
    [reply] = await emulator.wait_for_messages(1, chat_id=CHAT)
    assert "/exercises" in reply.text
    assert "how do I do a glute bridge" in reply.text


async def test_a_broken_database_costs_one_apology_not_a_loop(
    emulator: BotApiEmulator, app: LegworkApp, log_output: io.StringIO
) -> None:
    """Every update runs in its unit of work: when the database refuses it, each try counts,
    and after the last the runner hears "sorry" once and the chat moves on."""
    engine = services_of(app).engine
    async with engine.begin() as conn:
        await conn.execute(text("ALTER TABLE users RENAME TO users_gone"))
    emulator.user_sends("what do lunges work", chat_id=CHAT)
    [reply] = await emulator.wait_for_messages(1, chat_id=CHAT, timeout=10)
    await emulator.wait_until_idle()
    assert reply.text == SORRY
    assert len(emulator.messages(CHAT)) == 1
    logs = log_output.getvalue()
    assert logs.count("could not be handled") == 3
    assert "giving up on it" in logs


async def test_follow_up_question_stays_on_the_exercise(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    emulator.user_sends("how do I do a glute bridge", chat_id=CHAT)
    await emulator.wait_for_messages(1, chat_id=CHAT)
    emulator.user_sends("and what muscles does it work?", chat_id=CHAT)
    [_, follow_up] = await emulator.wait_for_messages(2, chat_id=CHAT)
    assert follow_up.text.startswith("Glute bridge: muscles worked")


async def test_unknown_command_points_to_help(emulator: BotApiEmulator, app: LegworkApp) -> None:
    emulator.user_sends("/bench", chat_id=CHAT)
    [reply] = await emulator.wait_for_messages(1, chat_id=CHAT)
    assert "/help" in reply.text


async def test_a_name_with_html_characters_is_escaped(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    emulator.user_sends("/start", chat_id=CHAT, first_name="<Ada & Co_>")
    [welcome] = await emulator.wait_for_messages(1, chat_id=CHAT)
    assert welcome.text.startswith("Hi <Ada & Co_>, welcome")
    assert welcome.html is not None
    assert "&lt;Ada &amp; Co_&gt;" in welcome.html


async def test_a_second_question_in_one_message_comes_back_as_a_button(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    """ "How do I do a goblet squat? And how many calf raises should I do?": the first ask is
    answered, the second is a button above the usual links, and tapping it answers it."""
    [answer] = await say(
        emulator, "How do I do a goblet squat? And how many calf raises should I do?"
    )
    assert answer.text.startswith("Goblet squat: how to do it")
    labels = [label for row in answer.buttons() for label, _ in row]
    assert labels[0].startswith("Also:"), labels
    assert "Calf raise" in labels[0], labels
    [edited] = await press(emulator, answer, buttons(answer)[labels[0]])
    assert edited.text.startswith("Calf raise: sets, reps and how often")


async def test_a_follow_up_naming_a_variation_keeps_the_topic(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    """The memory keeps the topic too (in the database): "what about single leg?" after the
    glute bridge's mistakes is the single-leg glute bridge's mistakes."""
    [first] = await say(emulator, "common glute bridge mistakes")
    assert first.text.startswith("Glute bridge: common mistakes")
    [follow_up] = await say(emulator, "what about single leg?")
    assert follow_up.text.startswith("Single-leg glute bridge: common mistakes")
