"""The Bot API transport (bot/telegram/transport.py) against a real local HTTP server."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter  # how PTB builds a call

from bot.telegram.transport import AiohttpRequest

Seen = list[tuple[str, str, bytes]]


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Seen]]:
    seen: Seen = []

    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        seen.append((request.path, request.content_type, body))
        if request.path.endswith("/slow"):
            await asyncio.sleep(1.0)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/{method}", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


async def test_parameters_go_out_as_json(server: tuple[str, Seen]) -> None:
    base, seen = server
    request = AiohttpRequest()
    await request.initialize()
    try:
        data = RequestData(
            [
                RequestParameter.from_input("chat_id", 5),
                RequestParameter.from_input("text", "<b>Squat</b> 3 × 12"),
            ]
        )
        status, body = await request.do_request(f"{base}/sendMessage", "POST", data)
    finally:
        await request.shutdown()
    assert (status, json.loads(body)) == (200, {"ok": True, "result": True})
    [(path, content_type, sent)] = seen
    assert (path, content_type) == ("/sendMessage", "application/json")
    assert json.loads(sent) == {"chat_id": "5", "text": "<b>Squat</b> 3 × 12"}


async def test_files_go_out_as_multipart(server: tuple[str, Seen]) -> None:
    base, seen = server
    request = AiohttpRequest()
    try:
        document = InputFile(b"date,reps\n2027-01-04,12\n", filename="log.csv")
        data = RequestData(
            [
                RequestParameter.from_input("chat_id", 5),
                RequestParameter.from_input("document", document),
            ]
        )
        status, _ = await request.do_request(f"{base}/sendDocument", "POST", data)
    finally:
        await request.shutdown()
    assert status == 200
    [(_, content_type, sent)] = seen
    assert content_type == "multipart/form-data"
    assert b'filename="log.csv"' in sent
    assert b"2027-01-04,12" in sent


async def test_a_slow_answer_is_a_timeout_and_a_refused_connection_a_network_error(
    server: tuple[str, Seen],
) -> None:
    base, _ = server
    request = AiohttpRequest(read_timeout=0.1)
    assert request.read_timeout == 0.1
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    try:
        with pytest.raises(TimedOut):
            await request.do_request(f"{base}/slow", "POST", None)
        # A longer timeout for one call (getUpdates' long poll) is honoured.
        status, _ = await request.do_request(f"{base}/slow", "POST", None, read_timeout=3.0)
        assert status == 200
        with pytest.raises(NetworkError) as refused:
            await request.do_request(f"http://127.0.0.1:{closed}/getMe", "POST", None)
        assert not isinstance(refused.value, TimedOut)
    finally:
        await request.shutdown()


async def test_an_error_that_quotes_the_url_does_not_carry_the_token() -> None:
    request = AiohttpRequest()
    token = "123456:" + "A" * 35
    try:
        with pytest.raises(NetworkError) as failed:  # aiohttp's InvalidURL quotes the URL
            await request.do_request(f"http//no-scheme/bot{token}/getMe", "POST", None)
    finally:
        await request.shutdown()
    assert token not in str(failed.value)
