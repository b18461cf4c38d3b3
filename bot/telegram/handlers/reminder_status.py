"""The reminder status as the runner reads it (/remind, after a set-up change)."""

from __future__ import annotations

from datetime import datetime

from bot.db.schedules import ReminderSchedule
from bot.telegram import reminder_text as render
from bot.telegram.handlers.context import Context


async def status_text(context: Context, row: ReminderSchedule | None, now: datetime) -> str:
    """The reminder status; when the next reminder's day is already done, the one after it."""
    html = render.status_html(row, now)
    closed = None if row is None else await context.services.reminders.next_after_closed_day(
        context.session, row
    )  # fmt: skip
    if row is None or closed is None:
        return html
    status, after = closed
    line = f"That day's session is already {status}, so no reminder comes that day"
    if after is not None:
        line += f": the next is {render.local_label(row, after)}"
    return f"{html}\n{line}."
