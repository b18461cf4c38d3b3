"""The answers the answerer composes once it knows what was asked: an entry's topic or summary,
the overview, the welcome, declines, and the replies that point to another feature.

Pure text from the content store; kept apart from the answerer, which only decides which of
these a question gets.
"""

from __future__ import annotations

import re

from bot.core.answering.intents import Intent
from bot.core.answering.types import TOPIC_TITLES, Answer
from bot.core.content.store import ContentStore, Entry, Lift, Topic
from bot.core.content.text import phrase, raw_words


class Replies:
    """Answer texts over one content store."""

    def __init__(self, store: ContentStore) -> None:
        self.store = store

    def topic(self, entry: Entry, topic: Topic) -> Answer:
        return Answer(
            exercise=entry.id,
            topic=topic,
            title=f"{entry.name}: {TOPIC_TITLES[topic]}",
            body=entry.topic_text(topic),
        )

    def summary(self, entry: Entry) -> Answer:
        lines = [entry.summary]
        if entry.variations:
            names = ", ".join(self.store.entries[v].name for v in entry.variations)
            lines.append(f"Variations I know: {names}.")
        lines.append(
            "Ask me how to do it, the muscles it works, why runners need it, common mistakes, "
            "variations, or sets and reps."
        )
        return Answer(entry.id, None, entry.name, "\n\n".join(lines))

    def overview(self, section: int | None = None) -> Answer:
        """The overview's summary and one section (the first two when none is asked for): the
        whole overview would be several screens on a phone; buttons offer the rest."""
        o = self.store.overview
        count = len(o.sections)
        shown = (section,) if section is not None and 0 <= section < count else (0, 1)[:count]
        parts = [o.summary] + [f"{o.sections[i].title}\n{o.sections[i].text}" for i in shown]
        return Answer(None, "overview", o.name, "\n\n".join(parts), sections=shown)

    def welcome(self) -> Answer:
        body = (
            "I coach runners through lower-body strength training. Ask me about "
            f"{self._known_list()}: how to do them, the muscles they work, why they help your "
            "running, common mistakes, variations, and sets and reps.\n\n"
            "Try: how do I do a glute bridge?"
        )
        return Answer(None, None, None, body)

    def decline(self, what: str | None) -> Answer:
        subject = f"{what}" if what else "that"
        body = (
            f"Sorry, I can't help with {subject}. I only know lower-body strength training for "
            f"runners: {self._known_list()}, and why runners should do them.\n\n"
            "Try: how do I do a glute bridge? or: how often should I deadlift?"
        )
        return Answer(None, None, None, body, moved_on=what is not None)

    def decline_lift(self, lift: Lift, what: str) -> Answer:
        """A lift we lack, named as the runner wrote it, with the nearest ones we cover."""
        if not lift.nearest:
            return self.decline(what)
        names = [_in_sentence(self.store.entries[i].name) for i in lift.nearest]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        body = (
            f"I don't cover {what} yet, so I won't guess at it. The closest I do cover: "
            f"{listed}. Tap one below to see how it is done."
        )
        return Answer(None, None, None, body, suggestions=lift.nearest, moved_on=True)

    def feature(self, intent: Intent) -> Answer:
        return Answer(None, None, None, _FEATURE_REPLIES[intent], intent=intent)

    def _known_list(self) -> str:
        return ", ".join(self.store.entries[f].name.lower() + "s" for f in self.store.families)


_FEATURE_REPLIES: dict[Intent, str] = {
    "reminder": (
        "Reminders have their own set-up, so I haven't read that as a question.\n\n"
        "Send /remind with a time to get one on your training days, for example /remind 07:30 "
        "or /remind 18:00 mon wed fri. /remind on its own shows your set-up, /pause takes a "
        "break and /stop ends them."
    ),
    "log": (
        "That looks like a workout report, so I haven't read it as a question.\n\n"
        "Your training log takes reports in your own words, for example: squats 3x12 @ 40kg, "
        "glute bridges 15, 15, 12, or just: done. /history shows what is logged."
    ),
}


def _in_sentence(name: str) -> str:
    """An entry name inside a sentence: "step-up", but "Romanian deadlift" keeps its capital."""
    if name.split()[0] in ("Bulgarian", "Romanian"):
        return name
    return name[0].lower() + name[1:]


def as_written(
    question: str, raw: list[str], origin: list[int], start: int, end: int, lift: Lift
) -> str:
    """The words of tokens[start:end] as the runner typed them, with an article when one is
    needed: "the pistol squat", "pistol squats", "the push-up". A misspelling is named by the
    lift's own name instead."""
    words = raw[origin[start] : origin[end - 1] + 1]
    if phrase(" ".join(words)) not in {phrase(n) for n in (lift.name, *lift.aliases)}:
        text = lift.name
    else:
        pattern = r"[\W_]*".join(re.escape(w) for w in words)
        match = re.search(pattern, question, re.IGNORECASE)
        text = match.group(0) if match and match.group(0).isascii() else " ".join(words)
    last = raw_words(text)[-1] if raw_words(text) else ""
    plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
    if plural or last.endswith("ing"):
        return text
    return f"the {text}"
