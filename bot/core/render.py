"""Render answers as Telegram HTML, split to fit one message. No Telegram imports.

Every piece of dynamic text goes through ``html.escape``; only our own tags are added, so the
Bot API can always parse what we send.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from bot.core.answering import Answer

MAX_MESSAGE = 4096  # Telegram counts UTF-16 code units of the visible text
_NUMBERED = re.compile(r"^(\d+)\.\s")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def _line_html(line: str) -> str:
    # Bold step numbers and "Form cues:"-style lead-ins make steps scannable on a phone.
    match = _NUMBERED.match(line)
    if match:
        return f"<b>{match.group(1)}.</b> {escape(line[match.end() :])}"
    head, sep, rest = line.partition(":")
    if sep and 2 <= len(head) <= 30 and not rest.strip() and "\n" not in head:
        return f"<b>{escape(head)}:</b>"
    return escape(line)


def body_html(text: str) -> str:
    return "\n".join(_line_html(line) for line in text.split("\n"))


def _render_pieces(paragraph: str, limit: int) -> list[str]:
    """Render one paragraph, halving it at a line break or space until each piece fits."""
    rendered = body_html(paragraph)
    if utf16_len(rendered) <= limit:
        return [rendered]
    middle = len(paragraph) // 2
    cut = paragraph.rfind("\n", 0, middle)
    if cut <= 0:
        cut = paragraph.rfind(" ", 0, middle)
    if cut <= 0:
        cut = middle
    head, tail = paragraph[:cut].rstrip(), paragraph[cut:].lstrip()
    if not head or not tail:  # a single unbreakable run: cut it hard
        head, tail = paragraph[:middle], paragraph[middle:]
    return _render_pieces(head, limit) + _render_pieces(tail, limit)


def answer_html(answer: Answer, limit: int = MAX_MESSAGE) -> list[str]:
    """One or more HTML messages, each within ``limit`` UTF-16 units of HTML source (the visible
    text Telegram counts is shorter still). Tags never straddle two messages: every piece is
    rendered from plain text on its own, and pieces are joined only whole."""
    return list(_answer_html(answer.title, answer.body, limit))


# Most answers are the content store's fixed texts, asked again and again: render each once.
@lru_cache(maxsize=1024)
def _answer_html(title: str | None, body: str, limit: int) -> tuple[str, ...]:
    pieces = [f"<b>{escape(title)}</b>"] if title else []
    for paragraph in body.split("\n\n"):
        pieces.extend(_render_pieces(paragraph, limit))
    messages: list[str] = []
    for piece in pieces:
        if messages and utf16_len(messages[-1]) + 2 + utf16_len(piece) <= limit:
            messages[-1] = f"{messages[-1]}\n\n{piece}"
        else:
            messages.append(piece)
    return tuple(messages)
