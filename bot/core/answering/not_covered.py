"""Subjects Legwork declines: activities, body parts and topics it does not cover, and the
phrases that mention one without being about it.

Apart from the matcher's other word lists (vocabulary.py, which re-exports these) because they
decide what is declined, not what is asked.
"""

from __future__ import annotations

from typing import Final

# Activities and body parts Legwork does not cover, and how a decline names them ("Sorry, I can't
# help with yoga"). Lifts we lack are in the content store (data/uncovered.yaml), declined by name
# with the nearest entries we do cover.
NOT_COVERED: Final[dict[str, str]] = {
    "yoga": "yoga",
    "pilates": "pilates",
    "stretching": "stretching",
    "foam roll": "foam rolling",
    "foam roller": "foam rolling",
    "swimming": "swimming",
    "cycling": "cycling",
    "bike": "cycling",
    "spin class": "cycling",
    "treadmill": "treadmill running",
    "elliptical": "the elliptical",
    "rowing machine": "the rowing machine",
    "abs": "abs",
    "core workout": "core workouts",
    "six pack": "abs",
    "triceps": "arms",
    "biceps": "arms",
    "arms": "arms",
    "chest": "chest training",
    "shoulders": "shoulders",
    "lats": "back training",
    "jump rope": "skipping rope",
    "skipping rope": "skipping rope",
    "zumba": "zumba",
    "crossfit": "crossfit",
    # Running itself and the body around it: what runners ask next to their strength questions.
    "shoes": "running shoes",
    "running shoes": "running shoes",
    "upper body": "upper-body training",
    "core work": "core training",
    "core exercises": "core training",
    "heart rate": "heart-rate training",
    "vo2max": "heart-rate training",
    "cadence": "running form",
    "side stitch": "side stitches",
    "eat": "nutrition",
    "fuel": "fuelling",
    "lose weight": "weight loss",
    "weight loss": "weight loss",
    "creatine": "supplements",
    "training plan": "running plans",
    "marathon plan": "running plans",
    "running only": "running plans",
    "realistic goal": "race goals",
    "breathe when running": "breathing",
    "make it worse": "injury recovery",
    "what pace": "pacing",
    "cramping": "cramps",
    "recovery advice": "injury recovery",
    "injury worse": "injury recovery",
    "stop running": "injury recovery",
    "run at all": "injury recovery",
    # Running on through an injury is the physio's call, whatever exercise helps with it.
    **{f"run during {whose}recovery": "injury recovery" for whose in ("", "my ", "your ")},
    "heal and train": "injury recovery",
    "ankles roll": "ankle sprains",
    "swelled": "injuries",
    "swollen": "injuries",
    "run again": "coming back from an injury",
    "race again": "coming back from an injury",
}

# Subjects above that an exercise itself can bring on ("my hamstrings cramp during bridges"): a
# question about them next to that exercise is about its mistakes, not declined.
SYMPTOMS: Final[frozenset[str]] = frozenset(("cramps",))

# Subjects above that in a message's context only set the scene: "my half marathon plan says
# cross training on Wednesdays. Can I do a leg session there?" asks about strength work.
SCENERY: Final[frozenset[str]] = frozenset(("running plans", "race goals", "pacing"))

# Phrases that mention something we do not cover without being about it: "...on my yoga mat".
NEUTRAL: Final[tuple[str, ...]] = ("yoga mat", "exercise mat", "gym mat", "mat")

# Subjects that are not exercises at all: declined without naming them back.
OFF_TOPIC: Final[tuple[str, ...]] = (
    *"""weather joke recipe diet nutrition protein carbs calories sneakers
    playlist music sleep hydration stocks bitcoin football soccer tennis golf movie poem
    song story meme""".split(),
    "marathon pace",
    "capital of",
    "race nutrition",
)
