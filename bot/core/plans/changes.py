"""What changes from one week of the season to the next, and why, in one sentence (for the
weekly check-in)."""

from __future__ import annotations

from bot.core.plans.moves import PLYOMETRIC_IDS
from bot.core.plans.season_model import PlannedWeek


def _has_plyometrics(week: PlannedWeek) -> bool:
    return any(item.exercise in PLYOMETRIC_IDS for s in week.sessions for item in s.exercises)


def _sessions(count: int) -> str:
    return f"{count} session" + ("" if count == 1 else "s")


def what_changes(current: PlannedWeek, upcoming: PlannedWeek) -> str:
    """One sentence: the change from ``current`` to ``upcoming`` and the reason for it."""
    phase = upcoming.phase
    if phase == "race":
        return "Race week: at most one light session early in the week, so your legs are fresh."
    if phase == "recovery":
        return "Recovery week after your race: rest, or one light session if you feel like it."
    if phase == "taper" and current.phase != "taper":
        return (
            "The taper starts: fewer and shorter sessions with the same weights, so you arrive "
            "at the race fresh but sharp."
        )
    if upcoming.deload:
        return (
            "A lighter week: fewer sets of the same exercises, so the work of the last weeks "
            "can sink in."
        )
    if phase == "build" and current.phase != "build":
        extra = " and jumps join the sessions" if _has_plyometrics(upcoming) else ""
        count = _sessions(len(upcoming.sessions))
        return f"The build phase starts: {count} a week{extra}, to turn strength into spring."
    if phase == "base" and current.phase != "base":
        return "Back to base training: heavier lifts and steady progress before the next block."
    if current.deload:
        return "Back to full volume after the lighter week."
    if len(upcoming.sessions) != len(current.sessions):
        count = _sessions(len(upcoming.sessions))
        return f"{count} next week instead of {len(current.sessions)}, to fit your running days."
    return (
        "Same plan, one step on: fewer reps with more weight on the main lifts, or more reps "
        "at body weight."
    )
