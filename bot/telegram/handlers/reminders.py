"""Reminder commands and buttons: /remind, /timezone, /pause, /resume, /stop, /today,
free-text reminder requests (set with a one-tap confirmation, stop, pause, resume), and the
reminder's own buttons.

Handlers use the update's session (``context.session``, committed by the inbox processor) and
the injected clock (``context.services.clock``). Bad input gets a friendly reply and changes
nothing.
"""

from __future__ import annotations

from html import escape
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import filters

from bot.core.plans import Session
from bot.core.schedule import (
    PauseIntent,
    Problem,
    ReminderIntent,
    ResumeIntent,
    StopIntent,
    days_label,
    is_reminder_request,
    parse_intent,
    parse_time_and_days,
)
from bot.db import planned_sessions, schedules
from bot.services import training as service
from bot.services.reminders import Switched
from bot.services.session_views import session_progress
from bot.services.training import local_today, zone_of
from bot.telegram import reminder_text as render
from bot.telegram.callbacks import (
    HowTo,
    PauseReminders,
    ReminderNo,
    ReminderYes,
    SessionButton,
    SetupAsk,
    SetupStep,
    decode,
    encode,
)
from bot.telegram.handlers import keyboards, setup
from bot.telegram.handlers.context import Context
from bot.telegram.handlers.reminder_status import status_text
from bot.telegram.handlers.reply import edit_or_send, no_longer_valid, private_sender, send_answer
from bot.telegram.handlers.workouts_text import partial_text

PRIVATE_ONLY = "Let's do that in a private chat with me: reminders are personal."


class _ReminderRequest(filters.MessageFilter):
    """Free text asking to set or stop reminders ("remind me every weekday at 7am")."""

    def filter(self, message: Message) -> bool:
        return message.chat.type == ChatType.PRIVATE and is_reminder_request(message.text or "")


REMINDER_REQUEST = _ReminderRequest(name="reminder request")


async def _private(update: Update) -> tuple[Message, int] | None:
    return await private_sender(update, PRIVATE_ONLY)


def _ask_button(label: str, step: SetupStep) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(SetupAsk(step)))


def _change_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _ask_button("Change time", "time"),
                _ask_button("Change days", "days"),
            ],
            [
                _ask_button("Time zone", "zone"),
                _ask_button("Long-run day", "long"),
            ],
        ]
    )


async def remind(update: Update, context: Context) -> None:
    found = await _private(update)
    if found is None:
        return
    message, user_id = found
    now = context.services.clock.now()
    args = " ".join(context.args or [])
    if not args:  # the status; after /stop, the same reminders back on (as /stop says)
        switched = await context.services.reminders.turn_on(context.session, user_id)
        row = switched.row
        markup = _change_keyboard() if row is not None else None
        lead = "Reminders are back on. " if switched.change == "on" else ""
        await message.reply_text(lead + await status_text(context, row, now), reply_markup=markup)
        return
    parsed = parse_time_and_days(args)
    if isinstance(parsed, Problem):
        await message.reply_text(escape(parsed.message))
        return
    at, days = parsed
    row = await service.set_reminder(context.session, user_id, message.chat.id, at, days, now)
    await setup.reply_set(message, context, row, now)


async def timezone(update: Update, context: Context) -> None:
    found = await _private(update)
    if found is None:
        return
    message, user_id = found
    now = context.services.clock.now()
    args = " ".join(context.args or [])
    if not args:
        await setup.ask_zone(message, context, user_id, now, then_done=True)
        return
    await setup.answer_zone(message, context, user_id, args, now, then_done=True)


def switched_text(result: Switched | Problem) -> str:
    """What a pause, resume or stop did, in words (commands, free text and buttons alike)."""
    if isinstance(result, Problem):
        return escape(result.message)
    row, now = result.row, result.now
    if result.change == "not_set" or row is None:
        return render.NOT_SET
    if result.change == "already_off":
        return "Your reminders are off, so there is nothing to pause. /remind turns them back on."
    if result.change == "stopped":
        return "Reminders are off. Your set-up and progress are kept: /remind turns them back on."
    if result.change == "paused":
        if result.until is None:
            text = "Paused. Rest up: send /resume when you are ready to train again."
        else:
            text = f"Paused until {render.day_label(result.until)}."
            if row.next_fire_at is not None:
                text += f" Next reminder: {render.local_label(row, row.next_fire_at)}."
        return text + " A pause never counts against you."
    lead = {"resumed": "Welcome back! ", "on": "Reminders are back on. "}.get(
        result.change, "Your reminders are on. "
    )
    return lead + render.status_html(row, now)


async def pause(update: Update, context: Context) -> None:
    found = await _private(update)
    if found is None:
        return
    message, user_id = found
    words = " ".join(context.args or [])
    result = await context.services.reminders.pause(context.session, user_id, words)
    await message.reply_text(switched_text(result))


async def resume(update: Update, context: Context) -> None:
    found = await _private(update)
    if found is None:
        return
    message, user_id = found
    result = await context.services.reminders.resume(context.session, user_id)
    await message.reply_text(switched_text(result))


async def stop(update: Update, context: Context) -> None:
    found = await _private(update)
    if found is None:
        return
    message, user_id = found
    result = await context.services.reminders.stop(context.session, user_id)
    if result.change == "already_off":
        await message.reply_text("Your reminders are off already: /remind turns them back on.")
        return
    await message.reply_text(switched_text(result))


async def on_pause_button(update: Update, context: Context) -> None:
    """Pause the reminders for some days (offered after a skip for pain)."""
    query = update.callback_query
    if query is None or query.from_user is None:
        return
    button = decode(query.data)
    if not isinstance(button, PauseReminders):
        await no_longer_valid(query)
        return
    result = await context.services.reminders.pause(
        context.session, query.from_user.id, f"{button.days} days"
    )
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.reply_text(switched_text(result))


async def today(update: Update, context: Context) -> None:
    found = await _private(update)
    if found is None:
        return
    message, user_id = found
    now = context.services.clock.now()
    row = await schedules.get_or_create(context.session, user_id, message.chat.id, now)
    training = context.services.training
    day = local_today(row, now)
    planned = await training.planned_for(context.session, row, day)
    if planned is None:
        upcoming = await training.next_season_session(context.session, row, day, False)
        if upcoming is None:
            await message.reply_text("No strength session in the next weeks: /plan shows why.")
            return
        html = render.reminder_html(upcoming, heading="Your next strength session")
        await message.reply_text(
            html, reply_markup=InlineKeyboardMarkup(render.howto_rows(upcoming))
        )
        return
    session = Session.from_json(planned.prescription)
    if planned.status not in planned_sessions.OPEN:
        status = escape(planned.status)
        if planned.status == "done":
            progress = await session_progress(context.session, planned, context.services.store)
            if progress.left:
                status = f"partial, {escape(partial_text(progress))}"
        await message.reply_text(
            render.reminder_html(session) + f"\n\nStatus: {status}.",
            reply_markup=InlineKeyboardMarkup(render.howto_rows(session)),
        )
        return
    await message.reply_text(
        render.reminder_html(session), reply_markup=render.session_keyboard(planned.id, session)
    )


async def on_reminder_text(update: Update, context: Context) -> None:
    """Free-text reminder requests: a one-tap confirmation to set, an immediate stop."""
    found = await _private(update)
    if found is None or found[0].text is None:
        return
    message, user_id = found
    intent = parse_intent(message.text or "")
    if isinstance(intent, Problem):
        await message.reply_text(escape(intent.message))
    elif isinstance(intent, StopIntent):
        stopped = await context.services.reminders.stop(context.session, user_id)
        if stopped.change != "stopped":
            await message.reply_text("You have no reminders on, so there is nothing to stop.")
            return
        await message.reply_text(
            "Done: no more reminders. Your set-up and progress are kept: /remind turns them on."
        )
    elif isinstance(intent, PauseIntent):
        paused = await context.services.reminders.pause(context.session, user_id, intent.words)
        await message.reply_text(switched_text(paused))
    elif isinstance(intent, ResumeIntent):
        resumed = await context.services.reminders.resume(context.session, user_id)
        await message.reply_text(switched_text(resumed))
    elif isinstance(intent, ReminderIntent):
        mask = None if intent.days is None else schedules.days_to_mask(intent.days)
        yes = encode(ReminderYes(intent.at.replace(second=0, microsecond=0), mask))
        days = "on your training days" if intent.days is None else days_label(intent.days)
        await message.reply_text(
            f"Remind you {days} at {intent.at:%H:%M}?",
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton("Yes, set it", callback_data=yes),
                        InlineKeyboardButton("No", callback_data=encode(ReminderNo())),
                    ]
                ]
            ),
        )


async def on_session_button(update: Update, context: Context) -> None:
    """Done / Skip / Snooze under a reminder, and the how-to buttons."""
    query = update.callback_query
    if query is None or query.from_user is None:
        return
    button = decode(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if isinstance(button, HowTo):
        store = context.services.store
        if button.entry not in store.entries or message is None:
            await no_longer_valid(query)
            return
        await query.answer()
        answer = context.services.answerer.topic_answer(button.entry, "how-to")
        await send_answer(message, answer, keyboards.topic(store, button.entry, "how-to"))
        return
    if not isinstance(button, SessionButton):
        await no_longer_valid(query)
        return
    if message is not None and message.chat.type != ChatType.PRIVATE:
        await query.answer(setup.PRIVATE_ONLY, show_alert=True)  # plans live in private chats
        return
    planned = await planned_sessions.get(context.session, button.planned_id)
    row = await schedules.get(context.session, query.from_user.id)
    if planned is None or row is None or planned.user_id != query.from_user.id:
        await no_longer_valid(query)  # gone, or someone else's session
        return
    now = context.services.clock.now()
    if button.action in render.SNOOZES:
        if planned.status not in planned_sessions.OPEN:
            await query.answer("This session is already closed.")
            return
        service.snooze(row, planned, render.SNOOZES[button.action], now)
        assert row.next_fire_at is not None
        when = row.next_fire_at.astimezone(zone_of(row))
        await query.answer(f"OK, I'll remind you again at {when:%H:%M}.")
        # Done and Skip stay: the runner may train before the snoozed reminder comes.
        await _close_message(
            message, f"⏰ Snoozed until {when:%H:%M}.", Session.from_json(planned.prescription),
            keep=render.done_skip_row(planned.id),
        )  # fmt: skip
        return
    outcome: Literal["done", "skipped"] = "done" if button.action == "d" else "skipped"
    # The plan is told (progression) and the training log keeps it, keyed by the reminder.
    pressed_on = (message.chat.id, message.message_id) if message else (row.user_id, 0)
    logged = await context.services.logbook.log_button(
        context.session, row=row, planned=planned, status=outcome, pressed_on=pressed_on
    )
    if logged is None:
        await query.answer(f"Already marked as {planned.status}.")
        return
    if outcome == "done":
        await query.answer("Logged. Strong work!")
        note = "✅ Done: logged as prescribed."
    else:
        await query.answer("Skipped. Your plan holds until next time.")
        note = "Skipped: your plan holds, see you next session."
    await _close_message(message, note, planned_session=Session.from_json(planned.prescription))


async def _close_message(
    message: Message | None, note: str, planned_session: Session | None,
    keep: list[InlineKeyboardButton] | None = None,
) -> None:  # fmt: skip
    """Replace the session buttons with a note, keeping the how-to buttons (and ``keep``)."""
    if message is None or not message.text:
        return
    rows = render.howto_rows(planned_session) if planned_session is not None else [
        row for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
        if all(isinstance(decode(str(b.callback_data)), HowTo) for b in row)
    ]  # fmt: skip
    if keep:
        rows = [keep, *rows]
    await edit_or_send(
        message,
        f"{message.text_html}\n\n<b>{escape(note)}</b>",
        InlineKeyboardMarkup(rows) if rows else None,
        instead=f"<b>{escape(note)}</b>",
    )


async def on_start(user_id: int, context: Context) -> None:
    """/start: a runner who had blocked the bot gets their reminders (and check-ins) back."""
    now = context.services.clock.now()
    await schedules.unblock(context.session, user_id, now)
    await context.services.season.resume_checkins(context.session, user_id, now)
