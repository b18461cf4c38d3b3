"""The services a running bot shares between handlers and background jobs.

Built once in ``build_application`` (creating an engine opens no connection), so nothing here is
Optional: post_init only migrates the schema and starts the inbox, post_shutdown disposes the
engine. Handlers reach it as ``context.services`` (bot/telegram/handlers/context.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.answering import Answerer
from bot.core.clock import SYSTEM_CLOCK, Clock
from bot.core.content import ContentStore
from bot.core.reports import ReportParser
from bot.db.engine import create_engine, session_factory
from bot.services.corrections import Corrections
from bot.services.logbook import Logbook
from bot.services.own_exercises import OwnExercises
from bot.services.reminders import Reminders
from bot.services.season import Season
from bot.services.setup import SetupService
from bot.services.training import Training


@dataclass(frozen=True, slots=True)
class Services:
    store: ContentStore
    answerer: Answerer
    parser: ReportParser
    training: Training
    season: Season
    setup: SetupService
    logbook: Logbook
    own_exercises: OwnExercises
    corrections: Corrections
    reminders: Reminders
    engine: AsyncEngine
    # For background jobs (reminders...): ``async with services.sessions.begin() as s:``.
    # Handlers never open one: they use context.session, owned by the inbox processor.
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock

    @classmethod
    def build(cls, store: ContentStore, database_url: str, clock: Clock = SYSTEM_CLOCK) -> Services:
        answerer = Answerer(store)
        parser = ReportParser(store, answerer, every_lift=True)
        training = Training.from_store(store)
        season = Season(training)
        logbook = Logbook(store, parser, training, clock)
        engine = create_engine(database_url)  # opens no connection until first used
        return cls(
            store=store,
            answerer=answerer,
            parser=parser,
            training=training,
            season=season,
            setup=SetupService(training, season),
            logbook=logbook,
            own_exercises=OwnExercises(logbook, parser),
            reminders=Reminders(clock),
            corrections=Corrections(parser, clock),
            engine=engine,
            sessions=session_factory(engine),
            clock=clock,
        )
