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


def test_hurting_your_back_squatting_is_the_squat_with_the_red_flags(
    answerer: Answerer, store: ContentStore, warning: str
) -> None:
    answer = answerer.answer("I hurt my back squatting")
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
    answerer: Answerer, question: str, exercise: str, topic: str
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


def test_plyometrics_beside_strength_training_in_general_is_a_general_question(
    answerer: Answerer,
) -> None:
    answer = answerer.answer(
        "I take race week off strength training, but what about my plyometrics? "
        "Should I keep them as they are?"
    )
    assert (answer.exercise, answer.topic) == (None, "overview")
