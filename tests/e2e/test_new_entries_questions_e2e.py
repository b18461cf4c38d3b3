"""Questions near the new entries' words, asked over HTTP: the answer is about what was asked."""

from __future__ import annotations

from bot.core.answering.red_flags import PAIN_SECTION
from bot.core.content import ContentStore
from bot.emulator import BotApiEmulator
from bot.telegram.app import LegworkApp
from tests.e2e.chat import say


async def test_hurting_your_back_squatting_gets_the_red_flags_then_the_squat(
    emulator: BotApiEmulator, app: LegworkApp, store: ContentStore
) -> None:
    [reply] = await say(emulator, "I hurt my back squatting")
    assert reply.text.startswith(PAIN_SECTION)
    assert "Squat: common mistakes" in reply.text
    assert "Back squat" not in reply.text
    first_mistake = store.entries["squat"].topic_text("mistakes").splitlines()[0]
    assert first_mistake[:40] in reply.text


async def test_running_on_through_itbs_is_declined_and_the_band_walk_still_answers_itbs(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    [declined] = await say(
        emulator,
        "Do those of you who suffer from ITBS continue to run during your recovery? "
        "Can I heal and train at the same time?",
    )
    assert "can't help with injury recovery" in declined.text
    [answer] = await say(emulator, "what can I do about IT band syndrome")
    assert answer.text.startswith("Lateral band walk: why runners should do it")


async def test_the_nordic_curl_named_first_is_the_one_asked_about(
    emulator: BotApiEmulator, app: LegworkApp
) -> None:
    [reply] = await say(
        emulator,
        "Nordic hamstring curl. Saw a video of the hamstring curl. "
        "For us who want to avoid hamstring injuries, how would you introduce it?",
    )
    assert reply.text.startswith("Nordic hamstring curl: sets, reps and how often")
