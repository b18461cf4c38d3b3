"""The control API and its client (what e2e tests use across processes), the standalone
process's --data-dir, and 409s between two long polls."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import httpx
import pytest

from bot.emulator import BotApiEmulator
from bot.emulator.client import EmulatorClient
from bot.emulator.state import DEFAULT_TOKEN
from tests.emulator.conftest import CHAT, call


def _root(emu: BotApiEmulator) -> str:
    return emu.base_url.removesuffix("/bot")


async def test_the_client_drives_groups_buttons_and_raw_updates(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.user_sends("/start", chat_id=-100, chat_type="supergroup", user_id=3)
    _, sent = await call(
        http,
        "sendMessage",
        chat_id=-100,
        text="Pick",
        reply_markup='{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}',
    )
    message_id = sent["result"]["message_id"]
    async with EmulatorClient(_root(emu)) as client:
        anonymous = await client.send_as("anonymous_admin", "3x5 squats", chat_id=-100)
        as_channel = await client.send_as("channel", "hi", chat_id=-100, channel_id=-1007)
        query_id = await client.press(message_id, "a", chat_id=-100, user_id=42)
        await client.make_uneditable(message_id, chat_id=-100)
        update_id = await client.queue_raw_update(
            "edited_message", {"chat": {"id": CHAT, "type": "private"}, "text": "x"}
        )
        with pytest.raises(ValueError, match="still waiting"):
            await client.restart_update_numbering(5)
        with pytest.raises(ValueError, match="no button"):
            await client.press(message_id, "b", chat_id=-100)
        with pytest.raises(ValueError, match="sender must be one of"):
            await client.send_as("ghost", "boo", chat_id=-100)
        report = await client.report()
    assert anonymous["sender_chat"]["id"] == -100
    assert as_channel["sender_chat"]["type"] == "channel"
    assert report["callback_answers"] == {query_id: None}
    assert report["messages"][0]["buttons"] == ["a"]
    assert report["pending_updates"] == 5
    assert update_id < 100_100
    status, body = await call(
        http, "editMessageText", chat_id=-100, message_id=message_id, text="B"
    )
    assert (status, body["description"]) == (400, "Bad Request: message can't be edited")
    status, body = await call(http, "getUpdates", offset=update_id + 1)
    assert (status, body["result"]) == (200, [])  # all confirmed: a quiet week may begin
    async with EmulatorClient(_root(emu)) as client:
        await client.restart_update_numbering(5)
        await client.user_sends([{"text": "again", "chat_id": -100, "chat_type": "supergroup"}])
    status, body = await call(http, "getUpdates", offset=update_id + 1)  # the bot's old offset
    assert [u["update_id"] for u in body["result"]] == [5]


async def test_the_client_adds_chats_edits_and_blocks(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    async with EmulatorClient(_root(emu)) as client:
        await client.add_chat(4242, first_name="Rae")
        await client.user_sends([{"text": "3x10 squats", "chat_id": 4242}])
        await client.user_edits(1, "3x12 squats", chat_id=4242)
        with pytest.raises(ValueError, match="no message 9"):
            await client.user_edits(9, "x", chat_id=4242)
        status, _ = await call(http, "sendMessage", chat_id=4242, text="Logged")
        assert status == 200
        await client.user_blocks_bot(4242)
    status, body = await call(http, "sendMessage", chat_id=4242, text="Reminder")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
    updates = (await call(http, "getUpdates"))[1]["result"]
    assert [u.get("edited_message", {}).get("text") for u in updates] == [None, "3x12 squats"]


async def test_the_client_sets_webhook_backends(emu: BotApiEmulator) -> None:
    async with EmulatorClient(_root(emu)) as client:
        await client.set_webhook_backends(["http://127.0.0.1:9/tg"], retry_delay=0.01)
        with pytest.raises(ValueError, match="not an http"):
            await client.set_webhook_backends(["ftp://example.com"])
        report = await client.report()
    assert report["webhook"] == {"url": None, "deliveries": []}


async def test_two_long_polls_at_once_the_older_gets_409(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    first = asyncio.create_task(http.post("getUpdates", data={"timeout": 30}, timeout=40))
    await emu.wait_for(lambda: emu.waiting_polls == 1)
    second = asyncio.create_task(http.post("getUpdates", data={"timeout": 30}, timeout=40))
    response = await first
    assert response.status_code == 409
    assert "terminated by other getUpdates request" in response.json()["description"]
    await emu.wait_for(lambda: emu.waiting_polls == 1)  # the newer one keeps waiting
    emu.user_sends("hello")
    [update] = (await second).json()["result"]
    assert update["message"]["text"] == "hello"
    async with EmulatorClient(_root(emu)) as client:
        assert (await client.report())["conflicts"] == emu.conflicts == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _serve(port: int, data_dir: Path) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.emulator",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--log-level",
        "WARNING",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
    )
    async with EmulatorClient(f"http://127.0.0.1:{port}") as client, asyncio.timeout(20):
        while True:
            try:
                await client.report()
                return process
            except httpx.TransportError:
                await asyncio.sleep(0.1)


async def test_the_standalone_process_remembers_chats_in_its_data_dir(tmp_path: Path) -> None:
    port = _free_port()
    api = f"http://127.0.0.1:{port}/bot{DEFAULT_TOKEN}/"
    for run in range(2):
        process = await _serve(port, tmp_path)
        try:
            async with EmulatorClient(f"http://127.0.0.1:{port}") as control:
                if run == 0:
                    await control.user_sends([{"text": "hello", "chat_id": CHAT}])
                report = await control.report()
            async with httpx.AsyncClient(base_url=api) as http:
                status, body = await call(http, "sendMessage", chat_id=CHAT, text=f"run {run}")
        finally:
            process.terminate()
            await process.wait()
        assert status == 200, body
    # The update sent in the first run was never fetched: it is still waiting in the second.
    assert report["pending_updates"] == 1
    assert body["result"]["message_id"] == 3  # ids continue: 1 hello, 2 run 0, 3 run 1
