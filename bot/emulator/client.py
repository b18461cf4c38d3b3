"""Drive an emulator in another process through its control API (see control.py)."""

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

    async def user_sends(self, messages: list[dict[str, Any]]) -> None:
        response = await self._http.post("user_sends", json={"messages": messages})
        response.raise_for_status()

    async def set_faults(self, **rates: Any) -> None:
        (await self._http.post("faults", json=rates)).raise_for_status()

    async def set_flood_limit(self, **limits: Any) -> None:
        (await self._http.post("flood", json=limits)).raise_for_status()

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
