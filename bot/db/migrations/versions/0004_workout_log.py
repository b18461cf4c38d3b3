"""workout log: logs (one per reported message, unique chat + message) and their sets

Revision ID: 0004_workout_log
Revises: 0003_reminders
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_workout_log"
down_revision = "0003_reminders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workout_logs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("planned_session_id", sa.Integer(), nullable=True),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_workout_logs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["planned_session_id"], ["planned_sessions.id"],
            name=op.f("fk_workout_logs_planned_session_id_planned_sessions"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workout_logs")),
        sa.UniqueConstraint("chat_id", "message_id", name="uq_workout_logs_chat_id_message_id"),
    )  # fmt: skip
    op.create_index("ix_workout_logs_user_id_local_date", "workout_logs", ["user_id", "local_date"])
    op.create_table(
        "workout_sets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("entry_index", sa.Integer(), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("set_index", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("per_side", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["log_id"], ["workout_logs.id"], name=op.f("fk_workout_sets_log_id_workout_logs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workout_sets")),
    )  # fmt: skip
    op.create_index(op.f("ix_workout_sets_log_id"), "workout_sets", ["log_id"])
    op.create_index(
        "ix_workout_sets_user_exercise_weight_reps",
        "workout_sets",
        ["user_id", "exercise", "weight_kg", "reps"],
    )


def downgrade() -> None:
    op.drop_index("ix_workout_sets_user_exercise_weight_reps", table_name="workout_sets")
    op.drop_index(op.f("ix_workout_sets_log_id"), table_name="workout_sets")
    op.drop_table("workout_sets")
    op.drop_index("ix_workout_logs_user_id_local_date", table_name="workout_logs")
    op.drop_table("workout_logs")
