"""Reminder messages and buttons; parsers never raise on any text."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.content import ContentStore
from bot.core.plans import build_catalog, layout, session_for
from bot.core.schedule import (
    parse_days,
    parse_intent,
    parse_pause,
    parse_time,
    parse_time_and_days,
    resolve_zone,
    zones_for_local_time,
)
from bot.telegram import reminder_text as render
from bot.telegram.callbacks import HowTo, SessionButton, decode


def test_reminder_text_lists_each_exercise_with_its_prescription(store: ContentStore) -> None:
    catalog = build_catalog(store)
    session = session_for(date(2027, 1, 4), layout({0, 3}, 2, None), catalog, {})
    assert session is not None
    html = render.reminder_html(session)
    assert html.startswith("<b>Today&#x27;s strength session</b> (Mon 4 Jan)")
    for item in session.exercises:
        assert item.name in html
    keyboard = render.session_keyboard(42, session)
    data = [str(b.callback_data) for row in keyboard.inline_keyboard for b in row]
    assert [decode(d) for d in data[:4]] == [SessionButton(a, 42) for a in ("d", "s", "z30", "z60")]
    assert [decode(d) for d in data[4:]] == [HowTo(item.move) for item in session.exercises]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_parsers_never_raise(text: str) -> None:
    parse_time(text)
    parse_days(text)
    parse_intent(text)
    parse_time_and_days(text)
    parse_pause(text, date(2027, 1, 4))
    resolve_zone(text)
    zones_for_local_time(text, datetime(2027, 1, 4, 12, tzinfo=UTC))
