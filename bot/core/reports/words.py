"""Word lists of the report parser: what may stand around numbers without naming an exercise,
what describes a lift without making it another one, what is a run, and circuits' rounds."""

from __future__ import annotations

import re
from typing import Final

NUMBER_WORDS: Final = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip

# Words that may stand around numbers without naming an exercise ("another 2x8", "RPE 8").
CHATTER: Final = frozenset(
    """another more extra rpe rir min mins minute minutes sec secs second seconds s km k mi mile
    miles run ran today tonight morning evening session workout set sets rep reps did then also
    plus finished done got managed first last easy hard heavy light felt feel the a an my of
    x kg kgs lb lbs at with w each per leg legs side sides ea bw bodyweight warm warmup kb kbs db
    dbs bb pair pairs total up straight unbroken only just but again too all rest round rounds
    circuit circuits through thru holding hold held plate plates dumbbell dumbbells kettlebell
    kettlebells barbell bar band bands time times way ways after before kilo kilos kilogram
    kilograms pound pounds feeling pain sore tired energy mood sleep slept hour hours day days
    week weeks""".split()
)

# Words before a lift's name that describe how it was done, not another lift ("pause squats").
MODIFIERS: Final = frozenset(
    """quick slow pause paused tempo deep banded box heavy light weighted loaded full half partial
    narrow wide close good solid easy hard great some couple few final working top bottom
    assisted strict explosive controlled isometric iso static standing seated lying mini
    superset supersets""".split()
)

# A clause with one of these and no lift is a run (or other cardio): never a set, never a lift
# of its own ("ran 8k then 3x10 squats", "tempo run 6x800m").
RUN_WORDS: Final = frozenset(
    """ran run runs running jog jogs jogged jogging tempo interval intervals stride strides
    repeats parkrun marathon halfmarathon fartlek miles mile mi km k m hike hiked
    swim swam swimming cycling cycled bike biked ride rode spin treadmill elliptical
    yoga pilates steps walk walked walking hr bpm pace""".split()
)

_COUNT = r"(\d{1,9}|" + "|".join(NUMBER_WORDS) + r")"
# "3 rounds:", "x3 rounds of", "5 rounds of", "circuit x3", "circuit done x 4", "3x through",
# "rounds: 3", "x3: ..." at the start of a line.
_ROUNDS: Final = (
    re.compile(r"\b(?:x\s*)?" + _COUNT + r"\s*(?:x\s*)?rounds?\b(?:\s*of\b)?"),
    re.compile(r"\bcircuit\b[^\d\n]{0,12}?\bx\s*" + _COUNT + r"\b(?:\s*rounds?\b)?"),
    re.compile(r"\bcircuit\b[^\d\n]{0,12}?\b" + _COUNT + r"\s*(?:x|times)(?![\d\w])"),
    re.compile(r"\b" + _COUNT + r"\s*(?:x|times)\s*(?:through|thru)\b"),
    re.compile(r"\brounds?\s*[:=x]\s*" + _COUNT + r"\b"),  # "rounds: 3"
    re.compile(r"^\s*x\s*" + _COUNT + r"\s*[:\-]", re.MULTILINE),  # "x3: 10 squats, ..."
)


def _count(text: str) -> int:
    return NUMBER_WORDS.get(text) or int(text)


def take_rounds(text: str) -> tuple[str, int | None]:
    """The text without its first "N rounds" phrase, and N. A space takes its place, so
    "squats 2 rounds of 10" stays one clause ("squats 10", done twice)."""
    for pattern in _ROUNDS:
        match = pattern.search(text)
        if match is not None:
            return f"{text[: match.start()]} {text[match.end() :]}", _count(match.group(1))
    return text, None
