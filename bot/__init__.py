"""Legwork: a Telegram bot that coaches runners through lower-body strength training."""
