"""The inbox end to end: the real Application over real HTTP and a real SQLite file.

An update_id delivered twice is handled once; a handler that keeps raising is given up on after
the configured number of tries while the chat's next question is answered; updates stored by a
previous run but not handled are handled on start-up, in order.
"""

from __future__ import annotations

import asyncio
import io

from sqlalchemy import select
from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.core.clock import SYSTEM_CLOCK
from bot.core.content import ContentStore
from bot.db import inbox
from bot.db.engine import create_engine, migrate, session_factory
from bot.db.models import Conversation, InboxUpdate, User
from bot.emulator import BotApiEmulator
from bot.telegram.app import (
    LegworkApp,
    build_application,
    services_of,
    start_polling,
    stop_polling,
)
from bot.telegram.handlers.context import Context
from bot.telegram.handlers.errors import SORRY
from tests.e2e.chat import CHAT


async def _states(app: LegworkApp) -> dict[str, int]:
    async with services_of(app).sessions() as session:
        return await inbox.counts(session)


async def test_the_same_update_id_twice_is_handled_once(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    emulator.user_sends("how do I do a glute bridge", chat_id=CHAT)
    await emulator.wait_for_messages(1, chat_id=CHAT)
    emulator.redeliver_last_update()  # same update_id, handed out again
    emulator.user_sends("what do lunges work", chat_id=CHAT)
    await emulator.wait_for_messages(2, chat_id=CHAT)
    await emulator.wait_until_idle()
    texts = [m.text.split("\n")[0] for m in emulator.messages(CHAT)]
    assert texts == ["Glute bridge: how to do it", "Lunge: muscles worked"]
    assert await _states(app) == {"handled": 2}


async def test_a_raising_handler_is_given_up_on_and_the_rest_keeps_flowing(
    emulator: BotApiEmulator, app: LegworkApp, log_output: io.StringIO
) -> None:
    calls: list[int] = []

    async def explode(update: Update, context: Context) -> None:
        calls.append(update.update_id)
        raise RuntimeError("handler bug")

    app.add_handler(MessageHandler(filters.Regex("^boom$"), explode), group=-5)
    emulator.user_sends("boom", chat_id=CHAT)
    emulator.user_sends("what do lunges work", chat_id=CHAT)
    emulator.user_sends("boom", chat_id=CHAT + 1)
    replies = await emulator.wait_for_messages(2, chat_id=CHAT, timeout=10)
    await emulator.wait_for_messages(1, chat_id=CHAT + 1, timeout=10)
    await emulator.wait_until_idle()
    # One apology, after the last try, then the next question in the same chat is answered.
    assert replies[0].text == SORRY
    assert replies[1].text.startswith("Lunge: muscles worked")
    assert len(emulator.messages(CHAT)) == 2
    assert len(calls) == 6  # three tries for each "boom"
    assert await _states(app) == {"failed": 2, "handled": 1}
    async with services_of(app).sessions() as session:
        failed = (
            await session.scalars(select(InboxUpdate).where(InboxUpdate.state == "failed"))
        ).all()
    assert {row.attempts for row in failed} == {3}
    assert all("handler bug" in (row.last_error or "") for row in failed)
    assert "giving up on it" in log_output.getvalue()


async def test_updates_stored_but_not_handled_are_handled_first_on_start(
    emulator: BotApiEmulator, store: ContentStore, database_url: str
) -> None:
    # A previous run stored three updates (confirming them to Telegram) and died.
    emulator.add_chat(CHAT, first_name="Ada")
    engine = create_engine(database_url)
    await migrate(engine)
    questions = ["how do I do a glute bridge", "what do lunges work", "common deadlift mistakes"]
    raws = [
        {
            "update_id": 10 + i,
            "message": {
                "message_id": 50 + i,
                "date": 0,
                "chat": {"id": CHAT, "type": "private", "first_name": "Ada"},
                "from": {"id": CHAT, "is_bot": False, "first_name": "Ada"},
                "text": question,
            },
        }
        for i, question in enumerate(questions)
    ]
    async with session_factory(engine).begin() as session:
        await inbox.store_batch(session, raws, SYSTEM_CLOCK.now())
    await engine.dispose()

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
        emulator.user_sends("how often should I do calf raises", chat_id=CHAT)
        replies = await emulator.wait_for_messages(4, chat_id=CHAT, timeout=10)
        await emulator.wait_until_idle()
        assert [r.text.split("\n")[0] for r in replies] == [
            "Glute bridge: how to do it",
            "Lunge: muscles worked",
            "Deadlift: common mistakes",
            replies[3].text.split("\n")[0],
        ]
        assert replies[3].text.startswith("Calf raise")
        assert await _states(app) == {"handled": 4}
    finally:
        await stop_polling(app)


async def test_a_user_who_blocked_the_bot_is_recorded_and_nothing_is_retried(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    emulator.user_sends("how do I do a glute bridge", chat_id=CHAT)
    emulator.user_blocks_bot(CHAT)  # before the bot answers: the reply meets a 403
    sessions = services_of(app).sessions

    async def blocked_at() -> object:
        async with sessions() as session:
            user = await session.get(User, CHAT)
            return None if user is None else user.blocked_at

    await emulator.wait_for(lambda: len(emulator.rejected) == 1)
    assert emulator.rejected[0].status == 403
    emulator.rejected.clear()  # the refusal was the point of the test
    for _ in range(100):
        if await blocked_at() is not None:
            break
        await asyncio.sleep(0.02)
    assert await blocked_at() is not None
    assert await _states(app) == {"handled": 1}  # kept, not retried, no apology
    # Writing again unblocks: the user row is refreshed and the answer arrives.
    emulator.user_sends("what do lunges work", chat_id=CHAT)
    [reply] = await emulator.wait_for_messages(1, chat_id=CHAT)
    assert reply.text.startswith("Lunge: muscles worked")
    await emulator.wait_until_idle()
    assert await blocked_at() is None


async def test_a_run_of_polling_failures_is_retried_and_logged_once(
    emulator: BotApiEmulator, app: LegworkApp, log_output: io.StringIO
) -> None:
    await emulator.wait_for(lambda: emulator.waiting_polls > 0)
    emulator.fail_next("getUpdates", status=502, times=3)
    emulator.fail_next("getUpdates", drop_connection=True)
    emulator.user_sends("how do I do a glute bridge", chat_id=CHAT)  # ends the parked poll
    await emulator.wait_for(lambda: len(emulator.injected_failures) == 4, timeout=20)
    emulator.user_sends("what do lunges work", chat_id=CHAT)  # fetched once polling works
    [_, reply] = await emulator.wait_for_messages(2, chat_id=CHAT, timeout=20)
    assert reply.text.startswith("Lunge: muscles worked")
    logs = log_output.getvalue()
    assert logs.count("Fetching updates failed, retrying with backoff") == 1
    assert "Fetching updates works again after 4 failed tries" in logs


async def test_a_question_moves_the_conversation_memory_in_its_unit_of_work(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    """A question about another exercise moves the chat's memory (committed with the update's
    handled mark), so a follow-up that names nothing stays on it."""
    emulator.user_sends("how do I do a glute bridge", chat_id=CHAT)
    await emulator.wait_for_messages(1, chat_id=CHAT)
    emulator.user_sends("what do lunges work?", chat_id=CHAT)
    await emulator.wait_for_messages(2, chat_id=CHAT)
    emulator.user_sends("and the common mistakes?", chat_id=CHAT)
    replies = await emulator.wait_for_messages(3, chat_id=CHAT)
    await emulator.wait_until_idle()
    assert replies[2].text.startswith("Lunge: common mistakes")  # the memory had moved on
    assert await _states(app) == {"handled": 3}
    async with services_of(app).sessions() as session:
        remembered = await session.scalar(
            select(Conversation.last_exercise).where(Conversation.chat_id == CHAT)
        )
    assert remembered == "lunge"


async def test_a_restarted_update_numbering_is_new_updates_not_redeliveries(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    """Telegram numbers updates anew after a week without any (the emulator after a restart):
    an id that comes back as another update is a new update, answered like any, while the same
    update delivered again is still handled once."""
    for question in ("how do I do a glute bridge", "what do lunges work", "calf raise how to"):
        emulator.user_sends(question, chat_id=CHAT)
    await emulator.wait_for_messages(3, chat_id=CHAT)
    await emulator.wait_until_idle()
    await emulator.wait_for(lambda: emulator.pending_updates() == 0)
    emulator.restart_update_numbering(first=1)  # ids 1-3 again, after 1-3 were handled
    emulator.user_sends("common deadlift mistakes", chat_id=CHAT)
    emulator.user_sends("what muscles do squats work", chat_id=CHAT)
    replies = await emulator.wait_for_messages(5, chat_id=CHAT, timeout=10)
    await emulator.wait_until_idle()
    assert replies[3].text.startswith("Deadlift: common mistakes")
    assert replies[4].text.startswith("Squat: muscles worked")
    emulator.redeliver_last_update()  # the same id of the new numbering: a redelivery
    emulator.user_sends("how often should I do calf raises", chat_id=CHAT)
    replies = await emulator.wait_for_messages(6, chat_id=CHAT, timeout=10)
    await emulator.wait_until_idle()
    assert len(emulator.messages(CHAT)) == 6
    assert await _states(app) == {"handled": 6}
    async with services_of(app).sessions() as session:
        texts = (await session.scalars(select(InboxUpdate.raw))).all()
    assert all(raw == {} for raw in texts)  # a handled update's text is not kept
