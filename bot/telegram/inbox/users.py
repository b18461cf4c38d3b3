"""Remember who talks to the bot: the inbox processor calls ``remember`` before the handlers, in
the update's unit of work, so the user's row exists for the handlers' foreign keys."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update

from bot.core.clock import Clock
from bot.db import users
from bot.telegram.inbox.scope import UpdateScope


def seen_user(update: Update) -> users.SeenUser | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or user.is_bot:
        return None
    private = chat is not None and chat.type == chat.PRIVATE
    return users.SeenUser(
        id=user.id,
        chat_id=chat.id if private and chat is not None else user.id,
        first_name=user.first_name,
        username=user.username,
        language_code=user.language_code,
    )


class UserMemory:
    """Writes a user's row when it is new or changed; records a user who blocked the bot."""

    def __init__(self, clock: Clock, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._clock = clock
        self._sessions = sessions

    async def blocked(self, user_id: int) -> None:
        """A send to this user's private chat got 403: record it (its own short transaction,
        after the update's); their next message clears it (users.touch)."""
        async with self._sessions.begin() as session:
            await users.mark_blocked(session, user_id, self._clock.now())

    async def remember(self, scope: UpdateScope, update: Update) -> None:
        seen = seen_user(update)
        if seen is not None:
            await users.remember(scope.session, seen, self._clock.now())
