"""Fault switches: random errors and dropped connections (before or after the call took
effect), flood control overall and per chat, and the control API of a standalone emulator."""

from __future__ import annotations

import httpx
import pytest

from bot.emulator import BotApiEmulator
from bot.emulator.client import EmulatorClient
from tests.emulator.conftest import CHAT, call


async def test_error_rate_answers_the_status_and_does_nothing(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.add_chat(CHAT)
    emu.set_faults(error_rate=1.0, status=502, seed=1)
    status, body = await call(http, "sendMessage", chat_id=CHAT, text="hi")
    assert status == 502
    assert body["ok"] is False
    assert emu.messages(CHAT) == []
    emu.set_faults()  # all off again
    status, _ = await call(http, "sendMessage", chat_id=CHAT, text="hi")
    assert status == 200
    assert emu.fault_report() == {"error": 1, "accepted_then_dropped": 0}


@pytest.mark.parametrize(("after", "sent"), [(0.0, 0), (1.0, 1)])
async def test_a_dropped_connection_before_or_after_the_send(
    emu: BotApiEmulator, http: httpx.AsyncClient, after: float, sent: int
) -> None:
    emu.add_chat(CHAT)
    emu.set_faults(drop_rate=1.0, drop_after_share=after)
    with pytest.raises(httpx.TransportError):
        await call(http, "sendMessage", chat_id=CHAT, text="hi")
    assert len(emu.messages(CHAT)) == sent
    assert len(emu.accepted_then_dropped) == sent
    kind = "dropped_after" if sent else "dropped_before"
    assert emu.fault_report()[kind] == 1
    if sent:
        method, chat, message_id = emu.accepted_then_dropped[0]
        assert (method, chat) == ("sendMessage", CHAT)
        assert message_id == emu.messages(CHAT)[0].message_id


async def test_rates_apply_only_to_the_methods_named(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.add_chat(CHAT)
    emu.set_faults(error_rate=1.0, methods=["sendMessage"])
    status, _ = await call(http, "getMe")
    assert status == 200
    status, _ = await call(http, "sendMessage", chat_id=CHAT, text="hi")
    assert status == 502


async def test_flood_control_overall_and_per_chat(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.add_chat(CHAT)
    emu.add_chat(CHAT + 1)
    emu.set_flood_limit(per_second=3, per_chat=2, retry_after=2)
    statuses = [(await call(http, "sendMessage", chat_id=CHAT, text=str(i)))[0] for i in range(3)]
    assert statuses == [200, 200, 429]  # the chat's limit
    status, body = await call(http, "sendMessage", chat_id=CHAT + 1, text="x")
    assert status == 200
    status, body = await call(http, "sendMessage", chat_id=CHAT + 1, text="y")
    assert status == 429  # overall: three in this second already
    assert body["parameters"] == {"retry_after": 2}
    status, _ = await call(http, "sendChatAction", chat_id=CHAT, action="typing")
    assert status == 200  # not a message: not counted
    assert emu.fault_report()["flood"] == 2
    assert len(emu.messages()) == 3


async def test_the_control_api_drives_the_emulator(emu: BotApiEmulator) -> None:
    async with EmulatorClient(emu.base_url.removesuffix("/bot")) as client:
        await client.user_sends([{"text": "hello", "chat_id": CHAT}, {"text": "hi", "chat_id": 7}])
        await client.set_faults(error_rate=0.5, seed=3)
        await client.set_flood_limit(per_second=10)
        report = await client.report()
    assert report["pending_updates"] == 2
    assert report["messages"] == []
    assert report["faults"] == {"accepted_then_dropped": 0}
    assert emu.pending_updates() == 2
