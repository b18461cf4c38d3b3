"""The question answerer: understands free text against the content store.

Pipeline: words -> typo repair against exercise vocabulary -> stems (tokenizer.py) -> what is
named (names.py: longest match over entries' aliases, the sub-variations they describe and the
lifts we lack; qualifiers pick a variation) -> messages for other features (reminders, workout
reports) -> the topic (weighted cue phrases) -> the answer text (replies.py). This module holds
the topic and the choice among the answers. Without an exercise: a lift we lack is declined by
name with the nearest ones we cover, a problem an entry addresses gets that entry, "how long
until..." gets the overview on patience, and a follow-up stays on the last exercise only when it
refers back. Precision beats recall: when nothing we cover is named, the runner gets an honest
decline.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.answering import vocabulary as vocab
from bot.core.answering.comparison import compare, compare_on
from bot.core.answering.intents import Intent, asks_about_results, feature_intent, is_follow_up
from bot.core.answering.long_form import answer_long
from bot.core.answering.names import Found, NameFinder
from bot.core.answering.reading import read
from bot.core.answering.red_flags import RedFlags
from bot.core.answering.replies import Replies, as_written
from bot.core.answering.tokenizer import Tokenizer
from bot.core.answering.types import (
    TOPIC_BUTTONS,
    TOPIC_TITLES,
    Answer,
    AnswerTopic,
    Phrase,
    PhraseIndex,
)
from bot.core.content.store import TOPICS, ContentStore, Topic
from bot.core.content.text import phrase, stem

__all__ = ["TOPIC_BUTTONS", "TOPIC_TITLES", "Answer", "AnswerTopic", "Answerer", "PhraseIndex"]

_NEUTRAL = "~"


class Answerer:
    """Built once from the content store; ``answer()`` is a pure function of the question."""

    def __init__(self, store: ContentStore) -> None:
        self.store = store
        entries = store.entries.values()
        self._tokenizer = Tokenizer(store)
        self._finder = NameFinder(store)
        self._replies = Replies(store)
        self._problems = PhraseIndex(
            [(phrase(p), e.id) for e in entries for p in e.helps_with]
            + [(phrase(p), i) for p, i in vocab.PROBLEMS.items() if i in store.entries]
        )
        self._not_covered = PhraseIndex(
            [(phrase(p), shown) for p, shown in vocab.NOT_COVERED.items()]
            + [(phrase(p), "") for p in vocab.OFF_TOPIC]
            + [(phrase(p), _NEUTRAL) for p in vocab.NEUTRAL]
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

    # ---- the topic -------------------------------------------------------------------------

    def tokens(self, question: str) -> list[str]:
        return self._tokenizer.tokens(question)

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
        raw, tokens, origin = self._tokenizer.read(question)
        used = [False] * len(tokens)
        found = self._finder.find(tokens, used)
        intent = self._intent(question, raw, origin, found, used)
        if intent is not None:
            return self._replies.feature(intent)
        if asks_about_results(tokens):
            return self._replies.overview(self._results_section)
        topic, rest = self._find_topic(tokens, used)
        if found.compared and len(found.sides) > 1 and topic in (None, "variations"):
            topic = self._compared_topic(tokens, used) or topic
        if found.exercise is not None and topic in _GENERAL_TOPICS and self._is_general(tokens):
            # "squats or deadlifts?" asks in general, unless its real ask is elsewhere ("which
            # running shoes for someone who does lunges and squats?")
            subject = self.declined_subject(question)
            if subject is not None:
                return self._replies.decline(subject or None)
            return self._replies.overview(self._overview_section(tokens))
        if found.exercise is not None:
            return self._about(found, topic, question, raw, origin)
        if found.lifts:
            start, end, lift = found.lifts[0]
            what = as_written(question, raw, origin, start, end, lift)
            return self._replies.decline_lift(lift, what)
        for _, _, shown in self._not_covered.scan(tokens):
            if shown != _NEUTRAL:  # neutral phrases ("yoga mat") name nothing
                return self._replies.decline(shown or None)
        problems = self._problems.scan(tokens)
        if problems:
            entry = self.store.entries[problems[0][2]]
            return self._replies.topic(entry, "mistakes" if topic == "mistakes" else "benefits")
        if self._is_overview(rest):
            return self._replies.overview(self._overview_section(tokens))
        if not tokens or _is_greeting(tokens, self._greetings):
            return self._replies.welcome()
        if previous in self.store.entries:
            variation = self._finder.variation_of(previous, tokens)
            kept = _as_topic(previous_topic)
            if variation is not None and topic is None and kept is not None:
                # "what about single leg?" after the mistakes: the same topic, that variation
                return self._replies.topic(self.store.entries[variation], kept)
            if variation is not None and topic in (None, "variations"):
                return self._replies.summary(self.store.entries[variation])
            if topic is not None and is_follow_up(tokens, self._cue_words, topic):
                return self._replies.topic(self.store.entries[variation or previous], topic)
        return self._replies.decline(None)

    def _about(
        self, found: Found, topic: Topic | None, question: str, raw: list[str], origin: list[int]
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
            answer = (
                self._replies.summary(entry) if topic is None else self._replies.topic(entry, topic)
            )
        if not found.lifts:
            return answer
        start, end, lift = found.lifts[0]
        what = as_written(question, raw, origin, start, end, lift)
        note = f"(I don't cover {what} yet, so this is about the {entry.name.lower()}.)"
        return Answer(answer.exercise, answer.topic, answer.title, f"{answer.body}\n\n{note}")

    def topic_answer(self, entry_id: str, topic: Topic) -> Answer:
        return self._replies.topic(self.store.entries[entry_id], topic)

    def retarget(self, answer: Answer, entry_id: str) -> Answer:
        """The same question about another entry."""
        if answer.topic is None or answer.topic == "overview":
            return self.summary_answer(entry_id)
        return self.topic_answer(entry_id, answer.topic)

    def summary_answer(self, entry_id: str) -> Answer:
        return self._replies.summary(self.store.entries[entry_id])

    def overview_answer(self, section: int | None = None) -> Answer:
        return self._replies.overview(section)

    def links(self, entry_id: str, topic: Topic) -> tuple[str, ...]:
        """Other entries a topic's text names ("Single-leg Romanian deadlift: ..."), in order:
        the buttons under that answer. Computed on first use and kept."""
        key = (entry_id, topic)
        cached = self._links.get(key)
        if cached is None:
            tokens = self.tokens(self.store.entries[entry_id].topic_text(topic))
            named = self._finder.entries_named(tokens)
            cached = tuple(dict.fromkeys(i for i in named if i != entry_id))
            self._links[key] = cached
        return cached

    def _intent(
        self, question: str, raw: list[str], origin: list[int], found: Found, used: list[bool]
    ) -> Intent | None:
        others = None
        if found.exercise is not None or found.lifts:
            named = {origin[i] for i, u in enumerate(used) if u}
            others = [w for i, w in enumerate(raw) if i not in named]
        return feature_intent(question, raw, self.tokens(question), others)

    def intent(self, text: str) -> Intent | None:
        """Whether ``text`` is for another feature (a reminder request, a workout report)."""
        raw, tokens, origin = self._tokenizer.read(text)
        used = [False] * len(tokens)
        return self._intent(text, raw, origin, self._finder.find(tokens, used), used)

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
        return self._replies.decline(subject or None)

    def _is_general(self, tokens: list[str]) -> bool:
        """Exercises of several families, or a kind of training beside strength training."""
        if self._finder.families(tokens) > 1:
            return True
        return bool(self._kinds.scan(tokens)) and bool(self._overview_strong.scan(tokens))

    def named(self, text: str) -> list[str]:
        """The entries ``text`` names, in order (sub-variations as their entry)."""
        return self._finder.named(self.tokens(text))

    def general(self, ask: str, context: str) -> Answer | None:
        """The overview when ``ask`` is a general strength question once its context is known:
        "which exercises am I missing?" after "I like to run" counts as a runner asking."""
        tokens = self.tokens(ask)
        weak = any(t in self._overview_weak for t in tokens)
        if self._overview_strong.scan(tokens) or (
            weak and self._runner.scan(tokens + self.tokens(context))
        ):
            return self._replies.overview(self._overview_section(tokens))
        return None

    def _overview_section(self, tokens: list[str]) -> int | None:
        """The overview section a general question is about, by its keywords (longest wins)."""
        scores: dict[int, int] = {}
        for start, end, index in self._sections.scan(tokens):
            scores[index] = scores.get(index, 0) + (end - start)
        return max(scores, key=lambda i: (scores[i], -i)) if scores else None


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


def _as_topic(name: str | None) -> Topic | None:
    """An exercise topic by name; None for the overview or no topic."""
    return next((t for t in TOPICS if t == name), None)


_FILLERS = frozenset(
    stem(w) for w in ("there", "bot", "coach", "legwork", "so", "much", "you", "please", "again")
)


def _is_greeting(tokens: list[str], greetings: set[Phrase]) -> bool:
    """Short chit-chat made only of greeting words ("hey there thanks")."""
    if tuple(tokens) in greetings:
        return True
    words = [t for t in tokens if t not in _FILLERS]
    return len(words) <= 3 and all((w,) in greetings for w in words)
