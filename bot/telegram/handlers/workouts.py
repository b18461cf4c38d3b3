"""Logging sessions from the runner's own words, and what they get back: /undo, /history,
/stats, /progress, /export, /deletedata.

A message is a report when the report parser finds something to log (or to say about it) in it;
questions go on to the question handler. In a group only messages addressed to the bot count,
and a log belongs to its sender. Every log is confirmed in one fixed form with an Undo button.
The service (bot/services/logbook.py) does the work in ``context.session``. This module is
Telegram glue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
    User,
)
from telegram.constants import ChatType
from telegram.ext import filters

from bot.core.content import ContentStore
from bot.core.reports import ReportParser
from bot.core.reports.runs import RUN_REPLY, is_run_report
from bot.core.stats import LoggedSet
from bot.core.stats.chart import render_progress
from bot.core.stats.export import to_csv
from bot.db import workout_log
from bot.services.logbook import Logbook, Logged
from bot.services.session_views import history_page
from bot.telegram.callbacks import (
    DeleteData,
    HistoryPage,
    PauseReminders,
    UndoLog,
    decode,
    encode,
)
from bot.telegram.handlers import own_exercises, questions
from bot.telegram.handlers.context import Context
from bot.telegram.handlers.reply import (
    edit_long,
    edit_or_send,
    no_longer_valid,
    private_sender,
    reply_long,
)
from bot.telegram.handlers.workouts_text import (
    confirmation,
    day_label,
    history_text,
    not_logged_text,
    removed_text,
    stats_text,
)
from bot.telegram.memory import release_freed_memory

PER_PAGE = 5


def pause_a_week() -> InlineKeyboardButton:
    """One tap after a skip for pain (handled by handlers/reminders.py, on_pause_button)."""
    return InlineKeyboardButton(
        "Pause reminders for a week", callback_data=encode(PauseReminders(7))
    )


PRIVATE_ONLY = "Send me that in our private chat: your log is yours alone."


def addressed(message: Message) -> str | None:
    """The text to read: all of it in a private chat; in a group only when the bot is
    mentioned or replied to (without the mention)."""
    if message.text is None:
        return None
    if message.chat.type == ChatType.PRIVATE:
        return message.text
    bot = message.get_bot()
    return questions.addressed_text(message, bot.id, bot.username)


class ReportFilter(filters.MessageFilter):
    """Text the report parser would log or has something to say about (not covered, doubtful
    numbers); everything else (questions, chat) is left to the question handler."""

    def __init__(self, parser: ReportParser) -> None:
        super().__init__(name="ReportFilter")
        self._parser = parser

    def filter(self, message: Message) -> bool:
        text = addressed(message)
        return text is not None and self._parser.is_report(text)


class RunFilter(filters.MessageFilter):
    """ "ran 10k": a run told in words (private chats, or addressed to the bot in a group)."""

    def filter(self, message: Message) -> bool:
        text = addressed(message)
        return text is not None and is_run_report(text)


RUN_REPORT = RunFilter(name="RunFilter")


async def on_run(update: Update, context: Context) -> None:
    """Runs are not logged here: a friendly line and how to log strength instead."""
    message = update.effective_message
    if message is not None:
        await message.reply_html(RUN_REPLY)


def _undo_keyboard(message_id: int, pain: bool = False) -> InlineKeyboardMarkup:
    """Undo for the log of the runner's message ``message_id`` in this chat (a log is keyed by
    its message); after a skip for pain, a one-tap pause of the reminders too."""
    rows = [[InlineKeyboardButton("Undo", callback_data=encode(UndoLog(message_id)))]]
    if pain:
        rows.append([pause_a_week()])
    return InlineKeyboardMarkup(rows)


def _no_person(message: Message, user: User) -> str | None:
    """Why a report cannot be logged for its sender: an anonymous admin or a channel (the
    message carries ``sender_chat``) or a bot account. None for a person."""
    if message.sender_chat is not None:
        return "the group" if message.sender_chat.id == message.chat.id else "a channel"
    return "a bot account" if user.is_bot else None


async def _refuse_no_person(message: Message, user: User) -> bool:
    """A report from no person: say so once, log nothing. True if it was one."""
    sender = _no_person(message, user)
    if sender is None:
        return False
    await message.reply_html(
        f"I have not logged that: it was sent as {sender}, so there is no person to log it "
        "for. Send it from your own account (or in our private chat) and I will log it."
    )
    return True


# ---- reports ----------------------------------------------------------------------------------


async def on_report(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    text = addressed(message)
    if text is None or await _refuse_no_person(message, user):
        return
    reply_to = message.reply_to_message.message_id if message.reply_to_message else None
    book = context.services.logbook
    report = book.parser.parse(text)
    result = await book.log_report(
        context.session, report, user_id=user.id, chat_id=message.chat_id,
        message_id=message.message_id, reply_to=reply_to, note=text,
    )  # fmt: skip
    if result.kind == "duplicate":
        return  # this very message was logged already (a second delivery): said once
    if result.kind == "nothing":
        report = result.report
        if not result.asking or report.doubts or report.not_covered:
            markup = InlineKeyboardMarkup([[pause_a_week()]]) if result.pain else None
            await reply_long(message, not_logged_text(result, book.store), markup)
        await own_exercises.ask(message, result)  # a name in no catalogue: keep it?
        return
    await _confirm(message, result, book)
    await own_exercises.ask(message, result)


async def _confirm(message: Message, result: Logged, book: Logbook) -> None:
    """The log in its one fixed form, with Undo."""
    keyboard = _undo_keyboard(message.message_id, result.pain)
    await reply_long(message, confirmation(result, book.store), keyboard)


async def on_edit(update: Update, context: Context) -> None:
    """An edited message is read again: its log follows. An edited question is answered again."""
    message, user = update.edited_message, update.effective_user
    if message is None or user is None:
        return
    text = addressed(message)
    if text is None:
        return
    book = context.services.logbook
    log = await workout_log.find_by_message(context.session, message.chat_id, message.message_id)
    if log is None and not book.parser.is_report(text):
        await questions.on_text(update, context)
        return
    if await _refuse_no_person(message, user):
        return
    reply_to = message.reply_to_message.message_id if message.reply_to_message else None
    result = await book.edit_text(
        context.session, user_id=user.id, chat_id=message.chat_id,
        message_id=message.message_id, text=text, reply_to=reply_to,
    )  # fmt: skip
    if result.kind in ("nothing", "duplicate"):
        told = not result.asking or result.report.doubts or result.report.not_covered
        if result.kind == "nothing" and result.report.is_report and told:
            await reply_long(message, not_logged_text(result, book.store))
        await own_exercises.ask(message, result)
        return
    if result.kind == "removed":
        assert result.local_date is not None
        await message.reply_html(
            f"Removed the log of {day_label(result.local_date)}: that message has no sets now."
        )
        return
    await _confirm(message, result, book)
    await own_exercises.ask(message, result)


# ---- commands -----------------------------------------------------------------------------


async def undo(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    removed = await context.services.logbook.undo(context.session, user.id)
    if removed is None:
        await message.reply_html("Nothing to undo: you have no logged sessions.")
        return
    await message.reply_html(removed_text(removed, context.services.store))


async def history(update: Update, context: Context) -> None:
    found = await private_sender(update, PRIVATE_ONLY)
    if found is None:
        return
    message, user_id = found
    text, keyboard = await _history_page(context, user_id, 0)
    await reply_long(message, text, keyboard)


async def _history_page(
    context: Context, user_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    store = context.services.store
    found = await history_page(context.session, user_id, page, PER_PAGE, store)
    pages = max(1, -(-found.total // PER_PAGE))
    page = min(max(0, page), pages - 1)
    if not found.sessions and page > 0:
        found = await history_page(context.session, user_id, page, PER_PAGE, store)
    text = history_text(found, page, PER_PAGE, store)
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton("« Newer", callback_data=encode(HistoryPage(page - 1))))
    if page + 1 < pages:
        buttons.append(InlineKeyboardButton("Older »", callback_data=encode(HistoryPage(page + 1))))
    return text, InlineKeyboardMarkup([buttons]) if buttons else None


async def stats(update: Update, context: Context) -> None:
    found = await private_sender(update, PRIVATE_ONLY)
    if found is None:
        return
    message, user_id = found
    book = context.services.logbook
    view = await book.stats(context.session, user_id)
    await reply_long(message, stats_text(view, book.store))


def chart_png(logs: Sequence[LoggedSet], store: ContentStore) -> bytes:
    """The /progress chart; then its garbage is collected and the memory given back at once
    (bot/telegram/memory.py), so a runner's chart does not leave the process larger."""
    try:
        return render_progress(logs, store)
    finally:
        release_freed_memory()


def warm_up_chart(store: ContentStore) -> None:
    """Draw one throwaway chart, so the first /progress of a process does not pay for loading
    fonts and the renderer (about 0.7 s)."""
    day = date(2000, 1, 3)
    chart_png([LoggedSet(0, day, "done", False, "", 0, "squat", 1, 10, None, False)], store)


async def progress(update: Update, context: Context) -> None:
    found = await private_sender(update, PRIVATE_ONLY)
    if found is None:
        return
    message, user_id = found
    book = context.services.logbook
    logs = await book.all_sets(context.session, user_id)
    if not any(s.is_set and s.status == "done" for s in logs):
        await message.reply_html("Nothing to chart yet: log a session first, e.g. squats 3x10.")
        return
    png = await asyncio.to_thread(chart_png, logs, book.store)  # CPU work off the loop
    await message.reply_photo(
        InputFile(png, filename="progress.png"),
        caption="Your progress: reps per week and best load per exercise.",
    )


async def export(update: Update, context: Context) -> None:
    found = await private_sender(update, PRIVATE_ONLY)
    if found is None:
        return
    message, user_id = found
    book = context.services.logbook
    logs = await book.all_sets(context.session, user_id)
    if not logs:
        await message.reply_html("Nothing to export yet: you have no logged sessions.")
        return
    data = to_csv(logs, book.store)
    await message.reply_document(
        InputFile(data, filename="legwork-log.csv"),
        caption="Your training log: one row per set (opens in any spreadsheet).",
    )


async def delete_data(update: Update, context: Context) -> None:
    found = await private_sender(update, PRIVATE_ONLY)
    if found is None:
        return
    message, user_id = found
    yes, no = encode(DeleteData(user_id, True)), encode(DeleteData(user_id, False))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes, delete everything", callback_data=yes),
                InlineKeyboardButton("No, keep it", callback_data=no),
            ]
        ]
    )
    await message.reply_html(
        "This erases everything I keep about you: your training log, plan, reminders and "
        "settings. It cannot be undone. Delete it all?",
        reply_markup=keyboard,
    )


# ---- buttons ----------------------------------------------------------------------------------


async def on_button(update: Update, context: Context) -> None:
    """Undo under a confirmation, /history's pages, /deletedata's confirmation."""
    query = update.callback_query
    if query is None:
        return
    user = query.from_user
    button = decode(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if message is None or not isinstance(button, UndoLog | HistoryPage | DeleteData):
        await no_longer_valid(query)
        return
    if isinstance(button, UndoLog):
        # The confirmation is in the report's chat; the log must be the presser's.
        book = context.services.logbook
        chat_id = message.chat.id
        removed = await book.undo_message(context.session, user.id, chat_id, button.message_id)
        if removed is None:  # already undone, or someone else's log
            await no_longer_valid(query)
            return
        await query.answer("Undone.")
        await _edit(message, removed_text(removed, context.services.store))
    elif isinstance(button, HistoryPage):
        text, keyboard = await _history_page(context, user.id, button.page)
        await query.answer()
        await edit_long(message, text, keyboard)
    elif button.user_id != user.id:
        await no_longer_valid(query)  # someone else's /deletedata
    elif button.confirm:
        scope = context.scope
        current = scope.update_id if scope is not None else None
        await workout_log.delete_user_data(context.session, user.id, current)
        await query.answer("Deleted.")
        await _edit(message, "Done: everything I kept about you is deleted. Bye for now!")
    else:
        await query.answer("Kept.")
        await _edit(message, "Nothing was deleted.")


async def _edit(message: Message, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    await edit_or_send(message, text, keyboard)
