"""A small JSON control API, so a test can drive an emulator running in another process
(``python -m bot.emulator``), e.g. while it SIGKILLs the bot::

    POST /_emulator/user_sends  {"messages": [{"text": "...", "chat_id": 1001}, ...]}
    POST /_emulator/faults      {"error_rate": 0.05, "drop_rate": 0.02, "status": 502}
    POST /_emulator/flood       {"per_second": 20, "per_chat": 3, "retry_after": 1}
    GET  /_emulator/report      what the bot did: messages, refusals, faults, pending updates

``bot.emulator.client.EmulatorClient`` wraps it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from bot.emulator.server import BotApiEmulator

PREFIX = "/_emulator/"


def add_control_routes(app: web.Application, emulator: BotApiEmulator) -> None:
    async def user_sends(request: web.Request) -> web.Response:
        body = await request.json()
        for message in body["messages"]:
            emulator.user_sends(
                message["text"],
                chat_id=int(message.get("chat_id", 1001)),
                first_name=str(message.get("first_name", "Runner")),
            )
        return web.json_response({"ok": True, "queued": len(body["messages"])})

    async def faults(request: web.Request) -> web.Response:
        emulator.set_faults(**(await request.json()))
        return web.json_response({"ok": True})

    async def flood(request: web.Request) -> web.Response:
        emulator.set_flood_limit(**(await request.json()))
        return web.json_response({"ok": True})

    async def report(request: web.Request) -> web.Response:
        return web.json_response(report_of(emulator), dumps=_dumps)

    app.router.add_post(PREFIX + "user_sends", user_sends)
    app.router.add_post(PREFIX + "faults", faults)
    app.router.add_post(PREFIX + "flood", flood)
    app.router.add_get(PREFIX + "report", report)


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
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, default=str)
