"""The other side of the chat: what users, anonymous admins, channels and other bots do.

Each method queues the update Telegram would deliver and returns what it queued.
"""

from __future__ import annotations

import copy
import dataclasses
import time

from bot.emulator.formatting import detect_entities, utf16_len
from bot.emulator.messages import Messages
from bot.emulator.state import JSON, MAX_TEXT, _CallbackQuery, _Chat

# The accounts Telegram puts in `from` when a group admin posts anonymously, or a user posts
# in a group "as" one of their channels; both are bots, the real sender is `sender_chat`.
GROUP_ANONYMOUS_BOT: JSON = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT: JSON = {
    "id": 136817688,
    "is_bot": True,
    "first_name": "Channel",
    "username": "Channel_Bot",
}
# Update kinds whose payload is a Message: queue_raw_update fills in what they lack.
_MESSAGE_KINDS = frozenset(
    {"message", "edited_message", "channel_post", "edited_channel_post", "business_message"}
)


class UserSide(Messages):
    def add_chat(
        self,
        chat_id: int,
        *,
        chat_type: str = "private",
        first_name: str = "Runner",
        username: str | None = None,
        title: str | None = None,
        language_code: str = "en",
    ) -> None:
        """Register a chat that has talked to the bot before (e.g. for reminder tests)."""
        self._ensure_chat(chat_id, chat_type, first_name, username, title)
        if chat_type == "private":
            self._ensure_user(chat_id, first_name, username, language_code)
        self._persist()

    def user_blocks_bot(self, chat_id: int = 1001) -> None:
        """From now on sends to this chat fail with 403 until the user writes again."""
        self._chat_or_value_error(chat_id).blocked = True
        self._persist()

    def user_sends(
        self,
        text: str,
        *,
        chat_id: int = 1001,
        user_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Runner",
        username: str | None = None,
        reply_to_message_id: int | None = None,
        language_code: str = "en",
    ) -> JSON:
        """Queue a message update as if a user typed `text`; returns the Message JSON."""
        _check_typed(text)
        user_id = self._default_user_id(chat_id, chat_type, user_id)
        chat = self._ensure_chat(chat_id, chat_type, first_name, username, None)
        chat.blocked = False  # writing to the bot again unblocks it
        user = self._ensure_user(user_id, first_name, username, language_code)
        return self._queue_message(chat, user.to_json(), text, reply_to_message_id)

    def _queue_message(
        self,
        chat: _Chat,
        sender: JSON,
        text: str,
        reply_to_message_id: int | None,
        sender_chat: _Chat | None = None,
        extra: JSON | None = None,
    ) -> JSON:
        """A new message in ``chat`` from ``sender`` (a User object), queued as an update.

        Callers check the text with _check_typed first, before they register anything.
        """
        message: JSON = {
            "message_id": chat.next_message_id(),
            "from": sender,
            "chat": chat.to_json(),
            "date": int(time.time()),
            "text": text,
        }
        if sender_chat is not None:
            message["sender_chat"] = sender_chat.to_json()
        message.update(extra or {})
        entities = detect_entities(text)
        if entities:
            message["entities"] = entities
        if reply_to_message_id is not None:
            target = self._message_json(chat.id, reply_to_message_id, with_reply=False)
            if target is None:
                raise ValueError(f"no message {reply_to_message_id} in chat {chat.id} to reply to")
            message["reply_to_message"] = target
        self._user_messages[(chat.id, message["message_id"])] = message
        self._queue_update("message", message)
        return copy.deepcopy(message)

    def user_presses(
        self,
        message_id: int,
        callback_data: str,
        *,
        chat_id: int = 1001,
        user_id: int | None = None,
        first_name: str = "Runner",
        username: str | None = None,
        inaccessible: bool = False,
    ) -> str:
        """Queue a callback_query for a button of any bot message; returns the query id.

        In a group anyone (``user_id``) may press.  ``inaccessible``: the query carries an
        InaccessibleMessage (date 0, no content), as Telegram sends for old messages.
        """
        message = self._bot_by_key.get((chat_id, message_id))
        if message is None or message.deleted:
            raise ValueError(f"the bot has no message {message_id} in chat {chat_id}")
        if callback_data not in message.button_data():
            raise ValueError(
                f"message {message_id} has no button with callback_data {callback_data!r}; "
                f"buttons: {message.buttons()}"
            )
        chat = self._chats[chat_id]
        user_id = self._default_user_id(chat_id, chat.type, user_id)
        user = self._users.get(user_id) or self._ensure_user(user_id, first_name, username, "en")
        query_id = str(4_000_000_000_000 + next(self._callback_counter))
        self._callback_queries[query_id] = _CallbackQuery(
            query_id, chat_id, message_id, user_id, callback_data
        )
        shown: JSON = (
            {"chat": chat.to_json(), "message_id": message_id, "date": 0}
            if inaccessible
            else self._bot_message_json(message)
        )
        self._queue_update(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_json(),
                "message": shown,
                "chat_instance": str(abs(chat_id) * 7919 + self.bot_id),
                "data": callback_data,
            },
        )
        return query_id

    def make_uneditable(self, message_id: int, *, chat_id: int = 1001) -> None:
        """From now on edits of this bot message answer 400 "message can't be edited" (as
        Telegram does for messages too old to edit); its buttons can still be pressed."""
        message = self._bot_by_key.get((chat_id, message_id))
        if message is None:
            raise ValueError(f"the bot has no message {message_id} in chat {chat_id}")
        message.editable = False

    def user_edits(self, message_id: int, text: str, *, chat_id: int = 1001) -> JSON:
        """Queue an edited_message update for a message the user sent earlier."""
        key = (chat_id, message_id)
        if key not in self._user_messages or key in self._deleted_user_messages:
            raise ValueError(f"the user has no message {message_id} in chat {chat_id}")
        if not text.strip():
            raise ValueError("Telegram clients do not allow empty messages")
        message = self._user_messages[key]
        message["text"] = text
        message.pop("entities", None)
        entities = detect_entities(text)
        if entities:
            message["entities"] = entities
        message["edit_date"] = int(time.time())
        self._queue_update("edited_message", message)
        return copy.deepcopy(message)

    def redeliver_last_update(self) -> None:
        """Deliver the newest update once more with the SAME update_id (idempotency tests)."""
        if self._last_update is None:
            raise ValueError("no update has been queued yet")
        self._pending.append(dataclasses.replace(self._last_update, forced=True))
        self._pending.sort(key=lambda update: update.update_id)
        self._notify()

    # ------------------------------------------------------------------ groups and channels

    def anonymous_admin_sends(
        self,
        text: str,
        *,
        chat_id: int,
        chat_type: str = "supergroup",
        title: str | None = None,
        author_signature: str | None = None,
    ) -> JSON:
        """A group admin posts anonymously: ``from`` is GroupAnonymousBot, ``sender_chat`` the
        group itself."""
        _check_typed(text)
        chat = self._ensure_chat(chat_id, self._group_type(chat_type), "", None, title)
        signature = {"author_signature": author_signature} if author_signature else None
        return self._queue_message(chat, dict(GROUP_ANONYMOUS_BOT), text, None, chat, signature)

    def channel_sends(
        self,
        text: str,
        *,
        chat_id: int,
        channel_id: int = -1001234567890,
        channel_title: str = "Runners' Channel",
        chat_type: str = "supergroup",
    ) -> JSON:
        """A user posts in the group "as" a channel: ``from`` is Channel_Bot, ``sender_chat``
        the channel."""
        _check_typed(text)
        chat = self._ensure_chat(chat_id, self._group_type(chat_type), "", None, None)
        channel = self._ensure_chat(channel_id, "channel", "", None, channel_title)
        return self._queue_message(chat, dict(CHANNEL_BOT), text, None, channel)

    def bot_account_sends(
        self,
        text: str,
        *,
        chat_id: int,
        bot_id: int = 5550001,
        first_name: str = "Other Bot",
        username: str = "other_bot",
        chat_type: str = "supergroup",
    ) -> JSON:
        """Another bot's message in a group (bots cannot write to bots in private)."""
        _check_typed(text)
        chat = self._ensure_chat(chat_id, self._group_type(chat_type), "", None, None)
        sender = {"id": bot_id, "is_bot": True, "first_name": first_name, "username": username}
        return self._queue_message(chat, sender, text, None)

    def queue_raw_update(self, kind: str, payload: JSON) -> int:
        """Queue any update kind with a payload of your own; returns its update_id.

        Not validated beyond the kind, so a test can send what a handler must survive.  Chats
        named in the payload (``chat``, ``message.chat``) become known, so the bot can answer;
        a Message payload without ``message_id`` or ``date`` gets the chat's next id and now.
        """
        if kind not in self._spec.update_types:
            raise ValueError(f"unknown update kind {kind!r}; known: {self._spec.update_types}")
        payload = copy.deepcopy(payload)
        message = payload.get("message")
        for holder in (payload, message if isinstance(message, dict) else {}):
            chat_json = holder.get("chat")
            if isinstance(chat_json, dict) and "id" in chat_json and "type" in chat_json:
                chat = self._ensure_chat(
                    int(chat_json["id"]),
                    str(chat_json["type"]),
                    str(chat_json.get("first_name", "Runner")),
                    chat_json.get("username"),
                    chat_json.get("title"),
                )
                if kind in _MESSAGE_KINDS and holder is payload:
                    if "message_id" in payload:
                        chat.last_message_id = max(chat.last_message_id, payload["message_id"])
                    else:
                        payload["message_id"] = chat.next_message_id()
                    payload.setdefault("date", int(time.time()))
        return self._queue_update(kind, payload)

    @staticmethod
    def _group_type(chat_type: str) -> str:
        if chat_type not in ("group", "supergroup"):
            raise ValueError(
                "this sender writes only in groups (chat_type 'group' or 'supergroup')"
            )
        return chat_type


def _check_typed(text: str) -> None:
    if not text.strip():
        raise ValueError("Telegram clients do not send empty messages")
    if utf16_len(text) > MAX_TEXT:
        raise ValueError("Telegram clients split texts longer than 4096 characters")
