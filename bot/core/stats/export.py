"""CSV export of a training log, one row per set, like Strong's and Hevy's exports.

Columns: Date, Session, Exercise, Set, Reps, Seconds, Weight (kg), Per side, Status, Note. A
timed set ("wall sit 3x45s") has Seconds and no Reps; any other set Reps and no Seconds. A log
with no sets (a bare "done" or "skipped") is one row with the exercise columns empty.
``read_csv`` reads an export back (tests check that it gives the same sets).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.core.content import ContentStore
from bot.core.reports.catalogue import Catalogue
from bot.core.reports.format import name_of
from bot.core.stats.model import LoggedSet

HEADER = (
    "Date", "Session", "Exercise", "Set", "Reps", "Seconds", "Weight (kg)", "Per side", "Status",
    "Note",
)  # fmt: skip


def _weight(kg: float | None) -> str:
    return "" if kg is None else f"{kg:g}"


def rows(logs: Iterable[LoggedSet], store: ContentStore) -> list[list[str]]:
    out: list[list[str]] = [list(HEADER)]
    for s in logs:
        session = "Planned session" if s.planned else "Extra session"
        if not s.is_set:
            empty = [""] * 6  # exercise, set, reps, seconds, weight, per side
            out.append([s.local_date.isoformat(), session, *empty, s.status, s.note])
            continue
        out.append(
            [
                s.local_date.isoformat(),
                session,
                name_of(store, s.exercise),
                str(s.set_index),
                "" if s.seconds is not None else str(s.reps),
                "" if s.seconds is None else str(s.seconds),
                _weight(s.weight_kg),
                "yes" if s.per_side else "no",
                s.status,
                s.note if s.set_index == 1 and s.entry_index == 0 else "",
            ]
        )
    return out


def to_csv(logs: Iterable[LoggedSet], store: ContentStore) -> bytes:
    """UTF-8 with a byte order mark, so spreadsheet apps open accents and emoji right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows(logs, store))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@dataclass(frozen=True, slots=True)
class ExportedSet:
    local_date: date
    exercise: str  # catalogue id (a name no catalogue knows stays as written)
    set_index: int
    reps: int  # 0 for a timed set
    weight_kg: float | None
    per_side: bool
    status: str
    seconds: int | None = None


def read_csv(data: bytes, store: ContentStore) -> list[ExportedSet]:
    """The sets of an export (rows without an exercise are left out)."""
    ids = {name: lift_id for lift_id, name in Catalogue.of(store).names.items()}
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    found = []
    for row in reader:
        if not row["Exercise"]:
            continue
        found.append(
            ExportedSet(
                local_date=date.fromisoformat(row["Date"]),
                exercise=ids.get(row["Exercise"], row["Exercise"]),
                set_index=int(row["Set"]),
                reps=int(row["Reps"]) if row["Reps"] else 0,
                weight_kg=float(row["Weight (kg)"]) if row["Weight (kg)"] else None,
                per_side=row["Per side"] == "yes",
                status=row["Status"],
                seconds=int(row["Seconds"]) if row["Seconds"] else None,
            )
        )
    return found
