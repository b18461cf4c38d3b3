"""pause_windows: every pause a runner took, so streaks can leave those days out

Revision ID: 0006_pause_windows
Revises: 0005_conversations
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_pause_windows"
down_revision = "0005_conversations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pause_windows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_pause_windows_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pause_windows")),
    )
    op.create_index("ix_pause_windows_user_id_first_day", "pause_windows", ["user_id", "first_day"])


def downgrade() -> None:
    op.drop_index("ix_pause_windows_user_id_first_day", table_name="pause_windows")
    op.drop_table("pause_windows")
