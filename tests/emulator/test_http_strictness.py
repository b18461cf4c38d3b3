"""The emulator refuses what Telegram refuses, over raw HTTP, with Telegram's JSON errors."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bot.emulator import BotApiEmulator
from tests.emulator.conftest import CHAT, call


def keyboard(*data: str) -> str:
    return json.dumps({"inline_keyboard": [[{"text": d or "x", "callback_data": d} for d in data]]})


async def test_success_has_telegrams_shape(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    status, body = await call(http, "getMe")
    assert status == 200
    assert body["ok"] is True
    assert body["result"]["username"] == "legwork_bot"
    assert body["result"]["is_bot"] is True


async def test_wrong_token_is_unauthorized(emu: BotApiEmulator) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emu.base_url}123456:WRONG/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert emu.rejected[0].status == 401


async def test_unknown_method_is_not_found(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    status, body = await call(http, "sendMessageNow", chat_id=CHAT, text="x")
    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


async def test_method_names_are_case_insensitive_like_telegram(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.add_chat(CHAT)
    status, _ = await call(http, "sendmessage", chat_id=CHAT, text="hi")
    assert status == 200
    assert emu.calls("sendMessage")


async def test_unknown_parameter_is_refused(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    emu.add_chat(CHAT)
    status, body = await call(http, "sendMessage", chat_id=CHAT, text="hi", colour="red")
    assert status == 400
    assert body["ok"] is False
    assert body["error_code"] == 400
    assert body["description"].startswith('Bad Request: unknown parameter "colour"')
    assert [r.method for r in emu.rejected] == ["sendMessage"]
    assert emu.rejected[0].params == {"chat_id": str(CHAT), "text": "hi", "colour": "red"}
    assert emu.messages() == []


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"text": "hi"}, "Bad Request: chat_id is empty"),
        ({"chat_id": CHAT}, "Bad Request: message text is empty"),
        ({"chat_id": CHAT, "text": ""}, "Bad Request: message text is empty"),
        ({"chat_id": CHAT, "text": "  \n "}, "Bad Request: message text is empty"),
        (
            {"chat_id": CHAT, "text": "<b></b>", "parse_mode": "HTML"},
            "Bad Request: message text is empty",
        ),
        ({"chat_id": 999, "text": "hi"}, "Bad Request: chat not found"),
        ({"chat_id": "@nobody", "text": "hi"}, "Bad Request: chat not found"),
        (
            {"chat_id": CHAT, "text": "hi", "parse_mode": "XML"},
            "Bad Request: unsupported parse_mode",
        ),
    ],
)
async def test_missing_and_empty_parameters(
    emu: BotApiEmulator, http: httpx.AsyncClient, params: dict[str, object], description: str
) -> None:
    emu.add_chat(CHAT)
    status, body = await call(http, "sendMessage", **params)
    assert (status, body["description"]) == (400, description)


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("deleteMessage", {"chat_id": CHAT, "message_id": "first"}),
        ("sendMessage", {"chat_id": CHAT, "text": "x", "disable_notification": "maybe"}),
        ("sendMessage", {"chat_id": CHAT, "text": "x", "reply_markup": "{not json"}),
        (
            "sendMessage",
            {"chat_id": CHAT, "text": "x", "reply_markup": '{"inline_keyboard": "no"}'},
        ),
        ("sendMessage", {"chat_id": CHAT, "text": "x", "entities": '[{"type": "bold"}]'}),
        ("getUpdates", {"timeout": "1.5"}),
        ("getUpdates", {"allowed_updates": '["messages"]'}),
        ("setMyCommands", {"commands": '[{"command": "start"}]'}),
        ("setMyCommands", {"commands": '[{"command": "Start!", "description": "go"}]'}),
        ("setMyCommands", {"commands": "[]", "scope": '{"type": "everyone"}'}),
    ],
)
async def test_wrongly_typed_parameters_are_refused(
    emu: BotApiEmulator, http: httpx.AsyncClient, method: str, params: dict[str, object]
) -> None:
    emu.add_chat(CHAT)
    status, body = await call(http, method, **params)
    assert status == 400, body
    assert body["description"].startswith("Bad Request: ")


async def test_text_limit_is_4096_utf16_units_after_entity_parsing(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.add_chat(CHAT)
    assert (await call(http, "sendMessage", chat_id=CHAT, text="a" * 4096))[0] == 200
    html = "<b>" + "&lt;" * 4096 + "</b>"  # 4103 characters of markup, 4096 visible
    assert (await call(http, "sendMessage", chat_id=CHAT, text=html, parse_mode="HTML"))[0] == 200
    assert (await call(http, "sendMessage", chat_id=CHAT, text="😀" * 2048))[0] == 200
    for too_long in ("a" * 4097, "😀" * 2049):
        status, body = await call(http, "sendMessage", chat_id=CHAT, text=too_long)
        assert (status, body["description"]) == (400, "Bad Request: message is too long")
    assert len(emu.messages(CHAT)) == 3


async def test_callback_data_is_limited_to_64_bytes(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.add_chat(CHAT)
    ok = await call(http, "sendMessage", chat_id=CHAT, text="x", reply_markup=keyboard("d" * 64))
    assert ok[0] == 200
    for data in ("d" * 65, "é" * 33):  # 66 bytes in 33 characters
        status, body = await call(
            http, "sendMessage", chat_id=CHAT, text="x", reply_markup=keyboard(data)
        )
        assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


@pytest.mark.parametrize(
    ("button", "fragment"),
    [
        ({"text": "plain"}, "Text buttons are unallowed in the inline keyboard"),
        ({"text": "", "callback_data": "x"}, "Text must be non-empty"),
        ({"text": "two", "callback_data": "x", "url": "https://a.org"}, "exactly one of"),
        ({"text": "typo", "callback": "x"}, 'unknown field "callback"'),
        ({"text": "url", "url": "not a url"}, "is invalid"),
    ],
)
async def test_inline_buttons_need_text_and_exactly_one_action(
    emu: BotApiEmulator, http: httpx.AsyncClient, button: dict[str, str], fragment: str
) -> None:
    emu.add_chat(CHAT)
    markup = json.dumps({"inline_keyboard": [[button]]})
    status, body = await call(http, "sendMessage", chat_id=CHAT, text="x", reply_markup=markup)
    assert status == 400
    assert fragment in body["description"]


async def test_reply_keyboards_remove_and_force_reply_are_accepted(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.add_chat(CHAT)
    for markup in (
        {"keyboard": [[{"text": "Yes"}, {"text": "No"}]], "resize_keyboard": True},
        {"remove_keyboard": True},
        {"force_reply": True, "input_field_placeholder": "Your answer"},
    ):
        status, body = await call(
            http, "sendMessage", chat_id=CHAT, text="x", reply_markup=json.dumps(markup)
        )
        assert status == 200, body
        assert "reply_markup" not in body["result"]  # only inline keyboards are echoed
    assert emu.messages()[0].buttons() == [[("Yes", None), ("No", None)]]


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("&nope;", 'Unsupported HTML entity "&nope;" at byte offset 0'),
        ("<i>x</b>", 'Unmatched end tag at byte offset 4, expected "</i>", found "</b>"'),
        ("x</i>", "Unexpected end tag at byte offset 1"),
    ],
)
async def test_malformed_html_is_refused_with_a_byte_offset(
    emu: BotApiEmulator, http: httpx.AsyncClient, html: str, detail: str
) -> None:
    emu.add_chat(CHAT)
    status, body = await call(http, "sendMessage", chat_id=CHAT, text=html, parse_mode="HTML")
    assert status == 400
    assert body["description"].startswith(f"Bad Request: can't parse entities: {detail}")


async def test_valid_nested_html_is_stored_as_seen_by_the_user(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.add_chat(CHAT)
    html = '<b>Squat <i>deep</i></b> &amp; <a href="https://example.org">read</a> 5 &lt; 6'
    status, body = await call(http, "sendMessage", chat_id=CHAT, text=html, parse_mode="HTML")
    assert status == 200, body
    assert body["result"]["text"] == "Squat deep & read 5 < 6"
    [message] = emu.messages(CHAT)
    assert (message.text, message.html, message.parse_mode) == (
        "Squat deep & read 5 < 6",
        html,
        "HTML",
    )
    assert [e["type"] for e in message.entities] == ["bold", "italic", "text_link"]


async def test_without_parse_mode_tags_are_plain_text(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.add_chat(CHAT)
    status, body = await call(http, "sendMessage", chat_id=CHAT, text="<b>x</b> & y")
    assert (status, body["result"]["text"]) == (200, "<b>x</b> & y")


async def test_captions_are_limited_to_1024(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    emu.add_chat(CHAT)
    files = {"document": ("a.txt", b"data", "text/plain")}
    ok = await http.post("sendDocument", data={"chat_id": CHAT, "caption": "c" * 1024}, files=files)
    assert ok.status_code == 200
    too_long = await http.post(
        "sendDocument", data={"chat_id": CHAT, "caption": "c" * 1025}, files=files
    )
    assert too_long.status_code == 400
    assert too_long.json()["description"] == "Bad Request: message caption is too long"


async def test_json_bodies_query_strings_and_attach_uris_are_understood(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.add_chat(CHAT)
    as_json = await http.post(
        "sendMessage",
        json={
            "chat_id": CHAT,
            "text": "json",
            "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]},
        },
    )
    assert as_json.status_code == 200, as_json.json()
    as_query = await http.get("sendMessage", params={"chat_id": CHAT, "text": "query"})
    assert as_query.status_code == 200
    attached = await http.post(
        "sendDocument",
        data={"chat_id": CHAT, "document": "attach://part1"},
        files={"part1": ("plan.csv", b"a,b\n", "text/csv")},
    )
    assert attached.status_code == 200, attached.json()
    assert [m.text or m.file_name for m in emu.messages(CHAT)] == ["json", "query", "plan.csv"]
    assert emu.messages(CHAT)[2].file_bytes == b"a,b\n"


async def test_editing_errors(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    emu.add_chat(CHAT)
    _, sent = await call(http, "sendMessage", chat_id=CHAT, text="same", reply_markup=keyboard("a"))
    message_id = sent["result"]["message_id"]
    status, body = await call(
        http, "editMessageText", chat_id=CHAT, message_id=message_id, text="same",
        reply_markup=keyboard("a"),
    )  # fmt: skip
    assert status == 400
    assert body["description"] == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    status, body = await call(http, "editMessageText", chat_id=CHAT, message_id=99, text="x")
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")
    # Same text without reply_markup: Telegram removes the keyboard, so that is a change.
    status, body = await call(
        http, "editMessageText", chat_id=CHAT, message_id=message_id, text="same"
    )
    assert status == 200
    assert "reply_markup" not in body["result"]
    assert emu.messages(CHAT)[0].reply_markup is None
    assert emu.messages(CHAT)[0].edited


async def test_every_refusal_is_recorded(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    await call(http, "sendMessage", chat_id=5, text="x")
    await call(http, "nope")
    assert [(r.method, r.status) for r in emu.rejected] == [("sendMessage", 400), ("nope", 404)]
    assert emu.calls() == []


async def test_long_poll_waits_and_wakes_when_the_user_writes(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    poll = asyncio.create_task(http.post("getUpdates", data={"timeout": 30}, timeout=40))
    await emu.wait_for(lambda: emu.waiting_polls == 1)
    emu.user_sends("hello")
    async with asyncio.timeout(10):  # a safety bound, far below the poll's own 30 s
        response = await poll
    [update] = response.json()["result"]
    assert update["message"]["text"] == "hello"


async def test_a_second_poller_terminates_the_first_with_409(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    first = asyncio.create_task(http.post("getUpdates", data={"timeout": 30}, timeout=40))
    await emu.wait_for(lambda: emu.waiting_polls == 1)
    second = await http.post("getUpdates", data={"timeout": 0})
    assert second.status_code == 200
    response = await first
    assert response.status_code == 409
    assert response.json()["description"].startswith("Conflict: terminated by other getUpdates")
    assert [r.status for r in emu.rejected] == [409]


async def test_injected_failures_use_telegrams_shapes(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.fail_next("getMe", status=429, retry_after=7)
    emu.fail_next("getMe", status=500, times=2)
    emu.fail_next("getMe", status=403)
    results = [await call(http, "getMe") for _ in range(5)]
    assert results[0] == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        },
    )
    assert (
        results[1]
        == results[2]
        == (
            500,
            {"ok": False, "error_code": 500, "description": "Internal Server Error"},
        )
    )
    assert results[3][0] == 403
    assert results[4][0] == 200
    assert emu.rejected == []
    assert len(emu.injected_failures) == 4


async def test_dropped_connection_gives_no_response(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.fail_next("getMe", drop_connection=True)
    with pytest.raises(httpx.RemoteProtocolError):
        await http.post("getMe")
    assert (await call(http, "getMe"))[0] == 200


async def test_files_can_be_downloaded_by_their_path(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    emu.add_chat(CHAT)
    sent = await http.post(
        "sendDocument",
        data={"chat_id": CHAT},
        files={"document": ("log.txt", b"abc", "text/plain")},
    )
    file_id = sent.json()["result"]["document"]["file_id"]
    _, info = await call(http, "getFile", file_id=file_id)
    async with httpx.AsyncClient() as client:
        download = await client.get(f"{emu.base_file_url}{emu.token}/{info['result']['file_path']}")
    assert download.content == b"abc"
