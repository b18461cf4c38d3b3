"""Comparisons within one family ("forward vs reverse lunges"): an answer that names both sides
and says how they differ, composed from what the content says about each; on a topic asked
("reverse vs forward lunge muscles"), each side's text for that topic."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.answering.types import TOPIC_TITLES, Answer, FollowUp
from bot.core.content.store import ContentStore, Entry, Topic

_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_SUMMARY_SENTENCES = 2  # enough to say what a side is and what it is for


def compare(store: ContentStore, sides: Sequence[str]) -> Answer:
    """Each side's line from the family's variations text, where it has one (those lines are
    written to set the variations apart), else the start of that side's own summary. The answer
    stays the family's variations; each side is offered as a button, in the order named."""
    family = store.entries[store.family_of(sides[0])]
    entries = [store.entries[side] for side in sides]
    # The title stays the family's variations, as every topic answer's does; the body says which.
    lines = [f"{_compared(entries)}:", *(f"- {_line(family, entry)}" for entry in entries), ""]
    lines.append("Tap one below for how to do it, the muscles it works and common mistakes.")
    return Answer(
        family.id,
        "variations",
        f"{family.name}: {TOPIC_TITLES['variations']}",
        "\n".join(lines),
        follow_ups=tuple(FollowUp(entry.id, None, entry.name) for entry in entries),
    )


def compare_on(store: ContentStore, sides: Sequence[str], topic: Topic) -> Answer:
    """Both sides on the topic asked ("reverse vs forward lunge muscles"): each side's own text
    for that topic under its name, in the order named. The answer is the family's topic (its
    buttons, follow-ups); each side is offered as a button."""
    family = store.entries[store.family_of(sides[0])]
    entries = [store.entries[side] for side in sides]
    lines = [f"{_compared(entries)}, {TOPIC_TITLES[topic]}:"]
    for entry in entries:
        lines += ["", f"{entry.name}:", entry.topic_text(topic).strip()]
    return Answer(
        family.id,
        topic,
        f"{family.name}: {TOPIC_TITLES[topic]}",
        "\n".join(lines),
        follow_ups=tuple(FollowUp(entry.id, None, entry.name) for entry in entries),
    )


def _compared(entries: Sequence[Entry]) -> str:
    """ "Forward lunge vs reverse lunge"."""
    return " vs ".join(
        entry.name if i == 0 else _lowered(entry.name) for i, entry in enumerate(entries)
    )


def _line(family: Entry, entry: Entry) -> str:
    if entry.id != family.id:
        for line in family.topic_text("variations").splitlines():
            text = line.removeprefix("- ").strip()
            if text.lower().startswith(entry.name.lower()) and ":" in text:
                return text
    summary = " ".join(_SENTENCES.split(entry.summary.strip())[:_SUMMARY_SENTENCES])
    if summary.split()[0] in ("A", "An", "The"):  # mid-sentence after the name's colon
        summary = summary[0].lower() + summary[1:]
    return f"{entry.name}: {summary}"


def _lowered(name: str) -> str:
    """ "reverse lunge", but "Romanian deadlift" and "Bulgarian split squat" keep capitals."""
    if name.split()[0] in ("Bulgarian", "Romanian"):
        return name
    return name[0].lower() + name[1:]
