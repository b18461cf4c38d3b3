"""A planned session's work against what was logged for it: what "done" means, what is still
open, and the outcome for the plan. Pure: the logbook reads the logs and passes them in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.content import ContentStore
from bot.core.plans import Outcome, Prescription, Session
from bot.core.reports import ReportEntry
from bot.db.planned_sessions import PlannedSession


@dataclass(frozen=True, slots=True)
class SessionProgress:
    """How much of a planned session is logged: names of the prescribed exercises logged and
    left (in the plan's order), and whether the session is closed now."""

    logged: tuple[str, ...]
    left: tuple[str, ...]
    closed: bool

    @property
    def total(self) -> int:
        return len(self.logged) + len(self.left)


def prescription_entries(planned: PlannedSession, store: ContentStore) -> tuple[ReportEntry, ...]:
    """A planned session's prescription as report entries (what "done" means)."""
    session = Session.from_json(planned.prescription)
    return tuple(
        ReportEntry(p.move, (p.reps,) * p.sets, p.kg, p.per_side)
        for p in session.exercises
        if p.move in store.entries and p.sets > 0 and p.reps > 0
    )


def _family(store: ContentStore, exercise: str) -> str:
    return store.family_of(exercise) if exercise in store.entries else exercise


def _matching(
    prescribed: Prescription, entries: Iterable[ReportEntry], store: ContentStore
) -> list[ReportEntry]:
    """The logged entries that count for a prescribed exercise: the same move, or another of
    its family ("squats" for goblet squats)."""
    family = _family(store, prescribed.move)
    return [
        e for e in entries if e.exercise == prescribed.move or _family(store, e.exercise) == family
    ]


def progress_of(
    planned: PlannedSession, done: tuple[ReportEntry, ...], store: ContentStore, closed: bool
) -> SessionProgress:
    logged: list[str] = []
    left: list[str] = []
    for prescribed in Session.from_json(planned.prescription).exercises:
        (logged if _matching(prescribed, done, store) else left).append(prescribed.name)
    return SessionProgress(tuple(logged), tuple(left), closed)


def outcome_of(
    status: str, done: tuple[ReportEntry, ...], planned: PlannedSession, store: ContentStore
) -> Outcome:
    """Skipped, done (every prescribed set and rep, over all the session's logs) or partial."""
    if status == "skipped":
        return "skipped"
    for prescribed in Session.from_json(planned.prescription).exercises:
        if prescribed.sets <= 0:
            continue
        found = _matching(prescribed, done, store)
        reps = [r for e in found for r in e.reps]
        if len(reps) < prescribed.sets or sorted(reps, reverse=True)[prescribed.sets - 1] < (
            prescribed.reps
        ):
            return "partial"
    return "done"


def names_text(names: Iterable[str]) -> str:
    """ "calf raises, RDL and step-ups"."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
