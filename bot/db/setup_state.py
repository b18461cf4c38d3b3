"""Where a runner is in the guided set-up (``setup_conversations``): one row per runner in it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import chat_snapshot
from bot.db.chat_snapshot import SetupState
from bot.db.training_models import SetupConversation

__all__ = ["SetupState", "clear", "get", "put"]


async def get(session: AsyncSession, user_id: int) -> SetupState | None:
    snapshot = chat_snapshot.of_user(session, user_id)
    if snapshot is not None:
        return snapshot.setup
    state = await session.get(SetupConversation, user_id)
    return None if state is None else SetupState(state.step, dict(state.data or {}))


async def put(
    session: AsyncSession, user_id: int, step: str, flow: str | None, now: datetime
) -> None:
    """The set-up waits at ``step``; ``flow`` None keeps the flow in progress (else "single")."""
    chat_snapshot.forget(session)
    state = await session.get(SetupConversation, user_id)
    if state is None:
        state = SetupConversation(user_id=user_id, step=step, data={}, updated_at=now)
        session.add(state)
    kept = state.data.get("flow", "single") if state.data else "single"
    state.step = step
    state.data = {"flow": flow or kept}
    state.updated_at = now


async def clear(session: AsyncSession, user_id: int) -> bool:
    """True when a set-up was in progress."""
    chat_snapshot.forget(session)
    result = await session.execute(
        delete(SetupConversation).where(SetupConversation.user_id == user_id)
    )
    return bool(getattr(result, "rowcount", 0))
