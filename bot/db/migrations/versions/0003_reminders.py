"""reminder schedules, planned sessions, set-up conversations

Revision ID: 0003_reminders
Revises: 0002_inbox
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_reminders"
down_revision = "0002_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_schedules",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=True),
        sa.Column("local_time", sa.String(length=5), nullable=True),
        sa.Column("days", sa.Integer(), server_default="0", nullable=False),
        sa.Column("sessions_per_week", sa.Integer(), server_default="2", nullable=False),
        sa.Column("long_run_day", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=16), server_default="beginner", nullable=False),
        sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_open", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("stopped", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("blocked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("next_fire_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snooze_session_id", sa.Integer(), nullable=True),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reminder_schedules_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reminder_schedules")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_reminder_schedules_next_fire_at"), "reminder_schedules", ["next_fire_at"]
    )
    op.create_table(
        "planned_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("prescription", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="planned", nullable=False),
        sa.Column("day_ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fire_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("reminder_message_id", sa.BigInteger(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_planned_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_sessions")),
        sa.UniqueConstraint(
            "user_id", "local_date", name="uq_planned_sessions_user_id_local_date"
        ),
    )  # fmt: skip
    op.create_index(
        "ix_planned_sessions_reminder",
        "planned_sessions",
        ["reminder_chat_id", "reminder_message_id"],
    )
    op.create_index(
        "ix_planned_sessions_status_day_ends_at", "planned_sessions", ["status", "day_ends_at"]
    )
    op.create_table(
        "setup_conversations",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_setup_conversations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_setup_conversations")),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("setup_conversations")
    op.drop_index("ix_planned_sessions_status_day_ends_at", table_name="planned_sessions")
    op.drop_index("ix_planned_sessions_reminder", table_name="planned_sessions")
    op.drop_table("planned_sessions")
    op.drop_index(op.f("ix_reminder_schedules_next_fire_at"), table_name="reminder_schedules")
    op.drop_table("reminder_schedules")
