"""The guided set-up's handler: time zone -> training days -> reminder time -> long-run day ->
goal race -> hard run days -> level, then the week. The state machine is the set-up service
(bot/services/setup.py); this parses answers and renders questions.

Its state is in the database (written in the update's transaction), so a restart half-way loses
nothing. Every step has buttons and takes typed answers; "Skip" moves on without changing
anything; /cancel leaves. The same steps serve single changes from /remind's buttons and
/timezone (flow "single": one step, then the set-up is shown).
"""

from __future__ import annotations

from datetime import datetime, time
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.core.plans import suggest_days
from bot.core.plans.season_model import RUNNER_LEVELS
from bot.core.plans.season_text import parse_hard_runs, parse_level, parse_race
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
from bot.services.setup import STEPS, Flow, Next, Question
from bot.telegram import reminder_text as render
from bot.telegram import season_text
from bot.telegram.callbacks import (
    SETUP_BUTTONS,
    ReminderNo,
    ReminderYes,
    SetupAsk,
    SetupDays,
    SetupHardRuns,
    SetupLevel,
    SetupLongRun,
    SetupNoRace,
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

SETUP_BUTTON = "Set up my training reminders"
PRIVATE_ONLY = "Let's do that in a private chat with me: your plan and reminders are personal."
_SKIP = InlineKeyboardButton("Skip", callback_data=encode(SetupSkip()))
_TIMES = (time(6, 30), time(7), time(12), time(18))


def setup_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(SETUP_BUTTON, callback_data=encode(SetupStart()))


def _zone_buttons(zones: tuple[str, ...] | list[str]) -> list[list[InlineKeyboardButton]]:
    buttons = [
        InlineKeyboardButton(zone_city(z), callback_data=encode(SetupZone(z)))
        for z in zones
        if fits(SetupZone(z))
    ]
    return [buttons[i : i + 3] for i in range(0, len(buttons), 3)]


def _question(question: Question) -> tuple[str, list[list[InlineKeyboardButton]]]:
    step = question.step
    rows: list[list[InlineKeyboardButton]]
    if step == "zone":
        current = f" (now: {escape(question.zone)})" if question.zone else ""
        text = (
            f"Which time zone are you in?{current} Send your city (Berlin, New York), a zone "
            "(Europe/Berlin), or the time it is where you are, like: it's 18:40 here."
        )
        rows = _zone_buttons(POPULAR_ZONES[:6])
    elif step == "days":
        two = suggest_days(2, question.long_run_day)
        three = suggest_days(3, question.long_run_day)
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
    elif step == "long":
        text = (
            "Which day is your long run? I keep deadlifts off the day before it. Tap a day or "
            "send one, like: sun."
        )
        days = [InlineKeyboardButton(DAY_NAMES[d], callback_data=encode(SetupLongRun(d)))
                for d in range(7)]  # fmt: skip
        none = InlineKeyboardButton("No long run", callback_data=encode(SetupLongRun(None)))
        rows = [days[:4], days[4:], [none]]
    elif step == "race":
        text = (
            "Training for a race? Send its date and distance, like: 2027-04-18 marathon "
            "(5k, 10k, half, marathon, ultra). The plan tapers for it."
        )
        rows = [[InlineKeyboardButton("No race", callback_data=encode(SetupNoRace()))]]
    elif step == "hard":
        text = (
            "Which days are your hard runs (intervals, tempo)? Send them, like: tue thu. I keep "
            "heavy leg work off the day before."
        )
        rows = [[InlineKeyboardButton("No hard runs", callback_data=encode(SetupHardRuns(0)))]]
    else:
        text = "How much lifting have you done? It chooses your exercises and starting loads."
        rows = [
            [InlineKeyboardButton(season_text.LEVEL_NAMES[level].capitalize(),
                                  callback_data=encode(SetupLevel(level)))]
            for level in RUNNER_LEVELS
        ]  # fmt: skip
    rows.append([_SKIP])
    return text, rows


async def _show(message: Message, question: Question) -> None:
    text, rows = _question(question)
    await message.chat.send_message(text, reply_markup=InlineKeyboardMarkup(rows))


async def ask(message: Message, context: Context, user_id: int, step: str, now: datetime,
              flow: Flow) -> None:  # fmt: skip
    if step not in STEPS:
        return
    question = await context.services.setup.ask(
        context.session, user_id, message.chat.id, STEPS[STEPS.index(step)], flow, now
    )
    await _show(message, question)


async def ask_zone(message: Message, context: Context, user_id: int, now: datetime,
                   then_done: bool) -> None:  # fmt: skip
    await ask(message, context, user_id, "zone", now, "single" if then_done else "full")


async def answer_zone(message: Message, context: Context, user_id: int, text: str,
                      now: datetime, then_done: bool) -> None:  # fmt: skip
    found: ZoneMatch | OffsetMatch | Problem = resolve_zone(text)
    if isinstance(found, Problem) and looks_like_clock_statement(text):
        found = zones_for_local_time(text, now)
    if isinstance(found, ZoneMatch) and found.zone is not None:
        flow: Flow | None = "single" if then_done else None
        following = await context.services.setup.zone(
            context.session, user_id, message.chat.id, found.zone, now, flow
        )
        await message.chat.send_message(f"Time zone set: {escape(found.zone)}.")
        await _next(message, context, user_id, following, now)
        return
    if isinstance(found, Problem):
        await message.chat.send_message(escape(found.message))
        return
    if isinstance(found, ZoneMatch):
        intro, zones = "Several zones have that name. Which one is yours?", found.candidates
    else:
        intro = f"It is {found.label} where you are. Pick your zone (it also follows summer time):"
        zones = found.zones[:9]
    # The zone step waits for the pick (the flow it was in is kept).
    await context.services.setup.ask(
        context.session, user_id, message.chat.id, "zone", "single" if then_done else None, now
    )
    await message.chat.send_message(
        intro, reply_markup=InlineKeyboardMarkup([*_zone_buttons(zones), [_SKIP]])
    )


async def _next(message: Message, context: Context, user_id: int, following: Next,
                now: datetime) -> None:  # fmt: skip
    """Say what the answer's days cannot satisfy, then ask the next step or show the result."""
    if following.problems:
        await message.chat.send_message("\n".join(f"⚠️ {escape(p)}" for p in following.problems))
    if following.question is not None:
        await _show(message, following.question)
        return
    await show_result(message, context, user_id, now)


async def show_result(message: Message, context: Context, user_id: int, now: datetime) -> None:
    result = await context.services.setup.result(context.session, user_id, message.chat.id, now)
    html = season_text.setup_week_html(result.sessions, result.row.long_run_day)
    await message.chat.send_message(html + "\n\n" + render.status_html(result.row, now))


async def _apply_text(message: Message, context: Context, user_id: int, step: str, text: str,
                      now: datetime) -> None:  # fmt: skip
    chat_id, db, setup = message.chat.id, context.session, context.services.setup
    if step == "zone":
        await answer_zone(message, context, user_id, text, now, then_done=False)
        return
    following: Next
    if step == "days":
        days = parse_days(text)
        if isinstance(days, Problem):
            await message.chat.send_message(escape(days.message))
            return
        following = await setup.days(db, user_id, chat_id, days, now)
    elif step == "time":
        at = parse_time(text)
        if isinstance(at, Problem):
            await message.chat.send_message(escape(at.message))
            return
        following = await setup.reminder_time(db, user_id, chat_id, at, now)
    elif step == "long":
        lowered = text.strip().lower()
        if lowered in ("none", "no", "no long run", "n/a"):
            following = await setup.long_run(db, user_id, chat_id, None, now)
        else:
            long_days = parse_days(text)
            if isinstance(long_days, Problem) or len(long_days) != 1:
                await message.chat.send_message("Send one day for your long run, like: sun.")
                return
            following = await setup.long_run(db, user_id, chat_id, min(long_days), now)
    elif step == "race":
        race = parse_race(text, await context.services.season.today(db, user_id, now))
        if isinstance(race, Problem):
            await message.chat.send_message(escape(race.message.replace("/race ", "")))
            return
        following = await setup.race(db, user_id, chat_id, race, now)
    elif step == "hard":
        hard = parse_hard_runs(text)
        if isinstance(hard, Problem):
            await message.chat.send_message(escape(hard.message.replace("/hardruns ", "")))
            return
        following = await setup.hard_runs(db, user_id, chat_id, hard, now)
    else:
        level = parse_level(text)
        if isinstance(level, Problem):
            await message.chat.send_message("Tap a button, or send: new, some, experienced.")
            return
        following = await setup.level(db, user_id, chat_id, level, now)
    await _next(message, context, user_id, following, now)


async def on_text_step(update: Update, context: Context) -> None:
    """Runs before the question handler: a text answering a set-up question is taken as the
    answer (and goes no further); otherwise it passes through untouched."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    if message.text.rstrip().endswith("?"):
        return  # a question asked mid-set-up is answered as a question; the step waits
    step = await context.services.setup.step(context.session, user.id)
    if step is None:  # no set-up in progress
        return
    now = context.services.clock.now()
    await _apply_text(message, context, user.id, step, message.text, now)
    raise ApplicationHandlerStop


async def cancel(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if await context.services.setup.cancel(context.session, user.id):
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
    chat_id, db, setup = message.chat.id, context.session, context.services.setup
    await query.answer()
    following: Next | None = None
    match button:
        case SetupStart():
            await ask(message, context, user_id, "zone", now, "full")
        case SetupAsk(step):
            await ask(message, context, user_id, step, now, "single")
        case SetupZone(zone):
            following = await setup.zone(db, user_id, chat_id, zone, now)
            await message.chat.send_message(f"Time zone set: {escape(zone)}.")
        case SetupDays(mask):
            days = schedules.days_from_mask(mask)
            following = await setup.days(db, user_id, chat_id, days, now)
        case SetupTime(at):
            following = await setup.reminder_time(db, user_id, chat_id, at, now)
        case SetupLongRun(day):
            following = await setup.long_run(db, user_id, chat_id, day, now)
            if day is not None:
                await message.chat.send_message(f"Long run: {DAY_FULL_NAMES[day]}.")
        case SetupNoRace():
            following = await setup.race(db, user_id, chat_id, None, now)
        case SetupHardRuns(mask):
            hard = schedules.days_from_mask(mask)
            following = await setup.hard_runs(db, user_id, chat_id, hard, now)
        case SetupLevel(level):
            following = await setup.level(db, user_id, chat_id, level, now)
        case SetupSkip():
            following = await setup.skip(db, user_id, chat_id, now)
        case ReminderYes(at, mask):
            chosen = None if mask is None else schedules.days_from_mask(mask)
            row = await setup.confirm_reminder(db, user_id, chat_id, at, chosen, now)
            await reply_set(message, context, row, now)
        case ReminderNo():
            await message.chat.send_message("OK, nothing changed.")
    if following is not None:
        await _next(message, context, user_id, following, now)


async def reply_set(
    message: Message, context: Context, row: ReminderSchedule, now: datetime
) -> None:
    if not row.zone:
        await ask_zone(message, context, row.user_id, now, then_done=True)
        return
    problems = await context.services.season.problems(context.session, row.user_id)
    warnings = "".join(f"\n⚠️ {escape(p)}" for p in problems)  # said when the days are set
    await message.reply_text("Done. " + await status_text(context, row, now) + warnings)
