"""HTML rendering: escaping, Telegram's limits, splitting that never breaks a tag."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.answering import Answer, Answerer
from bot.core.content import TOPICS
from bot.core.render import MAX_MESSAGE, answer_html, body_html, utf16_len
from bot.emulator.formatting import parse_html

TAG = re.compile(r"</?b>")


def test_dynamic_text_is_escaped() -> None:
    html = answer_html(Answer(None, None, "a < b & c", "x <i>not a tag</i> & y_z"))[0]
    assert "<i>" not in html
    assert "&lt;i&gt;" in html
    assert "a &lt; b &amp; c" in html
    assert parse_html(html)[0] == "a < b & c\n\nx <i>not a tag</i> & y_z"


def test_numbered_steps_get_bold_numbers() -> None:
    assert body_html("1. Lie on your back") == "<b>1.</b> Lie on your back"
    assert body_html("Form cues:") == "<b>Form cues:</b>"


def test_every_answer_in_the_store_is_valid_telegram_html(answerer: Answerer) -> None:
    answers = [answerer.overview_answer()]
    for entry in answerer.store.entries.values():
        answers.append(answerer.summary_answer(entry.id))
        for topic in TOPICS:
            answers.append(answerer.topic_answer(entry.id, topic))
    for answer in answers:
        for chunk in answer_html(answer):
            parsed, _ = parse_html(chunk)  # raises on anything Telegram would refuse
            assert 0 < utf16_len(parsed) <= MAX_MESSAGE


def test_long_answers_are_split_and_nothing_is_lost() -> None:
    body = "\n\n".join(f"{i}. " + "squat & lunge <deep> " * 40 for i in range(60))
    chunks = answer_html(Answer("squat", "how-to", "Title", body))
    assert len(chunks) > 1
    visible = [parse_html(c)[0] for c in chunks]
    assert all(utf16_len(c) <= MAX_MESSAGE for c in chunks)
    assert "\n\n".join(visible) == "Title\n\n" + body


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(min_size=1, max_size=80).filter(str.strip),
    body=st.text(min_size=1, max_size=9000).filter(str.strip),
)
def test_any_text_renders_to_parseable_chunks_within_the_limit(title: str, body: str) -> None:
    for chunk in answer_html(Answer(None, None, title, body)):
        assert utf16_len(chunk) <= MAX_MESSAGE
        parse_html(chunk)


def test_declines_and_feature_replies_are_valid_telegram_html(answerer: Answerer) -> None:
    for question in (
        "pistol squat <b>form</b> & stuff",
        "how do I do a push-up",
        "remind me every day at 7am",
        "3x12 squats @ 40kg",
        "is the leg press as good as squats?",
    ):
        for chunk in answer_html(answerer.answer(question)):
            parsed, _ = parse_html(chunk)
            assert 0 < utf16_len(parsed) <= MAX_MESSAGE
