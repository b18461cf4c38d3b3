"""Conversation memory lives in the database: a follow-up after a restart still knows what the
chat was talking about. Real Application, real HTTP, real SQLite, two bot lifetimes."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.content import ContentStore
from bot.db.engine import create_engine, session_factory
from bot.db.models import Conversation
from bot.emulator import BotApiEmulator
from bot.telegram.app import build_application, start_polling, stop_polling
from tests.e2e.chat import CHAT


async def _lifetime(
    emulator: BotApiEmulator, store: ContentStore, database_url: str, text: str
) -> tuple[str, str | None]:
    """Start the bot, send ``text``, return the answer and the stored memory, stop the bot."""
    app = build_application(
        token=emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        store=store,
        database_url=database_url,
        poll_timeout=1,
    )
    await start_polling(app)
    try:
        before = len(emulator.messages(chat_id=CHAT))
        emulator.user_sends(text, chat_id=CHAT)
        [reply] = (await emulator.wait_for_messages(before + 1, chat_id=CHAT))[before:]
    finally:
        await stop_polling(app)  # the update's transaction has committed once this returns
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            memory = await session.scalar(
                select(Conversation.last_exercise).where(Conversation.chat_id == CHAT)
            )
    finally:
        await engine.dispose()
    return reply.text or "", memory


async def test_a_follow_up_after_a_restart_stays_on_the_exercise(
    emulator: BotApiEmulator, store: ContentStore, database_url: str
) -> None:
    first, memory = await _lifetime(emulator, store, database_url, "how do I do a glute bridge")
    assert first.startswith("Glute bridge: how to do it")
    assert memory == "glute-bridge"

    follow_up, memory = await _lifetime(emulator, store, database_url, "and the mistakes?")
    assert follow_up.startswith("Glute bridge: common mistakes"), follow_up
    assert memory == "glute-bridge"


async def test_naming_a_lift_we_lack_forgets_the_last_exercise(
    emulator: BotApiEmulator, store: ContentStore, database_url: str
) -> None:
    _, memory = await _lifetime(emulator, store, database_url, "what do squats work")
    assert memory == "squat"
    _, memory = await _lifetime(emulator, store, database_url, "skater squats?")
    assert memory is None
