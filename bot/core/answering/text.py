"""Word normalising for answering. It lives with the content store (``bot.core.content.text``)
because the store checks its aliases with exactly the stems that matching uses."""

from bot.core.content.text import phrase, raw_words, stem, stems

__all__ = ["phrase", "raw_words", "stem", "stems"]
