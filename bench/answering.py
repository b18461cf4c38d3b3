"""Answer quality and speed: accuracy per question set, then latency per question after load.

    .venv/bin/python -m bench.answering

Targets (issues 2 and 8): p99 <= 1 ms per answer after load; >= 97% right exercise and topic on
every set; the conversations (tests/data/conversations.yaml) are scored on their second message.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

from bot.core.answering import Answerer
from bot.core.content import load_store

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "tests/data/questions.yaml": "tuned on",
    "tests/data/questions_holdout.yaml": "held out, then tuned on",
    "tests/data/questions_variations.yaml": "issue 8, written before tuning",
    "tests/data/questions_new_entries.yaml": "issue 16, the new entries, written before them",
    "bench/questions_blind.yaml": "blind: never used for tuning",
}


def main() -> int:
    answerer = Answerer(load_store(ROOT / "data"))
    questions: list[str] = []
    print("Accuracy (exercise and topic both right):")
    for name, role in SETS.items():
        path = ROOT / name
        if not path.exists():
            print(f"  {name}: missing")
            continue
        cases = yaml.safe_load(path.read_text())
        right = 0
        for case in cases:
            answer = answerer.answer(case["q"])
            ok = (answer.exercise, answer.topic) == (case["exercise"], case["topic"])
            right += ok
            if not ok and "-v" in sys.argv:
                print(
                    f"    miss: {case['q']!r} want {case['exercise']}/{case['topic']}"
                    f" got {answer.exercise}/{answer.topic}"
                )
            questions.append(case["q"])
        print(f"  {name:38} {right}/{len(cases)} = {right / len(cases):.1%}  ({role})")

    conversations = yaml.safe_load((ROOT / "tests/data/conversations.yaml").read_text())
    right = 0
    for case in conversations:
        first = answerer.answer(case["first"])
        then = answerer.answer(case["then"], previous=first.exercise)
        expect = case["expect"]
        ok = (then.exercise, then.topic) == (expect["exercise"], expect["topic"])
        ok = ok and expect.get("says", "") in then.text
        ok = ok and not (expect.get("not") and expect["not"] in then.text)
        right += ok
        if not ok and "-v" in sys.argv:
            print(f"    miss: {case['first']!r} -> {case['then']!r}")
        questions += [case["first"], case["then"]]
    name = "tests/data/conversations.yaml"
    print(
        f"  {name:38} {right}/{len(conversations)} = {right / len(conversations):.1%}  "
        "(two-message exchanges, issue 8, written before tuning)"
    )

    for question in questions:  # warm-up: first calls fill caches
        answerer.answer(question)
    timings = []
    for _ in range(20):
        for question in questions:
            start = time.perf_counter_ns()
            answerer.answer(question)
            timings.append((time.perf_counter_ns() - start) / 1e6)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99)]
    print(
        f"Latency over {len(timings)} answers: p50 {p50:.3f} ms, p99 {p99:.3f} ms, "
        f"max {timings[-1]:.3f} ms (target p99 <= 1 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
