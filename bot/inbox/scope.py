"""What one update's handling shares: its session, its attempt, what went wrong, what was sent.

The processor sets it in a ContextVar around ``Application.process_update``; PTB awaits blocking
handlers and error handlers in that same task, so the context class, the error handler and the
send layer all see the scope of the update they work for.

The session is opened when a handler first asks for it. An update whose handlers only read
(``read``) or do not touch the database at all is then marked handled without one, on the
inbox's own SQLite connection (bot/db/direct.py); one that opened it is marked in its
transaction, together with its effects. A handler that writes can, before anything opened the
session, hand its statements to ``defer`` instead: they then commit with the mark on the inbox's
connection, in the same hop (the training log's common report, bot/logbook.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.direct import AnySelect, DirectSQLite, Write


@dataclass(slots=True)
class UpdateScope:
    sessions: async_sessionmaker[AsyncSession]
    update_id: int
    attempt: int  # 1 for the first try
    final_attempt: bool  # no retry follows if this one fails
    direct: DirectSQLite | None = None  # SQLite: the inbox's own connection
    opened: AsyncSession | None = None  # the update's session, once something asked for it
    error: BaseException | None = None
    delivered: int = 0  # sends Telegram confirmed while handling this update
    blocked: bool = False  # a send answered 403: the user blocked the bot
    blocked_chat: int | None = None  # which chat (recorded after the transaction)
    # Run once the update's transaction committed (caches that must not run ahead of the data).
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    # Writes waiting for the mark (``defer``), committed with it.
    writes: list[Write] = field(default_factory=list)

    @property
    def session(self) -> AsyncSession:
        """The update's one session; its transaction begins with its first statement and is
        committed (with the inbox's mark) or rolled back by the processor."""
        if self.opened is None:
            self.opened = self.sessions()
        return self.opened

    @property
    def can_defer(self) -> bool:
        """Whether ``defer`` commits without a session (SQLite, and no session opened yet)."""
        return self.opened is None and self.direct is not None

    def defer(self, write: Write) -> None:
        """``write`` commits with the update's handled mark once the handlers returned (not at
        all if one raised): on the inbox's connection, or in the session if a later handler
        opened it. Reads in the meantime do not see it."""
        self.writes.append(write)

    async def read(self, statement: AnySelect, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows of a read-only statement: in the session once it is open (it sees the
        update's own writes), else in one hop on the inbox's SQLite connection."""
        if self.opened is None and self.direct is not None:
            return await self.direct.fetch(statement, values)
        connection = await self.session.connection()
        return [tuple(row) for row in await connection.execute(statement, values)]


_current: ContextVar[UpdateScope | None] = ContextVar("legwork_update_scope", default=None)


def current_scope() -> UpdateScope | None:
    return _current.get()


def enter(scope: UpdateScope) -> object:
    return _current.set(scope)


def leave(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
