"""Free text in, a report out: which exercises, how many sets of how many reps, at what load.

Pipeline: drop question sentences -> status words -> a circuit's rounds ("3 rounds:") -> tokens ->
exercise names (the catalogue's names and aliases: the content store's entries and the lifts of
uncovered.yaml, through the answering core's typo repair and stems, longest first; unknown words
before or instead of a name are the runner's own exercise) -> clauses (lines, ";", "+", "and",
commas that are not between numbers; a run's clause is dropped) -> each exercise takes the numbers
of its clause -> set groups ("4x10", "80kg x 8 x 4", "15, 15, 12", "x12 x12", "4 sets of 8",
"3x45s") -> sanity checks. Pure: no I/O, never raises on any text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from bot.core.answering import Answerer
from bot.core.answering import vocabulary as vocab
from bot.core.answering.answer import PhraseIndex
from bot.core.content import ContentStore
from bot.core.content.text import phrase
from bot.core.reports import lexer
from bot.core.reports.catalogue import HOLDS, Catalogue, custom_id, custom_name
from bot.core.reports.groups import Group, parse_groups
from bot.core.reports.lexer import Token
from bot.core.reports.model import (
    MAX_REPS,
    MAX_SECONDS,
    MAX_SETS,
    MAX_WEIGHT_KG,
    Doubt,
    Report,
    ReportEntry,
)
from bot.core.reports.words import CHATTER, MODIFIERS, NUMBER_WORDS, RUN_WORDS, take_rounds

_LOG_SHORTHAND = {"calves": "calf-raise", "calf": "calf-raise"}
_CLAUSE_WORDS = frozenset({"and", "then", "plus", "also", "followed", "after", "next"})
_CLAUSE_SYMBOLS = frozenset({"\n", ";", "+", ".", "!", "?", "&", "|", "(", ")"})
_SETS_WORDS = frozenset({"sets", "set", "rounds", "round"})
_LOAD_UNITS = frozenset("kg kgs kilo kilos kilogram kilograms lb lbs pound pounds".split())


@dataclass(slots=True)
class _Mention:
    """An exercise named in the message and the tokens (numbers, markers) that belong to it."""

    exercise: str  # catalogue id
    tokens: list[Token] = field(default_factory=list)
    written: str = ""  # the name as the runner wrote it


class ReportParser:
    """Built once from the content store (new entries in ``data/`` are picked up on load).

    ``every_lift``: entries name any lift of the catalogue, timed work in seconds and the runner's
    own names ("custom:..."), as ``python -m bot parse`` shows. Without it (the bot's training log
    until it stores seconds and runners' own exercises) entries are content-store entries counted
    in reps only, and anything else named with numbers is in ``not_covered`` as written.
    """

    def __init__(
        self, store: ContentStore, answerer: Answerer | None = None, *, every_lift: bool = False
    ) -> None:
        self.store = store
        self.every_lift = every_lift
        self.catalogue = Catalogue.of(store)
        self._answerer = answerer or Answerer(store)
        self._stems: dict[str, tuple[str, ...]] = {}
        # One index for every lift, entries first, so the longest name wins wherever it starts:
        # "front squats 3x5" is the front squat, not a squat. Each name as the content store
        # stems it and as a report's words are stemmed here, singular and plural (the stems of
        # "mornings" and "morning" differ).
        self._names: PhraseIndex[str] = PhraseIndex(
            [
                (key, lift_id)
                for text, lift_id in self.catalogue.phrases
                for key in (phrase(text), self._phrase(text), self._phrase(_plural(text)))
            ]
        )
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
        self._known_words = vocab.COMMON_WORDS | CHATTER | NUMBER_WORDS.keys()
        self._describing = self._known_words | MODIFIERS | RUN_WORDS

    # ---- public ---------------------------------------------------------------------------

    def parse(self, text: str) -> Report:
        prepared = lexer.prepare(text[:4096])
        kept, asked = lexer.split_questions(prepared)
        if not kept.strip():
            return Report(question=asked or bool(text.strip()))
        done, skipped = lexer.status_words(kept)
        kept, rounds = take_rounds(kept)
        tokens = lexer.tokenize(lexer.fold(kept))
        self._name_exercises(tokens)
        entries: list[ReportEntry] = []
        doubts: list[Doubt] = []
        not_covered: list[str] = []
        for mention in self._mentions(tokens):
            groups = parse_groups(mention.tokens)
            if not groups:
                continue
            timed = mention.exercise in HOLDS
            if rounds is not None:
                _repeat(groups, rounds)
            problem = _problem(groups, timed)
            if problem is not None:
                doubts.append(Doubt(custom_name(mention.exercise) or mention.exercise, problem))
                continue
            made = _entries(mention.exercise, groups, timed)
            if self.every_lift or all(self._loggable(e) for e in made):
                entries.extend(made)
                not_covered += [e.custom_name for e in made if e.custom_name is not None]
            else:
                not_covered.append(mention.written)
        status = lexer.decide_status(done, skipped, bool(entries))
        names = tuple(dict.fromkeys(not_covered))
        report = Report(status, tuple(entries), names, tuple(doubts))
        if not report.is_report and asked:
            return Report(question=True)
        return report

    def is_report(self, text: str) -> bool:
        return self.parse(text).is_report

    def _loggable(self, entry: ReportEntry) -> bool:
        return entry.exercise in self.store.entries and entry.seconds is None

    # ---- exercise names -------------------------------------------------------------------

    def _stems_of(self, word: str) -> tuple[str, ...]:
        found = self._stems.get(word)
        if found is None:
            if len(self._stems) > 50_000:  # typed input is unbounded; the cache is not
                self._stems.clear()
            found = tuple(self._answerer.tokens(word))
            self._stems[word] = found
        return found

    def _phrase(self, text: str) -> tuple[str, ...]:
        words = lexer.tokenize(lexer.fold(text.lower()))
        return tuple(s for w in words if w.kind == "word" for s in self._stems_of(w.text))

    def _name_exercises(self, tokens: list[Token]) -> None:
        """Mark runs of words that name a lift: its first word "ex", the others "skip"."""
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
        found = [*self._names.scan(stems, used), *self._bare.scan(stems, used)]
        place = {index: n for n, index in enumerate(run)}
        free = 0  # run[free:] are words no name has taken yet
        for start, end, lift_id in sorted(found):
            first, last = owner[start], owner[end - 1]
            # Unknown words right before a name make another lift: "zercher good mornings".
            at = own = place[first]
            while own > free and tokens[run[own - 1]].text not in self._describing:
                own -= 1
            exercise = lift_id
            if own < at:
                first = run[own]
                exercise = custom_id(_words(tokens, first, last))
            head = tokens[first]
            head.kind, head.exercise, head.written = "ex", exercise, _words(tokens, first, last)
            for index in range(first + 1, last + 1):
                tokens[index].kind = "skip"
            free = place[last] + 1

    def _own_name(self, clause: list[Token], at: int) -> str:
        """The words around an unknown one that name the runner's own exercise: "ski erg"."""
        first = last = at
        while first > 0 and self._naming(clause[first - 1]):
            first -= 1
        while last + 1 < len(clause) and self._naming(clause[last + 1]):
            last += 1
        return _words(clause, first, last)

    def _naming(self, token: Token) -> bool:
        return token.kind == "word" and token.text not in CHATTER and token.text not in NUMBER_WORDS

    # ---- clauses --------------------------------------------------------------------------

    def _mentions(self, tokens: list[Token]) -> list[_Mention]:
        mentions: list[_Mention] = []
        for clause in _clauses([t for t in tokens if t.kind != "skip"]):
            named = [i for i, t in enumerate(clause) if t.kind == "ex"]
            if not named:
                if any(t.kind == "word" and t.text in RUN_WORDS for t in clause):
                    continue  # a run: "ran 8k", "tempo run 6x800m"
                content = [
                    i
                    for i, t in enumerate(clause)
                    if t.kind == "word" and t.text not in self._known_words
                ]
                if content:
                    if parse_groups(clause):  # numbers with a name in no catalogue: "ski erg 5x10"
                        name = self._own_name(clause, content[0])
                        mentions.append(_Mention(custom_id(name), clause, name))
                elif mentions:  # "2x8 @ 50", "(each leg)", "40kg": more of the last one
                    mentions[-1].tokens.append(Token("sym", ",", 0, True))
                    mentions[-1].tokens.extend(clause)
                continue
            for exercise_at, own in _split(clause, named):
                head = clause[exercise_at]
                exercise = self._variation(head.exercise, own)
                mentions.append(_Mention(exercise, own, head.written))
        return mentions

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


def _load_length(clause: list[Token], at: int) -> int:
    """How many tokens from ``at`` say a load: "@ 40", "at 40 kg", "with 20 kilos", else 0."""
    if at + 1 >= len(clause) or clause[at].text not in ("@", "at", "with"):
        return 0
    if clause[at + 1].kind != "num":
        return 0
    unit = at + 2 < len(clause) and clause[at + 2].text in _LOAD_UNITS
    return 3 if unit else 2


def _plural(name: str) -> str:
    """ "good morning" -> "good mornings": lists name most lifts once, runners count them."""
    return name if name.endswith("s") else name + "s"


def _is_number(token: Token) -> bool:
    return token.kind == "num" or (token.kind == "word" and token.text in NUMBER_WORDS)


def _split(clause: list[Token], named: list[int]) -> list[tuple[int, list[Token]]]:
    """Each named exercise of a clause with the tokens that are its own. Numbers before the
    first name ("4x10 lunges @ 20kg, 3x15 bridges") go with the name after them; else numbers
    follow their name, except "N sets of" right before the next name ("squats 3x10 but only 2
    sets of bridges")."""
    if any(_is_number(t) for t in clause[: named[0]]):
        split: list[tuple[int, list[Token]]] = []
        start = 0
        for n, at in enumerate(named):
            if n == len(named) - 1:  # a trailing "@ 20kg" belongs to the last one
                split.append((at, clause[start:]))
                break
            # A load right after a name is that name's when numbers follow it: "3x10 squats
            # @ 40kg 3x10 lunges @ 20kg".
            load = _load_length(clause, at + 1)
            if not any(_is_number(t) for t in clause[at + 1 + load : named[n + 1]]):
                load = 0
            split.append((at, clause[start : at + 1 + load]))
            start = at + 1 + load
        return split
    starts = [0]
    for previous, at in pairwise(named):
        start = at - 1 if clause[at - 1].text == "of" else at
        said = start - 2 > previous and clause[start - 1].text in _SETS_WORDS
        starts.append(start - 2 if said and _is_number(clause[start - 2]) else at)
    ends = [*starts[1:], len(clause)]
    return [(at, clause[a:b]) for at, a, b in zip(named, starts, ends, strict=True)]


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


def _repeat(groups: list[Group], rounds: int) -> None:
    """A circuit: every exercise said once ("10 squats") was done once a round."""
    for group in groups:
        if len(group.reps) == 1 and group.sets_said is None:
            group.reps = group.reps * max(0, min(rounds, MAX_SETS + 1))
            group.sets_said = rounds


def _problem(groups: list[Group], timed: bool) -> str | None:
    for group in groups:
        said = group.sets_said
        if said is not None and (said != int(said) or not 1 <= said <= MAX_SETS):
            return f"{_number(said)} sets"
        if not group.reps or len(group.reps) > MAX_SETS:
            return f"{len(group.reps)} sets"
        seconds = timed or group.timed
        bound, unit = (MAX_SECONDS, "s") if seconds else (MAX_REPS, " reps")
        for count in group.reps:
            if count < 1 or count > bound or count != int(count):
                return f"{_number(count)}{unit}"
        if group.weight is not None and not 0 <= group.weight <= MAX_WEIGHT_KG:
            return f"{_number(group.weight)} kg"
    return None


def _number(value: float) -> str:
    """As the runner would say it; a number the lexer capped is not shown as the cap."""
    if value >= lexer.HUGE:
        return "a billion or more"
    if value <= -lexer.HUGE:
        return "minus a billion or less"
    return str(int(value)) if value == int(value) else f"{value:g}"


def _entries(exercise: str, groups: list[Group], timed: bool) -> list[ReportEntry]:
    """Groups of one mention become entries; runs with one load merge ("1x10, 2x8")."""
    out: list[ReportEntry] = []
    for group in groups:
        weight = group.weight if group.weight else None
        counts = tuple(int(r) for r in group.reps)
        seconds = counts if timed or group.timed else None
        reps = () if seconds is not None else counts
        if (
            out
            and out[-1].weight_kg == weight
            and out[-1].per_side == group.per_side
            and (out[-1].seconds is None) == (seconds is None)
        ):
            last = out[-1]
            more = None if seconds is None else (last.seconds or ()) + seconds
            out[-1] = ReportEntry(exercise, last.reps + reps, weight, group.per_side, more)
            continue
        out.append(ReportEntry(exercise, reps, weight, group.per_side, seconds))
    return out
