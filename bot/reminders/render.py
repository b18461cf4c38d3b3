"""The reminder message and its buttons (HTML; also used by /today and /plan).

Callback data (all within Telegram's 64 bytes)::

    rs:d:<planned id>     Done (every prescribed rep)
    rs:s:<planned id>     Skip
    rs:z30:<planned id>   Snooze 30 minutes      rs:z60:<planned id>  Snooze 1 hour
    rh:<entry id>         how-to of one exercise (sent as a new message)
    ru:<action>[:<arg>]   set-up buttons (bot/handlers/setup.py)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.plans import Session, WeekLayout
from bot.core.schedule import DAY_FULL_NAMES, DAY_NAMES

MAX_CALLBACK_BYTES = 64
SNOOZES = {"z30": timedelta(minutes=30), "z60": timedelta(hours=1)}


@dataclass(frozen=True, slots=True)
class SessionButton:
    action: str  # d, s, z30, z60
    planned_id: int


def session_data(action: str, planned_id: int) -> str:
    return _checked(f"rs:{action}:{planned_id}")


def howto_data(entry_id: str) -> str:
    return _checked(f"rh:{entry_id}")


def _checked(data: str) -> str:
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse_session_data(data: str) -> SessionButton | None:
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != "rs" or parts[1] not in ("d", "s", *SNOOZES):
        return None
    if not parts[2].isdigit():
        return None
    return SessionButton(parts[1], int(parts[2]))


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


def session_keyboard(planned_id: int, session: Session) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton("✅ Done", callback_data=session_data("d", planned_id)),
            InlineKeyboardButton("Skip", callback_data=session_data("s", planned_id)),
        ],
        [
            InlineKeyboardButton("Snooze 30 min", callback_data=session_data("z30", planned_id)),
            InlineKeyboardButton("Snooze 1 h", callback_data=session_data("z60", planned_id)),
        ],
    ]
    rows += howto_rows(session)
    return InlineKeyboardMarkup(rows)


def howto_rows(session: Session) -> list[list[InlineKeyboardButton]]:
    buttons = [
        InlineKeyboardButton(f"How to: {item.name}", callback_data=howto_data(item.move))
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
