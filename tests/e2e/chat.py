"""A runner's side of the chat in end-to-end tests: say something, press a button, read buttons."""

from __future__ import annotations

from bot.emulator import BotApiEmulator, BotMessage
from bot.emulator.state import JSON

CHAT = 1001


async def say(
    emulator: BotApiEmulator, text: str, replies: int = 1, chat: int = CHAT, **sender: object
) -> list[BotMessage]:
    """Send ``text``; wait for ``replies`` new messages and for the bot to finish the update."""
    before = len(emulator.messages(chat))
    emulator.user_sends(text, chat_id=chat, **sender)  # type: ignore[arg-type]
    await emulator.wait_for_messages(before + replies, chat_id=chat)
    await emulator.wait_until_idle()
    return emulator.messages(chat)[before:]


def current(emulator: BotApiEmulator, message: BotMessage, chat: int = CHAT) -> BotMessage:
    """``message`` as it is now (after edits)."""
    return next(m for m in emulator.messages(chat) if m.message_id == message.message_id)


def buttons(message: BotMessage) -> dict[str, str]:
    """Label -> callback data of the message's inline keyboard."""
    return {label: data or "" for row in message.buttons() for label, data in row}


async def press(
    emulator: BotApiEmulator, message: BotMessage, data: str, replies: int = 0, chat: int = CHAT
) -> list[BotMessage]:
    """Press the button with callback ``data``; wait for ``replies`` new messages, or with 0 for
    the message to be edited. Returns the new messages (with 0: the edited message)."""
    before = len(emulator.messages(chat))
    edits = current(emulator, message, chat).edit_count
    query = emulator.user_presses(message.message_id, data, chat_id=chat)
    await emulator.wait_for(lambda: emulator.callback_answer(query) is not None)
    if replies:
        await emulator.wait_for_messages(before + replies, chat_id=chat)
    else:
        await emulator.wait_for(lambda: current(emulator, message, chat).edit_count > edits)
    await emulator.wait_until_idle()
    if replies:
        return emulator.messages(chat)[before:]
    return [current(emulator, message, chat)]


async def tap(
    emulator: BotApiEmulator, message: BotMessage, data: str, chat: int = CHAT, **presser: object
) -> JSON:
    """Press the button with callback ``data`` (as ``presser``: user_id, first_name, ...) when
    nothing is expected but the answer; returns the answerCallbackQuery parameters once the bot
    has finished the update."""
    query = emulator.user_presses(message.message_id, data, chat_id=chat, **presser)  # type: ignore[arg-type]
    await emulator.wait_for(lambda: emulator.callback_answer(query) is not None)
    await emulator.wait_until_idle()
    answer = emulator.callback_answer(query)
    assert answer is not None
    return answer


async def press_label(
    emulator: BotApiEmulator, message: BotMessage, label: str, chat: int = CHAT
) -> BotMessage:
    """Press the button labelled ``label``; returns the message once it was edited."""
    [edited] = await press(emulator, message, buttons(message)[label], chat=chat)
    return edited
