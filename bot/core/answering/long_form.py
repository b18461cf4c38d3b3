"""Answering a long message ask by ask: context informs, the asking sentences decide.

Each ask is answered as a sentence of its own. Context sentences (mileage, races, history) never
pick the exercise; they let an ask that refers back ("how do I set my feet?") stay on the exercise
they name, a problem they name ("shin splints") answer "any exercises to help?", and "which
exercises?" count as a runner's question. The first ask in scope is the answer and the other
in-scope asks become follow-up buttons; when no ask is in scope the message is declined, naming
what it asked about when we know.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.answering import vocabulary as vocab
from bot.core.answering.reading import Reading, is_bare
from bot.core.answering.types import Answer, FollowUp

if TYPE_CHECKING:
    from bot.core.answering.answer import Answerer

# Button texts: "Also: how often?" reads better than the answer's title.
_ALSO: dict[str, str] = {
    "how-to": "how to do it",
    "muscles": "the muscles",
    "benefits": "why runners need it",
    "mistakes": "the mistakes",
    "variations": "the variations",
    "programming": "how often?",
}
_MAX_FOLLOW_UPS = 3  # buttons under one answer: more would bury it on a phone
_STRONG = 2  # topic cue weight that names a topic outright (weaker ones only lean)
_TERSE_WORDS = 3  # "why?", "is that normal?": bare whatever their cues
# Words by which an ask points at the exercise its context named ("should I swap them?").
_YES_NO = frozenset("is are am will would does do did should can could".split())
_POINTERS = frozenset("it it's its them they they're those these this that one ones still".split())


@dataclass(frozen=True, slots=True)
class _Ask:
    """One asking sentence, answered on its own, and what that answer rests on."""

    answer: Answer
    subject: str | None = None  # what it asks about that we decline ("running plans"), "" unnamed
    strong: bool = True  # its topic is named outright, not only hinted at
    bare: bool = False  # "why?", "is that normal?": only points at the rest of the message
    points: bool = False  # refers to what the context said ("would it still be ok?")
    names: bool = True  # names its exercise itself (not borrowed from the context)


def _in_scope(answer: Answer) -> bool:
    return answer.exercise is not None or answer.topic == "overview"


def answer_long(
    answerer: Answerer, question: str, reading: Reading, previous: str | None
) -> Answer:
    if answerer.intent(question) is not None:  # a workout report or a reminder request
        return answerer.answer_sentence(question, previous)
    context = " ".join(reading.context)
    named = {part: answerer.named(part) for part in reading.parts}
    referent = _referent(answerer, [named[part] for part in reading.context], previous)
    asks = []
    before: list[list[str]] = []  # exercises named before each ask ("A bridge? How often?")
    for part in reading.parts:
        if part in reading.asks:
            said = _referent(answerer, before, None) if any(before) else referent
            asks.append(_read_ask(answerer, part, named[part], said, context))
        before.append(named[part])
    subject = next((a.subject for a in asks if a.subject is not None), None)
    if all(a.bare for a in asks):
        whole = answerer.answer_sentence(question, previous)
        return whole if _in_scope(whole) or subject is None else answerer.decline(subject)
    scoped = [a for a in asks if _in_scope(a.answer) and a.subject is None]
    context_subject = answerer.declined_subject(context)
    if context_subject in vocab.SCENERY:
        context_subject = None
    if not scoped:
        # "Am I doing too much?" after "I get so sore after leg workouts": the context says what
        # the ask is about, as long as the message names nothing we decline.
        subject = subject if subject is not None else context_subject
        if subject is None:
            whole = answerer.answer_sentence(question, previous)
            if whole.topic == "overview":
                return whole
        return answerer.decline(subject)
    main = next((a for a in scoped if a.strong), None)
    if main is None:
        whole = answerer.answer_sentence(question, previous)
        if _same_exercise(answerer, whole, scoped[0].answer):
            main = _Ask(whole)  # its cues, from all the sentences together
    if main is None:
        main = scoped[0]
    borrowed = not main.names and context_subject not in vocab.SYMPTOMS
    if main.points and context_subject and (main.answer.exercise is None or borrowed):
        # "...upper body weights 3 days a week. Would it still be ok to do the weights?"
        return answerer.decline(context_subject)
    answers = [a.answer for a in scoped]
    return _with_follow_ups(answerer, main.answer, answers)


def _referent(answerer: Answerer, named: list[list[str]], previous: str | None) -> str | None:
    """The exercise an ask refers back to, of those the message's sentences ``named``: the last,
    or their family when several of one ("glute bridges or hip thrusts"), unless one variation
    was named and its family only in another sentence ("Nordic hamstring curl. Saw a video of
    the hamstring curl"): that variation. Of several families, the one named at least twice as
    often as any other ("lateral lunges... when I lunge... like a sumo squat"), else none."""
    flat = [e for part in named for e in part]
    if not flat:
        return previous
    counts = Counter(answerer.store.family_of(e) for e in flat)
    [(family, most), *rest] = counts.most_common(2)
    if rest and rest[0][1] * 2 > most:
        return None  # several families, none the clear subject
    flat = [e for e in flat if answerer.store.family_of(e) == family]
    named = [[e for e in part if answerer.store.family_of(e) == family] for part in named]
    variations = set(flat) - {family}
    if len(set(flat)) == 1:
        return flat[-1]
    compared = any(len(set(part)) > 1 for part in named)
    return variations.pop() if len(variations) == 1 and not compared else family


def _read_ask(
    answerer: Answerer, ask: str, named: list[str], referent: str | None, context: str
) -> _Ask:
    subject = answerer.declined_subject(ask)
    topic, weight = answerer.topic_of(ask)
    own = bool(named)
    answer = answerer.answer_sentence(ask, referent)
    if (
        referent is not None
        and answer.exercise in named
        and _is_family_of(answerer, named, referent)
    ):
        # "...barbell back squats since college. Should I keep squatting heavy?": the one they do.
        answer = answerer.retarget(answer, referent)
    general = answerer.general(ask, context)
    words = [word.strip("?,.!") for word in ask.lower().split()]
    # "Is lifting making me less fit?" after "my VO2max dropped": a yes-or-no about the context.
    pointing = any(w in _POINTERS for w in words) or (bool(words) and words[0] in _YES_NO)
    refers = referent is not None and (is_bare(ask) or pointing)
    if not own and general is not None and not refers:
        problem = answerer.problem(ask) or answerer.problem(context)
        if problem is not None:  # "any strengthening exercises to help?" after "shin splints"
            return _Ask(answerer.topic_answer(problem, "benefits"))
        if subject is None or not _in_scope(answer):
            return _Ask(general, subject, points=pointing, names=False)
    if not own and referent is not None and topic is not None and weight >= _STRONG:
        answer = answerer.topic_answer(referent, topic)
    elif not own and general is not None:
        answer = general
    compared = len(named) > 1  # "sumo or conventional?" names its own topic
    strong = weight >= _STRONG or compared
    bare = not own and subject is None and _bare(ask, weight)
    return _Ask(answer, subject, strong=strong, bare=bare, points=pointing, names=own)


def _is_family_of(answerer: Answerer, named: list[str], variation: str) -> bool:
    """``named`` is only the family ``variation`` belongs to."""
    family = answerer.store.family_of(variation)
    return variation != family and set(named) == {family}


def _bare(ask: str, weight: int) -> bool:
    """An ask that says nothing of its own ("why?", "is that normal?"): the whole message is
    the question."""
    return is_bare(ask) and (weight < _STRONG or len(ask.split()) <= _TERSE_WORDS)


def _same_exercise(answerer: Answerer, whole: Answer, first: Answer) -> bool:
    if whole.exercise is None or first.exercise is None:
        return False
    family = answerer.store.family_of
    return family(whole.exercise) == family(first.exercise)


def _with_follow_ups(answerer: Answerer, main: Answer, others: list[Answer]) -> Answer:
    follow_ups = _follow_ups(answerer, main, others)
    if not follow_ups:
        return main
    return Answer(
        main.exercise,
        main.topic,
        main.title,
        main.body,
        sections=main.sections,
        suggestions=main.suggestions,
        moved_on=main.moved_on,
        follow_ups=(*follow_ups, *main.follow_ups),  # then a comparison's sides, if it was one
    )


def _follow_ups(answerer: Answerer, main: Answer, others: list[Answer]) -> tuple[FollowUp, ...]:
    seen = {(main.exercise, main.topic, main.sections)}
    out: list[FollowUp] = []
    for other in others:
        key = (other.exercise, other.topic, other.sections)
        if key not in seen:
            seen.add(key)
            out.append(_follow_up(answerer, main, other))
    return tuple(out[:_MAX_FOLLOW_UPS])


def _follow_up(answerer: Answerer, main: Answer, other: Answer) -> FollowUp:
    if other.exercise is None:  # the overview, one section of it when the ask had one
        section = other.sections[0] if len(other.sections) == 1 else None
        sections = answerer.store.overview.sections
        title = sections[section].title if section is not None else "strength for runners"
        return FollowUp(None, "overview", f"Also: {title[0].lower()}{title[1:]}", section)
    name = answerer.store.entries[other.exercise].name
    if other.topic is None or other.topic == "overview":
        return FollowUp(other.exercise, None, f"Also: {name}")
    what = _ALSO[other.topic]
    label = f"Also: {what}" if other.exercise == main.exercise else f"Also: {name}, {what}"
    return FollowUp(other.exercise, other.topic, label)
