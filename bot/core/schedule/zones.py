"""Time zones from what a runner types: an IANA name, a city an IANA zone names, or the time
it is where they are ("it's 18:40 here": the offset, and the zones that have it now)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.schedule.text import Problem, find_time

ZONE_EXAMPLE = "Send a city like Berlin or New York, a zone like Europe/Berlin, or the time it is "
ZONE_EXAMPLE += "where you are, like: it's 18:40 here."

# Shown first when several zones match an offset (the most used zone of each region).
POPULAR_ZONES = _POPULAR = (
    "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome",
    "Europe/Amsterdam", "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens", "Europe/Helsinki",
    "Europe/Kyiv", "Europe/Istanbul", "Europe/Moscow", "Africa/Lagos", "Africa/Cairo",
    "Africa/Johannesburg", "Africa/Nairobi", "Africa/Casablanca", "Asia/Dubai", "Asia/Karachi",
    "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta",
    "Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Tokyo", "Asia/Seoul",
    "Australia/Perth", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney",
    "Australia/Lord_Howe", "Pacific/Auckland", "America/New_York", "America/Toronto",
    "America/Chicago", "America/Mexico_City", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Vancouver", "America/Anchorage", "Pacific/Honolulu",
    "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/Santiago",
    "America/Bogota", "America/Lima", "America/Caracas", "America/Halifax", "Atlantic/Reykjavik",
    "UTC",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ZoneMatch:
    """``zone`` when one zone fits; otherwise ``candidates`` to offer as buttons."""

    zone: str | None
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OffsetMatch:
    offset: timedelta
    zones: tuple[str, ...]

    @property
    def label(self) -> str:
        return offset_label(self.offset)


def offset_label(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    for sep in "_-/,.'":
        plain = plain.replace(sep, " ")
    return " ".join(plain.split())


@cache
def _all_zones() -> frozenset[str]:
    return frozenset(
        z for z in available_timezones() if not z.startswith(("posix/", "right/", "SystemV/"))
    )


@cache
def _canonical() -> frozenset[str]:
    """Zones in tzdata's zone1970.tab and zonenow.tab (no old aliases like US/Eastern)."""
    names: set[str] = {"UTC"}
    for table in ("zone1970.tab", "zonenow.tab"):
        try:
            text = resources.files("tzdata").joinpath("zoneinfo", table).read_text("utf-8")
        except (ModuleNotFoundError, FileNotFoundError, OSError):
            continue
        for line in text.splitlines():
            if line and not line.startswith("#"):
                parts = line.split("\t")
                if len(parts) >= 3:
                    names.add(parts[2])
    return frozenset(names) or _all_zones()


@cache
def _by_key() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for name in _all_zones():
        keys = {_key(name)}
        if "/" in name and not name.startswith("Etc/"):
            keys.add(_key(name.rsplit("/", 1)[1]))
        for key in keys:
            index.setdefault(key, []).append(name)
    canonical = _canonical()
    return {
        key: tuple(sorted(names, key=lambda n: (n not in canonical, n)))
        for key, names in index.items()
    }


def valid_zone(name: str) -> bool:
    if name not in _all_zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def resolve_zone(text: str) -> ZoneMatch | Problem:
    """``Europe/Berlin``, ``berlin``, ``new york``, ``São Paulo``, ``UTC``."""
    cleaned = text.strip()
    if not cleaned:
        return Problem("Which time zone are you in? " + ZONE_EXAMPLE)
    if valid_zone(cleaned):
        return ZoneMatch(cleaned)
    key = _key(cleaned)
    for prefix in ("in ", "i am in ", "i m in ", "im in ", "i live in "):
        key = key.removeprefix(prefix)
    found = _by_key().get(key) or _by_key().get(key.removeprefix("the "))
    if found:
        canonical = [z for z in found if z in _canonical()] or list(found)
        if len(canonical) == 1:
            return ZoneMatch(canonical[0])
        return ZoneMatch(None, tuple(canonical[:8]))
    return Problem(f"I don't know the time zone {cleaned[:40]!r}. " + ZONE_EXAMPLE)


def zones_at_offset(offset: timedelta, now: datetime) -> tuple[str, ...]:
    """Zones whose UTC offset at ``now`` is ``offset``, popular ones first."""
    matching = [
        name for name in _canonical() if ZoneInfo(name).utcoffset(now.astimezone(UTC)) == offset
    ]
    rank = {name: index for index, name in enumerate(_POPULAR)}
    matching.sort(key=lambda n: (rank.get(n, len(rank)), n))
    return tuple(matching)


def zones_for_local_time(text: str, now: datetime) -> OffsetMatch | Problem:
    """ "it's 18:40 here" at ``now`` -> the offset (to the quarter hour) and its zones."""
    local = find_time(text)
    if local is None:
        return Problem("What time is it where you are? Send it like: it's 18:40 here.")
    if isinstance(local, Problem):
        return local
    utc_now = now.astimezone(UTC)
    local_minutes = local.hour * 60 + local.minute
    utc_minutes = utc_now.hour * 60 + utc_now.minute + utc_now.second / 60
    diff = local_minutes - utc_minutes
    # The local clock may be on yesterday's or tomorrow's date: offsets run -12:00 to +14:00.
    while diff <= -12 * 60 - 8:
        diff += 24 * 60
    while diff > 14 * 60 + 7:
        diff -= 24 * 60
    quarter = round(diff / 15) * 15
    offset = timedelta(minutes=quarter)
    zones = zones_at_offset(offset, utc_now)
    if not zones:
        return Problem(
            f"No time zone is at {offset_label(offset)} right now. Check the time and send it "
            "again, or send your city, like Berlin."
        )
    return OffsetMatch(offset, zones)


def looks_like_clock_statement(text: str) -> bool:
    lowered = text.lower()
    return find_time(text) is not None and any(
        cue in lowered for cue in ("here", "it's", "it is", "its ", "now", "my time", "local")
    )


def zone_city(name: str) -> str:
    """``America/New_York`` -> ``New York`` (for buttons and replies)."""
    return name.rsplit("/", 1)[-1].replace("_", " ")
