"""Progress core: streaks (pauses never break them), the week, volume, bests, export, chart."""

from __future__ import annotations

import gc
import io
import math
from datetime import date, timedelta
from itertools import pairwise

import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
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
    COLOURS,
    OTHER,
    PLOT_WIDTH,
    progress_figure,
    render_progress,
    weekly,
    x_limits,
    x_ticks,
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
    assert lines[1] == "2027-03-08,Planned session,Squat,1,12,,42.5,no,done,note"
    assert lines[-1] == "2027-03-08,Planned session,,,,,,,skipped,not today"
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


def _held(log_id: int, day: date, exercise: str, seconds: list[int]) -> list[LoggedSet]:
    return [
        LoggedSet(log_id, day, "done", False, "", 0, exercise, n, 0, None, False, held)
        for n, held in enumerate(seconds, start=1)
    ]


def test_timed_sets_count_seconds_not_reps_in_stats_bests_csv_and_chart(
    store: ContentStore,
) -> None:
    logs = _sets(1, MON, "squat", [10, 10]) + _held(1, MON, "wall-sit", [45, 60, 40])
    wall = per_exercise(logs)["wall-sit"]
    assert (wall.sets, wall.reps, wall.seconds, wall.best_seconds) == (3, 0, 145, 60)
    assert per_exercise(logs)["squat"].seconds == 0
    best = bests_of(logs)["wall-sit"]
    assert (best.seconds, best.bodyweight_reps) == (60, None)
    longer = ReportEntry("wall-sit", (), seconds=(50, 70))
    assert new_bests(bests_of(logs), [longer]) == [PersonalBest("wall-sit", "seconds", 70, 60)]
    assert new_bests(bests_of(logs), [ReportEntry("wall-sit", (), seconds=(55,))]) == []
    data = to_csv(logs, store)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[3] == "2027-03-08,Extra session,Wall sit,1,,45,,no,done,"
    back = read_csv(data, store)
    assert [(s.exercise, s.reps, s.seconds) for s in back][2:] == [
        ("wall-sit", 0, 45), ("wall-sit", 0, 60), ("wall-sit", 0, 40),
    ]  # fmt: skip
    series = weekly(logs)
    assert series.reps == {"squat": [20], "wall-sit": [3]}  # a hold's bar counts its sets
    assert series.timed == frozenset({"wall-sit"})
    legend = progress_figure(series, store).axes[0].get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.texts] == ["Squat", "Wall sit (sets)"]


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
            low, high = x_limits(count)
            ticks = x_ticks(weeks)
            placed = [((at - low) / (high - low) * PLOT_WIDTH, label) for at, label in ticks]
            assert 1 <= len(ticks) <= 5
            assert all(0 <= x <= PLOT_WIDTH for x, _ in placed)
            # About 11 pixels a character at 15 points: neighbours never come near each other.
            for (x, a), (y, b) in pairwise(placed):
                assert y - x > (len(a) + len(b)) * 11 / 2 + 20, (weeks[0], count, ticks)
            assert any(label[-4:].isdigit() for _, label in ticks), ticks


def _bar_colours(axes: Axes) -> dict[str, str]:
    return {
        str(c.get_label()): to_hex(c.patches[0].get_facecolor())
        for c in axes.containers
        if isinstance(c, BarContainer)
    }


def _line_colours(axes: Axes) -> dict[str, str]:
    return {str(line.get_label()): to_hex(line.get_color()) for line in axes.get_lines()}


def _legend_texts(axes: Axes) -> list[str]:
    legend = axes.get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


def test_first_week_is_one_bar_labelled_with_its_week_and_one_colour_per_exercise(
    store: ContentStore,
) -> None:
    day = MON + timedelta(days=2)
    logs = (
        _sets(1, day, "squat", [10, 10], 40.0)
        + _sets(1, day, "calf-raise", [15, 15, 15])
        + _sets(1, day, "deadlift", [5, 5], 60.0)
    )
    reps, loads = progress_figure(weekly(logs), store).axes
    bars = [p for c in reps.containers if isinstance(c, BarContainer) for p in c.patches]
    assert len({bar.get_x() for bar in bars}) == 1  # one week, one stacked bar
    (tick,) = [t for t in reps.get_xticklabels() if t.get_text()]
    assert tick.get_text() == "Week of 8 Mar 2027"
    middle = bars[0].get_x() + bars[0].get_width() / 2
    assert tick.get_position()[0] == pytest.approx(middle)  # under its bar, not beside it
    left, right = reps.get_xlim()
    assert bars[0].get_width() < (right - left) / 3  # a bar, not a wall
    bar_colours = _bar_colours(reps)
    line_colours = _line_colours(loads)
    assert set(line_colours) == {"Squat", "Deadlift"}
    for name, colour in line_colours.items():
        assert bar_colours[name] == colour
    assert len(set(bar_colours.values())) == 3
    assert _legend_texts(reps) == list(bar_colours)
    assert _legend_texts(loads) == list(line_colours)


def test_a_loaded_exercise_outside_the_top_bars_gets_its_own_colour_not_other_grey(
    store: ContentStore,
) -> None:
    """The year's squats are in the top four by reps; the lunges and step-ups are in "Other" in
    the bars but among the heaviest in the loads: their lines must not be the bars' grey."""
    reps, loads = progress_figure(weekly(_year()), store).axes
    bar_colours = _bar_colours(reps)
    assert bar_colours["Other"] == OTHER
    assert bar_colours["Calf raise"] == COLOURS[0]  # the most reps
    line_colours = _line_colours(loads)
    assert OTHER not in line_colours.values()
    assert len(set(line_colours.values())) == len(line_colours)
    for name, colour in line_colours.items():
        assert bar_colours.get(name, colour) == colour


def test_value_labels_are_round_steps_inside_the_plot(store: ContentStore) -> None:
    day = MON
    logs = _sets(1, day, "squat", [10, 10], 15.0) + _sets(2, day + timedelta(days=7), "squat",
                                                           [740], 17.0)  # fmt: skip
    fig = progress_figure(weekly(logs), store)
    fig.canvas.draw()
    for axes in fig.axes:
        low, high = axes.get_ylim()
        shown = [t for t in axes.get_yticklabels() if low <= t.get_position()[1] <= high]
        values = [t.get_position()[1] for t in shown]
        assert 3 <= len(values) <= 6
        steps = {round(b - a, 6) for a, b in pairwise(values)}
        assert len(steps) == 1
        (step,) = steps
        assert step / 10 ** math.floor(math.log10(step)) in (1, 2, 2.5, 5)
        for tick in shown:
            assert tick.get_text().replace(",", "").replace(".", "").isdigit(), tick.get_text()


def test_charts_leave_no_figure_behind(store: ContentStore) -> None:
    """No pyplot: nothing keeps a figure once its PNG is made."""
    from matplotlib.figure import Figure

    render_progress(_year(), store)
    gc.collect()
    assert not any(isinstance(o, Figure) for o in gc.get_objects())


def test_release_freed_memory_collects_cycles_at_once() -> None:
    """What the /progress handler does after each chart (bot/telegram/memory.py)."""
    import gc
    import weakref

    from bot.telegram.memory import release_freed_memory

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
