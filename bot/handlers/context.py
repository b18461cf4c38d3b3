"""The context every handler gets: PTB's CallbackContext plus the bot's services and the update's
database session, typed and never None.

* ``context.services``: the Services built with the Application (bot/services.py).
* ``context.session``: the one AsyncSession of this update, owned by the inbox processor
  (bot/inbox/processor.py) and opened the first time a handler asks for it. Use it, never
  commit or close it, never open another one: it commits together with the inbox's "handled"
  mark when the handler returns, and rolls back if the handler raises.
* ``context.read(statement, values)``: rows of a read-only statement. Before the session is
  open it runs without one (one hop on SQLite), so an update that only reads never opens it.
* ``context.defer(write)``: while ``context.can_defer``, a write that commits with the handled
  mark, still without a session (UpdateScope.defer).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.db.direct import AnySelect, Write
from bot.inbox.scope import UpdateScope, current_scope
from bot.services import Services

SERVICES_KEY = "services"

ADict = dict[Any, Any]


class LegworkContext(CallbackContext[ExtBot[None], ADict, ADict, ADict]):
    def __init__(
        self,
        application: Application[ExtBot[None], LegworkContext, ADict, ADict, ADict, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        # Contexts are built inside the processor's scope (the same task runs the handlers).
        self._scope: UpdateScope | None = current_scope()
        # The chat's conversation memory when an earlier handler group already read it in this
        # update's transaction (bot/handlers/setup.py on_text_step): (last exercise,), else None.
        self.last_exercise_read: tuple[str | None] | None = None

    @property
    def services(self) -> Services:
        return services_in(self.bot_data)

    @property
    def session(self) -> AsyncSession:
        return self._in_update("session").session

    async def read(self, statement: AnySelect, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Rows of a read-only statement, without opening the session if nothing else did
        (UpdateScope.read): an update that only reads costs no transaction of its own."""
        return await self._in_update("read").read(statement, values)

    @property
    def can_defer(self) -> bool:
        return self._scope is not None and self._scope.can_defer

    def defer(self, write: Write) -> None:
        self._in_update("defer").defer(write)

    def _in_update(self, what: str) -> UpdateScope:
        if self._scope is None:
            raise RuntimeError(
                f"context.{what} exists only while the inbox processor handles an update"
            )
        return self._scope

    @property
    def scope(self) -> UpdateScope | None:
        """The inbox's record of this update (None for contexts of jobs)."""
        return self._scope


Context = LegworkContext
CONTEXT_TYPES = ContextTypes(context=LegworkContext)


def services_in(bot_data: Mapping[str, object]) -> Services:
    """The Services the Application was built with (see bot.application.build_application)."""
    found = bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


def services(context: Context) -> Services:
    return context.services
