"""chat_send_turns: each chat's next send turn, shared by every instance (the per-chat limit)

Revision ID: 0014_chat_send_turns
Revises: 0013_send_slot_booked_from
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_chat_send_turns"
down_revision = "0013_send_slot_booked_from"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_send_turns",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("next_at", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("chat_send_turns")
