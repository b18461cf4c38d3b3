"""The emulator's memory across restarts, as Telegram's: chats, users, unconfirmed updates, the
update numbering, the allowed_updates the bot asked for, and the newest messages.

Telegram does not forget a chat or reuse an update id when the bot (or, here, the emulator)
restarts, so an emulator given a data directory keeps them in ``STATE_FILE`` there.  Of the
messages it keeps the newest ``KEPT_MESSAGES`` of the users and of the bot, so that after a
restart a user can still reply to them or press their buttons, and the bot edit them; file
contents are not kept (getFile on an earlier file answers "invalid file_id").  Messages kept
from an earlier run are not in ``messages()``, which lists what the bot sent in this run.  A
webhook is not kept either: the bot sets it again when it starts.

The file is rewritten atomically (a temporary file, then a rename) when its content changed.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.emulator.models import BotMessage
from bot.emulator.records import Chat as _Chat
from bot.emulator.records import StoredFile as _StoredFile
from bot.emulator.records import Update as _Update
from bot.emulator.records import User as _User

if TYPE_CHECKING:
    from bot.emulator.state import EmulatorState

STATE_FILE = "emulator-state.json"
KEPT_MESSAGES = 200
_FORMAT = 1


def state_path(data_dir: Path) -> Path:
    return data_dir / STATE_FILE


def snapshot(state: EmulatorState) -> dict[str, Any]:
    """What a restarted emulator needs, as plain JSON."""
    allowed = state._allowed_updates
    user_messages = list(state._user_messages.items())[-KEPT_MESSAGES:]
    kept_keys = {key for key, _ in user_messages}
    bot_messages = list(state._bot_by_key.values())[-KEPT_MESSAGES:]
    used_files = {m.file_id for m in bot_messages if m.file_id}
    return {
        "format": _FORMAT,
        "next_update_id": state._next_update_id,
        "numbering_start": state._numbering_start,
        "allowed_updates": None if allowed is None else sorted(allowed),
        "chats": [dataclasses.asdict(chat) for chat in state._chats.values()],
        "users": [dataclasses.asdict(user) for user in state._users.values()],
        "pending_updates": [
            {"update_id": u.update_id, "kind": u.kind, "payload": u.payload} for u in state._pending
        ],
        "user_messages": [[chat, number, message] for (chat, number), message in user_messages],
        "deleted_user_messages": sorted(
            list(key) for key in state._deleted_user_messages if key in kept_keys
        ),
        "bot_messages": [_without_bytes(m) for m in bot_messages],
        "files": [
            {**dataclasses.asdict(stored), "content": None}
            for stored in state._files.values()
            if stored.file_id in used_files
        ],
        "next_file_number": 1
        + max(
            (int(f.file_unique_id.removeprefix("EMUU")) for f in state._files.values()),
            default=0,
        ),
    }


def restore(state: EmulatorState, path: Path) -> None:
    """Load a snapshot written by an earlier run; a missing file is a first run."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    try:
        document = json.loads(text)
        if document.get("format") != _FORMAT:
            raise ValueError(f"unknown format {document.get('format')!r}")
        state._next_update_id = int(document["next_update_id"])
        state._numbering_start = int(document["numbering_start"])
        allowed = document.get("allowed_updates")
        state._allowed_updates = None if allowed is None else frozenset(map(str, allowed))
        state._chats = {int(c["id"]): _Chat(**c) for c in document["chats"]}
        state._users = {int(u["id"]): _User(**u) for u in document["users"]}
        state._pending = [
            _Update(int(u["update_id"]), str(u["kind"]), dict(u["payload"]))
            for u in document["pending_updates"]
        ]
        state._user_messages = {
            (int(chat), int(number)): dict(message)
            for chat, number, message in document.get("user_messages", [])
        }
        state._deleted_user_messages = {
            (int(chat), int(number)) for chat, number in document.get("deleted_user_messages", [])
        }
        # Only addressable (reply, press, edit), not counted as sent in this run.
        earlier = [BotMessage(**record) for record in document.get("bot_messages", [])]
        state._bot_by_key = {(m.chat_id, m.message_id): m for m in earlier}
        state._files = {f["file_id"]: _StoredFile(**f) for f in document.get("files", [])}
        state._file_counter = itertools.count(int(document.get("next_file_number", 1)))
    except (ValueError, KeyError, TypeError) as error:
        # Refuse rather than start afresh: a silently forgotten chat is what this file prevents.
        raise ValueError(
            f"the emulator's state file {path} is unreadable ({error}); delete it to start afresh"
        ) from None


def save(state: EmulatorState, path: Path, previous: str | None) -> str:
    """Write the snapshot if it changed since ``previous``; returns what the file now holds."""
    text = json.dumps(snapshot(state), sort_keys=True)
    if text == previous:
        return text
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return text


def _without_bytes(message: BotMessage) -> dict[str, Any]:
    record = dataclasses.asdict(message)
    record["file_bytes"] = None
    return record
