"""Telegram HTML parsing, UTF-16 lengths and the entities Telegram adds to user messages."""

from __future__ import annotations

import pytest

from bot.emulator.formatting import EntityParseError, detect_entities, parse_html, trim, utf16_len


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("é") == 1
    assert utf16_len("😀") == 2
    assert utf16_len("a😀b") == 4


def test_nested_tags_produce_entities_with_utf16_offsets() -> None:
    text, entities = parse_html('😀<b>bold <i>both</i></b> <a href="https://example.org">link</a>')
    assert text == "😀bold both link"
    assert {"type": "bold", "offset": 2, "length": 9} in entities
    assert {"type": "italic", "offset": 7, "length": 4} in entities
    assert {
        "type": "text_link",
        "offset": 12,
        "length": 4,
        "url": "https://example.org",
    } in entities


def test_every_supported_tag_and_entity_reference() -> None:
    html = (
        "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>"
        '<tg-spoiler>h</tg-spoiler><span class="tg-spoiler">i</span><code>j</code>'
        '<pre><code class="language-python">k</code></pre><blockquote>l</blockquote>'
        '<blockquote expandable>m</blockquote><tg-emoji emoji-id="5368324170671202286">n</tg-emoji>'
        " &lt;&gt;&amp;&quot;&#65;&#x42;"
    )
    text, entities = parse_html(html)
    assert text == 'abcdefghijklmn <>&"AB'
    types = [e["type"] for e in entities]
    assert types == [
        "bold", "italic", "underline", "underline", "strikethrough", "strikethrough",
        "strikethrough", "spoiler", "spoiler", "code", "pre", "blockquote",
        "expandable_blockquote", "custom_emoji",
    ]  # fmt: skip
    pre = next(e for e in entities if e["type"] == "pre")
    assert pre["language"] == "python"


def test_tags_are_case_insensitive_and_attributes_may_be_unquoted() -> None:
    text, entities = parse_html("<B>x</B> <a href=example.org>y</a>")
    assert text == "x y"
    assert entities[0]["type"] == "bold"
    assert entities[1]["url"] == "example.org"


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("é<br>", 'Unsupported start tag "br" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</i>", "Unexpected end tag at byte offset 1"),
        ("a <", "Unclosed start tag at byte offset 2"),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("&nope; x", 'Unsupported HTML entity "&nope;" at byte offset 0'),
        ("fish & chips", 'Bare "&" at byte offset 5'),
        ("&amp without semicolon", 'Unsupported HTML entity "&amp" at byte offset 0'),
        ("&#0;", 'Unsupported HTML entity "&#0;" at byte offset 0'),
    ],
)
def test_html_telegram_cannot_parse_is_refused(html: str, message: str) -> None:
    with pytest.raises(EntityParseError) as error:
        parse_html(html)
    assert str(error.value).startswith(message)


def test_a_closing_bracket_and_quotes_need_no_escaping() -> None:
    assert parse_html("5 > 3 \"quoted\" 'single'")[0] == "5 > 3 \"quoted\" 'single'"


def test_links_Telegram_cannot_use_are_dropped_silently() -> None:
    text, entities = parse_html('<a href="not a url">x</a>')
    assert (text, entities) == ("x", [])


def test_trim_strips_whitespace_and_shifts_entities() -> None:
    text, entities = parse_html("\n  <b>hi</b> there \n")
    assert trim(text, entities) == ("hi there", [{"type": "bold", "offset": 0, "length": 2}])


def test_user_messages_get_command_mention_hashtag_and_url_entities() -> None:
    text = "/start@legwork_bot hi @someone #legday https://example.org/x."
    found = {
        (text[e["offset"] : e["offset"] + e["length"]], e["type"]) for e in detect_entities(text)
    }
    assert found == {
        ("/start@legwork_bot", "bot_command"),
        ("@someone", "mention"),
        ("#legday", "hashtag"),
        ("https://example.org/x", "url"),
    }
    assert detect_entities("a/b and 1/2") == []
