"""Progress core: streaks (pauses never break them), the week, volume, bests, export, chart."""

from __future__ import annotations

import gc
import io
from datetime import date, timedelta
from itertools import pairwise

from PIL import Image

from bot.core.content import ContentStore
from bot.core.reports import ReportEntry
from bot.core.stats import (
    LoggedSet,
    Pause,
    PersonalBest,
    PlannedDay,
    bests_of,
    new_bests,
    per_exercise,
    streaks,
    this_week,
)
from bot.core.stats.chart import (
    BAR,
    COLOURS,
    REPS_BOX,
    _Box,
    _x_ticks,
    _y_ticks,
    render_progress,
    weekly,
)
from bot.core.stats.export import HEADER, read_csv, to_csv

MON = date(2027, 3, 8)


def _sets(
    log_id: int, day: date, exercise: str, reps: list[int], kg: float | None = None,
    planned: bool = True, status: str = "done",
) -> list[LoggedSet]:  # fmt: skip
    return [
        LoggedSet(log_id, day, status, planned, "note", 0, exercise, n, r, kg, False)
        for n, r in enumerate(reps, start=1)
    ]


def _days(*statuses: str, start: date = MON, step: int = 2) -> list[PlannedDay]:
    return [PlannedDay(start + timedelta(days=i * step), s) for i, s in enumerate(statuses)]


def test_streak_counts_done_and_breaks_on_missed() -> None:
    result = streaks(_days("done", "done", "missed", "done"))
    assert (result.current, result.best) == (1, 2)
    result = streaks(_days("done", "skipped", "done", "done", "done"))
    assert (result.current, result.best) == (3, 3)


def test_a_pause_does_not_break_the_streak() -> None:
    days = _days("done", "done", "missed", "missed", "done")
    paused = Pause(days[2].local_date, days[3].local_date)
    result = streaks(days, [paused])
    assert (result.current, result.best) == (3, 3)


def test_todays_open_session_neither_counts_nor_breaks() -> None:
    days = _days("done", "done", "sent")
    result = streaks(days, today=days[-1].local_date)
    assert (result.current, result.best) == (2, 2)
    # A session still open after its day is past (not swept to missed yet) breaks it.
    later = streaks(days, today=days[-1].local_date + timedelta(days=1))
    assert later.current == 0


def test_this_week_against_the_plan() -> None:
    planned = _days("done", "missed", "sent", start=MON)  # Mon, Wed, Fri
    logs = _sets(1, MON, "squat", [10]) + _sets(
        2, MON + timedelta(days=5), "lunge", [8], planned=False
    )
    logs += _sets(3, MON - timedelta(days=1), "lunge", [8], planned=False)  # last week
    week = this_week(planned, logs, today=MON + timedelta(days=5))
    assert (week.first, week.planned, week.planned_done, week.extra) == (MON, 3, 1, 1)


def test_volume_and_bests_per_exercise() -> None:
    logs = _sets(1, MON, "squat", [10, 10, 8], 40.0) + _sets(2, MON, "calf-raise", [15, 20])
    logs += _sets(3, MON + timedelta(days=2), "squat", [6, 5], 45.0)
    logs += _sets(4, MON + timedelta(days=3), "squat", [30], 45.0, status="skipped")
    stats = per_exercise(logs)
    squat = stats["squat"]
    assert (squat.sessions, squat.sets, squat.reps) == (2, 5, 39)
    assert squat.volume_kg == 28 * 40.0 + 11 * 45.0
    assert (squat.best_weight_kg, squat.best_weight_reps, squat.best_reps) == (45.0, 6, 10)
    calves = stats["calf-raise"]
    assert (calves.volume_kg, calves.best_weight_kg, calves.best_reps) == (0.0, None, 20)


def test_new_personal_bests() -> None:
    before = _sets(1, MON, "squat", [10], 40.0) + _sets(1, MON, "calf-raise", [15, 20])
    entries = (
        ReportEntry("squat", (8, 8), 42.5),
        ReportEntry("calf-raise", (22, 18)),
        ReportEntry("lunge", (10,), 100.0),  # first time: no "new" best
    )
    assert new_bests(bests_of(before), entries) == [
        PersonalBest("squat", "weight", 42.5, 40.0),
        PersonalBest("calf-raise", "reps", 22, 20),
    ]
    assert new_bests(bests_of(before), (ReportEntry("squat", (12,), 40.0),)) == []


def test_csv_has_one_row_per_set_and_reads_back(store: ContentStore) -> None:
    logs = _sets(1, MON, "squat", [12, 12, 10], 42.5) + _sets(2, MON, "calf-raise", [15])
    logs.append(LoggedSet(3, MON, "skipped", True, "not today", -1, "", 0, 0, None, False))
    data = to_csv(logs, store)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(HEADER)
    assert len(lines) == 1 + 4 + 1
    assert lines[1] == "2027-03-08,Planned session,Squat,1,12,42.5,no,done,note"
    assert lines[-1] == "2027-03-08,Planned session,,,,,,skipped,not today"
    back = read_csv(data, store)
    assert [(s.exercise, s.set_index, s.reps, s.weight_kg) for s in back] == [
        ("squat", 1, 12, 42.5), ("squat", 2, 12, 42.5), ("squat", 3, 10, 42.5),
        ("calf-raise", 1, 15, None),
    ]  # fmt: skip


def _year() -> list[LoggedSet]:
    logs: list[LoggedSet] = []
    for n in range(365):
        day = MON + timedelta(days=n)
        logs += _sets(n, day, "squat", [10, 10, 8], 40 + n * 0.1)
        logs += _sets(n, day, "calf-raise", [15, 15, 12])
        logs += _sets(n, day, ("lunge", "deadlift", "step-up", "glute-bridge")[n % 4], [8, 8], 20.0)
    return logs


def test_weekly_series_keeps_four_exercises_and_groups_the_rest() -> None:
    series = weekly(_year())
    assert len(series.weeks) == 52
    assert len(series.reps) == 5
    assert "other" in series.reps
    assert all(w.weekday() == 0 for w in series.weeks)
    assert sum(sum(v) for v in series.reps.values()) == sum(
        s.reps for s in _year() if s.local_date >= series.weeks[0]
    )


def test_chart_is_a_png_that_opens(store: ContentStore) -> None:
    for logs in (_year(), _sets(1, MON, "squat", [5]), []):
        png = render_progress(logs, store)
        with Image.open(io.BytesIO(png)) as image:
            assert image.format == "PNG"
            assert image.size == (800, 1100)


def test_chart_png_decodes_to_the_drawn_colours(store: ContentStore) -> None:
    """Decoded, the background is white and the first exercise's bars are exactly its colour."""
    with Image.open(io.BytesIO(render_progress(_year(), store))) as png:
        image = png.convert("RGB")
        pixels = image.load()
        assert pixels is not None
        assert pixels[0, 0] == pixels[799, 1099] == (255, 255, 255)
        first = tuple(int(COLOURS[0][i : i + 2], 16) for i in (1, 3, 5))
        counts = {colour: n for n, colour in image.getcolors(1 << 16) or []}
        assert counts[first] > 20_000  # 52 bars of calf raises, the biggest share of the reps


def test_long_exercise_names_stay_inside_the_chart(store: ContentStore) -> None:
    names = ["single-leg-romanian-deadlift", "single-leg-glute-bridge", "bulgarian-split-squat",
             "conventional-deadlift", "weighted-calf-raise", "squat"]  # fmt: skip
    logs: list[LoggedSet] = []
    for n in range(0, 120, 2):
        for k, exercise in enumerate(names):
            logs += _sets(n, MON + timedelta(days=n), exercise, [10, 8], 40.0 + n + k)
    with Image.open(io.BytesIO(render_progress(logs, store))) as image:
        edge = image.crop((790, 0, 800, 1100)).convert("L")
        assert edge.getextrema() == (255, 255)  # nothing drawn in the last 10 pixels
        darkest, _ = image.crop((400, 440, 790, 540)).convert("L").getextrema()
        assert isinstance(darkest, int | float)
        assert darkest < 100  # the second column's names are there


def test_date_labels_are_few_inside_the_plot_and_give_the_year() -> None:
    for start in range(0, 371, 11):
        first = MON + timedelta(days=start - start % 7)
        for count in range(1, 53):
            weeks = [first + timedelta(weeks=i) for i in range(count)]
            box = _Box(*REPS_BOX, -BAR, count - 1 + BAR, 0, 1)
            ticks = _x_ticks(weeks, box)
            placed = [(box.x(at), label) for at, label in ticks]
            assert 1 <= len(ticks) <= 5
            assert all(box.left <= x <= box.right for x, _ in placed)
            # About 11 pixels a character at 15 points: neighbours never come near each other.
            for (x, a), (y, b) in pairwise(placed):
                assert y - x > (len(a) + len(b)) * 11 / 2 + 20, (weeks[0], count, ticks)
            assert any(label[-4:].isdigit() for _, label in ticks), ticks


def test_value_labels_are_round_steps_inside_the_range() -> None:
    for low, high, expected in [
        (0, 740, ["0", "200", "400", "600"]),
        (13, 79, ["20", "30", "40", "50", "60", "70"]),
        (15, 17, ["15", "15.5", "16", "16.5", "17"]),
        (0, 5.5, ["0", "1", "2", "3", "4", "5"]),
        (0, 15_000, ["0", "5,000", "10,000", "15,000"]),
        (0.25, 0.95, ["0.4", "0.6", "0.8"]),  # 0.1 apart would be seven
    ]:
        ticks = _y_ticks(low, high)
        assert [label for _, label in ticks] == expected
        assert all(low <= value <= high for value, _ in ticks)


def test_chart_frees_its_renderer_without_waiting_for_the_garbage_collector(
    store: ContentStore,
) -> None:
    """A figure's artists are reference cycles, freed by a full collection only (in the bot, one
    every several charts); the renderer's 3.5 MB pixel buffer must not wait with them."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure

    gc.collect()
    gc.disable()
    try:
        render_progress(_year(), store)
        renderers = sum(isinstance(o, RendererAgg) for o in gc.get_objects())
    finally:
        gc.enable()
    assert renderers == 0
    gc.collect()
    assert not any(isinstance(o, Figure) for o in gc.get_objects())


def test_release_freed_memory_collects_cycles_at_once() -> None:
    """What the /progress handler does after each chart (bot/memory.py)."""
    import gc
    import weakref

    from bot.memory import release_freed_memory

    class Node:
        other: object = None

    first, second = Node(), Node()
    first.other, second.other = second, first  # a cycle, as a figure's artists are
    alive = weakref.ref(first)
    del first, second
    gc.disable()
    try:
        assert alive() is not None  # reference counting alone cannot free a cycle
        release_freed_memory()
        assert alive() is None
    finally:
        gc.enable()
