"""The /progress chart: weekly reps per exercise and best load over time, as PNG bytes.

Made for a phone screen: portrait, large type, at most four colours plus grey for the rest, date
labels thinned so they never overlap, legends beside nothing they could cover. Uses matplotlib's
object API with the Agg canvas (no pyplot, no global figure registry). A figure's artists form
reference cycles, so they wait for the next full garbage collection; the renderer's 3.5 MB pixel
buffer is cut loose from them when the chart is done, so it is freed at once instead of piling up
with them.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core.content import ContentStore
from bot.core.reports.format import name_of
from bot.core.stats.model import LoggedSet
from bot.core.stats.stats import week_start

if TYPE_CHECKING:  # matplotlib (~15 MB resident) is imported by the first chart, not at start-up
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

COLOURS = ("#1f5f99", "#e8772e", "#3d9a4b", "#c03a5b")
OTHER = "#a0a0a0"
TOP = 4
TEXT = 15
TITLE = 19


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

    fig = Figure(figsize=(8, 11), dpi=100)
    canvas = FigureCanvasAgg(fig)
    try:
        if not series.weeks:
            fig.text(0.5, 0.5, "Nothing logged yet", ha="center", va="center", fontsize=TITLE)
        else:
            # Fixed boxes (fractions of the figure): title, plot, then room for a legend of up to
            # three rows under each plot, so nothing can overlap whatever the data.
            top = fig.add_axes((0.11, 0.63, 0.83, 0.32))
            bottom = fig.add_axes((0.11, 0.15, 0.83, 0.30), sharex=top)
            _volume(top, series, store)
            _loads(bottom, series, store)
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


_EPOCH = date(1970, 1, 1).toordinal()  # matplotlib's default date epoch


def _days(day: date) -> float:
    """matplotlib's date number of a day (what ``date2num`` gives, typed)."""
    return float(day.toordinal() - _EPOCH)


def _label(store: ContentStore, exercise: str) -> str:
    return "Other" if exercise == "other" else name_of(store, exercise)


def _style(ax: Axes) -> None:
    ax.tick_params(labelsize=TEXT)
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.xaxis.get_offset_text().set_fontsize(TEXT - 2)


def _legend(ax: Axes, handles: list[Artist], below: float) -> None:
    ax.legend(
        handles=handles, fontsize=TEXT, frameon=False, ncols=2, loc="upper left",
        bbox_to_anchor=(0, below), borderaxespad=0,
    )  # fmt: skip


def _volume(ax: Axes, series: Series, store: ContentStore) -> None:
    """Stacked weekly bars, one PolyCollection per exercise (hundreds of Rectangle patches
    would cost a third of the render)."""
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    x = [_days(w) + 3 for w in series.weeks]  # mid-week
    base = [0.0] * len(x)
    handles: list[Artist] = []
    for n, (exercise, values) in enumerate(series.reps.items()):
        colour = OTHER if exercise == "other" else COLOURS[n % len(COLOURS)]
        boxes = [
            [(left - 2.5, low), (left + 2.5, low), (left + 2.5, low + v), (left - 2.5, low + v)]
            for left, low, v in zip(x, base, values, strict=True)
            if v
        ]
        ax.add_collection(PolyCollection(boxes, facecolors=colour, edgecolors="none"))
        handles.append(Patch(color=colour, label=_label(store, exercise)))
        base = [b + v for b, v in zip(base, values, strict=True)]
    ax.set_xlim(x[0] - 5, x[-1] + 5)
    ax.set_ylim(0, max(base) * 1.1 if max(base) else 1)
    ax.set_title("Reps per week", loc="left", fontsize=TITLE, fontweight="bold")
    _legend(ax, handles, -0.1)
    _style(ax)


def _loads(ax: Axes, series: Series, store: ContentStore) -> None:
    ax.set_title("Best load (kg)", loc="left", fontsize=TITLE, fontweight="bold")
    names = list(series.reps)
    handles: list[Artist] = []
    for exercise, values in series.best.items():
        shown = exercise in names[:TOP]
        colour = COLOURS[names.index(exercise) % len(COLOURS)] if shown else OTHER
        points = [(_days(w) + 3, v) for w, v in zip(series.weeks, values, strict=True) if v]
        [line] = ax.plot(
            [p[0] for p in points], [p[1] for p in points], marker="o", linewidth=2.5,
            markersize=5, color=colour, label=_label(store, exercise),
        )  # fmt: skip
        handles.append(line)
    if handles:
        _legend(ax, handles, -0.12)
    else:
        ax.text(0.5, 0.5, "No loaded sets yet", ha="center", va="center", fontsize=TEXT,
                transform=ax.transAxes)  # fmt: skip
    _style(ax)
