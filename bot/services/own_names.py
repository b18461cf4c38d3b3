"""Names in no catalogue, against the runner's own exercises: the logging path's one step for
them (bot/services/logbook.py). A name the runner keeps is logged under it; any other is left
out of the log and kept, with its report, until the runner says whether to keep it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.reports import Report, ReportEntry
from bot.core.reports.catalogue import custom_id, own_key
from bot.db import own_exercises


async def resolve(
    session: AsyncSession, user_id: int, report: Report
) -> tuple[Report, tuple[str, ...]]:
    """The report with the runner's own exercises under their kept names and every other name
    in no catalogue left out, and those names (to ask about). A name too long to keep stays in
    ``not_covered`` (the runner is told it was not logged)."""
    if all(e.custom_name is None for e in report.entries):
        return report, ()
    mine = await own_exercises.by_key(session, user_id)
    kept: list[ReportEntry] = []
    unknown: list[str] = []
    too_long: list[str] = []
    for entry in report.entries:
        name = entry.custom_name
        if name is None:
            kept.append(entry)
        elif own_key(name) in mine:
            kept.append(replace(entry, exercise=custom_id(mine[own_key(name)])))
        elif len(own_exercises.tidy(name)) <= own_exercises.OWN_NAME_LIMIT:
            unknown.append(own_exercises.tidy(name))
        else:
            too_long.append(name)
    resolved = Report(
        report.status, tuple(kept), tuple(dict.fromkeys(too_long)), report.doubts, report.question
    )
    return resolved, tuple(dict.fromkeys(unknown))


async def ask_once(
    session: AsyncSession, *, user_id: int, chat_id: int, message_id: int, reply_to: int | None,
    text: str, names: tuple[str, ...], now: datetime,
) -> int | None:  # fmt: skip
    """Keep the report while the runner is asked about ``names``: the ask's id, or None when this
    message is being asked about already (a second delivery, or an edit: the ask takes the new
    text, and its buttons still stand)."""
    existing = await own_exercises.find_ask(session, message=(chat_id, message_id))
    if existing is not None:
        await own_exercises.reask(session, existing, text, names)
        return None
    return await own_exercises.ask(
        session, user_id=user_id, chat_id=chat_id, message_id=message_id, reply_to=reply_to,
        text=text, names=names, now=now,
    )  # fmt: skip


async def drop_stale_ask(session: AsyncSession, report: Report, message: tuple[int, int]) -> None:
    """An edit that names no lift outside the catalogue any more: a question still standing
    about that message is void (a late "yes" must not log the old text)."""
    if any(e.custom_name is not None for e in report.entries):
        return
    existing = await own_exercises.find_ask(session, message=message)
    if existing is not None:
        await own_exercises.drop_ask(session, existing)
