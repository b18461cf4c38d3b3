"""SQLite serves one process per file: a second bot process on the same file stops at once
with one line that says so (exit code 1), and the first one keeps serving."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.emulator import BotApiEmulator
from tests.e2e.chat import say
from tests.e2e.processes import start_bot, terminate


async def test_a_second_process_on_the_same_sqlite_file_says_so_in_one_line(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    first = await start_bot(emulator.token, emulator.base_url, tmp_path, tmp_path / "one.log")
    try:
        await emulator.wait_for(lambda: emulator.waiting_polls > 0, timeout=30)
        second_log = tmp_path / "two.log"
        second = await start_bot(emulator.token, emulator.base_url, tmp_path, second_log)
        assert await asyncio.wait_for(second.wait(), timeout=30) == 1
        lines = [line for line in second_log.read_text().splitlines() if line.strip()]
        [line] = [line for line in lines if line.startswith("legwork:")]
        assert "another Legwork process is already running on the SQLite file" in line
        assert str(tmp_path / "legwork.db") in line
        assert "PostgreSQL" in line
        [reply] = await say(emulator, "what do lunges work")  # the first one still serves
        assert reply.text.startswith("Lunge")
    finally:
        assert await terminate(first) == 0
