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
        timeout = httpx.Timeout(
            connect=defaults.connect
            if isinstance(connect_timeout, DefaultValue)
            else connect_timeout,
            read=defaults.read if isinstance(read_timeout, DefaultValue) else read_timeout,
            write=defaults.write if isinstance(write_timeout, DefaultValue) else write_timeout,
            pool=defaults.pool if isinstance(pool_timeout, DefaultValue) else pool_timeout,
        )
        try:
            response = await client.request(
                method=method,
                url=url,
                headers={"User-Agent": self.USER_AGENT, "Content-Type": "application/json"},
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
