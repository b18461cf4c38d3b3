"""Fault injection: one-off failures (fail_next), fault rates and flood control."""

from __future__ import annotations

import logging
from http import HTTPStatus

from aiohttp import web

from bot.emulator.messages import Messages
from bot.emulator.models import RejectedCall
from bot.emulator.spec import (
    ApiError,
)
from bot.emulator.state import (
    JSON,
    _error_response,
    _Fault,
)

log = logging.getLogger(__name__)


class Faults(Messages):
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
