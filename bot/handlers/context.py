"""Typed access to what handlers share."""

from __future__ import annotations

from collections.abc import Mapping

from telegram.ext import ContextTypes

from bot.services import Services

Context = ContextTypes.DEFAULT_TYPE
SERVICES_KEY = "services"


def services_in(bot_data: Mapping[str, object]) -> Services:
    """The Services the Application was built with (see bot.application.build_application)."""
    found = bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


def services(context: Context) -> Services:
    return services_in(context.bot_data)
