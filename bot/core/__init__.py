"""The core: content, question answering and text rendering. No Telegram imports live here."""
