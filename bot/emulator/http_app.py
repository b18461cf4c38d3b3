"""The HTTP side: aiohttp routes, parameter decoding, refusals, lifecycle."""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.parse
from types import TracebackType
from typing import Self

from aiohttp import BodyPartReader, web

from bot.emulator.models import RejectedCall
from bot.emulator.spec import (
    ApiError,
    UploadedFile,
    bad_request,
)
from bot.emulator.state import (
    JSON,
    _error_response,
    _Fault,
    _json_response,
    _loggable,
)
from bot.emulator.webhook import Webhook

log = logging.getLogger(__name__)


class HttpLayer(Webhook):
    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Bind the HTTP server (port 0 picks a free port)."""
        if self._runner is not None:
            return
        self._stopping = False
        app = web.Application(client_max_size=64 * 1024 * 1024)  # uploads up to Telegram's 50 MB
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._add_routes(app)
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

    def _add_routes(self, app: web.Application) -> None:
        """More routes (the control API of the standalone process, see control.py)."""

    async def stop(self) -> None:
        """Answer pending long polls with no updates, then shut the server down."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._stopping = True
        self._notify(activity=False)
        await self._stop_webhook()
        await runner.cleanup()
        self._persist_now()

    async def __aenter__(self) -> Self:
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
        if self._rates.latency > 0 and not polling:
            await asyncio.sleep(self._rates.latency)
        if self._flooded(method, params):
            self._count_fault("flood")
            flood = _Fault(429, self._flood.retry_after, False, None, 1)
            return self._inject(request, method, params, flood)
        roll = self._roll(method)
        if roll == "error":
            self._count_fault("error")
            failure = _Fault(self._rates.status, None, False, None, 1)
            return self._inject(request, method, params, failure)
        if roll == "drop_before":
            self._count_fault("dropped_before")
            return self._inject(request, method, params, _Fault(500, None, True, None, 1))

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
        if roll == "drop_after":  # it happened, but the bot never hears so
            self._count_fault("dropped_after")
            message_id = result.get("message_id") if isinstance(result, dict) else None
            self.accepted_then_dropped.append((method, params.get("chat_id"), message_id))
            log.info("dropped the connection after %s took effect", method)
            self._notify()
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)
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
