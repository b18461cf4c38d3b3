"""Answering a long message ask by ask: context informs, the asking sentences decide.

Each ask is answered as a sentence of its own. Context sentences (mileage, races, history) never
pick the exercise; they only let an ask that refers back ("how many sets of them?") stay on the
exercise they named, and let "which exercises?" count as a runner's question. The first ask that
is in scope is the answer; the other in-scope asks become follow-up buttons. When no ask is in
scope the message is declined, naming what it asked about when we know.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def _in_scope(answer: Answer) -> bool:
    return answer.exercise is not None or answer.topic == "overview"


def answer_long(
    answerer: Answerer, question: str, reading: Reading, previous: str | None
) -> Answer:
    whole = answerer.answer_sentence(question, previous)
    if whole.intent is not None:
        return whole  # a workout report or a reminder request, whatever its length
    context = " ".join(reading.context)
    named = answerer.named(context)
    # An ask that refers back ("them", "sets and reps?") stays on the exercise named last.
    referent = named[-1] if named else previous
    asked = {e for ask in reading.asks for e in answerer.named(ask)}
    subjects = [answerer.declined_subject(ask) for ask in reading.asks]
    per_ask = [_answer_ask(answerer, ask, referent, context) for ask in reading.asks]
    in_scope = [
        a for a, subject in zip(per_ask, subjects, strict=True) if _in_scope(a) and not subject
    ]
    bare = all(
        is_bare(ask) and not subject and not answerer.named(ask)
        for ask, subject in zip(reading.asks, subjects, strict=True)
    )
    if _in_scope(whole) and (bare or _asked_about(answerer, whole, asked, in_scope)):
        main = whole  # every sentence's cues count towards the topic of what was asked
    elif in_scope:
        main = in_scope[0]
    elif (
        whole.exercise is not None
        and whole.exercise == referent
        and _about_it(answerer, reading.asks, subjects)
    ):
        main = whole  # "...my front knee hurts. What am I doing wrong?": about the exercise
    else:
        subject = next((s for s in subjects if s), None)
        return answerer.decline(subject)
    return _with_follow_ups(answerer, main, in_scope)


def _answer_ask(answerer: Answerer, ask: str, referent: str | None, context: str) -> Answer:
    answer = answerer.answer_sentence(ask, referent)
    if _in_scope(answer) or answer.moved_on:
        return answer
    return answerer.general(ask, context) or answer


def _asked_about(
    answerer: Answerer, whole: Answer, asked: set[str], in_scope: list[Answer]
) -> bool:
    """Whether the whole message's answer is about what an ask names (not an exercise mentioned
    only in the context), or, for the overview, whether an ask is a general question."""
    if whole.exercise is None:
        return any(a.topic == "overview" for a in in_scope)
    family = answerer.store.family_of(whole.exercise)
    return any(answerer.store.family_of(e) == family for e in asked)


def _about_it(answerer: Answerer, asks: tuple[str, ...], subjects: list[str | None]) -> bool:
    """An ask with a topic of its own and nothing we decline: it asks about the exercise the
    context is about."""
    return any(
        subject is None and answerer.topic_of(ask) is not None
        for ask, subject in zip(asks, subjects, strict=True)
    )


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
        follow_ups=follow_ups,
    )


def _follow_ups(answerer: Answerer, main: Answer, others: list[Answer]) -> tuple[FollowUp, ...]:
    seen = {(main.exercise, main.topic, main.sections)}
    out: list[FollowUp] = []
    for other in others:
        key = (other.exercise, other.topic, other.sections)
        if key not in seen:
            seen.add(key)
            out.append(_follow_up(answerer, main, other))
    return tuple(out)


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
