"""Corrections in words ("actually i only did 2 sets of the RDLs") and their Undo.

Callback data: ``lg:uc:<log id>:<entry index>:<reps, dot-separated>:<kg or ->`` puts the entry
back as it was before the correction (only the presser's own log).
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import filters

from bot.core.reports import format_entry
from bot.core.reports.format import name_of
from bot.services.corrections import Corrected, Corrections
from bot.telegram.handlers import workouts
from bot.telegram.handlers.context import Context
from bot.telegram.handlers.workouts_text import day_label

MAX_CALLBACK_BYTES = 64


class CorrectionFilter(filters.MessageFilter):
    """A message that starts like a correction ("actually ...") and names one exercise."""

    def __init__(self, corrections: Corrections) -> None:
        super().__init__(name="CorrectionFilter")
        self._corrections = corrections

    def filter(self, message: Message) -> bool:
        text = workouts.addressed(message)
        return text is not None and self._corrections.is_correction(text)


def _undo_data(corrected: Corrected) -> str | None:
    before = corrected.before
    kg = "-" if before.weight_kg is None else f"{before.weight_kg:g}"
    reps = ".".join(str(r) for r in before.reps)
    data = f"lg:uc:{corrected.log.id}:{corrected.index}:{reps}:{kg}"
    return data if len(data.encode()) <= MAX_CALLBACK_BYTES else None


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
    data = _undo_data(corrected)
    markup = (
        InlineKeyboardMarkup([[InlineKeyboardButton("Undo", callback_data=data)]])
        if data is not None
        else None
    )
    await message.reply_html(_text(corrected, context), reply_markup=markup)


def _parse(data: str) -> tuple[int, int, tuple[int, ...], float | None] | None:
    parts = data.removeprefix("lg:uc:").split(":")
    if len(parts) != 4 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    try:
        reps = tuple(int(r) for r in parts[2].split("."))
        kg = None if parts[3] == "-" else float(parts[3])
    except ValueError:
        return None
    if not reps or any(r <= 0 for r in reps):
        return None
    return int(parts[0]), int(parts[1]), reps, kg


async def on_undo(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    parsed = _parse(query.data)
    restored = None
    if parsed is not None:
        log_id, index, reps, kg = parsed
        restored = await context.services.corrections.restore(
            context.session, query.from_user.id, log_id, index, reps, kg
        )
    if restored is None:
        await query.answer("Nothing to undo: that log has changed since (or is not yours).")
        return
    await query.answer("Undone.")
    if isinstance(query.message, Message):
        await query.message.edit_text(_text(restored, context, undone=True), reply_markup=None)
