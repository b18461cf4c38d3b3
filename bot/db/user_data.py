"""Erasing a runner (/deletedata): every table with a ``user_id`` column (generic over
Base.metadata, so new tables are covered), the inbox rows of their private chat and the ones they
sent anywhere else (group messages: raw JSON with their name and text), their private chat's
memory, then the users row. Re-exported as ``workout_log.delete_user_data``."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import chat_snapshot
from bot.db.log_models import WorkoutLog, WorkoutSet
from bot.db.models import Base


async def delete_user_data(
    session: AsyncSession, user_id: int, current_update: int | None = None
) -> dict[str, int]:
    """Erase a runner from every table: rows with their ``user_id`` (children first), updates of
    their private chat, then the user row. Returns rows deleted per table."""
    chat_snapshot.forget(session)
    deleted: dict[str, int] = {}
    await session.execute(
        delete(WorkoutSet).where(
            WorkoutSet.log_id.in_(select(WorkoutLog.id).where(WorkoutLog.user_id == user_id))
        )
    )
    for table in reversed(Base.metadata.sorted_tables):
        if table.name == "users":
            continue
        condition = None
        if "user_id" in table.c:
            condition = table.c.user_id == user_id
        elif table.name == "inbox" and "chat_id" in table.c:
            # Updates of their private chat (its id is the user's id) or sent by them in a group:
            # those handled and the one being handled now (the "yes" itself); any still waiting
            # stay until handled (nothing a user sent is lost).
            condition = ((table.c.chat_id == user_id) | _sent_by(table, user_id)) & (
                (table.c.state != "pending") | (table.c.update_id == (current_update or -1))
            )
        elif table.name == "conversations":
            condition = table.c.chat_id == user_id  # their private chat's memory
        if condition is None:
            continue
        result = await session.execute(delete(table).where(condition))
        deleted[table.name] = int(getattr(result, "rowcount", 0) or 0)
    users = Base.metadata.tables["users"]
    result = await session.execute(delete(users).where(users.c.id == user_id))
    deleted["users"] = int(getattr(result, "rowcount", 0) or 0)
    return deleted


# Where an update names its sender: (update kind, key of the sender object).
_SENDERS = (
    ("message", "from"), ("edited_message", "from"), ("callback_query", "from"),
    ("message_reaction", "user"), ("my_chat_member", "from"), ("chat_member", "from"),
    ("poll_answer", "user"), ("inline_query", "from"), ("chosen_inline_result", "from"),
)  # fmt: skip


def _sent_by(inbox: Table, user_id: int) -> ColumnElement[bool]:
    """Inbox rows whose raw update was sent by ``user_id`` (a JSON path, on both backends)."""
    raw = inbox.c.raw
    return or_(*(raw[(kind, key, "id")].as_integer() == user_id for kind, key in _SENDERS))
