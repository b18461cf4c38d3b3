"""Turning what people type into comparable word stems.

Questions and aliases go through the same functions (the content store checks its aliases with
them too), so a stem only has to be consistent, not linguistically correct ("lunging" and "lunges"
both become "lung").
"""

from __future__ import annotations

import functools
import re
import unicodedata

_IRREGULAR = {
    "calves": "calf",
    "calfs": "calf",
    "feet": "foot",
    "knees": "knee",
    "does": "do",
    "doing": "do",
    "did": "do",
    "done": "do",
    "this": "this",
    "these": "this",
    "is": "is",
    "ups": "up",
    "us": "us",
    "was": "was",
    "has": "has",
    "yes": "yes",
    "thanks": "thank",
    "thx": "thank",
    "ty": "thank",
    "pls": "please",
    "plz": "please",
    "u": "you",
    "ur": "your",
    "r": "are",
    "wat": "what",
    "wut": "what",
    "whats": "what",
    "hows": "how",
    "im": "i",
    "dont": "do not",
    "doesnt": "do not",
    "didnt": "do not",
    "cant": "can not",
    "cannot": "can not",
    "shouldnt": "should not",
    "wont": "will not",
    "ive": "i",
    "wk": "week",
    "wks": "week",
    "x": "x",
    "legged": "leg",
    "sideways": "side",
    "backwards": "backward",
    "forwards": "forward",
}

_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHE = re.compile(r"(?<=[a-z])['’`](?=[a-z])")


def raw_words(text: str) -> list[str]:
    """Lowercase ASCII words; accents, emoji, punctuation and apostrophes are dropped."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = _APOSTROPHE.sub("", folded)
    folded = folded.encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded)


def stem(word: str) -> str:
    """A small, consistent suffix stripper (plurals, -ing, a final silent e, doubled consonants)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiousl":
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    """Stem every word; irregular entries may expand to two words ("dont" -> "do not")."""
    out: list[str] = []
    for word in raw_words(text):
        out.extend(stem(word).split())
    return out


@functools.lru_cache(maxsize=4096)
def phrase(text: str) -> tuple[str, ...]:
    """The stems of a name or cue. Cached: the store checks its aliases with the same phrases the
    answerer then indexes, and both run at start-up."""
    return tuple(stems(text))
