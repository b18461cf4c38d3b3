"""What a message is before it is a question: a reminder request or a workout report belongs to
another feature; "how long until..." asks about results; a follow-up refers back.

Pure functions of the message's raw words and stems (see ``bot.core.content.text``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Literal

from bot.core.content.text import phrase, stem

Intent = Literal["reminder", "log"]

# ---- reminders ---------------------------------------------------------------------------------
_REMIND: Final = frozenset(
    stem(w) for w in ("remind", "reminder", "notify", "notification", "alarm")
)
_REMIND_PAIRS: Final = frozenset(
    phrase(p) for p in ("ping me", "nudge me", "text me", "message me", "alert me")
)
_TIME = re.compile(r"\b\d{1,2}(?:[:.][0-5]\d)?\s*(?:am|pm)\b|\b\d{1,2}[:.h][0-5]\d\b|\b\d{1,2}h\b")

_DAYS: Final = frozenset(
    """mon monday mondays tue tues tuesday tuesdays wed wednesday wednesdays thu thur thurs
    thursday thursdays fri friday fridays sat saturday saturdays sun sunday sundays daily weekdays
    weekday weekends weekend everyday tomorrow morning mornings evening evenings""".split()
)


def _when(lowered: str, raw: Sequence[str]) -> bool:
    """A time of day said as a schedule ("at 7am", "mon wed fri 18:00"), not a race time."""
    found = _TIME.search(lowered)
    if found is None:
        return False
    before = " " + lowered[: found.start()].rstrip()
    return before.endswith(" at") or bool(set(raw) & _DAYS)


# ---- workout reports ---------------------------------------------------------------------------
_STATUS_VERBS: Final = frozenset(
    """done did finished finish completed complete skip skipped skipping missed nailed
    crushed""".split()
)
_STATUS_FILLERS: Final = frozenset(
    """it all for today todays the workout session sessions legs leg day strength my just yes yep
    ok okay and i have this that week one today's""".split()
)
_REPORT_NUMBERS = re.compile(
    r"\d+\s*[x×*]\s*\d+"  # 3x12, 4 x 10
    r"|@\s*\d"  # @ 40kg
    r"|\d+(?:[.,]\d+)?\s*(?:kg|kgs|kilos?|lbs?|pounds)\b"  # 40kg, 42,5 kg
    r"|\b\d+\s*[,/]\s*\d+(?:\s*[,/]\s*\d+)+"  # 15, 15, 12 or 12/12/10
    r"|\bx\s*\d+"  # x12
    r"|\b\d+\s+sets?\b"  # 4 sets of 8
)
# A report does not complain: "lower back hurts during deadlifts, only 40kg" is a question.
_COMPLAINTS: Final = frozenset(
    stem(w) for w in "hurt hurts pain painful ache aches sore wrong injured tweaked strain".split()
)
_QUESTION_WORDS: Final = frozenset(
    "how what why should which when where could would whats hows".split()
)
_QUESTION_STARTS: Final = frozenset("can is are do does am will any".split())


def is_question(text: str, raw: Sequence[str]) -> bool:
    if "?" in text:
        return True
    if any(w in _QUESTION_WORDS for w in raw):
        return True
    return bool(raw) and raw[0] in _QUESTION_STARTS


def feature_intent(
    text: str, raw: Sequence[str], tokens: Sequence[str], others: Sequence[str] | None = None
) -> Intent | None:
    """A reminder request or a workout report, which have their own flows; else None.
    ``others`` are the raw words outside exercise names (None: no exercise was named)."""
    names_exercise = others is not None
    if any(t in _REMIND for t in tokens):
        return "reminder"
    pairs = {tuple(tokens[i : i + 2]) for i in range(len(tokens) - 1)}
    if pairs & _REMIND_PAIRS:
        return "reminder"
    if not raw or is_question(text, raw):
        return None
    lowered = text.lower()
    if not names_exercise and len(raw) <= 10 and _when(lowered, raw):
        return "reminder"  # "every day at 7am", "mon wed fri 18:00"
    if any(t in _COMPLAINTS for t in tokens):
        return None
    if names_exercise and _REPORT_NUMBERS.search(lowered):
        return "log"  # "3x12 squats @ 40kg", "glute bridges 15, 15, 12"
    words = set(raw if others is None else others)
    if words & _STATUS_VERBS and words <= _STATUS_VERBS | _STATUS_FILLERS:
        return "log"  # "done", "did it!", "skipped today"
    if list(raw) in (["not", "today"], ["not", "today", "sorry"]):
        return "log"
    return None


# ---- results ------------------------------------------------------------------------------------
_WHEN: Final = tuple(
    phrase(p)
    for p in (
        "how long until",
        "how long till",
        "how long til",
        "how long before",
        "how long does it take",
        "how long will it take",
        "how long do",
        "how soon",
        "how quickly",
        "when will",
        "when do i",
        "when can i expect",
        "how many weeks",
        "how many months",
    )
)
_OUTCOME: Final = frozenset(
    stem(w)
    for w in """result results see notice difference faster stronger work works working help helps
    improve improvement change changes kick pay effect effects benefit benefits progress""".split()
)
_NO_RESULTS: Final = tuple(
    phrase(p)
    for p in (
        "no results",
        "see results",
        "any results",
        "get results",
        "no progress",
        "not seeing",
    )
)


def _has(tokens: Sequence[str], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(tuple(tokens[i : i + n]) == needle for i in range(len(tokens) - n + 1))


# Every phrase above starts with one of these: a message with none of them is quickly cleared.
_RESULT_STARTS: Final = frozenset(p[0] for p in (*_WHEN, *_NO_RESULTS))


def asks_about_results(tokens: Sequence[str]) -> bool:
    """ "How long until squats make me faster?": a question for the overview on patience."""
    if _RESULT_STARTS.isdisjoint(tokens):
        return False
    if any(_has(tokens, p) for p in _NO_RESULTS):
        return True
    for when in _WHEN:
        for i in range(len(tokens) - len(when) + 1):
            if tuple(tokens[i : i + len(when)]) == when:
                return any(t in _OUTCOME for t in tokens[i + len(when) :])
    return False


# ---- follow-ups ---------------------------------------------------------------------------------
# Words that point back at the exercise just talked about.
_BACK: Final = frozenset(
    stem(w) for w in "it its them they those these this that one same exercise lift move".split()
)
_OPENERS: Final = frozenset(stem(w) for w in ("and", "also", "so", "ok", "okay", "then", "plus"))
_WHAT_ABOUT: Final = phrase("what about")
# Running itself, not strength work: never a follow-up, whatever else the message says.
_RUNNING_ONLY: Final = tuple(
    phrase(p)
    for p in """pace paces pacing mileage miles mile km kms kilometres kilometers shoes trainers
    eat eating food fuel fuelling fueling gel gels carb carbs diet sleep cadence heartrate vo2
    splits""".split()
) + tuple(phrase(p) for p in ("heart rate", "long run", "easy run", "easy runs", "tempo run"))
# Running sessions: a follow-up only when the message also refers back ("before a run" in "do
# them before a run" is fine; "how long should my long run be" is not about the exercise).
_RUNNING: Final = frozenset(
    stem(w) for w in "run runs running race races marathon 5k 10k jog jogging".split()
)
# Words a short bare follow-up may hold besides topic cues ("common mistakes?", "any tips").
_FILLERS: Final = frozenset(
    stem(w)
    for w in """a an the any some common typical usual what which how is are do does i my me you
    should for about good best main most there per each please thanks again tell more be use
    dumbbell dumbbells kettlebell barbell bar band box bench step plate""".split()
)


def refers_back(tokens: Sequence[str]) -> bool:
    if not tokens:
        return False
    return tokens[0] in _OPENERS or any(t in _BACK for t in tokens) or _has(tokens, _WHAT_ABOUT)


def is_follow_up(tokens: Sequence[str], cue_words: frozenset[str], topic: str) -> bool:
    """Whether a message that names no exercise but asks ``topic`` is about the last exercise."""
    if any(_has(tokens, p) for p in _RUNNING_ONLY):
        return False
    if refers_back(tokens):
        return True
    running = any(t in _RUNNING for t in tokens)
    short = len(tokens) <= 6 and all(t in cue_words or t in _FILLERS for t in tokens)
    if short and (not running or topic == "programming"):
        return True  # "common mistakes?", "how many sets before a run"
    if topic != "mistakes" or running:
        return False
    return len(tokens) <= 12 and _symptom(tokens)


_BODY: Final = frozenset(
    stem(w)
    for w in """knee knees back hip hips heel heels ankle ankles foot feet toe toes hamstring
    hamstrings quad quads glute glutes calf calves achilles shin shins groin neck""".split()
)
_MY: Final = frozenset(("my", "i"))


def _symptom(tokens: Sequence[str]) -> bool:
    """ "My front heel lifts, what am I doing wrong": the runner's body doing something odd."""
    return any(t in _MY for t in tokens) and any(t in _BODY for t in tokens)
