"""A run reported in words ("ran 10k", "did a 5 mile run this morning"): runs are not logged
here (strength is), but the runner gets a friendly line instead of "I can't help with that"."""

from __future__ import annotations

import re

_DISTANCE = r"\d+(?:[.,]\d+)?\s*(?:k|km|kms|kilometers?|kilometres?|mi|miles?|min|mins|minutes?)\b"
_RUN = re.compile(
    r"^(?:i\s+|just\s+|today\s+|this\s+morning\s+)*"
    r"(?:ran|run|jogged|did\s+(?:a|an|my)\s+(?:\S+\s+){0,3}(?:run|jog|long\s+run|tempo|intervals)|"
    r"went\s+for\s+an?\s+(?:\S+\s+){0,2}(?:run|jog)|long\s+run|easy\s+run|tempo\s+run)\b"
    r"(?!.*\?)(?:.*?" + _DISTANCE + r"|\s*(?:today|this\s+morning|tonight|yesterday)?[.!]*$)",
    re.IGNORECASE,
)


def is_run_report(text: str) -> bool:
    """Does the message tell of a run (not ask about one)?"""
    return bool(_RUN.match(" ".join(text.strip().lower().split())))


RUN_REPLY = (
    "Nice run! 🏃 I don't log runs (your watch or running app does that best): I keep your "
    "strength work. Tell me what you lifted like: squats 3x10 @ 40kg, calf raises 15, 15, 12"
)
