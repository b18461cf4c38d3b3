"""Inbox repository: updates stored before Telegram is told they arrived (see bot/telegram/inbox).

Every function takes the caller's session and runs inside the caller's transaction:

* ``store_batch`` writes a fetched batch in one statement, ignoring update_ids already stored
  (INSERT ... ON CONFLICT DO NOTHING), so a batch Telegram sends again is harmless. Telegram
  picks a new, lower numbering after a week without updates (the emulator after a restart), so
  an id can come back as another update: a finished row whose fingerprint (a digest of the
  update as received) differs is an old update and makes room for the new one.
* ``claim_next`` locks the oldest pending update of one chat (``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL). The lock lives as long as the handling transaction: if another process holds the
  chat's oldest row, this one skips the chat, so per-chat order holds across processes and a
  process that dies mid-update releases its row with its connection (no lease to expire).
  SQLite has no row locks and ignores the clause; one process per SQLite file owns its inbox.
* ``mark_handled`` and ``record_failure`` end an attempt; ``prune`` forgets old finished rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import engine
from bot.db.models import InboxUpdate

PENDING = "pending"
HANDLED = "handled"
FAILED = "failed"
MAX_ERROR = 500

_table = cast(Table, InboxUpdate.__table__)


@dataclass(frozen=True, slots=True)
class Claimed:
    update_id: int
    chat_id: int
    raw: dict[str, Any]
    attempts: int  # attempts before this one
    more: bool = False  # the chat had later pending updates when this one was claimed


def chat_key(raw: Mapping[str, Any]) -> int:
    """The chat an update belongs to (its user for chat-less updates; 0 when neither)."""
    for kind, payload in raw.items():
        if kind == "update_id" or not isinstance(payload, Mapping):
            continue
        chat = payload.get("chat")
        if chat is None and isinstance(payload.get("message"), Mapping):
            chat = payload["message"].get("chat")  # a callback_query's message
        if isinstance(chat, Mapping) and isinstance(chat.get("id"), int):
            return int(chat["id"])
        sender = payload.get("from") or payload.get("user")
        if isinstance(sender, Mapping) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return 0


def fingerprint(raw: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()


async def store_batch(
    session: AsyncSession, updates: Sequence[Mapping[str, Any]], now: datetime
) -> list[Claimed]:
    """Store fetched updates (raw Bot API JSON); ones already stored are left as they are (a
    redelivery), unless the stored one is finished and was another update (a restarted
    numbering). Returns the updates that were new, in order."""
    if not updates:
        return []
    claims = [Claimed(int(raw["update_id"]), chat_key(raw), dict(raw), 0) for raw in updates]
    rows = {
        c.update_id: {
            "update_id": c.update_id,
            "chat_id": c.chat_id,
            "raw": c.raw,
            "received_at": now,
            "state": PENDING,
            "attempts": 0,
            "fingerprint": fingerprint(c.raw),
        }
        for c in claims
    }
    # One statement executed for many rows ("insertmanyvalues": a few multi-row INSERTs under
    # the hood on both backends).
    statement = (
        engine.insert(session, _table)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(_table.c.update_id)
    )
    new = set((await session.execute(statement, list(rows.values()))).scalars())
    seen = [update_id for update_id in rows if update_id not in new]
    if seen:
        stored = await session.execute(
            select(_table.c.update_id, _table.c.fingerprint).where(
                _table.c.update_id.in_(seen), _table.c.state.in_((HANDLED, FAILED))
            )
        )
        for update_id, known in stored.all():
            if known is not None and known != rows[update_id]["fingerprint"]:
                await session.execute(
                    update(_table)
                    .where(_table.c.update_id == update_id)
                    .values(**rows[update_id], handled_at=None, last_error=None)
                )
                new.add(update_id)
    return [c for c in claims if c.update_id in new]


async def pending_chats(session: AsyncSession, limit: int = 1000) -> list[int]:
    """Chats with pending updates, the one waiting longest first."""
    oldest = func.min(_table.c.update_id)
    result = await session.execute(
        select(_table.c.chat_id)
        .where(_table.c.state == PENDING)
        .group_by(_table.c.chat_id)
        .order_by(oldest)
        .limit(limit)
    )
    return [int(chat_id) for chat_id in result.scalars()]


# The chat's oldest pending update, locked for the transaction (other instances skip it), and
# whether another is waiting behind it (so a worker need not ask again to learn there is none).
_later = _table.alias("later")
_MORE = (
    select(_later.c.update_id)
    .where(
        _later.c.chat_id == bindparam("chat"),
        _later.c.state == PENDING,
        _later.c.update_id > _table.c.update_id,
    )
    .exists()
)
_CLAIM = (
    select(_table.c.update_id, _table.c.raw, _table.c.attempts, _MORE.label("more"))
    .where(
        _table.c.update_id
        == select(func.min(_table.c.update_id))
        .where(_table.c.chat_id == bindparam("chat"), _table.c.state == PENDING)
        .scalar_subquery(),
        _table.c.state == PENDING,
    )
    .with_for_update(skip_locked=True)
)


async def claim_next(session: AsyncSession, chat_id: int) -> Claimed | None:
    """Lock the chat's oldest pending update for this transaction; None if there is none or
    another process is handling that chat right now. ``more``: another one waits behind it."""
    # Hot path statements run as Core on the session's connection (same transaction): the ORM
    # adds nothing to them but its own per-statement bookkeeping.
    connection = await session.connection()
    row = (await connection.execute(_CLAIM, {"chat": chat_id})).first()
    if row is None:
        return None
    return Claimed(int(row.update_id), chat_id, dict(row.raw), int(row.attempts), bool(row.more))


MARK_HANDLED = (
    update(_table)
    .where(_table.c.update_id == bindparam("id"), _table.c.state == PENDING)
    .values(
        state=HANDLED,
        handled_at=bindparam("now"),
        attempts=_table.c.attempts + 1,
        last_error=None,
        raw={},  # a handled update's text is not kept: only its id, against redelivery
    )
)


async def mark_handled(session: AsyncSession, update_id: int, now: datetime) -> bool:
    """Mark a pending update handled; False if it was not pending (handled elsewhere)."""
    connection = await session.connection()
    result = await connection.execute(MARK_HANDLED, {"id": update_id, "now": now})
    return bool(result.rowcount)


async def record_failure(
    session: AsyncSession, update_id: int, error: str, max_attempts: int, now: datetime
) -> bool:
    """Count a failed attempt; after ``max_attempts`` the update is failed for good. Returns
    True when it gave up."""
    result = await session.execute(
        update(_table)
        .where(_table.c.update_id == update_id, _table.c.state == PENDING)
        .values(attempts=_table.c.attempts + 1, last_error=error[:MAX_ERROR])
        .returning(_table.c.attempts)
    )
    attempts = result.scalar_one_or_none()
    if attempts is None or attempts < max_attempts:
        return False
    await session.execute(
        update(_table)
        .where(_table.c.update_id == update_id)
        .values(state=FAILED, handled_at=now, raw={})
    )
    return True


async def prune(session: AsyncSession, finished_before: datetime) -> int:
    """Delete handled and failed updates finished before the given instant."""
    result = await session.execute(
        delete(_table).where(
            _table.c.state.in_((HANDLED, FAILED)), _table.c.handled_at < finished_before
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def counts(session: AsyncSession) -> dict[str, int]:
    """Rows per state (tests, benches, the log)."""
    result = await session.execute(select(_table.c.state, func.count()).group_by(_table.c.state))
    return {str(state): int(number) for state, number in result}


async def row(session: AsyncSession, update_id: int) -> InboxUpdate | None:
    return await session.get(InboxUpdate, update_id)
