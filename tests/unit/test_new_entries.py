"""Issue 16 section 2: the entries for what runners are told to do besides the five staples.

Their numbers are checked against data/rules.yaml, so an entry cannot drift from the plan."""

from __future__ import annotations

import re

import pytest

from bot.core.answering import Answerer
from bot.core.coaching.rules import CoachingRules, load_rules
from bot.core.content import TOPICS, ContentStore
from bot.core.content.loader import REQUIRED_FAMILIES
from tests.conftest import ROOT

NEW_ENTRIES = {
    "back-squat": "squat",
    "front-squat": "squat",
    "split-squat": "squat",
    "wall-sit": "squat",
    "single-leg-squat": "squat",
    "hamstring-curl": None,
    "nordic-hamstring-curl": "hamstring-curl",
    "tibialis-raise": None,
    "clamshell": None,
    "lateral-band-walk": "clamshell",
    "copenhagen-plank": "clamshell",
    "pogo-hops": None,
    "box-jump": "pogo-hops",
    "bounding": "pogo-hops",
    "jump-squat": "pogo-hops",
}
JUMPS = ("pogo-hops", "box-jump", "bounding", "jump-squat")


@pytest.fixture(scope="module")
def rules() -> CoachingRules:
    return load_rules(ROOT / "data" / "rules.yaml")


def _text(store: ContentStore, entry_id: str) -> str:
    entry = store.entries[entry_id]
    return "\n".join([entry.summary, *(entry.topic_text(t) for t in TOPICS)])


def test_every_new_entry_is_complete_and_in_its_family(store: ContentStore) -> None:
    for entry_id, family in NEW_ENTRIES.items():
        entry = store.entries[entry_id]
        assert entry.family == family, entry_id
        assert entry.aliases, entry_id
        assert entry.see_also, entry_id
        for topic in TOPICS:
            assert len(entry.topic_text(topic)) >= 200, (entry_id, topic)
        assert "physio" in entry.topic_text("mistakes"), entry_id


def test_the_browser_lists_the_new_families_after_the_staples(store: ContentStore) -> None:
    assert store.families == tuple(REQUIRED_FAMILIES)
    assert store.families[5:] == ("hamstring-curl", "tibialis-raise", "clamshell", "pogo-hops")


def test_no_new_entry_is_still_listed_as_a_lift_we_lack(store: ContentStore) -> None:
    lacking = {name for lift in store.uncovered for name in (lift.name.lower(), *lift.aliases)}
    for entry_id in NEW_ENTRIES:
        entry = store.entries[entry_id]
        assert not lacking & {entry.name.lower(), *entry.aliases}, entry_id


def test_sets_and_reps_fit_a_goal_of_the_rules(store: ContentStore, rules: CoachingRules) -> None:
    """ "3-4 sets of 4-6 reps": some goal (strength here) allows both the sets and the reps."""
    pattern = re.compile(r"(\d+)(?:-(\d+))? sets of (\d+)(?:-(\d+))?")
    found = 0
    for entry_id in NEW_ENTRIES:
        for match in pattern.finditer(_text(store, entry_id)):
            sets_low, sets_high, reps_low, reps_high = match.groups()
            sets = (int(sets_low), int(sets_high or sets_low))
            reps = (int(reps_low), int(reps_high or reps_low))
            found += 1
            assert any(
                g.sets.low <= sets[0] and sets[1] <= g.sets.high
                and g.reps.low <= reps[0] and reps[1] <= g.reps.high
                for g in rules.goals.values()
            ), (entry_id, match.group(0))  # fmt: skip
    assert found >= len(NEW_ENTRIES) - 4  # holds, runs and contacts are not sets of reps


def test_rest_and_spacing_are_the_rules_numbers(store: ContentStore, rules: CoachingRules) -> None:
    rests = {(r.low, r.high) for r in rules.session.rest_seconds.values()}
    spacing = {rules.spacing.hours_after_hard_run, rules.spacing.hours_clear_before_key_run}
    for entry_id in NEW_ENTRIES:
        text = _text(store, entry_id)
        for low, high in re.findall(r"(\d+)-(\d+) seconds (?:between|or until)", text):
            assert (int(low), int(high)) in rests, (entry_id, low, high)
        hours = {int(h) for h in re.findall(r"(\d+) hours", text)}
        assert hours <= spacing, (entry_id, hours)
        assert f"{rules.spacing.hours_clear_before_key_run} hours clear" in text or (
            f"{rules.spacing.hours_clear_before_key_run} hours away" in text
        ), entry_id


def test_every_jump_states_the_plyometric_rules(store: ContentStore, rules: CoachingRules) -> None:
    ply = rules.plyometrics
    readiness = (
        f"{ply.entry_test_single_leg_calf_raises.low}-{ply.entry_test_single_leg_calf_raises.high}"
        " pain-free single-leg calf raises"
    )
    contacts = f"{ply.contacts_per_session.low}-{ply.contacts_per_session.high} contacts"
    weekly = f"{ply.sessions_per_week.low}-{ply.sessions_per_week.high} times a week"
    for entry_id in JUMPS:
        entry = store.entries[entry_id]
        assert readiness in entry.topic_text("how-to") + entry.topic_text("programming"), entry_id
        assert contacts in entry.topic_text("programming"), entry_id
        assert weekly in entry.topic_text("programming"), entry_id
        assert "fresh" in entry.topic_text("programming"), entry_id


@pytest.mark.parametrize(
    ("question", "exercise", "topic"),
    [
        ("how do I do a barbell squat", "back-squat", "how-to"),
        ("how do I do a bodyweight squat", "squat", "how-to"),
        ("what helps prevent a hamstring strain", "nordic-hamstring-curl", "benefits"),
        ("how do I stop getting groin pulls", "copenhagen-plank", "benefits"),
        ("anterior shin splints", "tibialis-raise", "benefits"),
        ("I get shin splints, what helps", "calf-raise", "benefits"),
        ("what can I do about IT band syndrome", "lateral-band-walk", "benefits"),
        ("should runners do plyometrics", "pogo-hops", "benefits"),
    ],
)
def test_names_and_problems_reach_the_new_entries(
    answerer: Answerer, question: str, exercise: str, topic: str
) -> None:
    answer = answerer.answer(question)
    assert (answer.exercise, answer.topic) == (exercise, topic)


@pytest.mark.parametrize(
    "question",
    [
        "is nordic walking good cross training",  # not the Nordic curl
        "training for the copenhagen marathon, how often should i lift",  # not the plank
    ],
)
def test_look_alike_words_do_not_name_a_new_entry(answerer: Answerer, question: str) -> None:
    assert answerer.answer(question).exercise is None


def test_shin_splints_offer_the_tibialis_raise_beside_the_calf_raise(answerer: Answerer) -> None:
    answer = answerer.answer("I get shin splints, what helps")
    assert (answer.exercise, answer.topic) == ("calf-raise", "benefits")
    assert "tibialis-raise" in answerer.links("calf-raise", "benefits")
