"""conversations.last_topic: the topic a chat last asked about, so "what about single leg?" after
the mistakes stays on the mistakes

Revision ID: 0012_conversation_topic
Revises: 0011_send_slots
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_conversation_topic"
down_revision = "0011_send_slots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("last_topic", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("last_topic")
