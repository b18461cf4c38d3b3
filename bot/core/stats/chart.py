"""The /progress chart: weekly reps per exercise and best load over time, as PNG bytes.

Made for a phone screen: portrait, large type, a legend under each panel. Drawn with matplotlib's
ordinary object-oriented API: a ``Figure`` with two Axes from ``fig.subplots``, stacked
``Axes.bar`` for the reps, ``Axes.plot`` for the loads, ``Axes.legend``, rendered by the Agg
canvas (no pyplot, so no global figure registry and nothing to close).

The x axis counts weeks: week ``i`` of the series is the bar centred on ``i``. Each exercise has
one colour in both panels; everything outside the four most-done exercises is one grey "Other".
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core.content import ContentStore
from bot.core.reports.format import name_of
from bot.core.stats.model import LoggedSet
from bot.core.stats.stats import week_start

if TYPE_CHECKING:  # matplotlib (~15 MB resident) is imported by the first chart, not at start-up
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Colour-blind-friendly and distinct on white; the first four go to the most-done exercises.
COLOURS = (
    "#1f5f99", "#e8772e", "#3d9a4b", "#c03a5b", "#7b4fa0", "#2a9d9d", "#8c5a2b", "#d4a20a",
)  # fmt: skip
OTHER = "#a0a0a0"
TOP = 4
TEXT = 15  # points
TITLE = 19
SMALLEST_TEXT = 9  # a legend of long names shrinks down to this before it may leave the figure

WIDTH, HEIGHT, DPI = 800, 1100, 100  # pixels
# Where the panels sit, as fractions of the figure: room on the left for the value labels, and
# under each panel for its date labels and a legend of up to three rows.
LEFT, RIGHT, TOP_EDGE, BOTTOM_EDGE = 0.11, 0.94, 0.95, 0.15
PANEL_GAP = 0.58  # between the panels, as a share of a panel's height
PLOT_WIDTH = WIDTH * (RIGHT - LEFT)  # pixels
BAR = 5 / 7  # a bar's width, in weeks
FEWEST_WEEKS_SHOWN = 4  # a first week's bar is not stretched across the whole plot
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MOST_DATES = 5  # labels on the time axis
MOST_VALUES = 6  # on a value axis


@dataclass(frozen=True, slots=True)
class Series:
    weeks: list[date]
    reps: dict[str, list[int]]  # exercise -> reps per week (top exercises, then "other")
    best: dict[str, list[float | None]]  # loaded exercise -> best load per week
    # Exercises done as timed sets (holds): their bars count sets, as seconds are not reps.
    timed: frozenset[str] = frozenset()


def weekly(logs: Iterable[LoggedSet], weeks_back: int = 52, today: date | None = None) -> Series:
    # LoggedSet.is_set spelled out: a property call per set is a third of this function's time.
    sets = [s for s in logs if s.exercise and s.set_index > 0 and s.status == "done"]
    if not sets:
        return Series([], {}, {})
    days = {s.local_date for s in sets}
    last = week_start(today or max(days))
    first = max(week_start(min(days)), last - timedelta(weeks=weeks_back - 1))
    weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    index = {w: i for i, w in enumerate(weeks)}
    week_of: dict[date, int | None] = {}  # a year of sets falls on a few hundred days
    totals: dict[str, int] = {}
    reps: dict[str, list[int]] = {}
    loads: dict[str, list[float | None]] = {}
    volume: dict[str, float] = {}
    timed: set[str] = set()
    for s in sets:
        day = s.local_date
        if day in week_of:
            i = week_of[day]
        else:
            i = week_of[day] = index.get(week_start(day))
        if i is None:
            continue
        count = s.reps
        if s.seconds is not None:
            count = 1
            timed.add(s.exercise)
        totals[s.exercise] = totals.get(s.exercise, 0) + count
        reps.setdefault(s.exercise, [0] * len(weeks))[i] += count
        if s.weight_kg is not None:
            row = loads.setdefault(s.exercise, [None] * len(weeks))
            current = row[i]
            row[i] = s.weight_kg if current is None else max(current, s.weight_kg)
            volume[s.exercise] = volume.get(s.exercise, 0.0) + s.reps * s.weight_kg
    ranked = sorted(totals, key=lambda e: (-totals[e], e))
    shown = {e: reps[e] for e in ranked[:TOP]}
    rest = ranked[TOP:]
    if rest:
        shown["other"] = [sum(reps[e][i] for e in rest) for i in range(len(weeks))]
    heavy = sorted(volume, key=lambda e: (-volume[e], e))[:TOP]
    return Series(weeks, shown, {e: loads[e] for e in heavy}, frozenset(timed & shown.keys()))


def colours_of(series: Series) -> dict[str, str]:
    """One colour per exercise for both panels: the bars' exercises first (most reps first),
    then loaded exercises that only the load panel shows; "other" is grey."""
    colours: dict[str, str] = {}
    for exercise in [*series.reps, *series.best]:
        if exercise == "other":
            colours[exercise] = OTHER
        elif exercise not in colours:
            colours[exercise] = COLOURS[len(colours) % len(COLOURS)]
    return colours


def render_progress(
    logs: Iterable[LoggedSet], store: ContentStore, today: date | None = None
) -> bytes:
    """The chart as PNG bytes (800 x 1100 pixels)."""
    fig = progress_figure(weekly(logs, today=today), store)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def progress_figure(series: Series, store: ContentStore) -> Figure:
    """The chart as a matplotlib figure on an Agg canvas (tests read its artists)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    if not series.weeks:
        fig.text(0.5, 0.5, "Nothing logged yet", ha="center", va="center", fontsize=TITLE)
        return fig
    reps_axes, loads_axes = fig.subplots(
        2, 1, sharex=True,
        gridspec_kw={"left": LEFT, "right": RIGHT, "top": TOP_EDGE, "bottom": BOTTOM_EDGE,
                     "hspace": PANEL_GAP},
    )  # fmt: skip
    colours = colours_of(series)
    _volume(reps_axes, series, store, colours)
    _loads(loads_axes, series, store, colours)
    _time_axis(reps_axes, series.weeks)
    _time_axis(loads_axes, series.weeks)
    return fig


def _label(store: ContentStore, exercise: str) -> str:
    return "Other" if exercise == "other" else name_of(store, exercise)


def _number(value: float) -> str:
    value = round(value, 6)  # 0.30000000000000004
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


def x_limits(count: int) -> tuple[float, float]:
    """The time axis's span, in weeks, for ``count`` bars: a short series is centred in a span
    of a few weeks so its bars keep a bar's width."""
    shown = max(count, FEWEST_WEEKS_SHOWN)
    left = -BAR - (shown - count) / 2
    return left, left + shown - 1 + 2 * BAR


def x_ticks(weeks: list[date]) -> list[tuple[float, str]]:
    """Labels of the time axis, at positions in weeks (bar ``i`` spans week ``i``'s seven days).

    One week: its bar, labelled "Week of 4 Jan 2027". When at least three months begin on the
    chart, the first days of every 1, 2, 3, 6 or 12 months (at most five, January as its year);
    else the Mondays of some bars (at most four), under their bars. The year is always shown.
    """
    if len(weeks) == 1:
        day = weeks[0]
        return [(0.0, f"Week of {day.day} {MONTHS[day.month - 1]} {day.year}")]
    low, high = x_limits(len(weeks))

    def at(day: date) -> float:  # a day's place inside its week's bar
        return ((day - weeks[0]).days + 0.5) / 7 - 0.5

    starts: list[date] = []
    month = date(weeks[0].year, weeks[0].month, 1)
    while at(month) <= high:
        if at(month) >= low:
            starts.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    if len(starts) >= 3:
        picked: list[date] = []
        for step in (1, 2, 3, 6, 12):
            picked = [d for d in starts if (d.month - 1) % step == 0]
            if len(picked) <= MOST_DATES:
                break
        labels = [str(d.year) if d.month == 1 else MONTHS[d.month - 1] for d in picked]
        if all(d.month != 1 for d in picked):
            labels[0] += f" {picked[0].year}"
        return [(at(d), label) for d, label in zip(picked, labels, strict=True)]
    every = math.ceil(len(weeks) / (MOST_DATES - 1))
    mondays = list(range(0, len(weeks), every))
    labels = [f"{weeks[i].day} {MONTHS[weeks[i].month - 1]}" for i in mondays]
    labels[0] += f" {weeks[0].year}"
    return [(float(i), label) for i, label in zip(mondays, labels, strict=True)]


def _time_axis(axes: Axes, weeks: list[date]) -> None:
    ticks = x_ticks(weeks)
    axes.set_xlim(*x_limits(len(weeks)))
    axes.set_xticks([at for at, _ in ticks], [label for _, label in ticks])
    axes.tick_params(axis="x", labelbottom=True)  # sharex hides the upper panel's labels


def _panel(axes: Axes, title: str, *, whole_numbers: bool = False) -> None:
    """Title at the left, left and bottom edges only, a light line at each value label."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axes.set_title(title, loc="left", fontsize=TITLE, fontweight="bold", pad=10)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=TEXT)
    axes.yaxis.set_major_locator(
        MaxNLocator(nbins=MOST_VALUES - 1, steps=[1, 2, 2.5, 5, 10], integer=whole_numbers)
    )
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _number(value)))
    axes.yaxis.grid(True, color="#b0b0b0", linewidth=0.8, alpha=0.3)
    axes.set_axisbelow(True)


def _legend(axes: Axes, below: float) -> None:
    """Two columns under the panel, left-aligned with it; long names shrink until the legend
    fits inside the figure."""
    legend = axes.legend(
        loc="upper left", bbox_to_anchor=(0.0, below), ncols=2, frameon=False, fontsize=TEXT,
        borderaxespad=0.0, handlelength=2.0, columnspacing=2.0,
    )  # fmt: skip
    renderer = axes.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    size = float(TEXT)
    while legend.get_window_extent(renderer).x1 > WIDTH - 10 and size > SMALLEST_TEXT:
        size -= 0.5
        for text in legend.get_texts():
            text.set_fontsize(size)


def _volume(axes: Axes, series: Series, store: ContentStore, colours: dict[str, str]) -> None:
    """Stacked weekly bars, the most-done exercise at the bottom."""
    title = "Reps per week (holds: sets)" if series.timed else "Reps per week"
    _panel(axes, title, whole_numbers=True)
    positions = range(len(series.weeks))
    base = [0] * len(series.weeks)
    for exercise, values in series.reps.items():
        done = [i for i in positions if values[i]]  # no empty bars to draw
        axes.bar(
            done, [values[i] for i in done], width=BAR, bottom=[base[i] for i in done],
            color=colours[exercise],
            label=_label(store, exercise) + (" (sets)" if exercise in series.timed else ""),
        )  # fmt: skip
        base = [b + v for b, v in zip(base, values, strict=True)]
    axes.set_ylim(0, max(max(base) * 1.1, 1))
    _legend(axes, -0.12)


def _loads(axes: Axes, series: Series, store: ContentStore, colours: dict[str, str]) -> None:
    """Each loaded exercise's best load per week, a marker per week it was done."""
    _panel(axes, "Best load (kg)")
    for exercise, values in series.best.items():
        points = [(i, v) for i, v in enumerate(values) if v is not None]
        axes.plot(
            [i for i, _ in points], [v for _, v in points], marker="o", linewidth=2.5, markersize=5,
            color=colours[exercise], label=_label(store, exercise),
        )  # fmt: skip
    if series.best:
        axes.margins(y=0.05)
        _legend(axes, -0.12)
    else:
        axes.set_yticks([])
        axes.text(0.5, 0.5, "No loaded sets yet", ha="center", va="center", fontsize=TEXT,
                  transform=axes.transAxes)  # fmt: skip
