"""The curated content store: schema, loading and validation of ``data/*.yaml``."""

from bot.core.content.loader import ContentError, load_store
from bot.core.content.store import TOPICS, ContentStore, Entry, Overview, Topic

__all__ = ["TOPICS", "ContentError", "ContentStore", "Entry", "Overview", "Topic", "load_store"]
