"""The emulator's records of chats, users, updates and files: plain data, shared by its state
and by what writes that state to disk (persistence.py)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]


def present(**fields: object) -> JSON:
    """A Bot API object: optional fields are left out, not sent as null."""
    return {key: value for key, value in fields.items() if value is not None}


@dataclass
class Chat:
    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    blocked: bool = False
    last_message_id: int = 0

    def next_message_id(self) -> int:
        # One counter per chat, shared by the bot's and the users' messages, like Telegram.
        self.last_message_id += 1
        return self.last_message_id

    def to_json(self) -> JSON:
        return present(
            id=self.id,
            type=self.type,
            title=self.title,
            first_name=self.first_name,
            username=self.username,
        )


@dataclass
class User:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None

    def to_json(self) -> JSON:
        return present(
            id=self.id,
            is_bot=False,
            first_name=self.first_name,
            username=self.username,
            language_code=self.language_code,
        )


@dataclass
class Update:
    update_id: int
    kind: str
    payload: JSON
    forced: bool = False  # redelivered: handed out once whatever the offset

    def to_json(self) -> JSON:
        return {"update_id": self.update_id, self.kind: copy.deepcopy(self.payload)}


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    file_name: str | None
    mime_type: str | None
    content: bytes | None
    file_path: str
    width: int = 0
    height: int = 0

    def size_json(self) -> JSON:
        return {} if self.content is None else {"file_size": len(self.content)}
