"""A season session in the week plan's types (``Session`` of ``Prescription``), so the reminder
texts, the stored prescriptions (``Session.as_json``) and ``Prescription.line()`` keep working
when the handlers move to the season plan."""

from __future__ import annotations

from bot.core.content import ContentStore
from bot.core.plans.catalog import Catalog
from bot.core.plans.moves import LOADED
from bot.core.plans.season_model import PlannedExercise, PlannedSession
from bot.core.plans.week import Prescription, Session

# Done one leg at a time, for ids the week plan's catalog does not list.
PER_SIDE = frozenset({"split-squat", "single-leg-squat", "bounding"})


def as_prescription(item: PlannedExercise, store: ContentStore, catalog: Catalog) -> Prescription:
    known = catalog.moves.get(item.exercise)
    per_side = known.per_side if known is not None else item.exercise in PER_SIDE
    loaded = LOADED.get(item.exercise)
    # The week plan's prescription counts reps; a timed hold shows its seconds there.
    amount = item.reps if item.reps is not None else item.seconds or 0
    return Prescription(
        track=item.exercise,
        move=item.exercise,
        name=store.entries[item.exercise].name,
        sets=item.sets,
        reps=amount,
        per_side=per_side,
        kg=item.kg if loaded is not None else None,
        weight_note=loaded.weight_note if loaded is not None else "",
    )


def as_week_session(planned: PlannedSession, store: ContentStore, catalog: Catalog) -> Session:
    items = tuple(as_prescription(item, store, catalog) for item in planned.exercises)
    hinge = any(store.family_of(item.exercise) == "deadlift" for item in planned.exercises)
    return Session(planned.day, items, hinge)
