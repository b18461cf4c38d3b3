"""Maintenance tool: regenerate ``bot_api_methods.json`` from the public Bot API spec.

The emulator never reads the full spec at run or test time; it ships the compact
extract next to this file.  Run this only when the supported method list changes
or a newer Bot API spec is published::

    python -m bot.emulator.extract_spec path/to/telegram-bot-api/api.json

(the path is an example; any ``api.json`` in the same format works).  The extract
keeps, for each supported method, its parameters as ``[types, required]`` and, for
every object type reachable from those parameters, its fields, its subtypes and -
for subtypes told apart by a ``type`` field ("Scope type, must be chat") - the
value that selects it.  Descriptions are dropped to keep the file small.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

# The methods the emulator implements; keep in sync with the handlers in server.py.
SUPPORTED_METHODS: tuple[str, ...] = (
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "logOut",
    "close",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "setMyDescription",
    "getMyDescription",
    "setMyShortDescription",
    "getMyShortDescription",
    "sendMessage",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "deleteMessage",
    "answerCallbackQuery",
    "sendChatAction",
    "sendPhoto",
    "sendDocument",
    "getChat",
    "getFile",
)

OUTPUT = Path(__file__).with_name("bot_api_methods.json")

_ARRAY_PREFIX = re.compile(r"^(Array of )+")
_MUST_BE = re.compile(r"must be ([a-z_]+)")


def _base_type(type_name: str) -> str:
    return _ARRAY_PREFIX.sub("", type_name)


def _fields(raw: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {f["name"]: [list(f["types"]), bool(f["required"])] for f in raw}


def extract(spec: dict[str, Any]) -> dict[str, Any]:
    """Return the compact extract for SUPPORTED_METHODS from a parsed api.json."""
    methods: dict[str, Any] = {}
    pending: list[str] = []
    for name in SUPPORTED_METHODS:
        method = spec["methods"][name]
        fields = method.get("fields", [])
        methods[name] = _fields(fields)
        pending.extend(_base_type(t) for f in fields for t in f["types"])

    types: dict[str, Any] = {}
    while pending:
        name = pending.pop()
        if name in types or name not in spec["types"]:
            continue  # primitives (Integer, String, ...) are not in spec["types"]
        raw = spec["types"][name]
        entry: dict[str, Any] = {"fields": _fields(raw.get("fields", []))}
        if raw.get("subtypes"):
            entry["subtypes"] = list(raw["subtypes"])
            pending.extend(raw["subtypes"])
        for field in raw.get("fields", []):
            if field["name"] == "type" and "subtype_of" in raw:
                match = _MUST_BE.search(field["description"])
                if match:
                    entry["discriminator"] = match.group(1)
            pending.extend(_base_type(t) for t in field["types"])
        types[name] = entry

    # The update kinds getUpdates' allowed_updates may name: Update's optional fields.
    update_types = [
        f["name"] for f in spec["types"]["Update"]["fields"] if f["name"] != "update_id"
    ]
    return {
        "source": spec.get("version", "unknown"),
        "update_types": update_types,
        "methods": methods,
        "types": dict(sorted(types.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("api_json", type=Path, help="path to the Bot API spec (api.json)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    spec = json.loads(args.api_json.read_text(encoding="utf-8"))
    extract_data = extract(spec)
    # One entry per line: small, yet diffs stay readable when the spec changes.
    lines = [
        "{",
        f' "source": {json.dumps(extract_data["source"])},',
        f' "update_types": {json.dumps(extract_data["update_types"])},',
    ]
    for section in ("methods", "types"):
        items = list(extract_data[section].items())
        lines.append(f' "{section}": {{')
        for index, (key, value) in enumerate(items):
            comma = "," if index < len(items) - 1 else ""
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, separators=(',', ':'))}{comma}")
        lines.append(" }," if section == "methods" else " }")
    lines.append("}")
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        f"wrote {args.output} ({len(extract_data['methods'])} methods, "
        f"{len(extract_data['types'])} types)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
