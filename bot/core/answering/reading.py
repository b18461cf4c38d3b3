"""Reading a long message: which sentences ask, which only give context.

Runners rarely write "how do I do a glute bridge". They open with their mileage, a race or an old
injury, then ask one or several things ("is there a gold standard...? also, how often?"). This
module splits a message into sentences and asks, pure string work; ``answer.py`` decides what each
ask means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

# Sentence ends: . ! ? ; or a line break, but not the dot of "vs." or "e.g.".
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=\?)(?=[^\s?!.)])")
_ABBREVIATION = re.compile(r"\b(vs|e\.g|i\.e|approx|incl)\.", re.IGNORECASE)
# A second question glued to the first: "what muscles do they work, and is it safe to...".
_GLUED_ASK = re.compile(
    r",?\s+(?:and|also|plus)\s+(?=(?:how|what|why|should|is|are|do|does|can|will|which|when"
    r"|where|would|could|any)\b)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9']+")

_ASK_STARTS: Final = frozenset(
    """how hows how's what whats what's why which when where who should shall can could would will
    is are am do does did any anyone anybody tell explain help recommend suggest advise""".split()
)
# Phrases that make a sentence a request even without a question mark ("any tips", "thoughts").
_ASK_PHRASES: Final = (
    "any suggestion",
    "any advice",
    "any tip",
    "any idea",
    "any thought",
    "any guidance",
    "any input",
    "any help",
    "thoughts",
    "i wonder",
    "wondering",
    "curious",
    "want to know",
    "would like to know",
    "not sure",
    "no idea",
    "can you",
    "could you",
    "do you",
    "please",
    "recommend",
    "suggest",
    "advise",
    "i need help",
    "help me",
    "what to do",
    "tips",
    "or not",
)
# Openers that mark an ask as secondary ("Also, how often?"), not the message's main one.
_ALSO: Final = frozenset(
    ("also", "plus", "and", "oh", "ps", "p.s.", "second", "secondly", "lastly")
)


_BARE_WORDS: Final = 5


@dataclass(frozen=True, slots=True)
class Reading:
    """A message as sentences: the asks in order, and the context around them."""

    asks: tuple[str, ...]
    context: tuple[str, ...]
    parts: tuple[str, ...] = ()  # every sentence, in the order written

    @property
    def is_long(self) -> bool:
        """More than one sentence: worth reading ask by ask. A single sentence is answered whole."""
        return len(self.asks) + len(self.context) > 1


def sentences(text: str) -> list[str]:
    """The message's sentences; a question glued to another is split off, and both keep the
    question mark ("what does it work, and is it safe?" asks twice)."""
    parts: list[str] = []
    for sentence in _SENTENCE_END.split(_ABBREVIATION.sub(r"\1", text.strip())):
        pieces = [p.strip() for p in _GLUED_ASK.split(sentence) if p.strip(" ,.;!")]
        asked = sentence.rstrip().endswith("?")
        parts.extend(f"{p}?" if asked and not p.endswith("?") else p for p in pieces)
    return parts


def is_bare(ask: str) -> bool:
    """A short ask that only points at the rest of the message: "why?", "is that normal?",
    "what are your thoughts?"."""
    return len(_WORD.findall(ask.lower())) <= _BARE_WORDS


def is_ask(sentence: str) -> bool:
    lowered = sentence.lower()
    if "?" in lowered:
        return True
    words = _WORD.findall(lowered)
    if not words:
        return False
    first = words[1] if words[0] in _ALSO and len(words) > 1 else words[0]
    if first in _ASK_STARTS:
        return True
    return any(p in lowered for p in _ASK_PHRASES)


def read(text: str) -> Reading:
    """Split ``text`` into asks and context. With no sentence that asks, the whole message is the
    ask (a bare "squat form" is a question)."""
    parts = sentences(text)
    asks = tuple(s for s in parts if is_ask(s))
    if not asks:
        return Reading((text,), (), (text,))
    return Reading(asks, tuple(s for s in parts if not is_ask(s)), tuple(parts))
