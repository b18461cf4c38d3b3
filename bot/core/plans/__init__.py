"""The training plan: built from the content store, pure, dates passed in (no clock reads).

The season plan (``SeasonPlanner``: phases, deloads, hard and easy days, loads from the log) is
what the handlers show; the week layer below it (``layout``, ``session_for``) is the older
repeating week, kept for the reminder texts until they move over."""

from bot.core.plans.catalog import Catalog, Move, build_catalog
from bot.core.plans.changes import what_changes
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
from bot.core.plans.season import SeasonPlanner
from bot.core.plans.season_model import (
    Distance,
    History,
    LoggedLift,
    PainSkip,
    PlannedExercise,
    PlannedSession,
    PlannedWeek,
    Race,
    Runner,
    RunnerLevel,
    SeasonPlan,
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
    "Distance",
    "History",
    "Level",
    "LoggedLift",
    "Move",
    "Outcome",
    "PainSkip",
    "PlannedExercise",
    "PlannedSession",
    "PlannedWeek",
    "Prescription",
    "Progress",
    "Race",
    "Runner",
    "RunnerLevel",
    "SeasonPlan",
    "SeasonPlanner",
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
    "what_changes",
]
