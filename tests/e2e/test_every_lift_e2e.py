"""Every lift a runner names is logged, end to end (real Application, emulator, both databases):
timed sets in seconds and lifts of uncovered.yaml in the log, history, stats, bests, /progress
and /export."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image

from bot.core.clock import FixedClock
from bot.core.content import ContentStore
from bot.core.stats.export import read_csv
from bot.db import workout_log
from bot.emulator import BotApiEmulator
from bot.telegram.app import LegworkApp, services_of
from tests.e2e.chat import CHAT, say


async def test_timed_sets_and_uncovered_lifts_are_logged_and_shown_everywhere(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock, store: ContentStore
) -> None:
    [logged] = await say(emulator, "wall sit 3x45s, back squats 4x6 at 55 kilos, plank 60 sec")
    assert logged.text.splitlines()[0] == (
        "Logged for Mon 4 Jan: Wall sit 3 x 45 s, Back squat 4 x 6 @ 55 kg, Plank 1 x 60 s"
    )
    async with services_of(app).sessions() as db:
        rows = await workout_log.sets_of_user(db, CHAT)
    assert [(r.exercise, r.reps, r.seconds) for r in rows][:4] == [
        ("wall-sit", 0, 45), ("wall-sit", 0, 45), ("wall-sit", 0, 45), ("back-squat", 6, None),
    ]  # fmt: skip

    clock.set(datetime(2027, 1, 6, 18, 0, tzinfo=UTC))
    [longer] = await say(emulator, "wall sit 2x60s, leg press 3x10 @ 100kg")
    assert longer.text.splitlines()[0] == (
        "Logged for Wed 6 Jan: Wall sit 2 x 60 s, Leg press 3 x 10 @ 100 kg"
    )
    assert "🏆 New personal best: Wall sit 60 s in a set (was 45 s)" in longer.text

    [history] = await say(emulator, "/history")
    assert "Wed 6 Jan (extra): Wall sit 2 x 60 s, Leg press 3 x 10 @ 100 kg" in history.text
    assert "Mon 4 Jan (extra): Wall sit 3 x 45 s, Back squat 4 x 6 @ 55 kg, Plank" in history.text
    [stats] = await say(emulator, "/stats")
    assert "• Wall sit: 5 sets, 255 s held, longest 60 s" in stats.text
    assert "• Back squat: 4 sets, 24 reps, 1,320 kg moved, best 55 kg x 6, most reps 6" in (
        stats.text
    )
    assert "• Leg press: 3 sets, 30 reps, 3,000 kg moved" in stats.text

    [chart] = await say(emulator, "/progress")
    assert chart.kind == "photo"
    assert chart.file_bytes is not None
    with Image.open(io.BytesIO(chart.file_bytes)) as image:
        assert image.size == (800, 1100)

    [document] = await say(emulator, "/export")
    assert document.file_bytes is not None
    lines = document.file_bytes.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Date,Session,Exercise,Set,Reps,Seconds,Weight (kg)")
    assert lines[1] == (
        "2027-01-04,Extra session,Wall sit,1,,45,,no,done,"
        '"wall sit 3x45s, back squats 4x6 at 55 kilos, plank 60 sec"'
    )
    exported = read_csv(document.file_bytes, store)
    assert [(s.exercise, s.reps, s.seconds, s.weight_kg) for s in exported] == [
        (r.exercise, r.reps, r.seconds, r.weight_kg) for r in rows
    ] + [("wall-sit", 0, 60, None)] * 2 + [("leg-press", 10, None, 100.0)] * 3
