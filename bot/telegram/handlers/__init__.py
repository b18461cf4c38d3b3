"""Telegram glue: thin handlers that call the core and render its answers."""
