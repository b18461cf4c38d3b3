"""Sending and editing answers: HTML chunks, keyboards on the last chunk."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.core.answering import Answer
from bot.core.render import answer_html

# Keyboards come from keyboards.py's caches, so one object serves many sends: its JSON too.
_markup_json: dict[int, tuple[InlineKeyboardMarkup, dict[str, Any]]] = {}
MAX_CACHED = 4096


def _as_json(markup: InlineKeyboardMarkup) -> dict[str, Any]:
    found = _markup_json.get(id(markup))
    if found is not None and found[0] is markup:
        return found[1]
    if len(_markup_json) >= MAX_CACHED:
        _markup_json.clear()
    data = markup.to_dict()
    _markup_json[id(markup)] = (markup, data)  # the entry keeps the object, so its id stays
    return data


async def reply_html(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """What ``message.reply_html(text, reply_markup=markup)`` sends, without reading back the
    copy of the sent message that Telegram returns: parsing it into PTB objects (its entities,
    its keyboard button by button) costs more CPU than the rest of answering a question, and
    an answer's sender never looks at it. The same request: HTML (the Application's default),
    no link previews, quoting the question in groups as PTB's reply_* do, in its forum topic.
    It goes through the bot's send layer like every call (flood limits, retries)."""
    data: dict[str, Any] = {
        "chat_id": message.chat_id,
        "text": text,
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    if message.chat.type != ChatType.PRIVATE:
        data["reply_parameters"] = {"message_id": message.message_id}
    if message.is_topic_message and message.message_thread_id is not None:
        data["message_thread_id"] = message.message_thread_id
    if message.business_connection_id is not None:
        data["business_connection_id"] = message.business_connection_id
    if markup is not None:
        data["reply_markup"] = _as_json(markup)
    # Bot._post is what every Bot method calls after building its parameters; the public
    # do_api_request refuses endpoints that have a method (it warns: use send_message).
    await message.get_bot()._post("sendMessage", data)


async def send_answer(
    message: Message, answer: Answer, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    chunks = answer_html(answer)
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        await reply_html(message, chunk, keyboard if last else None)


async def edit_answer(
    message: Message, answer: Answer, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Replace a browser message in place; overflow (rare: long overviews) follows as new ones."""
    chunks = answer_html(answer)
    first, rest = chunks[0], chunks[1:]
    try:
        await message.edit_text(first, reply_markup=None if rest else keyboard)
    except BadRequest as exc:
        # A double tap on the same button asks for the same content again: nothing to do.
        if "message is not modified" not in exc.message.lower():
            raise
    for index, chunk in enumerate(rest):
        last = index == len(rest) - 1
        await message.chat.send_message(chunk, reply_markup=keyboard if last else None)
