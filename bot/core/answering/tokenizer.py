"""Words to stems, with typo repair: the answerer's first step on any text.

A word we do not recognise is repaired to the nearest exercise word ("sqauts" -> "squats") or cut
in two where two words ran together ("gluebridge"); gym shorthand ("3x10", "40kg") reads as words.
Kept apart from the answerer because it only needs the store's words, not what they mean, and
because its caches are its own.
"""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.answering import vocabulary as vocab
from bot.core.content.store import TOPICS, ContentStore
from bot.core.content.text import raw_words, stem

_REPAIRS_KEPT = 20_000  # typo repairs kept (a word each)
_READINGS_KEPT = 256  # messages' readings kept: enough for one long message's sentences

# A reading: raw words, stems, and for each stem the index of the raw word it came from.
Reading = tuple[list[str], list[str], list[int]]


class Tokenizer:
    """Built once from the content store; ``read()`` is a pure function of the text."""

    def __init__(self, store: ContentStore) -> None:
        entries = store.entries.values()
        # Typo repair is the costly step; long messages repair the same words several times.
        self._repaired: dict[str, str] = {}
        self._readings: dict[str, Reading] = {}

        # Words we recognise as spelled right; only other words are candidates for typo repair.
        domain_raw: set[str] = set()
        for e in entries:
            for name in (e.name, *e.aliases, *e.qualifiers, *e.mentions, *e.helps_with):
                domain_raw.update(raw_words(name))
        for lift in store.uncovered:
            for name in (lift.name, *lift.aliases):
                domain_raw.update(raw_words(name))
        for p in (*vocab.NOT_COVERED, *vocab.OFF_TOPIC, *vocab.NEUTRAL):
            domain_raw.update(raw_words(p))
        known = set(vocab.COMMON_WORDS) | domain_raw
        for cues in vocab.TOPIC_CUES.values():
            for cue, _ in cues:
                known.update(raw_words(cue))
        for e in entries:
            known.update(raw_words(e.summary))
            for t in TOPICS:
                known.update(raw_words(e.topic_text(t)))
        self._known = frozenset(known)
        # Repair targets: exercise words and the topic nouns people misspell most.
        targets = domain_raw | {"muscles", "mistakes", "variations", "benefits", "exercises"}
        # Typos rarely hit the first letter; keying on it avoids "banging" -> "lunging".
        self._repair_targets: dict[str, list[str]] = {}
        for target in sorted(w for w in targets if len(w) >= 4):
            self._repair_targets.setdefault(target[0], []).append(target)

    def tokens(self, text: str) -> list[str]:
        """The stems of ``text``, typos repaired."""
        return self.read(text)[1]

    def read(self, text: str) -> Reading:
        """Raw words, stems and each stem's raw word. A long message reads each of its sentences
        several times (as an ask, as context, as part of the whole), so readings are kept."""
        kept = self._readings.get(text)
        if kept is None:
            if len(self._readings) >= _READINGS_KEPT:
                self._readings.clear()
            raw = raw_words(text)
            kept = self._readings[text] = (raw, *self._tokenize(raw))
        return list(kept[0]), list(kept[1]), list(kept[2])

    def _tokenize(self, raw: list[str]) -> tuple[list[str], list[int]]:
        """Stems, and for each the index of the raw word it came from."""
        out: list[str] = []
        origin: list[int] = []
        for index, word in enumerate(raw):
            for part in self._repair(_shorthand(word)).split():
                for piece in stem(part).split():
                    out.append(piece)
                    origin.append(index)
        return out, origin

    def _repair(self, word: str) -> str:
        if word in self._known or len(word) < 4 or word.isdigit():
            return word
        repaired = self._repaired.get(word)
        if repaired is None:
            if len(self._repaired) >= _REPAIRS_KEPT:
                self._repaired.clear()  # bounded: a long-running bot sees endless new words
            repaired = self._repaired[word] = self._repair_unknown(word)
        return repaired

    def _repair_unknown(self, word: str) -> str:
        limit = 1 if len(word) < 8 else 2
        best = process.extractOne(
            word, self._repair_targets.get(word[0], ()), scorer=OSA.distance, score_cutoff=limit
        )
        if best is not None:
            return str(best[0])
        # Two words run together: "gluebridge", "calfraises".
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            if head in self._known and tail in self._known:
                return f"{head} {tail}"
        return word


_SETS_X_REPS = re.compile(r"^\d+x\d+$")
_WEIGHT = re.compile(r"^\d+(kg|kgs|lb|lbs)$")


def _shorthand(word: str) -> str:
    """Gym shorthand as words: "3x10" is sets and reps, "40kg" a weight."""
    if _SETS_X_REPS.match(word):
        return "sets reps"
    if _WEIGHT.match(word):
        return "kg"
    return word
