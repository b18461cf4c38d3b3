"""Time zone names: only zones a runner could live in, and names with a typo like exercise names
(issue 15 item 9, issue 19 section 4)."""

from __future__ import annotations

from zoneinfo import available_timezones

import pytest

from bot.core.schedule import Problem, ZoneMatch, resolve_zone, valid_zone

NOT_A_PLACE = ["localtime", "Factory", "Etc/Unknown", "posixrules", "Etc/GMT+5", "EST5EDT", "CET"]


@pytest.mark.parametrize("name", NOT_A_PLACE)
def test_names_that_follow_no_place_are_refused(name: str) -> None:
    assert not valid_zone(name)
    found = resolve_zone(name)
    assert isinstance(found, Problem), found
    assert "Berlin" in found.message  # what to send instead


def test_the_refused_names_exist_on_this_machine_so_the_refusal_is_ours() -> None:
    """Without this, a machine lacking these files would pass the test above for free."""
    present = available_timezones() | {"localtime", "posixrules"}
    assert {"Factory", "Etc/GMT+5", "EST5EDT", "CET"} <= present


@pytest.mark.parametrize(
    "name",
    ["Europe/Berlin", "America/New_York", "Asia/Kathmandu", "UTC", "Europe/Oslo", "US/Eastern",
     "Asia/Calcutta", "America/Argentina/Buenos_Aires"],
)  # fmt: skip
def test_place_names_and_their_old_names_are_kept_as_sent(name: str) -> None:
    assert valid_zone(name)
    assert resolve_zone(name) == ZoneMatch(name)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("berln", "Europe/Berlin"),
        ("Berlni", "Europe/Berlin"),  # two letters swapped
        ("londn", "Europe/London"),
        ("new yrok", "America/New_York"),
        ("sao paolo", "America/Sao_Paulo"),
        ("in sydny", "Australia/Sydney"),
        ("europe/berln", "Europe/Berlin"),
        ("kathmanud", "Asia/Kathmandu"),
        ("buenos airse", "America/Argentina/Buenos_Aires"),
    ],
)
def test_a_typo_in_a_zone_name_is_forgiven(text: str, zone: str) -> None:
    assert resolve_zone(text) == ZoneMatch(zone)


@pytest.mark.parametrize("text", ["xerlin", "berlinnnn", "atlantis", "utx", "madrdi spain"])
def test_typos_stop_where_exercise_names_stop(text: str) -> None:
    """A wrong first letter, more edits than a name of that length allows, or a short word."""
    assert isinstance(resolve_zone(text), Problem)


def test_a_typo_as_close_to_two_cities_offers_both() -> None:
    assert resolve_zone("dubli") == ZoneMatch(None, ("Asia/Dubai", "Europe/Dublin"))
    assert resolve_zone("dublin") == ZoneMatch("Europe/Dublin")  # no typo: no question


def test_old_names_are_not_typo_targets() -> None:
    """Canada/Atlantic is a zone name but no city: "atlantis" is not a typo of it."""
    assert valid_zone("Canada/Atlantic")
    assert isinstance(resolve_zone("atlantis"), Problem)
