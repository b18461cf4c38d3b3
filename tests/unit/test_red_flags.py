"""Red flags before exercises: pain and injury messages get the warning signs first."""

from __future__ import annotations

import pytest

from bot.core.answering import Answerer
from bot.core.answering.red_flags import PAIN_SECTION, RedFlags
from bot.core.content import ContentStore

PAIN_MESSAGES = [
    "my shins hurt",
    "I have shin splints",
    "knee pain when I squat",
    "Achilles hurts",
    "sciatica",
    "back pain deadlift",
    "pop in my calf",
    "I felt something pop in my calf on my run",
    "my knee is swollen after lunges",
    "hamstring injury, can I still do RDLs?",
    "lower back aches after deadlifts",
    "got achilles tendinopathy, are calf raises ok",
    "sore knee after squats",
    "I've been injured 3 times this year",
    "hip hurts during sumo deadlifts",
    "my knee keeps locking after runs",
]

NOT_PAIN = [
    "do calf raises help prevent shin splints",
    "are squats good for preventing knee injuries in runners?",
    "how do I do a glute bridge",
    "my legs are sore after lunges",
    "how to avoid knee pain when squatting",
    "deadlift pain-free progression",
    "what do lunges work?",
    "should I lock my knees at the top of a calf raise",
    "is locking out the deadlift bad",
]


@pytest.fixture(scope="module")
def warning(store: ContentStore) -> str:
    section = next(s for s in store.overview.sections if s.title == PAIN_SECTION)
    return section.text.split("\n\n")[0]


@pytest.mark.parametrize("message", PAIN_MESSAGES)
def test_pain_messages_get_the_red_flags_first(
    answerer: Answerer, warning: str, message: str
) -> None:
    answer = answerer.answer(message)
    assert answer.title == PAIN_SECTION
    assert answer.body.startswith(warning)
    assert answer.text.index("Meanwhile") > answer.text.index(warning)


@pytest.mark.parametrize("message", PAIN_MESSAGES)
def test_the_red_flags_keep_what_the_answer_is_about(
    answerer: Answerer, store: ContentStore, message: str
) -> None:
    """Routing is unchanged: the same exercise and topic, the entry's text after the flags."""
    plain = Answerer(store).route(message)
    flagged = answerer.answer(message)
    assert (flagged.exercise, flagged.topic) == (plain.exercise, plain.topic)
    if plain.exercise is not None:
        assert flagged.body.endswith(plain.body)
        assert f"\n\n{plain.title}\n\n" in flagged.body


@pytest.mark.parametrize("message", NOT_PAIN)
def test_prevention_questions_and_muscle_soreness_get_no_red_flags(
    answerer: Answerer, warning: str, message: str
) -> None:
    assert warning not in answerer.answer(message).text


@pytest.mark.parametrize(
    ("message", "shown", "not_shown"),
    [
        ("my shins hurt", "- Shins:", "- Back:"),
        ("sciatica", "- Back:", "- Shins:"),
        ("knee pain when I squat", "- Knee:", "- Achilles or calf:"),
        ("Achilles hurts", "- Achilles or calf:", "- Knee:"),
    ],
)
def test_what_is_safe_meanwhile_is_for_the_part_that_hurts(
    answerer: Answerer, message: str, shown: str, not_shown: str
) -> None:
    text = answerer.answer(message).text
    assert shown in text
    assert not_shown not in text


def test_pain_with_no_body_part_gets_every_part(answerer: Answerer) -> None:
    text = answerer.answer("I'm injured, what can I do").text
    for part in ("Shins", "Achilles or calf", "Knee", "Back", "Hamstring or hip"):
        assert f"- {part}:" in text


def test_a_message_for_another_feature_is_left_to_it(answerer: Answerer) -> None:
    """Workout reports and reminder requests go to their own flows, untouched."""
    report = answerer.answer("squats 3x12 @ 40kg")
    assert report.intent == "log"
    flags = RedFlags(answerer.store)
    assert flags.put_first("squats 3x12 @ 40kg, knee hurts", report) is report


def test_the_pain_section_itself_is_not_repeated(answerer: Answerer) -> None:
    section = [s.title for s in answerer.store.overview.sections].index(PAIN_SECTION)
    answer = answerer.overview_answer(section)
    flagged = RedFlags(answerer.store).put_first("pain", answer)
    assert flagged is answer


def test_the_warning_names_the_signs_the_issue_lists(warning: str) -> None:
    text = warning.lower()
    for sign in ("one spot on a bone", "hop", "at night", "pop", "swells", "locks", "numbness"):
        assert sign in text
