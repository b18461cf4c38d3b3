"""Handles stored updates: one transaction per update, in order per chat, each chat in its own lane.

For each chat with pending updates a worker claims the chat's oldest pending update
(bot/db/inbox.py:claim_next) in a new session, runs PTB's ``Application.process_update`` with that
session as the update's unit of work, and marks the update handled in the same transaction, so
the handlers' effects and the "handled" mark commit together. The same on both databases: on
PostgreSQL the claim is a row lock (``FOR UPDATE SKIP LOCKED``), so instances sharing the inbox
never handle one chat at once; SQLite has one process per file, and one worker per chat here.

Pruning finished rows is a job on PTB's JobQueue (bot/telegram/app.py) calling ``prune_old``.

Any failure while handling an update, its commit included, rolls the transaction back and counts
an attempt; after ``max_attempts`` the update is marked failed and the chat's next update
follows. At most ``concurrency`` updates are handled at once (each holds a connection); a chat
that used up its send allowance waits for it before it takes one of those slots. A rescan
every few seconds starts workers for chats with pending rows that no worker holds (a previous
run's, another instance's that died).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.error import Forbidden
from telegram.ext import Application, ApplicationHandlerStop

from bot.core.clock import Clock
from bot.db import inbox
from bot.telegram.inbox import scope as scopes
from bot.telegram.inbox.scope import UpdateScope

log = logging.getLogger(__name__)

BeforeHandle = Callable[[UpdateScope, Update], Awaitable[None]]
OnBlocked = Callable[[int], Awaitable[None]]
# An update failed for good: (the update if it could be read, its scope, the last error).
OnGaveUp = Callable[[Update | None, UpdateScope, BaseException], Awaitable[None]]
AnyApp = Application[Any, Any, Any, Any, Any, Any]
# Waits until a reply to this chat could be sent at once (the send layer's chat_ready).
ReadyToSend = Callable[[int], Coroutine[Any, Any, None]]


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
        on_gave_up: OnGaveUp | None = None,
        rescan_seconds: float = 5.0,
        ready_to_send: ReadyToSend | None = None,
    ) -> None:
        self._app = app
        self._sessions = sessions
        self._clock = clock
        self.max_attempts = max_attempts
        self._slots = asyncio.Semaphore(concurrency)
        self._retention = retention
        self._before_handle = before_handle
        self._on_blocked = on_blocked
        self._on_gave_up = on_gave_up
        self._rescan_seconds = rescan_seconds
        self._ready_to_send = ready_to_send
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._dirty: set[int] = set()  # chats told about while their worker was busy
        # Updates the fetcher has already parsed, by chat, so they are not parsed again from
        # the stored JSON; a chat's entries go when its worker ends (another instance may have
        # handled them).
        self._parsed: dict[int, dict[int, Update]] = {}
        self._wakeup = asyncio.Event()
        self._stopped = asyncio.Event()  # set by stop(): waits for a send allowance end
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self.handled = 0
        self.failed = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        self._stopping = False
        self._stopped.clear()
        self._app.add_error_handler(self._record_error)
        # What a previous run stored but did not handle is started before the fetcher runs, so
        # it is claimed before anything fetched now (claims go by update_id within a chat).
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
        self._stopped.set()
        self._wakeup.set()
        if self._task is not None:
            await self._task
            self._task = None
        self._app.remove_error_handler(self._record_error)

    def notify(self, rows: list[inbox.Claimed], parsed: Sequence[Update] = ()) -> None:
        """These updates were just stored (called after the fetcher's commit); ``parsed``: the
        same updates as objects, when the caller has them."""
        by_id = {update.update_id: update for update in parsed}
        for row in rows:
            if row.update_id in by_id:
                self._parsed.setdefault(row.chat_id, {})[row.update_id] = by_id[row.update_id]
        for chat_id in dict.fromkeys(row.chat_id for row in rows):
            self._start_worker(chat_id)

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
        """Start workers for chats with pending updates."""
        async with self._sessions() as session:
            chats = await inbox.pending_chats(session)
        for chat_id in chats:
            self._start_worker(chat_id)

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
        try:
            while not self._stopping:
                self._dirty.discard(chat_id)
                if not await self._ready(chat_id):
                    return
                async with self._slots:
                    outcome = await self._handle_next(chat_id)
                if outcome is None:
                    if chat_id in self._dirty:
                        continue  # stored while we looked: look again
                    return
                if outcome > 0:  # a failed attempt: give a transient cause a moment
                    await asyncio.sleep(min(0.05 * 2**outcome, 2.0))
        except Exception:
            # The database went away mid-update: the row stays pending; the rescan retries it.
            log.exception("Inbox worker for chat %s stopped", chat_id)
        finally:
            del self._workers[chat_id]
            self._parsed.pop(chat_id, None)

    async def _ready(self, chat_id: int) -> bool:
        """Fair sharing: a chat over its send allowance waits here, holding no slot (and no
        transaction), while other chats' updates are handled. False: stop() came first."""
        if self._ready_to_send is None:
            return True
        ready = asyncio.create_task(self._ready_to_send(chat_id))
        stopped = asyncio.create_task(self._stopped.wait())
        done, pending = await asyncio.wait({ready, stopped}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        return ready in done and not self._stopping

    async def _handle_next(self, chat_id: int) -> int | None:
        """Claim and handle the chat's oldest pending update. None: nothing (more) to do; 0:
        handled (or failed for good) and another update waits; n > 0: attempt n failed, it is
        retried."""
        async with self._sessions() as session:
            claimed = await inbox.claim_next(session, chat_id)
            if claimed is None:
                return None
            attempt = claimed.attempts + 1
            scope = UpdateScope(session, claimed.update_id, attempt, attempt >= self.max_attempts)
            update: Update | None = None
            try:
                update = self._parsed.get(chat_id, {}).pop(claimed.update_id, None)
                if update is None:
                    update = Update.de_json(claimed.raw, self._app.bot)
                await self._run_handlers(scope, update)
                marked = await inbox.mark_handled(session, claimed.update_id, self._clock.now())
                await session.commit()
            except Exception as exc:  # a handler, the mark or the commit: one failed attempt
                await session.rollback()
                error = exc.error if isinstance(exc, _HandlerFailed) else exc
                if not isinstance(exc, _HandlerFailed):
                    log.error("Update %s could not be handled", claimed.update_id, exc_info=exc)
                await self._after(scope)
                retry = await self._count_failure(claimed, error)
                if retry == 0 and self._on_gave_up is not None:
                    await self._on_gave_up(update, scope, error)
                return retry
        if not marked:
            log.warning("Update %s was not pending any more when handled", claimed.update_id)
        self.handled += 1
        for callback in scope.after_commit:
            callback()
        await self._after(scope)
        return 0 if claimed.more else None

    async def _run_handlers(self, scope: UpdateScope, update: Update) -> None:
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

    async def _after(self, scope: UpdateScope) -> None:
        """Outside the update's transaction: remember a chat that blocked the bot."""
        if scope.blocked_chat is not None and self._on_blocked is not None:
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

    async def prune_old(self) -> None:
        """Forget finished updates older than the retention (a JobQueue job, hourly)."""
        async with self._sessions() as session, session.begin():
            removed = await inbox.prune(session, self._clock.now() - self._retention)
        if removed:
            log.info("Pruned %d finished inbox rows older than %s", removed, self._retention)
