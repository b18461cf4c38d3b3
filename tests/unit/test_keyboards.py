"""Every button the bot can show: callback data within Telegram's 64 bytes, and it round-trips
to the screen it names."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.core.content import TOPICS, ContentStore
from bot.handlers import keyboards
from bot.handlers.callbacks import MAX_CALLBACK_BYTES, Route, decode, encode


def _all_keyboards(store: ContentStore) -> list[InlineKeyboardMarkup]:
    boards = [keyboards.welcome(), keyboards.menu(store)]
    boards += [keyboards.overview(store, (i,)) for i in range(len(store.overview.sections))]
    for entry in store.entries:
        boards.append(keyboards.entry(store, entry))
        boards += [keyboards.topic(store, entry, topic) for topic in TOPICS]
    return boards


def test_every_button_fits_and_decodes(store: ContentStore) -> None:
    count = 0
    for board in _all_keyboards(store):
        for row in board.inline_keyboard:
            for button in row:
                data = button.callback_data
                assert isinstance(data, str)
                assert len(data.encode()) <= MAX_CALLBACK_BYTES
                assert decode(data, store) is not None, data
                count += 1
    assert count > 200


def test_routes_round_trip(store: ContentStore) -> None:
    routes = [Route("menu"), Route("overview"), Route("overview", section=2)]
    routes += [Route("entry", e) for e in store.entries]
    routes += [Route("topic", e, t) for e in store.entries for t in TOPICS]
    for route in routes:
        assert decode(encode(route), store) == route


def test_forged_or_stale_data_is_rejected(store: ContentStore) -> None:
    for data in ("", "e:bench-press", "t:squat:nope", "ov:99", "ov:-1", "x" * 64, "t:squat"):
        assert decode(data, store) is None


def test_variations_link_to_their_family_and_back(store: ContentStore) -> None:
    board = keyboards.entry(store, "sumo-deadlift")
    back = board.inline_keyboard[-1][0]
    assert back.callback_data == "e:deadlift"
    family = keyboards.entry(store, "deadlift")
    labels = [b.text for row in family.inline_keyboard for b in row]
    assert "Sumo deadlift" in labels
    assert "Conventional deadlift" in labels
