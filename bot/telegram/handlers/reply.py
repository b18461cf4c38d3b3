"""Sending and editing answers: HTML chunks, keyboards on the last chunk."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.core.answering import Answer
from bot.core.render import answer_html, fit_html
from bot.telegram.callbacks import NO_LONGER_VALID

log = logging.getLogger(__name__)

# A reply longer than this many messages is shortened, with a count of what was left out.
MAX_PARTS = 4


async def reply_long(
    message: Message, html: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Reply with ``html`` however long (split at line breaks, keyboard on the last part).
    Called after the data is written: if Telegram refuses the reply for a reason of ours, that
    is logged once and the data stays (a retry of the update would only be refused again)."""
    parts = fit_html(html, max_messages=MAX_PARTS)
    try:
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await message.reply_html(part, reply_markup=keyboard if last else None)
    except BadRequest:
        log.exception("Telegram refused a reply in chat %s; the data is kept", message.chat_id)


async def edit_long(
    message: Message, html: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Replace ``message`` with ``html`` however long: the first part in place, the rest as new
    messages (keyboard on the last). A refusal is logged once, as in reply_long."""
    first, *rest = fit_html(html, max_messages=MAX_PARTS)
    try:
        await edit_or_send(message, first, None if rest else keyboard)
        for index, part in enumerate(rest):
            last = index == len(rest) - 1
            await message.chat.send_message(part, reply_markup=keyboard if last else None)
    except BadRequest:
        log.exception("Telegram refused an edit in chat %s; the data is kept", message.chat_id)


async def no_longer_valid(query: CallbackQuery) -> None:
    """A button whose data does not decode, or names something that is not the presser's:
    answered at once (the spinner stops), nothing changes."""
    await query.answer(NO_LONGER_VALID)


async def send_answer(
    message: Message, answer: Answer, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    chunks = answer_html(answer)
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        await message.reply_html(chunk, reply_markup=keyboard if last else None)


# Telegram's answers to editing a message that cannot be edited any more (too old, deleted).
_UNEDITABLE = ("can't be edited", "cannot be edited", "message to edit not found")


async def edit_or_send(
    message: Message,
    html: str,
    keyboard: InlineKeyboardMarkup | None = None,
    instead: str | None = None,
) -> None:
    """Show ``html`` in place of ``message``; when the message cannot be edited (too old,
    deleted), send it (or ``instead``) as a new message rather than fail the update, which
    would only be retried into the same refusal. A double tap's "not modified" is nothing."""
    try:
        await message.edit_text(html, reply_markup=keyboard)
    except BadRequest as exc:
        reason = exc.message.lower()
        if "message is not modified" in reason:
            return
        if not any(part in reason for part in _UNEDITABLE):
            raise
        await message.chat.send_message(instead or html, reply_markup=keyboard)


async def edit_answer(
    message: Message, answer: Answer, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Replace a browser message in place; overflow (rare: long overviews) follows as new ones."""
    chunks = answer_html(answer)
    first, rest = chunks[0], chunks[1:]
    await edit_or_send(message, first, None if rest else keyboard)
    for index, chunk in enumerate(rest):
        last = index == len(rest) - 1
        await message.chat.send_message(chunk, reply_markup=keyboard if last else None)


async def private_sender(update: Update, refusal: str) -> tuple[Message, int] | None:
    """The message and its sender of a command that is personal; in a group, reply ``refusal``
    (do it in the private chat) and return None."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(refusal)
        return None
    return message, user.id
