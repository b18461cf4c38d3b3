"""Handles stored updates: one transaction per update, in order per chat, each chat in its own lane.

For each chat with pending updates a worker claims the oldest one (bot/db/inbox.py:claim_next),
runs PTB's ``Application.process_update`` on it with the update's session in scope, and marks it
handled in that same transaction, so the handler's database effects and the "handled" mark
commit together. A handler that raises (PTB routes the exception to the error handlers; the
processor's own error handler records it in the scope) rolls the transaction back and counts an
attempt; after ``max_attempts`` the update is marked failed and the chat's next update follows.
At most ``concurrency`` updates are handled at once (each holds a database connection).

Two ways to know what is pending, by backend:

* PostgreSQL (``locking``): several processes may share the inbox, so the database decides.
  A chat's worker claims the chat's oldest pending row with ``FOR UPDATE SKIP LOCKED``; the
  row lock lives as long as the handling transaction (bot/db/inbox.py).
* SQLite: one process owns the file, so the rows the fetcher just inserted (INSERT ... ON
  CONFLICT DO NOTHING RETURNING: only new ones) go straight into the chat's in-memory lane and
  are marked handled by a conditional UPDATE at the end: no read per update, and SQLite's
  single write lock is taken only at that last moment. A scan at start-up (and every few
  seconds) adds pending rows the lanes do not know, such as a previous run's.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.error import Forbidden
from telegram.ext import Application, ApplicationHandlerStop

from bot.core.clock import Clock
from bot.db import inbox
from bot.db.direct import DirectSQLite, run_writes
from bot.inbox import scope as scopes
from bot.inbox.scope import UpdateScope

log = logging.getLogger(__name__)

BeforeHandle = Callable[[UpdateScope, Update], Awaitable[None]]
OnBlocked = Callable[[int], Awaitable[None]]
AnyApp = Application[Any, Any, Any, Any, Any, Any]


def _is_postgres(sessions: async_sessionmaker[AsyncSession]) -> bool:
    bind = sessions.kw["bind"]
    return bool(bind.dialect.name == "postgresql")


class _HandlerFailed(Exception):
    def __init__(self, error: BaseException) -> None:
        super().__init__(repr(error))
        self.error = error


class InboxProcessor:
    def __init__(
        self,
        app: AnyApp,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        max_attempts: int = 3,
        concurrency: int = 8,
        retention: timedelta = timedelta(days=7),
        before_handle: BeforeHandle | None = None,
        on_blocked: OnBlocked | None = None,
        rescan_seconds: float = 5.0,
    ) -> None:
        self._app = app
        self._sessions = sessions
        self._clock = clock
        self.max_attempts = max_attempts
        self._slots = asyncio.Semaphore(concurrency)
        self._retention = retention
        self._before_handle = before_handle
        self._on_blocked = on_blocked
        self._rescan_seconds = rescan_seconds
        self._locking = _is_postgres(sessions)
        self._direct: DirectSQLite | None = None  # SQLite: marks and reads without a session
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._dirty: set[int] = set()  # chats told about while their worker was busy
        # SQLite mode: pending rows per chat in memory, and every update_id queued or in hand.
        self._lanes: dict[int, deque[inbox.Claimed]] = {}
        self._known: set[int] = set()
        self._finished_during_scan: set[int] | None = None
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._next_prune = 0.0
        self.handled = 0
        self.failed = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        self._stopping = False
        engine = self._sessions.kw["bind"]
        if not self._locking and DirectSQLite.usable(engine):
            self._direct = DirectSQLite(engine)
            await self._direct.open()
        self._app.add_error_handler(self._record_error)
        # What a previous run stored but did not handle goes into the lanes before the fetcher
        # starts, so it is handled before anything fetched now, in order per chat.
        scanned = True
        try:
            await self._scan()
        except (SQLAlchemyError, OSError) as exc:  # the loop below retries
            scanned = False
            log.error("Inbox unreachable at start, retrying: %s", exc)
        self._task = asyncio.create_task(self._run(scanned), name="inbox-processor")

    async def stop(self) -> None:
        """Finish the updates being handled (no new claims), then return."""
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._direct is not None:
            await self._direct.close()
            self._direct = None
        self._app.remove_error_handler(self._record_error)

    def notify(self, rows: list[inbox.Claimed]) -> None:
        """These updates were just stored (called after the fetcher's commit)."""
        if self._locking:
            for chat_id in {row.chat_id for row in rows}:
                self._start_worker(chat_id)
            return
        self._queue(rows)

    def _queue(self, rows: list[inbox.Claimed]) -> None:
        for row in rows:
            if row.update_id in self._known:
                continue
            self._known.add(row.update_id)
            self._lanes.setdefault(row.chat_id, deque()).append(row)
            self._start_worker(row.chat_id)

    @property
    def direct(self) -> DirectSQLite | None:
        """The inbox's own SQLite connection while running (None on PostgreSQL)."""
        return self._direct

    @property
    def busy(self) -> bool:
        return bool(self._workers)

    # ------------------------------------------------------------------ the loop

    async def _run(self, scanned: bool) -> None:
        """Rescan and prune every few seconds; ``scanned``: start() has just scanned."""
        failures = 0
        while not self._stopping:
            self._wakeup.clear()
            try:
                if not scanned:
                    await self._scan()
                scanned = False
                await self._prune_now_and_then()
                failures = 0
            except (SQLAlchemyError, OSError) as exc:
                failures += 1
                if failures == 1:
                    log.error("Inbox unreachable, retrying: %s", exc)
            delay = self._rescan_seconds if failures == 0 else min(2.0**failures, 30.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=delay)
        workers = list(self._workers.values())
        if workers:
            await asyncio.gather(*workers, return_exceptions=True)

    async def _scan(self) -> None:
        """Start workers for what is pending in the database and not in hand."""
        if self._locking:
            async with self._sessions() as session:
                chats = await inbox.pending_chats(session)
            for chat_id in chats:
                self._start_worker(chat_id)
            return
        self._finished_during_scan = set()
        try:
            async with self._sessions() as session:
                rows = await inbox.pending_rows(session)
            finished = self._finished_during_scan
        finally:
            self._finished_during_scan = None
        self._queue([row for row in rows if row.update_id not in finished])

    def _start_worker(self, chat_id: int) -> None:
        if self._stopping:
            return
        if chat_id in self._workers:
            self._dirty.add(chat_id)
            return
        self._workers[chat_id] = asyncio.create_task(
            self._drain(chat_id), name=f"inbox-chat-{chat_id}"
        )

    async def _drain(self, chat_id: int) -> None:
        """Handle the chat's pending updates one after another until none is left."""
        lane = self._lanes.get(chat_id)
        row: inbox.Claimed | None = None
        try:
            while not self._stopping:
                self._dirty.discard(chat_id)
                if not self._locking:
                    if not lane:
                        return
                    row = lane.popleft()
                async with self._slots:
                    outcome = await self._handle_next(chat_id, row)
                if outcome is None:
                    if chat_id in self._dirty:
                        continue  # stored while we looked: look again
                    return
                if row is not None:
                    if outcome > 0 and lane is not None:  # retried: first in line again
                        lane.appendleft(dataclasses.replace(row, attempts=outcome))
                    else:
                        self._finished(row.update_id)
                    row = None
                if outcome > 0:  # a failed attempt: give a transient cause a moment
                    await asyncio.sleep(min(0.05 * 2**outcome, 2.0))
        except Exception:
            # The database went away mid-update: the row stays pending; the rescan retries it.
            log.exception("Inbox worker for chat %s stopped", chat_id)
            if row is not None:
                self._finished(row.update_id)  # forget it: the scan finds it again
        finally:
            del self._workers[chat_id]
            if lane is not None and not lane:
                self._lanes.pop(chat_id, None)
            if lane:  # stopping with rows in hand: the next start finds them in the database
                for left in lane:
                    self._known.discard(left.update_id)
                self._lanes.pop(chat_id, None)

    def _finished(self, update_id: int) -> None:
        self._known.discard(update_id)
        if self._finished_during_scan is not None:
            self._finished_during_scan.add(update_id)

    async def _handle_next(self, chat_id: int, row: inbox.Claimed | None) -> int | None:
        """Handle ``row`` (SQLite) or the chat's oldest pending update (PostgreSQL). None:
        nothing to do; 0: handled (or failed for good); n > 0: attempt n failed, retry."""
        claimed: inbox.Claimed | None = row
        scope: UpdateScope | None = None
        try:
            try:
                claim = await self._claim(chat_id, row)
                if claim is None:
                    return None
                claimed, scope = claim
                await self._run_handlers(scope, claimed)
                await self._mark_handled(scope, claimed.update_id)
            finally:
                # Rolls back whatever was not committed: a handler that raised, a failed mark.
                # Before a failure is counted, so SQLite's write lock is free for that.
                if scope is not None and scope.opened is not None:
                    await scope.opened.close()
        except _HandlerFailed as failed:
            assert claimed is not None
            await self._after(scope)
            return await self._count_failure(claimed, failed.error)
        except (SQLAlchemyError, OSError):
            raise
        except Exception as exc:  # the update itself is unusable (de_json) or a hook broke
            if claimed is None:
                raise
            log.exception("Update %s could not be handled", claimed.update_id)
            return await self._count_failure(claimed, exc)
        self.handled += 1
        for callback in scope.after_commit:
            callback()
        await self._after(scope)
        return 0

    async def _claim(
        self, chat_id: int, row: inbox.Claimed | None
    ) -> tuple[inbox.Claimed, UpdateScope] | None:
        """The update to handle and its scope; None when the chat has nothing pending. On
        PostgreSQL the claim is a row lock, so the update's session opens with it."""
        session = None
        if row is None:
            session = self._sessions()
            try:
                row = await inbox.claim_next(session, chat_id)
            finally:
                if row is None:
                    await session.close()
            if row is None:
                return None
        attempt = row.attempts + 1
        final = attempt >= self.max_attempts
        scope = UpdateScope(
            self._sessions, row.update_id, attempt, final, direct=self._direct, opened=session
        )
        return row, scope

    async def _run_handlers(self, scope: UpdateScope, claimed: inbox.Claimed) -> None:
        update = Update.de_json(claimed.raw, self._app.bot)
        if self._before_handle is not None:
            await self._before_handle(scope, update)
        token = scopes.enter(scope)
        try:
            await self._app.process_update(update)
        finally:
            scopes.leave(token)
        # A user who blocked the bot cannot get an answer, but what they sent is kept.
        if scope.error is not None and not isinstance(scope.error, Forbidden):
            raise _HandlerFailed(scope.error)

    async def _mark_handled(self, scope: UpdateScope, update_id: int) -> None:
        """In the update's transaction when its handlers opened one (their effects and the mark
        commit together), else on the inbox's own SQLite connection (bot/db/direct.py)."""
        now = self._clock.now()
        if scope.opened is None and self._direct is not None:
            marked = await self._direct.mark_handled(update_id, now, scope.writes)
        else:
            if scope.writes:  # deferred before a later handler opened the session: in it
                await run_writes(scope.session, scope.writes)
            marked = await inbox.mark_handled(scope.session, update_id, now)
            await scope.session.commit()
        if marked:
            return
        async with self._sessions() as session:
            if await inbox.row(session, update_id) is None:
                # /deletedata erased the runner's updates, this one included.
                log.debug("Update %s was erased while handled", update_id)
            else:
                log.warning("Update %s was handled elsewhere too", update_id)

    async def _after(self, scope: UpdateScope | None) -> None:
        """Outside the update's transaction: remember a chat that blocked the bot."""
        if scope is not None and scope.blocked_chat is not None and self._on_blocked is not None:
            try:
                await self._on_blocked(scope.blocked_chat)
            except (SQLAlchemyError, OSError):
                log.exception("Could not record that chat %s blocked the bot", scope.blocked_chat)

    async def _count_failure(self, claimed: inbox.Claimed, error: BaseException) -> int:
        async with self._sessions() as session, session.begin():
            gave_up = await inbox.record_failure(
                session, claimed.update_id, repr(error), self.max_attempts, self._clock.now()
            )
        if gave_up:
            self.failed += 1
            log.error(
                "Update %s failed %d times; giving up on it: %r",
                claimed.update_id,
                self.max_attempts,
                error,
            )
            return 0
        log.warning("Update %s failed (attempt %d), retrying: %r",
                    claimed.update_id, claimed.attempts + 1, error)  # fmt: skip
        return claimed.attempts + 1

    async def _record_error(self, update: object, context: Any) -> None:
        """Error handler registered last: the scope learns that a handler raised, and the
        update's other handler groups do not run (the whole update is retried or failed)."""
        scope = scopes.current_scope()
        if scope is not None and context.error is not None:
            scope.error = context.error
            raise ApplicationHandlerStop

    async def _prune_now_and_then(self) -> None:
        now = time.monotonic()
        if now < self._next_prune:
            return
        self._next_prune = now + 3600
        async with self._sessions() as session, session.begin():
            removed = await inbox.prune(session, self._clock.now() - self._retention)
        if removed:
            log.info("Pruned %d finished inbox rows older than %s", removed, self._retention)
