"""Drive an emulator in another process through its control API (see control.py for the
endpoints each method calls and what they answer)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx


class EmulatorClient:
    def __init__(self, root_url: str) -> None:
        """``root_url``: http://host:port (the base_url without its /bot suffix)."""
        self._http = httpx.AsyncClient(base_url=root_url.rstrip("/") + "/_emulator/")

    async def __aenter__(self) -> EmulatorClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._http.aclose()

    async def _post(self, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self._http.post(endpoint, json=body)
        if response.status_code == 400:  # the emulator says what it could not do
            raise ValueError(response.json()["description"])
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    async def user_sends(self, messages: list[dict[str, Any]]) -> None:
        """Each message: {"text", "chat_id", "chat_type", "user_id", "first_name"}."""
        await self._post("user_sends", {"messages": messages})

    async def user_edits(self, message_id: int, text: str, chat_id: int = 1001) -> None:
        body = {"message_id": message_id, "text": text, "chat_id": chat_id}
        await self._post("user_edits", body)

    async def add_chat(self, chat_id: int, **options: Any) -> None:
        """A chat known from before (options: chat_type, first_name, title)."""
        await self._post("add_chat", {"chat_id": chat_id, **options})

    async def user_blocks_bot(self, chat_id: int = 1001) -> None:
        await self._post("block", {"chat_id": chat_id})

    async def send_as(self, sender: str, text: str, **options: Any) -> dict[str, Any]:
        """sender "anonymous_admin", "channel" or "bot"; returns the queued Message JSON."""
        body = await self._post("send_as", {"sender": sender, "text": text, **options})
        message: dict[str, Any] = body["message"]
        return message

    async def press(self, message_id: int, data: str, **options: Any) -> str:
        """Press a button of any bot message (options: chat_id, user_id, first_name,
        inaccessible); returns the callback query id."""
        body = await self._post("press", {"message_id": message_id, "data": data, **options})
        return str(body["query_id"])

    async def make_uneditable(self, message_id: int, chat_id: int = 1001) -> None:
        await self._post("uneditable", {"message_id": message_id, "chat_id": chat_id})

    async def queue_raw_update(self, kind: str, payload: dict[str, Any]) -> int:
        body = await self._post("raw_update", {"kind": kind, "payload": payload})
        return int(body["update_id"])

    async def restart_update_numbering(self, first: int = 1) -> None:
        await self._post("restart_update_numbering", {"first": first})

    async def set_webhook_backends(
        self,
        urls: list[str],
        *,
        retry_delay: float | None = None,
        post_timeout: float | None = None,
    ) -> None:
        body = {"urls": urls, "retry_delay": retry_delay, "post_timeout": post_timeout}
        await self._post("webhook_backends", body)

    async def set_faults(self, **rates: Any) -> None:
        await self._post("faults", rates)

    async def set_flood_limit(self, **limits: Any) -> None:
        await self._post("flood", limits)

    async def report(self) -> dict[str, Any]:
        response = await self._http.get("report")
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    async def wait_for(
        self,
        predicate: Callable[[dict[str, Any]], bool],
        timeout: float = 30.0,  # noqa: ASYNC109 - polls another process
        interval: float = 0.05,
    ) -> dict[str, Any]:
        """Poll the report until ``predicate(report)`` holds; returns that report."""
        async with asyncio.timeout(timeout):
            while True:
                report = await self.report()
                if predicate(report):
                    return report
                await asyncio.sleep(interval)
