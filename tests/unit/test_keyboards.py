"""Every button the bot can show: callback data within Telegram's 64 bytes, and it round-trips
to the screen it names."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.core.answering import Answerer
from bot.core.content import TOPICS, ContentStore
from bot.telegram.callbacks import (
    BROWSE_BUTTONS,
    MAX_CALLBACK_BYTES,
    Button,
    Entry,
    Menu,
    Overview,
    TopicPage,
    decode,
    encode,
)
from bot.telegram.handlers import keyboards


def _all_keyboards(answerer: Answerer) -> list[InlineKeyboardMarkup]:
    store = answerer.store
    boards = [keyboards.welcome(), keyboards.menu(store)]
    boards += [keyboards.overview(store, (i,)) for i in range(len(store.overview.sections))]
    for entry in store.entries:
        boards.append(keyboards.entry(store, entry))
        boards += [
            keyboards.topic(store, entry, topic, answerer.links(entry, topic)) for topic in TOPICS
        ]
    boards += [keyboards.suggestions(store, lift.nearest) for lift in store.uncovered]
    return boards


def test_every_button_fits_and_decodes(answerer: Answerer) -> None:
    count = 0
    for board in _all_keyboards(answerer):
        for row in board.inline_keyboard:
            for button in row:
                data = button.callback_data
                assert isinstance(data, str)
                assert len(data.encode()) <= MAX_CALLBACK_BYTES
                assert isinstance(decode(data), BROWSE_BUTTONS), data
                count += 1
    assert count > 200


def test_routes_round_trip(store: ContentStore) -> None:
    routes: list[Button] = [Menu(), Overview(), Overview(2)]
    routes += [Entry(e) for e in store.entries]
    routes += [TopicPage(e, t) for e in store.entries for t in TOPICS]
    for route in routes:
        assert decode(encode(route)) == route


def test_variations_link_to_their_family_and_back(store: ContentStore) -> None:
    board = keyboards.entry(store, "sumo-deadlift")
    back = board.inline_keyboard[-1][0]
    assert back.callback_data == "1:e:deadlift"
    family = keyboards.entry(store, "deadlift")
    labels = [b.text for row in family.inline_keyboard for b in row]
    assert "Sumo deadlift" in labels
    assert "Conventional deadlift" in labels


def _labels(board: InlineKeyboardMarkup) -> dict[str, str | None]:
    return {
        b.text: b.callback_data if isinstance(b.callback_data, str) else None
        for row in board.inline_keyboard
        for b in row
    }


def test_the_browser_shows_the_new_entries(store: ContentStore) -> None:
    for family, variation in [
        ("deadlift", "Romanian deadlift"),
        ("deadlift", "Single-leg Romanian deadlift"),
        ("glute-bridge", "Hip thrust"),
        ("glute-bridge", "Single-leg glute bridge"),
        ("calf-raise", "Bent-knee calf raise"),
        ("lunge", "Step-up"),
    ]:
        assert variation in _labels(keyboards.entry(store, family))


def test_a_variations_answer_links_every_exercise_it_recommends(answerer: Answerer) -> None:
    answer = answerer.answer("deadlift variations")
    board = keyboards.for_answer(answerer, answer)
    assert board is not None
    labels = _labels(board)
    assert labels["Romanian deadlift"] == "1:e:romanian-deadlift"
    assert labels["Single-leg Romanian deadlift"] == "1:e:single-leg-romanian-deadlift"
    assert labels["Sumo deadlift"] == "1:e:sumo-deadlift"
    assert "Muscles" in labels
    assert "Variations" not in labels


def test_a_declined_lift_offers_the_nearest_entries(answerer: Answerer) -> None:
    answer = answerer.answer("skater squat technique")
    board = keyboards.for_answer(answerer, answer)
    assert board is not None
    labels = _labels(board)
    assert labels["Single-leg squat"] == "1:e:single-leg-squat"
    assert labels["Bulgarian split squat"] == "1:e:bulgarian-split-squat"
    assert labels["Step-up"] == "1:e:step-up"
    assert labels["« Exercises"] == "1:m"


def test_feature_and_plain_declines_have_no_buttons(answerer: Answerer) -> None:
    for message in ("remind me every day at 7am", "done", "how do I do a push-up"):
        assert keyboards.for_answer(answerer, answerer.answer(message)) is None


def test_answer_keyboards_are_reused_and_equal_to_fresh_ones(answerer: Answerer) -> None:
    """for_answer keeps one keyboard per exercise/topic/sections/suggestions: the same object
    for the same answer, equal to the one built from scratch, never another answerer's."""
    questions = (
        "how do I do a glute bridge",
        "what do lunges work",
        "common deadlift mistakes",
        "why should runners strength-train",
        "how do I do pistol squats",
        "what is a nordic curl",
    )
    for question in questions:
        answer = answerer.answer(question)
        first = keyboards.for_answer(answerer, answer)
        assert keyboards.for_answer(answerer, answer) is first
        assert first == keyboards._for_answer(answerer, answer), question
    other = Answerer(answerer.store)
    answer = answerer.answer("how do I do a glute bridge")
    assert keyboards.for_answer(other, answer) is not keyboards.for_answer(answerer, answer)
    assert keyboards.for_answer(answerer, answer) == keyboards._for_answer(other, answer)
