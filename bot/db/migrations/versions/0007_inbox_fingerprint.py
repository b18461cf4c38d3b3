"""inbox.fingerprint: a digest of each stored update, so a redelivery (same id, same update) is
told from a restarted numbering (same id, another update) once the update's text is dropped

Revision ID: 0007_inbox_fingerprint
Revises: 0006_pause_windows
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_inbox_fingerprint"
down_revision = "0006_pause_windows"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("fingerprint")
