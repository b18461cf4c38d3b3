"""The bundled spec extract, its maintenance script and parameter coercion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.emulator import BotApiEmulator
from bot.emulator.extract_spec import SUPPORTED_METHODS, extract, main
from bot.emulator.spec import SPEC_PATH, ApiError, UploadedFile, load_spec

MINI_SPEC: dict[str, Any] = {
    "version": "Bot API 0.1",
    "methods": {
        name: {"name": name, "description": ["x"], "fields": []} for name in SUPPORTED_METHODS
    }
    | {
        "setMyCommands": {
            "name": "setMyCommands",
            "fields": [
                {"name": "commands", "types": ["Array of BotCommand"], "required": True,
                 "description": "long text"},
                {"name": "scope", "types": ["BotCommandScope"], "required": False,
                 "description": "long text"},
            ],
        },
        "unsupportedMethod": {"name": "unsupportedMethod", "fields": []},
    },
    "types": {
        "Update": {"fields": [
            {"name": "update_id", "types": ["Integer"], "required": True, "description": ""},
            {"name": "message", "types": ["Message"], "required": False, "description": ""},
        ]},
        "BotCommand": {"fields": [
            {"name": "command", "types": ["String"], "required": True, "description": "d"},
            {"name": "description", "types": ["String"], "required": True, "description": "d"},
        ]},
        "BotCommandScope": {"subtypes": ["BotCommandScopeDefault"]},
        "BotCommandScopeDefault": {"subtype_of": ["BotCommandScope"], "fields": [
            {"name": "type", "types": ["String"], "required": True,
             "description": "Scope type, must be default"},
        ]},
        "Unrelated": {"fields": []},
    },
}  # fmt: skip


def test_extract_keeps_supported_methods_and_reachable_types_only() -> None:
    data = extract(MINI_SPEC)
    assert set(data["methods"]) == set(SUPPORTED_METHODS)
    assert data["methods"]["setMyCommands"]["commands"] == [["Array of BotCommand"], True]
    assert set(data["types"]) == {"BotCommand", "BotCommandScope", "BotCommandScopeDefault"}
    assert data["types"]["BotCommandScopeDefault"]["discriminator"] == "default"
    assert data["update_types"] == ["message"]
    assert "description" not in json.dumps(data["methods"])


def test_extract_script_writes_the_json_file(tmp_path: Path) -> None:
    source = tmp_path / "api.json"
    source.write_text(json.dumps(MINI_SPEC))
    output = tmp_path / "out.json"
    assert main([str(source), "--output", str(output)]) == 0
    assert json.loads(output.read_text()) == extract(MINI_SPEC)


def test_bundled_extract_matches_the_handlers() -> None:
    spec = load_spec()
    assert set(spec.methods) == set(SUPPORTED_METHODS)
    assert SPEC_PATH.stat().st_size < 40_000  # compact: no descriptions
    BotApiEmulator()  # raises if a handler is missing for a method of the extract


def test_coercion_follows_the_spec_types() -> None:
    spec = load_spec()
    params = spec.coerce(
        "sendMessage",
        {"chat_id": "-100", "text": "x", "disable_notification": "true", "entities": "[]"},
        {},
    )
    assert params == {"chat_id": -100, "text": "x", "disable_notification": True, "entities": []}
    assert spec.coerce("sendMessage", {"chat_id": "@channel", "text": "x"}, {})["chat_id"] == (
        "@channel"
    )
    upload = UploadedFile("a.txt", b"a")
    assert spec.coerce("sendDocument", {"chat_id": 1}, {"document": upload})["document"] is upload
    assert spec.coerce("getUpdates", {"offset": ""}, {}) == {}  # empty means absent
    with pytest.raises(ApiError, match="must not be a file"):
        spec.coerce("sendMessage", {"chat_id": 1}, {"text": upload})
    with pytest.raises(ApiError, match="was not uploaded"):
        spec.coerce("sendDocument", {"chat_id": 1, "document": "attach://missing"}, {})
    assert spec.canonical_method("SENDMESSAGE") == "sendMessage"
    assert spec.canonical_method("sendMessages") is None
