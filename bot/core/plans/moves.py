"""The exercises a season session is made of, by slot and level, from what the store has.

Each slot lists its variations by level, most fitting first; ids the store lacks are skipped and
the next level down stands in (the experienced level uses back and front squats when the store
has them, goblet squats before), so the plan works before and after new entries arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.content import ContentStore
from bot.core.plans.season_model import RunnerLevel

Slot = Literal["plyo", "squat", "single-leg", "hinge", "calf", "bridge"]
Equipment = Literal["barbell", "dumbbell", "kettlebell"]

# slot -> level -> variations, most fitting first; the week rotates through them.
VARIATIONS: dict[Slot, dict[RunnerLevel, tuple[str, ...]]] = {
    "squat": {
        "new": ("goblet-squat", "squat"),
        "some-experience": ("goblet-squat", "bulgarian-split-squat"),
        "experienced": ("back-squat", "front-squat"),
    },
    "single-leg": {
        "new": ("reverse-lunge", "step-up"),
        "some-experience": ("reverse-lunge", "walking-lunge", "side-lunge", "step-up"),
        "experienced": ("bulgarian-split-squat", "walking-lunge", "side-lunge"),
    },
    "hinge": {
        "new": ("romanian-deadlift",),
        "some-experience": ("romanian-deadlift", "conventional-deadlift",
                            "single-leg-romanian-deadlift"),
        "experienced": ("conventional-deadlift", "romanian-deadlift", "sumo-deadlift"),
    },
    "calf": {
        "new": ("calf-raise",),
        "some-experience": ("single-leg-calf-raise", "bent-knee-calf-raise"),
        "experienced": ("weighted-calf-raise", "single-leg-calf-raise"),
    },
    "bridge": {
        "new": ("glute-bridge",),
        "some-experience": ("single-leg-glute-bridge", "hip-thrust"),
        "experienced": ("hip-thrust", "single-leg-glute-bridge"),
    },
    "plyo": {
        "new": (),
        "some-experience": ("pogo-hops", "jump-squat"),
        "experienced": ("pogo-hops", "box-jump", "bounding", "jump-squat"),
    },
}  # fmt: skip
SLOT_FAMILY: dict[Slot, str | None] = {
    "squat": "squat",
    "single-leg": "lunge",
    "hinge": "deadlift",
    "calf": "calf-raise",
    "bridge": "glute-bridge",
    "plyo": None,  # no family stands in: without plyometric entries there are no plyometrics
}
# A light session: bodyweight, nothing that loads the legs before a key run.
LIGHT_SESSION: tuple[tuple[Slot, str], ...] = (
    ("bridge", "glute-bridge"),
    ("calf", "calf-raise"),
    ("squat", "squat"),
)
FALLBACK_LEVEL: dict[RunnerLevel, RunnerLevel | None] = {
    "experienced": "some-experience",
    "some-experience": "new",
    "new": None,
}


@dataclass(frozen=True, slots=True)
class LoadedMove:
    equipment: Equipment
    start_kg: tuple[float, float, float]  # new, some experience, experienced
    weight_note: str = "on the bar"


# Moves done with a weight; every other move is bodyweight.
LOADED: dict[str, LoadedMove] = {
    "goblet-squat": LoadedMove("dumbbell", (8, 12, 16), "held at your chest"),
    "back-squat": LoadedMove("barbell", (20, 40, 60)),
    "front-squat": LoadedMove("barbell", (20, 30, 50)),
    "conventional-deadlift": LoadedMove("barbell", (20, 40, 70)),
    "sumo-deadlift": LoadedMove("barbell", (20, 40, 70)),
    "romanian-deadlift": LoadedMove("dumbbell", (8, 12, 20), "in each hand"),
    "single-leg-romanian-deadlift": LoadedMove("dumbbell", (4, 8, 12), "in the opposite hand"),
    "hip-thrust": LoadedMove("barbell", (20, 40, 60), "across your hips"),
    "weighted-calf-raise": LoadedMove("dumbbell", (6, 10, 14), "in each hand"),
}
PLYOMETRIC_IDS = frozenset(VARIATIONS["plyo"]["experienced"])


class MoveTable:
    """The variations per slot and level that this content store has."""

    def __init__(self, store: ContentStore) -> None:
        self._store = store
        self._choices: dict[tuple[Slot, RunnerLevel], tuple[str, ...]] = {}
        for slot, by_level in VARIATIONS.items():
            for level in by_level:
                self._choices[(slot, level)] = self._present(slot, level)

    def _present(self, slot: Slot, level: RunnerLevel) -> tuple[str, ...]:
        found: list[str] = []
        current: RunnerLevel | None = level
        while current is not None and not found:
            found = [i for i in VARIATIONS[slot][current] if i in self._store.entries]
            current = FALLBACK_LEVEL[current]
        family = SLOT_FAMILY[slot]
        if not found and family is not None and family in self._store.entries:
            found = [family]
        return tuple(found)

    def choices(self, slot: Slot, level: RunnerLevel) -> tuple[str, ...]:
        return self._choices[(slot, level)]

    def pick(self, slot: Slot, level: RunnerLevel, turn: int) -> str | None:
        """The variation for this turn of the rotation (week and session), or None."""
        options = self._choices[(slot, level)]
        return options[turn % len(options)] if options else None

    def has(self, exercise: str) -> bool:
        return exercise in self._store.entries

    def family_of(self, exercise: str) -> str:
        return self._store.family_of(exercise)
