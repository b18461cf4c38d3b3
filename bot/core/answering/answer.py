"""The question answerer: understands free text against the content store.

Pipeline: words -> typo repair against exercise vocabulary -> stems -> the exercise (longest alias
match, qualifiers pick a variation) -> the topic (weighted cue phrases) -> the answer text.
Precision beats recall: when nothing we cover is named, the runner gets an honest decline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.answering import vocabulary as vocab
from bot.core.answering.text import phrase, raw_words, stem
from bot.core.content.model import TOPICS, ContentStore, Entry, Topic

AnswerTopic = Topic | Literal["overview"]

TOPIC_TITLES: dict[Topic, str] = {
    "how-to": "how to do it",
    "muscles": "muscles worked",
    "benefits": "why runners should do it",
    "mistakes": "common mistakes",
    "variations": "variations",
    "programming": "sets, reps and how often",
}
TOPIC_BUTTONS: dict[Topic, str] = {
    "how-to": "How to",
    "muscles": "Muscles",
    "benefits": "Why runners",
    "mistakes": "Mistakes",
    "variations": "Variations",
    "programming": "Sets & reps",
}

Phrase = tuple[str, ...]
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Answer:
    """What the bot says. ``text`` is plain; front ends render ``title`` and ``body`` themselves."""

    exercise: str | None
    topic: AnswerTopic | None
    title: str | None
    body: str
    # For overview answers: which sections of the overview the body holds.
    sections: tuple[int, ...] = field(default=())

    @property
    def text(self) -> str:
        return f"{self.title}\n\n{self.body}" if self.title else self.body

    def as_json(self) -> dict[str, str | None]:
        return {"exercise": self.exercise, "topic": self.topic, "text": self.text}


@dataclass(frozen=True, slots=True)
class _Match:
    entry_id: str
    start: int
    end: int


class PhraseIndex(Generic[V]):
    """Longest-first phrase lookup over a stem sequence."""

    def __init__(self, phrases: Iterable[tuple[Phrase, V]]) -> None:
        self._by_phrase: dict[Phrase, V] = {}
        for key, value in phrases:
            if key:
                self._by_phrase.setdefault(key, value)
        self.max_len = max((len(p) for p in self._by_phrase), default=0)

    def scan(
        self, tokens: Sequence[str], used: list[bool] | None = None
    ) -> list[tuple[int, int, V]]:
        """Non-overlapping (start, end, value) matches, longest first at each position."""
        found: list[tuple[int, int, V]] = []
        i = 0
        while i < len(tokens):
            for length in range(min(self.max_len, len(tokens) - i), 0, -1):
                if used is not None and any(used[i : i + length]):
                    continue
                value = self._by_phrase.get(tuple(tokens[i : i + length]))
                if value is not None:
                    found.append((i, i + length, value))
                    if used is not None:
                        used[i : i + length] = [True] * length
                    i += length
                    break
            else:
                i += 1
        return found


class Answerer:
    """Built once from the content store; ``answer()`` is a pure function of the question."""

    def __init__(self, store: ContentStore) -> None:
        self.store = store
        entries = store.entries.values()
        self._exercises = PhraseIndex(
            (phrase(name), e.id)
            for e in entries
            for name in (e.name, e.id.replace("-", " "), *e.aliases)
        )
        self._qualifiers: dict[str, list[tuple[Phrase, str]]] = {}
        for e in entries:
            if e.family is not None:
                self._qualifiers.setdefault(e.family, []).extend(
                    (phrase(q), e.id) for q in e.qualifiers
                )
        self._not_covered = PhraseIndex(
            [(phrase(p), p) for p in vocab.NOT_COVERED] + [(phrase(p), "") for p in vocab.OFF_TOPIC]
        )
        self._standalone = {phrase(word) for word in vocab.STANDALONE_VARIATION_WORDS}
        # A variation's distinctive word with no family word ("sumo vs conventional?").
        self._bare_qualifiers = PhraseIndex(
            (phrase(word), e.id)
            for e in entries
            for word in vocab.STANDALONE_VARIATION_WORDS
            if e.family is not None and word in e.qualifiers
        )
        self._topics = PhraseIndex(
            (phrase(cue), (topic, weight))
            for topic, cues in vocab.TOPIC_CUES.items()
            for cue, weight in cues
        )
        self._overview_strong = PhraseIndex((phrase(p), p) for p in vocab.OVERVIEW_STRONG)
        self._overview_weak = {stem(w) for w in vocab.OVERVIEW_WEAK}
        self._sections = PhraseIndex(
            (phrase(keyword), index)
            for index, section in enumerate(store.overview.sections)
            for keyword in section.keywords
        )
        self._runner = PhraseIndex((phrase(p), p) for p in vocab.RUNNER_WORDS)
        self._greetings = {phrase(g) for g in vocab.GREETINGS}

        # Words we recognise as spelled right; only other words are candidates for typo repair.
        domain_raw: set[str] = set()
        for e in entries:
            for name in (e.name, *e.aliases, *e.qualifiers):
                domain_raw.update(raw_words(name))
        for p in (*vocab.NOT_COVERED, *vocab.OFF_TOPIC):
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

    # ---- understanding -------------------------------------------------------------------

    def _repair(self, word: str) -> str:
        if word in self._known or len(word) < 4 or word.isdigit():
            return word
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

    def tokens(self, question: str) -> list[str]:
        words = [self._repair(_shorthand(w)) for w in raw_words(question)]
        out: list[str] = []
        for w in words:
            for part in w.split():
                out.extend(stem(part).split())
        return out

    def _find_exercise(self, tokens: list[str], used: list[bool]) -> tuple[str | None, bool]:
        """The exercise named, and whether two variations of one family were compared."""
        matches = self._exercises.scan(tokens, used)
        if not matches:
            return self._from_bare_qualifiers(tokens, used)
        ids = [m[2] for m in matches]
        first = ids[0]
        family = self.store.family_of(first)
        named = {i for i in ids if i != family and self.store.family_of(i) == family}
        rest = [t for t, u in zip(tokens, used, strict=True) if not u]
        # Qualifier words elsewhere pick a variation when only the family was named ("lunges
        # going backwards"); next to a named variation only distinctive ones count, as a
        # comparison ("goblet squat or bulgarian?"): "walk me through" is no walking lunge.
        qualifiers = [
            (qualifier, target)
            for qualifier, target in self._qualifiers.get(family, [])
            if not named or qualifier in self._standalone
        ]
        named |= {target for qualifier, target in qualifiers if _contains(rest, qualifier)}
        if len(named) > 1:
            return family, True
        if named:
            return named.pop(), len(ids) > 1
        return first, len(ids) > 1

    def _from_bare_qualifiers(self, tokens: list[str], used: list[bool]) -> tuple[str | None, bool]:
        """Only variation words were used: one names its variation, several of one family
        compare them ("sumo or conventional?"), anything else is not ours to guess."""
        named = {value for _, _, value in self._bare_qualifiers.scan(tokens, used)}
        families = {self.store.family_of(v) for v in named}
        if len(named) == 1:
            return named.pop(), False
        if len(families) == 1:
            return families.pop(), True
        return None, False

    def _find_topic(self, tokens: list[str], used: list[bool]) -> Topic | None:
        scores: dict[str, int] = {}
        for _, _, (topic, weight) in self._topics.scan(tokens, list(used)):
            scores[topic] = scores.get(topic, 0) + weight
        if not scores:
            return None
        best = max(scores.values())
        for topic in _TIE_ORDER:
            if scores.get(topic) == best:
                return topic
        return None  # pragma: no cover - every cue topic is in _TIE_ORDER

    def _is_overview(self, tokens: list[str]) -> bool:
        if self._overview_strong.scan(tokens):
            return True
        has_weak = any(t in self._overview_weak for t in tokens)
        return has_weak and bool(self._runner.scan(tokens))

    # ---- answering ------------------------------------------------------------------------

    def answer(self, question: str, previous: str | None = None) -> Answer:
        """Answer ``question``. ``previous`` is the exercise the conversation was about, so a
        follow-up such as "and what muscles does it work?" stays on that exercise."""
        tokens = self.tokens(question)
        used = [False] * len(tokens)
        exercise, compared = self._find_exercise(tokens, used)
        topic = self._find_topic(tokens, used)
        if exercise is None:
            not_covered = self._not_covered.scan(tokens)
            if not_covered:
                return self._decline(not_covered[0][2] or None)
            if self._is_overview(tokens):
                return self._overview(self._overview_section(tokens))
            if not tokens or _is_greeting(tokens, self._greetings):
                return self._welcome()
            if previous in self.store.entries and topic is not None:
                return self._topic(self.store.entries[previous], topic)
            return self._decline(None)
        entry = self.store.entries[exercise]
        if topic is None and compared:
            topic = "variations"
        if topic is None:
            return self._summary(entry)
        return self._topic(entry, topic)

    def topic_answer(self, entry_id: str, topic: Topic) -> Answer:
        return self._topic(self.store.entries[entry_id], topic)

    def summary_answer(self, entry_id: str) -> Answer:
        return self._summary(self.store.entries[entry_id])

    def overview_answer(self, section: int | None = None) -> Answer:
        return self._overview(section)

    def _topic(self, entry: Entry, topic: Topic) -> Answer:
        return Answer(
            exercise=entry.id,
            topic=topic,
            title=f"{entry.name}: {TOPIC_TITLES[topic]}",
            body=entry.topic_text(topic),
        )

    def _summary(self, entry: Entry) -> Answer:
        lines = [entry.summary]
        if entry.variations:
            names = ", ".join(self.store.entries[v].name for v in entry.variations)
            lines.append(f"Variations I know: {names}.")
        lines.append(
            "Ask me how to do it, the muscles it works, why runners need it, common mistakes, "
            "variations, or sets and reps."
        )
        return Answer(entry.id, None, entry.name, "\n\n".join(lines))

    def _overview_section(self, tokens: list[str]) -> int | None:
        """The overview section a general question is about, by its keywords (longest wins)."""
        scores: dict[int, int] = {}
        for start, end, index in self._sections.scan(tokens):
            scores[index] = scores.get(index, 0) + (end - start)
        return max(scores, key=lambda i: (scores[i], -i)) if scores else None

    def _overview(self, section: int | None = None) -> Answer:
        """The overview's summary and one section (the first two when none is asked for): the
        whole overview would be several screens on a phone; buttons offer the rest."""
        o = self.store.overview
        count = len(o.sections)
        shown = (section,) if section is not None and 0 <= section < count else (0, 1)[:count]
        parts = [o.summary] + [f"{o.sections[i].title}\n{o.sections[i].text}" for i in shown]
        return Answer(None, "overview", o.name, "\n\n".join(parts), sections=shown)

    def _known_list(self) -> str:
        return ", ".join(self.store.entries[f].name.lower() + "s" for f in self.store.families)

    def _welcome(self) -> Answer:
        body = (
            "I coach runners through lower-body strength training. Ask me about "
            f"{self._known_list()}: how to do them, the muscles they work, why they help your "
            "running, common mistakes, variations, and sets and reps.\n\n"
            "Try: how do I do a glute bridge?"
        )
        return Answer(None, None, None, body)

    def _decline(self, what: str | None) -> Answer:
        subject = f"{what}" if what else "that"
        body = (
            f"Sorry, I can't help with {subject}. I only know lower-body strength training for "
            f"runners: {self._known_list()}, and why runners should do them.\n\n"
            "Try: how do I do a glute bridge? or: how often should I deadlift?"
        )
        return Answer(None, None, None, body)


# When two topics score the same, the more specific question wins.
_TIE_ORDER: tuple[Topic, ...] = (
    "mistakes",
    "programming",
    "muscles",
    "variations",
    "benefits",
    "how-to",
)


_SETS_X_REPS = re.compile(r"^\d+x\d+$")
_WEIGHT = re.compile(r"^\d+(kg|kgs|lb|lbs)$")


def _shorthand(word: str) -> str:
    """Gym shorthand as words: "3x10" is sets and reps, "40kg" a weight."""
    if _SETS_X_REPS.match(word):
        return "sets reps"
    if _WEIGHT.match(word):
        return "kg"
    return word


def _contains(tokens: Sequence[str], needle: Phrase) -> bool:
    n = len(needle)
    return any(tuple(tokens[i : i + n]) == needle for i in range(len(tokens) - n + 1))


_FILLERS = frozenset(
    stem(w) for w in ("there", "bot", "coach", "legwork", "so", "much", "you", "please", "again")
)


def _is_greeting(tokens: list[str], greetings: set[Phrase]) -> bool:
    """Short chit-chat made only of greeting words ("hey there thanks")."""
    if tuple(tokens) in greetings:
        return True
    words = [t for t in tokens if t not in _FILLERS]
    return len(words) <= 3 and all((w,) in greetings for w in words)
