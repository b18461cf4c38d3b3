"""Tables of the training log (imported by bot/db/models.py).

* ``workout_logs``: one row per report a runner sent (or Done button pressed): whose, which
  message (``chat_id`` + ``message_id``, unique: the same update delivered twice is logged once),
  the planned session it counts for (None: an extra session), the runner's local date, the
  status and the original text.
* ``workout_sets``: every set of a log: the entry it belongs to (order in the report), the
  exercise's catalogue id (bot/core/reports/catalogue.py: an entry, an uncovered lift's slug, or
  "custom:<name>" for one of the runner's own exercises), the set number, reps, or for timed work
  (holds, "wall sit 3x45s") the seconds with reps 0, load in kg (None: bodyweight), per side, and
  the log's user (so a runner's bests are index seeks).
* ``own_exercises``: the names a runner keeps as their own exercises (in no catalogue); their
  sets are logged as "custom:<name>". ``key`` matches other spellings of the name.
* ``own_exercise_asks``: a report naming a lift in no catalogue, kept while the bot asks whether
  to add it as the runner's own exercise (yes logs the report from this text).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base
from bot.db.types import UtcDateTime


class WorkoutLog(Base):
    __tablename__ = "workout_logs"
    __table_args__ = (
        UniqueConstraint("chat_id", "message_id", name="uq_workout_logs_chat_id_message_id"),
        Index("ix_workout_logs_user_id_local_date", "user_id", "local_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    planned_session_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("planned_sessions.id", ondelete="SET NULL")
    )
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # done | skipped
    note: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    sets: Mapped[list[WorkoutSet]] = relationship(
        back_populates="log",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(WorkoutSet.entry_index, WorkoutSet.set_index)",
        lazy="selectin",
    )


class WorkoutSet(Base):
    __tablename__ = "workout_sets"
    __table_args__ = (
        # Bests per runner and exercise are index seeks (max load; max reps with no load).
        Index(
            "ix_workout_sets_user_exercise_weight_reps", "user_id", "exercise", "weight_kg", "reps"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    log_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("workout_logs.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger)  # the log's, copied: bests without a join
    entry_index: Mapped[int] = mapped_column(Integer)
    exercise: Mapped[str] = mapped_column(String(64))
    set_index: Mapped[int] = mapped_column(Integer)  # 1-based within the entry
    reps: Mapped[int] = mapped_column(Integer)  # 0 for a timed set
    seconds: Mapped[int | None] = mapped_column(Integer)  # None: counted in reps
    weight_kg: Mapped[float | None] = mapped_column(Float)
    per_side: Mapped[bool] = mapped_column(Boolean)

    log: Mapped[WorkoutLog] = relationship(back_populates="sets")


# A set's exercise column holds "custom:" and the name: 64 characters in all.
OWN_NAME_LIMIT = 50


class OwnExercise(Base):
    __tablename__ = "own_exercises"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_own_exercises_user_id_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(OWN_NAME_LIMIT))
    key: Mapped[str] = mapped_column(String(OWN_NAME_LIMIT))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OwnExerciseAsk(Base):
    __tablename__ = "own_exercise_asks"
    __table_args__ = (
        UniqueConstraint("chat_id", "message_id", name="uq_own_exercise_asks_chat_id_message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    reply_to: Mapped[int | None] = mapped_column(BigInteger)  # the reminder it replied to
    text: Mapped[str] = mapped_column(Text)  # the report as sent (or last edited)
    names: Mapped[str] = mapped_column(Text)  # the names asked about, one a line
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
