"""Corrections in words: "actually i only did 2 sets of the RDLs", "actually rdl 2x8 @ 30kg".

A correction names one exercise and either how many sets there really were or the whole entry
as it should be; the logbook applies it to the runner's last log of that exercise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.reports.model import ReportEntry
from bot.core.reports.parser import ReportParser

_LEAD = re.compile(
    r"^(?:(?:oops|sorry|wait|my\s+bad|correction)[,:!.]?\s+)*"
    r"(?:actually|correction)[,:]?\s+(?:it\s+was\s+)?(?:i\s+)?(?:only\s+)?(?:did\s+)?(?:only\s+)?"
    r"(?P<rest>.+)$"
)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_SETS = re.compile(
    r"^(?P<n>\d{1,2}|one|two|three|four|five|six)\s+sets?\s+(?:of\s+)?(?:the\s+|my\s+)?"
    r"(?P<name>[a-z][a-z' -]*?)\s*$"
)


@dataclass(frozen=True, slots=True)
class Correction:
    exercise: str
    sets: int | None = None  # "only 2 sets": the first sets of the log stay
    entry: ReportEntry | None = None  # the entry as it should be (load kept if not given)


def parse_correction(text: str, parser: ReportParser) -> Correction | None:
    """The correction in ``text``, or None when it is not one."""
    lowered = " ".join(text.lower().replace("’", "'").split()).rstrip(".!")
    lead = _LEAD.match(lowered)
    if lead is None:
        return None
    rest = lead.group("rest")
    sets = _SETS.match(rest)
    if sets is not None:
        count = _NUMBERS.get(sets.group("n")) or int(sets.group("n"))
        probe = parser.parse(f"{sets.group('name')} 1x1")
        if len(probe.entries) == 1 and 0 < count <= 20:
            return Correction(probe.entries[0].exercise, sets=count)
        return None
    report = parser.parse(rest)
    if len(report.entries) == 1 and not report.doubts:
        return Correction(report.entries[0].exercise, entry=report.entries[0])
    return None
