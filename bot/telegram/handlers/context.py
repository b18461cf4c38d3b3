"""The context every handler gets: PTB's CallbackContext plus the bot's services and the update's
database session, typed and never None.

* ``context.services``: the Services built with the Application (bot/services/container.py).
* ``context.session``: the one AsyncSession of this update (its unit of work), owned by the
  inbox processor (bot/telegram/inbox/processor.py). Use it, never commit or close it, never open
  another one: it commits together with the inbox's "handled" mark when the handlers return,
  and rolls back if one raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.services.container import Services
from bot.telegram.inbox.scope import UpdateScope, current_scope

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

    @property
    def services(self) -> Services:
        return services_in(self.bot_data)

    @property
    def session(self) -> AsyncSession:
        if self._scope is None:
            raise RuntimeError("context.session exists only while the inbox handles an update")
        return self._scope.session

    @property
    def scope(self) -> UpdateScope | None:
        """The inbox's record of this update (None for contexts of jobs)."""
        return self._scope


Context = LegworkContext
CONTEXT_TYPES = ContextTypes(context=LegworkContext)


def services_in(bot_data: Mapping[str, object]) -> Services:
    """The Services the Application was built with (see bot.telegram.app.build_application)."""
    found = bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


def services(context: Context) -> Services:
    return context.services
