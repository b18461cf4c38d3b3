"""The buttons issue 19 added to the typed callback scheme: one-tap pause, Undo of a correction."""

from __future__ import annotations

import pytest

from bot.telegram.callbacks import PauseReminders, UndoCorrection, decode, encode, fits


@pytest.mark.parametrize(
    "button",
    [
        PauseReminders(7),
        PauseReminders(366),
        UndoCorrection(12, 0, (8, 8, 8), 30.0),
        UndoCorrection(2**40, 3, (10,), 22.5),
        UndoCorrection(5, 1, (15, 15, 12), None),
    ],
)
def test_round_trip(button: PauseReminders | UndoCorrection) -> None:
    assert decode(encode(button)) == button


@pytest.mark.parametrize(
    "data",
    ["1:rp:0", "1:rp:367", "1:rp:07", "1:lc:1:0:8.0:-", "1:lc:1:0::-", "1:lc:1:0:8:1e3",
     "1:lc:1:0:8:30.125", "1:lc:0:0:8:-", "1:lc:1:0:8", "1:lc:1:0:8:-:x"],
)  # fmt: skip
def test_forged_or_malformed_data_does_not_decode(data: str) -> None:
    assert decode(data) is None


def test_a_correction_too_long_for_a_button_does_not_fit() -> None:
    assert not fits(UndoCorrection(1, 0, (1000,) * 20, 30.0))
    assert not fits(UndoCorrection(1, 0, (8,), 12.125))  # a load no button carries
