"""The content store: the real files validate, and broken ones are refused with a precise error."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.content import TOPICS, ContentError, ContentStore, load_store
from bot.core.content.loader import REQUIRED_FAMILIES
from tests.conftest import ROOT

ARTICLE_FACTS = [
    # (entry, topic, words that must all appear): facts carried over from the source article.
    ("goblet-squat", "how-to", ["chest"]),
    ("bulgarian-split-squat", "benefits", ["balance"]),
    ("squat", "mistakes", ["inward", "full range"]),
    ("forward-lunge", "muscles", ["quad"]),
    ("reverse-lunge", "muscles", ["hamstring", "glute"]),
    ("side-lunge", "muscles", ["inner", "outer"]),
    ("walking-lunge", "benefits", ["balance", "coordination"]),
    ("lunge", "how-to", ["hip-width", "level with the floor", "toes"]),
    ("glute-bridge", "how-to", ["heels", "shoulders"]),
    ("calf-raise", "benefits", ["shin splints", "achilles"]),
    ("calf-raise", "how-to", ["wall"]),
    ("conventional-deadlift", "how-to", ["shoulder-width"]),
    ("sumo-deadlift", "how-to", ["inside"]),
    ("sumo-deadlift", "benefits", ["hip mobility"]),
    ("deadlift", "programming", ["twice a week"]),
]


def test_every_required_entry_has_six_topics(store: ContentStore) -> None:
    for family, variations in REQUIRED_FAMILIES.items():
        assert store.entries[family].family is None
        for variation in variations:
            assert store.entries[variation].family == family
    assert len(store.entries) == 36
    for entry in store.entries.values():
        assert entry.aliases, entry.id
        for topic in TOPICS:
            assert len(entry.topic_text(topic)) >= 40, (entry.id, topic)


@pytest.mark.parametrize(("entry", "topic", "needles"), ARTICLE_FACTS)
def test_article_facts_are_present(
    store: ContentStore, entry: str, topic: str, needles: list[str]
) -> None:
    text = store.entries[entry].topic_text(topic).lower()  # type: ignore[arg-type]
    for needle in needles:
        assert needle in text, f"{entry}/{topic} lacks {needle!r}"


def test_overview_covers_consistency_and_why(store: ContentStore) -> None:
    text = " ".join(s.text for s in store.overview.sections).lower()
    for needle in ("injur", "consisten", "patien", "squat", "lunge", "deadlift", "calf", "bridge"):
        assert needle in text


def test_no_sentence_copied_from_the_article(store: ContentStore) -> None:
    """No run of eight words from the source article appears in the content."""
    article = (ROOT / "tests" / "data" / "article_ngrams.txt").read_text().split("\n")
    grams = {line for line in article if line}
    content = " ".join(
        (ROOT / "data" / f.name).read_text().lower() for f in (ROOT / "data").iterdir()
    )
    words = [w.strip(".,:;!?()\"'") for w in content.split()]
    ours = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
    assert not grams & ours


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def _edit(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_missing_topic_names_file_and_field(content_copy: Path) -> None:
    _edit(content_copy / "lunge.yaml", lambda d: d["variations"][1]["topics"].pop("mistakes"))
    with pytest.raises(ContentError, match=r"lunge\.yaml: field 'variations\.1\.topics\.mistakes'"):
        load_store(content_copy)


def test_unknown_field_is_refused(content_copy: Path) -> None:
    _edit(content_copy / "squat.yaml", lambda d: d.update(colour="red"))
    with pytest.raises(ContentError, match=r"squat\.yaml: field 'colour'"):
        load_store(content_copy)


def test_alias_naming_two_entries_is_refused(content_copy: Path) -> None:
    _edit(content_copy / "deadlift.yaml", lambda d: d["aliases"].append("hip bridge"))
    with pytest.raises(ContentError, match=r"'hip bridge' already names"):
        load_store(content_copy)


def test_aliases_are_compared_after_stemming(content_copy: Path) -> None:
    """ "stationary lunging" reads as the lunge's "stationary lunge" once stemmed."""
    _edit(content_copy / "squat.yaml", lambda d: d["aliases"].append("stationary lunging"))
    with pytest.raises(
        ContentError,
        match=r"squat\.yaml: field 'squat\.aliases': 'stationary lunging' already names 'lunge' "
        r"\(both read as 'stationary lung' after stemming\)",
    ):
        load_store(content_copy)


def test_a_lift_we_lack_cannot_also_be_an_alias(content_copy: Path) -> None:
    _edit(content_copy / "lunge.yaml", _add_broad_jump)
    with pytest.raises(
        ContentError, match=r"uncovered\.yaml: .*'broad jump' already names 'step-up'"
    ):
        load_store(content_copy)


def _add_broad_jump(data: dict[str, list[dict[str, Any]]]) -> None:
    step_up = next(v for v in data["variations"] if v["id"] == "step-up")
    step_up["aliases"].append("broad jumps")


def test_sub_variation_mentions_and_problems_are_checked_too(content_copy: Path) -> None:
    _edit(content_copy / "glute-bridge.yaml", lambda d: d["helps_with"].append("calf raises"))
    with pytest.raises(ContentError, match=r"glute-bridge\.helps_with'.*already names"):
        load_store(content_copy)


def test_a_qualifier_picks_one_variation_of_a_family(content_copy: Path) -> None:
    def clash(data: dict[str, list[dict[str, Any]]]) -> None:
        data["variations"][1]["qualifiers"].append("single leg")

    _edit(content_copy / "calf-raise.yaml", clash)
    with pytest.raises(ContentError, match=r"'single leg' already picks"):
        load_store(content_copy)


def test_nearest_entries_of_a_lift_we_lack_must_exist(content_copy: Path) -> None:
    _edit(content_copy / "uncovered.yaml", lambda d: d["lifts"][0]["nearest"].append("pistol"))
    with pytest.raises(ContentError, match=r"uncovered\.yaml: field 'lifts\.0\.nearest'"):
        load_store(content_copy)


NEW_ENTRIES = {
    "romanian-deadlift": "deadlift",
    "single-leg-romanian-deadlift": "deadlift",
    "hip-thrust": "glute-bridge",
    "single-leg-glute-bridge": "glute-bridge",
    "bent-knee-calf-raise": "calf-raise",
    "step-up": "lunge",
}


@pytest.mark.parametrize(("entry_id", "family"), NEW_ENTRIES.items())
def test_new_entries_are_complete(store: ContentStore, entry_id: str, family: str) -> None:
    entry = store.entries[entry_id]
    assert entry.family == family
    assert entry_id in store.entries[family].variations
    assert len(entry.aliases) >= 5
    how_to = entry.topic_text("how-to")
    assert "1. " in how_to
    assert "2. " in how_to
    assert "3. " in how_to
    assert "Form cues:" in how_to
    for topic in TOPICS:
        assert len(entry.topic_text(topic)) >= 300, (entry_id, topic)
    assert entry.see_also


def test_every_mistakes_text_says_when_to_stop_and_see_a_physio(store: ContentStore) -> None:
    for entry in store.entries.values():
        mistakes = entry.topic_text("mistakes").lower()
        assert "sharp" in mistakes, entry.id
        assert "physio" in mistakes, entry.id


def test_texts_point_to_buttons_not_to_entries(store: ContentStore) -> None:
    """Links are the buttons under an answer; no text sends the runner to "its own entry"."""
    for entry in store.entries.values():
        for topic in TOPICS:
            text = entry.topic_text(topic).lower()
            assert "entry" not in text, (entry.id, topic)
            assert "entries" not in text, (entry.id, topic)


def test_every_recommended_variation_has_an_entry(store: ContentStore) -> None:
    """The lifts the old texts recommended without explaining them now have entries."""
    recommended = {
        ("deadlift", "romanian-deadlift"),
        ("deadlift", "single-leg-romanian-deadlift"),
        ("glute-bridge", "single-leg-glute-bridge"),
        ("glute-bridge", "hip-thrust"),
        ("calf-raise", "bent-knee-calf-raise"),
        ("lunge", "step-up"),
    }
    for family, variation in recommended:
        assert variation in store.entries[family].variations


def test_missing_required_variation_is_refused(content_copy: Path) -> None:
    _edit(content_copy / "calf-raise.yaml", lambda d: d["variations"].pop())
    with pytest.raises(ContentError, match=r"calf-raise\.yaml: field 'variations'"):
        load_store(content_copy)


def test_dangling_see_also_is_refused(content_copy: Path) -> None:
    _edit(content_copy / "glute-bridge.yaml", lambda d: d["see_also"].append("bench-press"))
    with pytest.raises(ContentError, match=r"glute-bridge\.yaml: field 'glute-bridge\.see_also'"):
        load_store(content_copy)


def test_broken_yaml_names_the_file(content_copy: Path) -> None:
    (content_copy / "squat.yaml").write_text("id: squat\n  bad: [indent\n")
    with pytest.raises(ContentError, match=r"squat\.yaml: not valid YAML"):
        load_store(content_copy)


def test_missing_overview_is_refused(content_copy: Path) -> None:
    (content_copy / "overview.yaml").unlink()
    with pytest.raises(ContentError, match=r"overview\.yaml is missing"):
        load_store(content_copy)


def test_every_load_validates_so_a_changed_file_is_reported_at_once(tmp_path: Path) -> None:
    """No cache of a validated store: the next load after an edit checks the edited file."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "data", content)
    assert load_store(content).entries["squat"].name == "Squat"
    squat = content / "squat.yaml"
    squat.write_text(squat.read_text().replace("  how-to: |", "  how_to_do: |", 1))
    with pytest.raises(ContentError, match=r"squat\.yaml"):
        load_store(content)
