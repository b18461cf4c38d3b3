"""Red flags before exercises: a message that mentions pain or an injury gets, before anything
else, the signs that need a professional now, then what is safe to do meanwhile.

The words live in one place, the overview's "Pain and injuries" section (data/overview.yaml):
its text up to the "Meanwhile" line is the warning, shown whole; after it, lines labelled with a
body part ("- Knee: ...") are shown for the parts the message names (all of them when it names
none), and unlabelled lines always. Prevention questions ("do calf raises prevent shin
splints?") and "pain-free" are not pain reports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.answering.types import Answer, PhraseIndex
from bot.core.content.store import ContentStore
from bot.core.content.text import phrase, stems

PAIN_SECTION = "Pain and injuries"
_MEANWHILE = "Meanwhile"

# Body parts, by the label their line carries in the pain section.
_AREAS: dict[str, tuple[str, ...]] = {
    "shins": ("shin", "shins", "shin splints", "shinbone", "tibia"),
    "achilles or calf": ("achilles", "calf", "calves", "heel", "heels"),
    "knee": ("knee", "knees", "kneecap", "patella", "patellar", "it band", "itb"),
    "back": ("back", "lower back", "spine", "disc", "sciatica", "sciatic"),
    "hamstring or hip": ("hamstring", "hamstrings", "hip", "hips", "groin", "glute", "glutes"),
}
# Words that report pain or an injury on their own.
_PAIN = (
    "pain", "painful", "hurt", "hurts", "hurting", "ache", "aches", "aching", "achy",
    "injury", "injuries", "injured", "shin splints", "sciatica", "tendinitis", "tendonitis",
    "tendinopathy", "stress fracture", "fracture", "fractured", "sprain", "sprained", "strained",
    "pulled", "torn", "tear", "popped", "pop", "swollen", "swelling", "numb", "numbness",
    "tingling", "gave way", "gives way", "knee locks", "knee locked", "knee locking",
    "knee keeps locking", "plantar fasciitis", "runners knee",
    "bursitis", "rupture", "ruptured",
)  # fmt: skip
# "Sore" is ordinary muscle soreness unless it is a joint, a bone or a tendon.
_SORE_PARTS = frozenset(
    stem for w in ("knee", "shin", "achilles", "heel", "back", "hip") for stem in phrase(w)
)
# A pain word right after one of these is a question about prevention, not a report.
_NOT_A_REPORT_BEFORE = frozenset(
    stem
    for w in ("prevent", "preventing", "prevention", "avoid", "avoiding", "risk", "protect",
              "protection", "no", "without", "fewer")
    for stem in phrase(w)
)  # fmt: skip
_SORE = phrase("sore")[0]
_NOT_A_REPORT_AFTER = frozenset(
    stem for w in ("free", "prevention", "risk", "proof") for stem in phrase(w)
)


@dataclass(frozen=True, slots=True)
class _Guide:
    warning: str
    meanwhile: str  # the "Meanwhile, ..." lead-in line
    general: tuple[str, ...]
    by_area: dict[str, str]


class RedFlags:
    """Built once from the content store; pure afterwards."""

    def __init__(self, store: ContentStore) -> None:
        section = next((s for s in store.overview.sections if s.title == PAIN_SECTION), None)
        self._section = None if section is None else store.overview.sections.index(section)
        self._guide = None if section is None else _parse(section.text)
        self._pain = PhraseIndex((phrase(p), p) for p in _PAIN)
        self._areas = PhraseIndex(
            (phrase(word), area) for area, words in _AREAS.items() for word in words
        )

    def reported(self, question: str) -> bool:
        """Does the message report pain or an injury (not ask how to prevent one)?"""
        tokens = stems(question)
        for start, end, _ in self._pain.scan(tokens):
            before = tokens[max(0, start - 3) : start]
            after = tokens[end : end + 1]
            if _NOT_A_REPORT_BEFORE.isdisjoint(before) and _NOT_A_REPORT_AFTER.isdisjoint(after):
                return True
        return any(
            token == _SORE and not _SORE_PARTS.isdisjoint(tokens[max(0, i - 3) : i + 4])
            for i, token in enumerate(tokens)
        )

    def text(self, question: str) -> str | None:
        """The red flags and what is safe meanwhile for this message, or None."""
        if self._guide is None or not self.reported(question):
            return None
        guide = self._guide
        named = [area for _, _, area in self._areas.scan(stems(question)) if area in guide.by_area]
        areas = list(dict.fromkeys(named)) or list(guide.by_area)
        lines = [guide.meanwhile, *guide.general[:1]]
        lines += [guide.by_area[area] for area in areas]
        lines += list(guide.general[1:])
        return f"{guide.warning}\n\n" + "\n".join(lines)

    def put_first(self, question: str, answer: Answer) -> Answer:
        """The answer with the red flags before everything else, when the message reports
        pain. Which exercise and topic it is about stays the same (buttons, follow-ups)."""
        if answer.intent is not None or self._section in answer.sections:
            return answer
        flags = self.text(question)
        if flags is None:
            return answer
        declined = answer.exercise is None and answer.topic is None and not answer.suggestions
        if declined and not answer.moved_on:
            return replace(answer, title=PAIN_SECTION, body=f"{flags}\n\n{_BEYOND}")
        rest = f"{answer.title}\n\n{answer.body}" if answer.title else answer.body
        return replace(answer, title=PAIN_SECTION, body=f"{flags}\n\n{rest}")


# What a pain message that asks nothing we cover gets after the flags: an honest limit.
_BEYOND = (
    "Past these signs I can't help with diagnosing or treating an injury: that is a job for a "
    "physiotherapist or doctor. What I cover is lower-body strength training for runners."
)


def _parse(text: str) -> _Guide:
    """Split the pain section into its warning and its "meanwhile" advice."""
    warning, sep, rest = text.partition(f"\n\n{_MEANWHILE}")
    if not sep:
        return _Guide(text, "", (), {})
    lines = f"{_MEANWHILE}{rest}".splitlines()
    general: list[str] = []
    by_area: dict[str, str] = {}
    for line in lines[1:]:
        label = line.removeprefix("- ").partition(":")[0].strip().lower()
        if label in _AREAS:
            by_area[label] = line
        elif line.strip():
            general.append(line)
    return _Guide(warning.strip(), lines[0], tuple(general), by_area)


__all__ = ["PAIN_SECTION", "RedFlags"]
