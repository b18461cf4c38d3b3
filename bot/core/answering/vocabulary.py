"""Word lists the matcher needs besides the content store: overview cues, runner words,
greetings, problems in runners' words, variation words, and everyday words that must never be
"corrected" into an exercise name.

The topic cues (topic_cues.py) and the subjects we decline (not_covered.py) are sibling modules,
re-exported here so every list stays reachable as ``vocabulary.NAME``.
"""

from __future__ import annotations

from typing import Final

from bot.core.answering.not_covered import NEUTRAL, NOT_COVERED, OFF_TOPIC, SCENERY, SYMPTOMS
from bot.core.answering.topic_cues import TOPIC_CUES

__all__ = [
    "BODY_PART_PHRASES",
    "COMMON_WORDS",
    "GREETINGS",
    "KINDS_OF_TRAINING",
    "NEUTRAL",
    "NOT_COVERED",
    "OFF_TOPIC",
    "OVERVIEW_STRONG",
    "OVERVIEW_WEAK",
    "PROBLEMS",
    "RUNNER_WORDS",
    "SCENERY",
    "STANDALONE_VARIATION_WORDS",
    "SYMPTOMS",
    "TOPIC_CUES",
]

# Questions about strength training for runners in general (the overview entry).
OVERVIEW_STRONG: Final[tuple[str, ...]] = (
    "strength training",
    "strength work",
    "strength exercises",
    "strength",
    "gym",
    "lift",
    "lift weights",
    "weight training",
    "weights",
    "resistance training",
    "leg day",
    "lower body",
    "leg exercises",
    "leg workout",
    "leg strength",
    "stronger legs",
    "strong legs",
    "cross training",
    "strength routine",
    "strength session",
    "get stronger",
    "stronger runner",
    "what exercises",
    "which exercises",
    "best exercises",
    "exercises for runners",
    "exercises should runners",
    "exercises should i",
    "legs stronger",
    "bulk up",
    "bulky",
    "more muscle",
    "slow me down",
    "stronger knees",
    "strengthen my knees",
    "knee strength",
    "hip strength",
    "leg session",
)
# Weaker hints: count only with a runner in the sentence too ("exercises" + "runner").
OVERVIEW_WEAK: Final[tuple[str, ...]] = (
    "exercise",
    "routine",
    "session",
    "beginner",
    "knees",
    "hips",
    "it band",
    "muscular",
    "workout",
    "injury",
    "faster",
    "consistency",
    "consistent",
    "patience",
    "patient",
    "progress",
    "muscles",
    "legs",
)
RUNNER_WORDS: Final[tuple[str, ...]] = (
    "runner",
    "running",
    "distance",
    "ultra",
    "race",
    "marathon",
    "half marathon",
    "5k",
    "10k",
    "jogging",
    "trail",
)

GREETINGS: Final[tuple[str, ...]] = (
    "hi",
    "hello",
    "hey",
    "hiya",
    "yo",
    "good morning",
    "good evening",
    "start",
    "help",
    "what can you do",
    "how are you",
    "who are you",
    "what do you do",
    "menu",
    "thanks",
    "thank you",
    "cheers",
    "ok",
    "okay",
    "cool",
    "nice",
    "great",
)

# Problems in runners' words, beside the ones entries name (``helps_with``): a message naming
# one ("my doctor says my glutes are not strong") asks for that entry.
PROBLEMS: Final[dict[str, str]] = {
    "strengthen my glutes": "glute-bridge",
    "stronger glutes": "glute-bridge",
    "glute strength": "glute-bridge",
    "glutes are not strong": "glute-bridge",
    "glutes are weak": "glute-bridge",
}

# Phrases whose last word is a body part, not the start of a lift's name: "I hurt my back
# squatting" is about the squat (and the pain), not the back squat.
BODY_PART_PHRASES: Final[tuple[str, ...]] = tuple(
    f"{verb} my back"
    for verb in ("hurt", "hurting", "tweaked", "injured", "strained", "pulled", "killing", "in")
)

# Names of a kind of training that an entry's family stands for (the hops). Next to strength
# training in general ("race week off strength training, but my plyometrics?") they ask in general.
KINDS_OF_TRAINING: Final[tuple[str, ...]] = (
    "plyometrics",
    "plyometric",
    "plyos",
    "plyo",
    "plyometric training",
    "jump training",
)

# Qualifiers that name their variation even without the family word ("sumo or conventional?").
# Generic ones ("walking", "weighted", "reverse") do not: "is walking good cross-training".
STANDALONE_VARIATION_WORDS: Final[tuple[str, ...]] = ("sumo", "conventional", "goblet", "bulgarian")

# Everyday words that look like typos of exercise words but are not ("sit" vs "sumo" is far, but
# "raise" vs "raisin" or "lung" vs "lunch" are close). Content words are added at load time.
COMMON_WORDS: Final[frozenset[str]] = frozenset(
    """
    a about above after again against all almost also always am an and any anything are around as
    ask at away back bad be because been before being below best better between big both but by
    can come could day days did do does doing done down during each easy either else enough even
    ever every everything feel few find first for from get give go going good got great had half
    hard has have having he her here high him his how however i if in instead into is it its just
    keep kind know last least leave left less let like little long look lot lots low lunch made
    make many may me might mine more most much must my need never new next no none nor not now of
    off often ok okay old on once one only or other our out over own part people per please put
    quick quite rather really right same say see seem she should show side since so some something
    sometimes soon start still such sure take tell than thank thanks that the their them then
    there these they thing things think this those though through time times to today together too
    try two under until up upon us use used very want was way we week weeks well were what when
    where which while who why will with without would yes yet you your yours
    sit sits sitting stand standing raise raised raisin raising lunch lung lungs dead lift lifts
    bridge bridges squad squash slat slats calf half call called walk walking walked wait waiting
    dealt deal deals single double triple side sides heel heels toe toes floor wall bench chair
    bar barbell dumbbell dumbbells kettlebell plate plates band bands box step steps stairs
    stair hip hips knee knees ankle ankles foot feet leg legs thigh thighs butt glute glutes
    back core chest arm arms shoulder shoulders run runs running runner runners race races marathon
    trail jog jogging sprint sprints hill hills tempo interval intervals mile miles km pace speed
    body muscle muscles weight weights heavy light strong stronger strength power fast faster
    injury injured injuries pain sore tight tired fatigue cramp cramps cramping shin shins splints
    achilles tendon tendonitis plantar knee itb runners hamstring hamstrings quad quads calves
    sumo goblet front rear reverse forward backward lateral walking wide narrow stance grip
    form set sets rep reps gym home week weekly month year beginner advanced old young woman man
    good morning evening night hello hey hi thanks cheers cool nice great love hate easy hard
    gold standard
    """.split()
)
