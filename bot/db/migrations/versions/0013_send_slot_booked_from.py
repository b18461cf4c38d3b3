"""send_slots.booked_from: the instant a booked slot was free from, so booking is one statement

Revision ID: 0013_send_slot_booked_from
Revises: 0012_conversation_topic
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_send_slot_booked_from"
down_revision = "0012_conversation_topic"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("send_slots") as batch:
        batch.add_column(sa.Column("booked_from", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("send_slots") as batch:
        batch.drop_column("booked_from")
