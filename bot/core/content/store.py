"""The validated content store as plain, immutable data: what answering, plans and reports read.

Kept apart from the schema (``model.py``, pydantic) so that a process can use a store it did not
validate itself (the loader's cache) without importing pydantic or PyYAML at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, get_args

Topic = Literal["how-to", "muscles", "benefits", "mistakes", "variations", "programming"]
TOPICS: tuple[Topic, ...] = get_args(Topic)


@dataclass(frozen=True, slots=True)
class Topics:
    """The six things a runner can ask about an exercise. Plain text, no markup."""

    how_to: str
    muscles: str
    benefits: str
    mistakes: str
    variations: str
    programming: str

    def get(self, topic: Topic) -> str:
        text: str = getattr(self, topic.replace("-", "_"))
        return text


@dataclass(frozen=True, slots=True)
class OverviewSection:
    title: str
    # Phrases that make a general question about this section ("how often" -> How often).
    keywords: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A validated exercise, ready for answering. ``family`` is None for a family itself."""

    id: str
    name: str
    aliases: tuple[str, ...]
    qualifiers: tuple[str, ...]
    summary: str
    topics: Topics
    see_also: tuple[str, ...]
    family: str | None
    variations: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    helps_with: tuple[str, ...] = ()

    def topic_text(self, topic: Topic) -> str:
        return self.topics.get(topic)


@dataclass(frozen=True, slots=True)
class Lift:
    """A lift the store does not cover (``data/uncovered.yaml``)."""

    name: str
    aliases: tuple[str, ...]
    nearest: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Overview:
    name: str
    summary: str
    sections: tuple[OverviewSection, ...]


@dataclass(frozen=True, slots=True)
class ContentStore:
    """Every entry by id, families in file order, and the overview."""

    entries: dict[str, Entry]
    families: tuple[str, ...]
    overview: Overview
    sources: dict[str, str] = field(default_factory=dict)  # entry id -> file name
    uncovered: tuple[Lift, ...] = ()

    def family_of(self, entry_id: str) -> str:
        entry = self.entries[entry_id]
        return entry.family or entry.id


def words(text: str) -> list[str]:
    """Lowercase word tokens."""
    return re.findall(r"[a-z0-9]+", text.lower())
