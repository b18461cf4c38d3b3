"""The catalogue of lifts: ids that survive the move of 15 lifts from uncovered.yaml into entries.

Issue 16 moves the back squat, the Nordic curl, the wall sit and twelve more out of
``data/uncovered.yaml`` into entries of their own. A report must be logged before that move (under
the lift's slug) and after it (under the new entry's id), so the move is simulated here on a copy
of the store, whatever state ``data/`` is in.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.content import ContentStore
from bot.core.content.store import Lift
from bot.core.reports import ReportParser
from bot.core.reports.catalogue import Catalogue, slug
from tests.report_cases import BLIND, CORPUS, RUNNERS, load_cases, matches, observed

# New entry id -> (name, uncovered lifts whose names and aliases it takes, more aliases).
MOVES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "back-squat": ("Back squat", ("back squat",), ()),
    "front-squat": ("Front squat", ("front squat",), ()),
    "wall-sit": ("Wall sit", ("wall sit",), ()),
    "single-leg-squat": ("Single-leg squat", ("pistol squat",), ("single leg squats",)),
    "split-squat": ("Split squat", (), ("split squats",)),
    "nordic-hamstring-curl": ("Nordic hamstring curl", ("nordic curl",), ()),
    "hamstring-curl": ("Hamstring curl", ("leg curl",), ()),
    "tibialis-raise": ("Tibialis raise", ("tibialis raise",), ()),
    "copenhagen-plank": ("Copenhagen plank", ("copenhagen plank",), ()),
    "lateral-band-walk": ("Lateral band walk", ("monster walk",), ()),
    "clamshell": ("Clamshell", ("clamshell",), ()),
    "pogo-hops": ("Pogo hops", (), ("pogo hop", "pogos")),
    "box-jump": ("Box jump", ("box jump",), ()),
    "bounding": ("Bounding", (), ("bounding", "bounds")),
    "jump-squat": ("Jump squat", ("jump squat",), ()),
}


def _is_moved_squat_alias(alias: str) -> bool:
    """The Bulgarian split squat's aliases that go to the split squat and single-leg squat."""
    return alias.startswith(("split squat", "single", "one leg"))


def _moved(store: ContentStore) -> ContentStore:
    """The store as it is once the 15 lifts have entries (built in memory, no files); lifts that
    data/ has moved already keep their real entries."""
    lifts = {lift.name.lower(): lift for lift in store.uncovered}
    taken = {a for _, _, more in MOVES.values() for a in more}
    template = store.entries["squat"]
    entries = dict(store.entries)
    bss = entries["bulgarian-split-squat"]
    entries[bss.id] = replace(
        bss, aliases=tuple(a for a in bss.aliases if not _is_moved_squat_alias(a))
    )
    for entry_id, (name, from_lifts, more) in MOVES.items():
        if entry_id in store.entries:  # data/ has it already: keep the real entry
            continue
        aliases = [*more]
        for lift_name in from_lifts:
            lift = lifts.pop(lift_name, None)
            if lift is not None:
                aliases += [lift.name.lower(), *lift.aliases]
                taken.update(aliases)
        entries[entry_id] = replace(
            template,
            id=entry_id,
            name=name,
            aliases=tuple(dict.fromkeys(a for a in aliases if a != name.lower())),
            qualifiers=(),
            family=None,
            variations=(),
        )
    uncovered = tuple(
        Lift(lift.name, tuple(a for a in lift.aliases if a not in taken), lift.nearest)
        for lift in lifts.values()
    )
    return replace(store, entries=entries, uncovered=uncovered)


@pytest.fixture(scope="module")
def moved(store: ContentStore) -> ContentStore:
    return _moved(store)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Leg press", "leg-press"),
        ("farmer's carry", "farmers-carry"),
        ("push-up", "push-up"),
        ("Copenhagen plank", "copenhagen-plank"),
        ("  Nordic   curl ", "nordic-curl"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_every_uncovered_lift_is_in_the_catalogue_under_its_slug(store: ContentStore) -> None:
    catalogue = Catalogue.of(store)
    for lift in store.uncovered:
        assert slug(lift.name) in catalogue.names or slug(lift.name) in store.entries
    assert set(store.entries) <= set(catalogue.names)


@pytest.mark.parametrize(
    ("text", "exercise"),
    [
        ("nordic curls 3x5", "nordic-hamstring-curl"),
        ("back squats 4x6 at 55 kilos", "back-squat"),
        ("leg curls 3x10", "hamstring-curl"),
        ("wall sit 3x45s", "wall-sit"),
        ("tib raises 3x20", "tibialis-raise"),
        ("leg press 3x10", "leg-press"),  # a lift of uncovered.yaml: its slug
    ],
)
def test_a_lift_is_logged_under_its_entry_or_its_slug(
    store: ContentStore, text: str, exercise: str
) -> None:
    [entry] = ReportParser(store, every_lift=True).parse(text).entries
    assert entry.exercise == exercise


@pytest.mark.parametrize("path", [CORPUS, RUNNERS, BLIND], ids=lambda p: p.name)
def test_every_set_holds_after_the_move(moved: ContentStore, path: Path) -> None:
    """The expectations with "needs" switch to the new ids; every other line is unchanged."""
    parser = ReportParser(moved, every_lift=True)
    cases = load_cases(path, moved)
    misses = [
        f"{c.text!r}: got {json.dumps(observed(parser.parse(c.text)))}"
        for c in cases
        if not matches(c, parser.parse(c.text))
    ]
    assert len(misses) <= len(cases) * 0.03, "\n".join(misses)
