"""Load and validate the content store. Any problem names the file and the field."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.content.store import ContentStore, Entry, Lift, Overview
from bot.core.content.text import phrase

if TYPE_CHECKING:  # the schema (pydantic) and PyYAML are imported by the first load
    from pydantic import ValidationError

    from bot.core.content.model import EntrySpec

# The store must cover these, in this order of families (the /exercises browser follows it).
REQUIRED_FAMILIES: dict[str, tuple[str, ...]] = {
    "squat": (
        "goblet-squat",
        "bulgarian-split-squat",
        "back-squat",
        "front-squat",
        "split-squat",
        "wall-sit",
        "single-leg-squat",
    ),
    "lunge": ("forward-lunge", "reverse-lunge", "side-lunge", "walking-lunge", "step-up"),
    "glute-bridge": ("single-leg-glute-bridge", "hip-thrust"),
    "calf-raise": ("single-leg-calf-raise", "weighted-calf-raise", "bent-knee-calf-raise"),
    "deadlift": (
        "conventional-deadlift",
        "sumo-deadlift",
        "romanian-deadlift",
        "single-leg-romanian-deadlift",
    ),
    "hamstring-curl": ("nordic-hamstring-curl",),
    "tibialis-raise": (),
    "clamshell": ("lateral-band-walk", "copenhagen-plank"),
    "pogo-hops": ("box-jump", "bounding", "jump-squat"),
}

# The coaching numbers (bot/core/coaching) live beside the content but are not content.
RULES_FILE = "rules.yaml"
DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[3] / "data"


class ContentError(Exception):
    """The content store is broken. The message names the file and the field."""


def _read_yaml(path: Path) -> Any:
    import yaml

    # libyaml's C loader is several times faster; PyYAML wheels ship it.
    loader: type[yaml.CSafeLoader | yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path.name}: cannot be read: {exc}") from exc


def _explain(path: Path, exc: ValidationError) -> ContentError:
    problems = []
    for error in exc.errors():
        loc = ".".join(str(part) for part in error["loc"]) or "(top level)"
        problems.append(f"{path.name}: field '{loc}': {error['msg']}")
    return ContentError("; ".join(problems))


def _entry(spec: EntrySpec, family: str | None, variations: Iterable[str] = ()) -> Entry:
    return Entry(
        id=spec.id,
        name=spec.name,
        aliases=tuple(spec.aliases),
        qualifiers=tuple(spec.qualifiers),
        summary=spec.summary,
        topics=spec.topics.to_topics(),
        see_also=tuple(spec.see_also),
        family=family,
        variations=tuple(variations),
        mentions=tuple(spec.mentions),
        helps_with=tuple(spec.helps_with),
    )


def load_store(content_dir: Path | None = None) -> ContentStore:
    """Read every ``*.yaml`` in ``content_dir`` and check it. Raises ContentError.

    Validated on every load (no cache): it costs a few milliseconds, well inside a start-up.
    """
    directory = content_dir or DEFAULT_CONTENT_DIR
    if not directory.is_dir():
        raise ContentError(f"{directory}: content directory not found")
    return _validate(directory)


def _validate(directory: Path) -> ContentStore:
    from pydantic import ValidationError

    from bot.core.content.model import FamilySpec, OverviewSpec, UncoveredSpec

    entries: dict[str, Entry] = {}
    sources: dict[str, str] = {}
    families: list[str] = []
    overview: Overview | None = None
    uncovered: tuple[Lift, ...] = ()

    for path in sorted(directory.glob("*.yaml")):
        if path.name == RULES_FILE:  # the coaching numbers (bot/core/coaching), not content
            continue
        raw = _read_yaml(path)
        if not isinstance(raw, dict):
            raise ContentError(f"{path.name}: field '(top level)': expected a mapping")
        try:
            if raw.get("id") == "overview":
                spec_o = OverviewSpec.model_validate(raw)
                overview = Overview(
                    spec_o.name, spec_o.summary, tuple(x.to_section() for x in spec_o.sections)
                )
                continue
            if raw.get("id") == "uncovered":
                spec_u = UncoveredSpec.model_validate(raw)
                uncovered = tuple(
                    Lift(lift.name, tuple(lift.aliases), tuple(lift.nearest))
                    for lift in spec_u.lifts
                )
                continue
            family = FamilySpec.model_validate(raw)
        except ValidationError as exc:
            raise _explain(path, exc) from exc
        expected_name = f"{family.id}.yaml"
        if path.name != expected_name:
            raise ContentError(
                f"{path.name}: field 'id': family '{family.id}' belongs in {expected_name}"
            )
        specs: list[tuple[EntrySpec, str | None]] = [(family, None)]
        specs += [(v, family.id) for v in family.variations]
        for spec, parent in specs:
            if spec.id in entries:
                raise ContentError(f"{path.name}: field 'id': duplicate id '{spec.id}'")
            variation_ids = [v.id for v in family.variations] if parent is None else []
            entries[spec.id] = _entry(spec, parent, variation_ids)
            sources[spec.id] = path.name
        families.append(family.id)

    if overview is None:
        raise ContentError(f"{directory}: overview.yaml is missing")
    _check_coverage(entries)
    _check_references(entries, sources)
    _check_uncovered(uncovered, entries)
    _check_aliases(entries, sources, uncovered)
    _check_qualifiers(entries, sources)
    ordered = tuple(f for f in REQUIRED_FAMILIES if f in families)
    ordered += tuple(f for f in families if f not in REQUIRED_FAMILIES)
    return ContentStore(
        entries=entries,
        families=ordered,
        overview=overview,
        sources=sources,
        uncovered=uncovered,
    )


def _check_coverage(entries: dict[str, Entry]) -> None:
    for family, variations in REQUIRED_FAMILIES.items():
        if family not in entries:
            raise ContentError(f"{family}.yaml: field 'id': required family '{family}' is missing")
        for variation in variations:
            entry = entries.get(variation)
            if entry is None or entry.family != family:
                raise ContentError(
                    f"{family}.yaml: field 'variations': "
                    f"required variation '{variation}' is missing"
                )


def _check_references(entries: dict[str, Entry], sources: dict[str, str]) -> None:
    for entry in entries.values():
        for ref in entry.see_also:
            if ref not in entries:
                raise ContentError(
                    f"{sources[entry.id]}: field '{entry.id}.see_also': unknown entry '{ref}'"
                )
            if ref == entry.id:
                raise ContentError(
                    f"{sources[entry.id]}: field '{entry.id}.see_also': "
                    "an entry cannot point to itself"
                )


def _check_uncovered(uncovered: tuple[Lift, ...], entries: dict[str, Entry]) -> None:
    for index, lift in enumerate(uncovered):
        for ref in lift.nearest:
            if ref not in entries:
                raise ContentError(
                    f"uncovered.yaml: field 'lifts.{index}.nearest': unknown entry '{ref}'"
                )


def _check_aliases(
    entries: dict[str, Entry], sources: dict[str, str], uncovered: tuple[Lift, ...] = ()
) -> None:
    """A phrase may name one thing only, or a question could land on the wrong exercise. Phrases
    are compared as matching sees them, after stemming: "stationary lunging" is "stationary
    lunge"."""
    owner: dict[tuple[str, ...], str] = {}
    named: list[tuple[str, str, str]] = []  # (phrase, owner, file and field)
    for entry in entries.values():
        where = f"{sources[entry.id]}: field '{entry.id}"
        for text in (entry.name, entry.id.replace("-", " "), *entry.aliases):
            named.append((text, entry.id, f"{where}.aliases'"))
        named += [(text, entry.id, f"{where}.mentions'") for text in entry.mentions]
        named += [(text, entry.id, f"{where}.helps_with'") for text in entry.helps_with]
    for index, lift in enumerate(uncovered):
        where = f"uncovered.yaml: field 'lifts.{index}.aliases'"
        named += [(text, f"uncovered '{lift.name}'", where) for text in (lift.name, *lift.aliases)]
    for text, who, where in named:
        key = phrase(text)
        if not key:
            raise ContentError(f"{where}: empty alias")
        other = owner.setdefault(key, who)
        if other != who:
            raise ContentError(
                f"{where}: '{text}' already names '{other}' "
                f"(both read as '{' '.join(key)}' after stemming)"
            )


def _check_qualifiers(entries: dict[str, Entry], sources: dict[str, str]) -> None:
    """Within a family a qualifier word picks one variation only."""
    owner: dict[tuple[str | None, tuple[str, ...]], str] = {}
    for entry in entries.values():
        for text in entry.qualifiers:
            other = owner.setdefault((entry.family, phrase(text)), entry.id)
            if other != entry.id:
                raise ContentError(
                    f"{sources[entry.id]}: field '{entry.id}.qualifiers': '{text}' already "
                    f"picks '{other}'"
                )
