"""The inline exercise browser: family -> variation -> topic, editing one message in place."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot.core.answering import Answer
from bot.db import conversations
from bot.telegram.handlers import keyboards, questions
from bot.telegram.handlers.callbacks import decode
from bot.telegram.handlers.context import Context, services
from bot.telegram.handlers.reply import edit_answer


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    svc = services(context)
    route = decode(query.data or "", svc.store)
    message = query.message
    if route is None or not isinstance(message, Message):
        await query.answer("That button has expired. Send /exercises for a fresh menu.")
        return
    await query.answer()
    answer: Answer
    markup: InlineKeyboardMarkup
    if route.view == "menu":
        answer = Answer(None, None, "Exercises", "Pick an exercise to see how to do it and more.")
        markup = keyboards.menu(svc.store)
    elif route.view == "overview":
        answer = svc.answerer.overview_answer(route.section)
        markup = keyboards.overview(svc.store, answer.sections)
    elif route.view == "entry" and route.entry:
        answer = svc.answerer.summary_answer(route.entry)
        markup = keyboards.entry(svc.store, route.entry)
    elif route.entry and route.topic:
        answer = svc.answerer.topic_answer(route.entry, route.topic)
        links = svc.answerer.links(route.entry, route.topic)
        markup = keyboards.topic(svc.store, route.entry, route.topic, links)
    else:  # pragma: no cover - decode() only builds complete routes
        return
    await edit_answer(message, answer, markup)
    if route.entry is not None:
        # The conversation is now about this exercise: "and the mistakes?" follows it.
        chat_id = message.chat.id
        if await conversations.last_exercise(context.session, chat_id) != route.entry:
            await questions.remember(context, chat_id, route.entry)
