"""Training reminders: the plan and schedule services (no Telegram) and the dispatcher."""
