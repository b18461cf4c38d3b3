"""The logging service (the handlers' path without Telegram) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.clock import FixedClock
from bot.core.content import ContentStore
from bot.core.plans import Session
from bot.core.reports import ReportEntry, ReportParser
from bot.core.stats import PersonalBest, sessions_done
from bot.db import pauses, planned_sessions, schedules, workout_log
from bot.db.engine import create_engine, migrate, session_factory
from bot.db.models import User
from bot.db.planned_sessions import PlannedSession
from bot.db.training_models import PauseWindow
from bot.services.logbook import Logbook, Logged, prescription_entries
from bot.services.training import Training

THU = datetime(2027, 3, 11, 18, 30, tzinfo=UTC)  # a Thursday
USER = 7


async def _setup(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    await migrate(engine)
    sessions = session_factory(engine)
    async with sessions.begin() as session:
        session.add(User(id=USER, chat_id=USER, first_name="Ada", created_at=THU,
                         last_seen_at=THU))  # fmt: skip
    return sessions


def _book(store: ContentStore, clock: FixedClock) -> Logbook:
    return Logbook(store, ReportParser(store, every_lift=True), Training.from_store(store), clock)


async def _planned(session: AsyncSession, training: Training, day: date) -> PlannedSession:
    row = await schedules.get_or_create(session, USER, USER, THU)
    row.zone = "UTC"
    planned = await training.planned_for(session, row, day)
    if planned is None:  # a rest day in the default layout: plan the next session on `day`
        prescription = training.next_session(row, day).as_json()
        planned = await planned_sessions.get_or_create(
            session, USER, day, prescription, datetime.combine(day, datetime.min.time(), UTC)
            + timedelta(days=1),
        )  # fmt: skip
    planned_sessions.record_reminder(planned, USER, 500, THU, THU)
    return planned


async def test_extra_session_is_logged_once(engine: AsyncEngine, store: ContentStore) -> None:
    sessions = await _setup(engine)
    book = _book(store, FixedClock(THU))
    text = "4x10 lunges @ 20kg, calf raises 15,15,12"
    async with sessions.begin() as session:
        first = await book.log_text(session, user_id=USER, chat_id=USER, message_id=10, text=text)
    assert first.kind == "logged"
    assert first.local_date == date(2027, 3, 11)
    assert not first.planned
    assert first.entries == (
        ReportEntry("lunge", (10, 10, 10, 10), 20.0),
        ReportEntry("calf-raise", (15, 15, 12)),
    )
    async with sessions.begin() as session:
        again = await book.log_text(session, user_id=USER, chat_id=USER, message_id=10, text=text)
    assert again.kind == "duplicate"
    assert again.log_id == first.log_id
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(workout_log.WorkoutLog))
        assert count == 1


async def test_reply_to_a_reminder_logs_that_session_and_feeds_the_plan(
    engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = await _setup(engine)
    training = Training.from_store(store)
    book = Logbook(store, ReportParser(store, every_lift=True), training, FixedClock(THU))
    async with sessions.begin() as session:
        planned = await _planned(session, training, date(2027, 3, 10))  # yesterday's reminder
        planned_id = planned.id
        prescribed = prescription_entries(planned, store)
        assert prescribed
    async with sessions.begin() as session:
        done = await book.log_text(
            session, user_id=USER, chat_id=USER, message_id=11, text="done ✅", reply_to=500
        )
    assert done.kind == "logged"
    assert done.planned
    assert done.local_date == date(2027, 3, 10)  # the reminder's day, not today
    assert done.entries == prescribed  # "done" logs the prescription
    async with sessions() as session:
        row = await session.get(PlannedSession, planned_id)
        assert row is not None
        assert row.status == "done"
        assert row.completed_at == THU
    async with sessions.begin() as session:
        undone = await book.undo(session, USER)
    assert undone is not None
    assert undone.log_id == done.log_id
    async with sessions() as session:
        row = await session.get(PlannedSession, planned_id)
        assert row is not None
        assert row.status == "sent"  # open again
        assert await workout_log.last_log(session, USER) is None


async def test_todays_planned_session_and_a_partial_report(
    engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = await _setup(engine)
    training = Training.from_store(store)
    book = Logbook(store, ReportParser(store, every_lift=True), training, FixedClock(THU))
    async with sessions.begin() as session:
        planned = await _planned(session, training, THU.date())
        planned_id = planned.id
        move = Session.from_json(planned.prescription).exercises[0].move
    async with sessions.begin() as session:
        logged = await book.log_text(
            session, user_id=USER, chat_id=USER, message_id=12, text=f"{move} 1x1"
        )
    assert logged.planned
    assert logged.progress is not None
    assert (len(logged.progress.logged), logged.progress.closed) == (1, False)
    async with sessions() as session:
        row = await session.get(PlannedSession, planned_id)
        assert row is not None
        assert row.status in ("planned", "sent")  # one exercise of several: still open
        log = await workout_log.find_by_message(session, USER, 12)
        assert log is not None
        assert log.planned_session_id == planned_id
    async with sessions.begin() as session:
        closed = await book.log_text(
            session, user_id=USER, chat_id=USER, message_id=13, text="done"
        )
    assert closed.kind == "closed"
    assert closed.entries == (ReportEntry(move, (1,)),)  # what was done, not the prescription
    async with sessions() as session:
        row = await session.get(PlannedSession, planned_id)
        assert row is not None
        assert row.status == "done"  # the runner said done: closed with what was really done


async def test_edit_follows_and_bests_are_noted(engine: AsyncEngine, store: ContentStore) -> None:
    sessions = await _setup(engine)
    clock = FixedClock(THU)
    book = _book(store, clock)
    async with sessions.begin() as session:
        await book.log_text(
            session, user_id=USER, chat_id=USER, message_id=1, text="squat 3x5 @ 40kg"
        )
    clock.advance(timedelta(days=2))
    async with sessions.begin() as session:
        heavier = await book.log_text(
            session, user_id=USER, chat_id=USER, message_id=2, text="squat 3x5 @ 45kg"
        )
    assert [(b.exercise, b.value, b.previous) for b in heavier.bests] == [("squat", 45.0, 40.0)]
    async with sessions.begin() as session:
        edited = await book.edit_text(
            session,
            user_id=USER,
            chat_id=USER,
            message_id=2,
            text="squat 3x5 @ 42.5kg, calves 3x20",
        )
    assert edited.kind == "updated"
    assert edited.entries == (
        ReportEntry("squat", (5, 5, 5), 42.5),
        ReportEntry("calf-raise", (20, 20, 20)),
    )
    assert [b.value for b in edited.bests] == [42.5]  # against the other logs only
    async with sessions.begin() as session:
        removed = await book.edit_text(
            session, user_id=USER, chat_id=USER, message_id=2, text="how do I squat?"
        )
    assert removed.kind == "removed"
    async with sessions() as session:
        stats = await book.stats(session, USER)
    assert stats.sessions == 1
    assert stats.exercises["squat"].best_weight_kg == 40.0


async def test_nothing_to_log(engine: AsyncEngine, store: ContentStore) -> None:
    sessions = await _setup(engine)
    book = _book(store, FixedClock(THU))
    async with sessions.begin() as session:
        for text in ("how do I do a lunge?", "3x10 zercher good mornings", "squats 0 reps"):
            result = await book.log_text(
                session, user_id=USER, chat_id=USER, message_id=3, text=text
            )
            assert result.kind == "nothing"
        assert await workout_log.last_log(session, USER) is None


async def test_a_name_in_no_catalogue_is_asked_about_once_and_the_rest_logged(
    engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = await _setup(engine)
    book = _book(store, FixedClock(THU))
    text = "done: 3x10 zercher good mornings"
    async with sessions.begin() as session:
        first = await book.log_text(session, user_id=USER, chat_id=USER, message_id=3, text=text)
        again = await book.log_text(session, user_id=USER, chat_id=USER, message_id=3, text=text)
        assert (first.kind, first.asking) == ("nothing", ("zercher good mornings",))
        assert first.ask_id is not None
        assert again.ask_id is None  # a second delivery asks nothing
        both = await book.log_text(
            session, user_id=USER, chat_id=USER, message_id=4,
            text="squats 3x10, pull ups 3x8, 3x10 zercher good mornings",
        )  # fmt: skip
        assert both.kind == "logged"
        assert [e.exercise for e in both.entries] == ["squat", "pull-up"]
        assert both.asking == ("zercher good mornings",)
        assert both.ask_id is not None


async def test_done_button_logs_the_prescription_once(
    engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = await _setup(engine)
    training = Training.from_store(store)
    book = Logbook(store, ReportParser(store, every_lift=True), training, FixedClock(THU))
    async with sessions.begin() as session:
        planned = await _planned(session, training, THU.date())
        row = await schedules.get(session, USER)
        assert row is not None
        first = await book.log_button(
            session, row=row, planned=planned, status="done", pressed_on=(1, 1)
        )
        again = await book.log_button(
            session, row=row, planned=planned, status="done", pressed_on=(1, 1)
        )
        assert first is not None
        assert first.kind == "logged"
        assert again is None  # closed already: a second tap logs nothing more
        assert planned.status == "done"
        assert first.entries == prescription_entries(planned, store)
        log = await workout_log.find_by_message(session, USER, 500)
        assert log is not None
        assert log.planned_session_id == planned.id
        # Then the runner says what they really did, replying to the reminder: logged once.
        await book.log_text(
            session, user_id=USER, chat_id=USER, message_id=13, text="squats 3x5", reply_to=500
        )
        assert await workout_log.find_by_message(session, USER, 500) is None
        logs, total = await workout_log.history(session, USER)
        assert total == 1
        assert workout_log.entries_of(logs[0][0]) == (ReportEntry("squat", (5, 5, 5)),)


async def test_a_past_pause_never_breaks_the_streak(
    engine: AsyncEngine, store: ContentStore
) -> None:
    """Done, then a session missed during a holiday pause, then done: a streak of 2. Without
    the pause history the missed session would have broken it."""
    sessions = await _setup(engine)
    training = Training.from_store(store)
    book = Logbook(store, ReportParser(store, every_lift=True), training, FixedClock(THU))
    days = [THU.date() - timedelta(days=n) for n in (14, 10, 7)]
    async with sessions.begin() as session:
        for day, status in zip(days, ("done", "missed", "done"), strict=True):
            planned = await _planned(session, training, day)
            planned.status = status
        # Paused for the middle one, resumed three days later.
        await pauses.begin(session, USER, days[1] - timedelta(days=1), None, THU)
        await pauses.end(session, USER, days[1] + timedelta(days=2))
    async with sessions() as session:
        view = await book.stats(session, USER)
        assert (view.streaks.current, view.streaks.best) == (2, 2)
        # Without the pause it would be a streak of 1.
        await session.execute(delete(PauseWindow))
        view = await book.stats(session, USER)
        assert view.streaks.current == 1


async def test_a_new_pause_replaces_the_running_one_and_resume_ends_it(
    engine: AsyncEngine,
) -> None:
    sessions = await _setup(engine)
    day = THU.date()
    async with sessions.begin() as session:
        await pauses.begin(session, USER, day, None, THU)  # open-ended
        await pauses.begin(session, USER, day + timedelta(days=3), day + timedelta(days=9), THU)
    async with sessions() as session:
        assert await pauses.windows(session, USER, day + timedelta(days=20)) == [
            (day, day + timedelta(days=2)),
            (day + timedelta(days=3), day + timedelta(days=9)),
        ]
    async with sessions.begin() as session:
        await pauses.end(session, USER, day + timedelta(days=4))  # /resume on day + 5
    async with sessions() as session:
        assert (await pauses.windows(session, USER, day))[-1] == (
            day + timedelta(days=3),
            day + timedelta(days=4),
        )


async def test_an_extra_session_is_logged_once_with_its_personal_bests(
    tmp_path: Path, store: ContentStore
) -> None:
    """Sets with nothing planned today are an extra session; a second delivery of the message
    logs nothing more; a bare "done" with nothing planned is not logged."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'extra.db'}")
    try:
        sessions = await _setup(engine)
        training = Training.from_store(store)
        book = Logbook(store, ReportParser(store, every_lift=True), training, FixedClock(THU))

        async def log(message_id: int, text: str) -> Logged:
            async with sessions.begin() as session:
                return await book.log_text(
                    session, user_id=USER, chat_id=USER, message_id=message_id, text=text
                )

        first = await log(10, "squats 3x5 @ 40kg")
        assert (first.kind, first.planned, first.local_date) == ("logged", False, THU.date())
        assert first.bests == ()  # a first time is no personal best yet
        again = await log(10, "squats 3x5 @ 40kg")  # a second delivery of that message
        assert (again.kind, again.log_id) == ("duplicate", first.log_id)
        heavier = await log(11, "squats 3x5 @ 45kg")
        assert heavier.bests == (PersonalBest("squat", "weight", 45.0, 40.0),)
        done = await log(12, "done")  # closes the extra session: both messages are one session
        assert (done.kind, len(done.entries)) == ("closed", 2)
        assert (await log(13, "done")).kind == "nothing"  # nothing open: nothing to log
        assert (await log(14, "how do I squat?")).kind == "nothing"
        async with sessions() as session:
            sets = await workout_log.sets_of_user(session, USER)
        assert [(s.exercise, s.reps, s.weight_kg) for s in sets if s.is_set] == [
            ("squat", 5, 40.0), ("squat", 5, 40.0), ("squat", 5, 40.0),
            ("squat", 5, 45.0), ("squat", 5, 45.0), ("squat", 5, 45.0),
        ]  # fmt: skip
        assert len({s.session for s in sets}) == 1
        assert sessions_done(sets) == 1
    finally:
        await engine.dispose()


async def test_a_name_too_long_to_keep_is_not_logged_and_not_asked_about(
    engine: AsyncEngine, store: ContentStore
) -> None:
    sessions = await _setup(engine)
    book = _book(store, FixedClock(THU))
    long_name = "supercalifragilisticexpialidocious extraordinarily zercherish"
    async with sessions.begin() as session:
        result = await book.log_text(
            session, user_id=USER, chat_id=USER, message_id=3, text=f"squats 3x10, 3x10 {long_name}"
        )
        assert result.kind == "logged"
        assert [e.exercise for e in result.entries] == ["squat"]
        assert (result.asking, result.report.not_covered) == ((), (long_name,))
