"""The one callback-data scheme: every button round-trips within 64 bytes; anything encode
would not have written (forged, overflowing, stale, extra fields) decodes to None."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.telegram.callbacks import (
    MAX_CALLBACK_BYTES,
    MAX_ID,
    Button,
    DeleteData,
    Entry,
    HistoryPage,
    HowTo,
    LevelChoice,
    Menu,
    Overview,
    OwnAsk,
    OwnDelete,
    ReminderNo,
    ReminderYes,
    SessionButton,
    SetupAsk,
    SetupDays,
    SetupHardRuns,
    SetupLevel,
    SetupLongRun,
    SetupNoRace,
    SetupSkip,
    SetupStart,
    SetupTime,
    SetupZone,
    TopicPage,
    UndoLog,
    decode,
    encode,
    fits,
)

EVERY_KIND: list[Button] = [
    Menu(), Overview(), Overview(3), Entry("single-leg-romanian-deadlift"),
    TopicPage("glute-bridge", "how-to"), HowTo("nordic-curl"), SessionButton("z60", MAX_ID),
    SessionButton("d", 1), SetupStart(), SetupAsk("long"),
    SetupZone("America/Argentina/Buenos_Aires"),
    SetupDays(127), SetupTime(time(6, 30)), SetupLongRun(None), SetupLongRun(6), SetupSkip(),
    ReminderYes(time(23, 59), None), ReminderYes(time(0, 0), 1), ReminderNo(),
    UndoLog(MAX_ID), HistoryPage(0), DeleteData(MAX_ID, True), DeleteData(7, False),
    OwnAsk(MAX_ID, True), OwnAsk(1, False), OwnDelete(MAX_ID),
    SetupNoRace(), SetupHardRuns(0), SetupHardRuns(127), SetupLevel("some-experience"),
    LevelChoice("new"),
]  # fmt: skip


def test_every_kind_round_trips_within_64_bytes_with_a_version() -> None:
    for button in EVERY_KIND:
        data = encode(button)
        assert data.startswith("1:")
        assert len(data.encode()) <= MAX_CALLBACK_BYTES
        assert decode(data) == button


@pytest.mark.parametrize(
    "data",
    [
        "1:uh:128", "1:uh:-1", "1:uv:wizard", "1:sv:", "1:ur:x",
        "", "1", "1:", "2:m", "m", "menu", "e:squat", "lg:um:5", "rs:d:42", "ru:setup",
        "1:x", "1:m:1", "1:o:", "1:o:01", "1:o:-1", "1:o:²", "1:e:Squat", "1:e:", "1:e:a--b",
        "1:t:squat", "1:t:squat:nope", "1:t:squat:how-to:1", "1:s:x:1", "1:s:d:", "1:s:d:0",
        "1:s:d:²", "1:s:d:١٢", "1:s:d:+5", "1:s:d: 5", "1:s:d:5 ", f"1:s:d:{MAX_ID + 1}",
        "1:s:d:" + "9" * 40, "1:s:d:1:2", "1:ua:nope", "1:uz:localtime", "1:uz:Factory",
        "1:uz:Etc/Unknown", "1:uz:Europe/Nowhere", "1:ud:0", "1:ud:128", "1:ud:²", "1:ut:2400",
        "1:ut:0660", "1:ut:630", "1:ul:7", "1:ul:²", "1:ul:", "1:uy:0630", "1:uy:0630:0",
        "1:uy:0630:x:1", "1:lu:" + "1" * 40, "1:lu:-3", "1:lh:²", "1:ld:5", "1:ld:5:yes",
        "1:ld:0:y", "1:ld:5:y:1", "1:oa:5", "1:oa:0:y", "1:oa:5:yes", "1:oa:²:n", "1:od:",
        "1:od:0", "1:od:5:1", "ox:y:5", "1:" + "m" * 70,
    ],
)  # fmt: skip
def test_forged_stale_or_overflowing_data_does_not_decode(data: str) -> None:
    assert decode(data) is None


def test_encode_refuses_what_decode_would_refuse() -> None:
    assert not fits(SetupZone("localtime"))
    assert not fits(SetupDays(0))
    assert not fits(SessionButton("d", MAX_ID + 1))
    assert not fits(Entry("x" * 70))
    with pytest.raises(ValueError, match="not a valid button"):
        encode(UndoLog(0))


@settings(max_examples=500, deadline=None)
@given(
    st.text(max_size=80) | st.from_regex(r"1:[a-z]{1,2}(:[0-9a-z²-]{0,25}){0,3}", fullmatch=True)
)
def test_decode_never_raises_and_what_it_accepts_encodes_back(data: str) -> None:
    button = decode(data)
    if button is not None:
        assert encode(button) == data
