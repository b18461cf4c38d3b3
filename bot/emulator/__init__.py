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
* Telegram's bad moments: ``fail_next`` (the next calls of one method),
  ``set_faults(error_rate=0.05, drop_rate=0.02, status=502)`` (random; a dropped
  connection happens before or after the call took effect, the latter counted in
  ``accepted_then_dropped``), ``set_flood_limit(per_second=20, per_chat=2)`` (429 with
  retry_after above those rates); ``fault_report()`` counts what was injected.
* In another process: ``python -m bot.emulator --port N`` plus ``EmulatorClient``
  (bot/emulator/client.py) over its JSON control API, e.g. to SIGKILL the bot.
* Groups and odd senders (bot/emulator/users.py): ``anonymous_admin_sends`` (``from`` is
  GroupAnonymousBot 1087968824, ``sender_chat`` the group), ``channel_sends`` (a member posting
  as a channel: Channel_Bot 136817688), ``bot_account_sends``, ``user_presses(message_id,
  data, chat_id=..., user_id=...)`` on any earlier message by any member (``inaccessible=True``
  for an old one), ``make_uneditable`` (edits answer 400 "message can't be edited") and
  ``queue_raw_update(kind, payload)`` for any update kind.
* Restarts: ``BotApiEmulator(data_dir=...)`` keeps chats, users, unconfirmed updates, the
  update numbering and the newest messages in data_dir/emulator-state.json
  (bot/emulator/persistence.py; ``messages()`` still lists only this run's);
  ``restart_update_numbering(first=1)`` numbers the next updates from ``first``, as Telegram
  does after a week without updates.
* Webhooks (bot/emulator/webhook.py): once the bot calls setWebhook, updates are POSTed to it,
  or round robin to ``set_webhook_backends(urls, retry_delay=...)``, retried on non-2xx; see
  ``webhook_deliveries``.  getUpdates answers 409 while a webhook is set, and to the older of
  two long polls (``conflicts`` counts both).
* Wait on conditions, not time: ``wait_for_messages``, ``wait_for(predicate)``,
  ``wait_until_idle`` (all queued updates confirmed and the bot quiet).
"""

from bot.emulator.models import BotMessage, RejectedCall
from bot.emulator.server import BotApiEmulator
from bot.emulator.spec import UploadedFile

__all__ = ["BotApiEmulator", "BotMessage", "RejectedCall", "UploadedFile"]
