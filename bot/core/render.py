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


# ---- fitting any HTML we built into messages ------------------------------------------------

# A tag, an entity, a run of spaces, a line break, a word (or a lone "<" / "&" of broken input).
_TOKEN = re.compile(r"<[^<>]*>|&#?\w+;|\n| +|[^<&\s]+|[<&]|\s")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")


def _visible(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^<>]*>", "", html_text))


class _Pieces:
    """Messages being filled token by token, closing the open tags at each cut and opening
    them again in the next message, so every message parses on its own."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.done: list[str] = []
        self.current: list[str] = []
        self.size = 0
        self.open: list[tuple[str, str]] = []  # (name, opening tag) of the tags open here
        self.line_end: tuple[int, list[tuple[str, str]]] | None = None  # last "\n": cut there
        self.list_end: tuple[int, list[tuple[str, str]]] | None = None  # else after a ", "

    def _closing(self, tags: list[tuple[str, str]]) -> str:
        return "".join(f"</{name}>" for name, _ in reversed(tags))

    def _reserve(self) -> int:
        return utf16_len(self._closing(self.open))

    def _cut(self) -> None:
        """End the current message at its last line break if it has one, else here."""
        if self.line_end is not None:
            index, tags = self.line_end
            head, tail = self.current[:index], self.current[index + 1 :]
        elif self.list_end is not None:
            index, tags = self.list_end
            head, tail = self.current[:index], self.current[index:]
        else:
            head, tail, tags = self.current, [], list(self.open)
        self.done.append("".join(head) + self._closing(tags))
        self.current = [opening for _, opening in tags] + tail
        self.size = utf16_len("".join(self.current))
        self.line_end = self.list_end = None

    def add(self, token: str) -> None:
        for unit in self._units(token):
            length = utf16_len(unit)
            while self.current and self.size + length + self._reserve() + 16 > self.limit:
                before = self.size
                self._cut()
                if self.size >= before:  # the cut freed nothing: cut here
                    self.line_end = self.list_end = None
                    self._cut()
                    break
            if unit == "\n":
                self.line_end = (len(self.current), list(self.open))
            elif unit.startswith(" ") and self.current and self.current[-1].endswith(","):
                self.list_end = (len(self.current) + 1, list(self.open))
            self.current.append(unit)
            self.size += length
            self._track(unit)

    def _units(self, token: str) -> list[str]:
        """A word too long for one message is cut in parts (tags and entities never are)."""
        room = max(1, (self.limit - 16) // 4)
        if (token.startswith(("<", "&")) and len(token) > 1) or utf16_len(token) <= room:
            return [token]
        return [token[i : i + room // 2] for i in range(0, len(token), room // 2)]

    def _track(self, unit: str) -> None:
        if not (unit.startswith("<") and unit.endswith(">")) or len(unit) < 3:
            return
        found = _TAG_NAME.match(unit)
        if found is None:
            return
        name = found.group(1).lower()
        if unit.startswith("</"):
            for index in range(len(self.open) - 1, -1, -1):
                if self.open[index][0] == name:
                    del self.open[index:]
                    break
        elif not unit.endswith("/>"):
            self.open.append((name, unit))

    def messages(self) -> list[str]:
        if self.current:
            self.done.append("".join(self.current) + self._closing(self.open))
            self.current = []
        return [m.strip("\n") for m in self.done if _visible(m).strip()]


def fit_html(
    html_text: str, limit: int = MAX_MESSAGE, max_messages: int | None = None
) -> list[str]:
    """Our HTML (balanced tags, escaped text) as messages of at most ``limit`` UTF-16 units of
    source, cut at line breaks where possible, tags closed and reopened across a cut. With
    ``max_messages``, what does not fit in them is left out and counted at the end."""
    pieces = _Pieces(limit)
    for token in _TOKEN.findall(html_text):
        pieces.add(token)
    messages = pieces.messages() or [escape(_visible(html_text)).strip() or "…"]
    if max_messages is None or len(messages) <= max_messages:
        return messages
    left_out = sum(_visible(m).count("\n") + 1 for m in messages[max_messages:])
    kept = messages[:max_messages]
    note = f"\n… and {left_out} more lines I left out (too long for Telegram)."
    last = kept[-1]
    while last and utf16_len(last) + utf16_len(note) > limit:
        last = fit_html(last, limit - utf16_len(note) - 16)[0]
    kept[-1] = last + note
    return kept
