"""Free text in, a report out: which exercises, how many sets of how many reps, at what load.

Pipeline: drop question sentences -> status words -> tokens -> exercise names (the content
store's names and aliases, through the answering core's typo repair and stems, longest first) ->
clauses (lines, ";", "+", "and", commas that are not between numbers) -> each exercise takes the
numbers of its clause -> set groups ("4x10", "80kg x 8 x 4", "15, 15, 12", "x12 x12", "4 sets of 8")
-> sanity checks. Pure: no I/O, never raises on any text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.answering import Answerer
from bot.core.answering import vocabulary as vocab
from bot.core.answering.answer import PhraseIndex
from bot.core.content import ContentStore
from bot.core.content.text import phrase
from bot.core.reports import lexer
from bot.core.reports.groups import Group, parse_groups
from bot.core.reports.lexer import Token
from bot.core.reports.model import (
    MAX_REPS,
    MAX_SETS,
    MAX_WEIGHT_KG,
    Doubt,
    Report,
    ReportEntry,
)

_LOG_SHORTHAND = {"calves": "calf-raise", "calf": "calf-raise"}
# Gym shorthand for lifts no entry covers, which the store's list spells out in full.
_UNCOVERED_SHORTHAND = ("bench", "ohp", "chins", "pullups", "pushups", "curls", "abs")
_CLAUSE_WORDS = frozenset({"and", "then", "plus", "also", "followed", "after", "next"})
_CLAUSE_SYMBOLS = frozenset({"\n", ";", "+", ".", "!", "?", "&", "|", "(", ")"})
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip
# Words that may stand around numbers without naming an exercise ("another 2x8", "RPE 8").
_CHATTER = frozenset(
    """another more extra rpe rir min mins minute minutes sec secs second seconds km k mi mile
    miles run ran today tonight morning evening session workout set sets rep reps did then also
    plus finished done got managed first last easy hard heavy light felt feel the a an my of
    x kg kgs lb lbs at with w each per leg legs side sides ea bw bodyweight warm warmup kb kbs db
    dbs bb pair pairs total
    up""".split()
)


@dataclass(slots=True)
class _Mention:
    """An exercise named in the message and the tokens (numbers, markers) that belong to it."""

    exercise: str  # entry id, or the runner's words for one we do not cover
    covered: bool
    tokens: list[Token] = field(default_factory=list)


class ReportParser:
    """Built once from the content store (new entries in ``data/`` are picked up on load)."""

    def __init__(self, store: ContentStore, answerer: Answerer | None = None) -> None:
        self.store = store
        self._answerer = answerer or Answerer(store)
        # One index for names we cover and lifts we do not, so the longest name wins wherever
        # it starts: "front squats 3x5" is the front squat the store lacks, not a squat. Our
        # names go in first (the store keeps its names and its uncovered list apart).
        named: list[tuple[tuple[str, ...], tuple[str, bool]]] = [
            (phrase(name), (e.id, True))
            for e in store.entries.values()
            for name in (e.name, e.id.replace("-", " "), *e.aliases)
        ]
        # Lifts we do not cover: the store's list, the answering core's, and gym shorthand.
        uncovered = [*getattr(vocab, "NOT_COVERED", ()), *_UNCOVERED_SHORTHAND]
        for lift in getattr(store, "uncovered", ()):
            uncovered += [str(lift.name).lower(), *(str(a) for a in lift.aliases)]
        named += [(phrase(str(p)), (str(p), False)) for p in uncovered]
        self._names: PhraseIndex[tuple[str, bool]] = PhraseIndex(named)
        # "sumo 3x5", "bulgarians 3x8": a variation's distinctive word alone names it; in a log,
        # "calves 3x20" are calf raises.
        bare = [
            (phrase(word), e.id)
            for e in store.entries.values()
            for word in vocab.STANDALONE_VARIATION_WORDS
            if e.family is not None and word in e.qualifiers
        ]
        bare += [(phrase(word), e) for word, e in _LOG_SHORTHAND.items() if e in store.entries]
        self._bare: PhraseIndex[str] = PhraseIndex(bare)
        # "calf raises 3x15 single leg": a variation's qualifier next to its family's name.
        self._qualifiers: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for e in store.entries.values():
            if e.family is not None:
                self._qualifiers.setdefault(e.family, []).extend(
                    (phrase(q), e.id) for q in e.qualifiers
                )
        self._known_words = vocab.COMMON_WORDS | _CHATTER
        self._stems: dict[str, tuple[str, ...]] = {}

    # ---- public ---------------------------------------------------------------------------

    def parse(self, text: str) -> Report:
        prepared = lexer.prepare(text[:4000])
        kept, asked = lexer.split_questions(prepared)
        if not kept.strip():
            return Report(question=asked or bool(text.strip()))
        done, skipped = lexer.status_words(kept)
        tokens = lexer.tokenize(lexer.fold(kept))
        self._name_exercises(tokens)
        mentions, unknown = self._mentions(tokens)
        entries: list[ReportEntry] = []
        doubts: list[Doubt] = []
        not_covered: list[str] = []
        for mention in mentions:
            groups = parse_groups(mention.tokens)
            if not groups:
                continue
            if not mention.covered:
                not_covered.append(mention.exercise)
                continue
            problem = _problem(groups)
            if problem is not None:
                doubts.append(Doubt(mention.exercise, problem))
                continue
            entries.extend(_entries(mention.exercise, groups))
        for words in unknown:
            not_covered.append(words)
        status = lexer.decide_status(done, skipped, bool(entries))
        report = Report(status, tuple(entries), tuple(not_covered), tuple(doubts))
        if not report.is_report and asked:
            return Report(question=True)
        return report

    def is_report(self, text: str) -> bool:
        return self.parse(text).is_report

    # ---- exercise names -------------------------------------------------------------------

    def _stems_of(self, word: str) -> tuple[str, ...]:
        found = self._stems.get(word)
        if found is None:
            if len(self._stems) > 50_000:  # typed input is unbounded; the cache is not
                self._stems.clear()
            found = tuple(self._answerer.tokens(word))
            self._stems[word] = found
        return found

    def _name_exercises(self, tokens: list[Token]) -> None:
        """Mark runs of words that name an exercise (ours: ex, one we do not cover: nc)."""
        run: list[int] = []
        for index, token in enumerate(tokens):
            if token.kind == "word":
                run.append(index)
            elif token.kind == "sym" and token.text == "-" and run:
                continue
            else:
                self._name_run(tokens, run)
                run = []
        self._name_run(tokens, run)

    def _name_run(self, tokens: list[Token], run: list[int]) -> None:
        if not run:
            return
        stems: list[str] = []
        owner: list[int] = []
        for index in run:
            for s in self._stems_of(tokens[index].text):
                stems.append(s)
                owner.append(index)
        used = [False] * len(stems)
        found = [(s, e, name, covered) for s, e, (name, covered) in self._names.scan(stems, used)]
        found += [(s, e, v, True) for s, e, v in self._bare.scan(stems, used)]
        for start, end, value, covered in found:
            first, last = owner[start], owner[end - 1]
            head = tokens[first]
            head.kind = "ex" if covered else "nc"
            head.exercise = value if covered else _words(tokens, first, last)
            for index in range(first + 1, last + 1):
                tokens[index].kind = "skip"

    # ---- clauses --------------------------------------------------------------------------

    def _mentions(self, tokens: list[Token]) -> tuple[list[_Mention], list[str]]:
        mentions: list[_Mention] = []
        unknown: list[str] = []
        for clause in _clauses([t for t in tokens if t.kind != "skip"]):
            named = [i for i, t in enumerate(clause) if t.kind in ("ex", "nc")]
            if not named:
                content = [
                    t.text
                    for t in clause
                    if t.kind == "word"
                    and t.text not in self._known_words
                    and t.text not in _NUMBER_WORDS
                ]
                if content:
                    if parse_groups(clause):  # numbers with words we do not know: "RDL 3x8"
                        unknown.append(" ".join(content[:3]))
                elif mentions:  # "2x8 @ 50", "(each leg)", "40kg": more of the last one
                    mentions[-1].tokens.append(Token("sym", ",", 0, True))
                    mentions[-1].tokens.extend(clause)
                continue
            numbers_first = any(
                t.kind in ("num", "word") and _is_number(t) for t in clause[: named[0]]
            )
            for n, at in enumerate(named):
                token = clause[at]
                if numbers_first:
                    start = named[n - 1] + 1 if n else 0
                    end = at
                    if n == len(named) - 1:
                        end = len(clause)  # trailing "@ 20kg" belongs to the last one
                    own = clause[start:end]
                else:
                    end = named[n + 1] if n + 1 < len(named) else len(clause)
                    own = (clause[:at] if n == 0 else []) + clause[at:end]
                exercise = token.exercise
                if token.kind == "ex":
                    exercise = self._variation(exercise, own)
                mentions.append(_Mention(exercise, token.kind == "ex", own))
        return mentions, unknown

    def _variation(self, exercise: str, tokens: list[Token]) -> str:
        """The one variation a qualifier among the mention's words picks, else the exercise."""
        candidates = self._qualifiers.get(exercise)
        if not candidates:
            return exercise
        stems = [s for t in tokens if t.kind == "word" for s in self._stems_of(t.text)]
        picked = {
            variation
            for qualifier, variation in candidates
            if any(
                tuple(stems[i : i + len(qualifier)]) == qualifier
                for i in range(len(stems) - len(qualifier) + 1)
            )
        }
        return picked.pop() if len(picked) == 1 else exercise


def _is_number(token: Token) -> bool:
    return token.kind == "num" or (token.kind == "word" and token.text in _NUMBER_WORDS)


def _words(tokens: list[Token], first: int, last: int) -> str:
    return " ".join(t.text for t in tokens[first : last + 1] if t.kind != "sym")


def _clauses(tokens: list[Token]) -> list[list[Token]]:
    """Split at line breaks, ";", "+", "and", and commas that do not sit inside a number list."""
    clauses: list[list[Token]] = [[]]
    for index, token in enumerate(tokens):
        if token.kind == "sym" and token.text == ",":
            boundary = not _inside_list(tokens, index)
        else:
            boundary = (token.kind == "sym" and token.text in _CLAUSE_SYMBOLS) or (
                token.kind == "word" and token.text in _CLAUSE_WORDS
            )
        if boundary:
            if clauses[-1]:
                clauses.append([])
            continue
        clauses[-1].append(token)
    return [c for c in clauses if c]


def _inside_list(tokens: Sequence[Token], index: int) -> bool:
    """A comma between two numbers of a list ("15, 15, 12"), not before "2x8" or "40kg"."""
    if index == 0 or index + 1 >= len(tokens):
        return False
    before, after = tokens[index - 1], tokens[index + 1]
    if not (_is_number(before) and _is_number(after)):
        return False
    following = tokens[index + 2] if index + 2 < len(tokens) else None
    if following is None:
        return True
    if following.kind == "word" and following.text in ("x", "sets", "set", "kg", "kgs", "lb"):
        return False
    return not (following.kind == "word" and following.text.startswith(("kilo", "lb", "pound")))


# ---- checks and entries ---------------------------------------------------------------------


def _problem(groups: list[Group]) -> str | None:
    for group in groups:
        said = group.sets_said
        if said is not None and not 1 <= said <= MAX_SETS:
            return f"{said} sets" if said >= 0 else "a fraction of a set"
        if not group.reps or len(group.reps) > MAX_SETS:
            return f"{len(group.reps)} sets"
        for reps in group.reps:
            if reps < 1 or reps > MAX_REPS or reps != int(reps):
                return f"{_number(reps)} reps"
        if group.weight is not None and group.weight > MAX_WEIGHT_KG:
            return f"{_number(group.weight)} kg"
    return None


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _entries(exercise: str, groups: list[Group]) -> list[ReportEntry]:
    """Groups of one mention become entries; runs with one load merge ("1x10, 2x8")."""
    out: list[ReportEntry] = []
    for group in groups:
        weight = group.weight if group.weight else None
        reps = tuple(int(r) for r in group.reps)
        if out and out[-1].weight_kg == weight and out[-1].per_side == group.per_side:
            last = out[-1]
            out[-1] = ReportEntry(exercise, last.reps + reps, weight, group.per_side)
            continue
        out.append(ReportEntry(exercise, reps, weight, group.per_side))
    return out
