"""What a runner reads about their sessions after the fact: /history's pages and /today's
status of a closed planned session, with how much of the plan was done ("2 of 4 exercises")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.content import ContentStore
from bot.core.reports import ReportEntry
from bot.db import planned_sessions, workout_log
from bot.db.planned_sessions import PlannedSession
from bot.db.workout_log import WorkoutLog
from bot.services.session_work import SessionProgress, progress_of


def done_entries(logs: Sequence[WorkoutLog]) -> tuple[ReportEntry, ...]:
    """The work of a session's logs (its skips left out)."""
    return tuple(e for log in logs if log.status == "done" for e in workout_log.entries_of(log))


async def session_progress(
    db: AsyncSession, planned: PlannedSession, store: ContentStore,
    logs: Sequence[WorkoutLog] | None = None,
) -> SessionProgress:  # fmt: skip
    """How much of a planned session its logs cover (``logs``: already read)."""
    if logs is None:
        logs = await workout_log.session_logs(db, planned.id)
    closed = planned.status not in planned_sessions.OPEN
    return progress_of(planned, done_entries(logs), store, closed=closed)


@dataclass(frozen=True, slots=True)
class SessionsPage:
    sessions: list[list[WorkoutLog]]  # newest first, each its logs oldest first
    progress: list[SessionProgress | None]  # of each session's plan (None: an extra session)
    total: int


async def history_page(
    db: AsyncSession, user_id: int, page: int, per_page: int, store: ContentStore
) -> SessionsPage:
    sessions, total = await workout_log.history(db, user_id, page, per_page)
    progress: list[SessionProgress | None] = []
    for logs in sessions:
        planned_id = next((log.planned_session_id for log in logs if log.planned_session_id), None)
        planned = None if planned_id is None else await planned_sessions.get(db, planned_id)
        progress.append(
            None if planned is None else await session_progress(db, planned, store, logs)
        )
    return SessionsPage(sessions, progress, total)
