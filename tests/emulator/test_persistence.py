"""The emulator keeps chats and update numbering across restarts, and can restart numbering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.emulator import BotApiEmulator
from bot.emulator.persistence import STATE_FILE
from tests.emulator.conftest import CHAT, call, tiny_png


async def _poll(emu: BotApiEmulator, **params: object) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=f"{emu.base_url}{emu.token}/") as client:
        status, body = await call(client, "getUpdates", **params)
    assert status == 200, body
    result: list[dict[str, Any]] = body["result"]
    return result


async def test_a_restarted_emulator_knows_its_chats_and_continues_numbering(
    tmp_path: Path,
) -> None:
    async with BotApiEmulator(data_dir=tmp_path) as first:
        first.user_sends("hello", first_name="Ada")
        [update] = await _poll(first, allowed_updates='["message"]')
        await _poll(first, offset=update["update_id"] + 1)  # confirmed
        first.user_sends("unconfirmed when the emulator stops")
        async with httpx.AsyncClient(base_url=f"{first.base_url}{first.token}/") as client:
            status, sent = await call(client, "sendMessage", chat_id=CHAT, text="hi Ada")
        assert status == 200
    assert (tmp_path / STATE_FILE).exists()

    async with BotApiEmulator(data_dir=tmp_path) as second:
        async with httpx.AsyncClient(base_url=f"{second.base_url}{second.token}/") as client:
            # The chat is still there: a reminder after the restart reaches it.
            status, reminder = await call(client, "sendMessage", chat_id=CHAT, text="reminder")
            assert status == 200, reminder
            assert reminder["result"]["message_id"] > sent["result"]["message_id"]
            assert reminder["result"]["chat"]["first_name"] == "Ada"
        # The update the bot never confirmed is still waiting, with its id.
        [waiting] = await _poll(second)  # no allowed_updates: the first run's list still holds
        assert waiting["update_id"] == update["update_id"] + 1
        second.user_sends("after the restart")
        updates = await _poll(second, offset=waiting["update_id"] + 1)
        assert [u["update_id"] for u in updates] == [waiting["update_id"] + 1]
        assert second.rejected == []
        edit = {"chat": {"id": CHAT, "type": "private"}, "message_id": 1, "text": "edited"}
        not_asked_for = second.queue_raw_update("edited_message", edit)
        assert not_asked_for not in [u["update_id"] for u in await _poll(second)]


async def test_without_a_data_directory_a_new_emulator_starts_empty() -> None:
    async with BotApiEmulator() as emu:
        emu.user_sends("hello")
    async with BotApiEmulator() as fresh:
        with pytest.raises(ValueError, match="not known"):
            fresh.user_blocks_bot(CHAT)
        fresh.user_sends("hello again")
        assert [u["update_id"] for u in await _poll(fresh)] == [100_001]


async def test_an_unreadable_state_file_is_refused_not_silently_replaced(tmp_path: Path) -> None:
    (tmp_path / STATE_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="delete it to start afresh"):
        BotApiEmulator(data_dir=tmp_path)
    assert (tmp_path / STATE_FILE).read_text(encoding="utf-8") == "{not json"


async def test_restarted_numbering_reaches_a_bot_whose_offset_is_higher(
    emu: BotApiEmulator,
) -> None:
    emu.user_sends("before")
    [old] = await _poll(emu)
    offset = old["update_id"] + 1
    assert await _poll(emu, offset=offset) == []

    emu.restart_update_numbering(first=1)
    emu.user_sends("after a quiet week")
    emu.user_sends("and another")
    fresh = await _poll(emu, offset=offset)  # the bot still sends its old offset
    assert [u["update_id"] for u in fresh] == [1, 2]
    # From here on the ordinary rules hold: offset 2 confirms update 1.
    [second] = await _poll(emu, offset=2)
    assert second["update_id"] == 2
    assert await _poll(emu, offset=3) == []
    assert emu.pending_updates() == 0


async def test_restarted_numbering_is_kept_across_restarts(tmp_path: Path) -> None:
    async with BotApiEmulator(data_dir=tmp_path) as first:
        first.user_sends("one")
        with pytest.raises(ValueError, match="still waiting"):
            first.restart_update_numbering(first=7)
        [one] = await _poll(first)
        await _poll(first, offset=one["update_id"] + 1)
        first.restart_update_numbering(first=7)
    async with BotApiEmulator(data_dir=tmp_path) as second:
        second.user_sends("two")
        [two] = await _poll(second, offset=one["update_id"] + 1)
    assert one["update_id"] > 100_000
    assert two["update_id"] == 7


async def test_after_a_restart_earlier_messages_can_be_replied_to_pressed_and_edited(
    tmp_path: Path,
) -> None:
    keyboard = '{"inline_keyboard": [[{"text": "Done", "callback_data": "done"}]]}'
    async with BotApiEmulator(data_dir=tmp_path) as first:
        asked = first.user_sends("/plan")
        async with httpx.AsyncClient(base_url=f"{first.base_url}{first.token}/") as client:
            _, plan = await call(
                client, "sendMessage", chat_id=CHAT, text="Squats", reply_markup=keyboard
            )
            photo = await client.post(
                "sendPhoto",
                data={"chat_id": CHAT, "caption": "week 1"},
                files={"photo": ("chart.png", tiny_png(), "image/png")},
            )
        first_photo = photo.json()["result"]["photo"][0]["file_id"]

    async with BotApiEmulator(data_dir=tmp_path) as second:
        assert second.messages() == []  # what the bot sent in this run
        second.user_presses(plan["result"]["message_id"], "done")
        reply = second.user_sends("what was that?", reply_to_message_id=asked["message_id"])
        assert reply["reply_to_message"]["text"] == "/plan"
        async with httpx.AsyncClient(base_url=f"{second.base_url}{second.token}/") as client:
            updates = (await call(client, "getUpdates"))[1]["result"]
            [press] = [u for u in updates if "callback_query" in u]
            assert press["callback_query"]["message"]["text"] == "Squats"
            status, edited = await call(
                client,
                "editMessageText",
                chat_id=CHAT,
                message_id=plan["result"]["message_id"],
                text="Squats: done",
            )
            assert (status, edited["result"]["text"]) == (200, "Squats: done")
            photo_id = photo.json()["result"]["message_id"]
            status, _ = await call(
                client, "editMessageCaption", chat_id=CHAT, message_id=photo_id, caption="wk 1"
            )
            assert status == 200
            again = await client.post(
                "sendPhoto",
                data={"chat_id": CHAT},
                files={"photo": ("chart.png", tiny_png(), "image/png")},
            )
        assert again.json()["result"]["photo"][0]["file_id"] != first_photo
        assert [m.text for m in second.messages()] == [""]  # only this run's photo
        assert second.rejected == []
