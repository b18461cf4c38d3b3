"""Alembic environment. The app passes its own connection (see bot/db/engine.py:migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through bot.db.engine.migrate (python -m bot migrate)")
run_with(connection)
