"""What the answerer returns and the phrase index it matches with."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from bot.core.answering.intents import Intent
from bot.core.content.store import Topic

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
class FollowUp:
    """Another question the same message asked, as a button: ``label`` is its text ("Also: how
    often?"); tapping it answers ``topic`` of ``exercise`` (topic None: the exercise's summary),
    or with exercise None and topic "overview", the overview (``section``: one of its sections,
    None for its start)."""

    exercise: str | None
    topic: AnswerTopic | None
    label: str
    section: int | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """What the bot says. ``text`` is plain; front ends render ``title`` and ``body`` themselves."""

    exercise: str | None
    topic: AnswerTopic | None
    title: str | None
    body: str
    # For overview answers: which sections of the overview the body holds.
    sections: tuple[int, ...] = field(default=())
    # Entries offered as buttons: the nearest ones when a lift we lack was named.
    suggestions: tuple[str, ...] = field(default=())
    # A message for a feature with its own flow (reminders, the training log), not a question.
    intent: Intent | None = None
    # The runner named something we do not cover ("pistol squats?"): the conversation has moved
    # off the last exercise, so "how many sets?" next must not answer about it.
    moved_on: bool = False
    # The other questions of a message that asked several ("...? Also, how often?"): offered as
    # buttons under the answer to the main one, in the order they were asked.
    follow_ups: tuple[FollowUp, ...] = field(default=())

    @property
    def text(self) -> str:
        return f"{self.title}\n\n{self.body}" if self.title else self.body

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "exercise": self.exercise,
            "topic": self.topic,
            "text": self.text,
        }
        if self.follow_ups:  # only when there are some: the three keys stay the contract
            data["follow_ups"] = [
                {"exercise": f.exercise, "topic": f.topic, "label": f.label, "section": f.section}
                for f in self.follow_ups
            ]
        return data


class PhraseIndex(Generic[V]):
    """Longest-first phrase lookup over a stem sequence."""

    def __init__(self, phrases: Iterable[tuple[Phrase, V]]) -> None:
        self._by_phrase: dict[Phrase, V] = {}
        for key, value in phrases:
            if key:
                self._by_phrase.setdefault(key, value)
        self.max_len = max((len(p) for p in self._by_phrase), default=0)
        # The longest phrase starting with each word: most words start none, so a scan over a
        # long message skips them with one lookup.
        self._longest: dict[str, int] = {}
        for key in self._by_phrase:
            self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))

    def scan(
        self, tokens: Sequence[str], used: list[bool] | None = None
    ) -> list[tuple[int, int, V]]:
        """Non-overlapping (start, end, value) matches, longest first at each position."""
        found: list[tuple[int, int, V]] = []
        i = 0
        while i < len(tokens):
            longest = self._longest.get(tokens[i], 0)
            for length in range(min(longest, len(tokens) - i), 0, -1):
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
