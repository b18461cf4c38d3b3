"""Load and validate the content store. Any problem names the file and the field."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.core.content.model import (
    ContentStore,
    Entry,
    EntrySpec,
    FamilySpec,
    Overview,
    OverviewSpec,
    words,
)

# The store must cover these, in this order of families (the /exercises browser follows it).
REQUIRED_FAMILIES: dict[str, tuple[str, ...]] = {
    "squat": ("goblet-squat", "bulgarian-split-squat"),
    "lunge": ("forward-lunge", "reverse-lunge", "side-lunge", "walking-lunge"),
    "glute-bridge": (),
    "calf-raise": ("single-leg-calf-raise", "weighted-calf-raise"),
    "deadlift": ("conventional-deadlift", "sumo-deadlift"),
}

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[3] / "data"

# libyaml's C loader is several times faster; PyYAML wheels ship it.
_Loader: type[yaml.CSafeLoader | yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(Exception):
    """The content store is broken. The message names the file and the field."""


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
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
        topics=spec.topics,
        see_also=tuple(spec.see_also),
        family=family,
        variations=tuple(variations),
    )


def load_store(content_dir: Path | None = None) -> ContentStore:
    """Read every ``*.yaml`` in ``content_dir`` and check it. Raises ContentError."""
    directory = content_dir or DEFAULT_CONTENT_DIR
    if not directory.is_dir():
        raise ContentError(f"{directory}: content directory not found")
    entries: dict[str, Entry] = {}
    sources: dict[str, str] = {}
    families: list[str] = []
    overview: Overview | None = None

    for path in sorted(directory.glob("*.yaml")):
        raw = _read_yaml(path)
        if not isinstance(raw, dict):
            raise ContentError(f"{path.name}: field '(top level)': expected a mapping")
        try:
            if raw.get("id") == "overview":
                spec_o = OverviewSpec.model_validate(raw)
                overview = Overview(spec_o.name, spec_o.summary, tuple(spec_o.sections))
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
    _check_aliases(entries, sources)
    ordered = tuple(f for f in REQUIRED_FAMILIES if f in families)
    ordered += tuple(f for f in families if f not in REQUIRED_FAMILIES)
    return ContentStore(entries=entries, families=ordered, overview=overview, sources=sources)


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


def _check_aliases(entries: dict[str, Entry], sources: dict[str, str]) -> None:
    """An alias may name one entry only, or a question could land on the wrong exercise."""
    owner: dict[str, str] = {}
    for entry in entries.values():
        for phrase in (entry.name, entry.id.replace("-", " "), *entry.aliases):
            key = " ".join(words(phrase))
            if not key:
                raise ContentError(f"{sources[entry.id]}: field '{entry.id}.aliases': empty alias")
            other = owner.setdefault(key, entry.id)
            if other != entry.id:
                raise ContentError(
                    f"{sources[entry.id]}: field '{entry.id}.aliases': '{phrase}' already names "
                    f"'{other}'"
                )
