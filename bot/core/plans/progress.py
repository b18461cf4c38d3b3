"""Progression, one track at a time (a track starts at a move and climbs its ladder).

When every prescribed rep was done in two sessions in a row, the next prescription rises one
small step: more reps for a bodyweight move up to the top of its range, then the next harder
variation; 2.5 kg for a loaded move. A skipped or missed session holds everything; a session
with reps left undone starts the count again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from bot.core.plans.catalog import Catalog, Move

Level = Literal["beginner", "experienced"]
Outcome = Literal["done", "partial", "skipped", "missed"]
WEIGHT_STEP_KG = 2.5
SESSIONS_TO_PROGRESS = 2


@dataclass(frozen=True, slots=True)
class TrackState:
    move: str
    sets: int
    reps: int
    kg: float | None
    streak: int = 0  # sessions in a row with every prescribed rep done

    def as_json(self) -> dict[str, Any]:
        return {"move": self.move, "sets": self.sets, "reps": self.reps, "kg": self.kg,
                "streak": self.streak}  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrackState:
        kg = data.get("kg")
        return cls(
            move=str(data["move"]),
            sets=int(data["sets"]),
            reps=int(data["reps"]),
            kg=None if kg is None else float(kg),
            streak=int(data.get("streak", 0)),
        )


def start_state(move: Move, level: Level) -> TrackState:
    """Beginners start at the low end of the advice; experienced runners mid-range."""
    if level == "beginner":
        sets, reps = move.sets[0], move.reps[0]
        kg = move.start_kg[0] if move.start_kg else None
    else:
        sets, reps = move.sets[1], (move.reps[0] + move.reps[1]) // 2
        kg = move.start_kg[1] if move.start_kg else None
    return TrackState(move.id, sets, reps, kg)


Progress = dict[str, TrackState]  # track id -> where it stands


def state_of(progress: Mapping[str, TrackState], catalog: Catalog, track: str,
             level: Level) -> TrackState:  # fmt: skip
    found = progress.get(track)
    if found is not None and found.move in catalog.moves:
        return found
    return start_state(catalog.move(track), level)


def _step(state: TrackState, catalog: Catalog, level: Level) -> TrackState:
    move = catalog.move(state.move)
    if move.loaded:
        return replace(state, kg=(state.kg or 0.0) + WEIGHT_STEP_KG, streak=0)
    step = 2 if move.reps[1] >= 15 else 1
    if state.reps + step <= move.reps[1]:
        return replace(state, reps=state.reps + step, streak=0)
    if state.reps < move.reps[1]:
        return replace(state, reps=move.reps[1], streak=0)
    if move.harder is not None:
        return start_state(catalog.move(move.harder), "beginner")
    if state.sets < move.sets[1]:  # top of the ladder: one more set, back to the low reps
        return replace(state, sets=state.sets + 1, reps=move.reps[0], streak=0)
    return replace(state, streak=0)  # at the cap: hold


def apply_outcome(
    progress: Mapping[str, TrackState],
    catalog: Catalog,
    tracks: Iterable[str],
    outcome: Outcome,
    level: Level = "beginner",
) -> Progress:
    """The progress after a session that trained ``tracks`` ended with ``outcome``."""
    updated = dict(progress)
    if outcome in ("skipped", "missed"):
        return updated
    for track in tracks:
        known = progress.get(track)
        if track not in catalog.moves and (known is None or known.move not in catalog.moves):
            continue  # a move the week plan does not know (a season session's): nothing to climb
        state = state_of(progress, catalog, track, level)
        if outcome == "partial":
            updated[track] = replace(state, streak=0)
            continue
        state = replace(state, streak=state.streak + 1)
        if state.streak >= SESSIONS_TO_PROGRESS:
            state = _step(state, catalog, level)
        updated[track] = state
    return updated


def adjust_weight(progress: Mapping[str, TrackState], track: str, kg: float) -> Progress:
    """The runner sets their own weight for a loaded move (the plan's is a suggestion)."""
    updated = dict(progress)
    if track in updated:
        updated[track] = replace(updated[track], kg=max(0.0, round(kg * 2) / 2))
    return updated


def progress_to_json(progress: Mapping[str, TrackState]) -> dict[str, Any]:
    return {track: state.as_json() for track, state in progress.items()}


def progress_from_json(data: Mapping[str, Any] | None) -> Progress:
    if not data:
        return {}
    found: Progress = {}
    for track, raw in data.items():
        try:
            found[track] = TrackState.from_json(raw)
        except (KeyError, TypeError, ValueError):
            continue  # a malformed entry restarts that track; never breaks a reminder
    return found
