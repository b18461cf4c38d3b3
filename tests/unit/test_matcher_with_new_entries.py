"""The question matcher with the issue 16 entries in the store: words the new entries answer to
("back squat", "plyometrics", "ITBS") must not take over questions that are not about them."""

from __future__ import annotations

import pytest

from bot.core.answering import Answerer
from bot.core.answering.red_flags import PAIN_SECTION
from bot.core.content import ContentStore


@pytest.fixture(scope="module")
def warning(store: ContentStore) -> str:
    section = next(s for s in store.overview.sections if s.title == PAIN_SECTION)
    return section.text.split("\n\n")[0]


@pytest.mark.parametrize(
    "message",
    ["I hurt my back squatting", "I tweaked my back squatting last week, should I stop?"],
)
def test_hurting_your_back_squatting_is_the_squat_with_the_red_flags(
    answerer: Answerer, store: ContentStore, warning: str, message: str
) -> None:
    answer = answerer.answer(message)
    assert (answer.exercise, answer.topic) == ("squat", "mistakes")
    assert answer.body.startswith(warning)
    assert answer.body.endswith(store.entries["squat"].topic_text("mistakes"))


@pytest.mark.parametrize(
    ("question", "exercise", "topic"),
    [
        ("my back squat is stuck at 80kg, how do I progress?", "back-squat", "programming"),
        ("been back squatting for years, how often should I now?", "back-squat", "programming"),
        ("pain in my back when squatting", "squat", "mistakes"),
        ("how often should I do plyometrics", "pogo-hops", "programming"),
    ],
)
def test_the_new_entries_keep_their_own_questions(
    answerer: Answerer, question: str, exercise: str | None, topic: str
) -> None:
    answer = answerer.answer(question)
    assert (answer.exercise, answer.topic) == (exercise, topic)


def test_running_on_through_an_injury_is_declined_though_an_entry_helps_with_it(
    answerer: Answerer,
) -> None:
    """ITBS names the band walk's problem, but the ask is whether to keep running."""
    answer = answerer.answer(
        "Do those of you who suffer from ITBS continue to run during your recovery? "
        "Can I heal and train at the same time?"
    )
    assert (answer.exercise, answer.topic) == (None, None)
    assert "injury recovery" in answer.body
    assert answerer.answer("what helps ITB syndrome").exercise == "lateral-band-walk"
    # Running on beside strength work is no injury question.
    assert answerer.answer("can I continue to run on leg day?").topic == "overview"


def test_plyometrics_beside_strength_training_in_general_is_a_general_question(
    answerer: Answerer,
) -> None:
    answer = answerer.answer(
        "I take race week off strength training, but what about my plyometrics? "
        "Should I keep them as they are?"
    )
    assert (answer.exercise, answer.topic) == (None, "overview")


@pytest.mark.parametrize(
    ("question", "exercise", "topic"),
    [
        # A variation named, its family only in another sentence: the variation they do.
        (
            "Nordic hamstring curl. Saw a video of the hamstring curl. "
            "For us who want to avoid hamstring injuries, how would you introduce it?",
            "nordic-hamstring-curl",
            "programming",
        ),
        # The family in the ask, the variation in the context: the variation.
        (
            "I've done barbell back squats for years. Should I keep squatting heavy?",
            "back-squat",
            "programming",
        ),
        # One family is clearly the subject, another named in passing: that family's one.
        (
            "I have a problem with lateral lunges. Whenever I lunge my knees hurt, a bit like in "
            "a sumo squat. Any corrections for this exercise?",
            "side-lunge",
            "mistakes",
        ),
        # Two families as often: neither is "this", the question is general.
        (
            "I do squats on Monday and lunges on Thursday. How should I set my feet?",
            None,
            "overview",
        ),
        # Compared in one sentence: the family.
        ("Glute bridges or hip thrusts? How often?", "glute-bridge", "variations"),
        ("how do I avoid knee injuries when squatting", "squat", "mistakes"),
        ("things you want to avoid when lunging", "lunge", "mistakes"),
    ],
)
def test_an_ask_refers_to_the_exercise_the_message_is_about(
    answerer: Answerer, question: str, exercise: str | None, topic: str
) -> None:
    answer = answerer.answer(question)
    assert (answer.exercise, answer.topic) == (exercise, topic)
