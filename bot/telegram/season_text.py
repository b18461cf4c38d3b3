"""The season's messages (HTML): /plan and /plan next, the weekly check-in, the replies to
/race, /hardruns, /level and /weekly."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton

from bot.core.plans import Race, Session
from bot.core.plans.season_model import PlannedWeek
from bot.core.schedule import DAY_FULL_NAMES, DAY_NAMES
from bot.core.stats.weekly import WeekReview
from bot.services.season import Checkin, WeeklySetting, WeekView
from bot.telegram.callbacks import HowTo, encode, fits
from bot.telegram.reminder_text import day_label, session_lines

PHASES = {
    "base": "base (strength)",
    "build": "build (strength into spring)",
    "taper": "taper (fresh for the race)",
    "race": "race week",
    "recovery": "recovery after the race",
}
DISTANCE_NAMES = {"5k": "5k", "10k": "10k", "half": "half marathon", "marathon": "marathon",
                  "ultra": "ultra"}  # fmt: skip
LEVEL_NAMES = {"new": "new to lifting", "some-experience": "some experience",
               "experienced": "experienced"}  # fmt: skip


def race_label(race: Race) -> str:
    return f"{DISTANCE_NAMES[race.distance]} on {day_label(race.day)} {race.day.year}"


def phase_line(week: PlannedWeek, race: Race | None) -> str:
    line = f"Phase: {PHASES[week.phase]}"
    if week.deload:
        line += ", a lighter week"
    if race is not None and week.weeks_to_race is not None and week.weeks_to_race > 0:
        weeks = week.weeks_to_race
        line += f". {weeks} week{'s' if weeks != 1 else ''} to your {DISTANCE_NAMES[race.distance]}"
    elif race is not None and week.weeks_to_race == 0:
        line += f". Your {DISTANCE_NAMES[race.distance]} is this week: good luck!"
    return line + "."


def plan_html(view: WeekView, heading: str) -> str:
    week = view.week
    end = week.start.fromordinal(week.start.toordinal() + 6)
    lines = [f"<b>{escape(heading)}</b> ({day_label(week.start)} to {day_label(end)})",
             escape(phase_line(week, view.race)), ""]  # fmt: skip
    if not view.sessions:
        lines += ["No strength sessions this week: run, rest, recover.", ""]
    for planned, session in zip(week.sessions, view.sessions, strict=True):
        tags = [] if planned.heavy else ["light"]
        if planned.after_run:
            tags.append("after your run")
        tag = f" ({', '.join(tags)})" if tags else ""
        lines.append(f"<b>{DAY_FULL_NAMES[session.day.weekday()]} {session.day.day} "
                     f"{session.day.strftime('%b')}</b>{tag}")  # fmt: skip
        lines += session_lines(session)
        lines.append("")
    if view.race is None:
        lines.append("No goal race set: /race 2027-04-18 marathon shapes the plan around it.")
    for problem in view.problems:
        lines.append(f"⚠️ {escape(problem)}")
    for advice in view.advice:
        lines.append(f"🩹 {escape(advice)}")
    return "\n".join(lines).rstrip()


def week_howto_rows(sessions: tuple[Session, ...]) -> list[list[InlineKeyboardButton]]:
    """One how-to button per exercise of the week (each once)."""
    seen: dict[str, str] = {}
    for session in sessions:
        for item in session.exercises:
            seen.setdefault(item.move, item.name)
    buttons = [InlineKeyboardButton(f"How to: {name}", callback_data=encode(HowTo(move)))
               for move, name in seen.items() if fits(HowTo(move))]  # fmt: skip
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def review_lines(review: WeekReview, names: dict[str, str]) -> list[str]:
    lines = [f"Sessions: {review.planned_done} of {review.planned} done"
             + (f", plus {review.extra} extra" if review.extra else "") + "."]  # fmt: skip
    volume = f"Volume: {review.sets} work set{'s' if review.sets != 1 else ''}"
    if review.volume_kg:
        volume += f", {review.volume_kg:,.0f} kg lifted"
    lines.append(volume + ".")
    for best in review.bests:
        name = escape(names.get(best.exercise, best.exercise))
        value = f"{best.value:g} kg" if best.kind == "weight" else f"{best.value:g} reps"
        lines.append(f"🏅 New best: {name}, {value}.")
    lines.append(f"Streak: {review.streak} session{'s' if review.streak != 1 else ''} in a row.")
    return lines


def checkin_html(checkin: Checkin, names: dict[str, str]) -> str:
    lines = ["<b>Your weekly check-in</b>", "", "<b>This week</b>"]
    lines += review_lines(checkin.review, names)
    upcoming = checkin.upcoming
    lines += ["", "<b>Next week</b>", escape(phase_line(upcoming.week, upcoming.race))]
    days = ", ".join(DAY_NAMES[s.day.weekday()] for s in upcoming.sessions)
    count = len(upcoming.sessions)
    lines.append(f"{count} session{'s' if count != 1 else ''}" + (f": {days}." if days else "."))
    lines.append(escape(checkin.change))
    lines.append("/plan next shows the sessions. /weekly off stops these check-ins.")
    return "\n".join(lines)


def weekly_html(setting: WeeklySetting) -> str:
    if not setting.on:
        return "Weekly check-ins are off. /weekly sun 18:00 turns them back on."
    text = f"Weekly check-in: {DAY_FULL_NAMES[setting.day]}s at {setting.at}"
    if setting.zone is None:
        return text + ". I need your time zone first: /timezone Berlin"
    return text + f" ({escape(setting.zone)}). Change it: /weekly sat 09:00, or /weekly off."


def setup_week_html(sessions: tuple[Session, ...], long_run_day: int | None) -> str:
    """The set-up's summary: the next seven days' sessions."""
    lines = ["<b>Your week</b>", ""]
    for session in sessions:
        tag = " (deadlift day)" if session.deadlifts else ""
        lines.append(f"<b>{DAY_FULL_NAMES[session.day.weekday()]}</b>{tag}")
        lines += session_lines(session)
        lines.append("")
    if long_run_day is not None:
        lines.append(f"Long run: {DAY_FULL_NAMES[long_run_day]} (no heavy legs the day before).")
    return "\n".join(lines).rstrip()
