"""The season commands: /race, /hardruns, /level, /weekly, and /plan (this week) or /plan next.

Each parses the update, calls one method of the season service (bot/services/season.py) and
renders. Bad input gets a friendly reply with an example and changes nothing.
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType

from bot.core.plans.season_model import RUNNER_LEVELS
from bot.core.plans.season_text import parse_hard_runs, parse_level, parse_race, parse_weekly
from bot.core.schedule import Problem, days_label
from bot.telegram import season_text as render
from bot.telegram.callbacks import LevelChoice, decode, encode
from bot.telegram.handlers.context import Context
from bot.telegram.handlers.reply import no_longer_valid, private_sender

PRIVATE_ONLY = "Let's do that in a private chat with me: your plan is personal."
RACE_HELP = (
    "Set one like: /race 2027-04-18 marathon (5k, 10k, half, marathon, ultra), or /race off."
)


async def _private(update: Update) -> tuple[Message, int] | None:
    return await private_sender(update, PRIVATE_ONLY)


def problems_text(problems: tuple[str, ...]) -> str:
    return "".join(f"\n⚠️ {escape(p)}" for p in problems)


async def race(update: Update, context: Context) -> None:
    found = await _private(update)
    if found is None:
        return
    message, user_id = found
    now = context.services.clock.now()
    season = context.services.season
    text = " ".join(context.args or [])
    if not text:
        view = await season.week(context.session, user_id, now)
        current = render.race_label(view.race) if view.race else "none yet"
        await message.reply_text(f"Goal race: {escape(current)}.\n{RACE_HELP}")
        return
    parsed = parse_race(text, await season.today(context.session, user_id, now))
    if isinstance(parsed, Problem):
        await message.reply_text(escape(parsed.message))
        return
    await season.set_race(context.session, user_id, message.chat.id, parsed, now)
    if parsed is None:
        await message.reply_text("Goal race cleared: the plan alternates base and build blocks.")
        return
    view = await season.week(context.session, user_id, now)
    await message.reply_text(
        f"Goal race: {escape(render.race_label(parsed))}.\n"
        f"{escape(render.phase_line(view.week, parsed))}\n/plan shows this week."
    )


async def hard_runs(update: Update, context: Context) -> None:
    found = await _private(update)
    if found is None:
        return
    message, user_id = found
    now = context.services.clock.now()
    text = " ".join(context.args or [])
    parsed = parse_hard_runs(text)
    if isinstance(parsed, Problem):
        await message.reply_text(escape(parsed.message))
        return
    problems = await context.services.season.set_hard_runs(
        context.session, user_id, message.chat.id, parsed, now
    )
    lead = f"Hard run days: {days_label(parsed)}." if parsed else "No hard run days."
    await message.reply_text(
        lead + " I keep heavy leg work off the day before them." + problems_text(problems)
    )


def level_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(render.LEVEL_NAMES[level].capitalize(),
                               callback_data=encode(LevelChoice(level)))]
         for level in RUNNER_LEVELS]
    )  # fmt: skip


async def level(update: Update, context: Context) -> None:
    found = await _private(update)
    if found is None:
        return
    message, user_id = found
    text = " ".join(context.args or [])
    if not text:
        await message.reply_text(
            "How much lifting have you done? It chooses your exercises and starting loads.",
            reply_markup=level_keyboard(),
        )
        return
    parsed = parse_level(text)
    if isinstance(parsed, Problem):
        await message.reply_text(escape(parsed.message), reply_markup=level_keyboard())
        return
    now = context.services.clock.now()
    await context.services.season.set_level(context.session, user_id, message.chat.id, parsed, now)
    await message.reply_text(f"Level: {render.LEVEL_NAMES[parsed]}. /plan shows your week.")


async def on_level_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None or query.from_user is None:
        return
    button = decode(query.data)
    if not isinstance(button, LevelChoice) or not isinstance(query.message, Message):
        await no_longer_valid(query)
        return
    if query.message.chat.type != ChatType.PRIVATE:
        await query.answer(PRIVATE_ONLY, show_alert=True)  # a group holds no one's plan
        return
    parsed = button.level
    await query.answer()
    now = context.services.clock.now()
    await context.services.season.set_level(
        context.session, query.from_user.id, query.message.chat.id, parsed, now
    )
    await query.message.chat.send_message(
        f"Level: {render.LEVEL_NAMES[parsed]}. /plan shows your week."
    )


async def weekly(update: Update, context: Context) -> None:
    found = await _private(update)
    if found is None:
        return
    message, user_id = found
    season = context.services.season
    text = " ".join(context.args or [])
    if not text:
        setting = await season.weekly(context.session, user_id)
        if setting is None:
            await message.reply_text(
                "Weekly check-in: Sundays at 18:00 once I know your time zone (/timezone "
                "Berlin). Change it: /weekly sat 09:00, or /weekly off."
            )
        else:
            await message.reply_text(render.weekly_html(setting))
        return
    spec = parse_weekly(text)
    if isinstance(spec, Problem):
        await message.reply_text(escape(spec.message))
        return
    now = context.services.clock.now()
    setting = await season.set_weekly(context.session, user_id, message.chat.id, spec, now)
    await message.reply_text(render.weekly_html(setting))


async def plan(update: Update, context: Context) -> None:
    found = await _private(update)
    if found is None:
        return
    message, user_id = found
    text = " ".join(context.args or []).strip().lower()
    if text not in ("", "next", "next week"):
        await message.reply_text("Send /plan for this week, or /plan next for next week.")
        return
    ahead = 1 if text else 0
    now = context.services.clock.now()
    view = await context.services.season.week(context.session, user_id, now, ahead)
    html = render.plan_html(view, "Next week" if ahead else "This week")
    html += "\n\n/plan shows this week." if ahead else "\n\n/plan next shows next week."
    rows = render.week_howto_rows(view.sessions)
    await message.reply_text(html, reply_markup=InlineKeyboardMarkup(rows) if rows else None)
