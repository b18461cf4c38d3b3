"""Tables. Everything here must run unchanged on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base as Base
from bot.db.types import UtcDateTime


class User(Base):
    """A Telegram user who has talked to the bot. The id is Telegram's user id."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)  # private chat with the bot
    first_name: Mapped[str] = mapped_column(String(128))
    username: Mapped[str | None] = mapped_column(String(64))
    language_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    # Set when a send fails with 403 "bot was blocked by the user"; cleared when they write again.
    blocked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class InboxUpdate(Base):
    """An update as Telegram sent it, stored before Telegram is told it arrived
    (bot/telegram/inbox).

    ``state`` is pending until a handler ran in the transaction that marks it handled, or failed
    after ``attempts`` reached the limit. ``chat_id`` orders handling per chat (0: no chat).
    """

    __tablename__ = "inbox"
    __table_args__ = (
        Index("ix_inbox_state_update_id", "state", "update_id"),
        Index("ix_inbox_chat_id_state_update_id", "chat_id", "state", "update_id"),
        Index("ix_inbox_state_handled_at", "state", "handled_at"),
    )

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    state: Mapped[str] = mapped_column(String(16), server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    # A digest of the update as received: what is left to recognise it once its text is gone.
    fingerprint: Mapped[str | None] = mapped_column(String(64))


class Conversation(Base):
    """What a chat last talked about, so a follow-up ("and the mistakes?") survives a restart.
    Keyed by chat: in a group the conversation is the group's, as it is on screen."""

    __tablename__ = "conversations"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    last_exercise: Mapped[str | None] = mapped_column(String(64))
    last_topic: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


# Tables of other aggregates live in their own modules; importing them here registers them.
from bot.db import log_models as log_models  # noqa: E402
from bot.db import season_models as season_models  # noqa: E402
from bot.db import send_budget as send_budget  # noqa: E402
from bot.db import training_models as training_models  # noqa: E402
