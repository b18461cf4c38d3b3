"""Every inline button's callback data, typed: one frozen dataclass per kind of button,
``encode`` to a short string with a version prefix, ``decode`` back or None.

Format ``1:<kind>[:<field>...]`` (1 is the version), always within Telegram's 64 bytes::

    1:m                  the exercise menu            1:o[:<section>]       the overview
    1:e:<entry>          one exercise                 1:t:<entry>:<topic>   one topic of one
    1:h:<entry>          how-to under a reminder                            exercise
    1:s:<action>:<id>    Done/Skip/Snooze of planned session <id> (action d, s, z30, z60)
    1:us                 start the set-up             1:ua:<step>           change one step
    1:uz:<zone>          time zone                    1:ud:<mask>           training days
    1:ut:<hhmm>          reminder time                1:ul:<day>|n          long-run day
    1:uk                 skip a set-up step           1:uy:<hhmm>:<mask>|x  yes, set that reminder
    1:un                 no, do not set it
    1:ur                 set-up: no goal race         1:uh:<mask>           set-up: hard run days
    1:uv:<level>         set-up: lifting level        1:sv:<level>          /level's choice
    1:lu:<message id>    Undo the log of that message of this chat
    1:lh:<page>          a page of /history           1:ld:<user id>:y|n    delete my data
    1:oa:<ask id>:y|n    keep a name as an own        1:od:<own id>         delete an own
                         exercise (and log its report)                      exercise
    1:rp:<days>          pause reminders (after a skip for pain)
    1:lc:<log id>:<entry index>:<reps, dot-separated>:<kg>|-   Undo a correction in words

``decode`` accepts only what ``encode`` writes: ASCII digits without leading zeros and within
SQLite's 64-bit integers, known kinds and choices, the exact number of fields. Whether the
button's log, session or user is the presser's is for its handler to check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import Literal

from bot.core.content import TOPICS, Topic
from bot.core.plans.season_model import RUNNER_LEVELS, RunnerLevel
from bot.core.schedule import valid_zone

VERSION = "1"
MAX_CALLBACK_BYTES = 64
MAX_ID = 2**63 - 1  # SQLite's (and PostgreSQL's bigint) largest integer
NO_LONGER_VALID = "This button is no longer valid."

SessionAction = Literal["d", "s", "z30", "z60"]
SetupStep = Literal["zone", "days", "time", "long"]
SESSION_ACTIONS: tuple[SessionAction, ...] = ("d", "s", "z30", "z60")
SETUP_STEPS: tuple[SetupStep, ...] = ("zone", "days", "time", "long")


# ---- the exercise browser -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Menu:
    pass


@dataclass(frozen=True, slots=True)
class Overview:
    section: int | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    entry: str


@dataclass(frozen=True, slots=True)
class TopicPage:
    entry: str
    topic: Topic


# ---- reminders ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HowTo:
    entry: str


@dataclass(frozen=True, slots=True)
class SessionButton:
    action: SessionAction
    planned_id: int


# ---- the guided set-up and /remind's buttons ------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetupStart:
    pass


@dataclass(frozen=True, slots=True)
class SetupAsk:
    step: SetupStep


@dataclass(frozen=True, slots=True)
class SetupZone:
    zone: str


@dataclass(frozen=True, slots=True)
class SetupDays:
    mask: int  # 1..127, Monday = bit 0


@dataclass(frozen=True, slots=True)
class SetupTime:
    at: time


@dataclass(frozen=True, slots=True)
class SetupLongRun:
    day: int | None  # 0 = Monday; None = no long run


@dataclass(frozen=True, slots=True)
class SetupSkip:
    pass


@dataclass(frozen=True, slots=True)
class SetupNoRace:
    pass


@dataclass(frozen=True, slots=True)
class SetupHardRuns:
    mask: int  # 0..127, Monday = bit 0; 0 = no hard runs


@dataclass(frozen=True, slots=True)
class SetupLevel:
    level: RunnerLevel


@dataclass(frozen=True, slots=True)
class LevelChoice:
    """/level's buttons (outside the set-up)."""

    level: RunnerLevel


@dataclass(frozen=True, slots=True)
class ReminderYes:
    at: time
    mask: int | None  # None: on the training days


@dataclass(frozen=True, slots=True)
class ReminderNo:
    pass


# ---- the training log -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UndoLog:
    message_id: int  # the report's message in the chat the button is in


@dataclass(frozen=True, slots=True)
class HistoryPage:
    page: int


@dataclass(frozen=True, slots=True)
class DeleteData:
    user_id: int  # whose data: only they may confirm
    confirm: bool


@dataclass(frozen=True, slots=True)
class OwnAsk:
    ask_id: int  # the report waiting for the answer; only its sender may answer
    keep: bool


@dataclass(frozen=True, slots=True)
class OwnDelete:
    exercise_id: int  # one of the presser's own exercises


@dataclass(frozen=True, slots=True)
class PauseReminders:
    days: int  # 1..366


@dataclass(frozen=True, slots=True)
class UndoCorrection:
    """Put entry ``index`` of log ``log_id`` back to ``reps`` at ``kg``, as before a correction."""

    log_id: int
    index: int
    reps: tuple[int, ...]
    kg: float | None


Button = (
    Menu | Overview | Entry | TopicPage | HowTo | SessionButton | SetupStart | SetupAsk
    | SetupZone | SetupDays | SetupTime | SetupLongRun | SetupSkip | ReminderYes | ReminderNo
    | UndoLog | HistoryPage | DeleteData | OwnAsk | OwnDelete | PauseReminders | UndoCorrection
    | SetupNoRace | SetupHardRuns | SetupLevel | LevelChoice
)  # fmt: skip
SETUP_BUTTONS = (
    SetupStart, SetupAsk, SetupZone, SetupDays, SetupTime, SetupLongRun, SetupSkip,
    ReminderYes, ReminderNo, SetupNoRace, SetupHardRuns, SetupLevel,
)  # fmt: skip
BROWSE_BUTTONS = (Menu, Overview, Entry, TopicPage)
REMINDER_BUTTONS = (SessionButton, HowTo)
LOG_BUTTONS = (UndoLog, HistoryPage, DeleteData)
OWN_BUTTONS = (OwnAsk, OwnDelete)


def _hhmm(at: time) -> str:
    return f"{at.hour:02d}{at.minute:02d}"


def _fields(button: Button) -> list[str]:
    match button:
        case Menu():
            return ["m"]
        case Overview(section):
            return ["o"] if section is None else ["o", str(section)]
        case Entry(entry):
            return ["e", entry]
        case TopicPage(entry, topic):
            return ["t", entry, topic]
        case HowTo(entry):
            return ["h", entry]
        case SessionButton(action, planned_id):
            return ["s", action, str(planned_id)]
        case SetupStart():
            return ["us"]
        case SetupAsk(step):
            return ["ua", step]
        case SetupZone(zone):
            return ["uz", zone]
        case SetupDays(mask):
            return ["ud", str(mask)]
        case SetupTime(at):
            return ["ut", _hhmm(at)]
        case SetupLongRun(day):
            return ["ul", "n" if day is None else str(day)]
        case SetupSkip():
            return ["uk"]
        case ReminderYes(at, mask):
            return ["uy", _hhmm(at), "x" if mask is None else str(mask)]
        case ReminderNo():
            return ["un"]
        case SetupNoRace():
            return ["ur"]
        case SetupHardRuns(mask):
            return ["uh", str(mask)]
        case SetupLevel(level):
            return ["uv", level]
        case LevelChoice(level):
            return ["sv", level]
        case UndoLog(message_id):
            return ["lu", str(message_id)]
        case HistoryPage(page):
            return ["lh", str(page)]
        case DeleteData(user_id, confirm):
            return ["ld", str(user_id), "y" if confirm else "n"]
        case OwnAsk(ask_id, keep):
            return ["oa", str(ask_id), "y" if keep else "n"]
        case OwnDelete(exercise_id):
            return ["od", str(exercise_id)]
        case PauseReminders(days):
            return ["rp", str(days)]
        case UndoCorrection(log_id, index, reps, kg):
            return ["lc", str(log_id), str(index), ".".join(map(str, reps)), _kg(kg)]


def _kg(kg: float | None) -> str:
    """A load as its shortest decimal: 30, 22.5 ("-": bodyweight)."""
    return "-" if kg is None else f"{kg:g}"


def encode(button: Button) -> str:
    data = ":".join([VERSION, *_fields(button)])
    if len(data.encode()) > MAX_CALLBACK_BYTES:  # ids are short; this guards future content
        raise ValueError(f"callback data too long: {data!r}")
    if decode(data) != button:  # a field a button may not carry (a bad zone, a mask of 0)
        raise ValueError(f"not a valid button: {button!r}")
    return data


_NUMBER = re.compile(r"0|[1-9][0-9]{0,18}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # an exercise id
_HHMM = re.compile(r"([01][0-9]|2[0-3])([0-5][0-9])")


def _number(text: str, low: int = 0, high: int = MAX_ID) -> int | None:
    """A plain ASCII decimal in [low, high]; re's [0-9] is ASCII only, unlike str.isdigit()."""
    if _NUMBER.fullmatch(text) is None:
        return None
    value = int(text)
    return value if low <= value <= high else None


def _slug(text: str) -> str | None:
    return text if _SLUG.fullmatch(text) else None


def _time(text: str) -> time | None:
    found = _HHMM.fullmatch(text)
    return None if found is None else time(int(found[1]), int(found[2]))


def _decode_fields(kind: str, args: list[str]) -> Button | None:
    one = args[0] if len(args) == 1 else None
    if not args:
        plain: dict[str, Callable[[], Button]] = {
            "m": Menu, "o": Overview, "us": SetupStart, "uk": SetupSkip, "un": ReminderNo,
            "ur": SetupNoRace,
        }  # fmt: skip
        return plain[kind]() if kind in plain else None
    if kind == "o" and one is not None and (section := _number(one, high=999)) is not None:
        return Overview(section)
    if kind in ("e", "h") and one is not None and (entry := _slug(one)) is not None:
        return Entry(entry) if kind == "e" else HowTo(entry)
    if kind == "t" and len(args) == 2 and _slug(args[0]) and args[1] in TOPICS:
        return TopicPage(args[0], args[1])
    if kind == "s" and len(args) == 2 and args[0] in SESSION_ACTIONS:
        planned_id = _number(args[1], low=1)
        action = args[0]
        return None if planned_id is None else SessionButton(action, planned_id)
    if kind == "ua" and one in SETUP_STEPS:
        return SetupAsk(one)
    if kind == "uz" and one is not None and valid_zone(one):
        return SetupZone(one)
    if kind == "ud" and one is not None and (mask := _number(one, 1, 127)) is not None:
        return SetupDays(mask)
    if kind == "ut" and one is not None and (at := _time(one)) is not None:
        return SetupTime(at)
    if kind == "ul" and one is not None:
        day = None if one == "n" else _number(one, high=6)
        return SetupLongRun(day) if one == "n" or day is not None else None
    if kind == "uy" and len(args) == 2 and (at := _time(args[0])) is not None:
        mask = None if args[1] == "x" else _number(args[1], 1, 127)
        return ReminderYes(at, mask) if args[1] == "x" or mask is not None else None
    if kind == "uh" and one is not None and (hard := _number(one, 0, 127)) is not None:
        return SetupHardRuns(hard)
    if kind in ("uv", "sv") and one in RUNNER_LEVELS:
        return SetupLevel(one) if kind == "uv" else LevelChoice(one)
    if kind == "lu" and one is not None and (message_id := _number(one, low=1)) is not None:
        return UndoLog(message_id)
    if kind == "lh" and one is not None and (page := _number(one, high=1_000_000)) is not None:
        return HistoryPage(page)
    if kind == "ld" and len(args) == 2 and args[1] in ("y", "n"):
        user_id = _number(args[0], low=1)
        return None if user_id is None else DeleteData(user_id, args[1] == "y")
    if kind == "oa" and len(args) == 2 and args[1] in ("y", "n"):
        ask_id = _number(args[0], low=1)
        return None if ask_id is None else OwnAsk(ask_id, args[1] == "y")
    if kind == "od" and one is not None and (exercise_id := _number(one, low=1)) is not None:
        return OwnDelete(exercise_id)
    if kind == "rp" and one is not None and (days := _number(one, 1, 366)) is not None:
        return PauseReminders(days)
    if kind == "lc" and len(args) == 4:
        return _undo_correction(args)
    return None


_KG = re.compile(r"(?:0|[1-9][0-9]{0,3})(?:\.[0-9]{1,2})?")


def _undo_correction(args: list[str]) -> UndoCorrection | None:
    log_id, index = _number(args[0], low=1), _number(args[1], high=99)
    reps = [_number(r, 1, 9999) for r in args[2].split(".")]
    kg = None if args[3] == "-" else (float(args[3]) if _KG.fullmatch(args[3]) else -1.0)
    if log_id is None or index is None or None in reps or len(reps) > 20 or kg == -1.0:
        return None
    return UndoCorrection(log_id, index, tuple(r for r in reps if r is not None), kg)


def decode(data: str | None) -> Button | None:
    """The button ``data`` stands for, or None for anything ``encode`` would not have written
    (stale versions, forged or overflowing numbers, unknown kinds, extra fields)."""
    if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    version, *rest = data.split(":")
    if version != VERSION or not rest:
        return None
    kind, *args = rest
    return _decode_fields(kind, args)


def fits(button: Button) -> bool:
    """Whether ``button`` can be sent (its data within 64 bytes, every field valid)."""
    try:
        encode(button)
    except ValueError:
        return False
    return True


def of_kinds(*kinds: type) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: the data decodes to one of ``kinds``."""

    def matches(data: object) -> bool:
        return isinstance(data, str) and isinstance(decode(data), kinds)

    return matches
