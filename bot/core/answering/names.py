"""What exercise a question names: the answerer's second step, over stems.

Longest match over entries' names and aliases, the sub-variations they describe (mentions) and the
lifts we lack; qualifier words pick a variation of a named family ("lunges going backwards") or
compare two ("forward and reverse lunges"), and a variation's distinctive word names it alone
("sumo or conventional?"). Kept apart from the answerer: this decides the exercise, the answerer
the topic and the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.core.answering import vocabulary as vocab
from bot.core.answering.types import Phrase, PhraseIndex
from bot.core.content.store import ContentStore, Lift
from bot.core.content.text import phrase


@dataclass(frozen=True, slots=True)
class _Name:
    """What a phrase names: an entry, a sub-variation an entry describes, or a lift we lack."""

    kind: Literal["entry", "mention", "lift"]
    ref: str  # entry id (entry, mention) or lift name
    lift: Lift | None = None


@dataclass(slots=True)
class Found:
    """What a question names: the exercise, and how (compared, a family, a sub-variation)."""

    exercise: str | None = None
    compared: bool = False
    family_named: bool = False  # the family itself was named next to one of its variations
    mention: bool = False  # only a sub-variation without an entry of its own was named
    sides: tuple[str, ...] = ()  # the entries of one family compared, in the order named
    lifts: list[tuple[int, int, Lift]] = field(default_factory=list)


class NameFinder:
    """Built once from the content store; its methods are pure functions of the stems."""

    def __init__(self, store: ContentStore) -> None:
        self.store = store
        entries = store.entries.values()
        names: list[tuple[Phrase, _Name]] = [
            (phrase(name), _Name("entry", e.id))
            for e in entries
            for name in (e.name, e.id.replace("-", " "), *e.aliases)
        ]
        names += [(phrase(m), _Name("mention", e.id)) for e in entries for m in e.mentions]
        names += [
            (phrase(name), _Name("lift", lift.name, lift))
            for lift in store.uncovered
            for name in (lift.name, *lift.aliases)
        ]
        self._names = PhraseIndex(names)
        self._qualifiers: dict[str, list[tuple[Phrase, str]]] = {}
        for e in entries:
            if e.family is not None:
                self._qualifiers.setdefault(e.family, []).extend(
                    (phrase(q), e.id) for q in e.qualifiers
                )
        self._standalone = {phrase(word) for word in vocab.STANDALONE_VARIATION_WORDS}
        # A variation's distinctive word with no family word ("sumo vs conventional?").
        self._bare_qualifiers = PhraseIndex(
            (phrase(word), e.id)
            for e in entries
            for word in vocab.STANDALONE_VARIATION_WORDS
            if e.family is not None and word in e.qualifiers
        )
        self._body_parts = PhraseIndex((phrase(p), p) for p in vocab.BODY_PART_PHRASES)

    def find(self, tokens: list[str], used: list[bool]) -> Found:
        """The exercise named, whether two variations of one family were compared, sub-variations
        and lifts we lack. Marks the tokens the names take in ``used``."""
        found = Found()
        body_parts = self._body_parts_in(tokens)
        for i in body_parts:
            used[i] = True
        matches = self._names.scan(tokens, used)
        for i in body_parts:
            used[i] = False
        found.lifts = [(s, e, n.lift) for s, e, n in matches if n.lift is not None]
        ids = [n.ref for _, _, n in matches if n.kind == "entry"]
        if not ids:
            mentions = [n.ref for _, _, n in matches if n.kind == "mention"]
            if mentions:
                found.exercise, found.mention = mentions[0], True
            elif not found.lifts:
                found.exercise, found.compared, found.sides = self._from_bare_qualifiers(
                    tokens, used
                )
            return found
        first = ids[0]
        family = self.store.family_of(first)
        named = {i for i in ids if i != family and self.store.family_of(i) == family}
        # Where each entry of the family was named, for the order of a comparison's sides.
        at = {n.ref: s for s, _, n in reversed(matches) if n.kind == "entry"}
        at = {i: s for i, s in at.items() if self.store.family_of(i) == family}
        # Qualifier words elsewhere pick a variation when only the family was named ("lunges
        # going backwards"); next to a named variation only distinctive ones count, as a
        # comparison ("goblet squat or bulgarian?"): "walk me through" is no walking lunge.
        # Any qualifier counts when joined to a named variation ("forward and reverse lunges").
        for qualifier, target in self._qualifiers.get(family, []):
            start = _free_at(tokens, used, qualifier)
            if start is None:
                continue
            joined = _joined(tokens, used, start, start + len(qualifier))
            if joined or not named or qualifier in self._standalone:
                at.setdefault(target, start)
                found.compared |= joined  # "glute bridge or single leg?"
        named |= {i for i in at if i != family}
        found.compared |= len(ids) > 1
        # The family is a side only against one variation ("hip thrusts vs glute bridges"):
        # in "lunges, forwards or backwards?" it only names the family of the two.
        sides = sorted(at, key=lambda i: at[i])
        variations = [i for i in sides if i != family]
        found.sides = tuple(variations if len(variations) > 1 else sides)
        found.family_named = family in ids and len(named) == 1
        if len(named) > 1:
            found.exercise, found.compared = family, True
        elif named:
            found.exercise = named.pop()
        else:
            found.exercise = first
        return found

    def _from_bare_qualifiers(
        self, tokens: list[str], used: list[bool]
    ) -> tuple[str | None, bool, tuple[str, ...]]:
        """Only variation words were used: one names its variation, several of one family
        compare them ("sumo or conventional?"), anything else is not ours to guess."""
        ordered = [value for _, _, value in self._bare_qualifiers.scan(tokens, used)]
        named = set(ordered)
        families = {self.store.family_of(v) for v in named}
        if len(named) == 1:
            return named.pop(), False, ()
        if len(families) == 1:
            return families.pop(), True, tuple(dict.fromkeys(ordered))
        return None, False, ()

    def variation_of(self, previous: str, tokens: list[str]) -> str | None:
        """ "And the bent knee version?" after calf raises: a variation of the last family."""
        family = self.store.family_of(previous)
        targets = {t for q, t in self._qualifiers.get(family, []) if _contains(tokens, q)}
        return targets.pop() if len(targets) == 1 else None

    def named(self, tokens: list[str]) -> list[str]:
        """The entries ``tokens`` name, in order (sub-variations as their entry)."""
        named = self._names.scan(tokens, self._not_names(tokens))
        return [n.ref for _, _, n in named if n.kind != "lift"]

    def entries_named(self, tokens: list[str]) -> list[str]:
        """The entries ``tokens`` name (no sub-variations, no lifts we lack), in order, with no
        body part set aside: the entries a topic's text links to."""
        return [n.ref for _, _, n in self._names.scan(tokens) if n.kind == "entry"]

    def families(self, tokens: list[str]) -> int:
        """How many exercise families ``tokens`` name."""
        named = self._names.scan(tokens, self._not_names(tokens))
        return len({self.store.family_of(n.ref) for _, _, n in named if n.kind == "entry"})

    def _body_parts_in(self, tokens: list[str]) -> list[int]:
        """Where ``tokens`` name a body part that could start a lift's name ("my back")."""
        return [end - 1 for _, end, _ in self._body_parts.scan(tokens)]

    def _not_names(self, tokens: list[str]) -> list[bool]:
        used = [False] * len(tokens)
        for i in self._body_parts_in(tokens):
            used[i] = True
        return used


def _free_at(tokens: Sequence[str], used: Sequence[bool], needle: Phrase) -> int | None:
    """Where ``needle`` first occurs among tokens no name has taken."""
    n = len(needle)
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i : i + n]) == needle and not any(used[i : i + n]):
            return i
    return None


_JOINERS = frozenset(phrase("and or vs versus v against"))


def _joined(tokens: Sequence[str], used: Sequence[bool], start: int, end: int) -> bool:
    """Whether tokens[start:end] is joined to a name by "and", "or", "vs": "forward and reverse
    lunges", "romanian vs conventional deadlift"."""
    after = end + 1 < len(tokens) and tokens[end] in _JOINERS and used[end + 1]
    before = start >= 2 and tokens[start - 1] in _JOINERS and used[start - 2]
    return after or before


def _contains(tokens: Sequence[str], needle: Phrase) -> bool:
    n = len(needle)
    return any(tuple(tokens[i : i + n]) == needle for i in range(len(tokens) - n + 1))
