"""The reminder message and its buttons (HTML; also used by /today and /plan). The buttons'
callback data is bot/telegram/callbacks.py's (SessionButton, HowTo).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.plans import Session, WeekLayout
from bot.core.schedule import DAY_FULL_NAMES, DAY_NAMES, days_label
from bot.db import schedules
from bot.db.schedules import ReminderSchedule
from bot.services.training import zone_of
from bot.telegram.callbacks import HowTo, SessionAction, SessionButton, encode

SNOOZES = {"z30": timedelta(minutes=30), "z60": timedelta(hours=1)}


def day_label(day: date) -> str:
    return f"{DAY_NAMES[day.weekday()]} {day.day} {day.strftime('%b')}"


def session_lines(session: Session) -> list[str]:
    return [f"• {escape(item.line())}" for item in session.exercises]


def reminder_html(session: Session, *, heading: str = "Today's strength session") -> str:
    lines = [f"<b>{escape(heading)}</b> ({day_label(session.day)})", ""]
    lines += session_lines(session)
    lines += [
        "",
        "Rest 60-90 s between sets. Weights are suggestions: pick what leaves 2 good reps in "
        "the tank.",
        "Tap Done when you have finished, or reply to this message.",
    ]
    return "\n".join(lines)


def rest_day_html(today: date, next_session: date) -> str:
    return (
        f"<b>No strength session today</b> ({day_label(today)}): run easy or rest.\n"
        f"Your next strength session is on {DAY_FULL_NAMES[next_session.weekday()]} "
        f"{next_session.day} {next_session.strftime('%b')}."
    )


def _session_button(label: str, action: SessionAction, planned_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(SessionButton(action, planned_id)))


def session_keyboard(planned_id: int, session: Session) -> InlineKeyboardMarkup:
    rows = [
        [
            _session_button("✅ Done", "d", planned_id),
            _session_button("Skip", "s", planned_id),
        ],
        [
            _session_button("Snooze 30 min", "z30", planned_id),
            _session_button("Snooze 1 h", "z60", planned_id),
        ],
    ]
    rows += howto_rows(session)
    return InlineKeyboardMarkup(rows)


def howto_rows(session: Session) -> list[list[InlineKeyboardButton]]:
    buttons = [
        InlineKeyboardButton(f"How to: {item.name}", callback_data=encode(HowTo(item.move)))
        for item in session.exercises
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def week_html(week: WeekLayout, sessions: list[Session], heading: str) -> str:
    lines = [f"<b>{escape(heading)}</b>", ""]
    for session in sessions:
        tag = " (deadlift day)" if session.deadlifts else ""
        lines.append(f"<b>{DAY_FULL_NAMES[session.day.weekday()]}</b>{tag}")
        lines += session_lines(session)
        lines.append("")
    if week.long_run_day is not None:
        lines.append(
            f"Long run: {DAY_FULL_NAMES[week.long_run_day]} (no deadlifts the day before)."
        )
    return "\n".join(lines).rstrip()


NOT_SET = "You have no reminders yet. Set one with /remind 07:30 (add days: /remind 18:00 mon thu)."


def local_label(row: ReminderSchedule, moment: datetime) -> str:
    local = moment.astimezone(zone_of(row))
    return f"{day_label(local.date())} at {local:%H:%M}"


def status_html(row: ReminderSchedule | None, now: datetime) -> str:
    if row is None or not row.local_time:
        return NOT_SET
    days = days_label(schedules.days_from_mask(row.days)) if row.days else "no days yet"
    zone = escape(row.zone) if row.zone else "no time zone yet"
    lines = [f"<b>Your reminders</b>: {days} at {row.local_time} ({zone})"]
    if row.long_run_day is not None:
        lines.append(f"Long run: {DAY_FULL_NAMES[row.long_run_day]}")
    if row.stopped:
        lines.append("Reminders are off. Send /remind to turn them back on.")
    elif row.blocked:
        lines.append("Reminders stopped because I could not reach you. /start turns them on.")
    elif row.paused_open:
        lines.append("Paused until you send /resume.")
    elif not row.zone:
        lines.append("I need your time zone before the first reminder: /timezone Berlin")
    if row.next_fire_at is not None:
        if row.paused_until is not None and row.paused_until > now:
            lines.append(f"Paused until {local_label(row, row.paused_until)}.")
        lines.append(f"Next reminder: {local_label(row, row.next_fire_at)}")
    return "\n".join(lines)
