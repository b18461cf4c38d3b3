"""Schema of the content store.

One YAML file per exercise family (``data/squat.yaml`` ...) plus ``data/overview.yaml``. A family
file holds the family entry and its variations. Every entry has the same six topics, so a runner
can ask any question of any exercise.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.core.content.store import OverviewSection, Topics

_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _word_list(values: list[str]) -> list[str]:
    cleaned = [v.strip().lower() for v in values]
    if any(not v for v in cleaned):
        raise ValueError("must not contain empty strings")
    if len(set(cleaned)) != len(cleaned):
        raise ValueError("must not contain duplicates")
    return cleaned


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _clean_text(value: str) -> str:
    # Authors write YAML block scalars; keep their paragraphs but drop trailing spaces.
    lines = [line.rstrip() for line in value.strip().splitlines()]
    return "\n".join(lines)


class TopicsSpec(_Strict):
    """The six things a runner can ask about an exercise. Plain text, no markup."""

    how_to: str = Field(alias="how-to", min_length=40)
    muscles: str = Field(min_length=40)
    benefits: str = Field(min_length=40)
    mistakes: str = Field(min_length=40)
    variations: str = Field(min_length=40)
    programming: str = Field(min_length=40)

    @field_validator("*")
    @classmethod
    def _tidy(cls, value: str) -> str:
        return _clean_text(value)

    def to_topics(self) -> Topics:
        return Topics(
            self.how_to, self.muscles, self.benefits, self.mistakes, self.variations,
            self.programming,
        )  # fmt: skip


class EntrySpec(_Strict):
    """One exercise (a family or a variation) as written in a content file."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=2, max_length=60)
    aliases: list[str] = Field(default_factory=list)
    # Words that, next to the family's name, pick this variation ("lunges going *backwards*").
    qualifiers: list[str] = Field(default_factory=list)
    summary: str = Field(min_length=40, max_length=600)
    topics: TopicsSpec
    # Other entries worth a look from this one (the variations topic points to them).
    see_also: list[str] = Field(default_factory=list)
    # Sub-variations the variations topic describes without an entry of their own ("marching
    # bridge"): a question naming one gets that topic, never just the summary.
    mentions: list[str] = Field(default_factory=list)
    # Problems in a runner's words this entry addresses ("shin splints"): a question about one
    # that names no exercise gets this entry.
    helps_with: list[str] = Field(default_factory=list)

    @field_validator("aliases", "qualifiers", "mentions", "helps_with")
    @classmethod
    def _lowercase_words(cls, values: list[str]) -> list[str]:
        return _word_list(values)

    @field_validator("summary")
    @classmethod
    def _tidy(cls, value: str) -> str:
        return _clean_text(value)


class FamilySpec(EntrySpec):
    variations: list[EntrySpec] = Field(default_factory=list)


class LiftSpec(_Strict):
    """A lift runners ask about that the store has no entry for: declined by name, with the
    nearest entries the store does cover."""

    name: str = Field(min_length=2, max_length=60)
    aliases: list[str] = Field(default_factory=list)
    nearest: list[str] = Field(default_factory=list, max_length=3)

    @field_validator("aliases")
    @classmethod
    def _lowercase_words(cls, values: list[str]) -> list[str]:
        return _word_list(values)


class UncoveredSpec(_Strict):
    id: Literal["uncovered"]
    lifts: list[LiftSpec] = Field(min_length=1)


class SectionSpec(_Strict):
    title: str = Field(min_length=3, max_length=80)
    # Phrases that make a general question about this section ("how often" -> How often).
    keywords: list[str] = Field(default_factory=list)
    text: str = Field(min_length=40)

    @field_validator("text")
    @classmethod
    def _tidy(cls, value: str) -> str:
        return _clean_text(value)

    def to_section(self) -> OverviewSection:
        return OverviewSection(self.title, tuple(self.keywords), self.text)


class OverviewSpec(_Strict):
    id: Literal["overview"]
    name: str = Field(min_length=3, max_length=80)
    summary: str = Field(min_length=40, max_length=600)
    sections: list[SectionSpec] = Field(min_length=1)
