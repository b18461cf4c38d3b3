"""The /progress chart: weekly reps per exercise and best load over time, as PNG bytes.

Made for a phone screen: portrait, large type, at most four colours plus grey for the rest, date
labels thinned so they never overlap, legends beside nothing they could cover. Uses matplotlib's
object API with the Agg canvas (no pyplot, no global figure registry).

Drawn without Axes: an Axes with its two Axis objects, a Tick of five artists per label, an
auto-placed title and a Legend's packed boxes cost more than everything they would show here.
Each plot is a fixed box in pixels with its own data-to-pixel transform; bars, lines, edges, grid,
tick marks, labels and legends are a few figure-level artists placed in pixels. Text is what a
chart still spends most on (matplotlib lays out and renders every label's glyphs), so labels are
few.

A figure's artists form reference cycles, so they wait for the next full garbage collection; the
renderer's 3.5 MB pixel buffer is cut loose from them when the chart is done, so it is freed at
once instead of piling up with them.
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
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.transforms import Affine2D, Transform

COLOURS = ("#1f5f99", "#e8772e", "#3d9a4b", "#c03a5b")
OTHER = "#a0a0a0"
TOP = 4
TEXT = 15  # points
TITLE = 19

WIDTH, HEIGHT, DPI = 800, 1100, 100  # pixels; points are DPI / 72 pixels
PT = DPI / 72
# The plots' boxes, in pixels from the bottom left: (left, bottom, width, height). Under each,
# room for its tick labels and a legend of up to three rows, so nothing can overlap.
REPS_BOX = (88.0, 693.0, 664.0, 352.0)
LOADS_BOX = (88.0, 165.0, 664.0, 330.0)
BAR = 5 / 7  # a bar's width, in weeks
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MOST_DATES = 5  # labels on the time axis
MOST_VALUES = 6  # on a value axis


@dataclass(frozen=True, slots=True)
class Series:
    weeks: list[date]
    reps: dict[str, list[int]]  # exercise -> reps per week (top exercises, then "other")
    best: dict[str, list[float | None]]  # loaded exercise -> best load per week


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
    for s in sets:
        day = s.local_date
        if day in week_of:
            i = week_of[day]
        else:
            i = week_of[day] = index.get(week_start(day))
        if i is None:
            continue
        totals[s.exercise] = totals.get(s.exercise, 0) + s.reps
        reps.setdefault(s.exercise, [0] * len(weeks))[i] += s.reps
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
    return Series(weeks, shown, {e: loads[e] for e in heavy})


def render_progress(
    logs: Iterable[LoggedSet], store: ContentStore, today: date | None = None
) -> bytes:
    """The chart as PNG bytes (800 x 1100 pixels)."""
    series = weekly(logs, today=today)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    try:
        if not series.weeks:
            fig.text(0.5, 0.5, "Nothing logged yet", ha="center", va="center", fontsize=TITLE)
        else:
            # The renderer the PNG is drawn with (the canvas keeps it): legends measure labels.
            chart = _Chart(fig, canvas.get_renderer())  # type: ignore[no-untyped-call]
            _volume(chart, series, store)
            _loads(chart, series, store)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 3})
        return buffer.getvalue()
    finally:
        # The canvas and every text drawn hold the renderer (800 x 1100 RGBA, 3.5 MB): dropping
        # those references frees it now instead of with the figure's cycles.
        from matplotlib.text import Text

        for text in fig.findobj(Text):
            text._renderer = None  # type: ignore[attr-defined]  # what Text.__getstate__ does
        canvas.renderer = None
        fig.clear()


@dataclass(frozen=True, slots=True)
class _Box:
    """A plot's box on the figure, in pixels from the bottom left, and the data it spans."""

    left: float
    bottom: float
    width: float
    height: float
    x0: float
    x1: float
    y0: float
    y1: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def top(self) -> float:
        return self.bottom + self.height

    def x(self, value: float) -> float:
        return self.left + (value - self.x0) / (self.x1 - self.x0) * self.width

    def y(self, value: float) -> float:
        return self.bottom + (value - self.y0) / (self.y1 - self.y0) * self.height

    def transform(self) -> Affine2D:
        """Data to pixels, for the bars and lines."""
        from matplotlib.transforms import Affine2D

        sx, sy = self.width / (self.x1 - self.x0), self.height / (self.y1 - self.y0)
        to_origin = Affine2D().translate(-self.x0, -self.y0)
        return to_origin.scale(sx, sy).translate(self.left, self.bottom)


@dataclass(frozen=True, slots=True)
class _Legend:
    colour: str
    label: str
    line: bool  # a line with a marker (else a filled box)


class _Chart:
    """Figure-level drawing in pixels."""

    def __init__(self, fig: Figure, renderer: RendererBase) -> None:
        from matplotlib.transforms import IdentityTransform

        self.fig = fig
        self.renderer = renderer
        self.pixels: Transform = IdentityTransform()

    def text(
        self, x: float, y: float, text: str, size: float = TEXT, *, weight: str = "normal",
        ha: str = "left", va: str = "baseline",
    ) -> Text:  # fmt: skip
        return self.fig.text(
            x, y, text, fontsize=size, fontweight=weight, ha=ha, va=va, transform=self.pixels
        )

    def frame(self, box: _Box, title: str, xticks: list[tuple[float, str]],
              yticks: list[tuple[float, str]]) -> None:  # fmt: skip
        """Title, left and bottom edges, tick marks and labels, and a light line at each y tick."""
        from matplotlib.collections import LineCollection

        tick, pad = 3.5 * PT, 3.5 * PT
        self.text(box.left, box.top + 6 * PT, title, TITLE, weight="bold")
        segments = [[(box.left, box.top), (box.left, box.bottom), (box.right, box.bottom)]]
        grid = []
        for value, label in yticks:
            y = box.y(value)
            segments.append([(box.left - tick, y), (box.left, y)])
            if value != box.y0:
                grid.append([(box.left, y), (box.right, y)])
            self.text(box.left - tick - pad, y, label, ha="right", va="center_baseline")
        for value, label in xticks:
            x = box.x(value)
            segments.append([(x, box.bottom - tick), (x, box.bottom)])
            self.text(x, box.bottom - tick - pad, label, ha="center", va="top")
        self.fig.add_artist(LineCollection(
            grid, colors="#b0b0b0", linewidths=0.8, alpha=0.3, zorder=0.5, transform=self.pixels,
        ))  # fmt: skip
        self.fig.add_artist(LineCollection(
            segments, colors="black", linewidths=0.8, zorder=2.5, transform=self.pixels,
        ))  # fmt: skip

    def legend(self, entries: list[_Legend], top: float, left: float) -> None:
        """Two columns (filled down, then across) under a plot; labels measured so the second
        column starts after the first's longest and both fit the figure (long names shrink)."""
        from matplotlib.lines import Line2D
        from matplotlib.patches import Rectangle

        em = TEXT * PT
        handle, gap, spacing, row = 2 * em, 0.8 * em, 2 * em, 1.5 * em
        rows = math.ceil(len(entries) / 2)
        columns = [entries[:rows], entries[rows:]] if len(entries) > 1 else [entries]
        texts = [[self.text(0, 0, e.label, va="center_baseline") for e in c] for c in columns]
        widths = [max(t.get_window_extent(self.renderer).width for t in c) for c in texts]
        left += 0.4 * em
        fixed = len(columns) * (handle + gap) + (len(columns) - 1) * spacing
        room = WIDTH - 0.6 * em - left - fixed
        size = min(TEXT, math.floor(TEXT * room / sum(widths) * 2) / 2)  # half points, down
        scale = size / TEXT
        for n, (column, labels) in enumerate(zip(columns, texts, strict=True)):
            for k, (entry, label) in enumerate(zip(column, labels, strict=True)):
                y = top - 0.9 * em - k * row
                label.set_position((left + handle + gap, y))
                if size < TEXT:
                    label.set_fontsize(size)
                if entry.line:
                    self.fig.add_artist(Line2D(
                        [left, left + handle / 2, left + handle], [y, y, y], color=entry.colour,
                        linewidth=2.5, marker="o", markersize=5, markevery=[1],
                        transform=self.pixels,
                    ))  # fmt: skip
                else:
                    self.fig.add_artist(Rectangle(
                        (left, y - 0.35 * em), handle, 0.7 * em, facecolor=entry.colour,
                        edgecolor="none", transform=self.pixels,
                    ))  # fmt: skip
            if n == 0:
                left += handle + gap + widths[0] * scale + spacing


def _label(store: ContentStore, exercise: str) -> str:
    return "Other" if exercise == "other" else name_of(store, exercise)


def _number(value: float) -> str:
    value = round(value, 6)  # 0.30000000000000004
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


def _y_ticks(low: float, high: float) -> list[tuple[float, str]]:
    """Round values in the range, at most six: the smallest step of 1, 2, 2.5 or 5 times a power
    of ten that gives no more."""
    power = 10 ** math.floor(math.log10((high - low) / MOST_VALUES))
    first = last = 0
    for step in (m * power for m in (1, 2, 2.5, 5, 10, 20)):
        first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
        if last - first < MOST_VALUES:
            break
    return [(n * step, _number(n * step)) for n in range(first, last + 1)]


def _x_ticks(weeks: list[date], box: _Box) -> list[tuple[float, str]]:
    """Dates under the bars (week ``i`` is bar ``i``, drawn over its Monday to Friday): the first
    days of every 1, 2 or 3 months (at most five, January as its year) when at least three months
    begin on the chart, else Mondays (at most four). The first label has the year unless a
    January shows it."""

    def at(day: date) -> float:
        return ((day - weeks[0]).days - 2) / 7  # a bar's middle is its week's Wednesday

    starts: list[date] = []
    month = date(weeks[0].year, weeks[0].month, 1)
    while at(month) <= box.x1:
        if at(month) >= box.x0:
            starts.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    picked: list[date] = []
    for step in (1, 2, 3, 6, 12):
        picked = [d for d in starts if (d.month - 1) % step == 0]
        if len(picked) <= MOST_DATES:
            break
    if len(starts) >= 3:
        labels = [str(d.year) if d.month == 1 else MONTHS[d.month - 1] for d in picked]
        if all(d.month != 1 for d in picked):
            labels[0] += f" {picked[0].year}"
    else:
        picked = weeks[:: math.ceil(len(weeks) / (MOST_DATES - 1))]
        labels = [f"{d.day} {MONTHS[d.month - 1]}" for d in picked]
        labels[0] += f" {picked[0].year}"
    return [(at(d), label) for d, label in zip(picked, labels, strict=True)]


def _volume(chart: _Chart, series: Series, store: ContentStore) -> None:
    """Stacked weekly bars, one path per exercise with a closed outline per bar (a Rectangle
    per bar, or a PolyCollection's Path per bar, costs more than all the bars' pixels)."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    count = len(series.weeks)
    totals = [sum(week) for week in zip(*series.reps.values(), strict=True)]
    box = _Box(*REPS_BOX, -BAR, count - 1 + BAR, 0, max(totals) * 1.1 if max(totals) else 1)
    transform = box.transform()
    corners = ((-BAR / 2, 0), (BAR / 2, 0), (BAR / 2, 1), (-BAR / 2, 1), (0, 0))  # (x, share)
    outline = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    base = [0] * count
    entries: list[_Legend] = []
    for n, (exercise, values) in enumerate(series.reps.items()):
        colour = OTHER if exercise == "other" else COLOURS[n % len(COLOURS)]
        bars = [(i, low, v) for i, (low, v) in enumerate(zip(base, values, strict=True)) if v]
        if bars:
            vertices = [(i + x, low + v * share) for i, low, v in bars for x, share in corners]
            chart.fig.add_artist(PathPatch(
                Path(vertices, outline * len(bars)), facecolor=colour, edgecolor="none",
                transform=transform, zorder=1,
            ))  # fmt: skip
        entries.append(_Legend(colour, _label(store, exercise), line=False))
        base = [b + v for b, v in zip(base, values, strict=True)]
    chart.frame(box, "Reps per week", _x_ticks(series.weeks, box), _y_ticks(box.y0, box.y1))
    chart.legend(entries, box.bottom - 0.1 * box.height, box.left)


def _loads(chart: _Chart, series: Series, store: ContentStore) -> None:
    from matplotlib.lines import Line2D

    names = list(series.reps)
    lines: list[tuple[_Legend, list[tuple[int, float]]]] = []
    for exercise, values in series.best.items():
        shown = exercise in names[:TOP]
        colour = COLOURS[names.index(exercise) % len(COLOURS)] if shown else OTHER
        points = [(i, v) for i, v in enumerate(values) if v]
        lines.append((_Legend(colour, _label(store, exercise), line=True), points))
    loads = [v for _, points in lines for _, v in points]
    low, high = (min(loads), max(loads)) if loads else (0.0, 1.0)
    margin = (high - low) * 0.05 or max(1.0, high * 0.05)
    count = len(series.weeks)
    box = _Box(*LOADS_BOX, -BAR, count - 1 + BAR, low - margin, high + margin)
    transform = box.transform()
    for entry, points in lines:
        chart.fig.add_artist(Line2D(
            [p[0] for p in points], [p[1] for p in points], marker="o", linewidth=2.5,
            markersize=5, color=entry.colour, transform=transform,
        ))  # fmt: skip
    yticks = _y_ticks(box.y0, box.y1) if loads else []
    chart.frame(box, "Best load (kg)", _x_ticks(series.weeks, box), yticks)
    if lines:
        chart.legend([entry for entry, _ in lines], box.bottom - 0.12 * box.height, box.left)
    else:
        chart.text((box.left + box.right) / 2, (box.bottom + box.top) / 2, "No loaded sets yet",
                   ha="center", va="center")  # fmt: skip
