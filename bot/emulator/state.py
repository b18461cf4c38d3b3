"""Emulator state: the chats, users, messages and updates it keeps, and small helpers."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import random
import re
import struct
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.emulator import records
from bot.emulator.models import BotMessage, RejectedCall
from bot.emulator.spec import (
    ApiError,
    UploadedFile,
    load_spec,
)

log = logging.getLogger(__name__)

# The records, under the names the emulator's modules use.
JSON = records.JSON
_Chat = records.Chat
_User = records.User
_Update = records.Update
_StoredFile = records.StoredFile
_present = records.present


_Handler = Callable[[JSON], Awaitable[Any]]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
# Without allowed_updates Telegram delivers every kind except these.
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)
# Seconds between a change and writing the state file; a SIGKILL loses at most this much.
_SAVE_DELAY = 0.05
_TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")


# BotFather-shaped (digits, a colon, 20+ letters), so `python -m bot` accepts it as a token.
DEFAULT_TOKEN = "123456:LOCAL-EMULATOR-TOKEN-not-a-secret"


@dataclass(frozen=True)
class _WebhookSettings:
    """What setWebhook was given (the bot's side of webhook delivery)."""

    url: str
    secret_token: str | None
    max_connections: int
    ip_address: str | None
    has_custom_certificate: bool


@dataclass
class _Fault:
    status: int
    retry_after: int | None
    drop_connection: bool
    description: str | None
    remaining: int


@dataclass
class _CallbackQuery:
    id: str
    chat_id: int
    message_id: int
    user_id: int
    data: str
    answer: JSON | None = None


@dataclass(frozen=True, slots=True)
class FaultRates:
    """Random faults for every valid call of ``methods`` (None: all methods).

    ``error_rate``: answered with ``status`` and nothing done. ``drop_rate``: the connection is
    closed with no answer, before the call took effect or, for ``drop_after_share`` of them,
    after it (a message the bot cannot know was sent; counted in ``accepted_then_dropped``).
    ``latency``: seconds every call takes before it is handled.
    """

    error_rate: float = 0.0
    drop_rate: float = 0.0
    status: int = 502
    drop_after_share: float = 0.5
    methods: frozenset[str] | None = None
    latency: float = 0.0


@dataclass(frozen=True, slots=True)
class FloodLimit:
    """Telegram-style flood control: more than ``per_second`` counted calls in one second
    overall, or ``per_chat`` to one chat, are answered 429 with ``retry_after``."""

    per_second: float | None = None
    per_chat: float | None = None
    retry_after: int = 1


class EmulatorState:
    """Everything the emulator remembers; the layers above add behaviour."""

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
        match = _TOKEN_RE.match(token)
        if match is None:
            raise ValueError(f"token {token!r} does not look like a bot token (123:abc)")
        self.token = token
        self.bot_id = int(match.group(1))
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.host = host
        self.port = port
        self.on_bot_message: Callable[[BotMessage], None] | None = None
        self.rejected: list[RejectedCall] = []
        # Calls failed on purpose by fail_next(); kept apart so `rejected` stays meaningful.
        self.injected_failures: list[RejectedCall] = []

        self._spec = load_spec()
        self._runner: web.AppRunner | None = None
        self._stopping = False
        self._changed = asyncio.Event()
        # More conditions wait_until_idle() waits for: an in-process bot's own work that makes no
        # call (a transaction committing after its last reply), e.g. "its inbox is idle".
        self.idle_checks: list[Callable[[], bool]] = []
        self._activity = 0  # bumps on every accepted non-polling call and queued update
        self._inflight = 0  # non-getUpdates requests being handled right now
        self._poll_generation = 0
        self._waiting_polls = 0

        self._chats: dict[int, _Chat] = {}
        self._users: dict[int, _User] = {}
        self._user_messages: dict[tuple[int, int], JSON] = {}
        self._deleted_user_messages: set[tuple[int, int]] = set()
        self._bot_messages: list[BotMessage] = []
        self._bot_by_key: dict[tuple[int, int], BotMessage] = {}
        self._calls: list[tuple[str, JSON]] = []
        self._faults: dict[str, list[_Fault]] = {}
        self._files: dict[str, _StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._callback_queries: dict[str, _CallbackQuery] = {}
        self._callback_counter = itertools.count(1)
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._descriptions: dict[tuple[str, str], str] = {}

        self._pending: list[_Update] = []
        self._last_update: _Update | None = None
        # Telegram numbers updates sequentially and restarts at a random number after a week
        # without updates; an offset from before such a restart counts from _numbering_start.
        self._next_update_id = 100_001
        self._numbering_start = self._next_update_id
        self.conflicts = 0  # getUpdates answered 409 (two pollers, or a webhook is set)
        self._allowed_updates: frozenset[str] | None = None
        self._handlers: dict[str, _Handler] = {}  # filled by BotApiEmulator
        # Random faults and flood control (bot/emulator/faults.py).
        self._rates = FaultRates()
        self._flood = FloodLimit()
        self._random = random.Random()
        self._flood_window: deque[float] = deque()
        self._flood_chats: dict[object, deque[float]] = {}
        self._fault_counts: dict[str, int] = {}
        # (method, chat_id, message_id) of calls that took effect before their answer was lost.
        self.accepted_then_dropped: list[tuple[str, object, object]] = []
        # Webhook delivery (bot/emulator/webhook.py).
        self._webhook: _WebhookSettings | None = None
        self._webhook_backends: list[str] = []
        self._webhook_retry_delay = 0.5
        self._webhook_timeout = 10.0
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_last_error: tuple[int, str] | None = None
        # (backend URL, update_id, HTTP status or None for a connection error), oldest first.
        self.webhook_deliveries: list[tuple[str, int, int | None]] = []

        # Kept across restarts (bot/emulator/persistence.py) when given a data directory.
        self._state_file: Path | None = None
        self._saved_state: str | None = None
        self._save_scheduled: asyncio.TimerHandle | None = None
        if data_dir is not None:
            from bot.emulator import persistence

            self._state_file = persistence.state_path(data_dir)
            persistence.restore(self, self._state_file)

    def _notify(self, *, activity: bool = True) -> None:
        if activity:
            self._activity += 1
            self._persist()
        self._changed.set()
        self._changed = asyncio.Event()

    def _persist(self) -> None:
        """Save the state soon: one write for a burst of changes (stop() writes at once)."""
        if self._state_file is None or self._save_scheduled is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._persist_now()
            return
        self._save_scheduled = loop.call_later(_SAVE_DELAY, self._persist_now)

    def _persist_now(self) -> None:
        if self._save_scheduled is not None:
            self._save_scheduled.cancel()
            self._save_scheduled = None
        if self._state_file is not None:
            from bot.emulator import persistence

            self._saved_state = persistence.save(self, self._state_file, self._saved_state)

    async def _wait_change(self, seconds: float) -> None:
        event = self._changed
        try:
            async with asyncio.timeout(seconds):
                await event.wait()
        except TimeoutError:
            pass


# ---------------------------------------------------------------------- helpers


def _scope_key(scope: JSON | None) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def _inline(markup: JSON | None) -> JSON | None:
    return markup if markup is not None and "inline_keyboard" in markup else None


def _json_response(status: int, body: JSON) -> web.Response:
    return web.json_response(body, status=status)


def _error_response(error: ApiError) -> web.Response:
    body: JSON = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return _json_response(error.status, body)


def _loggable(params: JSON) -> JSON:
    return {
        k: (f"<file {v.filename}, {len(v.content)} bytes>" if isinstance(v, UploadedFile) else v)
        for k, v in params.items()
    }


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF, JPEG or WebP image; None if it is not one."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 1, 1  # dimensions live in codec-specific chunks; not worth decoding here
    if data.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                index += 1
                continue
            marker = data[index + 1]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return int(width), int(height)
            (length,) = struct.unpack(">H", data[index + 2 : index + 4])
            index += 2 + int(length)
    return None
