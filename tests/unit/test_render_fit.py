"""The reply formatter (bot/core/render.fit_html): whatever text a runner's reply is built from,
up to 4,096 characters, every message it makes is valid for the Bot API: within the length,
tags balanced and known, text escaped, never empty, nothing lost or reordered."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.render import MAX_MESSAGE, fit_html, utf16_len

ALLOWED = {"b", "i", "u", "s", "code", "pre", "a"}


class _Checker(HTMLParser):
    """What Telegram's HTML parser refuses: unknown or unbalanced tags, bare < and &."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        assert tag in ALLOWED, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, tag
        assert self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _check(message: str, limit: int) -> str:
    assert utf16_len(message) <= limit
    raw = message.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")
    assert "&" not in raw.replace("&quot;", "").replace("&#x27;", "")  # escaped text only
    checker = _Checker()
    checker.feed(message)
    checker.close()
    assert checker.stack == []
    visible = "".join(checker.text)
    assert visible.strip()
    return visible


def _html_from(text: str, style: int) -> str:
    lines = text.split("\n")
    if style == 0:
        return escape(text, quote=False)
    if style == 1:  # the form of confirmations and history: a bold head per line
        return "\n".join(f"<b>{escape(line[:20], quote=False)}</b>{escape(line[20:], quote=False)}"
                         for line in lines)  # fmt: skip
    return f"<b>{escape(lines[0], quote=False)}</b>\n<i>" + escape(text, quote=False) + "</i>"


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=4096) | st.text(alphabet="ab ,\n&<>é😀", max_size=4096),
    st.integers(0, 2),
    st.sampled_from([MAX_MESSAGE, 300, 64]),
)
def test_every_message_is_valid_for_the_bot_api_and_nothing_is_lost(
    text: str, style: int, limit: int
) -> None:
    html_text = _html_from(text, style)
    messages = fit_html(html_text, limit)
    assert messages
    visible = [_check(m, limit) for m in messages]
    expected = "".join(text.split()) if style == 0 else None
    if expected:  # every non-space character, in order
        assert "".join("".join(v.split()) for v in visible) == expected


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=4096), st.integers(1, 3))
def test_shortened_replies_say_how_much_was_left_out(text: str, parts: int) -> None:
    lines = "\n".join(f"<b>Line {i}:</b> {escape(text[:40], quote=False)}" for i in range(400))
    messages = fit_html(lines, 300, max_messages=parts)
    assert len(messages) <= parts
    for message in messages:
        _check(message, 300)
    assert "more lines I left out" in messages[-1]
