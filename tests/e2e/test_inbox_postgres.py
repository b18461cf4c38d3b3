"""Two bot processes sharing one PostgreSQL inbox (as webhook instances will): each update is
handled by exactly one of them, in order per chat. Real HTTP, real PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from bot.core.content import ContentStore
from bot.db import inbox
from bot.db.engine import create_engine, migrate
from bot.emulator import BotApiEmulator
from bot.telegram.app import build_application, inbox_of, services_of

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_processors_on_one_postgres_inbox_handle_each_update_once(
    emulator: BotApiEmulator, store: ContentStore, database_url: str
) -> None:
    questions = ["how do I do a glute bridge", "what do lunges work", "common deadlift mistakes"]
    chats = [7000 + i for i in range(20)]
    for question in questions:
        for chat in chats:
            emulator.user_sends(question, chat_id=chat)
    # What Telegram hands out; the processors' fetchers stay off (one poller per token).
    async with httpx.AsyncClient() as client:
        url = f"{emulator.base_url}{emulator.token}/getUpdates"
        raws: list[dict[str, Any]] = (await client.post(url)).json()["result"]
        await client.post(url, data={"offset": raws[-1]["update_id"] + 1})  # confirmed
    assert len(raws) == len(chats) * len(questions)

    apps = [
        build_application(
            token=emulator.token,
            base_url=emulator.base_url,
            base_file_url=emulator.base_file_url,
            store=store,
            database_url=database_url,
        )
        for _ in range(2)
    ]
    for app in apps:
        await app.initialize()
        await migrate(services_of(app).engine)
    async with services_of(apps[0]).sessions.begin() as session:
        rows = await inbox.store_batch(session, raws, services_of(apps[0]).clock.now())
    processors = [inbox_of(app).processor for app in apps]
    try:
        for processor in processors:
            await processor.start()
            processor.notify(rows)  # both are told about every update
        await emulator.wait_for_messages(len(raws), timeout=60)
        await emulator.wait_until_idle(timeout=10)
    finally:
        for processor in processors:
            await processor.stop()
        for app in apps:
            await app.shutdown()
            await services_of(app).engine.dispose()

    titles = ["Glute bridge: how to do it", "Lunge: muscles worked", "Deadlift: common mistakes"]
    for chat in chats:
        assert _titles(emulator, chat) == titles  # each once, in order
    assert sum(p.handled for p in processors) == len(raws)
    engine = create_engine(database_url)
    async with engine.connect() as conn:
        handled = await conn.execute(text("SELECT count(*) FROM inbox WHERE state = 'handled'"))
        assert handled.scalar_one() == len(raws)
    await engine.dispose()


def _titles(emulator: BotApiEmulator, chat: int) -> list[str]:
    return [m.text.split("\n")[0] for m in emulator.messages(chat)]
