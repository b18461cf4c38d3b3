"""Groups: anonymous admins, members posting as a channel, other bots, any user pressing any
button, messages that cannot be edited, and raw update kinds, as PTB receives them."""

from __future__ import annotations

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.emulator import BotApiEmulator
from bot.emulator.users import CHANNEL_BOT, GROUP_ANONYMOUS_BOT
from tests.emulator.conftest import CHAT

GROUP = -1001000000042


async def _only_update(bot: telegram.Bot) -> telegram.Update:
    updates = await bot.get_updates()
    await bot.get_updates(offset=updates[-1].update_id + 1)  # confirm them
    [update] = updates
    return update


async def test_an_anonymous_admin_posts_as_the_group(
    emu: BotApiEmulator, bot: telegram.Bot
) -> None:
    emu.anonymous_admin_sends("3x10 squats @ 40kg", chat_id=GROUP, author_signature="Coach")
    message = (await _only_update(bot)).message
    assert message is not None
    assert message.from_user is not None
    assert (message.from_user.id, message.from_user.is_bot) == (1087968824, True)
    assert message.from_user.username == GROUP_ANONYMOUS_BOT["username"]
    assert message.sender_chat is not None
    assert message.sender_chat.id == message.chat.id == GROUP
    assert message.author_signature == "Coach"
    await bot.send_message(GROUP, "There is no person to log this for.")  # the group is known
    assert emu.rejected == []


async def test_a_member_posts_as_a_channel(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    emu.channel_sends("hello", chat_id=GROUP, channel_id=-1009999, channel_title="Club")
    message = (await _only_update(bot)).message
    assert message is not None
    assert message.from_user is not None
    assert message.from_user.id == CHANNEL_BOT["id"]
    assert message.sender_chat is not None
    assert (message.sender_chat.id, message.sender_chat.type) == (-1009999, "channel")
    assert (await bot.get_chat(-1009999)).title == "Club"


async def test_another_bot_writes_in_a_group_but_never_in_private(
    emu: BotApiEmulator, bot: telegram.Bot
) -> None:
    emu.bot_account_sends("/start", chat_id=GROUP, bot_id=777, username="spam_bot")
    message = (await _only_update(bot)).message
    assert message is not None
    assert message.from_user is not None
    assert (message.from_user.id, message.from_user.is_bot) == (777, True)
    assert message.sender_chat is None
    with pytest.raises(ValueError, match="groups"):
        emu.bot_account_sends("hi", chat_id=CHAT, chat_type="private")


async def test_any_member_presses_a_button_on_an_earlier_message(
    emu: BotApiEmulator, bot: telegram.Bot
) -> None:
    emu.user_sends("/start", chat_id=GROUP, chat_type="supergroup", user_id=5)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Set up", callback_data="setup")]])
    older = await bot.send_message(GROUP, "Set up reminders?", reply_markup=keyboard)
    await bot.send_message(GROUP, "A newer message")
    await _only_update(bot)  # the /start

    emu.user_presses(older.message_id, "setup", chat_id=GROUP, user_id=9, first_name="Bea")
    query = (await _only_update(bot)).callback_query
    assert query is not None
    assert (query.from_user.id, query.from_user.first_name) == (9, "Bea")
    assert query.message is not None
    assert query.message.message_id == older.message_id
    assert await query.answer("Only in a private chat")


async def test_a_message_that_can_no_longer_be_edited(
    emu: BotApiEmulator, bot: telegram.Bot
) -> None:
    emu.user_sends("/plan")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="done")]])
    sent = await bot.send_message(CHAT, "Today: squats", reply_markup=keyboard)
    await _only_update(bot)
    emu.make_uneditable(sent.message_id)
    emu.user_presses(sent.message_id, "done", inaccessible=True)
    query = (await _only_update(bot)).callback_query
    assert query is not None
    assert query.message is not None
    assert not query.message.is_accessible  # date 0: PTB's sign of an InaccessibleMessage
    assert await query.answer("Logged")
    with pytest.raises(BadRequest, match=r"(?i)message can.t be edited"):
        await bot.edit_message_text("Today: done", chat_id=CHAT, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message can.t be edited"):
        await bot.edit_message_reply_markup(chat_id=CHAT, message_id=sent.message_id)
    assert [r.description for r in emu.rejected] == ["Bad Request: message can't be edited"] * 2
    [stored] = emu.messages(CHAT)
    assert (stored.text, stored.edited) == ("Today: squats", False)


async def test_raw_updates_of_any_kind(emu: BotApiEmulator, bot: telegram.Bot) -> None:
    channel = {"id": -1005550000, "type": "channel", "title": "News"}
    post_id = emu.queue_raw_update("channel_post", {"chat": channel, "text": "Race on Sunday"})
    member_id = emu.queue_raw_update(
        "my_chat_member",
        {
            "chat": {"id": CHAT, "type": "private", "first_name": "Ada"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "Ada"},
            "date": 1_700_000_000,
            "old_chat_member": {"status": "member", "user": emu_bot_user(emu)},
            "new_chat_member": {
                "status": "kicked",
                "user": emu_bot_user(emu),
                "until_date": 0,
            },
        },
    )
    assert member_id == post_id + 1
    updates = await bot.get_updates(allowed_updates=["channel_post", "my_chat_member"])
    post, member = updates
    assert post.channel_post is not None
    assert post.channel_post.text == "Race on Sunday"
    assert post.channel_post.message_id == 1  # filled in: the channel's first message
    assert member.my_chat_member is not None
    assert member.my_chat_member.new_chat_member.status == "kicked"
    await bot.send_message(-1005550000, "seen")  # chats named in raw updates become known
    with pytest.raises(ValueError, match="unknown update kind"):
        emu.queue_raw_update("telepathy", {})


def emu_bot_user(emu: BotApiEmulator) -> dict[str, object]:
    return {"id": emu.bot_id, "is_bot": True, "first_name": emu.bot_name}
