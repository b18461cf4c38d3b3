"""The coaching rules file (data/rules.yaml), typed. One file of numbers, read by the answers'
consistency checks and by the plan, so they cannot drift apart."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

RULES_FILE = "rules.yaml"
DEFAULT_RULES = Path(__file__).resolve().parents[3] / "data" / RULES_FILE

Goal = Literal["technique", "strength", "power", "accessory", "endurance"]
Phase = Literal["base", "build", "taper", "race", "recovery"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(_Strict):
    low: int
    high: int

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, value: object) -> object:
        if isinstance(value, list | tuple) and len(value) == 2:
            return {"low": value[0], "high": value[1]}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not 0 <= self.low <= self.high:
            raise ValueError(f"range [{self.low}, {self.high}] must be 0 <= low <= high")
        return self


class GoalRule(_Strict):
    sets: Range
    reps: Range
    reserve: Range


class Progression(_Strict):
    top_of_range_sessions: int
    smallest_jump_kg: dict[str, float]


class Spacing(_Strict):
    hours_after_hard_run: int
    hours_clear_before_key_run: int
    days_between_heavy_hinge: int


class Session(_Strict):
    exercises: Range
    minutes: int
    rest_seconds: dict[str, Range]


class Season(_Strict):
    sessions_per_week: dict[Phase, Range]
    build_weeks_before_race: int
    taper_weeks: int
    taper_volume_max: float
    deload_every_weeks: int
    deload_volume: float
    return_after_gap_days: int


class Plyometrics(_Strict):
    entry_test_single_leg_calf_raises: Range
    contacts_per_session: Range
    sessions_per_week: Range


class CoachingRules(_Strict):
    id: Literal["rules"]
    goals: dict[Goal, GoalRule]
    technique_phase_weeks: Range
    progression: Progression
    spacing: Spacing
    session: Session
    season: Season
    plyometrics: Plyometrics


class RulesError(Exception):
    """data/rules.yaml is missing or broken; the message names the field."""


def load_rules(path: Path | None = None) -> CoachingRules:
    """``path``, else data/rules.yaml of this checkout, else ./data/rules.yaml (an installed
    package, as in the Docker image, has no checkout around it: the content's own rule)."""
    installed = Path.cwd() / "data" / RULES_FILE
    source = path or (
        installed if not DEFAULT_RULES.is_file() and installed.is_file() else DEFAULT_RULES
    )
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
        return CoachingRules.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"{source.name}: cannot be read: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RulesError(f"{source.name}: field '{where}': {first['msg']}") from exc
