"""The content's numbers and rules agree with data/rules.yaml, by construction.

Every entry and every overview section is scanned for the patterns coaches state numbers in
("3-4 sets of 4-6 reps", "add 2.5 kg", "24 hours before", "a 30-minute session"); each must fit
the rules file, so a text cannot drift from what the plan does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.core.answering.types import PhraseIndex
from bot.core.coaching import CoachingRules, load_rules
from bot.core.content import TOPICS, ContentStore
from bot.core.content.text import phrase, stems

# Exercises named in texts before their entries existed; all of them are entries now.
NOT_YET_ENTRIES: tuple[str, ...] = ()
# Muscles whose names contain a lift's alias ("tibialis" names the tibialis raise).
MUSCLES = ("tibialis posterior", "tibialis anterior")


@pytest.fixture(scope="module")
def rules() -> CoachingRules:
    return load_rules()


def _texts(store: ContentStore) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of content a runner can read."""
    for entry in store.entries.values():
        yield f"{entry.id}/summary", entry.summary
        for topic in TOPICS:
            yield f"{entry.id}/{topic}", entry.topic_text(topic)
    for section in store.overview.sections:
        yield f"overview/{section.title}", section.text
    yield "overview/summary", store.overview.summary


def _numbers(low: str, high: str | None) -> tuple[float, float]:
    return float(low), float(high or low)


_RANGE = r"(\d+(?:\.\d+)?)(?:\s*-\s*(\d+(?:\.\d+)?))?"
_SETS_OF_REPS = re.compile(rf"{_RANGE}\s+sets\s+of\s+{_RANGE}", re.IGNORECASE)
_SETS_X_REPS = re.compile(rf"\b{_RANGE}\s*x\s*{_RANGE}\b")


def test_every_sets_and_reps_prescription_fits_a_goal_of_the_rules(
    store: ContentStore, rules: CoachingRules
) -> None:
    """A prescription ("3 sets of 20", "3-4 x 4-6") sits inside the sets and reps of a goal."""
    bad = []
    for where, text in _texts(store):
        for pattern in (_SETS_OF_REPS, _SETS_X_REPS):
            for match in pattern.finditer(text):
                sets = _numbers(match.group(1), match.group(2))
                reps = _numbers(match.group(3), match.group(4))
                fits = any(
                    g.sets.low <= sets[0] <= sets[1] <= g.sets.high
                    and g.reps.low <= reps[0] <= reps[1] <= g.reps.high
                    for g in rules.goals.values()
                )
                if not fits:
                    bad.append(f"{where}: {match.group(0)!r}")
    assert not bad, "\n".join(bad)


_RESERVE = re.compile(
    rf"{_RANGE}\s+(?:good\s+)?reps?\s+(?:in\s+reserve|still\s+in\s+the\s+tank|in\s+the\s+tank"
    r"|short\s+of\s+failure|to\s+spare)",
    re.IGNORECASE,
)


def test_reps_in_reserve_fit_a_goal(store: ContentStore, rules: CoachingRules) -> None:
    fewest = min(g.reserve.low for g in rules.goals.values())
    most = max(g.reserve.high for g in rules.goals.values())
    bad = []
    for where, text in _texts(store):
        for match in _RESERVE.finditer(text):
            low, high = _numbers(match.group(1), match.group(2))
            if not fewest <= low <= high <= most:
                bad.append(f"{where}: {match.group(0)!r}")
    assert not bad, "\n".join(bad)


_ADD_KG = re.compile(rf"\badd(?:ing)?\s+(?:about\s+|just\s+)?{_RANGE}\s*kg", re.IGNORECASE)
_PERCENT_JUMP = re.compile(r"\badd\b[^.\n]*?\d\s*(?:percent|%)", re.IGNORECASE)


def test_weight_jumps_are_the_smallest_jump_of_the_rules(
    store: ContentStore, rules: CoachingRules
) -> None:
    """One rule for adding weight (double progression, then the smallest jump): no text may
    say "add 5-10 kg" or "2-5 percent"."""
    jumps = set(rules.progression.smallest_jump_kg.values())
    bad = []
    for where, text in _texts(store):
        for match in _ADD_KG.finditer(text):
            if set(_numbers(match.group(1), match.group(2))) - jumps:
                bad.append(f"{where}: {match.group(0)!r}")
        bad += [f"{where}: {m.group(0)!r}" for m in _PERCENT_JUMP.finditer(text)]
    assert not bad, "\n".join(bad)


_HOURS = re.compile(r"\b(\d+)\s*(?:or more\s+)?hours?\b", re.IGNORECASE)
_DAY_BEFORE = re.compile(r"the\s+day\s+before", re.IGNORECASE)


def test_timing_around_runs_states_the_rules_spacing(
    store: ContentStore, rules: CoachingRules
) -> None:
    """Hours around runs are the rules' (6 after a hard run, 24 clear before a key run); the
    old "48 hours" and "the day before" rules contradict them and may not come back."""
    allowed = {rules.spacing.hours_after_hard_run, rules.spacing.hours_clear_before_key_run}
    bad = []
    for where, text in _texts(store):
        bad += [f"{where}: {m.group(0)!r}" for m in _HOURS.finditer(text)
                if int(m.group(1)) not in allowed]  # fmt: skip
        bad += [f"{where}: {m.group(0)!r}" for m in _DAY_BEFORE.finditer(text)]
    assert not bad, "\n".join(bad)


_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "a": 1}
_DAYS_BETWEEN = re.compile(
    r"\b(\d|one|two|three|four|a)\s+(?:clear\s+|full\s+|rest\s+)?days?\s+(?:between|apart)",
    re.IGNORECASE,
)


def test_days_between_heavy_hinge_sessions_match_the_rules(
    store: ContentStore, rules: CoachingRules
) -> None:
    """In the deadlift family (and wherever deadlifts are scheduled) the days between sessions
    are the rules' days between heavy hinge days."""
    bad = []
    for where, text in _texts(store):
        hinge = where.split("/")[0] in _hinge_entries(store) or "deadlift" in text.lower()
        for m in _DAYS_BETWEEN.finditer(text):
            days = _WORD_NUMBERS.get(m.group(1).lower()) or int(m.group(1))
            if hinge and days != rules.spacing.days_between_heavy_hinge:
                bad.append(f"{where}: {m.group(0)!r}")
    assert not bad, "\n".join(bad)


def _hinge_entries(store: ContentStore) -> set[str]:
    return {e.id for e in store.entries.values() if store.family_of(e.id) == "deadlift"}


_MINUTES = re.compile(r"(\d+)(?:\s*-\s*(\d+))?[\s-]*minutes?\s+(?:strength\s+)?session", re.I)


def test_session_length_and_size_match_the_rules(store: ContentStore, rules: CoachingRules) -> None:
    """A session is the rules' length, and the sample session lists the rules' number of
    exercises: five exercises of three sets do not fit in thirty minutes."""
    bad = [
        f"{where}: {m.group(0)!r}"
        for where, text in _texts(store)
        for m in _MINUTES.finditer(text)
        if _numbers(m.group(1), m.group(2)) != (rules.session.minutes, rules.session.minutes)
    ]
    assert not bad, "\n".join(bad)
    sample = next(s for s in store.overview.sections if "session" in s.title.lower())
    steps = re.findall(r"^\d+\.\s", sample.text, re.MULTILINE)
    assert rules.session.exercises.low <= len(steps) <= rules.session.exercises.high
    assert f"{rules.session.minutes} minutes" in sample.text


def _exercise_index(store: ContentStore) -> PhraseIndex[tuple[str, str]]:
    """Every name of an exercise: entries (and the sub-variations they describe) first, then
    lifts we lack and lifts others are adding, so the longest name wins as in answering."""
    names: list[tuple[tuple[str, ...], tuple[str, str]]] = []
    for e in store.entries.values():
        names += [(phrase(n), ("entry", e.id)) for n in (e.name, *e.aliases, *e.mentions)]
    for lift in store.uncovered:
        names += [(phrase(n), ("lift", lift.name)) for n in (lift.name, *lift.aliases)]
    names += [(phrase(n), ("muscle", n)) for n in MUSCLES]
    names += [(phrase(n), ("lift", n)) for n in NOT_YET_ENTRIES]
    return PhraseIndex(names)


def test_no_text_recommends_a_lift_the_store_does_not_cover(store: ContentStore) -> None:
    """An exercise a text names is an entry of the store: the runner can ask about it. A lift
    the store declines ("I don't cover the trap bar deadlift") is named nowhere."""
    index = _exercise_index(store)
    bad = [
        f"{where}: {value[1]}"
        for where, text in _texts(store)
        for _, _, value in index.scan(stems(text))
        if value[0] == "lift"
    ]
    assert not bad, "\n".join(bad)


def test_aliases_name_one_exercise(store: ContentStore) -> None:
    """No alias of an entry is the name of a different exercise (a split squat is not a
    Bulgarian split squat, nor a single-leg squat)."""
    others = {phrase(n) for n in NOT_YET_ENTRIES}
    others |= {phrase(n) for lift in store.uncovered for n in (lift.name, *lift.aliases)}
    for entry in store.entries.values():
        for alias in entry.aliases:
            assert phrase(alias) not in others, (entry.id, alias)
        assert "single-leg squat" not in entry.summary.lower(), entry.id


def test_the_rules_file_is_what_the_plan_reads(rules: CoachingRules) -> None:
    """The season plan reads these fields; renaming one breaks it."""
    assert rules.spacing.days_between_heavy_hinge >= 1
    assert rules.season.sessions_per_week
    assert set(rules.goals) >= {"technique", "strength", "power"}
    assert rules.plyometrics.contacts_per_session.low > 0
    assert rules.progression.smallest_jump_kg


def test_hops_follow_the_rules_plyometric_progression(
    store: ContentStore, rules: CoachingRules
) -> None:
    """Hops and jumps come with a readiness test, a contact count and a weekly dose."""
    hops = next(s.text for s in store.overview.sections if s.title == "Hops and jumps")
    test, contacts = (
        rules.plyometrics.entry_test_single_leg_calf_raises,
        rules.plyometrics.contacts_per_session,
    )
    assert f"{test.low}-{test.high} single-leg calf raises" in hops
    assert f"{contacts.low}-{contacts.high} foot contacts" in hops
    weekly = rules.plyometrics.sessions_per_week
    words = {1: "once", 2: "twice", 3: "three times"}
    assert f"{words[weekly.low]} or {words[weekly.high]} a week" in hops


def test_every_entry_sends_pain_to_the_one_place_for_it(store: ContentStore) -> None:
    """Red flags live in the overview's pain section; every entry's mistakes point there
    instead of telling a runner to wait a few days."""
    titles = [s.title for s in store.overview.sections]
    assert "Pain and injuries" in titles
    for entry in store.entries.values():
        mistakes = entry.topic_text("mistakes")
        assert "ask me about pain" in mistakes, entry.id
        assert "more than a few days" not in mistakes, entry.id


def test_every_deadlift_asks_about_back_pain_and_sciatica_first(store: ContentStore) -> None:
    for entry_id in _hinge_entries(store):
        first = store.entries[entry_id].topic_text("programming").splitlines()[0].lower()
        assert "sciatica" in first, entry_id
        assert "assessed" in first, entry_id


def test_dropping_the_heel_below_a_step_warns_about_insertional_achilles_pain(
    store: ContentStore,
) -> None:
    """Heels below a step aggravate pain where the Achilles meets the heel bone."""
    for entry in store.entries.values():
        for topic in TOPICS:
            for line in entry.topic_text(topic).splitlines():
                if re.search(
                    r"drops? below|below (?:the )?(?:level|step)|range at the bottom", line
                ):
                    assert "heel bone" in line or "meets the heel" in line, (entry.id, line)


_COUNTS = {0: "none", 1: "one", 2: "two", 3: "three", 4: "four"}
_ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}


def test_the_season_advice_states_the_rules_season(
    store: ContentStore, rules: CoachingRules
) -> None:
    """Sessions a week in each phase, the taper, the easier weeks and the return after a gap."""
    season = rules.season
    text = next(s.text for s in store.overview.sections if s.title == "How often")
    base, build = season.sessions_per_week["base"], season.sessions_per_week["build"]
    taper, race = season.sessions_per_week["taper"], season.sessions_per_week["race"]
    recovery = season.sessions_per_week["recovery"]
    assert f"{_COUNTS[base.low]} or {_COUNTS[base.high]} sessions a week" in text
    assert f"keep {_COUNTS[build.high]} sessions" in text
    assert f"last {_COUNTS[season.taper_weeks]} weeks" in text
    assert f"{_COUNTS[taper.low]} or {_COUNTS[taper.high]} short sessions" in text
    assert f"{_COUNTS[race.high]} light session or {_COUNTS[race.low]}" in text
    assert f"{_COUNTS[recovery.low]} or {_COUNTS[recovery.high]} easy session" in text
    assert season.taper_volume_max <= 0.6  # "about half your usual sets or fewer"
    assert f"every {_ORDINALS[season.deload_every_weeks]} week" in text.lower()
    assert f"more than {_COUNTS[season.return_after_gap_days // 7]} weeks off" in text
