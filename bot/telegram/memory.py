"""Giving memory back after a heavy one-off job (a /progress chart: thousands of objects and a
3.5 MB pixel buffer).

* A full collection at once: a figure's objects are reference cycles, and left to Python's own
  schedule each chart's garbage waits for the next full collection. Cheap in the bot: start-up's
  objects are frozen (bot/telegram/app.py serve), so a collection walks only what came after.
* ``malloc_trim(0)`` on glibc (Linux, the Docker image): glibc keeps freed memory for reuse, and
  after one chart frees its buffer it raises the size above which it returns memory to the
  system, so RSS would step up by a buffer and creep with fragmentation. Elsewhere a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return None
    return trim


_TRIM = _malloc_trim()


def release_freed_memory() -> None:
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)
