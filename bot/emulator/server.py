"""A strict, in-process Telegram Bot API server for end-to-end tests and the offline chat.

The unchanged python-telegram-bot ``Application`` talks HTTP to it (``base_url`` /
``base_file_url``).  The test or the terminal chat plays the human: ``user_sends``,
``user_presses``; and inspects what the bot did: ``messages``, ``calls``, ``rejected``.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import itertools
import json
import logging
import mimetypes
import re
import struct
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any

from aiohttp import BodyPartReader, web

from bot.emulator.formatting import (
    EntityParseError,
    detect_entities,
    parse_html,
    trim,
    utf16_len,
)
from bot.emulator.models import BotMessage, RejectedCall
from bot.emulator.spec import (
    ApiError,
    UploadedFile,
    bad_request,
    check_commands,
    check_reply_markup,
    load_spec,
)

log = logging.getLogger(__name__)

JSON = dict[str, Any]
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
_TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")


# BotFather-shaped (digits, a colon, 20+ letters), so `python -m bot` accepts it as a token.
DEFAULT_TOKEN = "123456:LOCAL-EMULATOR-TOKEN-not-a-secret"


def _present(**fields: object) -> JSON:
    """A Bot API object: optional fields are left out, not sent as null."""
    return {key: value for key, value in fields.items() if value is not None}


@dataclass
class _Chat:
    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    blocked: bool = False
    last_message_id: int = 0

    def next_message_id(self) -> int:
        # One counter per chat, shared by the bot's and the users' messages, like Telegram.
        self.last_message_id += 1
        return self.last_message_id

    def to_json(self) -> JSON:
        return _present(
            id=self.id,
            type=self.type,
            title=self.title,
            first_name=self.first_name,
            username=self.username,
        )


@dataclass
class _User:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None

    def to_json(self) -> JSON:
        return _present(
            id=self.id,
            is_bot=False,
            first_name=self.first_name,
            username=self.username,
            language_code=self.language_code,
        )


@dataclass
class _Update:
    update_id: int
    kind: str
    payload: JSON
    forced: bool = False  # redelivered: handed out once whatever the offset

    def to_json(self) -> JSON:
        return {"update_id": self.update_id, self.kind: copy.deepcopy(self.payload)}


@dataclass
class _Fault:
    status: int
    retry_after: int | None
    drop_connection: bool
    description: str | None
    remaining: int


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    file_name: str | None
    mime_type: str | None
    content: bytes | None
    file_path: str
    width: int = 0
    height: int = 0

    def size_json(self) -> JSON:
        return {} if self.content is None else {"file_size": len(self.content)}


@dataclass
class _CallbackQuery:
    id: str
    chat_id: int
    message_id: int
    user_id: int
    data: str
    answer: JSON | None = None


class BotApiEmulator:
    """Local Bot API server; see the package docstring for how tests use it."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "legwork_bot",
        bot_name: str = "Legwork",
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
        self._update_counter = itertools.count(100_001)
        self._allowed_updates: frozenset[str] | None = None

        self._handlers: dict[str, _Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
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

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Bind the HTTP server (port 0 picks a free port)."""
        if self._runner is not None:
            return
        self._stopping = False
        app = web.Application(client_max_size=64 * 1024 * 1024)  # uploads up to Telegram's 50 MB
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        # handler_cancellation: a long poll whose client went away must not linger.
        runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=2.0
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        log.info("Bot API emulator listening on %s (token %s)", self.base_url, self.token)

    async def stop(self) -> None:
        """Answer pending long polls with no updates, then shut the server down."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._stopping = True
        self._notify(activity=False)
        await runner.cleanup()

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """What ApplicationBuilder().base_url() takes; PTB appends token + "/" + method."""
        return f"http://{self._netloc()}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._netloc()}/file/bot"

    def _netloc(self) -> str:
        if self._runner is None:
            raise RuntimeError("the emulator is not started; await start() first")
        return f"{self.host}:{self.port}"

    # ------------------------------------------------------------------ the user's side

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

    def user_blocks_bot(self, chat_id: int = 1001) -> None:
        """From now on sends to this chat fail with 403 until the user writes again."""
        self._chat_or_value_error(chat_id).blocked = True

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
        if not text.strip():
            raise ValueError("Telegram clients do not send empty messages")
        if utf16_len(text) > MAX_TEXT:
            raise ValueError("Telegram clients split texts longer than 4096 characters")
        user_id = self._default_user_id(chat_id, chat_type, user_id)
        chat = self._ensure_chat(chat_id, chat_type, first_name, username, None)
        chat.blocked = False  # writing to the bot again unblocks it
        user = self._ensure_user(user_id, first_name, username, language_code)
        message: JSON = {
            "message_id": chat.next_message_id(),
            "from": user.to_json(),
            "chat": chat.to_json(),
            "date": int(time.time()),
            "text": text,
        }
        entities = detect_entities(text)
        if entities:
            message["entities"] = entities
        if reply_to_message_id is not None:
            target = self._message_json(chat_id, reply_to_message_id, with_reply=False)
            if target is None:
                raise ValueError(f"no message {reply_to_message_id} in chat {chat_id} to reply to")
            message["reply_to_message"] = target
        self._user_messages[(chat_id, message["message_id"])] = message
        self._queue_update("message", message)
        return copy.deepcopy(message)

    def user_presses(
        self,
        message_id: int,
        callback_data: str,
        *,
        chat_id: int = 1001,
        user_id: int | None = None,
    ) -> str:
        """Queue a callback_query for a button of a bot message; returns the query id."""
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
        user = self._users.get(user_id) or self._ensure_user(user_id, "Runner", None, "en")
        query_id = str(4_000_000_000_000 + next(self._callback_counter))
        self._callback_queries[query_id] = _CallbackQuery(
            query_id, chat_id, message_id, user_id, callback_data
        )
        self._queue_update(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_json(),
                "message": self._bot_message_json(message),
                "chat_instance": str(abs(chat_id) * 7919 + self.bot_id),
                "data": callback_data,
            },
        )
        return query_id

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
        fetched an update, so this also waits until no request is in flight and no
        call arrived for `quiet` seconds.  Prefer wait_for_messages()/wait_for() with
        an explicit condition when a test knows what the bot will do.
        """

        def idle() -> bool:
            return not self._pending and self._inflight == 0

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            await self.wait_for(idle, max(deadline - loop.time(), 0.0))
            before = self._activity
            await asyncio.sleep(quiet)
            if idle() and self._activity == before:
                return
            if loop.time() >= deadline:
                raise TimeoutError(
                    f"the bot did not become idle within {timeout}s\n{self.describe()}"
                )

    def describe(self) -> str:
        """A short state dump for failure messages."""
        lines = [f"pending updates: {len(self._pending)}, requests in flight: {self._inflight}"]
        lines += [
            f"  sent #{m.message_id} to {m.chat_id}: {m.text or m.caption!r}"
            for m in self._bot_messages[-10:]
        ]
        lines += [f"  call {m} {p}" for m, p in self._calls[-10:] if m != "getUpdates"]
        lines += [f"  REJECTED {r.method}: {r.description}" for r in self.rejected]
        return "\n".join(lines)

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        retry_after: int | None = None,
        times: int = 1,
        drop_connection: bool = False,
        description: str | None = None,
    ) -> None:
        """Make the next `times` valid calls of `method` fail.

        429 answers carry parameters.retry_after (default 1; passing retry_after alone
        implies 429); 5xx answer "Internal Server Error"-style texts; drop_connection
        closes the socket without any answer.  Invalid calls are still rejected first.
        """
        canonical = self._spec.canonical_method(method)
        if canonical is None:
            raise ValueError(f"unknown method {method!r}")
        if retry_after is not None and status == 500:
            status = 429
        if status == 429 and retry_after is None:
            retry_after = 1
        self._faults.setdefault(canonical, []).append(
            _Fault(status, retry_after, drop_connection, description, times)
        )

    # ------------------------------------------------------------------ HTTP plumbing

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._refuse(name, {}, ApiError("Unauthorized", 401))
        method = self._spec.canonical_method(name)
        if method is None:
            return self._refuse(name, {}, ApiError("Not Found: method not found", 404))
        try:
            raw, files = await self._read_params(request)
        except ApiError as error:
            return self._refuse(method, {}, error)
        received: JSON = {**raw, **files}
        try:
            params = self._spec.coerce(method, raw, files)
        except ApiError as error:
            return self._refuse(method, received, error)

        fault = self._take_fault(method)
        if fault is not None:
            return self._inject(request, method, params, fault)

        polling = method == "getUpdates"
        if not polling:
            self._inflight += 1
        try:
            result = await self._handlers[method](params)
        except ApiError as error:
            if error.status == 409 and (
                request.transport is None or request.transport.is_closing()
            ):
                # A superseded long poll whose client already left: nobody to tell.
                return web.Response(status=409)
            return self._refuse(method, received, error)
        finally:
            if not polling:
                self._inflight -= 1
        self._calls.append((method, params))
        if polling:  # empty long polls would flood the log
            log.log(
                logging.INFO if result else logging.DEBUG, "getUpdates -> %d updates", len(result)
            )
        else:
            log.info("%s %s", method, _loggable(params))
        self._notify(activity=not polling)
        return _json_response(200, {"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        if request.match_info["token"] == self.token:
            for stored in self._files.values():
                if stored.file_path == path and stored.content is not None:
                    return web.Response(
                        body=stored.content,
                        content_type=stored.mime_type or "application/octet-stream",
                    )
        return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    async def _handle_unknown(self, request: web.Request) -> web.StreamResponse:
        self._record_rejection(request.path, {}, ApiError("Not Found", 404))
        return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    async def _read_params(self, request: web.Request) -> tuple[JSON, dict[str, UploadedFile]]:
        """Query string plus a JSON, url-encoded or multipart body (body wins on clashes)."""
        raw: JSON = dict(request.query.items())
        files: dict[str, UploadedFile] = {}
        if not request.can_read_body:
            return raw, files
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = json.loads(await request.read())
            except ValueError:
                raise bad_request("can't parse JSON encoded request") from None
            if not isinstance(body, dict):
                raise bad_request("JSON request body must be an object")
            raw.update(body)
        elif content_type == "application/x-www-form-urlencoded":
            text = await request.text()
            raw.update(urllib.parse.parse_qsl(text, keep_blank_values=True))
        elif content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader) or not part.name:
                    raise bad_request("malformed multipart request")
                if part.filename is not None:
                    content = bytes(await part.read(decode=True))
                    files[part.name] = UploadedFile(
                        part.filename,
                        content,
                        part.headers.get("Content-Type", "application/octet-stream"),
                    )
                else:
                    raw[part.name] = await part.text()
        else:
            body_bytes = await request.read()
            if body_bytes:
                raise bad_request(f"unsupported Content-Type {content_type!r}")
        return raw, files

    def _refuse(self, method: str, params: JSON, error: ApiError) -> web.Response:
        self._record_rejection(method, params, error)
        return _error_response(error)

    def _record_rejection(self, method: str, params: JSON, error: ApiError) -> None:
        log.warning("REJECTED %s %s: %s", method, _loggable(params), error.description)
        self.rejected.append(RejectedCall(method, params, error.description, error.status))
        self._notify()

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.pop(0)
        return fault

    def _inject(
        self, request: web.Request, method: str, params: JSON, fault: _Fault
    ) -> web.StreamResponse:
        if fault.drop_connection:
            description = "connection dropped"
        elif fault.description is not None:
            description = fault.description
        elif fault.status == 429:
            description = f"Too Many Requests: retry after {fault.retry_after}"
        elif fault.status == 403:
            description = "Forbidden: bot was blocked by the user"
        elif fault.status == 400:
            description = "Bad Request: injected failure"
        else:
            try:
                description = HTTPStatus(fault.status).phrase
            except ValueError:
                description = "Injected failure"
        log.info("injected failure for %s: %s", method, description)
        self.injected_failures.append(RejectedCall(method, params, description, fault.status))
        self._notify(activity=False)
        if fault.drop_connection:
            if request.transport is not None:
                request.transport.abort()  # the client sees the connection close, no answer
            return web.Response(status=500)
        parameters = {"retry_after": fault.retry_after} if fault.status == 429 else None
        return _error_response(ApiError(description, fault.status, parameters))

    def _notify(self, *, activity: bool = True) -> None:
        if activity:
            self._activity += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, seconds: float) -> None:
        event = self._changed
        try:
            async with asyncio.timeout(seconds):
                await event.wait()
        except TimeoutError:
            pass

    # ------------------------------------------------------------------ updates

    def _queue_update(self, kind: str, payload: JSON) -> None:
        update = _Update(next(self._update_counter), kind, copy.deepcopy(payload))
        self._pending.append(update)
        self._last_update = update
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

    async def _get_updates(self, params: JSON) -> list[JSON]:
        offset: int | None = params.get("offset")
        limit = min(max(params.get("limit", 100), 1), 100)
        timeout = max(params.get("timeout", 0), 0)
        if "allowed_updates" in params:
            kinds = params["allowed_updates"]
            unknown = [k for k in kinds if k not in self._spec.update_types]
            if unknown:
                raise bad_request(f"unknown update types in allowed_updates: {unknown}")
            # An empty list restores the default; the setting sticks for later calls.
            self._allowed_updates = frozenset(kinds) if kinds else None

        # A newer getUpdates terminates an older one still waiting (Telegram's 409).
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify(activity=False)

        if offset is not None:
            if offset < 0:
                self._pending = self._pending[offset:]
            else:  # confirm: everything below offset is forgotten
                self._pending = [u for u in self._pending if u.update_id >= offset or u.forced]

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                # Usually the superseded client has just hung up (PTB cancels its poll before
                # the next one); give the loop a moment to notice, which cancels this handler.
                await asyncio.sleep(0.01)
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

    async def _delete_webhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        return {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

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
        if chat_type not in ("private", "group", "supergroup"):
            raise ValueError(f"unsupported chat type {chat_type!r}")
        if (chat_type == "private") != (chat_id > 0):
            raise ValueError("private chat ids are positive, group ids negative")
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_type == "private":
                chat = _Chat(chat_id, chat_type, first_name=first_name, username=username)
            else:
                chat = _Chat(chat_id, chat_type, title=title or "Test Group")
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

    # ------------------------------------------------------------------ messages

    def _format(
        self, text: str, parse_mode: str | None, entities: list[JSON] | None, *, caption: bool
    ) -> tuple[str, list[JSON]]:
        """Apply parse_mode/entities like Telegram and enforce the length limits."""
        if entities is not None:
            plain, parsed = text, [dict(e) for e in entities]
            total = utf16_len(plain)
            for entity in parsed:
                if (
                    entity["offset"] < 0
                    or entity["length"] <= 0
                    or entity["offset"] + entity["length"] > total
                ):
                    raise bad_request("can't parse entities: entity is out of the text bounds")
        elif parse_mode is None:
            plain, parsed = text, []
        elif parse_mode.lower() == "html":
            try:
                plain, parsed = parse_html(text)
            except EntityParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        elif parse_mode.lower() in ("markdown", "markdownv2"):
            raise bad_request(
                f"parse_mode {parse_mode} is not implemented by the emulator; the project uses HTML"
            )
        else:
            raise bad_request("unsupported parse_mode")
        plain, parsed = trim(plain, parsed)
        if caption:
            if utf16_len(plain) > MAX_CAPTION:
                raise bad_request("message caption is too long")
        else:
            if not plain:
                raise bad_request("message text is empty")
            if utf16_len(plain) > MAX_TEXT:
                raise bad_request("message is too long")
        return plain, parsed

    def _markup(self, params: JSON) -> JSON | None:
        markup: JSON | None = params.get("reply_markup")
        if markup is not None:
            check_reply_markup(markup)
        return markup

    def _reply_target(self, chat: _Chat, params: JSON) -> int | None:
        reply = params.get("reply_parameters")
        if not reply:
            return None
        if "chat_id" in reply and self._resolve_chat(reply["chat_id"]).id != chat.id:
            raise bad_request("replies to other chats are not supported by the emulator")
        message_id: int = reply["message_id"]
        if self._message_json(chat.id, message_id, with_reply=False) is not None:
            return message_id
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")

    def _store_bot_message(self, message: BotMessage) -> JSON:
        self._bot_messages.append(message)
        self._bot_by_key[(message.chat_id, message.message_id)] = message
        self._announce(message)
        return self._bot_message_json(message)

    def _announce(self, message: BotMessage) -> None:
        if self.on_bot_message is None:
            return
        try:
            self.on_bot_message(dataclasses.replace(message))
        except Exception:
            log.exception("on_bot_message callback failed")

    async def _send_message(self, params: JSON) -> JSON:
        chat = self._resolve_chat(params["chat_id"])
        text, entities = self._format(
            params["text"], params.get("parse_mode"), params.get("entities"), caption=False
        )
        markup = self._markup(params)
        reply_to = self._reply_target(chat, params)
        return self._store_bot_message(
            BotMessage(
                message_id=chat.next_message_id(),
                chat_id=chat.id,
                text=text,
                html=params["text"],
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                entities=entities,
                reply_to_message_id=reply_to,
                date=int(time.time()),
            )
        )

    async def _send_photo(self, params: JSON) -> JSON:
        return self._send_media("photo", params)

    async def _send_document(self, params: JSON) -> JSON:
        return self._send_media("document", params)

    def _send_media(self, kind: str, params: JSON) -> JSON:
        chat = self._resolve_chat(params["chat_id"])
        caption: str | None = None
        entities: list[JSON] = []
        if params.get("caption"):
            caption, entities = self._format(
                params["caption"],
                params.get("parse_mode"),
                params.get("caption_entities"),
                caption=True,
            )
        stored = self._store_file(kind, params[kind])
        markup = self._markup(params)
        reply_to = self._reply_target(chat, params)
        return self._store_bot_message(
            BotMessage(
                message_id=chat.next_message_id(),
                chat_id=chat.id,
                text="",
                html=params.get("caption"),
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                kind=kind,
                caption=caption or None,
                file_name=stored.file_name,
                file_bytes=stored.content,
                mime_type=stored.mime_type,
                file_id=stored.file_id,
                entities=entities,
                reply_to_message_id=reply_to,
                date=int(time.time()),
            )
        )

    def _store_file(self, kind: str, source: UploadedFile | str) -> _StoredFile:
        if isinstance(source, str):
            known = self._files.get(source)
            if known is not None and known.kind == kind:
                return known
            if not re.match(r"^https?://\S+$", source):
                raise bad_request("wrong file identifier/HTTP URL specified")
            name = urllib.parse.urlparse(source).path.rsplit("/", 1)[-1] or None
            content: bytes | None = None
            mime = mimetypes.guess_type(name or "")[0]
        else:
            if not source.content:
                raise bad_request("file must be non-empty")
            name, content, mime = source.filename, source.content, source.content_type
        width = height = 0
        if kind == "photo" and content is not None:
            size = _image_size(content)
            if size is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            width, height = size
            if not width or not height:
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
        number = next(self._file_counter)
        extension = (mimetypes.guess_extension(mime or "") or "") if kind == "photo" else ""
        if kind == "document" and name and "." in name:
            extension = "." + name.rsplit(".", 1)[-1]
        stored = _StoredFile(
            file_id=f"EMU{kind.upper()}{number:06d}",
            file_unique_id=f"EMUU{number:06d}",
            kind=kind,
            file_name=name,
            mime_type=mime,
            content=content,
            file_path=f"{kind}s/file_{number}{extension}",
            width=width,
            height=height,
        )
        self._files[stored.file_id] = stored
        return stored

    async def _get_file(self, params: JSON) -> JSON:
        stored = self._files.get(params["file_id"])
        if stored is None or stored.content is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
            **stored.size_json(),
        }

    def _editable(self, params: JSON) -> BotMessage:
        if "inline_message_id" in params:
            raise bad_request("MESSAGE_ID_INVALID (inline messages are not emulated)")
        if "chat_id" not in params:
            raise bad_request("chat_id is empty")
        if "message_id" not in params:
            raise bad_request("message identifier is not specified")
        chat = self._resolve_chat(params["chat_id"])
        key = (chat.id, params["message_id"])
        if key in self._user_messages and key not in self._deleted_user_messages:
            raise bad_request("message can't be edited")
        message = self._bot_by_key.get(key)
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        return message

    def _apply_edit(self, message: BotMessage, changes: JSON, new_markup: JSON | None) -> JSON:
        # Without reply_markup an edit removes the inline keyboard, as on Telegram.
        old_inline = _inline(message.reply_markup)
        keep_other = message.reply_markup if old_inline is None and new_markup is None else None
        # Only what the user sees counts; the same text sent with another parse_mode is no edit.
        unchanged = all(
            getattr(message, k) == v
            for k, v in changes.items()
            if k in ("text", "caption", "entities")
        )
        if unchanged and _inline(new_markup) == old_inline:
            raise bad_request(_NOT_MODIFIED)
        for key, value in changes.items():
            setattr(message, key, value)
        message.reply_markup = new_markup if new_markup is not None else keep_other
        message.edited = True
        message.edit_count += 1
        self._announce(message)
        return self._bot_message_json(message, edit_date=int(time.time()))

    async def _edit_message_text(self, params: JSON) -> JSON:
        message = self._editable(params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text: str | None = params.get("text")
        parse_mode: str | None = params.get("parse_mode")
        if text is None and "rich_message" in params:
            rich = params["rich_message"]
            if "html" not in rich:
                raise bad_request("rich_message without html is not implemented by the emulator")
            text, parse_mode = rich["html"], "HTML"
        if not text:
            raise bad_request("message text is empty")
        plain, entities = self._format(text, parse_mode, params.get("entities"), caption=False)
        changes = {"text": plain, "entities": entities, "html": text, "parse_mode": parse_mode}
        return self._apply_edit(message, changes, self._markup(params))

    async def _edit_message_caption(self, params: JSON) -> JSON:
        message = self._editable(params)
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        raw: str = params.get("caption", "")
        caption, entities = "", list[JSON]()
        if raw:
            caption, entities = self._format(
                raw, params.get("parse_mode"), params.get("caption_entities"), caption=True
            )
        changes = {
            "caption": caption or None,
            "entities": entities,
            "html": raw or None,
            "parse_mode": params.get("parse_mode"),
        }
        return self._apply_edit(message, changes, self._markup(params))

    async def _edit_message_reply_markup(self, params: JSON) -> JSON:
        message = self._editable(params)
        return self._apply_edit(message, {}, self._markup(params))

    async def _delete_message(self, params: JSON) -> bool:
        chat = self._resolve_chat(params["chat_id"], check_blocked=False)
        key = (chat.id, params["message_id"])
        message = self._bot_by_key.get(key)
        if message is not None and not message.deleted:
            message.deleted = True
            self._announce(message)
            return True
        if key in self._user_messages and key not in self._deleted_user_messages:
            if chat.type != "private":
                raise bad_request("message can't be deleted")  # the bot is not an admin here
            self._deleted_user_messages.add(key)
            return True
        raise bad_request("message to delete not found")

    async def _answer_callback_query(self, params: JSON) -> bool:
        query = self._callback_queries.get(params["callback_query_id"])
        if query is None or query.answer is not None:
            raise bad_request(_QUERY_INVALID)
        if utf16_len(params.get("text", "")) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        if "url" in params:
            raise bad_request("URL_INVALID")  # only game bots may open URLs this way
        query.answer = {k: v for k, v in params.items() if k != "callback_query_id"}
        return True

    # ------------------------------------------------------------------ message JSON

    def _message_json(self, chat_id: int, message_id: int, *, with_reply: bool) -> JSON | None:
        bot_message = self._bot_by_key.get((chat_id, message_id))
        if bot_message is not None:
            return (
                None
                if bot_message.deleted
                else self._bot_message_json(bot_message, with_reply=with_reply)
            )
        key = (chat_id, message_id)
        if key not in self._user_messages or key in self._deleted_user_messages:
            return None
        data = copy.deepcopy(self._user_messages[key])
        if not with_reply:
            data.pop("reply_to_message", None)
        return data

    def _bot_message_json(
        self, message: BotMessage, *, with_reply: bool = True, edit_date: int | None = None
    ) -> JSON:
        data: JSON = {
            "message_id": message.message_id,
            "from": self._bot_user_json(),
            "chat": self._chats[message.chat_id].to_json(),
            "date": message.date,
        }
        if edit_date is not None or message.edited:
            data["edit_date"] = edit_date or message.date
        if message.kind == "text":
            data["text"] = message.text
            if message.entities:
                data["entities"] = copy.deepcopy(message.entities)
        else:
            stored = self._files[message.file_id or ""]
            if message.kind == "photo":
                data["photo"] = [
                    {
                        "file_id": stored.file_id,
                        "file_unique_id": stored.file_unique_id,
                        "width": stored.width,
                        "height": stored.height,
                        **stored.size_json(),
                    }
                ]
            else:
                document: JSON = {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                }
                if stored.file_name:
                    document["file_name"] = stored.file_name
                if stored.mime_type:
                    document["mime_type"] = stored.mime_type
                data["document"] = {**document, **stored.size_json()}
            if message.caption:
                data["caption"] = message.caption
                if message.entities:
                    data["caption_entities"] = copy.deepcopy(message.entities)
        inline = _inline(message.reply_markup)
        if inline is not None:  # Telegram echoes only inline keyboards in Message objects
            data["reply_markup"] = copy.deepcopy(inline)
        if with_reply and message.reply_to_message_id is not None:
            target = self._message_json(
                message.chat_id, message.reply_to_message_id, with_reply=False
            )
            if target is not None:
                data["reply_to_message"] = target
        return data


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
