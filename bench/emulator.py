"""The emulator's own costs: webhook delivery rate, and what keeping state on disk adds.

    .venv/bin/python -m bench.emulator [--updates 2000] [--chats 200] [--calls 500]

1. Webhook delivery: ``--updates`` updates from ``--chats`` chats POSTed to 1 and to 3 local
   aiohttp backends that answer 200 at once; prints updates a second until all are confirmed.
2. Persistence: ``--calls`` sendMessage calls to ``--chats`` known chats, in memory and with a
   data directory (the state file rewritten at most every 50 ms); prints the median and p95 of
   one call's round trip.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from aiohttp import web

from bot.emulator import BotApiEmulator


async def _backend() -> tuple[web.AppRunner, str]:
    async def receive(request: web.Request) -> web.Response:
        await request.read()
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/hook"


async def webhook_rate(updates: int, chats: int, backends: int) -> float:
    started = [await _backend() for _ in range(backends)]
    try:
        async with BotApiEmulator() as emu:
            emu.set_webhook_backends([url for _, url in started])
            async with httpx.AsyncClient(base_url=f"{emu.base_url}{emu.token}/") as http:
                await http.post("setWebhook", data={"url": "https://bot.example.com/tg"})
            begin = time.perf_counter()
            for number in range(updates):
                emu.user_sends(f"message {number}", chat_id=1001 + number % chats)
            await emu.wait_for(lambda: emu.pending_updates() == 0, timeout=300)
            return updates / (time.perf_counter() - begin)
    finally:
        for runner, _ in started:
            await runner.cleanup()


async def call_times(calls: int, chats: int, data_dir: Path | None) -> list[float]:
    async with BotApiEmulator(data_dir=data_dir) as emu:
        for chat in range(chats):
            emu.add_chat(1001 + chat)
        times = []
        async with httpx.AsyncClient(base_url=f"{emu.base_url}{emu.token}/") as http:
            for number in range(calls):
                begin = time.perf_counter()
                response = await http.post(
                    "sendMessage", data={"chat_id": 1001 + number % chats, "text": "hi"}
                )
                times.append(time.perf_counter() - begin)
                response.raise_for_status()
        return times


def _summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


async def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.emulator")
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--calls", type=int, default=500)
    args = parser.parse_args()
    for backends in (1, 3):
        rate = await webhook_rate(args.updates, args.chats, backends)
        print(f"webhook delivery, {backends} backend(s): {rate:,.0f} updates/s")
    print(
        f"sendMessage, in memory:        {_summary(await call_times(args.calls, args.chats, None))}"
    )
    with tempfile.TemporaryDirectory() as directory:
        times = await call_times(args.calls, args.chats, Path(directory))
        print(f"sendMessage, with a data dir:  {_summary(times)}")


if __name__ == "__main__":
    asyncio.run(main())
