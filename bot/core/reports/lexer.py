"""From a message to tokens: questions dropped, status words found, numbers and words split.

Everything here is about the shape of what runners type ("3x10@40kg", "42,5 kg", "12/12/10",
"10,000 reps", "x12 x12"); which exercise a word names is the parser's business.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from bot.core.reports.model import Status

# ---- preparing the text -------------------------------------------------------------------

_TIMES = re.compile(r"[×✕✖]|(?<=\d)\s*\*\s*(?=\d)")
_UNIT = r"(?:kgs?|kilos?|kilograms?|lbs?|pounds?)\b"
# "42,5 kg", "@ 42,5": a decimal comma. "15,15,12" stays a list.
_DECIMAL_BEFORE_UNIT = re.compile(r"(?<![\d,.])(\d{1,3}),(\d{1,2})(?![\d,])(?=\s*" + _UNIT + ")")
_DECIMAL_AFTER_AT = re.compile(r"((?:@|\bat|\bwith)\s*)(\d{1,3}),(\d{1,2})(?![\d,])")
# "10,000 reps", "2,000 kg", "10.000 reps": thousands, so the number is seen (and questioned).
_THOUSANDS = re.compile(
    r"(?<![\d,.])(\d{1,3})[,.](\d{3})(?![\d,.])(?=\s*(?:" + _UNIT + r"|reps?\b))"
)
_APOSTROPHE = re.compile(r"(?<=[a-z])['’`](?=[a-z])")
# "plank 1:30": minutes and seconds of a hold ("at 6:30" is a time of day and stays).
_MINUTES_SECONDS = re.compile(r"(?<![\d:.@])(?<!at )\b([0-9]):([0-5][0-9])\b(?!:)")

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n|(?<=\?)")
_INTERROGATIVE: Final = frozenset(
    "how what whats why when where which who whom should can could is are am do does will would "
    "shall may might any anything".split()
)


def prepare(text: str) -> str:
    """Lowercase, one multiplication sign, decimal points, no thousands separators."""
    text = _TIMES.sub(" x ", text.lower())
    text = _MINUTES_SECONDS.sub(lambda m: f"{int(m[1]) * 60 + int(m[2])}s", text)
    text = _THOUSANDS.sub(r"\1\2", text)
    text = _DECIMAL_BEFORE_UNIT.sub(r"\1.\2", text)
    return _DECIMAL_AFTER_AT.sub(r"\1\2.\3", text)


def fold(text: str) -> str:
    """ASCII only (accents, emoji gone), apostrophes inside words dropped ("today's")."""
    folded = unicodedata.normalize("NFKD", text)
    folded = _APOSTROPHE.sub("", folded)
    return folded.encode("ascii", "ignore").decode("ascii")


def _is_question(sentence: str) -> bool:
    stripped = sentence.strip()
    if not stripped:
        return False
    if stripped.endswith("?"):
        return True
    first = re.match(r"[a-z']+", fold(stripped))
    return first is not None and first.group(0).replace("'", "") in _INTERROGATIVE


def split_questions(text: str) -> tuple[str, bool]:
    """The message without its question sentences, and whether it had any content left."""
    kept: list[str] = []
    asked = False
    for sentence in _SENTENCE.split(text):
        if _is_question(sentence):
            asked = True
        elif sentence.strip():
            kept.append(sentence.strip())
    return "\n".join(kept), asked


# ---- status -------------------------------------------------------------------------------

_NOT_DONE = re.compile(
    r"\b(?:not|didnt|didn't|did not|havent|haven't|have not|never|couldnt|couldn't|could not)"
    r"\s+(?:do|done|did|finish|finished|complete|completed|make it|manage|train|get to it)\b"
)
_SKIPPED = re.compile(
    r"\b(?:skip|skipped|skipping|skippin|not today|missed|miss it|no (?:workout|session|"
    r"training|strength|legs?|gym) today|bailed|rest day(?! (?:tomorrow|yesterday|next))|"
    r"no time|ran out of time|not happening|"
    r"(?:couldn|can|didn|won)['’]?t (?:fit|today|make it|do it)|"
    r"(?:could|can|did|will) not (?:fit|today|make it|do it)|cannot (?:fit|today|make it|do it))\b"
)
_DONE = re.compile(
    r"\b(?:done|finished|finish|completed|complete|smashed it|nailed it|crushed it|"
    r"did it|did (?:my|the|all|everything|today'?s|todays|them|both|that)|"
    r"got it in|ticked off)\b|[✅✔☑]"
)


def status_words(text: str) -> tuple[bool, bool]:
    """(done said, skipped said) in already prepared text."""
    skipped = bool(_SKIPPED.search(text) or _NOT_DONE.search(text))
    done = bool(_DONE.search(_NOT_DONE.sub(" ", text)))
    return done, skipped


def decide_status(done: bool, skipped: bool, logged: bool) -> Status | None:
    if logged:
        return "done" if done else None
    if skipped:
        return "skipped"
    return "done" if done else None


# ---- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<num>\d+(?:\.\d+)?(?:e[+-]?\d+(?!\d))?)|(?P<word>[a-z]+)|(?P<sym>[@/,;+\-.!?:&()\n|])"
)
# Past any bound of a set, a rep or a load: a longer number is only ever asked about, and stays a
# finite float whatever its length ("1e308", 309 digits).
HUGE = 1e9


@dataclass(slots=True)
class Token:
    """kind: num word sym, later ex (the first word of a lift's name) and skip (its other words)."""

    kind: str
    text: str
    start: int
    space_before: bool
    value: float = 0.0
    exercise: str = ""  # ex: the catalogue id
    written: str = ""  # ex: the name as the runner wrote it


def number_value(raw: str) -> float:
    """The value of a number token, never more than HUGE (so never infinite)."""
    mantissa, _, exponent = raw.partition("e")
    digits = mantissa.split(".")[0].lstrip("0")
    if len(digits) > 12 or (exponent and int(exponent[:6]) + len(digits) > 12):
        return HUGE
    return min(float(raw), HUGE)


def _is_sign(tokens: list[Token], dash: Token) -> bool:
    """A "-" stuck to the number after it, after a space, "x", "@" or nothing: "-3x-12 @ -40"."""
    if dash.text != "-" or dash.kind != "sym":
        return False
    if not tokens or dash.space_before:
        return True
    before = tokens[-1]
    return before.text in ("x", "@", ":", "(") or before.text == "\n"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    previous_end = -1
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "sym"
        raw = match.group(0)
        token = Token(kind, raw, match.start(), match.start() != previous_end)
        if kind == "num":
            token.value = number_value(raw)
            dash = tokens.pop() if tokens and not token.space_before else None
            if dash is not None and _is_sign(tokens, dash):
                token.value, token.text = -token.value, "-" + raw
                token.start, token.space_before = dash.start, dash.space_before
            elif dash is not None:
                tokens.append(dash)
        tokens.append(token)
        previous_end = match.end()
    return tokens
