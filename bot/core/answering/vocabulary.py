"""Word lists the matcher needs besides the content store: topic cues, overview cues, exercises
we do not cover, and everyday words that must never be "corrected" into an exercise name."""

from __future__ import annotations

from typing import Final

# (phrase, weight). Strong cues name the topic outright; weak ones only lean towards it.
# Matching is greedy longest-first over all topics, so "how often" never also counts as "how".
TOPIC_CUES: Final[dict[str, tuple[tuple[str, int], ...]]] = {
    "how-to": (
        ("how to", 3), ("how do i do", 3), ("how do you do", 3), ("how do i perform", 3),
        ("how should i do", 3), ("how do i", 2), ("how do you", 2), ("how should i", 2),
        ("form", 3), ("technique", 3), ("step by step", 3), ("steps", 3), ("instructions", 3),
        ("teach me", 3), ("show me how", 3), ("perform", 3), ("execute", 3), ("cues", 3),
        ("cue", 3), ("properly", 3), ("correctly", 3), ("right way", 3), ("proper way", 3),
        ("set up", 2), ("setup", 2), ("stance", 2), ("grip", 2), ("breathe", 2), ("breathing", 2),
        ("position", 2), ("how deep", 3), ("how low", 3), ("how wide", 2), ("walk me through", 3),
        ("correct way", 3), ("supposed to be done", 3), ("supposed to", 2), ("meant to", 2),
        ("how far", 2), ("how far apart", 3), ("doing them right", 2), ("doing it right", 2),
        ("do a", 1), ("do one", 1), ("explain", 1), ("guide", 1), ("how", 1), ("tips", 1),
        ("tutorial", 3), ("demo", 2), ("hold the", 1), ("foot placement", 3), ("where should", 1),
    ),
    "muscles": (
        ("muscle", 3), ("muscles", 3), ("muscle group", 3), ("work", 3), ("works", 3),
        ("worked", 3), ("working", 2), ("target", 3), ("targets", 3), ("targeted", 3),
        ("hit", 2), ("hits", 2), ("engage", 2), ("activate", 2), ("body part", 3),
        ("strengthen", 2), ("train", 1), ("build", 1), ("quads", 1), ("hamstrings", 1),
        ("glutes", 1), ("inner thigh", 1), ("what part", 3), ("which part", 3), ("where should i feel", 3),
        ("feel it", 2), ("feel them", 2), ("focus on", 1), ("emphasis", 2), ("emphasize", 2),
    ),
    "benefits": (
        ("benefit", 3), ("benefits", 3), ("why", 2), ("why should", 3), ("why do runners", 3),
        ("good for", 3), ("worth", 3), ("worth it", 3), ("point of", 3), ("whats the point", 3),
        ("help", 2), ("helps", 2), ("help with", 3), ("improve", 2), ("advantage", 3), ("pros", 3),
        ("useful", 3), ("important", 2), ("for runners", 2), ("for running", 2), ("runner", 1),
        ("running", 1), ("faster", 2), ("speed", 1), ("prevent", 2), ("do i need", 2),
        ("should i do", 1), ("should i be doing", 2), ("do for", 3), ("should i bother", 3), ("bother", 2), ("make me", 2), ("reason", 2),
        ("purpose", 3), ("effective", 2), ("what does it do", 3), ("what do they do", 3),
        ("good idea", 2), ("necessary", 2), ("pay off", 2), ("helpful", 3), ("value", 2),
        ("shin splints", 2), ("achilles", 2), ("injury prevention", 3), ("endurance", 1),
        ("running economy", 3), ("efficiency", 1), ("stride", 1), ("power", 1),
    ),
    "mistakes": (
        ("mistake", 3), ("mistakes", 3), ("wrong", 3), ("error", 3), ("errors", 3), ("avoid", 3),
        ("bad form", 3), ("fault", 3), ("faults", 3), ("not to", 2), ("how to fix", 4),
        ("fix", 3), ("roll", 2), ("rolls", 2), ("when i", 1), ("keep coming up", 3),
        ("coming up", 2), ("come up", 2), ("lifting off", 3),
        ("pain", 3), ("hurt", 3), ("hurts", 3), ("painful", 3), ("cave", 3), ("caving", 3),
        ("cave in", 3), ("round", 2), ("rounding", 3), ("rounded", 3), ("injure", 2),
        ("dangerous", 3), ("safe", 2), ("careful", 2), ("watch out", 3), ("problem", 2),
        ("issue", 2), ("ache", 2), ("aches", 2), ("wobble", 2), ("wobbly", 2), ("lose balance", 2),
        ("bad for", 3), ("pitfall", 3), ("pitfalls", 3), ("screw up", 3), ("messing up", 3),
        ("doing it wrong", 3), ("knees cave", 3), ("past my toes", 3), ("over my toes", 3),
        ("lower back", 1), ("back pain", 3), ("knee pain", 3), ("feel it in my back", 3),
        ("what not", 3), ("too far", 2), ("too low", 2), ("not low enough", 3),
        ("heels lift", 2), ("correct my", 2), ("fix my", 3), ("sore", 1), ("strain", 2),
    ),
    "variations": (
        ("variation", 3), ("variations", 3), ("kind", 3), ("kinds", 3), ("type", 3),
        ("types", 3), ("alternative", 3), ("alternatives", 3), ("version", 3), ("versions", 3),
        ("different", 2), ("progression", 2), ("progressions", 2), ("regression", 3),
        ("harder", 3), ("easier", 3), ("other", 1), ("instead", 3), ("instead of", 3),
        ("option", 2), ("options", 2), ("substitute", 3), ("swap", 3), ("replace", 2),
        ("similar", 2), ("vs", 3), ("versus", 3), ("difference", 3), ("compare", 3),
        ("modify", 3), ("modification", 3), ("modifications", 3), ("beginner version", 3),
        ("advanced", 2), ("more challenging", 3), ("make it harder", 3), ("make it easier", 3),
        ("switch up", 3), ("mix up", 3), ("spice up", 3), ("or", 1), ("better", 1), ("which", 1),
        ("no equipment", 2), ("without weights", 2), ("at home", 1), ("change", 1), ("same as", 3),
    ),
    "programming": (
        ("how often", 3), ("how many", 3), ("how much", 3), ("times a week", 3),
        ("times per week", 3), ("per week", 3), ("a week", 3), ("each week", 3),
        ("sets", 3), ("set", 2), ("reps", 3), ("rep", 3), ("repetitions", 3), ("rep range", 3),
        ("frequency", 3), ("frequently", 3), ("schedule", 3), ("routine", 2), ("program", 3),
        ("programming", 3), ("plan", 2), ("every day", 3), ("everyday", 3), ("daily", 3),
        ("each day", 3), ("rest", 2), ("rest day", 3), ("recover", 2), ("recovery", 2),
        ("before a run", 3), ("after a run", 3), ("before running", 3), ("after running", 3),
        ("before or after", 3), ("same day", 3), ("when should", 3), ("how heavy", 3),
        ("heavy", 2), ("heavier", 3), ("weight", 2), ("weights", 1), ("load", 2), ("progress", 3),
        ("progressive overload", 3), ("overload", 3), ("increase", 2), ("add weight", 3),
        ("how long", 3), ("seconds", 2), ("minutes", 2), ("week", 2), ("weekly", 3),
        ("days", 2), ("twice", 3), ("once", 2), ("volume", 3), ("intensity", 2),
        ("race", 1), ("race week", 3), ("taper", 3), ("marathon", 1), ("off season", 3),
        ("easy day", 3), ("hard day", 3), ("long run", 2), ("too much", 2), ("overdo", 2),
        ("sets and reps", 3), ("enough", 2), ("steps each", 2), ("per leg", 2), ("per side", 2),
        ("max", 2), ("pr", 2), ("one rep max", 3), ("1rm", 3), ("bodyweight", 1), ("kg", 3),
        ("lbs", 3), ("pounds", 3), ("kilos", 3), ("beginner", 1), ("start with", 2),
        ("warm up", 2), ("warmup", 2),
    ),
}

# Questions about strength training for runners in general (the overview entry).
OVERVIEW_STRONG: Final[tuple[str, ...]] = (
    "strength training", "strength train", "strength work", "strength exercises", "strength",
    "gym", "lift", "lifting", "lift weights", "weight training", "weights", "resistance training",
    "leg day", "lower body", "leg exercises", "leg workout", "leg strength", "stronger legs",
    "strong legs", "cross training", "cross train", "strength routine", "strength session",
    "get stronger", "stronger runner", "what exercises", "which exercises", "best exercises",
    "exercises for runners", "exercises should runners", "exercises should i", "legs stronger",
)
# Weaker hints: count only with a runner in the sentence too ("exercises" + "runner").
OVERVIEW_WEAK: Final[tuple[str, ...]] = ("exercise", "exercises", "workout", "workouts", "injury", "injuries", "faster", "consistency",
                                         "consistent", "patience", "patient", "progress", "muscles",
                                         "legs")
RUNNER_WORDS: Final[tuple[str, ...]] = ("runner", "runners", "running", "run", "runs", "marathon",
                                        "half marathon", "5k", "10k", "jogging", "jog", "trail")

GREETINGS: Final[tuple[str, ...]] = (
    "hi", "hello", "hey", "hiya", "yo", "good morning", "good evening", "start", "help",
    "what can you do", "who are you", "what do you do", "menu", "thanks", "thank you", "thank",
    "cheers", "ok", "okay", "cool", "nice", "great",
)

# Exercises and topics Legwork does not cover. Naming one of them (and none of ours) is a polite
# decline, never an answer about a look-alike exercise.
NOT_COVERED: Final[tuple[str, ...]] = (
    "bench press", "bench", "push up", "pushup", "press up", "pull up", "pullup", "chin up",
    "chinup", "plank", "planks", "crunch", "crunches", "sit up", "situp", "burpee", "burpees",
    "leg press", "leg curl", "leg extension", "hamstring curl", "hip thrust", "hip thrusts",
    "step up", "stepup", "box jump", "box jumps", "jump rope", "skipping rope", "bicep curl",
    "biceps curl", "curls", "shoulder press", "overhead press", "military press", "row", "rows",
    "lat pulldown", "pulldown", "dip", "dips", "power clean", "clean and jerk", "snatch",
    "kettlebell swing", "good morning exercise", "nordic curl", "nordic curls", "wall sit",
    "mountain climber", "mountain climbers", "jumping jack", "jumping jacks", "yoga", "pilates",
    "stretching", "foam roll", "foam roller", "foam rolling", "swimming", "cycling", "bike",
    "treadmill", "elliptical", "rowing machine", "abs", "core workout", "russian twist",
    "triceps", "tricep", "biceps", "chest", "shoulders", "lats", "arms", "weather", "joke",
    "recipe", "diet", "nutrition", "protein", "carbs", "calories", "shoes", "sneakers",
    "marathon pace", "pace", "playlist", "music", "sleep", "hydration", "stocks", "bitcoin",
    "football", "soccer", "tennis", "golf", "news", "movie", "capital of", "poem",
    "box squat jump", "hip abduction", "adductor machine", "clamshell", "clamshells",
    "monster walk", "fire hydrant", "donkey kick", "superman", "bird dog", "dead bug",
    "hollow hold", "side plank", "copenhagen", "tibialis raise", "tib raise", "tibialis",
    "hang clean", "thruster", "thrusters", "wall ball", "sled push", "farmer carry",
    "farmers walk", "zumba", "crossfit", "stretch",
)

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
    """.split()
)
