"""Coaching rules: the numbers the answers and the plan share (data/rules.yaml)."""

from bot.core.coaching.rules import CoachingRules, load_rules

__all__ = ["CoachingRules", "load_rules"]
