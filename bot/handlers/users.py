"""Remember who talks to the bot (runs before every other handler, in its own group)."""

from __future__ import annotations

from telegram import Update

from bot.db import users
from bot.handlers.context import Context, services


async def track_user(update: Update, context: Context) -> None:
    sessions = services(context).sessions
    user, chat = update.effective_user, update.effective_chat
    if sessions is None or user is None or chat is None or user.is_bot:
        return
    seen = users.SeenUser(
        id=user.id,
        chat_id=chat.id if chat.type == chat.PRIVATE else user.id,
        first_name=user.first_name,
        username=user.username,
        language_code=user.language_code,
    )
    async with sessions() as session, session.begin():
        await users.touch(session, seen)
