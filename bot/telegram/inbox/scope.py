"""What one update's handling shares: its session, its attempt, what went wrong, what was sent.

The processor sets it in a ContextVar around ``Application.process_update``; PTB awaits blocking
handlers and error handlers in that same task, so the context class, the error handler and the
send layer all see the scope of the update they work for.

The session is the update's unit of work: the processor opens it with the claim, handlers read
and write through it, and the processor commits it together with the inbox's "handled" mark (or
rolls it back when a handler raised).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(slots=True)
class UpdateScope:
    session: AsyncSession
    update_id: int
    attempt: int  # 1 for the first try
    final_attempt: bool  # no retry follows if this one fails
    error: BaseException | None = None
    delivered: int = 0  # sends Telegram confirmed while handling this update
    blocked: bool = False  # a send answered 403: the user blocked the bot
    blocked_chat: int | None = None  # which chat (recorded after the transaction)
    # Run once the update's transaction committed (caches that must not run ahead of the data).
    after_commit: list[Callable[[], None]] = field(default_factory=list)


_current: ContextVar[UpdateScope | None] = ContextVar("legwork_update_scope", default=None)


def current_scope() -> UpdateScope | None:
    return _current.get()


def enter(scope: UpdateScope) -> object:
    return _current.set(scope)


def leave(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
