"""Question answering: the issue's examples, a 300+ question set, declines, robustness."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.answering import Answerer
from bot.core.content import TOPICS
from tests.conftest import ROOT

ISSUE_EXAMPLES = [
    ("how do I do a glute bridge", "glute-bridge", "how-to"),
    ("what do lunges work?", "lunge", "muscles"),
    ("why should runners bother with calf raises", "calf-raise", "benefits"),
    ("common deadlift mistakes", "deadlift", "mistakes"),
    ("what kinds of squats are there", "squat", "variations"),
    ("how many times a week should I deadlift", "deadlift", "programming"),
    ("sumo deadlift how to", "sumo-deadlift", "how-to"),
    ("what should runners do in the gym", None, "overview"),
    ("how do I do a push-up", None, None),
]


def _load(name: str) -> list[dict[str, str | None]]:
    data = yaml.safe_load((ROOT / "tests" / "data" / name).read_text())
    assert isinstance(data, list)
    return data


@pytest.mark.parametrize(("question", "exercise", "topic"), ISSUE_EXAMPLES)
def test_issue_examples(answerer: Answerer, question: str, exercise: str, topic: str) -> None:
    answer = answerer.answer(question)
    assert (answer.exercise, answer.topic) == (exercise, topic)


@pytest.mark.parametrize("name", ["questions.yaml", "questions_holdout.yaml"])
def test_accuracy_on_question_sets(answerer: Answerer, name: str) -> None:
    """At least 95% right; the misses are printed so a content author can see them."""
    if not (ROOT / "tests" / "data" / name).exists():
        pytest.fail(f"{name} is missing")
    cases = _load(name)
    misses = [
        (c["q"], (c["exercise"], c["topic"]), (a.exercise, a.topic))
        for c in cases
        if ((a := answerer.answer(str(c["q"]))).exercise, a.topic) != (c["exercise"], c["topic"])
    ]
    accuracy = 1 - len(misses) / len(cases)
    assert len(cases) >= 150
    assert accuracy >= 0.95, "\n".join(f"{q!r}: want {w}, got {g}" for q, w, g in misses)


@pytest.mark.parametrize("name", ["questions.yaml", "questions_holdout.yaml"])
def test_out_of_scope_is_never_answered_as_an_exercise(answerer: Answerer, name: str) -> None:
    """Precision first: a question about something we do not cover never gets an exercise."""
    for case in _load(name):
        if case["exercise"] is None and case["topic"] is None:
            answer = answerer.answer(str(case["q"]))
            assert answer.exercise is None, case["q"]


def test_decline_says_what_the_bot_knows(answerer: Answerer) -> None:
    answer = answerer.answer("what's the weather like in Paris")
    assert (answer.exercise, answer.topic) == (None, None)
    assert "can't help" in answer.text
    for family in ("squats", "lunges", "glute bridges", "calf raises", "deadlifts"):
        assert family in answer.text


def test_decline_names_the_uncovered_exercise(answerer: Answerer) -> None:
    assert "bench press" in answerer.answer("bench press form tips").text


@pytest.mark.parametrize(
    ("question", "exercise"),
    [
        ("gltue bridge", "glute-bridge"),
        ("deadlfit", "deadlift"),
        ("LUNGES!!", "lunge"),
        ("hip bridge 🍑", "glute-bridge"),
        ("heel raises pls", "calf-raise"),
        ("BSS??", "bulgarian-split-squat"),
        ("DL", "deadlift"),
        ("single leg squat", "bulgarian-split-squat"),
        ("split squats", "bulgarian-split-squat"),
        ("goblet squat", "goblet-squat"),
    ],
)
def test_bare_names_give_a_summary(answerer: Answerer, question: str, exercise: str) -> None:
    answer = answerer.answer(question)
    assert answer.exercise == exercise
    assert answer.topic is None
    assert answerer.store.entries[exercise].summary in answer.text


def test_topic_answer_is_the_content_text(answerer: Answerer) -> None:
    answer = answerer.answer("how do i do a glute bridge")
    assert answer.body == answerer.store.entries["glute-bridge"].topic_text("how-to")
    assert answer.title == "Glute bridge: how to do it"


def test_every_exercise_and_topic_is_reachable_by_a_plain_question(answerer: Answerer) -> None:
    phrasing = {
        "how-to": "how do I do {}",
        "muscles": "what muscles do {} work",
        "benefits": "why should runners do {}",
        "mistakes": "common {} mistakes",
        "variations": "{} variations",
        "programming": "how many sets of {} and how often",
    }
    for entry in answerer.store.entries.values():
        for topic in TOPICS:
            answer = answerer.answer(phrasing[topic].format(entry.name.lower()))
            assert (answer.exercise, answer.topic) == (entry.id, topic)


def test_greeting_is_a_welcome_not_a_decline(answerer: Answerer) -> None:
    answer = answerer.answer("hi there")
    assert answer.exercise is None
    assert "can't help" not in answer.text


def test_json_shape(answerer: Answerer) -> None:
    data = answerer.answer("what do lunges work?").as_json()
    assert set(data) == {"exercise", "topic", "text"}
    assert data["text"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_an_answer(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.text.strip()
    assert answer.exercise is None or answer.exercise in answerer.store.entries


def test_questions_file_is_unique() -> None:
    for name in ("questions.yaml",):
        qs = [str(c["q"]).lower().strip() for c in _load(name)]
        assert len(qs) == len(set(qs))


@pytest.mark.parametrize(
    ("question", "exercise", "topic"),
    [
        ("sumo or conventional?", "deadlift", "variations"),
        ("goblet squat or bulgarian?", "squat", "variations"),
        ("sumo how to", "sumo-deadlift", "how-to"),
        ("dumbbell row form", None, None),
        ("lunges going backwards, how to", "reverse-lunge", "how-to"),
        ("how many lunges per side", "lunge", "programming"),
        ("a single set of calf raises enough?", "calf-raise", "programming"),
        ("3x12 squats @ 40kg ok?", "squat", "programming"),
        ("my physio keeps banging on about glute bridges, why?", "glute-bridge", "benefits"),
    ],
)
def test_variation_words_and_traps(
    answerer: Answerer, question: str, exercise: str | None, topic: str | None
) -> None:
    answer = answerer.answer(question)
    assert (answer.exercise, answer.topic) == (exercise, topic)


def test_generic_variation_words_alone_name_no_exercise(answerer: Answerer) -> None:
    for question in ("is walking good cross training", "weighted vest for running?"):
        assert answerer.answer(question).exercise is None


def test_off_topic_decline_does_not_echo_odd_words(answerer: Answerer) -> None:
    assert "with that." in answerer.answer("tell me a joke").text
    assert "hip thrust" in answerer.answer("hip thrust form").text


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("how often should runners lift", "How often"),
        ("I'm new to the gym, how do I start lifting as a runner", "How to start"),
        ("what exercises should runners do", "The five exercises"),
        ("strength training for runners, consistency tips?", "Consistency and patience"),
    ],
)
def test_overview_answers_with_the_section_asked_about(
    answerer: Answerer, question: str, section: str
) -> None:
    answer = answerer.answer(question)
    assert answer.topic == "overview"
    titles = [answerer.store.overview.sections[i].title for i in answer.sections]
    assert titles == [section]
    assert answerer.store.overview.summary in answer.body


def test_general_overview_shows_why_and_which(answerer: Answerer) -> None:
    answer = answerer.answer("should runners do strength training")
    assert answer.sections == (0, 1)


@pytest.mark.parametrize(
    ("question", "exercise", "topic"),
    [
        ("and what muscles does it work?", "glute-bridge", "muscles"),
        ("common mistakes?", "glute-bridge", "mistakes"),
        ("how many reps", "glute-bridge", "programming"),
        ("ok and lunges?", "lunge", None),  # a new exercise wins over the old one
        ("how do I do a push-up", None, None),  # out of scope stays declined
        ("how often should runners lift", None, "overview"),
        ("help", None, None),
        ("what's the weather", None, None),
    ],
)
def test_follow_ups_stay_on_the_previous_exercise(
    answerer: Answerer, question: str, exercise: str | None, topic: str | None
) -> None:
    answer = answerer.answer(question, previous="glute-bridge")
    assert (answer.exercise, answer.topic) == (exercise, topic)


def test_without_a_previous_exercise_a_bare_topic_is_declined(answerer: Answerer) -> None:
    assert answerer.answer("and what muscles does it work?").exercise is None
