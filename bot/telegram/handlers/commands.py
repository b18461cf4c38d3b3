"""/start, /help and /exercises."""

from __future__ import annotations

from telegram import BotCommand, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.core.answering import Answer
from bot.telegram.handlers import keyboards, reminders, setup
from bot.telegram.handlers.context import Context, services
from bot.telegram.handlers.reply import send_answer

# Every command, grouped as /help lists them (and, in this order, the menu Telegram shows).
COMMAND_GROUPS: tuple[tuple[str, tuple[BotCommand, ...]], ...] = (
    (
        "Start and ask",
        (
            BotCommand("start", "Welcome and what I can do"),
            BotCommand("exercises", "Browse the exercises"),
            BotCommand("help", "Every command, and how to ask me things"),
        ),
    ),
    (
        "Plan",
        (
            BotCommand("today", "Today's strength session"),
            BotCommand("plan", "Your strength week (/plan next: next week)"),
            BotCommand("race", "Your goal race: /race 2027-04-18 marathon"),
            BotCommand("hardruns", "Your hard run days: /hardruns tue thu"),
            BotCommand("level", "Your lifting experience"),
            BotCommand("weekly", "Weekly check-in: /weekly sun 19:00 or off"),
        ),
    ),
    (
        "Reminders",
        (
            BotCommand("remind", "Training reminders: /remind 07:30 mon thu"),
            BotCommand("timezone", "Set your time zone"),
            BotCommand("pause", "Pause reminders (/pause 10 days)"),
            BotCommand("resume", "Resume reminders"),
            BotCommand("stop", "Turn reminders off"),
        ),
    ),
    (
        "Log",
        (
            BotCommand("history", "Your logged sessions"),
            BotCommand("stats", "Streaks, this week, volume and bests"),
            BotCommand("progress", "Your progress chart"),
            BotCommand("undo", "Remove your last log"),
            BotCommand("myexercises", "Your own exercises: list, rename, delete"),
        ),
    ),
    (
        "Your data",
        (
            BotCommand("export", "Your training log as a CSV file"),
            BotCommand("deletedata", "Erase everything I keep about you"),
        ),
    ),
)
COMMANDS = tuple(command for _, group in COMMAND_GROUPS for command in group)


def _help_text() -> str:
    lines = [
        "Ask me anything about the five lower-body lifts that make runners stronger: squats, "
        "lunges, glute bridges, calf raises and deadlifts, and their variations. For example: "
        "how do I do a glute bridge, common deadlift mistakes, why should runners "
        "strength-train.",
        "",
        "After a session, tell me what you did and I log it: squats 3x10 @ 40kg, lunges 3x8 "
        "each leg, calf raises 15, 15, 12. One workout can take several messages; say done "
        "when you finish (or tap Done under a reminder).",
        "",
        "Reminders and pauses also work in words: remind me mondays and thursdays at 6:30, "
        "pause my reminders for 2 weeks, resume my reminders.",
        "",
        "Your plan follows your season: tell me your goal race (/race 2027-04-18 marathon), "
        "your hard run days (/hardruns tue thu) and your experience (/level).",
    ]
    for title, group in COMMAND_GROUPS:
        lines += ["", f"{title}:"]
        lines += [f"/{c.command} - {c.description}" for c in group]
    lines += ["", "In a group, mention me or reply to one of my messages."]
    return "\n".join(lines)


HELP = _help_text()


async def start(update: Update, context: Context) -> None:
    if update.effective_message is None:
        return
    user = update.effective_user
    name = user.first_name if user else "there"
    body = (
        "I'm your strength coach for running. Strong glutes, quads, hamstrings and calves make "
        "every stride more powerful, and may lower your risk of some injuries (how fast your "
        "running load rises matters more).\n\n"
        "Ask me how to do an exercise, what it works, why it helps your running, the common "
        "mistakes, its variations, or how many sets and reps to do. Or browse with the buttons."
    )
    answer = Answer(None, None, f"Hi {name}, welcome to Legwork!", body)
    if user is not None:
        await reminders.on_start(user.id, context)  # back after blocking: reminders resume
    welcome = keyboards.welcome()
    private = update.effective_message.chat.type == ChatType.PRIVATE
    setup_row = [[setup.setup_button()]] if private else []  # a group never holds a plan
    markup = InlineKeyboardMarkup([*setup_row, *welcome.inline_keyboard])
    await send_answer(update.effective_message, answer, markup)


async def help_command(update: Update, context: Context) -> None:
    if update.effective_message is not None:
        await send_answer(update.effective_message, Answer(None, None, "How to use Legwork", HELP))


async def exercises(update: Update, context: Context) -> None:
    if update.effective_message is None:
        return
    store = services(context).store
    answer = Answer(None, None, "Exercises", "Pick an exercise to see how to do it and more.")
    await send_answer(update.effective_message, answer, keyboards.menu(store))
