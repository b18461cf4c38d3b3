"""Corrections in words ("actually i only did 2 sets of the RDLs") and their Undo (the typed
button ``UndoCorrection`` puts the entry back as it was, on the presser's own log only)."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import filters

from bot.core.reports import format_entry
from bot.core.reports.format import name_of
from bot.services.corrections import Corrected, Corrections
from bot.telegram.callbacks import UndoCorrection, decode, encode, fits
from bot.telegram.handlers import workouts
from bot.telegram.handlers.context import Context
from bot.telegram.handlers.reply import edit_or_send, no_longer_valid
from bot.telegram.handlers.workouts_text import day_label


class CorrectionFilter(filters.MessageFilter):
    """A message that starts like a correction ("actually ...") and names one exercise."""

    def __init__(self, corrections: Corrections) -> None:
        super().__init__(name="CorrectionFilter")
        self._corrections = corrections

    def filter(self, message: Message) -> bool:
        text = workouts.addressed(message)
        return text is not None and self._corrections.is_correction(text)


def _undo_button(corrected: Corrected) -> InlineKeyboardButton | None:
    before = corrected.before
    button = UndoCorrection(corrected.log.id, corrected.index, before.reps, before.weight_kg)
    if not fits(button):  # many sets or an odd load: no Undo (a new correction still works)
        return None
    return InlineKeyboardButton("Undo", callback_data=encode(button))


def _text(corrected: Corrected, context: Context, undone: bool = False) -> str:
    """ "Corrected for Mon 4 Jan: Romanian deadlift 2 x 8 @ 30 kg (was 3 x 8 @ 30 kg)." """
    store = context.services.store
    day = day_label(corrected.log.local_date)
    now = escape(format_entry(corrected.after, store))
    if undone:
        return f"<b>Undone for {day}:</b> {now} again."
    name = name_of(store, corrected.before.exercise)
    was = format_entry(corrected.before, store).removeprefix(name).strip()
    return f"<b>Corrected for {day}:</b> {now} (was {escape(was)})."


async def on_correction(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    text = workouts.addressed(message) if message is not None else None
    if message is None or user is None or text is None:
        return
    corrected = await context.services.corrections.correct(context.session, user.id, text)
    if corrected is None:  # nothing of that exercise logged yet: an ordinary report
        if context.services.parser.is_report(text):
            await workouts.on_report(update, context)
            return
        await message.reply_html(
            "There is no log of that exercise to correct. Tell me what you did, like: "
            "lunges 2x8 @ 20kg"
        )
        return
    undo = _undo_button(corrected)
    markup = InlineKeyboardMarkup([[undo]]) if undo is not None else None
    await message.reply_html(_text(corrected, context), reply_markup=markup)


async def on_undo(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    button = decode(query.data)
    if not isinstance(button, UndoCorrection):
        await no_longer_valid(query)
        return
    restored = await context.services.corrections.restore(
        context.session, query.from_user.id, button.log_id, button.index, button.reps, button.kg
    )
    if restored is None:
        await query.answer("Nothing to undo: that log has changed since (or is not yours).")
        return
    await query.answer("Undone.")
    if isinstance(query.message, Message):
        await edit_or_send(query.message, _text(restored, context, undone=True))
