"""Column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Stores an instant in UTC and always gives back a timezone-aware UTC datetime.

    PostgreSQL keeps ``timestamptz``; SQLite has no time zones and hands back naive values, so
    they are read as the UTC they were written in. Naive datetimes are refused on the way in:
    a naive value is a bug (whose local time was it?), not something to guess about.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UtcDateTime needs a timezone-aware datetime")
        # In UTC on both backends: SQLite stores the wall time without an offset (its DATETIME
        # ignores tzinfo), so the stored text has one format and ORDER BY and < stay correct.
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
