"""Callback data for inline buttons: short, versioned by prefix, always within 64 bytes.

menu               the list of exercise families
ov                 the overview (why runners should strength-train)
ov:<n>             section n of the overview
e:<entry>          one exercise: its summary, topics and variations
t:<entry>:<topic>  one topic of one exercise
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.content import TOPICS, ContentStore, Topic

MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True, slots=True)
class Route:
    view: Literal["menu", "overview", "entry", "topic"]
    entry: str | None = None
    topic: Topic | None = None
    section: int | None = None


def encode(route: Route) -> str:
    if route.view == "menu":
        data = "menu"
    elif route.view == "overview":
        data = "ov" if route.section is None else f"ov:{route.section}"
    elif route.view == "entry":
        data = f"e:{route.entry}"
    else:
        data = f"t:{route.entry}:{route.topic}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:  # ids are short; this guards future content
        raise ValueError(f"callback data too long: {data!r}")
    return data


def decode(data: str, store: ContentStore) -> Route | None:
    """The route a button stands for, or None for stale or forged data."""
    if data == "menu":
        return Route("menu")
    if data == "ov":
        return Route("overview")
    kind, _, rest = data.partition(":")
    if kind == "ov" and rest.isdigit() and int(rest) < len(store.overview.sections):
        return Route("overview", section=int(rest))
    if kind == "e" and rest in store.entries:
        return Route("entry", rest)
    if kind == "t":
        entry, _, topic = rest.partition(":")
        for known in TOPICS:
            if topic == known and entry in store.entries:
                return Route("topic", entry, known)
    return None
