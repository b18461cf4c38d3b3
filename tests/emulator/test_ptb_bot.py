"""A real telegram.Bot (PTB 22) against the emulator: what the bot sends and what it gets back."""

from __future__ import annotations

import asyncio

import pytest
import telegram
from telegram import BotCommand, BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.emulator import BotApiEmulator, BotMessage, UploadedFile
from tests.emulator.conftest import CHAT, tiny_png


def buttons(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


async def test_get_me_describes_the_bot(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name, me.is_bot) == (
        123456,
        "legwork_bot",
        "Legwork",
        True,
    )
    assert emu.bot_id == me.id


async def test_send_message_to_a_chat_that_wrote(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    sent_by_user = emu.user_sends("hi", first_name="Ada")
    message = await bot.send_message(
        CHAT, "<b>Hello</b>, Ada", parse_mode=ParseMode.HTML, reply_markup=buttons(("Go", "go"))
    )
    assert message.message_id == sent_by_user["message_id"] + 1  # one counter per chat
    assert message.text == "Hello, Ada"
    assert message.entities[0].type == "bold"
    assert message.reply_markup == buttons(("Go", "go"))
    assert message.chat.first_name == "Ada"
    [stored] = emu.messages(CHAT)
    assert (stored.text, stored.html, stored.kind) == ("Hello, Ada", "<b>Hello</b>, Ada", "text")
    assert stored.buttons() == [[("Go", "go")]]
    _method, params = emu.calls("sendMessage")[0]
    assert params["chat_id"] == CHAT  # decoded to the spec's types
    assert params["reply_markup"] == {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}


async def test_sending_to_a_chat_that_never_wrote_fails(
    emu: BotApiEmulator, bot: telegram.Bot
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(4242, "hello?")
    emu.add_chat(4242)  # e.g. a reminder to a user known from the database
    await bot.send_message(4242, "hello!")
    assert emu.rejected[0].description == "Bad Request: chat not found"


async def test_groups_have_negative_ids_and_titles(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    update = emu.user_sends("@legwork_bot help", chat_id=-100, user_id=7, chat_type="supergroup")
    assert update["from"]["id"] == 7
    assert update["entities"] == [{"offset": 0, "length": 12, "type": "mention"}]
    chat = await bot.get_chat(-100)
    assert (chat.type, chat.title) == ("supergroup", "Test Group")
    with pytest.raises(ValueError, match="negative"):
        emu.user_sends("x", chat_id=5, chat_type="group")


async def test_edit_answer_and_delete(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    seen: list[BotMessage] = []
    emu.on_bot_message = seen.append
    emu.user_sends("/menu")
    menu = await bot.send_message(CHAT, "Menu", reply_markup=buttons(("A", "a"), ("B", "b")))
    query_id = emu.user_presses(menu.message_id, "b")
    [update] = await bot.get_updates(offset=-1)
    assert update.callback_query is not None
    assert update.callback_query.data == "b"
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == menu.message_id
    assert emu.pending_callback_queries() == [query_id]
    assert await bot.answer_callback_query(query_id, text="Picked B")
    assert emu.callback_answer(query_id) == {"text": "Picked B"}
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)

    edited = await bot.edit_message_text(
        "B it is", chat_id=CHAT, message_id=menu.message_id, reply_markup=buttons(("Back", "back"))
    )
    assert isinstance(edited, telegram.Message)
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_reply_markup(
            chat_id=CHAT, message_id=menu.message_id, reply_markup=buttons(("Back", "back"))
        )
    await bot.edit_message_reply_markup(chat_id=CHAT, message_id=menu.message_id)
    [current] = emu.messages(CHAT)
    assert (current.text, current.edited, current.reply_markup) == ("B it is", True, None)

    assert await bot.delete_message(CHAT, menu.message_id)
    assert emu.messages(CHAT) == []
    assert emu.messages(CHAT, include_deleted=True)[0].deleted
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("gone", chat_id=CHAT, message_id=menu.message_id)
    with pytest.raises(ValueError, match="no message"):
        emu.user_presses(menu.message_id, "a")
    assert [(m.text, m.edited, m.deleted) for m in seen] == [
        ("Menu", False, False),
        ("B it is", True, False),
        ("B it is", True, False),
        ("B it is", True, True),
    ]


async def test_pressing_a_button_that_is_not_there_is_a_test_error(
    emu: BotApiEmulator, bot: telegram.Bot
) -> None:
    emu.add_chat(CHAT)
    menu = await bot.send_message(CHAT, "Menu", reply_markup=buttons(("A", "a")))
    with pytest.raises(ValueError, match="no button"):
        emu.user_presses(menu.message_id, "zzz")


async def test_replies_must_point_at_existing_messages(
    emu: BotApiEmulator, bot: telegram.Bot
) -> None:
    question = emu.user_sends("question?")
    reply = await bot.send_message(CHAT, "answer", reply_to_message_id=question["message_id"])
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "question?"
    assert emu.messages(CHAT)[0].reply_to_message_id == question["message_id"]
    with pytest.raises(BadRequest, match=r"(?i)replied not found"):
        await bot.send_message(CHAT, "answer", reply_to_message_id=77)


async def test_commands_and_descriptions(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    emu.add_chat(CHAT)
    commands = [BotCommand("start", "Start"), BotCommand("exercises", "Browse exercises")]
    assert await bot.set_my_commands(commands)
    assert await bot.set_my_commands(
        [BotCommand("hilfe", "Hilfe")], scope=BotCommandScopeChat(CHAT), language_code="de"
    )
    assert await bot.get_my_commands() == tuple(commands)
    assert await bot.get_my_commands(scope=BotCommandScopeChat(CHAT), language_code="de") == (
        BotCommand("hilfe", "Hilfe"),
    )
    assert emu.my_commands()[1] == {"command": "exercises", "description": "Browse exercises"}
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])
    assert await bot.set_my_description("Strength for runners")
    assert await bot.set_my_short_description("Legwork")
    assert (await bot.get_my_description()).description == "Strength for runners"


async def test_send_document_and_photo_uploads(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    emu.add_chat(CHAT)
    document = await bot.send_document(
        CHAT, b"week,squats\n1,3x8\n", filename="plan.csv", caption="Your <b>plan</b>",
        parse_mode=ParseMode.HTML,
    )  # fmt: skip
    assert document.document is not None
    assert document.document.file_name == "plan.csv"
    assert document.caption == "Your plan"
    photo = await bot.send_photo(CHAT, tiny_png(3, 2))
    assert (photo.photo[-1].width, photo.photo[-1].height) == (3, 2)
    stored_doc, stored_photo = emu.messages(CHAT)
    assert (stored_doc.kind, stored_doc.file_name, stored_doc.file_bytes) == (
        "document",
        "plan.csv",
        b"week,squats\n1,3x8\n",
    )
    assert stored_doc.caption == "Your plan"
    assert stored_photo.kind == "photo"
    assert stored_photo.file_bytes == tiny_png(3, 2)
    upload = emu.calls("sendDocument")[0][1]["document"]
    assert isinstance(upload, UploadedFile)
    assert upload.filename == "plan.csv"

    again = await bot.send_document(CHAT, document.document.file_id)  # re-send by file_id
    assert again.document is not None
    assert again.document.file_id == document.document.file_id
    downloaded = await (await bot.get_file(document.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"week,squats\n1,3x8\n"

    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(CHAT, b"not an image")
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(CHAT, "no-such-file-id")


async def test_get_updates_offset_semantics(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    for text in ("one", "two", "three"):
        emu.user_sends(text)
    first = await bot.get_updates()
    assert [u.message.text for u in first if u.message] == ["one", "two", "three"]
    assert await bot.get_updates() == first  # nothing confirmed yet: same updates again
    last = first[-1].update_id
    again = await bot.get_updates(offset=last)  # confirms everything below `last`
    assert [u.update_id for u in again] == [last]
    assert emu.pending_updates() == 1
    assert await bot.get_updates(offset=last + 1) == ()
    assert emu.pending_updates() == 0

    for text in ("four", "five", "six"):
        emu.user_sends(text)
    limited = await bot.get_updates(limit=2)
    assert [u.message.text for u in limited if u.message] == ["four", "five"]
    newest = await bot.get_updates(offset=-1)  # forget all but the newest
    assert [u.message.text for u in newest if u.message] == ["six"]
    assert emu.pending_updates() == 1


async def test_allowed_updates_filters_and_sticks(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    emu.user_sends("/menu")
    menu = await bot.send_message(CHAT, "Menu", reply_markup=buttons(("A", "a")))
    await bot.get_updates(offset=-1, allowed_updates=["callback_query"])
    emu.user_sends("ignored")
    emu.user_presses(menu.message_id, "a")
    updates = await bot.get_updates()  # the setting sticks without allowed_updates
    assert [u.callback_query.data for u in updates if u.callback_query] == ["a"]
    assert all(u.message is None for u in updates)


async def test_redelivered_update_keeps_its_id(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    emu.user_sends("once")
    [update] = await bot.get_updates()
    assert await bot.get_updates(offset=update.update_id + 1) == ()
    emu.redeliver_last_update()
    [again] = await bot.get_updates(offset=update.update_id + 1)
    assert again.update_id == update.update_id
    assert again.message is not None
    assert again.message.text == "once"
    assert await bot.get_updates(offset=update.update_id + 1) == ()


async def test_long_poll_wakes_when_the_user_writes(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await emu.wait_for(lambda: emu.waiting_polls == 1)
    emu.user_sends("wake up")
    async with asyncio.timeout(10):  # a safety bound only; the poll itself waits 30 s
        updates = await poll
    assert [u.message.text for u in updates if u.message] == ["wake up"]


async def test_stop_answers_a_pending_long_poll(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await emu.wait_for(lambda: emu.waiting_polls == 1)
    await emu.stop()
    assert await poll == ()


async def test_flood_limit_raises_retry_after(
    emu: BotApiEmulator, bot: telegram.Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB 22 warns about the int-valued retry_after unless this opt-in is set; pytest runs
    # with warnings as errors, so any test that provokes a RetryAfter needs it.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    emu.add_chat(CHAT)
    emu.fail_next("sendMessage", status=429, retry_after=5)
    with pytest.raises(RetryAfter) as error:
        await bot.send_message(CHAT, "x")
    assert error.value.retry_after.total_seconds() == 5  # type: ignore[union-attr]
    await bot.send_message(CHAT, "x")
    assert len(emu.messages(CHAT)) == 1


async def test_server_errors_and_dropped_connections_are_network_errors(
    emu: BotApiEmulator, bot: telegram.Bot
) -> None:
    emu.add_chat(CHAT)
    emu.fail_next("sendMessage", status=500)
    with pytest.raises(NetworkError, match="Internal Server Error") as error:
        await bot.send_message(CHAT, "x")
    assert not isinstance(error.value, BadRequest)
    emu.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(CHAT, "x")
    emu.fail_next("sendMessage", drop_connection=True)
    with pytest.raises(NetworkError, match="RemoteProtocolError"):
        await bot.send_message(CHAT, "x")
    assert emu.messages() == []
    await bot.send_message(CHAT, "finally")
    assert [m.text for m in emu.messages()] == ["finally"]


async def test_blocked_users_give_forbidden_until_they_write_again(
    emu: BotApiEmulator, bot: telegram.Bot
) -> None:
    emu.user_sends("hi")
    emu.user_blocks_bot()
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(CHAT, "reminder")
    emu.fail_next("sendChatAction", status=403)
    emu.user_sends("/start")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(CHAT, "typing")
    assert await bot.send_chat_action(CHAT, "typing")


async def test_wait_for_messages_counts_since_start(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    emu.add_chat(CHAT)
    emu.add_chat(7)

    async def send_later() -> None:
        await bot.send_message(7, "other chat")
        await bot.send_message(CHAT, "one")
        await bot.send_message(CHAT, "two")

    task = asyncio.create_task(send_later())
    messages = await emu.wait_for_messages(2, chat_id=CHAT)
    await task
    assert [m.text for m in messages] == ["one", "two"]
    with pytest.raises(TimeoutError, match="sent #"):
        await emu.wait_for_messages(3, chat_id=CHAT, timeout=0.05)
