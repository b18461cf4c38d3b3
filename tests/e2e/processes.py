"""Real processes for end-to-end tests: ``python -m bot`` and a standalone emulator."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_bot(
    token: str, base_url: str, data_dir: Path, log: Path, **env: str
) -> asyncio.subprocess.Process:
    """The bot as deployed, its log (stderr) appended to ``log``."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_", "INBOX_", "SEND_"))
    }
    environment.update(
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_API_BASE_URL=base_url,
        DATA_DIR=str(data_dir),
        LOG_LEVEL="INFO",
        **env,
    )
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=ROOT,
            env=environment,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
        )


async def start_emulator(token: str, port: int, log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.emulator",
            "--port",
            str(port),
            "--token",
            token,
            "--log-level",
            "WARNING",
            cwd=ROOT,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
        )


async def terminate(process: asyncio.subprocess.Process, timeout: float = 30) -> int:  # noqa: ASYNC109
    """SIGTERM and wait; the exit code."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), timeout=timeout)
