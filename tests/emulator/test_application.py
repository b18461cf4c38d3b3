"""A full telegram.ext.Application polling the emulator, the way the e2e tests run the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.emulator import BotApiEmulator
from tests.emulator.conftest import CHAT

EchoApp = Application[Any, Any, Any, Any, Any, Any]


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        f"<i>you said:</i> {update.effective_message.text}",
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="again")]]),
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "Welcome!")


async def again(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Again!")
    await query.edit_message_text("pressed")


@pytest.fixture
async def app(emu: BotApiEmulator) -> AsyncIterator[EchoApp]:
    application: EchoApp = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(CallbackQueryHandler(again))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    # poll_interval=0 and a short long-poll timeout keep start-up and shutdown fast.
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


async def test_the_bot_replies_and_handles_buttons(emu: BotApiEmulator, app: EchoApp) -> None:
    emu.user_sends("/start")
    emu.user_sends("hi")
    welcome, reply = await emu.wait_for_messages(2, chat_id=CHAT)
    assert welcome.text == "Welcome!"
    assert reply.text == "you said: hi"
    assert reply.reply_to_message_id is None  # reply_text does not quote by default
    assert reply.buttons() == [[("Again", "again")]]

    query_id = emu.user_presses(reply.message_id, "again")
    await emu.wait_for(lambda: emu.messages(CHAT)[-1].text == "pressed")
    assert emu.callback_answer(query_id) == {"text": "Again!"}
    await emu.wait_until_idle()
    assert emu.pending_updates() == 0
    assert emu.rejected == []


async def test_the_same_update_twice_is_handled_twice_by_plain_ptb(
    emu: BotApiEmulator, app: EchoApp
) -> None:
    emu.user_sends("once")
    await emu.wait_for_messages(1)
    emu.redeliver_last_update()
    messages = await emu.wait_for_messages(2)
    assert [m.text for m in messages] == ["you said: once", "you said: once"]
    assert emu.rejected == []


async def test_shutdown_confirms_fetched_updates(emu: BotApiEmulator) -> None:
    application: EchoApp = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    emu.user_sends("hello")
    await emu.wait_for_messages(1)
    await application.updater.stop()  # PTB's last getUpdates(offset, timeout=0) confirms
    await application.stop()
    await application.shutdown()
    assert emu.pending_updates() == 0
    assert [m for m, _ in emu.calls()][:2] == ["getMe", "deleteWebhook"]
    assert emu.rejected == []
