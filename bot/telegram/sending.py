"""Sends that survive Telegram's bad moments: PTB's rate-limiter seam, used as the send layer.

Every Bot API call except getUpdates passes through ``SendLayer.process_request``:

* Limits: at most ``per_second`` messages in any one-second window overall, and about
  ``per_chat`` a second to one chat (a token bucket with a burst of ``chat_burst``, so a long
  answer in three parts is not held back). Interactive requests go first: a background send
  (``rate_limit_args={"background": True}``, e.g. reminders) waits while any interactive one
  is waiting for the overall limit. One limiter, two priorities, the only pacing authority.
* The overall window counts a request from the moment its answer came back, not from when it
  left: Telegram counts it at some instant between the two, which we cannot see. Counting from
  departure, a request delayed on its way (network jitter, a busy event loop) lands less than a
  second before the 31st and earns a 429; counting from the answer, the 31st leaves at least a
  second after the 1st was counted, whatever the delays. A request still in flight holds its
  place. Cost: the rate is ``per_second / (1 s + latency)``, about 29.5/s at 15 ms.
* Background sends are also spaced ``1 / per_second`` apart (at most two back to back after a
  stall or a batch boundary, never a burst), so the window frees evenly and an interactive
  reply never waits behind a burst of reminders.
* A transient failure (5xx, a timeout, a dropped connection: PTB's NetworkError) is retried
  with exponential backoff and full jitter, at most ``max_retries`` times. Telegram has no
  idempotency key, so when the connection dropped after Telegram accepted a message, the retry
  sends it twice: a duplicate is preferred to a lost answer.
* A 429 waits its retry_after (pausing that chat, or everything for chat-less calls) and tries
  again, up to ``max_floods`` times.
* Several instances on one PostgreSQL also draw each limited call from one shared budget
  (``shared``: bot/telegram/send_budget.py), which keeps their sum under Telegram's limits
  (overall, and each chat's turns) and puts replies before another instance's fan-out.
* 400 and 403 are never retried. A 403 to a private chat ("bot was blocked by the user") is
  reported to ``on_blocked`` (after the update's transaction, see bot/telegram/inbox/processor.py).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import BaseRateLimiter

from bot.db.send_budget import Turn
from bot.telegram.inbox.scope import current_scope
from bot.telegram.send_budget import SharedSendBudget

log = logging.getLogger(__name__)

RateLimitArgs = dict[str, Any]
OnBlocked = Callable[[int], Coroutine[Any, Any, None]]

# Calls that put something in front of a user: counted as delivered, limited per chat if send*.
_VISIBLE_PREFIXES = ("send", "edit", "copy", "forward")
_NOT_LIMITED = frozenset({"getMe", "deleteWebhook", "getWebhookInfo", "answerCallbackQuery"})
# The start-up check: an unreachable or refused Bot API should stop the process at once with
# one clear line (bot/cli/main.py), not after a round of retries.
_ONCE = frozenset({"getMe"})


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]


class _ChatBucket:
    __slots__ = ("paused_until", "tokens", "updated")

    def __init__(self, burst: float, now: float) -> None:
        self.tokens = burst
        self.updated = now
        self.paused_until = 0.0


class SendLayer(BaseRateLimiter[RateLimitArgs]):
    def __init__(
        self,
        *,
        per_second: float = 30.0,
        per_chat: float = 1.0,
        chat_burst: float = 3.0,
        max_retries: int = 5,
        max_floods: int = 5,
        base_delay: float = 0.2,
        max_delay: float = 8.0,
        on_blocked: OnBlocked | None = None,
    ) -> None:
        self._capacity = max(1, round(per_second)) if per_second >= 1 else 1
        self._window = 1.0 if per_second >= 1 else 1.0 / per_second
        self._per_chat = per_chat
        self._chat_burst = max(1.0, chat_burst)
        self.max_retries = max_retries
        self._max_floods = max_floods
        self._base_delay = base_delay
        self._max_delay = max_delay
        self.on_blocked = on_blocked
        self.shared: SharedSendBudget | None = None  # set for a shared database
        self._sent: deque[float] = deque()  # when answered; sorted (appended as they come)
        self._in_flight = 0  # admitted, not answered yet: counted in the window
        self._spacing = self._window / self._capacity
        self._next_background = 0.0
        self._paused_until = 0.0
        self._interactive_waiting = 0
        self._chats: dict[int | str, _ChatBucket] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # What happened, for the log, tests and benches.
        self.retries = 0
        self.floods = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        if self.shared is not None:
            await self.shared.close()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateLimitArgs | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint in _ONCE:
            return await callback(*args, **kwargs)
        background = bool(rate_limit_args and rate_limit_args.get("background"))
        raw_chat = data.get("chat_id")
        chat: int | str | None = raw_chat if isinstance(raw_chat, int | str) else None
        limited = endpoint not in _NOT_LIMITED
        per_chat = chat is not None and endpoint.startswith("send") and endpoint != "sendChatAction"
        failures = floods = 0
        while True:
            # With a shared budget it is the overall limit (a local window too would let
            # background sends queued for shared slots hold this process's replies back).
            local = limited and self.shared is None
            if local:
                await self._throttle(chat if per_chat else None, background)
            elif limited and per_chat and chat is not None:
                await self._take_chat_token(chat)  # this process's share, for chat_ready
            slot = None
            if limited and self.shared is not None:
                turn = None
                if per_chat and isinstance(chat, int):  # the chat's turns, shared too
                    turn = Turn(chat, 1 / self._per_chat, self._chat_burst)
                slot = await self.shared.acquire(background, turn)
            try:
                result = await self._attempt(local, callback, args, kwargs, slot)
            except RetryAfter as exc:
                floods += 1
                self.floods += 1
                if floods > self._max_floods:
                    raise
                delay = _seconds(exc.retry_after)
                self._pause(chat, delay)
                log.warning("%s: flood control, waiting %.1f s (Telegram said so)", endpoint, delay)
                await asyncio.sleep(delay)
                continue
            except (BadRequest, Forbidden, InvalidToken, Conflict, ChatMigrated) as exc:
                if isinstance(exc, Forbidden) and isinstance(chat, int) and chat > 0:
                    self._blocked(chat)
                raise
            except NetworkError as exc:  # 5xx, TimedOut, a dropped connection
                if failures >= self.max_retries:
                    log.error("%s failed %d times, giving up: %s", endpoint, failures + 1, exc)
                    raise
                failures += 1
                self.retries += 1
                delay = self._backoff(failures)
                log.warning(
                    "%s failed (%s); retry %d of %d in %.2f s",
                    endpoint,
                    exc,
                    failures,
                    self.max_retries,
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            if endpoint.startswith(_VISIBLE_PREFIXES):
                scope = current_scope()
                if scope is not None:
                    scope.delivered += 1
            return result

    async def _attempt(
        self,
        limited: bool,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        slot: int | None = None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        held = None if slot is None or self.shared is None else self.shared.keep_held(slot)
        try:
            return await callback(*args, **kwargs)
        finally:
            if limited:  # the window counts it from now (its answer, or its failure)
                self._in_flight -= 1
                self._sent.append(time.monotonic())
            if slot is not None and self.shared is not None:
                self.shared.release_soon(slot, held)

    def _backoff(self, failures: int) -> float:
        ceiling = min(self._base_delay * 2.0 ** (failures - 1), self._max_delay)
        return random.uniform(ceiling / 2, ceiling)  # jitter: retries of many sends spread out

    def _pause(self, chat: int | str | None, seconds: float) -> None:
        until = time.monotonic() + seconds
        if chat is None:
            self._paused_until = max(self._paused_until, until)
        else:
            bucket = self._bucket(chat, time.monotonic())
            bucket.paused_until = max(bucket.paused_until, until)

    def _bucket(self, chat: int | str, now: float) -> _ChatBucket:
        bucket = self._chats.get(chat)
        if bucket is None:
            if len(self._chats) > 10_000:  # forget chats that are idle (full bucket, no pause)
                self._chats = {
                    key: b
                    for key, b in self._chats.items()
                    if b.paused_until > now
                    or b.tokens + (now - b.updated) * self._per_chat < self._chat_burst
                }
            bucket = self._chats[chat] = _ChatBucket(self._chat_burst, now)
        return bucket

    async def _throttle(self, chat: int | str | None, background: bool) -> None:
        if chat is not None:
            await self._take_chat_token(chat)
        if not background:
            self._interactive_waiting += 1
        try:
            while True:
                now = time.monotonic()
                wait = self._paused_until - now
                if wait <= 0:
                    horizon = now - self._window
                    while self._sent and self._sent[0] <= horizon:
                        self._sent.popleft()
                    full = len(self._sent) + self._in_flight >= self._capacity
                    # A background send's theoretical time (GCRA), one spacing of slack: no
                    # drift when on time, at most two back to back after a stall or idle.
                    early = background and now < self._next_background - self._spacing
                    if not full and not early and (not background or not self._interactive_waiting):
                        self._in_flight += 1  # released by _attempt, with no await between
                        if background:
                            self._next_background = max(self._next_background, now) + self._spacing
                        return
                    if full:
                        wait = self._sent[0] + self._window - now if self._sent else 0.005
                    else:
                        wait = self._next_background - self._spacing - now if early else 0.005
                await asyncio.sleep(max(wait, 0.001))
        finally:
            if not background:
                self._interactive_waiting -= 1

    async def _take_chat_token(self, chat: int | str) -> None:
        while True:
            now = time.monotonic()
            bucket = self._bucket(chat, now)
            if bucket.paused_until > now:
                await asyncio.sleep(bucket.paused_until - now)
                continue
            bucket.tokens = min(
                self._chat_burst, bucket.tokens + (now - bucket.updated) * self._per_chat
            )
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return
            await asyncio.sleep((1 - bucket.tokens) / self._per_chat)

    async def chat_ready(self, chat: int) -> None:
        """Wait until a send to ``chat`` would not wait for the chat's allowance (a token, no
        flood pause), without taking it. The inbox waits here before it takes a handling slot,
        so a flooding chat's wait never holds a slot another user's update needs."""
        while True:
            now = time.monotonic()
            bucket = self._chats.get(chat)
            if bucket is None:
                return
            if bucket.paused_until > now:
                await asyncio.sleep(bucket.paused_until - now)
                continue
            tokens = bucket.tokens + (now - bucket.updated) * self._per_chat
            if tokens >= 1:
                return
            await asyncio.sleep((1 - tokens) / self._per_chat)

    def _blocked(self, chat_id: int) -> None:
        log.info("Chat %s blocked the bot (403)", chat_id)
        scope = current_scope()
        if scope is not None:
            scope.blocked = True
            scope.blocked_chat = chat_id  # recorded after the update's transaction
        elif self.on_blocked is not None:
            task = asyncio.create_task(self.on_blocked(chat_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
