"""Sending and editing answers: HTML chunks, keyboards on the last chunk."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.core.answering import Answer
from bot.core.render import answer_html
from bot.telegram.callbacks import NO_LONGER_VALID


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
