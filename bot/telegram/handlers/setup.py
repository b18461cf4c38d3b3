"""The guided set-up: time zone -> training days -> reminder time -> long-run day -> the week.

Its state is a row of ``setup_conversations`` (written in the update's transaction), so a
restart half-way loses nothing. Every step has buttons and takes typed answers; "Skip" moves on
without changing anything; /cancel leaves. The same steps serve single changes from /remind's
buttons and /timezone (flow "single": one step, then the set-up is shown).
"""

from __future__ import annotations

from datetime import datetime, time
from html import escape
from typing import cast

from sqlalchemy import Table, delete
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.core.plans import suggest_days
from bot.core.schedule import (
    DAY_FULL_NAMES,
    DAY_NAMES,
    POPULAR_ZONES,
    OffsetMatch,
    Problem,
    ZoneMatch,
    looks_like_clock_statement,
    parse_days,
    parse_time,
    resolve_zone,
    zone_city,
    zones_for_local_time,
)
from bot.db import schedules
from bot.db.schedules import ReminderSchedule
from bot.db.training_models import SetupConversation
from bot.services import training as service
from bot.telegram import reminder_text as render
from bot.telegram.callbacks import (
    SETUP_BUTTONS,
    ReminderNo,
    ReminderYes,
    SetupAsk,
    SetupDays,
    SetupLongRun,
    SetupSkip,
    SetupStart,
    SetupTime,
    SetupZone,
    decode,
    encode,
    fits,
)
from bot.telegram.handlers.context import Context
from bot.telegram.handlers.reminder_status import status_text
from bot.telegram.handlers.reply import no_longer_valid

STEPS = ("zone", "days", "time", "long")

_setups = cast(Table, SetupConversation.__table__)
SETUP_BUTTON = "Set up my training reminders"
PRIVATE_ONLY = "Let's do that in a private chat with me: your plan and reminders are personal."
_SKIP = InlineKeyboardButton("Skip", callback_data=encode(SetupSkip()))
_TIMES = (time(6, 30), time(7), time(12), time(18))


def setup_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(SETUP_BUTTON, callback_data=encode(SetupStart()))


async def _state(context: Context, user_id: int) -> SetupConversation | None:
    return await context.session.get(SetupConversation, user_id)


async def _set_state(context: Context, user_id: int, step: str, flow: str, now: datetime) -> None:
    state = await _state(context, user_id)
    if state is None:
        state = SetupConversation(user_id=user_id, step=step, data={}, updated_at=now)
        context.session.add(state)
    state.step = step
    state.data = {"flow": flow}
    state.updated_at = now


async def _clear(context: Context, user_id: int) -> bool:
    result = await context.session.execute(
        delete(SetupConversation).where(SetupConversation.user_id == user_id)
    )
    return bool(getattr(result, "rowcount", 0))


def _zone_buttons(zones: tuple[str, ...] | list[str]) -> list[list[InlineKeyboardButton]]:
    buttons = [
        InlineKeyboardButton(zone_city(z), callback_data=encode(SetupZone(z)))
        for z in zones
        if fits(SetupZone(z))
    ]
    return [buttons[i : i + 3] for i in range(0, len(buttons), 3)]


async def ask(message: Message, context: Context, user_id: int, step: str, now: datetime,
              flow: str) -> None:  # fmt: skip
    await _set_state(context, user_id, step, flow, now)
    row = await schedules.get_or_create(context.session, user_id, message.chat.id, now)
    rows: list[list[InlineKeyboardButton]]
    if step == "zone":
        current = f" (now: {escape(row.zone)})" if row.zone else ""
        text = (
            f"Which time zone are you in?{current} Send your city (Berlin, New York), a zone "
            "(Europe/Berlin), or the time it is where you are, like: it's 18:40 here."
        )
        rows = _zone_buttons(POPULAR_ZONES[:6])
    elif step == "days":
        two = suggest_days(2, row.long_run_day)
        three = suggest_days(3, row.long_run_day)
        text = (
            "Which days do you want to strength-train? Two a week is plenty to start; I keep a "
            "rest day between them. Tap a suggestion or send your days, like: tue fri."
        )
        rows = [
            [InlineKeyboardButton(f"2 days: {' & '.join(DAY_NAMES[d] for d in two)}",
                                  callback_data=encode(SetupDays(schedules.days_to_mask(two))))],
            [InlineKeyboardButton(f"3 days: {', '.join(DAY_NAMES[d] for d in three)}",
                                  callback_data=encode(SetupDays(schedules.days_to_mask(three))))],
        ]  # fmt: skip
    elif step == "time":
        text = "What time should I remind you? Tap one or send a time, like 07:30 or 6.30pm."
        rows = [
            [InlineKeyboardButton(f"{t:%H:%M}", callback_data=encode(SetupTime(t)))
             for t in _TIMES]
        ]  # fmt: skip
    else:
        text = (
            "Which day is your long run? I keep deadlifts off the day before it. Tap a day or "
            "send one, like: sun."
        )
        days = [InlineKeyboardButton(DAY_NAMES[d], callback_data=encode(SetupLongRun(d)))
                for d in range(7)]  # fmt: skip
        none = InlineKeyboardButton("No long run", callback_data=encode(SetupLongRun(None)))
        rows = [days[:4], days[4:], [none]]
    rows.append([_SKIP])
    await message.chat.send_message(text, reply_markup=InlineKeyboardMarkup(rows))


async def ask_zone(message: Message, context: Context, user_id: int, now: datetime,
                   then_done: bool) -> None:  # fmt: skip
    await ask(message, context, user_id, "zone", now, "single" if then_done else "full")


async def answer_zone(message: Message, context: Context, user_id: int, text: str,
                      now: datetime, then_done: bool) -> None:  # fmt: skip
    found: ZoneMatch | OffsetMatch | Problem = resolve_zone(text)
    if isinstance(found, Problem) and looks_like_clock_statement(text):
        found = zones_for_local_time(text, now)
    if isinstance(found, ZoneMatch) and found.zone is not None:
        await service.set_zone(context.session, user_id, message.chat.id, found.zone, now)
        await message.chat.send_message(f"Time zone set: {escape(found.zone)}.")
        await _advance(message, context, user_id, "zone", now, then_done)
        return
    if isinstance(found, Problem):
        await message.chat.send_message(escape(found.message))
        return
    if isinstance(found, ZoneMatch):
        intro, zones = "Several zones have that name. Which one is yours?", found.candidates
    else:
        intro = f"It is {found.label} where you are. Pick your zone (it also follows summer time):"
        zones = found.zones[:9]
    await _set_state(context, user_id, "zone", "single" if then_done else "full", now)
    await message.chat.send_message(
        intro, reply_markup=InlineKeyboardMarkup([*_zone_buttons(zones), [_SKIP]])
    )


async def _advance(message: Message, context: Context, user_id: int, done_step: str,
                   now: datetime, single: bool | None = None) -> None:  # fmt: skip
    state = await _state(context, user_id)
    flow = "single" if single else (state.data.get("flow", "full") if state else "single")
    index = STEPS.index(done_step) + 1
    if flow == "full" and index < len(STEPS):
        await ask(message, context, user_id, STEPS[index], now, "full")
        return
    await _clear(context, user_id)
    await show_result(message, context, user_id, now)


async def show_result(message: Message, context: Context, user_id: int, now: datetime) -> None:
    row = await schedules.get_or_create(context.session, user_id, message.chat.id, now)
    training = context.services.training
    today = service.local_today(row, now)
    week = [s for s in (training.session_on(row, today.fromordinal(today.toordinal() + i))
                        for i in range(7)) if s is not None]  # fmt: skip
    week.sort(key=lambda s: s.day)
    html = render.week_html(training.week(row), week, "Your week")
    await message.chat.send_message(html + "\n\n" + render.status_html(row, now))


async def _apply_text(message: Message, context: Context, user_id: int, step: str, text: str,
                      now: datetime) -> None:  # fmt: skip
    chat_id = message.chat.id
    if step == "zone":
        await answer_zone(message, context, user_id, text, now, then_done=False)
        return
    if step == "days":
        days = parse_days(text)
        if isinstance(days, Problem):
            await message.chat.send_message(escape(days.message))
            return
        await service.set_days(context.session, user_id, chat_id, days, now)
    elif step == "time":
        at = parse_time(text)
        if isinstance(at, Problem):
            await message.chat.send_message(escape(at.message))
            return
        await service.set_reminder(context.session, user_id, chat_id, at, None, now)
    else:
        lowered = text.strip().lower()
        if lowered in ("none", "no", "no long run", "n/a"):
            await service.set_long_run(context.session, user_id, chat_id, None, now)
        else:
            days = parse_days(text)
            if isinstance(days, Problem) or len(days) != 1:
                await message.chat.send_message("Send one day for your long run, like: sun.")
                return
            await service.set_long_run(context.session, user_id, chat_id, min(days), now)
    await _advance(message, context, user_id, step, now)


async def on_text_step(update: Update, context: Context) -> None:
    """Runs before the question handler: a text answering a set-up question is taken as the
    answer (and goes no further); otherwise it passes through untouched."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    if message.text.rstrip().endswith("?"):
        return  # a question asked mid-set-up is answered as a question; the step waits
    state = await _state(context, user.id)
    if state is None or state.step not in STEPS:  # no set-up in progress, or an unknown step
        return
    now = context.services.clock.now()
    await _apply_text(message, context, user.id, state.step, message.text, now)
    raise ApplicationHandlerStop


async def cancel(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if await _clear(context, user.id):
        await message.reply_text("Set-up left. Whatever you had already set stays as it is.")
    else:
        await message.reply_text("There is nothing to cancel.")


async def on_button(update: Update, context: Context) -> None:
    """The set-up steps' buttons, /remind's change buttons, free-text confirmations."""
    query = update.callback_query
    if query is None or query.from_user is None:
        return
    button = decode(query.data)
    if not isinstance(button, SETUP_BUTTONS) or not isinstance(query.message, Message):
        await no_longer_valid(query)
        return
    message, user_id = query.message, query.from_user.id
    if message.chat.type != ChatType.PRIVATE:
        # A group never holds anyone's plan: pressed there, a set-up button changes nothing.
        await query.answer(PRIVATE_ONLY, show_alert=True)
        return
    now = context.services.clock.now()
    chat_id = message.chat.id
    await query.answer()
    match button:
        case SetupStart():
            await ask(message, context, user_id, "zone", now, "full")
        case SetupAsk(step):
            await ask(message, context, user_id, step, now, "single")
        case SetupZone(zone):
            await service.set_zone(context.session, user_id, chat_id, zone, now)
            await message.chat.send_message(f"Time zone set: {escape(zone)}.")
            await _advance(message, context, user_id, "zone", now)
        case SetupDays(mask):
            days = schedules.days_from_mask(mask)
            await service.set_days(context.session, user_id, chat_id, days, now)
            await _advance(message, context, user_id, "days", now)
        case SetupTime(at):
            await service.set_reminder(context.session, user_id, chat_id, at, None, now)
            await _advance(message, context, user_id, "time", now)
        case SetupLongRun(day):
            await service.set_long_run(context.session, user_id, chat_id, day, now)
            if day is not None:
                await message.chat.send_message(f"Long run: {DAY_FULL_NAMES[day]}.")
            await _advance(message, context, user_id, "long", now)
        case SetupSkip():
            state = await _state(context, user_id)
            current = state.step if state is not None and state.step in STEPS else "long"
            await _advance(message, context, user_id, current, now)
        case ReminderYes(at, mask):
            chosen = None if mask is None else schedules.days_from_mask(mask)
            row = await service.set_reminder(context.session, user_id, chat_id, at, chosen, now)
            await reply_set(message, context, row, now)
        case ReminderNo():
            await message.chat.send_message("OK, nothing changed.")


async def reply_set(
    message: Message, context: Context, row: ReminderSchedule, now: datetime
) -> None:
    if not row.zone:
        await ask_zone(message, context, row.user_id, now, then_done=True)
        return
    await message.reply_text("Done. " + await status_text(context, row, now))
