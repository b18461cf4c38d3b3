"""Bot API methods for updates, the bot's profile and chats."""

from __future__ import annotations

import asyncio
import copy
import logging
import re

from bot.emulator.spec import (
    ApiError,
    bad_request,
    check_commands,
)
from bot.emulator.state import (
    _CHAT_ACTIONS,
    _CONFLICT,
    _NOT_DELIVERED_BY_DEFAULT,
    _WEBHOOK_CONFLICT,
    JSON,
    EmulatorState,
    _Chat,
    _scope_key,
    _Update,
    _User,
)

log = logging.getLogger(__name__)


class UpdatesAndChats(EmulatorState):
    # ------------------------------------------------------------------ updates

    def _queue_update(self, kind: str, payload: JSON) -> int:
        update = _Update(self._next_update_id, kind, copy.deepcopy(payload))
        self._next_update_id += 1
        self._pending.append(update)
        self._last_update = update
        self._notify()
        return update.update_id

    def restart_update_numbering(self, first: int = 1) -> None:
        """Number the next updates from ``first``, as Telegram does after a week without updates.

        A getUpdates offset beyond every id of the new numbering is from before the restart:
        it confirms nothing of the new numbering, so the bot still receives those updates.
        """
        if first < 1:
            raise ValueError("update ids are positive")
        if self._pending:
            raise ValueError(
                "updates are still waiting to be confirmed; Telegram restarts the numbering only "
                "after a week without updates (wait for pending_updates() == 0)"
            )
        self._next_update_id = self._numbering_start = first
        self._notify()

    def _deliverable(self, offset: int | None, limit: int) -> list[_Update]:
        allowed = self._allowed_updates
        # Telegram never stores updates of kinds the bot did not ask for.
        self._pending = [
            u
            for u in self._pending
            if (
                u.kind in allowed
                if allowed is not None
                else u.kind not in _NOT_DELIVERED_BY_DEFAULT
            )
        ]
        ready = [
            u
            for u in self._pending
            if u.forced or offset is None or offset < 0 or u.update_id >= offset
        ]
        return ready[:limit]

    def _webhook_is_set(self) -> bool:
        # A method, not the attribute: mypy would take a check after an await as unreachable.
        return self._webhook is not None

    def _set_allowed_updates(self, kinds: list[str]) -> None:
        unknown = [k for k in kinds if k not in self._spec.update_types]
        if unknown:
            raise bad_request(f"unknown update types in allowed_updates: {unknown}")
        # An empty list restores the default; the setting sticks for later calls.
        self._allowed_updates = frozenset(kinds) if kinds else None

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self._webhook_is_set():  # refused before it confirms anything
            self.conflicts += 1
            raise ApiError(_WEBHOOK_CONFLICT, 409)
        offset: int | None = params.get("offset")
        limit = min(max(params.get("limit", 100), 1), 100)
        timeout = max(params.get("timeout", 0), 0)
        if "allowed_updates" in params:
            self._set_allowed_updates(params["allowed_updates"])

        # A newer getUpdates terminates an older one still waiting (Telegram's 409).
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify(activity=False)

        if offset is not None and offset > self._next_update_id:
            offset = self._numbering_start  # from before restart_update_numbering()
        if offset is not None:
            before = len(self._pending)
            if offset < 0:
                self._pending = self._pending[offset:]
            else:  # confirm: everything below offset is forgotten
                self._pending = [u for u in self._pending if u.update_id >= offset or u.forced]
            if len(self._pending) != before:
                self._persist()

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._webhook_is_set():  # set while this poll waited
                self.conflicts += 1
                raise ApiError(_WEBHOOK_CONFLICT, 409)
            if generation != self._poll_generation:
                # Usually the superseded client has just hung up (PTB cancels its poll before
                # the next one); give the loop a moment to notice, which cancels this handler.
                await asyncio.sleep(0.01)
                self.conflicts += 1
                raise ApiError(_CONFLICT, 409)
            batch = self._deliverable(offset, limit)
            remaining = deadline - loop.time()
            if batch or self._stopping or remaining <= 0:
                break
            self._waiting_polls += 1
            try:
                await self._wait_change(remaining)
            finally:
                self._waiting_polls -= 1
        for update in batch:
            update.forced = False
        return [u.to_json() for u in batch]

    async def _true(self, params: JSON) -> bool:
        return True

    # ------------------------------------------------------------------ bot profile

    def _bot_user_json(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    async def _get_me(self, params: JSON) -> JSON:
        return {
            **self._bot_user_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _set_my_commands(self, params: JSON) -> bool:
        check_commands(params["commands"])
        key = self._commands_key(params)
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in params["commands"]
        ]
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    async def _delete_my_commands(self, params: JSON) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _commands_key(self, params: JSON) -> tuple[str, str]:
        scope = params.get("scope")
        if scope is not None and "chat_id" in scope:
            self._resolve_chat(scope["chat_id"], check_blocked=False)
        language = params.get("language_code", "")
        if language and not re.match(r"^[a-z]{2}$", language):
            raise bad_request("invalid language code specified")
        return _scope_key(scope), language

    async def _set_my_description(self, params: JSON) -> bool:
        return self._set_text_setting("description", params, 512)

    async def _set_my_short_description(self, params: JSON) -> bool:
        return self._set_text_setting("short_description", params, 120)

    async def _get_my_description(self, params: JSON) -> JSON:
        return {
            "description": self._descriptions.get(
                ("description", params.get("language_code", "")), ""
            )
        }

    async def _get_my_short_description(self, params: JSON) -> JSON:
        key = ("short_description", params.get("language_code", ""))
        return {"short_description": self._descriptions.get(key, "")}

    def _set_text_setting(self, name: str, params: JSON, limit: int) -> bool:
        value = params.get(name, "")
        if len(value) > limit:
            raise bad_request(f"{name} is too long (at most {limit} characters)")
        self._descriptions[(name, params.get("language_code", ""))] = value
        return True

    # ------------------------------------------------------------------ chats

    def _default_user_id(self, chat_id: int, chat_type: str, user_id: int | None) -> int:
        if chat_type == "private":
            if user_id is not None and user_id != chat_id:
                raise ValueError("in a private chat the user id is the chat id")
            return chat_id
        return user_id if user_id is not None else 1001

    def _ensure_chat(
        self, chat_id: int, chat_type: str, first_name: str, username: str | None, title: str | None
    ) -> _Chat:
        if chat_type not in ("private", "group", "supergroup", "channel"):
            raise ValueError(f"unsupported chat type {chat_type!r}")
        if (chat_type == "private") != (chat_id > 0):
            raise ValueError("private chat ids are positive, group ids negative")
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_type == "private":
                chat = _Chat(chat_id, chat_type, first_name=first_name, username=username)
            else:
                default_title = "Test Channel" if chat_type == "channel" else "Test Group"
                chat = _Chat(chat_id, chat_type, title=title or default_title)
            self._chats[chat_id] = chat
        elif chat.type != chat_type:
            raise ValueError(f"chat {chat_id} is a {chat.type} chat")
        return chat

    def _ensure_user(
        self, user_id: int, first_name: str, username: str | None, language_code: str | None
    ) -> _User:
        user = self._users.get(user_id)
        if user is None:
            user = _User(user_id, first_name, username, language_code)
            self._users[user_id] = user
        return user

    def _chat_or_value_error(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise ValueError(f"chat {chat_id} is not known; use user_sends() or add_chat()")
        return chat

    def _resolve_chat(self, chat_id: int | str, *, check_blocked: bool = True) -> _Chat:
        chat: _Chat | None = None
        if isinstance(chat_id, int):
            chat = self._chats.get(chat_id)
        elif chat_id.startswith("@"):
            chat = next(
                (c for c in self._chats.values() if c.username and f"@{c.username}" == chat_id),
                None,
            )
        if chat is None:
            raise bad_request("chat not found")
        if chat.blocked and check_blocked:
            raise ApiError("Forbidden: bot was blocked by the user", 403)
        return chat

    async def _get_chat(self, params: JSON) -> JSON:
        chat = self._resolve_chat(params["chat_id"], check_blocked=False)
        return {
            **chat.to_json(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        }

    async def _send_chat_action(self, params: JSON) -> bool:
        self._resolve_chat(params["chat_id"])
        if params["action"] not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True
