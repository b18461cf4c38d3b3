"""Time zones from what a runner types: an IANA name, a city an IANA zone names, or the time
it is where they are ("it's 18:40 here": the offset, and the zones that have it now)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import process
from rapidfuzz.distance import OSA

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


# Regions of the tz database's place names (the rest are aliases, offsets or system files).
_REGIONS = ("Africa/", "America/", "Antarctica/", "Arctic/", "Asia/", "Atlantic/", "Australia/",
            "Europe/", "Indian/", "Pacific/")  # fmt: skip


def _tzdata_file(name: str) -> str:
    try:
        return resources.files("tzdata").joinpath("zoneinfo", name).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return ""


def _tab_zones(*tables: str) -> set[str]:
    names: set[str] = set()
    for table in tables:
        for line in _tzdata_file(table).splitlines():
            if line and not line.startswith("#"):
                parts = line.split("\t")
                if len(parts) >= 3:
                    names.add(parts[2])
    return names


@cache
def _canonical() -> frozenset[str]:
    """Zones in tzdata's zone1970.tab and zonenow.tab (no old aliases like US/Eastern)."""
    return frozenset(_tab_zones("zone1970.tab", "zonenow.tab") | {"UTC"})


@cache
def _places() -> frozenset[str]:
    """The places of tzdata's tables, zone.tab's one per country included."""
    places = _tab_zones("zone.tab", "zone1970.tab", "zonenow.tab")
    if not places:  # no tzdata package: the system's database, its place names only
        places = {z for z in available_timezones() if z.startswith(_REGIONS)}
    return frozenset(places)


@cache
def _typo_targets() -> dict[str, list[str]]:
    """Names of places (not old names like Canada/Atlantic), by their first letter."""
    targets: dict[str, list[str]] = {}
    for key, names in _by_key().items():
        if any(name in _places() for name in names):
            targets.setdefault(key[:1], []).append(key)
    return targets


@cache
def _livable() -> frozenset[str]:
    """Zone names a runner could live in: the places of tzdata's tables (zone.tab's one per
    country too, so Europe/Oslo is Oslo, not Berlin), old names of those places (US/Eastern,
    Asia/Calcutta, Japan) and UTC. Not the system's ``localtime`` (the server's clock) or
    ``posixrules``, ``Factory``, ``Etc/Unknown``, the fixed ``Etc/GMT+5`` offsets or
    abbreviations like ``CET``, which name no place a runner lives in."""
    places = _places()
    aliases = set()
    for line in _tzdata_file("tzdata.zi").splitlines():
        parts = line.split()  # "L Europe/Kyiv Europe/Kiev": a link, its target first
        if len(parts) == 3 and parts[0] == "L" and parts[1] in places:
            alias = parts[2]
            # A place's old name (US/Eastern, Japan), not an abbreviation (CET, EST5EDT, PRC).
            if "/" in alias or any(c.islower() for c in alias):
                aliases.add(alias)
    return frozenset((places | aliases | {"UTC", "Etc/UTC"}) & available_timezones())


@cache
def _by_key() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for name in _livable():
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
    """An IANA name a runner could live in, that this machine's zone database has."""
    if name not in _livable():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _typo_of(key: str) -> tuple[str, ...]:
    """Zones whose name is ``key`` with a typo, as exercise names allow them: one edit under 8
    letters, two from 8, never the first letter ("berln", "new yrok", "sao paolo")."""
    if len(key) < 4:
        return ()
    limit = 1 if len(key) < 8 else 2
    keys = _typo_targets().get(key[:1], [])
    found = process.extract(key, keys, scorer=OSA.distance, score_cutoff=limit, limit=None)
    if not found:
        return ()
    closest = min(distance for _, distance, _ in found)
    keys = [k for k, distance, _ in found if distance == closest]
    names = {name for k in keys for name in _by_key()[k] if name in _places()}
    return tuple(sorted(names, key=lambda n: (n not in _canonical(), n)))


def resolve_zone(text: str) -> ZoneMatch | Problem:
    """``Europe/Berlin``, ``berlin``, ``new york``, ``São Paulo``, ``UTC``, ``berln``."""
    cleaned = text.strip()
    if not cleaned:
        return Problem("Which time zone are you in? " + ZONE_EXAMPLE)
    if valid_zone(cleaned):
        return ZoneMatch(cleaned)
    key = _key(cleaned)
    for prefix in ("in ", "i am in ", "i m in ", "im in ", "i live in "):
        key = key.removeprefix(prefix)
    found = (
        _by_key().get(key)
        or _by_key().get(key.removeprefix("the "))
        or _typo_of(key.removeprefix("the "))
    )
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
