"""What a runner told us about their season, and their weekly check-in (imported by models.py).

``runner_seasons``: one row per runner who set any of it (or whose set-up has a time zone): goal
race, hard run days, lifting level, and the weekly check-in's weekday and local time. Like the
reminders, the check-in's next instant is stored in UTC (``checkin_next_at``, indexed; NULL when
none is due: turned off, no time zone, blocked) with a lease for the dispatcher's claim.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, func, true
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.types import UtcDateTime

DEFAULT_CHECKIN_DAY = 6  # Sunday
DEFAULT_CHECKIN_TIME = "18:00"


class RunnerSeason(Base):
    __tablename__ = "runner_seasons"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False,
    )  # fmt: skip
    chat_id: Mapped[int] = mapped_column(BigInteger)
    race_date: Mapped[date | None] = mapped_column(Date)
    race_distance: Mapped[str | None] = mapped_column(String(16))
    hard_run_days: Mapped[int] = mapped_column(Integer, server_default="0")  # bit d = weekday d
    level: Mapped[str | None] = mapped_column(String(16))  # None: not told (planned as "new")
    checkin_on: Mapped[bool] = mapped_column(Boolean, server_default=true())
    checkin_day: Mapped[int] = mapped_column(Integer, server_default=str(DEFAULT_CHECKIN_DAY))
    checkin_time: Mapped[str] = mapped_column(String(5), server_default=DEFAULT_CHECKIN_TIME)
    checkin_next_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    checkin_lease_owner: Mapped[str | None] = mapped_column(String(64))
    checkin_lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    checkin_attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
