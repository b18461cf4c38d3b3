"""own_exercises and own_exercise_asks: a runner's own exercises (names in no catalogue), and
reports waiting for the runner to say whether a new name is one

Revision ID: 0009_own_exercises
Revises: 0008_set_seconds
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_own_exercises"
down_revision = "0008_set_seconds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "own_exercises",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_own_exercises_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_exercises")),
        sa.UniqueConstraint("user_id", "key", name="uq_own_exercises_user_id_key"),
    )
    op.create_table(
        "own_exercise_asks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("reply_to", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("names", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_own_exercise_asks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_exercise_asks")),
        sa.UniqueConstraint(
            "chat_id", "message_id", name="uq_own_exercise_asks_chat_id_message_id"
        ),
    )


def downgrade() -> None:
    op.drop_table("own_exercise_asks")
    op.drop_table("own_exercises")
