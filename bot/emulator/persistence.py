"""The emulator's memory across restarts: chats, users, unconfirmed updates, update numbering
and the allowed_updates the bot asked for.

Telegram does not forget a chat or reuse an update id when the bot (or, here, the emulator)
restarts, so an emulator given a data directory keeps them in ``STATE_FILE`` there.  Messages
and files are not kept (a restarted offline chat cannot reply to or edit what came before),
nor is a webhook: the bot sets it again when it starts.
The file is rewritten atomically (a temporary file, then a rename) whenever its content changes.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.emulator.state import _Chat, _Update, _User

if TYPE_CHECKING:
    from bot.emulator.state import EmulatorState

STATE_FILE = "emulator-state.json"
_FORMAT = 1


def state_path(data_dir: Path) -> Path:
    return data_dir / STATE_FILE


def snapshot(state: EmulatorState) -> dict[str, Any]:
    """What a restarted emulator needs, as plain JSON."""
    allowed = state._allowed_updates
    return {
        "format": _FORMAT,
        "next_update_id": state._next_update_id,
        "numbering_start": state._numbering_start,
        "allowed_updates": None if allowed is None else sorted(allowed),
        "chats": [asdict(chat) for chat in state._chats.values()],
        "users": [asdict(user) for user in state._users.values()],
        "pending_updates": [
            {"update_id": u.update_id, "kind": u.kind, "payload": u.payload} for u in state._pending
        ],
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
