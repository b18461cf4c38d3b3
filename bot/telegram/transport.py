"""The Bot API transport: PTB's ``BaseRequest`` on aiohttp's client, with JSON bodies.

Why not PTB's default (``HTTPXRequest``): measured on this project's machine, one call through
httpx costs about 1 ms of CPU (its pure-Python HTTP/1.1 stack, h11 and anyio), against 0.2 ms
through aiohttp, whose HTTP parser is in C; an answered question makes one such call, so the
transport was half of what an update cost. aiohttp is already a dependency (the local Bot API
emulator is an aiohttp server). PTB documents ``BaseRequest`` as the seam for exactly this:
``ApplicationBuilder().request(...)`` and ``.get_updates_request(...)``.

Bodies are JSON (the Bot API takes ``application/json``; the standard library encodes it in C),
except uploads, which go out as multipart forms as PTB sends them. Errors come out as PTB's:
a timeout is ``TimedOut``, any other transport failure ``NetworkError`` (both retried by the
send layer, bot/telegram/sending.py); HTTP statuses are left to PTB.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB's HTTPXRequest defaults, in seconds.
READ_TIMEOUT = 5.0
WRITE_TIMEOUT = 5.0
CONNECT_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0
MEDIA_WRITE_TIMEOUT = 20.0


def _given(value: Any, default: float | None) -> float | None:
    """A timeout PTB passed, or ours when it passed its "not given" marker."""
    return default if value is BaseRequest.DEFAULT_NONE else value


def _sum(*parts: float | None) -> float | None:
    """None (no limit) if any part is unlimited."""
    total = 0.0
    for part in parts:
        if part is None:
            return None
        total += part
    return total


class AiohttpRequest(BaseRequest):
    def __init__(
        self,
        connection_pool_size: int = 64,
        read_timeout: float | None = READ_TIMEOUT,
        write_timeout: float | None = WRITE_TIMEOUT,
        connect_timeout: float | None = CONNECT_TIMEOUT,
        pool_timeout: float | None = POOL_TIMEOUT,
        media_write_timeout: float | None = MEDIA_WRITE_TIMEOUT,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._headers = {"User-Agent": self.USER_AGENT}
        self._json_headers = {**self._headers, "Content-Type": "application/json"}
        self._timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # The session belongs to the running event loop, so it is made here, not in __init__.
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size)
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _timeout(
        self, read: float | None, write: float | None, connect: float | None, pool: float | None
    ) -> aiohttp.ClientTimeout:
        key = (read, write, connect, pool)
        found = self._timeouts.get(key)
        if found is None:
            # aiohttp has no write timeout of its own: the whole call is bounded by the sum.
            found = self._timeouts[key] = aiohttp.ClientTimeout(
                total=_sum(pool, connect, write, read),
                connect=_sum(pool, connect),  # waiting for a pooled connection, then connecting
                sock_connect=connect,
                sock_read=read,
            )
        return found

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            await self.initialize()
        assert self._session is not None
        files = request_data is not None and request_data.contains_files
        timeout = self._timeout(
            _given(read_timeout, self._read),
            _given(write_timeout, self._media_write if files else self._write),
            _given(connect_timeout, self._connect),
            _given(pool_timeout, self._pool),
        )
        body: bytes | aiohttp.FormData | None = None
        headers = self._headers
        if request_data is not None and files:
            form = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                form.add_field(name, value)
            for name, (filename, content, mime) in request_data.multipart_data.items():
                form.add_field(name, content, filename=filename, content_type=mime)
            body = form
        elif request_data is not None:
            body, headers = request_data.json_payload, self._json_headers
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as err:
            raise TimedOut(
                "Pool or connect timeout: no connection to the Bot API; the request was not sent."
            ) from err
        except TimeoutError as err:  # aiohttp's read and total timeouts are TimeoutErrors too
            raise TimedOut from err
        except aiohttp.ClientError as err:
            # Some of aiohttp's errors quote the URL, and a Bot API URL holds the token.
            detail = str(err).replace(url, url.split("/bot", 1)[0] + "/bot<token>/...")
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {detail}") from err
