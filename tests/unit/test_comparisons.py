"""Issue 19 §4: comparisons answer both sides, a qualifier with an exercise and a topic in any
order gets that topic, and "what about single leg?" keeps the topic last answered."""

from __future__ import annotations

import pytest

from bot.core.answering import Answerer
from bot.core.content.store import Topic


@pytest.mark.parametrize(
    ("question", "family", "sides"),
    [
        (
            "difference between forward and reverse lunges",
            "lunge",
            ["forward-lunge", "reverse-lunge"],
        ),
        ("goblet squat vs back squat", "squat", ["goblet-squat", "back-squat"]),
        (
            "romanian vs conventional deadlift",
            "deadlift",
            ["romanian-deadlift", "conventional-deadlift"],
        ),
        ("sumo or conventional?", "deadlift", ["sumo-deadlift", "conventional-deadlift"]),
        ("hip thrusts vs glute bridges", "glute-bridge", ["hip-thrust", "glute-bridge"]),
        ("reverse or forward lunges?", "lunge", ["reverse-lunge", "forward-lunge"]),
    ],
)
def test_a_comparison_names_both_sides_and_offers_each(
    answerer: Answerer, question: str, family: str, sides: list[str]
) -> None:
    answer = answerer.answer(question)
    assert (answer.exercise, answer.topic) == (family, "variations")
    names = [answerer.store.entries[side].name for side in sides]
    # Both sides, each with a line of its own saying what sets it apart, first named first.
    lines = [line for line in answer.body.splitlines() if line.startswith("- ")]
    assert [line[2:].split(":")[0].split(" (")[0] for line in lines] == names
    assert all(len(line.split(":", 1)[1].split()) >= 4 for line in lines)
    assert [(f.exercise, f.topic, f.label) for f in answer.follow_ups] == [
        (side, None, name) for side, name in zip(sides, names, strict=True)
    ]


def test_a_comparison_uses_the_family_line_where_there_is_one(answerer: Answerer) -> None:
    answer = answerer.answer("difference between forward and reverse lunges")
    assert "- Forward lunge: step forward, mostly quads." in answer.body
    assert "Reverse lunge: step back, a little more glute work" in answer.body
    assert "Walking lunge" not in answer.body  # only the two compared


def test_a_side_the_family_text_lacks_is_told_from_its_summary(answerer: Answerer) -> None:
    back = answerer.store.entries["back-squat"]
    assert "Back squat" not in answerer.store.entries["squat"].topic_text("variations")
    body = answerer.answer("goblet squat vs back squat").body
    first = back.summary.split(". ")[0]
    assert f"- Back squat: {first[0].lower()}{first[1:]}" in body


def test_one_variation_asked_about_is_no_comparison(answerer: Answerer) -> None:
    answer = answerer.answer("walk me through a reverse lunge")
    assert (answer.exercise, answer.topic, answer.follow_ups) == ("reverse-lunge", "how-to", ())


def test_a_comparison_in_a_long_message_keeps_its_sides_after_the_other_asks(
    answerer: Answerer,
) -> None:
    answer = answerer.answer("Glute bridges or hip thrusts? How often?")
    assert [f.label for f in answer.follow_ups] == [
        "Also: how often?",
        "Glute bridge",
        "Hip thrust",
    ]


@pytest.mark.parametrize(
    "question",
    ["kettlebell deadlift how to", "how to kettlebell deadlift", "deadlift kettlebell how to"],
)
def test_a_qualified_exercise_gets_the_topic_asked(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert (answer.exercise, answer.topic) == ("deadlift", "how-to")


def test_a_qualified_exercise_alone_still_gets_the_variations(answerer: Answerer) -> None:
    answer = answerer.answer("kettlebell deadlift?")
    assert (answer.exercise, answer.topic) == ("deadlift", "variations")


@pytest.mark.parametrize(
    ("topic", "question"),
    [
        ("mistakes", "what about single leg?"),
        ("how-to", "and single leg?"),
        ("muscles", "what about the single leg one"),
    ],
)
def test_a_qualifier_follow_up_keeps_the_previous_topic(
    answerer: Answerer, topic: str, question: str
) -> None:
    answer = answerer.answer(question, previous="glute-bridge", previous_topic=topic)
    assert (answer.exercise, answer.topic) == ("single-leg-glute-bridge", topic)
    entry = answerer.store.entries["single-leg-glute-bridge"]
    assert answer.body == entry.topic_text(topic)  # type: ignore[arg-type]


def test_a_qualifier_follow_up_naming_its_own_topic_answers_that(answerer: Answerer) -> None:
    answer = answerer.answer(
        "and how many reps on single leg?", previous="glute-bridge", previous_topic="mistakes"
    )
    assert (answer.exercise, answer.topic) == ("single-leg-glute-bridge", "programming")


def test_without_a_previous_topic_a_qualifier_follow_up_gets_the_summary(
    answerer: Answerer,
) -> None:
    for previous_topic in (None, "overview"):
        answer = answerer.answer(
            "what about single leg?", previous="glute-bridge", previous_topic=previous_topic
        )
        assert (answer.exercise, answer.topic) == ("single-leg-glute-bridge", None)


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        ("glute bridge or single leg?", ["glute-bridge", "single-leg-glute-bridge"]),
        ("deadlift vs sumo", ["deadlift", "sumo-deadlift"]),
    ],
)
def test_a_family_against_one_of_its_variations_is_a_comparison(
    answerer: Answerer, question: str, sides: list[str]
) -> None:
    answer = answerer.answer(question)
    assert answer.exercise == answerer.store.family_of(sides[0])
    assert [f.exercise for f in answer.follow_ups] == sides


@pytest.mark.parametrize(
    ("question", "family", "topic", "sides"),
    [
        (
            "reverse vs forward lunge muscles",
            "lunge",
            "muscles",
            ["reverse-lunge", "forward-lunge"],
        ),
        (
            "difference between forward and reverse lunges which muscles",
            "lunge",
            "muscles",
            ["forward-lunge", "reverse-lunge"],
        ),
        (
            "sumo vs conventional deadlift mistakes",
            "deadlift",
            "mistakes",
            ["sumo-deadlift", "conventional-deadlift"],
        ),
        (
            "goblet squat or bulgarian split squat, how do i do them",
            "squat",
            "how-to",
            ["goblet-squat", "bulgarian-split-squat"],
        ),
    ],
)
def test_a_comparison_on_a_topic_gives_each_side_s_text_for_it(
    answerer: Answerer, question: str, family: str, topic: Topic, sides: list[str]
) -> None:
    answer = answerer.answer(question)
    assert (answer.exercise, answer.topic) == (family, topic)
    entries = [answerer.store.entries[side] for side in sides]
    body = answer.body
    positions = []
    for entry in entries:
        text = entry.topic_text(topic).strip()
        assert f"{entry.name}:\n{text}" in body
        positions.append(body.index(text))
    assert positions == sorted(positions)  # in the order named
    assert answerer.store.entries[family].topic_text(topic).strip() not in body
    assert [f.exercise for f in answer.follow_ups] == sides


def test_a_comparison_with_only_a_weak_topic_word_stays_on_the_variations(
    answerer: Answerer,
) -> None:
    """ "better for hamstrings" hints at the muscles but asks which variation to pick."""
    answer = answerer.answer("romanian vs conventional deadlift which is better for hamstrings")
    assert (answer.exercise, answer.topic) == ("deadlift", "variations")
