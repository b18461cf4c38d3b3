"""Telegram text formatting: HTML entity parsing, UTF-16 lengths, auto-detected entities.

The HTML parser follows the algorithm of the Bot API server (tdlib's ``parse_html``)
so that error messages and byte offsets match what Telegram answers, with one
deliberate difference: Telegram shows an unknown ``&name;`` or a bare ``&``
literally, the emulator rejects both, because they nearly always mean user text
was not passed through ``html.escape``.
"""

from __future__ import annotations

import re
from typing import Any

Entity = dict[str, Any]

SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip

_SIMPLE_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# tdlib's is_space() includes NUL, which marks the end of text.
_SPACES = " \t\r\n\v\0"
_TRIMMED = " \t\r\n"  # what Telegram strips around a text


class EntityParseError(ValueError):
    """The text cannot be parsed; str(error) is what follows "can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for limits and entity offsets."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", errors="surrogatepass"))


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at text[pos] == "&"; returns (char, next index)."""
    end = pos + 1
    if end < len(text) and text[end] == "#":
        end += 1
        hexadecimal = end < len(text) and text[end] in "xX"
        if hexadecimal:
            end += 1
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        start = end
        while end < len(text) and text[end] in digits:
            end += 1
        if start == end or end - pos >= 10:
            return None
        code = int(text[start:end], 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        named = _NAMED_ENTITIES.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    # Telegram tolerates a missing ";", the emulator insists on well-formed references.
    if end >= len(text) or text[end] != ";":
        return None
    return char, end + 1


def _is_valid_link(url: str) -> bool:
    return bool(re.match(r"^(https?://|tg://|mailto:)\S+$", url, re.IGNORECASE)) or bool(
        re.match(r"^[\w.-]+\.[a-z]{2,}(/\S*)?$", url, re.IGNORECASE)
    )


def parse_html(text: str) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML into (plain text, entities); raises EntityParseError."""
    out: list[str] = []
    utf16_offset = 0
    entities: list[Entity] = []
    # Each open tag: (tag name, argument, utf16 offset where its content starts).
    stack: list[tuple[str, str, int]] = []
    n = len(text)

    def at(index: int) -> str:
        return text[index] if index < n else "\0"

    i = 0
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_entity(text, i)
            if decoded is None:
                match = re.match(r"&#?[A-Za-z0-9]*;?", text[i:])
                shown = match.group(0) if match else "&"
                where = _byte_offset(text, i)
                if shown == "&":
                    raise EntityParseError(
                        f'Bare "&" at byte offset {where}: escape it as &amp; '
                        "(emulator check: Telegram would show it literally)"
                    )
                raise EntityParseError(
                    f'Unsupported HTML entity "{shown}" at byte offset {where}; only &lt; &gt; '
                    "&amp; &quot; and numeric references are supported "
                    "(emulator check: Telegram would show it literally)"
                )
            char, i = decoded
            out.append(char)
            utf16_offset += utf16_len(char)
            continue
        if ch != "<":
            out.append(ch)
            utf16_offset += utf16_len(ch)
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != "/":
            # A start tag.
            while at(i) not in _SPACES and at(i) != ">":
                i += 1
            if at(i) == "\0":
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            tag = text[begin + 1 : i].lower()
            if tag not in SUPPORTED_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                )
            argument = ""
            while at(i) != ">":
                while at(i) != "\0" and at(i) in _SPACES:
                    i += 1
                if at(i) == ">":
                    break
                attr_begin = i
                while at(i) not in _SPACES and at(i) not in "=>":
                    i += 1
                attr_name = text[attr_begin:i]
                if not attr_name:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset '
                        f"{_byte_offset(text, begin)}"
                    )
                while at(i) != "\0" and at(i) in _SPACES:
                    i += 1
                if at(i) != "=":
                    if tag == "blockquote" and attr_name == "expandable":
                        argument = "1"
                        continue
                    raise EntityParseError(
                        f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                        f"at byte offset {_byte_offset(text, begin)}"
                    )
                i += 1
                while at(i) != "\0" and at(i) in _SPACES:
                    i += 1
                if at(i) == "\0":
                    raise EntityParseError(
                        f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                if at(i) not in "'\"":
                    # An unquoted name token: letters, digits, periods and hyphens.
                    token_begin = i
                    while at(i).isascii() and (at(i).isalnum() or at(i) in ".-"):
                        i += 1
                    value = text[token_begin:i].lower()
                    if at(i) not in _SPACES and at(i) != ">":
                        raise EntityParseError(
                            "Unexpected end of name token at byte offset "
                            f"{_byte_offset(text, token_begin)}"
                        )
                else:
                    quote = text[i]
                    i += 1
                    chars: list[str] = []
                    while at(i) != quote and at(i) != "\0":
                        if at(i) == "&":
                            decoded = _decode_entity(text, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(text[i])
                        i += 1
                    if at(i) != quote:
                        raise EntityParseError(
                            f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                        )
                    i += 1
                    value = "".join(chars)
                if tag == "a" and attr_name == "href":
                    argument = value
                elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif tag == "tg-emoji" and attr_name == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attr_name == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    'Tag "span" must have class "tg-spoiler" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            stack.append((tag, argument, utf16_offset))
            i += 1  # skip ">"
            continue

        # An end tag.
        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
        while at(i) not in _SPACES and at(i) != ">":
            i += 1
        end_name = text[begin + 2 : i].lower()
        while at(i) != "\0" and at(i) in _SPACES:
            i += 1
        if at(i) != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
        i += 1
        tag, argument, start = stack.pop()
        if end_name and end_name != tag:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                f'expected "</{tag}>", found "</{end_name}>"'
            )
        if utf16_offset > start:
            entity = _make_entity(tag, argument, start, utf16_offset - start, "".join(out))
            if entity is not None:
                entities.append(entity)

    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    # <pre><code class="language-x"> becomes a single pre entity with a language.
    entities = _merge_pre_code(entities)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _make_entity(
    tag: str, argument: str, offset: int, length: int, text_so_far: str
) -> Entity | None:
    entity: Entity = {"offset": offset, "length": length}
    if tag in _SIMPLE_TAG_TYPES:
        entity["type"] = _SIMPLE_TAG_TYPES[tag]
        if tag == "code" and argument:
            entity["language"] = argument
    elif tag == "pre":
        entity["type"] = "pre"
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if argument else "blockquote"
    elif tag == "tg-emoji":
        if not argument.isdigit():
            return None  # Telegram drops custom emoji entities with a bad id
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = argument
    else:  # "a"
        url = argument or _tail_utf16(text_so_far, length)
        if not _is_valid_link(url):
            return None  # Telegram silently drops links it cannot parse
        entity["type"] = "text_link"
        entity["url"] = url
    return entity


def _tail_utf16(text: str, units: int) -> str:
    taken = 0
    index = len(text)
    while index > 0 and taken < units:
        index -= 1
        taken += utf16_len(text[index])
    return text[index:]


def _merge_pre_code(entities: list[Entity]) -> list[Entity]:
    pres = [e for e in entities if e["type"] == "pre"]
    result: list[Entity] = []
    for entity in entities:
        if entity["type"] == "code":
            pre = next(
                (
                    p
                    for p in pres
                    if p["offset"] == entity["offset"] and p["length"] == entity["length"]
                ),
                None,
            )
            if pre is not None:
                if "language" in entity:
                    pre["language"] = entity["language"]
                continue
        result.append(entity)
    return result


def trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip leading/trailing whitespace like Telegram does, keeping entities aligned."""
    stripped = text.lstrip(_TRIMMED)
    lead = utf16_len(text) - utf16_len(stripped)
    stripped = stripped.rstrip(_TRIMMED)
    total = utf16_len(stripped)
    fixed: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            fixed.append({**entity, "offset": start, "length": end - start})
    return stripped, fixed


_AUTO_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bot_command", re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")),
    ("hashtag", re.compile(r"(?<![\w#])#[^\W\d][\w]*")),
    ("url", re.compile(r"(?<![\w@])https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")),
)


def detect_entities(text: str) -> list[Entity]:
    """Entities Telegram adds to messages typed by users (commands, mentions, hashtags, urls)."""
    found: list[Entity] = []
    for kind, pattern in _AUTO_PATTERNS:
        for match in pattern.finditer(text):
            found.append(
                {
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group(0)),
                    "type": kind,
                }
            )
    found.sort(key=lambda e: (e["offset"], -e["length"]))
    # Overlaps cannot happen in Telegram's output (e.g. a mention inside a url).
    result: list[Entity] = []
    end = 0
    for entity in found:
        if entity["offset"] >= end:
            result.append(entity)
            end = entity["offset"] + entity["length"]
    return result
