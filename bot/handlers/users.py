"""Remember who talks to the bot (runs before every other handler, in its own group)."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update

from bot.db import users
from bot.handlers.context import Context, services

log = logging.getLogger(__name__)


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
    try:
        async with sessions() as session, session.begin():
            await users.touch(session, seen)
    except SQLAlchemyError:
        # Answering a question does not need this row: a database hiccup must not cost the
        # runner their answer (nor send them a "something went wrong").
        log.exception("Could not record user %s", user.id)
