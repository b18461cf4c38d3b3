"""Timed sets in the log and a runner's own exercises, on SQLite and PostgreSQL (real servers)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.reports import Report, ReportEntry
from bot.core.stats import Best
from bot.db import own_exercises, workout_log
from bot.db.engine import migrate, session_factory
from bot.db.models import User

NOW = datetime(2027, 3, 11, 18, 30, tzinfo=UTC)
DAY = date(2027, 3, 11)
TIMED = Report(
    None,
    (
        ReportEntry("wall-sit", (), seconds=(45, 60, 45)),
        ReportEntry("squat", (10, 10)),
        ReportEntry("custom:zercher good mornings", (8, 8), 40.0),
    ),
)


async def _ready(engine: AsyncEngine, *user_ids: int) -> async_sessionmaker[AsyncSession]:
    await migrate(engine)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        for uid in user_ids:
            session.add(User(id=uid, chat_id=uid, first_name=f"R{uid}", created_at=NOW,
                             last_seen_at=NOW))  # fmt: skip
    return sessions


async def test_timed_sets_store_seconds_and_read_back_for_history_stats_and_bests(
    engine: AsyncEngine,
) -> None:
    sessions = await _ready(engine, 7)
    async with sessions() as session, session.begin():
        await workout_log.record(
            session, user_id=7, chat_id=7, message_id=1, local_date=DAY, report=TIMED, now=NOW
        )
    async with sessions() as session:
        log = await workout_log.find_by_message(session, 7, 1)
        assert log is not None
        assert workout_log.entries_of(log) == TIMED.entries
        assert [(s.exercise, s.reps, s.seconds) for s in log.sets][:3] == [("wall-sit", 0, 45),
            ("wall-sit", 0, 60), ("wall-sit", 0, 45)]  # fmt: skip
        rows = await workout_log.sets_of_user(session, 7)
        assert [r.seconds for r in rows] == [45, 60, 45, None, None, None, None]
        found = await workout_log.bests(
            session, 7, ["wall-sit", "squat", "custom:zercher good mornings"]
        )
        assert found == {
            "wall-sit": Best(None, None, 60),  # a hold is not a bodyweight set of 0 reps
            "squat": Best(None, 10, None),
            "custom:zercher good mornings": Best(40.0, None, None),
        }


async def test_own_exercises_are_per_runner_and_match_other_spellings(engine: AsyncEngine) -> None:
    sessions = await _ready(engine, 7, 8)
    async with sessions() as session, session.begin():
        await own_exercises.add(session, 7, ["Zercher  Good Mornings", "ski erg"], NOW)
        await own_exercises.add(session, 7, ["zercher good morning"], NOW)  # the same one
        await own_exercises.add(session, 8, ["sled push"], NOW)
        await own_exercises.add(session, 8, ["x" * 51], NOW)  # too long to keep
    async with sessions() as session:
        assert await own_exercises.by_key(session, 7) == {
            "zercher-good-morning": "zercher good mornings",
            "ski-erg": "ski erg",
        }
        assert await own_exercises.by_key(session, 8) == {"sled-push": "sled push"}


async def test_rename_moves_the_logged_sets_and_forget_keeps_them(engine: AsyncEngine) -> None:
    sessions = await _ready(engine, 7, 8)
    async with sessions() as session, session.begin():
        await own_exercises.add(session, 7, ["zercher good mornings", "ski erg"], NOW)
        await own_exercises.add(session, 8, ["zercher good mornings"], NOW)
        for user in (7, 8):
            await workout_log.record(
                session, user_id=user, chat_id=user, message_id=1, local_date=DAY, report=TIMED,
                now=NOW,
            )  # fmt: skip
    async with sessions() as session, session.begin():
        listed = await own_exercises.listed(session, 7)
        assert [(x.name, x.sets) for x in listed] == [("ski erg", 0), ("zercher good mornings", 2)]
        zercher, ski = listed[1].id, listed[0].id
        assert (await own_exercises.rename(session, 7, zercher, "ski ergs"))[0] == "taken"
        assert (await own_exercises.rename(session, 8, zercher, "other"))[0] == "missing"
        assert (await own_exercises.rename(session, 7, zercher, "z" * 51))[0] == "too long"
        outcome, renamed = await own_exercises.rename(session, 7, zercher, "Zercher GMs")
        assert outcome == "renamed"
        assert renamed is not None
        assert renamed.name == "zercher gms"
    async with sessions() as session, session.begin():
        assert [(x.name, x.sets) for x in await own_exercises.listed(session, 7)] == [
            ("ski erg", 0), ("zercher gms", 2),
        ]  # fmt: skip
        theirs = await workout_log.sets_of_user(session, 8)  # the other runner's are untouched
        assert "custom:zercher good mornings" in {s.exercise for s in theirs}
        assert await own_exercises.forget(session, 8, ski) is None  # not theirs
        forgotten = await own_exercises.forget(session, 7, ski)
        assert forgotten is not None
        assert forgotten.name == "ski erg"
    async with sessions() as session:
        assert [x.name for x in await own_exercises.listed(session, 7)] == ["zercher gms"]
        mine = await workout_log.sets_of_user(session, 7)
        assert "custom:zercher gms" in {s.exercise for s in mine}


async def test_an_ask_is_kept_once_per_message_and_follows_an_edit(engine: AsyncEngine) -> None:
    sessions = await _ready(engine, 7)
    async with sessions() as session, session.begin():
        first = await own_exercises.ask(
            session, user_id=7, chat_id=7, message_id=5, reply_to=None,
            text="3x10 zercher good mornings", names=["zercher good mornings"], now=NOW,
        )  # fmt: skip
        again = await own_exercises.ask(
            session, user_id=7, chat_id=7, message_id=5, reply_to=None, text="other",
            names=["other"], now=NOW,
        )  # fmt: skip
        assert first is not None
        assert again is None
    async with sessions() as session, session.begin():
        found = await own_exercises.find_ask(session, message=(7, 5))
        assert found is not None
        assert found.id == first
        assert found.text == "3x10 zercher good mornings"
        await own_exercises.reask(session, found, "3x12 sled push", ["sled push"])
    async with sessions() as session, session.begin():
        found = await own_exercises.find_ask(session, ask_id=first)
        assert found is not None
        assert (found.text, found.names) == ("3x12 sled push", "sled push")
        await own_exercises.drop_ask(session, found)
    async with sessions() as session:
        count = select(func.count()).select_from(own_exercises.OwnExerciseAsk)
        assert await session.scalar(count) == 0


async def test_deleting_a_runner_erases_their_own_exercises_and_asks(engine: AsyncEngine) -> None:
    sessions = await _ready(engine, 7)
    async with sessions() as session, session.begin():
        await own_exercises.add(session, 7, ["sled push"], NOW)
        await own_exercises.ask(
            session, user_id=7, chat_id=7, message_id=5, reply_to=None, text="3x10 ski erg",
            names=["ski erg"], now=NOW,
        )  # fmt: skip
    async with sessions() as session, session.begin():
        deleted = await workout_log.delete_user_data(session, 7)
        assert deleted["own_exercises"] == 1
        assert deleted["own_exercise_asks"] == 1
