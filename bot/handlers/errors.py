"""The last line of defence: log the failure (the formatter scrubs the token) and, when our own
code failed for good and the runner got nothing, say sorry once.

No apology for a Telegram/network failure: the send layer already retried it, and the inbox
retries the whole update. None while the inbox will try the update again, and none once an
answer was delivered for this update.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.handlers.context import Context

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


def is_telegram_trouble(error: BaseException | None) -> bool:
    """Failures of the way to Telegram, not of our code (TimedOut is a NetworkError; PTB
    makes BadRequest one too, but a refused request is our bug)."""
    if isinstance(error, BadRequest):
        return False
    return isinstance(error, NetworkError | RetryAfter | Forbidden)


async def on_error(update: object, context: Context) -> None:
    scope = context.scope
    error = context.error
    if is_telegram_trouble(error):
        log.warning("Telegram could not be reached while handling an update: %r", error)
        return
    log.error("Error while handling an update", exc_info=error)
    if scope is not None and (not scope.final_attempt or scope.delivered or scope.blocked):
        return  # the inbox retries it, or the runner already has their answer
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, SORRY)
        except TelegramError:
            log.warning("Could not tell the user about the error", exc_info=True)
