"""Parameter validation and type coercion driven by the bundled Bot API extract.

``bot_api_methods.json`` is produced by ``extract_spec.py``; this module only reads it.
Values arrive as strings (form bodies, query strings, multipart fields), as native
JSON values (JSON bodies) or as uploaded files, and leave as Python values typed
the way the spec says.  Anything the spec does not describe is refused: the emulator
is stricter than Telegram (which ignores unknown parameters) so that typos surface.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).with_name("bot_api_methods.json")

_INT_RE = re.compile(r"^[+-]?\d+$")
_FLOAT_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_PRIMITIVES = frozenset({"Integer", "String", "Boolean", "Float", "True", "InputFile"})
# InlineKeyboardButton fields that are not the button's action.
_BUTTON_DECORATION = frozenset({"text", "icon_custom_emoji_id", "style"})
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional response parameters."""

    def __init__(
        self, description: str, status: int = 400, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.description = description
        self.status = status
        self.parameters = parameters


def bad_request(detail: str) -> ApiError:
    return ApiError(f"Bad Request: {detail}")


@dataclass(frozen=True)
class UploadedFile:
    """A file sent as a multipart/form-data part."""

    filename: str
    content: bytes = field(repr=False)
    content_type: str = "application/octet-stream"


FieldSpec = tuple[tuple[str, ...], bool]


class _Invalid(Exception):
    """Structural mismatch inside a JSON value; the message names the path."""


@dataclass(frozen=True)
class ApiSpec:
    source: str
    update_types: tuple[str, ...]
    methods: dict[str, dict[str, FieldSpec]]
    types: dict[str, dict[str, Any]]
    by_lower_name: dict[str, str]

    def canonical_method(self, name: str) -> str | None:
        """Telegram matches method names case-insensitively."""
        return self.by_lower_name.get(name.lower())

    def coerce(
        self, method: str, raw: dict[str, Any], files: dict[str, UploadedFile]
    ) -> dict[str, Any]:
        """Validate raw request parameters of a (canonical) method and return typed values."""
        fields = self.methods[method]
        files = dict(files)
        values: dict[str, Any] = {}
        for name, value in raw.items():
            if isinstance(value, str) and value.startswith("attach://"):
                attached = files.pop(value[len("attach://") :], None)
                if attached is None:
                    raise bad_request(f'file "{value}" referenced by {name} was not uploaded')
                value = attached
            values[name] = value
        for name, upload in files.items():
            if name in values:
                raise bad_request(f'parameter "{name}" was sent twice')
            values[name] = upload

        result: dict[str, Any] = {}
        for name, value in values.items():
            if name not in fields:
                raise bad_request(
                    f'unknown parameter "{name}" for method {method} '
                    "(the emulator refuses parameters the Bot API does not define)"
                )
            types, _required = fields[name]
            if value == "" and "String" not in types:
                continue  # Telegram treats an empty non-string parameter as absent
            result[name] = self._coerce_top(name, value, types)
        for name, (_types, required) in fields.items():
            if required and (name not in result or result[name] == ""):
                raise bad_request(_missing_message(name))
        return result

    def _coerce_top(self, name: str, value: Any, types: tuple[str, ...]) -> Any:
        if isinstance(value, UploadedFile):
            if "InputFile" in types:
                return value
            raise bad_request(f'parameter "{name}" must not be a file upload')
        if isinstance(value, str):
            for kind in types:
                if kind in _PRIMITIVES:
                    converted = _from_string(value, kind)
                    if converted is not None:
                        return converted
            complex_types = tuple(t for t in types if t not in _PRIMITIVES)
            if complex_types:
                try:
                    value = json.loads(value)
                except ValueError:
                    raise bad_request(f"can't parse {name} JSON object") from None
            else:
                raise bad_request(
                    f'parameter "{name}" must be of type {" or ".join(types)}, got {value!r}'
                )
        elif (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and "String" in types
            and "Integer" not in types
            and "Float" not in types
        ):
            return str(value)  # JSON bodies may carry ids as numbers; Telegram accepts that
        try:
            return self.check(value, types, name)
        except _Invalid as error:
            raise bad_request(f"can't parse {name}: {error}") from None

    def check(self, value: Any, types: tuple[str, ...] | list[str], path: str) -> Any:
        """Validate a JSON value against a union of spec types; returns it unchanged."""
        errors: list[str] = []
        for kind in types:
            try:
                self._check_one(value, kind, path)
            except _Invalid as error:
                errors.append(str(error))
            else:
                return value
        # The most specific (longest) explanation is usually the useful one.
        raise _Invalid(max(errors, key=len) if errors else f"{path} has no valid type")

    def _check_one(self, value: Any, kind: str, path: str) -> None:
        if kind.startswith("Array of "):
            if not isinstance(value, list):
                raise _Invalid(f"{path} must be an Array")
            for index, item in enumerate(value):
                self.check(item, (kind[len("Array of ") :],), f"{path}[{index}]")
            return
        if kind in _PRIMITIVES:
            if not _json_matches(value, kind):
                raise _Invalid(f"{path} must be of type {kind}")
            return
        spec = self.types.get(kind)
        if spec is None:
            raise _Invalid(f"{path}: type {kind} is not known to the emulator")
        if not isinstance(value, dict):
            raise _Invalid(f"{path} must be a JSON object ({kind})")
        if spec.get("subtypes"):
            wanted = value.get("type")
            for subtype in spec["subtypes"]:
                if self.types.get(subtype, {}).get("discriminator") == wanted:
                    self._check_one(value, subtype, path)
                    return
            raise _Invalid(f"{path}.type {wanted!r} is not a valid {kind} type")
        fields: dict[str, list[Any]] = spec["fields"]
        for key, item in value.items():
            if key not in fields:
                raise _Invalid(f'{path} has unknown field "{key}" ({kind})')
            self.check(item, fields[key][0], f"{path}.{key}")
        for key, (_types, required) in fields.items():
            if required and key not in value:
                raise _Invalid(f'{path} lacks required field "{key}" ({kind})')
        if "discriminator" in spec and value.get("type") != spec["discriminator"]:
            raise _Invalid(f"{path}.type must be {spec['discriminator']!r}")


def _missing_message(name: str) -> str:
    if name == "text":
        return "message text is empty"
    return f"{name} is empty"


def _from_string(value: str, kind: str) -> Any:
    """Convert a form-encoded string to `kind`; None when it does not fit."""
    if kind == "Integer":
        return int(value) if _INT_RE.match(value) else None
    if kind == "Float":
        return float(value) if _FLOAT_RE.match(value) else None
    if kind in ("Boolean", "True"):
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0") and kind == "Boolean":
            return False
        return None
    if kind in ("String", "InputFile"):
        return value
    return None


def _json_matches(value: Any, kind: str) -> bool:
    if kind == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "Boolean":
        return isinstance(value, bool)
    if kind == "True":
        return value is True
    if kind in ("String", "InputFile"):
        return isinstance(value, str)
    return False


@cache
def load_spec(path: Path = SPEC_PATH) -> ApiSpec:
    data = json.loads(path.read_text(encoding="utf-8"))
    methods = {
        method: {name: (tuple(types), bool(required)) for name, (types, required) in fields.items()}
        for method, fields in data["methods"].items()
    }
    return ApiSpec(
        source=data["source"],
        update_types=tuple(data["update_types"]),
        methods=methods,
        types=data["types"],
        by_lower_name={name.lower(): name for name in methods},
    )


# --- semantic checks Telegram applies on top of the structure -------------------------------


def check_reply_markup(markup: dict[str, Any]) -> None:
    """Refuse keyboards Telegram refuses (button actions, callback_data size, empty texts)."""
    if "inline_keyboard" in markup:
        for row in markup["inline_keyboard"]:
            for button in row:
                _check_inline_button(button)
    elif "keyboard" in markup:
        for row in markup["keyboard"]:
            for button in row:
                if not str(button.get("text", "")).strip():
                    raise bad_request("can't parse keyboard button: text must be non-empty")


def _check_inline_button(button: dict[str, Any]) -> None:
    if not str(button.get("text", "")).strip():
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [key for key in button if key not in _BUTTON_DECORATION]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of "
            f"{', '.join(sorted(actions))} must be used"
        )
    if "callback_data" in button:
        size = len(button["callback_data"].encode("utf-8"))
        if not 1 <= size <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not re.match(
        r"^(https?|tg)://\S+$|^[\w.-]+\.[a-z]{2,}\S*$", button["url"]
    ):
        raise bad_request(
            f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL"
        )


def check_commands(commands: list[dict[str, Any]]) -> None:
    if len(commands) > 100:
        raise bad_request("too many commands (at most 100)")
    for command in commands:
        if not _COMMAND_RE.match(command["command"]):
            raise bad_request("BOT_COMMAND_INVALID")
        description = command["description"].strip()
        if not description:
            raise bad_request("command description is empty")
        if len(description) > 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
