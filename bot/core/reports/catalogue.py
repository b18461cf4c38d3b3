"""The catalogue of lifts a report can name: every entry of the content store, every lift of
``data/uncovered.yaml``, and the runner's own names ("custom:<name>").

Ids are stable strings: an entry's id; for an uncovered lift the slug of its name ("leg press" ->
``leg-press``); ``custom:<name as written, lowercase>`` for a name in no catalogue. When a lift
moves from uncovered.yaml into an entry with the same slug, its id does not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.content import ContentStore

CUSTOM_PREFIX = "custom:"

# Held positions: their numbers are seconds even without a unit ("planks 3x60").
HOLDS = frozenset({"plank", "wall-sit", "copenhagen-plank", "hollow-hold"})

# Gym shorthand for lifts of uncovered.yaml that the list spells out in full.
_SHORTHAND = {"bench": "bench press", "chins": "pull-up", "chin": "pull-up"}


def slug(name: str) -> str:
    """ "Leg press" -> "leg-press", "farmer's carry" -> "farmers-carry", "push-up" -> "push-up"."""
    text = re.sub(r"['’`]", "", name.lower())
    return "-".join(re.findall(r"[a-z0-9]+", text))


def custom_id(name: str) -> str:
    return CUSTOM_PREFIX + " ".join(name.lower().split())


def own_key(name: str) -> str:
    """What two spellings of one of the runner's own exercises share: "Zercher good mornings"
    and "zercher good morning" -> "zercher-good-morning" (case, punctuation, a plural "s")."""
    return "-".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in slug(name).split("-"))


def custom_name(exercise: str) -> str | None:
    """The runner's own name in a custom id, else None."""
    return exercise[len(CUSTOM_PREFIX) :] if exercise.startswith(CUSTOM_PREFIX) else None


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every named lift: id -> display name, and every (name or alias, id) pair to look for."""

    names: dict[str, str]
    phrases: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, store: ContentStore) -> Catalogue:
        names: dict[str, str] = {}
        phrases: list[tuple[str, str]] = []
        for entry in store.entries.values():
            names[entry.id] = entry.name
            for text in (entry.name, entry.id.replace("-", " "), *entry.aliases):
                phrases.append((text, entry.id))
        for lift in store.uncovered:
            lift_id = slug(lift.name)
            if lift_id in store.entries:  # moved into an entry: the entry's names win
                continue
            names.setdefault(lift_id, lift.name[:1].upper() + lift.name[1:])
            phrases += [(text, lift_id) for text in (lift.name, *lift.aliases)]
        by_name = {text.lower(): lift_id for text, lift_id in phrases}
        for short, name in _SHORTHAND.items():
            if name in by_name:
                phrases.append((short, by_name[name]))
        return cls(names, tuple(phrases))
