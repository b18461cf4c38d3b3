"""Progress from the training log: streaks, weekly counts, volume, bests, CSV export, charts."""

from bot.core.stats.model import LoggedSet, Pause, PlannedDay, PlannedWork
from bot.core.stats.sessions import LogHead, is_marker, session_keys
from bot.core.stats.stats import (
    Best,
    ExerciseStats,
    PersonalBest,
    Streaks,
    Week,
    bests_of,
    new_bests,
    per_exercise,
    sessions_done,
    streaks,
    this_week,
    week_start,
)

__all__ = [
    "Best",
    "ExerciseStats",
    "LogHead",
    "LoggedSet",
    "Pause",
    "PersonalBest",
    "PlannedDay",
    "PlannedWork",
    "Streaks",
    "Week",
    "bests_of",
    "is_marker",
    "new_bests",
    "per_exercise",
    "session_keys",
    "sessions_done",
    "streaks",
    "this_week",
    "week_start",
]
