"""workout_sets.seconds: timed sets ("wall sit 3x45s") store seconds, with reps 0

Revision ID: 0008_set_seconds
Revises: 0007_inbox_fingerprint
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_set_seconds"
down_revision = "0007_inbox_fingerprint"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workout_sets", sa.Column("seconds", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workout_sets") as batch:  # SQLite drops a column by copying
        batch.drop_column("seconds")
