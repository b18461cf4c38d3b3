"""The inline exercise browser: family -> variation -> topic, editing one message in place."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot.core.answering import Answer
from bot.db import conversations
from bot.telegram.callbacks import Entry, Menu, Overview, TopicPage, decode
from bot.telegram.handlers import keyboards, questions
from bot.telegram.handlers.context import Context, services
from bot.telegram.handlers.reply import edit_answer, no_longer_valid


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    svc = services(context)
    store = svc.store
    button = decode(query.data)
    message = query.message
    entry = getattr(button, "entry", None)
    section = button.section if isinstance(button, Overview) else None
    if (
        not isinstance(button, Menu | Overview | Entry | TopicPage)
        or not isinstance(message, Message)
        or (entry is not None and entry not in store.entries)
        or (section is not None and section >= len(store.overview.sections))
    ):
        await no_longer_valid(query)
        return
    await query.answer()
    answer: Answer
    markup: InlineKeyboardMarkup
    if isinstance(button, Menu):
        answer = Answer(None, None, "Exercises", "Pick an exercise to see how to do it and more.")
        markup = keyboards.menu(store)
    elif isinstance(button, Overview):
        answer = svc.answerer.overview_answer(button.section)
        markup = keyboards.overview(store, answer.sections)
    elif isinstance(button, Entry):
        answer = svc.answerer.summary_answer(button.entry)
        markup = keyboards.entry(store, button.entry)
    else:
        answer = svc.answerer.topic_answer(button.entry, button.topic)
        links = svc.answerer.links(button.entry, button.topic)
        markup = keyboards.topic(store, button.entry, button.topic, links)
    await edit_answer(message, answer, markup)
    if isinstance(button, Entry | TopicPage):
        # The conversation is now about this exercise: "and the mistakes?" follows it.
        chat_id = message.chat.id
        topic = button.topic if isinstance(button, TopicPage) else None
        known = await conversations.last_talked_about(context.session, chat_id)
        if known != (button.entry, topic):
            await questions.remember(context, chat_id, button.entry, topic)


async def on_invalid(update: Update, context: Context) -> None:
    """Any button no handler claimed: stale or forged callback data."""
    if update.callback_query is not None:
        await no_longer_valid(update.callback_query)
