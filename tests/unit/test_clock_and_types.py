"""The injectable clock and the UTC column type (real databases on both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.clock import FixedClock, SystemClock
from bot.db.types import UtcDateTime


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2027, 3, 28, 0, 30, tzinfo=UTC))
    assert clock.now() == clock.now()
    clock.advance(timedelta(minutes=5))
    assert clock.now() == datetime(2027, 3, 28, 0, 35, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2027, 1, 1))  # noqa: DTZ001 - the point of the test


def test_system_clock_is_aware() -> None:
    assert SystemClock().now().tzinfo is UTC


async def test_utc_datetime_round_trips_aware_and_orders(engine: AsyncEngine) -> None:
    meta = MetaData()
    table = Table("t", meta, Column("id", Integer, primary_key=True), Column("at", UtcDateTime()))
    plus_two = timezone(timedelta(hours=2))
    early = datetime(2027, 3, 28, 3, 0, tzinfo=plus_two)  # 01:00 UTC
    late = datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    async with engine.begin() as conn:
        await conn.run_sync(meta.create_all)
        await conn.execute(insert(table), [{"id": 1, "at": late}, {"id": 2, "at": early}])
        rows = (await conn.execute(select(table.c.id, table.c.at).order_by(table.c.at))).all()
        assert [row.id for row in rows] == [2, 1]
        assert rows[0].at == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
        assert all(row.at.tzinfo is not None for row in rows)
        due = await conn.scalars(select(table.c.id).where(table.c.at <= early))
        assert list(due) == [2]
        with pytest.raises(StatementError, match="timezone-aware"):
            await conn.execute(insert(table), [{"id": 3, "at": datetime(2027, 1, 1)}])  # noqa: DTZ001
