"""Progress from the training log: streaks, weekly counts, volume, bests, CSV export, charts."""

from bot.core.stats.model import LoggedSet, Pause, PlannedDay
from bot.core.stats.stats import (
    ExerciseStats,
    PersonalBest,
    Streaks,
    Week,
    new_bests,
    per_exercise,
    streaks,
    this_week,
    week_start,
)

__all__ = [
    "ExerciseStats",
    "LoggedSet",
    "Pause",
    "PersonalBest",
    "PlannedDay",
    "Streaks",
    "Week",
    "new_bests",
    "per_exercise",
    "streaks",
    "this_week",
    "week_start",
]
