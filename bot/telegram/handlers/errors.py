"""The last line of defence: log a handler's failure (the formatter scrubs the token), and once
the inbox gives up on an update (bot/telegram/inbox/processor.py), say sorry once when the
runner got nothing.

No apology for a Telegram/network failure (the send layer already retried it, and it would not
get through either), and none once an answer was delivered for this update.
"""

from __future__ import annotations

import logging

from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.handlers.context import Context
from bot.telegram.inbox.scope import UpdateScope

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


def is_telegram_trouble(error: BaseException | None) -> bool:
    """Failures of the way to Telegram, not of our code (TimedOut is a NetworkError; PTB
    makes BadRequest one too, but a refused request is our bug)."""
    if isinstance(error, BadRequest):
        return False
    return isinstance(error, NetworkError | RetryAfter | Forbidden)


async def on_error(update: object, context: Context) -> None:
    error = context.error
    if is_telegram_trouble(error):
        log.warning("Telegram could not be reached while handling an update: %r", error)
        return
    log.error("Error while handling an update", exc_info=error)


async def apologise(
    bot: Bot, update: Update | None, scope: UpdateScope, error: BaseException
) -> None:
    """The inbox gave up on ``update``: one "sorry" when our side failed and nothing was sent."""
    if is_telegram_trouble(error) or scope.delivered or scope.blocked:
        return
    if update is None or update.effective_chat is None:
        return
    try:
        await bot.send_message(update.effective_chat.id, SORRY)
    except TelegramError:
        log.warning("Could not tell the user about the error", exc_info=True)
