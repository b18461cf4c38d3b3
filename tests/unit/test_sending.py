"""The send layer on its own: what is retried and how often, what never is, the limits and the
interactive-first priority. The callbacks stand in for PTB's HTTP call (no network here; the
end-to-end tests in tests/e2e/test_resilience.py run it against the emulator)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram.sending import SendLayer


class Flaky:
    """Fails with the given errors, in order, then succeeds; records call times."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls: list[float] = []

    async def __call__(self) -> dict[str, Any]:
        self.calls.append(time.monotonic())
        if self.errors:
            raise self.errors.pop(0)
        return {"message_id": len(self.calls)}


async def send(layer: SendLayer, call: Flaky, chat: int = 1, **limit_args: Any) -> object:
    return await layer.process_request(
        call, (), {}, "sendMessage", {"chat_id": chat, "text": "hi"}, limit_args or None
    )


def quick(**options: Any) -> SendLayer:
    return SendLayer(base_delay=0.001, max_delay=0.002, **options)


async def test_transient_failures_are_retried_until_the_send_goes_through() -> None:
    call = Flaky(NetworkError("Bad Gateway"), TimedOut(), NetworkError("connection reset"))
    layer = quick()
    assert await send(layer, call) == {"message_id": 4}
    assert len(call.calls) == 4
    assert layer.retries == 3


async def test_retries_are_bounded() -> None:
    call = Flaky(*[NetworkError("Bad Gateway")] * 10)
    with pytest.raises(NetworkError):
        await send(quick(max_retries=2), call)
    assert len(call.calls) == 3


@pytest.mark.parametrize("error", [BadRequest("can't parse entities"), Forbidden("blocked")])
async def test_400_and_403_are_never_retried(error: Exception) -> None:
    call = Flaky(error)
    with pytest.raises(type(error)):
        await send(quick(), call)
    assert len(call.calls) == 1


async def test_a_blocked_user_is_reported() -> None:
    blocked: list[int] = []

    async def on_blocked(chat_id: int) -> None:
        blocked.append(chat_id)

    layer = quick(on_blocked=on_blocked)
    with pytest.raises(Forbidden):
        await send(layer, Flaky(Forbidden("Forbidden: bot was blocked by the user")), chat=42)
    await layer.shutdown()
    assert blocked == [42]


async def test_a_429_waits_its_retry_after() -> None:
    call = Flaky(RetryAfter(timedelta(seconds=0.3)))
    await send(quick(), call)
    assert len(call.calls) == 2
    assert call.calls[1] - call.calls[0] >= 0.29


async def test_at_most_the_overall_rate_in_any_second() -> None:
    layer = quick(per_second=5, per_chat=100)
    calls = [Flaky() for _ in range(8)]
    await asyncio.gather(*(send(layer, c, chat=i) for i, c in enumerate(calls)))
    times = sorted(c.calls[0] for c in calls)
    assert times[5] - times[0] >= 0.95  # the sixth waited for the window to move


async def test_a_chat_gets_a_short_burst_then_about_one_a_second() -> None:
    layer = quick(per_second=100, per_chat=4, chat_burst=2)
    calls = [Flaky() for _ in range(4)]
    for call in calls:
        await send(layer, call, chat=7)
    times = [c.calls[0] for c in calls]
    assert times[1] - times[0] < 0.1  # the burst
    assert times[3] - times[1] >= 0.4  # then 1 / per_chat apart


async def test_interactive_sends_go_before_waiting_background_ones() -> None:
    layer = quick(per_second=1, per_chat=100)
    order: list[str] = []

    async def one(name: str, background: bool) -> None:
        call = Flaky()
        args = {"background": True} if background else {}
        await send(layer, call, chat=hash(name) % 1000, **args)
        order.append(name)

    await send(layer, Flaky(), chat=999)  # the window is now full for a second
    background = asyncio.create_task(one("reminder", background=True))
    await asyncio.sleep(0.05)  # the reminder is waiting first...
    interactive = asyncio.create_task(one("answer", background=False))
    await asyncio.gather(background, interactive)
    assert order == ["answer", "reminder"]  # ...but the answer went first


async def test_the_window_counts_a_send_from_its_answer_not_its_departure() -> None:
    # Telegram counts a message somewhere between our request and its answer: a slow answer
    # must push the next second's sends back, or a delayed request lands inside it (a 429).
    layer = quick(per_second=2, per_chat=100)
    starts: list[float] = []
    answers: list[float] = []

    async def slow() -> dict[str, Any]:
        starts.append(time.monotonic())
        await asyncio.sleep(0.3)
        answers.append(time.monotonic())
        return {"message_id": 1}

    async def one(chat: int) -> object:
        return await layer.process_request(
            slow, (), {}, "sendMessage", {"chat_id": chat, "text": "hi"}, None
        )

    await asyncio.gather(*(one(chat) for chat in range(3)))
    starts.sort()
    assert starts[1] - starts[0] < 0.1  # two fit in the window at once, in flight together
    assert starts[2] >= min(answers) + 0.99  # the third waited a second after an answer


async def test_background_sends_are_evenly_spaced_never_a_burst() -> None:
    layer = quick(per_second=20, per_chat=100)
    calls = [Flaky() for _ in range(6)]
    await asyncio.gather(*(send(layer, c, chat=i, background=True) for i, c in enumerate(calls)))
    times = sorted(c.calls[0] for c in calls)
    gaps = [later - earlier for earlier, later in pairwise(times)]
    # The window had room for all six at once; they went 1/20 s apart (two at once after idle).
    assert min(gaps[1:]) >= 0.045
    assert times[-1] - times[0] >= 0.19
