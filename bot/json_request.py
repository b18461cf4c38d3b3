"""PTB's HTTP transport, sending a JSON body instead of a form.

PTB form-encodes every parameter, and ``urllib.parse`` quotes a long answer byte by byte in
Python: for a 2 KB answer with its keyboard that is a good part of the CPU an update costs.
The Bot API takes ``application/json`` as well, which the standard library encodes in C.
Uploads (files) still go out as multipart forms, exactly as PTB sends them.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData

# httpcore asks ``import sniffio`` inside a function, several times per request, and falls back
# to asyncio when it is missing (anyio 4 no longer installs it). A failed import is not cached:
# each one searches sys.path on disk again (~0.2 ms of CPU per update). Where sniffio is not
# installed, record that once, so the same ImportError comes at once.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]


class JsonRequest(HTTPXRequest):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._headers = httpx.Headers(
            {"User-Agent": self.USER_AGENT, "Content-Type": "application/json"}
        )
        self._urls: dict[str, httpx.URL] = {}
        self._timeouts: dict[tuple[Any, ...], httpx.Timeout] = {}

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if request_data is None or request_data.contains_files:
            return await super().do_request(
                url,
                method,
                request_data,
                read_timeout,
                write_timeout,
                connect_timeout,
                pool_timeout,
            )
        client = self._client
        defaults = client.timeout
        timeouts = (
            defaults.connect if isinstance(connect_timeout, DefaultValue) else connect_timeout,
            defaults.read if isinstance(read_timeout, DefaultValue) else read_timeout,
            defaults.write if isinstance(write_timeout, DefaultValue) else write_timeout,
            defaults.pool if isinstance(pool_timeout, DefaultValue) else pool_timeout,
        )
        timeout = self._timeouts.get(timeouts)
        if timeout is None:
            connect, read, write, pool = timeouts
            timeout = httpx.Timeout(connect=connect, read=read, write=write, pool=pool)
            self._timeouts[timeouts] = timeout
        # httpx parses a URL string on every request; there are a few dozen endpoints.
        parsed = self._urls.get(url)
        if parsed is None:
            parsed = self._urls[url] = httpx.URL(url)
        try:
            response = await client.request(
                method=method,
                url=parsed,
                headers=self._headers,
                timeout=timeout,
                content=request_data.json_payload,
            )
        except httpx.TimeoutException as err:
            if isinstance(err, httpx.PoolTimeout):
                raise TimedOut(
                    message="Pool timeout: all connections are busy; the request was not sent."
                ) from err
            raise TimedOut from err
        except httpx.HTTPError as err:
            raise NetworkError(f"httpx.{err.__class__.__name__}: {err}") from err
        return response.status_code, response.content
