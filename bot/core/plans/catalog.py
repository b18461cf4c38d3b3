"""The moves a plan is built from: ids of the content store, with their prescriptions.

Sets and reps come from each entry's own programming advice in the content store (its
"Sets and reps: 2-3 sets of 8-12 reps per leg" line) when it has one; the table below gives the
rest (is the move loaded, a starting weight, what comes after it) and the fallback numbers.
An id missing from the store is simply left out: the family entry stands in for a slot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.core.content import ContentStore


@dataclass(frozen=True, slots=True)
class Move:
    id: str
    name: str
    sets: tuple[int, int]
    reps: tuple[int, int]
    per_side: bool
    loaded: bool
    start_kg: tuple[float, float] | None  # (beginner, experienced)
    weight_note: str
    harder: str | None  # the next variation once the reps reach the top of the range


@dataclass(frozen=True, slots=True)
class _Default:
    sets: tuple[int, int]
    reps: tuple[int, int]
    per_side: bool = False
    start_kg: tuple[float, float] | None = None
    weight_note: str = ""
    harder: str | None = None


_DEFAULTS: dict[str, _Default] = {
    "squat": _Default((2, 3), (8, 12), harder="goblet-squat"),
    "goblet-squat": _Default((3, 3), (8, 12), start_kg=(8, 14), weight_note="held at your chest"),
    "bulgarian-split-squat": _Default((2, 3), (6, 10), per_side=True),
    "lunge": _Default((2, 3), (8, 12), per_side=True),
    "reverse-lunge": _Default((2, 3), (8, 10), per_side=True, harder="forward-lunge"),
    "forward-lunge": _Default((2, 3), (8, 12), per_side=True, harder="walking-lunge"),
    "walking-lunge": _Default((2, 3), (10, 12), per_side=True),
    "side-lunge": _Default((2, 3), (8, 10), per_side=True),
    "step-up": _Default((2, 3), (8, 12), per_side=True),
    "glute-bridge": _Default((2, 3), (12, 15), harder="single-leg-glute-bridge"),
    "single-leg-glute-bridge": _Default((2, 3), (8, 12), per_side=True, harder="hip-thrust"),
    "hip-thrust": _Default((3, 3), (8, 12), start_kg=(20, 40), weight_note="across your hips"),
    "calf-raise": _Default((3, 3), (12, 20), harder="single-leg-calf-raise"),
    "single-leg-calf-raise": _Default((2, 3), (10, 15), True, harder="weighted-calf-raise"),
    "weighted-calf-raise": _Default((3, 4), (8, 12), start_kg=(6, 10), weight_note="in each hand"),
    "bent-knee-calf-raise": _Default((3, 3), (15, 25)),
    "deadlift": _Default((2, 3), (8, 10), start_kg=(20, 40), weight_note="on the bar"),
    "conventional-deadlift": _Default((2, 3), (8, 10), start_kg=(20, 40), weight_note="on the bar"),
    "sumo-deadlift": _Default((2, 3), (8, 10), start_kg=(20, 40), weight_note="on the bar"),
    "romanian-deadlift": _Default((2, 3), (6, 10), start_kg=(8, 14), weight_note="in each hand"),
    "single-leg-romanian-deadlift": _Default(
        (2, 3), (8, 10), per_side=True, start_kg=(4, 8), weight_note="in the opposite hand"
    ),
}  # fmt: skip

# Slot -> the tracks it rotates through week to week (each track climbs its own ladder).
SLOTS: dict[str, tuple[str, ...]] = {
    "squat": ("squat", "bulgarian-split-squat"),
    "lunge": ("reverse-lunge", "side-lunge", "step-up"),
    "bridge": ("glute-bridge",),
    "calf": ("calf-raise", "bent-knee-calf-raise"),
    "deadlift": ("romanian-deadlift", "conventional-deadlift", "single-leg-romanian-deadlift"),
}
SLOT_FAMILY = {
    "squat": "squat",
    "lunge": "lunge",
    "bridge": "glute-bridge",
    "calf": "calf-raise",
    "deadlift": "deadlift",
}

_SETS_REPS = re.compile(
    r"(\d+)(?:\s*-\s*(\d+))?\s+sets\s+of\s+(\d+)\s*-\s*(\d+)(?:\s+(?:reps|steps))?"
    r"(\s+per\s+(?:leg|side))?",
    re.IGNORECASE,
)


def _advice(store: ContentStore, entry_id: str) -> tuple[tuple[int, int], tuple[int, int], bool]:
    """(sets, reps, per side) from the entry's "Sets and reps" advice, if it has any."""
    text = store.entries[entry_id].topic_text("programming")
    for line in text.splitlines():
        if "sets and reps" in line.lower():
            match = _SETS_REPS.search(line)
            if match:
                low_sets = int(match.group(1))
                high_sets = int(match.group(2) or low_sets)
                reps = (int(match.group(3)), int(match.group(4)))
                if 1 <= low_sets <= high_sets <= 5 and 1 <= reps[0] < reps[1] <= 30:
                    return (low_sets, high_sets), reps, bool(match.group(5))
    raise LookupError(entry_id)


@dataclass(frozen=True, slots=True)
class Catalog:
    moves: dict[str, Move]
    slots: dict[str, tuple[str, ...]]  # slot -> track ids present in the store

    def move(self, move_id: str) -> Move:
        return self.moves[move_id]


def build_catalog(store: ContentStore) -> Catalog:
    moves: dict[str, Move] = {}
    for move_id, default in _DEFAULTS.items():
        if move_id not in store.entries:
            continue
        try:
            sets, reps, per_side = _advice(store, move_id)
            per_side = per_side or default.per_side
        except LookupError:
            sets, reps, per_side = default.sets, default.reps, default.per_side
        moves[move_id] = Move(
            id=move_id,
            name=store.entries[move_id].name,
            sets=sets,
            reps=reps,
            per_side=per_side,
            loaded=default.start_kg is not None,
            start_kg=default.start_kg,
            weight_note=default.weight_note,
            harder=None,
        )
    # Link each move to the next harder one that the store has.
    for move_id, move in list(moves.items()):
        nxt = _DEFAULTS[move_id].harder
        while nxt is not None and nxt not in moves:
            nxt = _DEFAULTS[nxt].harder if nxt in _DEFAULTS else None
        if nxt is not None:
            moves[move_id] = replace(move, harder=nxt)
    slots: dict[str, tuple[str, ...]] = {}
    for slot, tracks in SLOTS.items():
        present = tuple(t for t in tracks if t in moves)
        slots[slot] = present or (SLOT_FAMILY[slot],)
    return Catalog(moves, slots)
