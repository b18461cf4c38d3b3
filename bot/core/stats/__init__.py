"""Progress from the training log: streaks, weekly counts, volume, bests, CSV export, charts."""

from bot.core.stats.model import LoggedSet, Pause, PlannedDay
from bot.core.stats.stats import (
    Best,
    ExerciseStats,
    PersonalBest,
    Streaks,
    Week,
    bests_of,
    new_bests,
    per_exercise,
    streaks,
    this_week,
    week_start,
)

__all__ = [
    "Best",
    "ExerciseStats",
    "LoggedSet",
    "Pause",
    "PersonalBest",
    "PlannedDay",
    "Streaks",
    "Week",
    "bests_of",
    "new_bests",
    "per_exercise",
    "streaks",
    "this_week",
    "week_start",
]
