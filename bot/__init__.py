"""Legwork: a Telegram bot that coaches runners through lower-body strength training."""

import os

# Opt in to PTB's timedelta durations now (RetryAfter.retry_after and friends); without it PTB
# warns with a deprecation notice on every flood-limit reply, which our tests treat as errors.
os.environ.setdefault("PTB_TIMEDELTA", "1")
