"""The real process, as deployed: ``python -m bot`` with a token, long polling the emulator.
Stopping it (SIGTERM) confirms what it handled, so a restart answers nothing twice; the token
never shows up in its logs, even at DEBUG."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.emulator import BotApiEmulator
from tests.conftest import ROOT

TOKEN = "123456:" + "ProcessTestToken" * 3
CHAT = 2002


async def _start_bot(emulator: BotApiEmulator, data_dir: Path) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=emulator.base_url,
        DATA_DIR=str(data_dir),
        LOG_LEVEL="DEBUG",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _stop(process: asyncio.subprocess.Process) -> str:
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    return stderr.decode()


async def test_restart_answers_each_question_once_and_logs_no_token(tmp_path: Path) -> None:
    async with BotApiEmulator(token=TOKEN) as emulator:
        bot = await _start_bot(emulator, tmp_path)
        emulator.user_sends("how do I do a glute bridge", chat_id=CHAT)
        await emulator.wait_for_messages(1, chat_id=CHAT, timeout=30)
        logs = await _stop(bot)
        assert emulator.pending_updates() == 0  # the handled update was confirmed on shutdown

        # A question sent while the bot is down is answered after the restart, once.
        emulator.user_sends("what do lunges work?", chat_id=CHAT)
        bot = await _start_bot(emulator, tmp_path)
        replies = await emulator.wait_for_messages(2, chat_id=CHAT, timeout=30)
        await emulator.wait_until_idle(timeout=10)
        logs += await _stop(bot)

        assert [m.text.split("\n")[0] for m in emulator.messages(CHAT)] == [
            "Glute bridge: how to do it",
            "Lunge: muscles worked",
        ]
        assert replies[1].text.startswith("Lunge")
        assert emulator.rejected == []
    assert "getUpdates" in logs  # DEBUG logging was on, request URLs included
    assert TOKEN not in logs
    assert TOKEN.split(":")[1] not in logs
