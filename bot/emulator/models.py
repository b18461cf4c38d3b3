"""Plain records the emulator hands to tests and to the terminal chat."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class BotMessage:
    """A message the bot sent, in its current state (edits applied).

    ``text`` is what the user sees (HTML tags parsed out, entities decoded); ``html``
    is the raw text or caption exactly as the bot sent it, whatever its parse_mode.
    """

    message_id: int
    chat_id: int
    text: str
    html: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    edited: bool = False
    kind: str = "text"  # "text" | "photo" | "document"
    caption: str | None = None
    file_name: str | None = None
    file_bytes: bytes | None = field(default=None, repr=False)
    reply_to_message_id: int | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False
    mime_type: str | None = None
    file_id: str | None = None
    date: int = 0
    edit_count: int = 0
    editable: bool = True  # False: edits answer "message can't be edited" (make_uneditable)

    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Keyboard rows as (label, callback_data or url); reply keyboards give (label, None)."""
        if not self.reply_markup:
            return []
        if "inline_keyboard" in self.reply_markup:
            return [
                [(b["text"], b.get("callback_data", b.get("url"))) for b in row]
                for row in self.reply_markup["inline_keyboard"]
            ]
        if "keyboard" in self.reply_markup:
            return [[(b["text"], None) for b in row] for row in self.reply_markup["keyboard"]]
        return []

    def button_data(self) -> list[str]:
        """All callback_data values of the inline keyboard, row by row."""
        if not self.reply_markup or "inline_keyboard" not in self.reply_markup:
            return []
        return [
            button["callback_data"]
            for row in self.reply_markup["inline_keyboard"]
            for button in row
            if "callback_data" in button
        ]


@dataclass(frozen=True)
class RejectedCall:
    """A call the emulator refused, with the parameters as they arrived."""

    method: str
    params: dict[str, Any]
    description: str
    status: int = 400
