"""The season end to end (the real Application against the emulator, SQLite and PostgreSQL):
/race, /hardruns, /level, /weekly, /plan and /plan next, and the weekly check-in sent by the
reminder dispatcher in its minute, once, exact through a DST change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.core.clock import FixedClock
from bot.db import schedules, seasons
from bot.emulator import BotApiEmulator
from bot.jobs.checkins import CheckinOptions
from bot.jobs.reminders import DispatcherOptions
from bot.telegram.app import LegworkApp, reminders_of, services_of
from tests.e2e.chat import CHAT, buttons, press, say


async def _season(app: LegworkApp) -> seasons.RunnerSeason | None:
    async with services_of(app).sessions() as db:
        return await seasons.get(db, CHAT)


async def test_race_hard_runs_level_and_the_plan(app: LegworkApp, emulator: BotApiEmulator) -> None:
    await say(emulator, "/timezone Berlin", replies=2)
    await say(emulator, "/remind 18:00 mon wed fri")
    [race] = await say(emulator, "/race 2027-04-18 marathon")
    assert race.text.startswith("Goal race: marathon on Sun 18 Apr 2027.")
    assert "Phase: base (strength), a lighter week. 14 weeks to your marathon." in race.text
    [bad] = await say(emulator, "/race 2026-01-01 5k")
    assert bad.text.startswith("That date has passed")
    [no_distance] = await say(emulator, "/race 2027-05-02")
    assert no_distance.text.startswith("Which distance is it?")
    row = await _season(app)
    assert row is not None
    assert (row.race_date, row.race_distance) == (date(2027, 4, 18), "marathon")  # unchanged

    [week] = await say(emulator, "/plan")
    assert week.text.startswith("This week (Mon 4 Jan to Sun 10 Jan)")
    assert "14 weeks to your marathon" in week.text
    howto = [label for label in buttons(week) if label.startswith("How to: ")]
    assert howto
    assert len(howto) == len(set(howto))  # each exercise once
    [how] = await press(emulator, week, buttons(week)[howto[0]], replies=1)
    assert ": how to do it" in how.text
    [upcoming] = await say(emulator, "/plan next")
    assert upcoming.text.startswith("Next week (Mon 11 Jan to Sun 17 Jan)")
    [odd] = await say(emulator, "/plan later")
    assert odd.text == "Send /plan for this week, or /plan next for next week."

    [hard] = await say(emulator, "/hardruns tue thu")
    assert hard.text.startswith("Hard run days: Tue Thu.")
    assert "⚠️ Monday, Wednesday: the day of or before a key run" in hard.text  # said when set
    [bad_days] = await say(emulator, "/hardruns someday")
    assert "/hardruns tue thu" in bad_days.text
    row = await _season(app)
    assert row is not None
    assert schedules.days_from_mask(row.hard_run_days) == {1, 3}

    [ask] = await say(emulator, "/level")
    assert set(buttons(ask)) == {"New to lifting", "Some experience", "Experienced"}
    [chosen] = await press(emulator, ask, buttons(ask)["Experienced"], replies=1)
    assert chosen.text.startswith("Level: experienced.")
    [typed] = await say(emulator, "/level some experience")
    assert typed.text.startswith("Level: some experience.")
    [wrong] = await say(emulator, "/level wizard")
    assert wrong.text.startswith("Send one of: /level new")
    row = await _season(app)
    assert row is not None
    assert row.level == "some-experience"

    [one_day] = await say(emulator, "/remind 18:00 sat")
    assert one_day.text.startswith("Done.")
    assert "⚠️ The plan asks for at least 2 strength days a week; you gave 1." in one_day.text

    [off] = await say(emulator, "/race off")
    assert off.text.startswith("Goal race cleared")
    [week] = await say(emulator, "/plan")
    assert "No goal race set" in week.text
    assert "weeks to your" not in week.text


async def _ticks(app: LegworkApp, clock: FixedClock, at: datetime) -> None:
    clock.set(at)
    for _ in range(2):
        await reminders_of(app).tick()


def _checkins(emulator: BotApiEmulator) -> list[str]:
    return [m.text for m in emulator.messages(CHAT) if m.text.startswith("Your weekly check-in")]


async def test_the_weekly_check_in_arrives_in_its_minute_once(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    await say(emulator, "/timezone Berlin", replies=2)
    [setting] = await say(emulator, "/weekly")
    assert setting.text.startswith("Weekly check-in: Sundays at 18:00 (Europe/Berlin)")
    # Sunday 10 Jan, 18:00 in Berlin is 17:00 UTC.
    await _ticks(app, clock, datetime(2027, 1, 10, 16, 59, 59, tzinfo=UTC))
    assert _checkins(emulator) == []
    await _ticks(app, clock, datetime(2027, 1, 10, 17, 0, 0, tzinfo=UTC))
    await _ticks(app, clock, datetime(2027, 1, 10, 17, 0, 40, tzinfo=UTC))
    [checkin] = _checkins(emulator)
    assert "Sessions: 0 of" in checkin
    assert "Next week" in checkin
    assert "Phase: base (strength)" in checkin
    row = await _season(app)
    assert row is not None
    assert row.checkin_next_at == datetime(2027, 1, 17, 17, 0, tzinfo=UTC)


async def test_the_check_in_follows_summer_time_and_can_be_moved_or_turned_off(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    clock.set(datetime(2027, 3, 22, 8, 0, tzinfo=UTC))
    await say(emulator, "/timezone Berlin", replies=2)
    [moved] = await say(emulator, "/weekly sun 19:00")
    assert moved.text.startswith("Weekly check-in: Sundays at 19:00 (Europe/Berlin)")
    [bad] = await say(emulator, "/weekly sun 25:00")
    assert "There is no 25:00" in bad.text
    # Berlin moves to summer time on Sunday 28 March: 19:00 there is 17:00 UTC.
    await _ticks(app, clock, datetime(2027, 3, 28, 16, 59, 59, tzinfo=UTC))
    assert _checkins(emulator) == []
    await _ticks(app, clock, datetime(2027, 3, 28, 17, 0, 1, tzinfo=UTC))
    assert len(_checkins(emulator)) == 1
    [off] = await say(emulator, "/weekly off")
    assert off.text.startswith("Weekly check-ins are off.")
    await _ticks(app, clock, datetime(2027, 4, 4, 17, 0, 1, tzinfo=UTC) + timedelta(minutes=1))
    assert len(_checkins(emulator)) == 1


async def test_a_blocked_runner_gets_no_check_ins_until_they_come_back(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    await say(emulator, "/timezone Berlin", replies=2)
    emulator.user_blocks_bot(CHAT)
    await _ticks(app, clock, datetime(2027, 1, 10, 17, 0, 5, tzinfo=UTC))
    assert [r.status for r in emulator.rejected] == [403]
    emulator.rejected.clear()
    row = await _season(app)
    assert row is not None
    assert row.checkin_next_at is None  # no retries at a runner who blocked the bot
    await _ticks(app, clock, datetime(2027, 1, 17, 17, 0, 5, tzinfo=UTC))
    assert emulator.rejected == []
    await say(emulator, "/start")  # writing again unblocks the chat in the emulator too
    row = await _season(app)
    assert row is not None
    assert row.checkin_next_at == datetime(2027, 1, 24, 17, 0, tzinfo=UTC)
    [group_reply] = await say(emulator, "/weekly off", chat=-100555, chat_type="group",
                              user_id=CHAT)  # fmt: skip
    assert group_reply.text.startswith("Let's do that in a private chat with me")
    row = await _season(app)
    assert row is not None
    assert row.checkin_on  # changed nothing


async def test_a_dead_hosts_check_in_is_sent_here_once_its_short_lease_ends(
    app: LegworkApp, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    """Check-ins are claimed as reminders are: a short lease another host waits out, renewed
    while the holder lives (the dispatcher's heartbeat)."""
    lease = CheckinOptions().lease
    beat = timedelta(seconds=DispatcherOptions().heartbeat)
    assert beat < lease <= timedelta(seconds=30)
    await say(emulator, "/timezone Berlin", replies=2)
    await say(emulator, "/weekly")
    due = datetime(2027, 1, 10, 17, 0, tzinfo=UTC)  # Sunday 18:00 in Berlin
    sessions = services_of(app).sessions
    async with sessions.begin() as db:  # a live instance on another host, renewing
        [claim] = await seasons.claim_due_checkins(db, due, "busy-host:9:live1111", lease, 10)
        await seasons.renew_checkin_leases(db, "busy-host:9:live1111", [CHAT], due + beat + lease)
    assert claim.user_id == CHAT
    await _ticks(app, clock, due + lease + beat / 2)  # past the first lease, inside the renewed
    assert _checkins(emulator) == []
    await _ticks(app, clock, due + beat + lease)  # the holder died: its last renewal ran out
    assert len(_checkins(emulator)) == 1
