"""Corrections in words: the runner's last log of an exercise changed ("actually i only did 2
sets of the RDLs"), and the correction undone. Works in the caller's session."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.reports import Report, ReportEntry, ReportParser
from bot.core.reports.corrections import Correction, parse_correction
from bot.db import workout_log
from bot.db.workout_log import WorkoutLog


@dataclass(frozen=True, slots=True)
class Corrected:
    log: WorkoutLog
    index: int  # which entry of the log changed
    before: ReportEntry
    after: ReportEntry


def _apply(correction: Correction, old: ReportEntry) -> ReportEntry:
    if correction.sets is not None:
        reps = old.reps[: correction.sets]
        reps += (old.reps[-1],) * (correction.sets - len(reps))  # more sets than logged: alike
        return replace(old, reps=reps)
    assert correction.entry is not None
    new = correction.entry
    if new.weight_kg is None and old.weight_kg is not None:
        new = replace(new, weight_kg=old.weight_kg)  # "actually 2x8": the load stays
    return new


class Corrections:
    def __init__(self, parser: ReportParser, clock: Clock) -> None:
        self.parser = parser
        self.clock = clock

    def is_correction(self, text: str) -> bool:
        return parse_correction(text, self.parser) is not None

    async def correct(self, session: AsyncSession, user_id: int, text: str) -> Corrected | None:
        """Apply the correction in ``text`` to the runner's last log of its exercise; None when
        it is not a correction or there is no such log (then it is an ordinary report)."""
        correction = parse_correction(text, self.parser)
        if correction is None:
            return None
        log = await workout_log.last_log_with(session, user_id, correction.exercise)
        if log is None:
            return None
        entries = list(workout_log.entries_of(log))
        index = max(i for i, e in enumerate(entries) if e.exercise == correction.exercise)
        before = entries[index]
        entries[index] = _apply(correction, before)
        await self._write(session, log, tuple(entries))
        return Corrected(log, index, before, entries[index])

    async def restore(
        self, session: AsyncSession, user_id: int, log_id: int, index: int,
        reps: tuple[int, ...], weight_kg: float | None,
    ) -> Corrected | None:  # fmt: skip
        """Undo of a correction: entry ``index`` of the runner's log ``log_id`` has ``reps`` at
        ``weight_kg`` again. None when the log is gone or not theirs, or has no such entry."""
        log = await session.get(WorkoutLog, log_id)
        if log is None or log.user_id != user_id:
            return None
        entries = list(workout_log.entries_of(log))
        if not 0 <= index < len(entries):
            return None
        before = entries[index]
        entries[index] = replace(before, reps=reps, weight_kg=weight_kg)
        await self._write(session, log, tuple(entries))
        return Corrected(log, index, before, entries[index])

    async def _write(
        self, session: AsyncSession, log: WorkoutLog, entries: tuple[ReportEntry, ...]
    ) -> None:
        report = Report("skipped" if log.status == "skipped" else "done", entries)
        await workout_log.replace(session, log, report, self.clock.now())
