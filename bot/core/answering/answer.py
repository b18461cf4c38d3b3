"""The question answerer: understands free text against the content store.

Pipeline: words -> typo repair against exercise vocabulary -> stems -> what is named (longest
match over entries' aliases, the sub-variations they describe and the lifts we lack; qualifiers
pick a variation) -> messages for other features (reminders, workout reports) -> the topic
(weighted cue phrases) -> the answer text. Without an exercise: a lift we lack is declined by name
with the nearest ones we cover, a problem an entry addresses gets that entry, "how long until..."
gets the overview on patience, and a follow-up stays on the last exercise only when it refers back.
Precision beats recall: when nothing we cover is named, the runner gets an honest decline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.answering import vocabulary as vocab
from bot.core.answering.comparison import compare, compare_on
from bot.core.answering.intents import Intent, asks_about_results, feature_intent, is_follow_up
from bot.core.answering.long_form import answer_long
from bot.core.answering.reading import read
from bot.core.answering.red_flags import RedFlags
from bot.core.answering.types import (
    TOPIC_BUTTONS,
    TOPIC_TITLES,
    Answer,
    AnswerTopic,
    Phrase,
    PhraseIndex,
)
from bot.core.content.store import TOPICS, ContentStore, Entry, Lift, Topic
from bot.core.content.text import phrase, raw_words, stem

__all__ = ["TOPIC_BUTTONS", "TOPIC_TITLES", "Answer", "AnswerTopic", "Answerer", "PhraseIndex"]

_NEUTRAL = "~"
_REPAIRS_KEPT = 20_000  # typo repairs kept (a word each)
_READINGS_KEPT = 256  # messages' readings kept: enough for one long message's sentences


@dataclass(frozen=True, slots=True)
class _Name:
    """What a phrase names: an entry, a sub-variation an entry describes, or a lift we lack."""

    kind: Literal["entry", "mention", "lift"]
    ref: str  # entry id (entry, mention) or lift name
    lift: Lift | None = None


@dataclass(slots=True)
class _Found:
    exercise: str | None = None
    compared: bool = False
    family_named: bool = False  # the family itself was named next to one of its variations
    mention: bool = False  # only a sub-variation without an entry of its own was named
    sides: tuple[str, ...] = ()  # the entries of one family compared, in the order named
    lifts: list[tuple[int, int, Lift]] = field(default_factory=list)


class Answerer:
    """Built once from the content store; ``answer()`` is a pure function of the question."""

    def __init__(self, store: ContentStore) -> None:
        self.store = store
        entries = store.entries.values()
        names: list[tuple[Phrase, _Name]] = [
            (phrase(name), _Name("entry", e.id))
            for e in entries
            for name in (e.name, e.id.replace("-", " "), *e.aliases)
        ]
        names += [(phrase(m), _Name("mention", e.id)) for e in entries for m in e.mentions]
        names += [
            (phrase(name), _Name("lift", lift.name, lift))
            for lift in store.uncovered
            for name in (lift.name, *lift.aliases)
        ]
        self._names = PhraseIndex(names)
        self._problems = PhraseIndex(
            [(phrase(p), e.id) for e in entries for p in e.helps_with]
            + [(phrase(p), i) for p, i in vocab.PROBLEMS.items() if i in store.entries]
        )
        self._qualifiers: dict[str, list[tuple[Phrase, str]]] = {}
        for e in entries:
            if e.family is not None:
                self._qualifiers.setdefault(e.family, []).extend(
                    (phrase(q), e.id) for q in e.qualifiers
                )
        self._not_covered = PhraseIndex(
            [(phrase(p), shown) for p, shown in vocab.NOT_COVERED.items()]
            + [(phrase(p), "") for p in vocab.OFF_TOPIC]
            + [(phrase(p), _NEUTRAL) for p in vocab.NEUTRAL]
        )
        self._standalone = {phrase(word) for word in vocab.STANDALONE_VARIATION_WORDS}
        # A variation's distinctive word with no family word ("sumo vs conventional?").
        self._bare_qualifiers = PhraseIndex(
            (phrase(word), e.id)
            for e in entries
            for word in vocab.STANDALONE_VARIATION_WORDS
            if e.family is not None and word in e.qualifiers
        )
        self._topics = PhraseIndex(
            (phrase(cue), (topic, weight))
            for topic, cues in vocab.TOPIC_CUES.items()
            for cue, weight in cues
        )
        self._cue_words = frozenset(
            word for cues in vocab.TOPIC_CUES.values() for cue, _ in cues for word in phrase(cue)
        )
        self._overview_strong = PhraseIndex((phrase(p), p) for p in vocab.OVERVIEW_STRONG)
        self._overview_weak = {stem(w) for w in vocab.OVERVIEW_WEAK}
        self._kinds = PhraseIndex((phrase(p), p) for p in vocab.KINDS_OF_TRAINING)
        self._body_parts = PhraseIndex((phrase(p), p) for p in vocab.BODY_PART_PHRASES)
        self._sections = PhraseIndex(
            (phrase(keyword), index)
            for index, section in enumerate(store.overview.sections)
            for keyword in section.keywords
        )
        self._results_section = next(
            (i for i, s in enumerate(store.overview.sections) if "results" in s.keywords), None
        )
        self._runner = PhraseIndex((phrase(p), p) for p in vocab.RUNNER_WORDS)
        self._greetings = {phrase(g) for g in vocab.GREETINGS}
        self._links: dict[tuple[str, Topic], tuple[str, ...]] = {}
        self._red_flags = RedFlags(store)
        # Typo repair is the costly step; long messages repair the same words several times.
        self._repaired: dict[str, str] = {}
        self._readings: dict[str, tuple[list[str], list[str], list[int]]] = {}

        # Words we recognise as spelled right; only other words are candidates for typo repair.
        domain_raw: set[str] = set()
        for e in entries:
            for name in (e.name, *e.aliases, *e.qualifiers, *e.mentions, *e.helps_with):
                domain_raw.update(raw_words(name))
        for lift in store.uncovered:
            for name in (lift.name, *lift.aliases):
                domain_raw.update(raw_words(name))
        for p in (*vocab.NOT_COVERED, *vocab.OFF_TOPIC, *vocab.NEUTRAL):
            domain_raw.update(raw_words(p))
        known = set(vocab.COMMON_WORDS) | domain_raw
        for cues in vocab.TOPIC_CUES.values():
            for cue, _ in cues:
                known.update(raw_words(cue))
        for e in entries:
            known.update(raw_words(e.summary))
            for t in TOPICS:
                known.update(raw_words(e.topic_text(t)))
        self._known = frozenset(known)
        # Repair targets: exercise words and the topic nouns people misspell most.
        targets = domain_raw | {"muscles", "mistakes", "variations", "benefits", "exercises"}
        # Typos rarely hit the first letter; keying on it avoids "banging" -> "lunging".
        self._repair_targets: dict[str, list[str]] = {}
        for target in sorted(w for w in targets if len(w) >= 4):
            self._repair_targets.setdefault(target[0], []).append(target)

    # ---- understanding -------------------------------------------------------------------

    def _repair(self, word: str) -> str:
        if word in self._known or len(word) < 4 or word.isdigit():
            return word
        repaired = self._repaired.get(word)
        if repaired is None:
            if len(self._repaired) >= _REPAIRS_KEPT:
                self._repaired.clear()  # bounded: a long-running bot sees endless new words
            repaired = self._repaired[word] = self._repair_unknown(word)
        return repaired

    def _repair_unknown(self, word: str) -> str:
        limit = 1 if len(word) < 8 else 2
        best = process.extractOne(
            word, self._repair_targets.get(word[0], ()), scorer=OSA.distance, score_cutoff=limit
        )
        if best is not None:
            return str(best[0])
        # Two words run together: "gluebridge", "calfraises".
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            if head in self._known and tail in self._known:
                return f"{head} {tail}"
        return word

    def _tokenize(self, raw: list[str]) -> tuple[list[str], list[int]]:
        """Stems, and for each the index of the raw word it came from."""
        out: list[str] = []
        origin: list[int] = []
        for index, word in enumerate(raw):
            for part in self._repair(_shorthand(word)).split():
                for piece in stem(part).split():
                    out.append(piece)
                    origin.append(index)
        return out, origin

    def tokens(self, question: str) -> list[str]:
        return self._read(question)[1]

    def _read(self, text: str) -> tuple[list[str], list[str], list[int]]:
        """Raw words, stems and each stem's raw word. A long message reads each of its sentences
        several times (as an ask, as context, as part of the whole), so readings are kept."""
        kept = self._readings.get(text)
        if kept is None:
            if len(self._readings) >= _READINGS_KEPT:
                self._readings.clear()
            raw = raw_words(text)
            kept = self._readings[text] = (raw, *self._tokenize(raw))
        return list(kept[0]), list(kept[1]), list(kept[2])

    def _find(self, tokens: list[str], used: list[bool]) -> _Found:
        """The exercise named, whether two variations of one family were compared, sub-variations
        and lifts we lack."""
        found = _Found()
        body_parts = self._body_parts_in(tokens)
        for i in body_parts:
            used[i] = True
        matches = self._names.scan(tokens, used)
        for i in body_parts:
            used[i] = False
        found.lifts = [(s, e, n.lift) for s, e, n in matches if n.lift is not None]
        ids = [n.ref for _, _, n in matches if n.kind == "entry"]
        if not ids:
            mentions = [n.ref for _, _, n in matches if n.kind == "mention"]
            if mentions:
                found.exercise, found.mention = mentions[0], True
            elif not found.lifts:
                found.exercise, found.compared, found.sides = self._from_bare_qualifiers(
                    tokens, used
                )
            return found
        first = ids[0]
        family = self.store.family_of(first)
        named = {i for i in ids if i != family and self.store.family_of(i) == family}
        # Where each entry of the family was named, for the order of a comparison's sides.
        at = {n.ref: s for s, _, n in reversed(matches) if n.kind == "entry"}
        at = {i: s for i, s in at.items() if self.store.family_of(i) == family}
        # Qualifier words elsewhere pick a variation when only the family was named ("lunges
        # going backwards"); next to a named variation only distinctive ones count, as a
        # comparison ("goblet squat or bulgarian?"): "walk me through" is no walking lunge.
        # Any qualifier counts when joined to a named variation ("forward and reverse lunges").
        for qualifier, target in self._qualifiers.get(family, []):
            start = _free_at(tokens, used, qualifier)
            if start is None:
                continue
            joined = _joined(tokens, used, start, start + len(qualifier))
            if joined or not named or qualifier in self._standalone:
                at.setdefault(target, start)
                found.compared |= joined  # "glute bridge or single leg?"
        named |= {i for i in at if i != family}
        found.compared |= len(ids) > 1
        # The family is a side only against one variation ("hip thrusts vs glute bridges"):
        # in "lunges, forwards or backwards?" it only names the family of the two.
        sides = sorted(at, key=lambda i: at[i])
        variations = [i for i in sides if i != family]
        found.sides = tuple(variations if len(variations) > 1 else sides)
        found.family_named = family in ids and len(named) == 1
        if len(named) > 1:
            found.exercise, found.compared = family, True
        elif named:
            found.exercise = named.pop()
        else:
            found.exercise = first
        return found

    def _from_bare_qualifiers(
        self, tokens: list[str], used: list[bool]
    ) -> tuple[str | None, bool, tuple[str, ...]]:
        """Only variation words were used: one names its variation, several of one family
        compare them ("sumo or conventional?"), anything else is not ours to guess."""
        ordered = [value for _, _, value in self._bare_qualifiers.scan(tokens, used)]
        named = set(ordered)
        families = {self.store.family_of(v) for v in named}
        if len(named) == 1:
            return named.pop(), False, ()
        if len(families) == 1:
            return families.pop(), True, tuple(dict.fromkeys(ordered))
        return None, False, ()

    def _variation_of(self, previous: str, tokens: list[str]) -> str | None:
        """ "And the bent knee version?" after calf raises: a variation of the last family."""
        family = self.store.family_of(previous)
        targets = {t for q, t in self._qualifiers.get(family, []) if _contains(tokens, q)}
        return targets.pop() if len(targets) == 1 else None

    def _find_topic(self, tokens: list[str], used: list[bool]) -> tuple[Topic | None, list[str]]:
        """The topic asked about, and the tokens left once symptoms are taken out ("my heels
        lift" is no question about lifting)."""
        scores, rest = self._topic_scores(tokens, used)
        return _best_topic(scores), rest

    def _topic_scores(
        self, tokens: list[str], used: list[bool]
    ) -> tuple[dict[str, int], list[str]]:
        """Each topic's cue weight in ``tokens``, and the tokens left once symptoms are out."""
        scores: dict[str, int] = {}
        rest = list(tokens)
        for start, end, (topic, weight) in self._topics.scan(tokens, list(used)):
            scores[topic] = scores.get(topic, 0) + weight
            if topic == "mistakes":
                rest[start:end] = [""] * (end - start)
        return scores, rest

    def _compared_topic(self, tokens: list[str], used: list[bool]) -> Topic | None:
        """The topic a comparison asks beside its comparing words ("difference between forward
        and reverse lunges, which muscles"): a clear cue (weight 3 or more) of a topic that sets
        the two sides apart, else None (the comparison of the variations)."""
        scores, _ = self._topic_scores(tokens, used)
        asked: dict[str, int] = {
            t: w for t, w in scores.items() if t in _COMPARED_TOPICS and w >= 3
        }
        return _best_topic(asked)

    def _is_overview(self, tokens: list[str]) -> bool:
        if self._overview_strong.scan(tokens):
            return True
        has_weak = any(t in self._overview_weak for t in tokens)
        return has_weak and bool(self._runner.scan(tokens))

    # ---- answering ------------------------------------------------------------------------

    def answer(
        self, question: str, previous: str | None = None, previous_topic: str | None = None
    ) -> Answer:
        """Answer ``question``. ``previous`` is the exercise the conversation was about, so a
        follow-up such as "and what muscles does it work?" stays on that exercise, and
        ``previous_topic`` the topic last answered, so "what about single leg?" after the
        mistakes gives the single-leg variation's mistakes. A message of several sentences is
        read ask by ask (``bot.core.answering.long_form``). A message reporting pain or an injury
        gets the red flags first (red_flags.py), once."""
        return self._red_flags.put_first(question, self.route(question, previous, previous_topic))

    def route(
        self, question: str, previous: str | None = None, previous_topic: str | None = None
    ) -> Answer:
        """``answer`` without the red flags: what the message is about and its answer."""
        reading = read(question)
        if reading.is_long:
            return answer_long(self, question, reading, previous)
        return self.answer_sentence(question, previous, previous_topic)

    def answer_sentence(
        self, question: str, previous: str | None = None, previous_topic: str | None = None
    ) -> Answer:
        """Answer one sentence (or a message read as one)."""
        raw, tokens, origin = self._read(question)
        used = [False] * len(tokens)
        found = self._find(tokens, used)
        intent = self._intent(question, raw, origin, found, used)
        if intent is not None:
            return self._feature(intent)
        if asks_about_results(tokens):
            return self._overview(self._results_section)
        topic, rest = self._find_topic(tokens, used)
        if found.compared and len(found.sides) > 1 and topic in (None, "variations"):
            topic = self._compared_topic(tokens, used) or topic
        if found.exercise is not None and topic in _GENERAL_TOPICS and self._is_general(tokens):
            # "squats or deadlifts?" asks in general, unless its real ask is elsewhere ("which
            # running shoes for someone who does lunges and squats?")
            subject = self.declined_subject(question)
            if subject is not None:
                return self._decline(subject or None)
            return self._overview(self._overview_section(tokens))
        if found.exercise is not None:
            return self._about(found, topic, question, raw, origin)
        if found.lifts:
            start, end, lift = found.lifts[0]
            return self._decline_lift(lift, _as_written(question, raw, origin, start, end, lift))
        for _, _, shown in self._not_covered.scan(tokens):
            if shown != _NEUTRAL:  # neutral phrases ("yoga mat") name nothing
                return self._decline(shown or None)
        problems = self._problems.scan(tokens)
        if problems:
            entry = self.store.entries[problems[0][2]]
            return self._topic(entry, "mistakes" if topic == "mistakes" else "benefits")
        if self._is_overview(rest):
            return self._overview(self._overview_section(tokens))
        if not tokens or _is_greeting(tokens, self._greetings):
            return self._welcome()
        if previous in self.store.entries:
            variation = self._variation_of(previous, tokens)
            kept = _as_topic(previous_topic)
            if variation is not None and topic is None and kept is not None:
                # "what about single leg?" after the mistakes: the same topic, that variation
                return self._topic(self.store.entries[variation], kept)
            if variation is not None and topic in (None, "variations"):
                return self._summary(self.store.entries[variation])
            if topic is not None and is_follow_up(tokens, self._cue_words, topic):
                return self._topic(self.store.entries[variation or previous], topic)
        return self._decline(None)

    def _about(
        self, found: _Found, topic: Topic | None, question: str, raw: list[str], origin: list[int]
    ) -> Answer:
        assert found.exercise is not None
        entry = self.store.entries[found.exercise]
        if found.mention:
            topic = topic or "variations"  # "kettlebell deadlift how to" asks the family's how-to
        elif found.compared and found.family_named and topic in (None, "variations"):
            entry, topic = self.store.entries[self.store.family_of(entry.id)], "variations"
        elif topic is None and found.compared:
            topic = "variations"
        if topic == "variations" and found.compared and len(found.sides) > 1:
            answer = compare(self.store, found.sides)  # "forward vs reverse lunges": both sides
        elif (
            topic is not None
            and topic in _COMPARED_TOPICS
            and found.compared
            and len(found.sides) > 1
        ):
            answer = compare_on(self.store, found.sides, topic)  # both sides' muscles
        else:
            answer = self._summary(entry) if topic is None else self._topic(entry, topic)
        if not found.lifts:
            return answer
        start, end, lift = found.lifts[0]
        what = _as_written(question, raw, origin, start, end, lift)
        note = f"(I don't cover {what} yet, so this is about the {entry.name.lower()}.)"
        return Answer(answer.exercise, answer.topic, answer.title, f"{answer.body}\n\n{note}")

    def topic_answer(self, entry_id: str, topic: Topic) -> Answer:
        return self._topic(self.store.entries[entry_id], topic)

    def retarget(self, answer: Answer, entry_id: str) -> Answer:
        """The same question about another entry."""
        if answer.topic is None or answer.topic == "overview":
            return self.summary_answer(entry_id)
        return self.topic_answer(entry_id, answer.topic)

    def summary_answer(self, entry_id: str) -> Answer:
        return self._summary(self.store.entries[entry_id])

    def overview_answer(self, section: int | None = None) -> Answer:
        return self._overview(section)

    def links(self, entry_id: str, topic: Topic) -> tuple[str, ...]:
        """Other entries a topic's text names ("Single-leg Romanian deadlift: ..."), in order:
        the buttons under that answer. Computed on first use and kept."""
        key = (entry_id, topic)
        cached = self._links.get(key)
        if cached is None:
            tokens = self.tokens(self.store.entries[entry_id].topic_text(topic))
            named = [n.ref for _, _, n in self._names.scan(tokens) if n.kind == "entry"]
            cached = tuple(dict.fromkeys(i for i in named if i != entry_id))
            self._links[key] = cached
        return cached

    def _intent(
        self, question: str, raw: list[str], origin: list[int], found: _Found, used: list[bool]
    ) -> Intent | None:
        others = None
        if found.exercise is not None or found.lifts:
            named = {origin[i] for i, u in enumerate(used) if u}
            others = [w for i, w in enumerate(raw) if i not in named]
        return feature_intent(question, raw, self.tokens(question), others)

    def intent(self, text: str) -> Intent | None:
        """Whether ``text`` is for another feature (a reminder request, a workout report)."""
        raw, tokens, origin = self._read(text)
        used = [False] * len(tokens)
        return self._intent(text, raw, origin, self._find(tokens, used), used)

    def declined_subject(self, text: str) -> str | None:
        """What ``text`` asks about that we do not cover: its name ("running plans"), "" for a
        subject we do not name back (the weather), None when it names nothing of the kind."""
        for _, _, shown in self._not_covered.scan(self.tokens(text)):
            if shown != _NEUTRAL:
                return shown
        return None

    def topic_of(self, text: str) -> tuple[Topic | None, int]:
        """The topic ``text`` asks about and the weight of its cues (1: only a weak hint)."""
        tokens = self.tokens(text)
        scores: dict[str, int] = {}
        for _, _, (topic, weight) in self._topics.scan(tokens, [False] * len(tokens)):
            scores[topic] = scores.get(topic, 0) + weight
        return _best_topic(scores), max(scores.values(), default=0)

    def problem(self, text: str) -> str | None:
        """The entry for a problem ``text`` names ("shin splints": the calf raise)."""
        found = self._problems.scan(self.tokens(text))
        return found[0][2] if found else None

    def decline(self, subject: str | None) -> Answer:
        return self._decline(subject or None)

    def _is_general(self, tokens: list[str]) -> bool:
        """Exercises of several families, or a kind of training beside strength training."""
        if self._families(tokens) > 1:
            return True
        return bool(self._kinds.scan(tokens)) and bool(self._overview_strong.scan(tokens))

    def _body_parts_in(self, tokens: list[str]) -> list[int]:
        """Where ``tokens`` name a body part that could start a lift's name ("my back")."""
        return [end - 1 for _, end, _ in self._body_parts.scan(tokens)]

    def _not_names(self, tokens: list[str]) -> list[bool]:
        used = [False] * len(tokens)
        for i in self._body_parts_in(tokens):
            used[i] = True
        return used

    def _families(self, tokens: list[str]) -> int:
        """How many exercise families ``tokens`` name."""
        named = self._names.scan(tokens, self._not_names(tokens))
        return len({self.store.family_of(n.ref) for _, _, n in named if n.kind == "entry"})

    def named(self, text: str) -> list[str]:
        """The entries ``text`` names, in order (sub-variations as their entry)."""
        tokens = self.tokens(text)
        named = self._names.scan(tokens, self._not_names(tokens))
        return [n.ref for _, _, n in named if n.kind != "lift"]

    def general(self, ask: str, context: str) -> Answer | None:
        """The overview when ``ask`` is a general strength question once its context is known:
        "which exercises am I missing?" after "I like to run" counts as a runner asking."""
        tokens = self.tokens(ask)
        weak = any(t in self._overview_weak for t in tokens)
        if self._overview_strong.scan(tokens) or (
            weak and self._runner.scan(tokens + self.tokens(context))
        ):
            return self._overview(self._overview_section(tokens))
        return None

    def _topic(self, entry: Entry, topic: Topic) -> Answer:
        return Answer(
            exercise=entry.id,
            topic=topic,
            title=f"{entry.name}: {TOPIC_TITLES[topic]}",
            body=entry.topic_text(topic),
        )

    def _summary(self, entry: Entry) -> Answer:
        lines = [entry.summary]
        if entry.variations:
            names = ", ".join(self.store.entries[v].name for v in entry.variations)
            lines.append(f"Variations I know: {names}.")
        lines.append(
            "Ask me how to do it, the muscles it works, why runners need it, common mistakes, "
            "variations, or sets and reps."
        )
        return Answer(entry.id, None, entry.name, "\n\n".join(lines))

    def _overview_section(self, tokens: list[str]) -> int | None:
        """The overview section a general question is about, by its keywords (longest wins)."""
        scores: dict[int, int] = {}
        for start, end, index in self._sections.scan(tokens):
            scores[index] = scores.get(index, 0) + (end - start)
        return max(scores, key=lambda i: (scores[i], -i)) if scores else None

    def _overview(self, section: int | None = None) -> Answer:
        """The overview's summary and one section (the first two when none is asked for): the
        whole overview would be several screens on a phone; buttons offer the rest."""
        o = self.store.overview
        count = len(o.sections)
        shown = (section,) if section is not None and 0 <= section < count else (0, 1)[:count]
        parts = [o.summary] + [f"{o.sections[i].title}\n{o.sections[i].text}" for i in shown]
        return Answer(None, "overview", o.name, "\n\n".join(parts), sections=shown)

    def _known_list(self) -> str:
        return ", ".join(self.store.entries[f].name.lower() + "s" for f in self.store.families)

    def _welcome(self) -> Answer:
        body = (
            "I coach runners through lower-body strength training. Ask me about "
            f"{self._known_list()}: how to do them, the muscles they work, why they help your "
            "running, common mistakes, variations, and sets and reps.\n\n"
            "Try: how do I do a glute bridge?"
        )
        return Answer(None, None, None, body)

    def _decline(self, what: str | None) -> Answer:
        subject = f"{what}" if what else "that"
        body = (
            f"Sorry, I can't help with {subject}. I only know lower-body strength training for "
            f"runners: {self._known_list()}, and why runners should do them.\n\n"
            "Try: how do I do a glute bridge? or: how often should I deadlift?"
        )
        return Answer(None, None, None, body, moved_on=what is not None)

    def _decline_lift(self, lift: Lift, what: str) -> Answer:
        """A lift we lack, named as the runner wrote it, with the nearest ones we cover."""
        if not lift.nearest:
            return self._decline(what)
        names = [_in_sentence(self.store.entries[i].name) for i in lift.nearest]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        body = (
            f"I don't cover {what} yet, so I won't guess at it. The closest I do cover: "
            f"{listed}. Tap one below to see how it is done."
        )
        return Answer(None, None, None, body, suggestions=lift.nearest, moved_on=True)

    def _feature(self, intent: Intent) -> Answer:
        return Answer(None, None, None, _FEATURE_REPLIES[intent], intent=intent)


_FEATURE_REPLIES: dict[Intent, str] = {
    "reminder": (
        "Reminders have their own set-up, so I haven't read that as a question.\n\n"
        "Send /remind with a time to get one on your training days, for example /remind 07:30 "
        "or /remind 18:00 mon wed fri. /remind on its own shows your set-up, /pause takes a "
        "break and /stop ends them."
    ),
    "log": (
        "That looks like a workout report, so I haven't read it as a question.\n\n"
        "Your training log takes reports in your own words, for example: squats 3x12 @ 40kg, "
        "glute bridges 15, 15, 12, or just: done. /history shows what is logged."
    ),
}


def _in_sentence(name: str) -> str:
    """An entry name inside a sentence: "step-up", but "Romanian deadlift" keeps its capital."""
    if name.split()[0] in ("Bulgarian", "Romanian"):
        return name
    return name[0].lower() + name[1:]


def _as_written(
    question: str, raw: list[str], origin: list[int], start: int, end: int, lift: Lift
) -> str:
    """The words of tokens[start:end] as the runner typed them, with an article when one is
    needed: "the pistol squat", "pistol squats", "the push-up". A misspelling is named by the
    lift's own name instead."""
    words = raw[origin[start] : origin[end - 1] + 1]
    if phrase(" ".join(words)) not in {phrase(n) for n in (lift.name, *lift.aliases)}:
        text = lift.name
    else:
        pattern = r"[\W_]*".join(re.escape(w) for w in words)
        match = re.search(pattern, question, re.IGNORECASE)
        text = match.group(0) if match and match.group(0).isascii() else " ".join(words)
    last = raw_words(text)[-1] if raw_words(text) else ""
    plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
    if plural or last.endswith("ing"):
        return text
    return f"the {text}"


# Topics that, asked of exercises of several families at once, are a general question.
_GENERAL_TOPICS: tuple[Topic | None, ...] = (None, "benefits", "variations", "programming")

# Topics a comparison answers side by side ("reverse vs forward lunge muscles").
_COMPARED_TOPICS: frozenset[str] = frozenset({"how-to", "muscles", "mistakes"})


def _best_topic(scores: Mapping[str, int]) -> Topic | None:
    """The topic of the highest score; on a tie, the more specific (``_TIE_ORDER``)."""
    best = max(scores.values(), default=0)
    return next((t for t in _TIE_ORDER if scores.get(t) == best), None) if best else None


# When two topics score the same, the more specific question wins.
_TIE_ORDER: tuple[Topic, ...] = (
    "mistakes",
    "programming",
    "muscles",
    "variations",
    "benefits",
    "how-to",
)


_SETS_X_REPS = re.compile(r"^\d+x\d+$")
_WEIGHT = re.compile(r"^\d+(kg|kgs|lb|lbs)$")


def _shorthand(word: str) -> str:
    """Gym shorthand as words: "3x10" is sets and reps, "40kg" a weight."""
    if _SETS_X_REPS.match(word):
        return "sets reps"
    if _WEIGHT.match(word):
        return "kg"
    return word


def _as_topic(name: str | None) -> Topic | None:
    """An exercise topic by name; None for the overview or no topic."""
    return next((t for t in TOPICS if t == name), None)


def _free_at(tokens: Sequence[str], used: Sequence[bool], needle: Phrase) -> int | None:
    """Where ``needle`` first occurs among tokens no name has taken."""
    n = len(needle)
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i : i + n]) == needle and not any(used[i : i + n]):
            return i
    return None


_JOINERS = frozenset(phrase("and or vs versus v against"))


def _joined(tokens: Sequence[str], used: Sequence[bool], start: int, end: int) -> bool:
    """Whether tokens[start:end] is joined to a name by "and", "or", "vs": "forward and reverse
    lunges", "romanian vs conventional deadlift"."""
    after = end + 1 < len(tokens) and tokens[end] in _JOINERS and used[end + 1]
    before = start >= 2 and tokens[start - 1] in _JOINERS and used[start - 2]
    return after or before


def _contains(tokens: Sequence[str], needle: Phrase) -> bool:
    n = len(needle)
    return any(tuple(tokens[i : i + n]) == needle for i in range(len(tokens) - n + 1))


_FILLERS = frozenset(
    stem(w) for w in ("there", "bot", "coach", "legwork", "so", "much", "you", "please", "again")
)


def _is_greeting(tokens: list[str], greetings: set[Phrase]) -> bool:
    """Short chit-chat made only of greeting words ("hey there thanks")."""
    if tuple(tokens) in greetings:
        return True
    words = [t for t in tokens if t not in _FILLERS]
    return len(words) <= 3 and all((w,) in greetings for w in words)
