"""The training plan: built from the content store, pure, dates passed in (no clock reads)."""

from bot.core.plans.catalog import Catalog, Move, build_catalog
from bot.core.plans.progress import (
    Level,
    Outcome,
    Progress,
    TrackState,
    adjust_weight,
    apply_outcome,
    progress_from_json,
    progress_to_json,
    start_state,
)
from bot.core.plans.week import (
    Prescription,
    Session,
    WeekLayout,
    layout,
    next_session_day,
    session_for,
    suggest_days,
    week_number,
)

__all__ = [
    "Catalog",
    "Level",
    "Move",
    "Outcome",
    "Prescription",
    "Progress",
    "Session",
    "TrackState",
    "WeekLayout",
    "adjust_weight",
    "apply_outcome",
    "build_catalog",
    "layout",
    "next_session_day",
    "progress_from_json",
    "progress_to_json",
    "session_for",
    "start_state",
    "suggest_days",
    "week_number",
]
