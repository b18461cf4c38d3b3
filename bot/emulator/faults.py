"""Fault injection: one-off failures (fail_next), fault rates and flood control."""

from __future__ import annotations

import logging
import time
from collections import deque
from http import HTTPStatus

from aiohttp import web

from bot.emulator.models import RejectedCall
from bot.emulator.spec import (
    ApiError,
)
from bot.emulator.state import (
    JSON,
    FaultRates,
    FloodLimit,
    _error_response,
    _Fault,
)
from bot.emulator.users import UserSide

log = logging.getLogger(__name__)


# Calls that put a message in front of a user: what flood control counts.
_FLOOD_COUNTED = ("send", "edit", "copy", "forward")


class Faults(UserSide):
    # ------------------------------------------------------------------ fault injection

    def set_faults(
        self,
        *,
        error_rate: float = 0.0,
        drop_rate: float = 0.0,
        status: int = 502,
        drop_after_share: float = 0.5,
        methods: list[str] | None = None,
        latency: float = 0.0,
        seed: int | None = None,
    ) -> None:
        """Inject random faults from now on (all zero: none). See FaultRates."""
        if not 0 <= error_rate + drop_rate <= 1:
            raise ValueError("error_rate + drop_rate must be within 0..1")
        canonical = None
        if methods is not None:
            canonical = frozenset(self._canonical(m) for m in methods)
        self._rates = FaultRates(
            error_rate, drop_rate, status, drop_after_share, canonical, latency
        )
        if seed is not None:
            self._random.seed(seed)

    def set_flood_limit(
        self,
        *,
        per_second: float | None = None,
        per_chat: float | None = None,
        retry_after: int = 1,
    ) -> None:
        """Answer 429 above these rates (None: no limit)."""
        self._flood = FloodLimit(per_second, per_chat, retry_after)

    def fault_report(self) -> dict[str, int]:
        """How many calls each kind of fault hit, and sends accepted before a dropped answer."""
        return {**self._fault_counts, "accepted_then_dropped": len(self.accepted_then_dropped)}

    def _canonical(self, method: str) -> str:
        canonical = self._spec.canonical_method(method)
        if canonical is None:
            raise ValueError(f"unknown method {method!r}")
        return canonical

    def _roll(self, method: str) -> str | None:
        """None, "error", "drop_before" or "drop_after" for this call."""
        rates = self._rates
        if rates.methods is not None and method not in rates.methods:
            return None
        if rates.error_rate <= 0 and rates.drop_rate <= 0:
            return None
        draw = self._random.random()
        if draw < rates.error_rate:
            return "error"
        if draw < rates.error_rate + rates.drop_rate:
            after = self._random.random() < rates.drop_after_share
            return "drop_after" if after else "drop_before"
        return None

    def _flooded(self, method: str, params: JSON) -> bool:
        """Count this call against the flood limits; True if it is over them (not counted)."""
        flood = self._flood
        if not method.startswith(_FLOOD_COUNTED) or method == "sendChatAction":
            return False
        if flood.per_second is None and flood.per_chat is None:
            return False
        now = time.monotonic()
        chat = params.get("chat_id")
        overall = self._flood_window
        per_chat = self._flood_chats.setdefault(chat, deque()) if chat is not None else None
        for window in (overall, per_chat):
            while window and window[0] <= now - 1.0:
                window.popleft()
        if (flood.per_second is not None and len(overall) >= flood.per_second) or (
            per_chat is not None and flood.per_chat is not None and len(per_chat) >= flood.per_chat
        ):
            return True
        overall.append(now)
        if per_chat is not None:
            per_chat.append(now)
        return False

    def _count_fault(self, kind: str) -> None:
        self._fault_counts[kind] = self._fault_counts.get(kind, 0) + 1

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
