"""Remember who talks to the bot, written only when needed.

The inbox processor calls ``UserMemory.remember`` before the handlers. A user seen recently with
the same name, username and language costs no statement at all; a new or changed one costs one
INSERT ... ON CONFLICT (bot/db/users.py) in a short transaction of its own. A database hiccup
there is logged and never costs the runner their answer.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update

from bot.core.clock import Clock
from bot.db import users
from bot.handlers.context import Context
from bot.inbox.scope import UpdateScope

log = logging.getLogger(__name__)


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


USER_MEMORY_KEY = "user_memory"


def forget_after_commit(context: Context, user_id: int) -> None:
    """Once this update's transaction (which erased the user's row) commits, the process stops
    believing the row is there, so the user's next update writes it before any handler runs."""
    memory = context.bot_data.get(USER_MEMORY_KEY)
    if isinstance(memory, UserMemory) and context.scope is not None:
        context.scope.after_commit.append(lambda: memory.forget(user_id))


class UserMemory:
    """What this process last wrote per user, to skip writes that would change nothing."""

    def __init__(
        self,
        clock: Clock,
        sessions: async_sessionmaker[AsyncSession],
        precision: timedelta = users.SEEN_PRECISION,
        size: int = 50_000,
    ) -> None:
        self._clock = clock
        self._sessions = sessions
        self._precision = precision
        self._size = size
        self._written: dict[int, tuple[users.SeenUser, datetime]] = {}

    def forget(self, user_id: int) -> None:
        """Their row was erased (/deletedata): their next update writes it again."""
        self._written.pop(user_id, None)

    async def blocked(self, user_id: int) -> None:
        """A send to this user's private chat got 403: record it (its own short transaction,
        never inside an update's); their next message clears it (users.touch)."""
        self._written.pop(user_id, None)
        async with self._sessions.begin() as session:
            await users.mark_blocked(session, user_id, self._clock.now())

    async def remember(self, scope: UpdateScope, update: Update) -> None:
        seen = seen_user(update)
        if seen is None:
            return
        now = self._clock.now()
        known = self._written.get(seen.id)
        if known is not None and known[0] == seen and now - known[1] < self._precision:
            return
        # Its own short transaction, committed before the handlers run: the row exists for
        # their foreign keys, and on SQLite the write lock is not held across their sends.
        # The statement is idempotent, so a retried or failed update changes nothing here.
        try:
            async with self._sessions.begin() as session:
                await users.touch(session, seen, now, self._precision)
        except SQLAlchemyError:
            log.exception("Could not record user %s", seen.id)
            return
        if len(self._written) >= self._size:
            self._written.clear()
        self._written[seen.id] = (seen, now)
