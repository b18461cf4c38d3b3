"""Inline keyboards for the welcome message and the exercise browser."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.answering.answer import TOPIC_BUTTONS, Answer, Answerer
from bot.core.answering.types import FollowUp
from bot.core.content import TOPICS, ContentStore, Topic
from bot.telegram.callbacks import Button, Entry, Menu, Overview, TopicPage, encode

# Exercises linked under one answer: a phone screen, not a catalogue.
MAX_LINKS = 6


def _button(text: str, route: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=encode(route))


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def welcome() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button("Browse exercises", Menu())],
            [_button("How do I do a glute bridge?", TopicPage("glute-bridge", "how-to"))],
            [_button("Why should runners strength-train?", Overview())],
        ]
    )


def menu(store: ContentStore) -> InlineKeyboardMarkup:
    families = [_button(store.entries[f].name + "s", Entry(f)) for f in store.families]
    rows = _rows(families, 2)
    rows.append([_button("Why strength-train?", Overview())])
    return InlineKeyboardMarkup(rows)


def overview(store: ContentStore, shown: tuple[int, ...]) -> InlineKeyboardMarkup:
    """The overview sections not on screen, then the way back to the exercises."""
    sections = [
        _button(section.title, Overview(index))
        for index, section in enumerate(store.overview.sections)
        if index not in shown
    ]
    rows = _rows(sections, 2)
    rows.append([_button("« Exercises", Menu())])
    return InlineKeyboardMarkup(rows)


def _topic_buttons(entry_id: str, skip: Topic | None = None) -> list[InlineKeyboardButton]:
    return [_button(TOPIC_BUTTONS[t], TopicPage(entry_id, t)) for t in TOPICS if t != skip]


def entry(store: ContentStore, entry_id: str) -> InlineKeyboardMarkup:
    item = store.entries[entry_id]
    rows = _rows(_topic_buttons(entry_id), 3)
    rows += _rows([_button(store.entries[v].name, Entry(v)) for v in item.variations], 2)
    back = Entry(item.family) if item.family else Menu()
    label = f"« {store.entries[item.family].name}s" if item.family else "« Exercises"
    rows.append([_button(label, back)])
    return InlineKeyboardMarkup(rows)


def _entry_buttons(store: ContentStore, ids: tuple[str, ...]) -> list[InlineKeyboardButton]:
    return [_button(store.entries[i].name, Entry(i)) for i in ids[:MAX_LINKS]]


def topic(
    store: ContentStore, entry_id: str, current: Topic, links: tuple[str, ...] = ()
) -> InlineKeyboardMarkup:
    """The exercise's other topics, the exercises this text names (a variation it recommends,
    "the single-leg Romanian deadlift"), and the way back."""
    rows = _rows(_topic_buttons(entry_id, skip=current), 3)
    rows += _rows(_entry_buttons(store, links), 2)
    rows.append([_button(f"« {store.entries[entry_id].name}", Entry(entry_id))])
    return InlineKeyboardMarkup(rows)


def suggestions(store: ContentStore, ids: tuple[str, ...]) -> InlineKeyboardMarkup:
    """The nearest exercises we cover, under the decline of a lift we lack."""
    rows = _rows(_entry_buttons(store, ids), 2)
    rows.append([_button("« Exercises", Menu())])
    return InlineKeyboardMarkup(rows)


# for_answer's keyboards by what they are made of: a handful of exercises and topics make most
# of them, and PTB's keyboard objects are immutable, so one object serves every send.
_AnswerKey = tuple[str | None, str | None, tuple[int, ...], tuple[str, ...], tuple[FollowUp, ...]]
_made: dict[_AnswerKey, InlineKeyboardMarkup | None] = {}
_made_for: list[Answerer] = []  # the answerer (and so the content) the cache was made from
MAX_CACHED = 4096


def for_answer(answerer: Answerer, answer: Answer) -> InlineKeyboardMarkup | None:
    """Follow-ups under a free-text answer: the exercise's other topics and the exercises its
    text names, overview sections, or the nearest exercises to a lift we lack."""
    key = (answer.exercise, answer.topic, answer.sections, answer.suggestions, answer.follow_ups)
    if not _made_for or _made_for[0] is not answerer or len(_made) >= MAX_CACHED:
        _made.clear()
        _made_for[:] = [answerer]
    try:
        return _made[key]
    except KeyError:
        made = _for_answer(answerer, answer)
        _made[key] = made
        return made


def _for_answer(answerer: Answerer, answer: Answer) -> InlineKeyboardMarkup | None:
    """The other questions the message asked come first ("Also: how often?"), then the rest."""
    rest = _links_for(answerer, answer)
    if not answer.follow_ups:
        return rest
    rows = [
        [InlineKeyboardButton(f.label, callback_data=encode(_route(f)))] for f in answer.follow_ups
    ]
    return InlineKeyboardMarkup([*rows, *(rest.inline_keyboard if rest is not None else ())])


def _route(follow_up: FollowUp) -> Button:
    if follow_up.exercise is None:
        return Overview(follow_up.section)
    if follow_up.topic is None or follow_up.topic == "overview":
        return Entry(follow_up.exercise)
    return TopicPage(follow_up.exercise, follow_up.topic)


def _links_for(answerer: Answerer, answer: Answer) -> InlineKeyboardMarkup | None:
    store = answerer.store
    if answer.topic == "overview":
        return overview(store, answer.sections)
    if answer.suggestions:
        return suggestions(store, answer.suggestions)
    if answer.exercise is None:
        return None
    if answer.topic is None:
        return entry(store, answer.exercise)
    links = answerer.links(answer.exercise, answer.topic)
    return topic(store, answer.exercise, answer.topic, links)
