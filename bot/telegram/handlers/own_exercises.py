"""A runner's own exercises: asking about a name in no catalogue ("Log 'zercher good mornings'
as your own exercise?"), the answer's buttons, and /myexercises (list, rename, delete).

Telegram glue: bot/services/own_exercises.py does the work in ``context.session``.
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType

from bot.services.logbook import Logged
from bot.telegram.callbacks import OwnAsk, OwnDelete, UndoLog, decode, encode
from bot.telegram.handlers.context import Context
from bot.telegram.handlers.reply import edit_long, edit_or_send, no_longer_valid, reply_long
from bot.telegram.handlers.workouts_text import confirmation

USAGE = (
    "Rename one: <code>/myexercises rename 2 jefferson curls</code>\n"
    "Delete one: the buttons below, or <code>/myexercises delete 2</code> "
    "(what you logged with it stays in your history)."
)


def _quoted(names: tuple[str, ...]) -> str:
    quoted = [f"'{escape(n)}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def ask_text(names: tuple[str, ...]) -> str:
    plural = "s" if len(names) > 1 else ""
    them = "them" if plural else "it"
    return (
        f"Log {_quoted(names)} as your own exercise{plural}? I don't know {them} yet. Yes keeps "
        f"the name{plural}: later reports with {them} are logged without asking."
    )


async def ask(message: Message, result: Logged) -> None:
    """Ask about the names of ``result`` left out of its log (once per message)."""
    if result.ask_id is None or not result.asking:
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "Yes, log it", callback_data=encode(OwnAsk(result.ask_id, True))
                ),
                InlineKeyboardButton("No", callback_data=encode(OwnAsk(result.ask_id, False))),
            ]
        ]
    )
    await reply_long(message, ask_text(result.asking), keyboard)


# ---- /myexercises -----------------------------------------------------------------------------


async def my_exercises(update: Update, context: Context) -> None:
    """/myexercises; /myexercises rename <n> <new name>; /myexercises delete <n>."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        await reply_long(message, "Send me that in our private chat: your exercises are yours.")
        return
    args = list(context.args or [])
    action = args[0].lower() if args else ""
    if action in ("rename", "delete") and len(args) >= 2 and args[1].isdigit():
        if action == "rename":
            await reply_long(message, await _rename(context, user.id, int(args[1]), args[2:]))
            return
        mine = await context.services.own_exercises.listed(context.session, user.id)
        number = int(args[1])
        if 1 <= number <= len(mine):
            await reply_long(message, await _forget(context, user.id, mine[number - 1].id))
            return
    elif args:
        await reply_long(message, "I didn't get that.\n" + USAGE)
        return
    text, keyboard = await _listing(context, user.id)
    await reply_long(message, text, keyboard)


async def _listing(context: Context, user_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    mine = await context.services.own_exercises.listed(context.session, user_id)
    if not mine:
        return (
            "You have no exercises of your own yet. Log one I don't know, like "
            "<code>3x10 zercher good mornings</code>, and I'll ask to keep it.",
            None,
        )
    lines = ["<b>Your own exercises</b>", ""]
    for number, own in enumerate(mine, start=1):
        sets = f"{own.sets} set logged" if own.sets == 1 else f"{own.sets} sets logged"
        lines.append(f"{number}. {escape(own.name)} ({sets})")
    lines += ["", USAGE]
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"Delete {own.name}", callback_data=encode(OwnDelete(own.id)))]
            for own in mine[:20]
        ]
    )
    return "\n".join(lines), keyboard


async def _rename(context: Context, user_id: int, number: int, words: list[str]) -> str:
    new_name = " ".join(words).lower()
    if not new_name.strip():
        return "Say the new name too: <code>/myexercises rename 2 jefferson curls</code>"
    outcome, old = await context.services.own_exercises.rename(
        context.session, user_id, number, new_name
    )
    if outcome == "missing" or old is None:
        return f"You have no exercise number {number}: /myexercises lists them."
    if outcome == "taken":
        return f"You already have an exercise called '{escape(new_name)}'."
    if outcome == "too long":
        return "That name is too long: 50 characters at most."
    if outcome == "known":
        return f"'{escape(new_name)}' is an exercise I know already: log it under that name."
    return f"Renamed '{escape(old)}' to '{escape(new_name)}', in your history too."


async def _forget(context: Context, user_id: int, exercise_id: int) -> str:
    name = await context.services.own_exercises.forget(context.session, user_id, exercise_id)
    if name is None:
        return "That exercise is already gone."
    return (
        f"Deleted '{escape(name)}' from your own exercises. What you logged with it stays in "
        "your history; if you log it again, I'll ask first."
    )


# ---- buttons ----------------------------------------------------------------------------------


async def on_button(update: Update, context: Context) -> None:
    """Yes / No under the ask (only the report's sender may answer), Delete under
    /myexercises (only the presser's own exercises)."""
    query = update.callback_query
    if query is None:
        return
    user = query.from_user
    button = decode(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if message is None or not isinstance(button, OwnAsk | OwnDelete):
        await no_longer_valid(query)
        return
    if isinstance(button, OwnDelete):
        await query.answer()
        await edit_or_send(message, await _forget(context, user.id, button.exercise_id))
        return
    service = context.services.own_exercises
    answered = await service.answer(context.session, user.id, button.ask_id, keep=button.keep)
    if answered is None:
        await query.answer("That was answered already (or is not yours).")
        return
    await query.answer()
    logged = answered.logged
    if logged is None:
        await edit_or_send(message, f"OK, not logged: {_quoted(answered.names)}.")
        return
    if logged.kind in ("logged", "updated"):
        undo = InlineKeyboardMarkup(
            [[InlineKeyboardButton("Undo", callback_data=encode(UndoLog(answered.message_id)))]]
        )
        await edit_long(message, confirmation(logged, context.services.store), undo)
        return
    await edit_or_send(message, f"Added {_quoted(answered.names)} to your own exercises.")
