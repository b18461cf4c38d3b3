"""Reading times, days, pauses and reminder requests from what a runner types.

Every parser returns a value or a ``Problem`` (a friendly sentence with an example) and never
raises on bad input, so a handler can reply with the problem and change nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.core.schedule.firing import ALL_DAYS


@dataclass(frozen=True, slots=True)
class Problem:
    """Why the input could not be used, written for the runner."""

    message: str


TIME_EXAMPLE = "Write the time like 07:30, 7am, 18h or 6.30pm."
DAYS_EXAMPLE = "Write the days like: mon wed fri, weekdays, or every day."

_TIME = re.compile(
    r"(?<![\d:.])(?P<h>\d{1,2})(?:(?P<sep>[:.h])(?P<m>\d{2})?)?\s*"
    r"(?P<ampm>a\.?m\.?|p\.?m\.?)?(?![\w:])",
    re.IGNORECASE,
)
_WORD_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}

_DAY_WORDS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "mo"),
        ("tue", "tues", "tuesday", "tu"),
        ("wed", "weds", "wednesday", "we"),
        ("thu", "thur", "thurs", "thursday", "th"),
        ("fri", "friday", "fr"),
        ("sat", "saturday", "sa"),
        ("sun", "sunday", "su"),
    )
):
    for _name in _names:
        _DAY_WORDS[_name] = _index
        _DAY_WORDS[_name + "s"] = _index
_GROUPS: dict[str, frozenset[int]] = {
    "weekdays": frozenset(range(5)),
    "weekday": frozenset(range(5)),
    "workdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "weekend": frozenset({5, 6}),
    "daily": ALL_DAYS,
    "everyday": ALL_DAYS,
}
_PHRASES = (
    ("every day", ALL_DAYS),
    ("each day", ALL_DAYS),
    ("all days", ALL_DAYS),
    ("every single day", ALL_DAYS),
)
_DAY_FILLER = frozenset({"on", "every", "each", "and", "the", "&", "+", "to", "also", "day"})


def _to_time(hour: int, minute: int, ampm: str | None, shown: str) -> time | Problem:
    if ampm:
        if not 1 <= hour <= 12:
            return Problem(f"{shown!r} is not a time on a 12-hour clock. {TIME_EXAMPLE}")
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return Problem(f"There is no {shown} on the clock. {TIME_EXAMPLE}")
    return time(hour, minute)


def _from_match(match: re.Match[str]) -> time | Problem:
    minute = match.group("m")
    return _to_time(
        int(match.group("h")), int(minute) if minute else 0, match.group("ampm"), match.group(0)
    )


def parse_time(text: str) -> time | Problem:
    """``07:30``, ``7:30``, ``7am``, ``18h``, ``18h30``, ``6.30pm``, ``0730``, ``noon``."""
    cleaned = " ".join(text.strip().lower().split()).removeprefix("at ")
    if cleaned in _WORD_TIMES:
        return _WORD_TIMES[cleaned]
    compact = re.fullmatch(r"(\d{2})(\d{2})", cleaned)
    if compact:
        return _to_time(int(compact.group(1)), int(compact.group(2)), None, cleaned)
    match = _TIME.fullmatch(cleaned)
    if match is None:
        return Problem(f"I can't read {text.strip()[:30]!r} as a time. {TIME_EXAMPLE}")
    return _from_match(match)


def _time_spans(text: str) -> list[tuple[int, int, time | Problem]]:
    """Time expressions in free text. A bare number counts only after "at" ("at 7"), so
    "for 10 days" holds no time."""
    spans: list[tuple[int, int, time | Problem]] = []
    for match in _TIME.finditer(text):
        explicit = match.group("sep") or match.group("ampm")
        before = text[: match.start()].rstrip().lower()
        if explicit or before.endswith(("at", "@", "by")):
            spans.append((match.start(), match.end(), _from_match(match)))
    for word, value in _WORD_TIMES.items():
        for found in re.finditer(rf"\b{word}\b", text, re.IGNORECASE):
            spans.append((found.start(), found.end(), value))
    return sorted(spans, key=lambda s: s[0])


def find_time(text: str) -> time | Problem | None:
    """The first time expression in free text, or None if there is none."""
    spans = _time_spans(text)
    return spans[0][2] if spans else None


def _day_tokens(text: str) -> list[str]:
    lowered = text.lower()
    for phrase, _days in _PHRASES:
        lowered = lowered.replace(phrase, " everyday ")
    lowered = re.sub(r"\s*-\s*", "-", lowered)
    return [t for t in re.split(r"[\s,;/]+", lowered) if t]


def _token_days(token: str) -> frozenset[int] | None:
    if token in _GROUPS:
        return _GROUPS[token]
    if token in _DAY_WORDS:
        return frozenset({_DAY_WORDS[token]})
    first, dash, last = token.partition("-")
    if dash and first in _DAY_WORDS and last in _DAY_WORDS:
        start, end = _DAY_WORDS[first], _DAY_WORDS[last]
        return frozenset((start + i) % 7 for i in range((end - start) % 7 + 1))
    return None


def parse_days(text: str) -> frozenset[int] | Problem:
    """``mon wed fri``, ``mon,wed,fri``, ``weekdays``, ``every day``, ``mon and thu``,
    ``mon-fri``."""
    days: set[int] = set()
    for token in _day_tokens(text):
        found = _token_days(token)
        if found is not None:
            days |= found
        elif token not in _DAY_FILLER:
            return Problem(f"I don't know the day {token[:20]!r}. {DAYS_EXAMPLE}")
    if not days:
        return Problem(f"Which days? {DAYS_EXAMPLE}")
    return frozenset(days)


def find_days(text: str) -> frozenset[int] | None:
    """The days named anywhere in free text (other words ignored), or None."""
    days: set[int] = set()
    for token in _day_tokens(text):
        found = _token_days(token)
        if found is not None:
            days |= found
    return frozenset(days) if days else None


@dataclass(frozen=True, slots=True)
class ReminderIntent:
    """ "remind me ... at 7am": set the reminder (days None keeps the current days)."""

    at: time
    days: frozenset[int] | None


@dataclass(frozen=True, slots=True)
class StopIntent:
    """ "stop reminding me"."""


@dataclass(frozen=True, slots=True)
class PauseIntent:
    """ "pause my reminders for 2 weeks, my knee hurts": ``words`` is the length ("for 2 weeks",
    "" for open-ended), read by ``parse_pause`` against the runner's local date."""

    words: str


@dataclass(frozen=True, slots=True)
class ResumeIntent:
    """ "resume my reminders", "unpause"."""


_STOP = re.compile(
    r"^(?:please\s+)?(?:stop|cancel|turn\s+off|disable|no\s+more|end)\s+"
    r"(?:(?:the|my|all|your|these|those)\s+)*remind(?:ing|ers?)?\b",
)
_SET = re.compile(
    r"^(?:hey\s+|ok\s+|please\s+|can\s+you\s+|could\s+you\s+|pls\s+)*"
    r"(?:remind\s+me|set\s+(?:a\s+|my\s+|up\s+(?:a\s+|my\s+)?)?reminders?|"
    r"reminders?\s+(?:at|on|every))\b",
)
_POLITE = r"^(?:hey\s+|ok\s+|please\s+|can\s+you\s+|could\s+you\s+|pls\s+)*"
_PAUSE = re.compile(
    _POLITE + r"(?:pause|hold|suspend)\s+(?:(?:the|my|all|your)\s+)*"
    r"(?:reminders?|reminding\s+me|training|plan|sessions?)(?P<rest>\b.*)$"
)
_RESUME = re.compile(
    _POLITE + r"(?:resume|unpause|restart|turn\s+on)\s+(?:(?:the|my|all|your)\s+)*"
    r"(?:reminders?|training|plan|sessions?)\b"
)
# What follows the length of a pause and is not part of it: "..., my knee hurts".
_PAUSE_END = re.compile(r",|;|\.|\bbecause\b|\bas\b|\bsince\b|\bmy\b|\bi\b|\bi'm\b")


def parse_intent(
    text: str,
) -> ReminderIntent | StopIntent | PauseIntent | ResumeIntent | Problem | None:
    """A reminder request in free text; None when the text is not one (a question)."""
    lowered = " ".join(text.lower().replace("’", "'").split()).rstrip(".!")
    if _STOP.match(lowered):
        return StopIntent()
    pause = _PAUSE.match(lowered.rstrip("?"))
    if pause:
        return PauseIntent(_PAUSE_END.split(pause.group("rest"), maxsplit=1)[0].strip())
    if _RESUME.match(lowered):
        return ResumeIntent()
    if not _SET.match(lowered):
        return None
    spans = _time_spans(lowered)
    # "remind me what a lunge is?" is a question; "can you remind me mondays at 6:30?" is not.
    if "?" in lowered and not spans and "remind me" not in lowered[:12]:
        return None
    if not spans:
        return Problem(
            "At what time should I remind you? For example: remind me every weekday at 7am."
        )
    start, end, at = spans[0]
    if isinstance(at, Problem):
        return at
    days = find_days(lowered[:start] + " " + lowered[end:])
    return ReminderIntent(at, days)


def is_reminder_request(text: str) -> bool:
    """For the message filter: does this text ask to set or stop reminders?"""
    return parse_intent(text) is not None


@dataclass(frozen=True, slots=True)
class PauseSpec:
    """Reminders come back on local date ``until``; None: paused until /resume."""

    until: date | None


PAUSE_EXAMPLE = "For example: /pause 10 days, /pause until 2027-01-15, or just /pause."
_UNITS = {"day": 1, "days": 1, "d": 1, "week": 7, "weeks": 7, "w": 7, "wk": 7, "wks": 7}
_MAX_PAUSE = timedelta(days=366)


def parse_pause(text: str, today: date) -> PauseSpec | Problem:
    """``for 10 days``, ``2 weeks``, ``a week``, ``until 2027-01-15``, or nothing (open)."""
    cleaned = " ".join(text.lower().split()).rstrip(".!")
    if cleaned in ("", "open", "open-ended", "indefinitely", "until further notice", "for now"):
        return PauseSpec(None)
    iso = re.fullmatch(r"(?:until|till|til|to|through)?\s*(\d{4}-\d{2}-\d{2})", cleaned)
    if iso:
        try:
            until = date.fromisoformat(iso.group(1))
        except ValueError:
            return Problem(f"{iso.group(1)} is not a date on the calendar. {PAUSE_EXAMPLE}")
        if until <= today:
            return Problem(f"{until.isoformat()} is not in the future. {PAUSE_EXAMPLE}")
        if until - today > _MAX_PAUSE:
            return Problem(f"That is more than a year away. {PAUSE_EXAMPLE}")
        return PauseSpec(until)
    span = re.fullmatch(r"(?:for\s+)?(\d{1,3}|a|an|one)\s*([a-z]+)", cleaned)
    if span and span.group(2) in _UNITS:
        count = 1 if span.group(1) in ("a", "an", "one") else int(span.group(1))
        length = timedelta(days=count * _UNITS[span.group(2)])
        if count <= 0 or length > _MAX_PAUSE:
            return Problem(f"Pick a pause between 1 day and a year. {PAUSE_EXAMPLE}")
        return PauseSpec(today + length)
    return Problem(f"I can't read {text.strip()[:30]!r} as a pause. {PAUSE_EXAMPLE}")


def parse_time_and_days(text: str) -> tuple[time, frozenset[int] | None] | Problem:
    """``/remind`` arguments: a time, then optional days (``18:00 mon wed fri``, ``7am weekdays``).
    Days None: none given."""
    cleaned = " ".join(text.lower().split())
    spans = _time_spans(cleaned)
    if not spans:
        first = cleaned.split(" ", 1)[0]
        word = parse_time(first)
        if isinstance(word, Problem):
            return Problem(
                f"I can't find a time in {text.strip()[:30]!r}. {TIME_EXAMPLE} "
                "For example: /remind 07:30 mon wed fri"
            )
        spans = [(0, len(first), word)]
    start, end, at = spans[0]
    if isinstance(at, Problem):
        return at
    rest = (cleaned[:start] + " " + cleaned[end:]).strip()
    rest = re.sub(r"^(?:at|on)\s+", "", rest)
    if not rest:
        return at, None
    days = parse_days(rest)
    if isinstance(days, Problem):
        return days
    return at, days
