"""Progress core: streaks (pauses never break them), the week, volume, bests, export, chart."""

from __future__ import annotations

import gc
import io
from datetime import date, timedelta

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
from bot.core.stats.chart import render_progress, weekly
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
