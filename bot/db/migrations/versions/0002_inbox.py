"""inbox table (durable updates) and users.blocked_at

Revision ID: 0002_inbox
Revises: 0001_users
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_inbox"
down_revision = "0001_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbox")),
    )
    op.create_index("ix_inbox_state_update_id", "inbox", ["state", "update_id"])
    op.create_index("ix_inbox_chat_id_state_update_id", "inbox", ["chat_id", "state", "update_id"])
    op.create_index("ix_inbox_state_handled_at", "inbox", ["state", "handled_at"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("blocked_at")
    op.drop_index("ix_inbox_state_handled_at", table_name="inbox")
    op.drop_index("ix_inbox_chat_id_state_update_id", table_name="inbox")
    op.drop_index("ix_inbox_state_update_id", table_name="inbox")
    op.drop_table("inbox")
