"""Tables of the training plan and its reminders (imported by bot/db/models.py).

* ``reminder_schedules``: one row per runner: zone, local time, days, pause, and the next fire
  instant in UTC (indexed: the dispatcher's due query reads only that index). ``next_fire_at`` is
  NULL whenever nothing is due (no set-up yet, stopped, blocked, open-ended pause), so inactive
  rows cost the due query nothing. ``lease_owner``/``lease_until`` mark a claimed reminder; a
  claim that was never confirmed is claimable again once its lease expires.
* ``planned_sessions``: one strength session a runner is asked to do on a local date, with its
  prescription and the reminder message (chat id + message id) that carried it.
* ``setup_conversations``: where a runner is in the guided set-up (survives restarts).
* ``pause_windows``: every pause a runner took (injury, holiday), first and last local day;
  last is NULL while an open-ended pause lasts. Streaks leave these days out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.types import UtcDateTime


class ReminderSchedule(Base):
    __tablename__ = "reminder_schedules"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False,
    )  # fmt: skip
    chat_id: Mapped[int] = mapped_column(BigInteger)
    zone: Mapped[str | None] = mapped_column(String(64))  # IANA name; None: not asked yet
    local_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM"
    days: Mapped[int] = mapped_column(Integer, server_default="0")  # bit d = weekday d (Mon 0)
    sessions_per_week: Mapped[int] = mapped_column(Integer, server_default="2")
    long_run_day: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16), server_default="beginner")
    paused_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    paused_open: Mapped[bool] = mapped_column(Boolean, server_default=false())
    stopped: Mapped[bool] = mapped_column(Boolean, server_default=false())
    blocked: Mapped[bool] = mapped_column(Boolean, server_default=false())
    next_fire_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    snooze_session_id: Mapped[int | None] = mapped_column(Integer)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())


class PlannedSession(Base):
    __tablename__ = "planned_sessions"
    __table_args__ = (
        UniqueConstraint("user_id", "local_date", name="uq_planned_sessions_user_id_local_date"),
        Index("ix_planned_sessions_reminder", "reminder_chat_id", "reminder_message_id"),
        Index("ix_planned_sessions_status_day_ends_at", "status", "day_ends_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    prescription: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), server_default="planned")
    day_ends_at: Mapped[datetime] = mapped_column(UtcDateTime())  # end of local_date, in UTC
    fire_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reminder_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    reminder_message_id: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SetupConversation(Base):
    __tablename__ = "setup_conversations"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False,
    )  # fmt: skip
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())


class PauseWindow(Base):
    __tablename__ = "pause_windows"
    __table_args__ = (Index("ix_pause_windows_user_id_first_day", "user_id", "first_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)  # None: open-ended, until /resume
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
