"""runner_seasons: goal race, hard run days, level and the weekly check-in of each runner

Revision ID: 0010_runner_seasons
Revises: 0009_own_exercises
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from bot.core.schedule import ReminderRule, next_fire, valid_zone

revision = "0010_runner_seasons"
down_revision = "0009_own_exercises"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runner_seasons",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("race_date", sa.Date(), nullable=True),
        sa.Column("race_distance", sa.String(length=16), nullable=True),
        sa.Column("hard_run_days", sa.Integer(), server_default="0", nullable=False),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("checkin_on", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("checkin_day", sa.Integer(), server_default="6", nullable=False),
        sa.Column("checkin_time", sa.String(length=5), server_default="18:00", nullable=False),
        sa.Column("checkin_next_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checkin_lease_owner", sa.String(length=64), nullable=True),
        sa.Column("checkin_lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checkin_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_runner_seasons_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_runner_seasons")),
    )
    op.create_index(
        op.f("ix_runner_seasons_checkin_next_at"), "runner_seasons", ["checkin_next_at"]
    )
    _backfill_checkins()


def _backfill_checkins() -> None:
    """Runners who already told us their time zone get the default check-in (Sunday 18:00
    local), as new ones do when they set their zone."""
    bind = op.get_bind()
    found = bind.execute(
        sa.text("SELECT user_id, chat_id, zone FROM reminder_schedules WHERE zone IS NOT NULL")
    ).all()
    now = datetime.now(UTC)
    table = sa.table(
        "runner_seasons",
        sa.column("user_id", sa.BigInteger()),
        sa.column("chat_id", sa.BigInteger()),
        sa.column("checkin_next_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    rows = []
    for user_id, chat_id, zone in found:
        if not valid_zone(zone):
            continue
        rule = ReminderRule(ZoneInfo(zone), time(18, 0), frozenset({6}))
        # Stored as UTC wall time on SQLite, as bot/db/types.py:UtcDateTime does.
        rows.append({"user_id": user_id, "chat_id": chat_id,
                     "checkin_next_at": next_fire(rule, now), "updated_at": now})  # fmt: skip
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_runner_seasons_checkin_next_at"), table_name="runner_seasons")
    op.drop_table("runner_seasons")
