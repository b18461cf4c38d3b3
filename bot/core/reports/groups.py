"""The numbers of one exercise: set groups with their load.

Understands "4x10", "4 x 10 @ 20 kg", "3x10x40", "80kg x 8 x 4" (weight x reps x sets),
"15, 15, 12", "12/12/10", "8-8-6", "15 15 12", "x12 x12 x12", "4 sets of 8", "3 sets 10 reps",
"10 reps x 3 sets", "20 reps", a load before or after ("40kg squats 3x10", "3x10 40kg", "@ 50",
"with a 35 lb kettlebell", "@ 2x12kg"), per side ("each leg", "/side", "per leg", "ea"), and time
("3x45s", "2 x 1 min", "60 sec": seconds, the group is timed). Numbers that are not about sets
("10k run", "RPE 8") are ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.reports.lexer import Token
from bot.core.reports.model import MAX_SETS

LB_IN_KG = 0.45359237

_UNITS = {
    "kg": 1.0, "kgs": 1.0, "kilo": 1.0, "kilos": 1.0, "kilogram": 1.0, "kilograms": 1.0,
    "lb": LB_IN_KG, "lbs": LB_IN_KG, "pound": LB_IN_KG, "pounds": LB_IN_KG,
}  # fmt: skip
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip
_TIME_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "min": 60, "mins": 60, "minute": 60, "minutes": 60,
}  # fmt: skip
_SIDES = frozenset({"leg", "legs", "side", "sides", "foot", "way", "arm"})
_SIDE_WORDS = frozenset({"each", "per", "a", "an"})
_KINDS = {
    "x": "X", "at": "AT", "with": "AT", "set": "SETS", "sets": "SETS", "round": "SETS",
    "rounds": "SETS", "rep": "REPS", "reps": "REPS", "repetitions": "REPS", "times": "REPS",
    "steps": "REPS",
    "of": "OF", "bw": "BW", "bodyweight": "BW", "ea": "SIDE", "es": "SIDE",
}  # fmt: skip


@dataclass(slots=True)
class Group:
    reps: list[float]
    weight: float | None = None  # kg; None when not said
    per_side: bool = False
    sets_said: float | None = None  # S of "S x R" as said (reps holds at most MAX_SETS + 1)
    timed: bool = False  # the numbers are seconds


@dataclass(slots=True)
class _Item:
    kind: str  # N X U AT SETS REPS OF L SIDE BW W S E CLOCK
    value: float = 0.0
    space_before: bool = True
    text: str = ""
    timed: bool = False  # a number of seconds ("45s", "1 min")


@dataclass(slots=True)
class _State:
    groups: list[Group] = field(default_factory=list)
    pending: float | None = None
    pending_sets: float | None = None
    per_side: bool = False

    def weight(self, kg: float) -> None:
        """A load: the group just read takes it, else the groups that follow."""
        if self.groups and self.groups[-1].weight is None:
            self.groups[-1].weight = kg
        else:
            self.pending = kg

    def add(
        self, reps: list[float], weight: float | None = None, sets_said: float | None = None
    ) -> None:
        chosen = weight if weight is not None else self.pending
        self.groups.append(Group(reps, chosen, sets_said=sets_said))


def _items(tokens: Sequence[Token]) -> list[_Item]:
    out: list[_Item] = []
    n = len(tokens)
    i = 0
    while i < n:
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < n else None
        if t.kind == "num":
            if nxt is not None and nxt.kind == "word" and nxt.text in ("am", "pm"):
                out.append(_Item("N", t.value, t.space_before))
                out.append(_Item("CLOCK"))  # "at 7pm": a time of day
                i += 1
            elif nxt is not None and nxt.kind == "word" and nxt.text in _TIME_UNITS:
                seconds = t.value * _TIME_UNITS[nxt.text]
                out.append(_Item("N", seconds, t.space_before, timed=True))
                i += 1
            else:
                out.append(_Item("N", t.value, t.space_before))
        elif t.kind == "ex":
            out.append(_Item("E"))
        elif t.kind == "word":
            text = t.text
            if text in _NUMBER_WORDS:
                out.append(_Item("N", float(_NUMBER_WORDS[text]), t.space_before))
            elif text in _UNITS:
                out.append(_Item("U", _UNITS[text], t.space_before))
            elif text == "w" and nxt is not None and nxt.text == "/":
                out.append(_Item("AT"))
                i += 1
            elif text == "e" and nxt is not None and nxt.text == "/" and i + 2 < n:
                out.append(_Item("SIDE"))
                i += 2
            elif text in _SIDE_WORDS and nxt is not None and nxt.text in _SIDES:
                out.append(_Item("SIDE"))
                i += 1
            elif text == "each" and (not out or out[-1].kind in ("N", "REPS", "L", "S")):
                out.append(_Item("SIDE"))
            else:
                out.append(_Item(_KINDS.get(text, "W"), space_before=t.space_before, text=text))
        elif t.kind == "sym":
            if t.text == "/" and nxt is not None and nxt.text in _SIDES:
                out.append(_Item("SIDE"))
                i += 1
            elif t.text == "@":
                out.append(_Item("AT"))
            elif t.text in (",", "/", "-"):
                out.append(_Item("L"))
            else:
                out.append(_Item("S"))
        i += 1
    return out


def _kind(items: Sequence[_Item], i: int) -> str:
    return items[i].kind if 0 <= i < len(items) else ""


def _chain(items: Sequence[_Item], i: int) -> list[float]:
    """The numbers of "x12 x12 x10" starting at an X."""
    found: list[float] = []
    while _kind(items, i) == "X" and _kind(items, i + 1) == "N":
        found.append(items[i + 1].value)
        i += 2
    return found


def _kg(value: float, factor: float) -> float:
    return round(value, 2) if factor == 1.0 else round(value * factor, 1)


def _sets(count: float, reps: float) -> tuple[list[float], float]:
    """S sets of R; a count that is no whole number of sets gives none (and is asked about)."""
    whole = int(count) if count == int(count) else 0
    return [reps] * max(0, min(whole, MAX_SETS + 1)), count


def parse_groups(tokens: Sequence[Token]) -> list[Group]:
    items = _items(tokens)
    state = _State()
    i = 0
    while i < len(items):
        before = len(state.groups)
        after = _step(items, i, state)
        if any(item.timed for item in items[i:after]):
            for group in state.groups[before:]:
                group.timed = True
        i = after
    for group in state.groups:
        group.per_side = state.per_side
        if group.weight is None and state.pending is not None:
            group.weight = state.pending
    return state.groups


def _step(items: Sequence[_Item], i: int, state: _State) -> int:
    item = items[i]
    k = item.kind
    if k == "SIDE":
        state.per_side = True
        return i + 1
    if k == "AT":
        return _at(items, i + 1, state)
    if k == "X":
        chain = _chain(items, i)
        if chain:
            state.add(chain)
            return i + 2 * len(chain)
        return i + 1
    if k != "N":
        return i + 1
    a = item.value
    nk = _kind(items, i + 1)
    if nk == "U":
        return _weight_first(items, i, state)
    if nk == "X" and _kind(items, i + 2) == "N":
        return _times(items, i, state)
    if nk == "SETS":
        j = i + 2
        while _kind(items, j) in ("OF", "X", "L"):
            j += 1
        if _kind(items, j) == "N":
            reps, said = _sets(a, items[j].value)
            state.add(reps, sets_said=said)
            return j + 2 if _kind(items, j + 1) == "REPS" else j + 1
        state.pending_sets = a
        return i + 2
    if nk == "REPS":
        j = i + 2
        if (_kind(items, j) == "X" and _kind(items, j + 1) == "N") or (
            _kind(items, j) in ("OF", "L")
            and _kind(items, j + 1) == "N"
            and _kind(items, j + 2) == "SETS"
        ):
            reps, said = _sets(items[j + 1].value, a)  # "10 reps x 3 (sets)", "20 steps x 3"
            state.add(reps, sets_said=said)
            return j + 3 if _kind(items, j + 2) == "SETS" else j + 2
        if _kind(items, j) == "N" and _kind(items, j + 1) == "SETS":
            reps, said = _sets(items[j].value, a)  # "12 reps 3 sets"
            state.add(reps, sets_said=said)
            return j + 2
        if state.pending_sets is not None:
            reps, said = _sets(state.pending_sets, a)
            state.pending_sets = None
            state.add(reps, sets_said=said)
        else:
            state.add([a])
        return i + 2
    if nk in ("L", "N"):
        values = [a]
        j = i + 1
        while True:
            if _kind(items, j) == "L" and _kind(items, j + 1) == "N" and _kind(items, j + 2) != "X":
                if _kind(items, j + 2) == "U":
                    break
                values.append(items[j + 1].value)
                j += 2
            elif _kind(items, j) == "N" and _kind(items, j + 1) not in ("X", "U"):
                values.append(items[j].value)
                j += 1
            else:
                break
        if len(values) > 1:
            state.add(values)
            return j + 1 if _kind(items, j) == "REPS" else j
        return i + 1
    if nk == "SIDE" or nk == "E" or (_kind(items, i - 1) == "E" and nk in ("", "S", "BW")):
        if state.pending_sets is not None:  # "5 sets of step ups (8 per leg)"
            reps, said = _sets(state.pending_sets, a)
            state.pending_sets = None
            state.add(reps, sets_said=said)
        else:
            state.add([a])  # "10 each side", "50 calf raises", "squats 20"
    return i + 1


def _weight_first(items: Sequence[_Item], i: int, state: _State) -> int:
    """ "80kg x 8 x 4" (weight x reps x sets), "60kg x10 x10 x8", "40kg x 10", or a lone load."""
    kg = _kg(items[i].value, items[i + 1].value)
    j = i + 2
    chain = _chain(items, j)
    listed = items[j].space_before and not items[j + 1].space_before if chain else False
    if len(chain) >= 3 or (len(chain) == 2 and listed):
        state.add(chain, kg)
        return j + 2 * len(chain)
    if len(chain) == 2:
        reps, said = _sets(chain[1], chain[0])
        state.add(reps, kg, said)
        return j + 4
    if len(chain) == 1:
        state.add(chain, kg)
        return j + 2
    state.weight(kg)
    return j


def _times(items: Sequence[_Item], i: int, state: _State) -> int:
    """ "S x R", "S x R x W(kg)", "W x R x S", "2 x 12kg" (a pair of dumbbells), "60s x 3"."""
    a, b = items[i].value, items[i + 2].value
    if items[i].timed and not items[i + 2].timed:
        reps, said = _sets(b, a)  # "plank 60s x 3": a time is never a count of sets
        state.add(reps, sets_said=said)
        return i + 3
    if _kind(items, i + 3) == "U":
        kg = _kg(b, items[i + 3].value)
        if a <= 4:
            state.weight(kg)  # "@ 2x12kg": a pair of dumbbells
        else:
            state.add([a], kg)  # "10 x 40kg": ten reps at 40 kg
        return i + 4
    if _kind(items, i + 3) == "X" and _kind(items, i + 4) == "N":
        c = items[i + 4].value
        if _kind(items, i + 5) == "U":
            reps, said = _sets(a, b)
            state.add(reps, _kg(c, items[i + 5].value), said)
            return i + 6
        if a > MAX_SETS and c <= 10:
            reps, said = _sets(c, b)
            state.add(reps, round(a, 2), said)
        else:
            reps, said = _sets(a, b)
            state.add(reps, round(c, 2), said)
        return i + 5
    reps, said = _sets(a, b)
    state.add(reps, sets_said=said)
    j = i + 3
    if _kind(items, j) in ("REPS", "SETS"):
        j += 1
    if _kind(items, j) == "N" and _kind(items, j + 1) in ("", "S", "SIDE", "BW"):
        state.weight(round(items[j].value, 2))  # "squats 3x10 40": a bare load after the sets
        return j + 1
    return j


def _at(items: Sequence[_Item], j: int, state: _State) -> int:
    """ "@ 50", "at 42.5kg", "with a 35 lb kettlebell", "@ 2x12kg"."""
    if _kind(items, j) == "W" and items[j].text in ("a", "an", "the", "my"):
        j += 1  # "with a 35 lb kettlebell"
    if _kind(items, j) != "N" or items[j].timed or _kind(items, j + 1) == "CLOCK":
        return j  # "with a 2 min rest", "with a 5 second hold", "at 7pm": not a load
    value = items[j].value
    if _kind(items, j + 1) == "U":
        state.weight(_kg(value, items[j + 1].value))
        return j + 2
    if (
        _kind(items, j + 1) == "X"
        and _kind(items, j + 2) == "N"
        and _kind(items, j + 3) == "U"
        and value <= 4
    ):
        state.weight(_kg(items[j + 2].value, items[j + 3].value))
        return j + 4
    if _kind(items, j + 1) in ("X", "SETS", "REPS"):
        return j  # "with 3x10" is sets, not a load
    state.weight(round(value, 2))
    return j + 1
