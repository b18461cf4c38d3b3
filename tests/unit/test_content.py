"""The content store: the real files validate, and broken ones are refused with a precise error."""

from __future__ import annotations

import shutil
from pathlib import Path

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
    ("lunge", "how-to", ["hip-width", "level with the floor", "ankle"]),
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
    assert len(store.entries) == 15
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
