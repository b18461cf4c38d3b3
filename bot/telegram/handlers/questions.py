"""Free-text questions: private chats always; groups only when the bot is addressed."""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType

from bot.db import conversations
from bot.telegram.handlers import keyboards
from bot.telegram.handlers.context import Context
from bot.telegram.handlers.reply import send_answer


def addressed_text(message: Message, bot_id: int, bot_username: str) -> str | None:
    """The question in a group message meant for the bot, without the @mention; else None."""
    text = message.text or ""
    mention = f"@{bot_username}".lower()
    mentioned = any(
        entity.type == MessageEntity.MENTION and message.parse_entity(entity).lower() == mention
        for entity in message.entities
    )
    replied = (
        message.reply_to_message is not None
        and message.reply_to_message.from_user is not None
        and message.reply_to_message.from_user.id == bot_id
    )
    if not (mentioned or replied):
        return None
    if mentioned:
        index = text.lower().find(mention)
        text = text[:index] + text[index + len(mention) :]
    return text.strip()


async def on_text(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    text: str | None = message.text
    if message.chat.type != ChatType.PRIVATE:
        text = addressed_text(message, context.bot.id, context.bot.username)
        if text is None:
            return
    svc = context.services
    # Follow-ups ("what muscles does it work?") stay on the exercise last talked about here;
    # the memory is in the database, so a restart keeps the conversation.
    previous, previous_topic = await conversations.last_talked_about(
        context.session, message.chat.id
    )
    answer = svc.answerer.answer(text or "", previous=previous, previous_topic=previous_topic)
    await send_answer(message, answer, keyboards.for_answer(svc.answerer, answer))
    # Written after the answer went out and only when it changed: on SQLite a write takes the
    # database's one write lock until the update commits, which must not span a send.
    remembered = answer.exercise if answer.exercise is not None else previous
    topic = answer.topic if answer.exercise is not None else previous_topic
    if answer.exercise is None and answer.moved_on:  # "pistol squats?" then "how many sets?"
        remembered = topic = None
    if (remembered, topic) != (previous, previous_topic):
        await remember(context, message.chat.id, remembered, topic)


async def remember(context: Context, chat_id: int, exercise: str | None, topic: str | None) -> None:
    """The chat's conversation memory, in the update's unit of work."""
    now = context.services.clock.now()
    await conversations.remember(context.session, chat_id, exercise, topic, now)


async def on_unknown_command(update: Update, context: Context) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            "I don't know that command. Try /exercises to browse, /help for examples, or just "
            "ask a question."
        )


async def on_unsupported(update: Update, context: Context) -> None:
    """Stickers, photos, voice notes in a private chat: say what we understand."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            "I can only read text for now. Ask me something like: how do I do a glute bridge?"
        )
