"""Local Telegram Bot API emulator for end-to-end tests and the offline terminal chat.

The real python-telegram-bot ``Application`` talks HTTP to it::

    async with BotApiEmulator() as emu:
        app = (
            ApplicationBuilder()
            .token(emu.token)
            .base_url(emu.base_url)
            .base_file_url(emu.base_file_url)
            .build()
        )
        ...  # start polling, then:
        emu.user_sends("/start")
        [reply] = await emu.wait_for_messages(1)
        assert emu.rejected == []

It is stricter than Telegram: unknown methods or parameters, wrongly typed values,
over-long texts, bad keyboards and HTML Telegram cannot parse are refused with
Telegram's error texts and recorded in ``rejected``.

Driving PTB against it in tests:

* ``await app.initialize(); await app.start();
  await app.updater.start_polling(poll_interval=0, timeout=1)``; stop with
  ``updater.stop()``, ``app.stop()``, ``app.shutdown()`` *before* the emulator stops.
  ``post_init``/``post_shutdown`` run only under ``run_polling``: call them yourself.
* Anything that makes PTB build a ``RetryAfter`` (``fail_next(..., status=429)``)
  needs ``PTB_TIMEDELTA=1`` in the environment while warnings are errors.
* Wait on conditions, not time: ``wait_for_messages``, ``wait_for(predicate)``,
  ``wait_until_idle`` (all queued updates confirmed and the bot quiet).
"""

from bot.emulator.models import BotMessage, RejectedCall
from bot.emulator.server import BotApiEmulator
from bot.emulator.spec import UploadedFile

__all__ = ["BotApiEmulator", "BotMessage", "RejectedCall", "UploadedFile"]
