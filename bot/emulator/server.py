"""A strict, in-process Telegram Bot API server for end-to-end tests and the offline chat.

The unchanged python-telegram-bot ``Application`` talks HTTP to it (``base_url`` /
``base_file_url``).  The test or the terminal chat plays the human: ``user_sends``,
``user_presses``; and inspects what the bot did: ``messages``, ``calls``, ``rejected``.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path

from aiohttp import web

from bot.emulator.http_app import HttpLayer
from bot.emulator.models import BotMessage
from bot.emulator.state import (
    DEFAULT_TOKEN,
    JSON,
    _scope_key,
)

__all__ = ["DEFAULT_TOKEN", "BotApiEmulator"]

log = logging.getLogger(__name__)


class BotApiEmulator(HttpLayer):
    """Local Bot API server; see the package docstring for how tests use it."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "legwork_bot",
        bot_name: str = "Legwork",
        data_dir: Path | None = None,
    ) -> None:
        """``data_dir``: keep chats, users, unconfirmed updates, update numbering and the
        newest messages there across restarts (bot/emulator/persistence.py); None keeps
        everything in memory."""
        # EmulatorState checks the token's shape.
        super().__init__(
            token,
            host=host,
            port=port,
            bot_username=bot_username,
            bot_name=bot_name,
            data_dir=data_dir,
        )
        self._handlers = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "logOut": self._true,
            "close": self._true,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_my_description,
            "getMyDescription": self._get_my_description,
            "setMyShortDescription": self._set_my_short_description,
            "getMyShortDescription": self._get_my_short_description,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "getChat": self._get_chat,
            "getFile": self._get_file,
        }
        missing = set(self._spec.methods) ^ set(self._handlers)
        if missing:  # the JSON extract and the handlers must list the same methods
            raise RuntimeError(f"spec/handler mismatch: {sorted(missing)}")

    # ------------------------------------------------------------------ what the bot did

    def messages(
        self, chat_id: int | None = None, *, include_deleted: bool = False
    ) -> list[BotMessage]:
        """Snapshots of the bot's messages (edits applied), in send order."""
        return [
            dataclasses.replace(m)
            for m in self._bot_messages
            if (chat_id is None or m.chat_id == chat_id) and (include_deleted or not m.deleted)
        ]

    def last_message(self, chat_id: int | None = None) -> BotMessage | None:
        found = self.messages(chat_id)
        return found[-1] if found else None

    def calls(self, method: str | None = None) -> list[tuple[str, JSON]]:
        """Accepted calls with decoded parameters (uploads as UploadedFile), oldest first."""
        return [(m, p) for m, p in self._calls if method is None or m == method]

    def callback_answer(self, query_id: str) -> JSON | None:
        """The answerCallbackQuery parameters for a query, None while unanswered."""
        query = self._callback_queries.get(query_id)
        if query is None:
            raise KeyError(query_id)
        return query.answer

    def callback_ids(self) -> list[str]:
        """Every callback query id so far, oldest first."""
        return list(self._callback_queries)

    def pending_callback_queries(self) -> list[str]:
        """Queries the bot has not answered (the user would still see a spinner)."""
        return [q.id for q in self._callback_queries.values() if q.answer is None]

    def my_commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        return copy.deepcopy(self._commands.get((_scope_key(scope), language_code), []))

    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        return len(self._pending)

    @property
    def waiting_polls(self) -> int:
        """getUpdates requests currently parked in a long poll."""
        return self._waiting_polls

    async def wait_for(  # takes `timeout`: the public contract
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until predicate() holds; re-checked whenever the emulator's state changes."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    # No await between the check and taking the event: no lost wake-ups.
                    await self._changed.wait()
        except TimeoutError:
            raise TimeoutError(f"condition not met within {timeout}s\n{self.describe()}") from None

    async def wait_for_messages(  # takes `timeout`: the public contract
        self,
        count: int,
        *,
        chat_id: int | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[BotMessage]:
        """Wait until the bot has sent `count` messages (to chat_id) since start; all of them.

        Deleted messages count and are included (with deleted=True).
        """

        def sent() -> list[BotMessage]:
            return [m for m in self._bot_messages if chat_id is None or m.chat_id == chat_id]

        await self.wait_for(lambda: len(sent()) >= count, timeout)
        return [dataclasses.replace(m) for m in sent()]

    async def wait_until_idle(  # takes `timeout`: the public contract
        self,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        quiet: float = 0.05,
    ) -> None:
        """Wait until every queued update was confirmed and the bot has gone quiet.

        Confirmation (a getUpdates whose offset is past the update) only proves PTB
        fetched an update, so this also waits until no request is in flight, no
        call arrived for `quiet` seconds and every one of `idle_checks` holds.  Prefer
        wait_for_messages()/wait_for() with an explicit condition when a test knows what the
        bot will do.
        """

        def idle() -> bool:
            return not self._pending and self._inflight == 0

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            await self.wait_for(idle, max(deadline - loop.time(), 0.0))
            before = self._activity
            await asyncio.sleep(quiet)
            if idle() and self._activity == before and all(c() for c in self.idle_checks):
                return
            if loop.time() >= deadline:
                raise TimeoutError(
                    f"the bot did not become idle within {timeout}s\n{self.describe()}"
                )

    def _add_routes(self, app: web.Application) -> None:
        from bot.emulator.control import add_control_routes

        add_control_routes(app, self)

    def describe(self) -> str:
        """A short state dump for failure messages."""
        lines = [f"pending updates: {len(self._pending)}, requests in flight: {self._inflight}"]
        if self._webhook is not None:
            lines.append(f"webhook {self._webhook.url}, last error: {self._webhook_last_error}")
        lines += [
            f"  sent #{m.message_id} to {m.chat_id}: {m.text or m.caption!r}"
            for m in self._bot_messages[-10:]
        ]
        lines += [f"  call {m} {p}" for m, p in self._calls[-10:] if m != "getUpdates"]
        lines += [f"  REJECTED {r.method}: {r.description}" for r in self.rejected]
        return "\n".join(lines)
