"""A small JSON control API, so a test can drive an emulator running in another process
(``python -m bot.emulator``), e.g. while it SIGKILLs the bot::

    POST /_emulator/user_sends  {"messages": [{"text": "...", "chat_id": 1001,
                                  "chat_type": "private", "user_id": null,
                                  "first_name": "Runner"}, ...]}
    POST /_emulator/send_as     {"sender": "anonymous_admin" | "channel" | "bot",
                                 "text": "...", "chat_id": -100123, ...}
                                 more keys are the keyword arguments of anonymous_admin_sends,
                                 channel_sends or bot_account_sends; answers {"message": {...}}
    POST /_emulator/user_edits  {"message_id": 3, "text": "...", "chat_id": 1001}
    POST /_emulator/add_chat    {"chat_id": 1001, "chat_type": "private", "first_name": "Runner",
                                 "title": null}   a chat known from before (reminder tests)
    POST /_emulator/block       {"chat_id": 1001}   the user blocks the bot: sends answer 403
    POST /_emulator/press       {"message_id": 5, "data": "cb", "chat_id": 1001, "user_id": null,
                                 "first_name": "Runner", "inaccessible": false}
                                 answers {"query_id": "..."}
    POST /_emulator/uneditable  {"message_id": 5, "chat_id": 1001}   edits answer 400 from now on
    POST /_emulator/raw_update  {"kind": "my_chat_member", "payload": {...}}
                                 answers {"update_id": N}
    POST /_emulator/restart_update_numbering  {"first": 1}
    POST /_emulator/webhook_backends  {"urls": ["http://127.0.0.1:8443/tg", ...],
                                       "retry_delay": 0.05, "post_timeout": 10}
    POST /_emulator/faults      {"error_rate": 0.05, "drop_rate": 0.02, "status": 502}
    POST /_emulator/flood       {"per_second": 20, "per_chat": 3, "retry_after": 1}
    GET  /_emulator/report      what the bot did: messages, refusals, faults, pending updates,
                                getUpdates conflicts (409s), the webhook and its deliveries

A request the emulator cannot do (an unknown chat or button, a bad value) is answered 400
with {"ok": false, "description": "..."}.  ``bot.emulator.client.EmulatorClient`` wraps it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from bot.emulator.server import BotApiEmulator

PREFIX = "/_emulator/"
_Body = dict[str, Any]


def add_control_routes(app: web.Application, emulator: BotApiEmulator) -> None:
    def user_sends(body: _Body) -> _Body:
        for message in body["messages"]:
            emulator.user_sends(
                message["text"],
                chat_id=int(message.get("chat_id", 1001)),
                chat_type=str(message.get("chat_type", "private")),
                user_id=message.get("user_id"),
                first_name=str(message.get("first_name", "Runner")),
            )
        return {"queued": len(body["messages"])}

    def user_edits(body: _Body) -> _Body:
        message = emulator.user_edits(
            int(body["message_id"]), str(body["text"]), chat_id=int(body.get("chat_id", 1001))
        )
        return {"message": message}

    def add_chat(body: _Body) -> _Body:
        emulator.add_chat(
            int(body["chat_id"]),
            chat_type=str(body.get("chat_type", "private")),
            first_name=str(body.get("first_name", "Runner")),
            title=body.get("title"),
        )
        return {}

    def block(body: _Body) -> _Body:
        emulator.user_blocks_bot(int(body.get("chat_id", 1001)))
        return {}

    def send_as(body: _Body) -> _Body:
        options = dict(body)
        sender = options.pop("sender")
        text = options.pop("text")
        senders: dict[str, Callable[..., dict[str, Any]]] = {
            "anonymous_admin": emulator.anonymous_admin_sends,
            "channel": emulator.channel_sends,
            "bot": emulator.bot_account_sends,
        }
        if sender not in senders:
            raise ValueError(f"sender must be one of {sorted(senders)}")
        return {"message": senders[sender](text, **options)}

    def press(body: _Body) -> _Body:
        query_id = emulator.user_presses(
            int(body["message_id"]),
            str(body["data"]),
            chat_id=int(body.get("chat_id", 1001)),
            user_id=body.get("user_id"),
            first_name=str(body.get("first_name", "Runner")),
            inaccessible=bool(body.get("inaccessible", False)),
        )
        return {"query_id": query_id}

    def uneditable(body: _Body) -> _Body:
        emulator.make_uneditable(int(body["message_id"]), chat_id=int(body.get("chat_id", 1001)))
        return {}

    def raw_update(body: _Body) -> _Body:
        return {"update_id": emulator.queue_raw_update(str(body["kind"]), body["payload"])}

    def restart_numbering(body: _Body) -> _Body:
        emulator.restart_update_numbering(int(body.get("first", 1)))
        return {}

    def webhook_backends(body: _Body) -> _Body:
        emulator.set_webhook_backends(
            list(body["urls"]),
            retry_delay=body.get("retry_delay"),
            post_timeout=body.get("post_timeout"),
        )
        return {}

    def faults(body: _Body) -> _Body:
        emulator.set_faults(**body)
        return {}

    def flood(body: _Body) -> _Body:
        emulator.set_flood_limit(**body)
        return {}

    for name, action in (
        ("user_sends", user_sends),
        ("user_edits", user_edits),
        ("add_chat", add_chat),
        ("block", block),
        ("send_as", send_as),
        ("press", press),
        ("uneditable", uneditable),
        ("raw_update", raw_update),
        ("restart_update_numbering", restart_numbering),
        ("webhook_backends", webhook_backends),
        ("faults", faults),
        ("flood", flood),
    ):
        app.router.add_post(PREFIX + name, _json_endpoint(action))

    async def report(request: web.Request) -> web.Response:
        return web.json_response(report_of(emulator), dumps=_dumps)

    app.router.add_get(PREFIX + "report", report)


def _json_endpoint(
    action: Callable[[_Body], _Body],
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def endpoint(request: web.Request) -> web.Response:
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise TypeError("the body must be a JSON object")
            result = action(body)
        except (ValueError, KeyError, TypeError) as error:
            description = f"{type(error).__name__}: {error}"
            return web.json_response({"ok": False, "description": description}, status=400)
        return web.json_response({"ok": True, **result}, dumps=_dumps)

    return endpoint


def report_of(emulator: BotApiEmulator) -> dict[str, Any]:
    calls: dict[str, int] = {}
    for method, _ in emulator.calls():
        calls[method] = calls.get(method, 0) + 1
    return {
        "pending_updates": emulator.pending_updates(),
        "messages": [
            {
                "chat_id": m.chat_id,
                "message_id": m.message_id,
                "text": m.text,
                "reply_to_message_id": m.reply_to_message_id,
                "buttons": m.button_data(),
                "edited": m.edited,
                "deleted": m.deleted,
            }
            for m in emulator.messages(include_deleted=True)
        ],
        "rejected": [
            {"method": r.method, "description": r.description, "status": r.status}
            for r in emulator.rejected
        ],
        "faults": emulator.fault_report(),
        "accepted_then_dropped": [list(x) for x in emulator.accepted_then_dropped],
        "calls": calls,
        "conflicts": emulator.conflicts,
        "webhook": {
            "url": emulator.webhook_url,
            "deliveries": [list(d) for d in emulator.webhook_deliveries],
        },
        "callback_answers": {
            query_id: emulator.callback_answer(query_id) for query_id in emulator.callback_ids()
        },
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, default=str)
