"""Bot API methods that send, edit and delete messages, and their JSON."""

from __future__ import annotations

import copy
import dataclasses
import logging
import mimetypes
import re
import time
import urllib.parse

from bot.emulator.formatting import (
    EntityParseError,
    parse_html,
    trim,
    utf16_len,
)
from bot.emulator.models import BotMessage
from bot.emulator.spec import (
    UploadedFile,
    bad_request,
    check_reply_markup,
)
from bot.emulator.state import (
    _NOT_MODIFIED,
    _QUERY_INVALID,
    JSON,
    MAX_CALLBACK_ANSWER,
    MAX_CAPTION,
    MAX_TEXT,
    _Chat,
    _image_size,
    _inline,
    _StoredFile,
)
from bot.emulator.updates import UpdatesAndChats

log = logging.getLogger(__name__)


class Messages(UpdatesAndChats):
    # ------------------------------------------------------------------ messages

    def _format(
        self, text: str, parse_mode: str | None, entities: list[JSON] | None, *, caption: bool
    ) -> tuple[str, list[JSON]]:
        """Apply parse_mode/entities like Telegram and enforce the length limits."""
        if entities is not None:
            plain, parsed = text, [dict(e) for e in entities]
            total = utf16_len(plain)
            for entity in parsed:
                if (
                    entity["offset"] < 0
                    or entity["length"] <= 0
                    or entity["offset"] + entity["length"] > total
                ):
                    raise bad_request("can't parse entities: entity is out of the text bounds")
        elif parse_mode is None:
            plain, parsed = text, []
        elif parse_mode.lower() == "html":
            try:
                plain, parsed = parse_html(text)
            except EntityParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        elif parse_mode.lower() in ("markdown", "markdownv2"):
            raise bad_request(
                f"parse_mode {parse_mode} is not implemented by the emulator; the project uses HTML"
            )
        else:
            raise bad_request("unsupported parse_mode")
        plain, parsed = trim(plain, parsed)
        if caption:
            if utf16_len(plain) > MAX_CAPTION:
                raise bad_request("message caption is too long")
        else:
            if not plain:
                raise bad_request("message text is empty")
            if utf16_len(plain) > MAX_TEXT:
                raise bad_request("message is too long")
        return plain, parsed

    def _markup(self, params: JSON) -> JSON | None:
        markup: JSON | None = params.get("reply_markup")
        if markup is not None:
            check_reply_markup(markup)
        return markup

    def _reply_target(self, chat: _Chat, params: JSON) -> int | None:
        reply = params.get("reply_parameters")
        if not reply:
            return None
        if "chat_id" in reply and self._resolve_chat(reply["chat_id"]).id != chat.id:
            raise bad_request("replies to other chats are not supported by the emulator")
        message_id: int = reply["message_id"]
        if self._message_json(chat.id, message_id, with_reply=False) is not None:
            return message_id
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")

    def _store_bot_message(self, message: BotMessage) -> JSON:
        self._bot_messages.append(message)
        self._bot_by_key[(message.chat_id, message.message_id)] = message
        self._announce(message)
        return self._bot_message_json(message)

    def _announce(self, message: BotMessage) -> None:
        if self.on_bot_message is None:
            return
        try:
            self.on_bot_message(dataclasses.replace(message))
        except Exception:
            log.exception("on_bot_message callback failed")

    async def _send_message(self, params: JSON) -> JSON:
        chat = self._resolve_chat(params["chat_id"])
        text, entities = self._format(
            params["text"], params.get("parse_mode"), params.get("entities"), caption=False
        )
        markup = self._markup(params)
        reply_to = self._reply_target(chat, params)
        return self._store_bot_message(
            BotMessage(
                message_id=chat.next_message_id(),
                chat_id=chat.id,
                text=text,
                html=params["text"],
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                entities=entities,
                reply_to_message_id=reply_to,
                date=int(time.time()),
            )
        )

    async def _send_photo(self, params: JSON) -> JSON:
        return self._send_media("photo", params)

    async def _send_document(self, params: JSON) -> JSON:
        return self._send_media("document", params)

    def _send_media(self, kind: str, params: JSON) -> JSON:
        chat = self._resolve_chat(params["chat_id"])
        caption: str | None = None
        entities: list[JSON] = []
        if params.get("caption"):
            caption, entities = self._format(
                params["caption"],
                params.get("parse_mode"),
                params.get("caption_entities"),
                caption=True,
            )
        stored = self._store_file(kind, params[kind])
        markup = self._markup(params)
        reply_to = self._reply_target(chat, params)
        return self._store_bot_message(
            BotMessage(
                message_id=chat.next_message_id(),
                chat_id=chat.id,
                text="",
                html=params.get("caption"),
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                kind=kind,
                caption=caption or None,
                file_name=stored.file_name,
                file_bytes=stored.content,
                mime_type=stored.mime_type,
                file_id=stored.file_id,
                entities=entities,
                reply_to_message_id=reply_to,
                date=int(time.time()),
            )
        )

    def _store_file(self, kind: str, source: UploadedFile | str) -> _StoredFile:
        if isinstance(source, str):
            known = self._files.get(source)
            if known is not None and known.kind == kind:
                return known
            if not re.match(r"^https?://\S+$", source):
                raise bad_request("wrong file identifier/HTTP URL specified")
            name = urllib.parse.urlparse(source).path.rsplit("/", 1)[-1] or None
            content: bytes | None = None
            mime = mimetypes.guess_type(name or "")[0]
        else:
            if not source.content:
                raise bad_request("file must be non-empty")
            name, content, mime = source.filename, source.content, source.content_type
        width = height = 0
        if kind == "photo" and content is not None:
            size = _image_size(content)
            if size is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            width, height = size
            if not width or not height:
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
        number = next(self._file_counter)
        extension = (mimetypes.guess_extension(mime or "") or "") if kind == "photo" else ""
        if kind == "document" and name and "." in name:
            extension = "." + name.rsplit(".", 1)[-1]
        stored = _StoredFile(
            file_id=f"EMU{kind.upper()}{number:06d}",
            file_unique_id=f"EMUU{number:06d}",
            kind=kind,
            file_name=name,
            mime_type=mime,
            content=content,
            file_path=f"{kind}s/file_{number}{extension}",
            width=width,
            height=height,
        )
        self._files[stored.file_id] = stored
        return stored

    async def _get_file(self, params: JSON) -> JSON:
        stored = self._files.get(params["file_id"])
        if stored is None or stored.content is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
            **stored.size_json(),
        }

    def _editable(self, params: JSON) -> BotMessage:
        if "inline_message_id" in params:
            raise bad_request("MESSAGE_ID_INVALID (inline messages are not emulated)")
        if "chat_id" not in params:
            raise bad_request("chat_id is empty")
        if "message_id" not in params:
            raise bad_request("message identifier is not specified")
        chat = self._resolve_chat(params["chat_id"])
        key = (chat.id, params["message_id"])
        if key in self._user_messages and key not in self._deleted_user_messages:
            raise bad_request("message can't be edited")
        message = self._bot_by_key.get(key)
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.editable:
            raise bad_request("message can't be edited")
        return message

    def _apply_edit(self, message: BotMessage, changes: JSON, new_markup: JSON | None) -> JSON:
        # Without reply_markup an edit removes the inline keyboard, as on Telegram.
        old_inline = _inline(message.reply_markup)
        keep_other = message.reply_markup if old_inline is None and new_markup is None else None
        # Only what the user sees counts; the same text sent with another parse_mode is no edit.
        unchanged = all(
            getattr(message, k) == v
            for k, v in changes.items()
            if k in ("text", "caption", "entities")
        )
        if unchanged and _inline(new_markup) == old_inline:
            raise bad_request(_NOT_MODIFIED)
        for key, value in changes.items():
            setattr(message, key, value)
        message.reply_markup = new_markup if new_markup is not None else keep_other
        message.edited = True
        message.edit_count += 1
        self._announce(message)
        return self._bot_message_json(message, edit_date=int(time.time()))

    async def _edit_message_text(self, params: JSON) -> JSON:
        message = self._editable(params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text: str | None = params.get("text")
        parse_mode: str | None = params.get("parse_mode")
        if text is None and "rich_message" in params:
            rich = params["rich_message"]
            if "html" not in rich:
                raise bad_request("rich_message without html is not implemented by the emulator")
            text, parse_mode = rich["html"], "HTML"
        if not text:
            raise bad_request("message text is empty")
        plain, entities = self._format(text, parse_mode, params.get("entities"), caption=False)
        changes = {"text": plain, "entities": entities, "html": text, "parse_mode": parse_mode}
        return self._apply_edit(message, changes, self._markup(params))

    async def _edit_message_caption(self, params: JSON) -> JSON:
        message = self._editable(params)
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        raw: str = params.get("caption", "")
        caption, entities = "", list[JSON]()
        if raw:
            caption, entities = self._format(
                raw, params.get("parse_mode"), params.get("caption_entities"), caption=True
            )
        changes = {
            "caption": caption or None,
            "entities": entities,
            "html": raw or None,
            "parse_mode": params.get("parse_mode"),
        }
        return self._apply_edit(message, changes, self._markup(params))

    async def _edit_message_reply_markup(self, params: JSON) -> JSON:
        message = self._editable(params)
        return self._apply_edit(message, {}, self._markup(params))

    async def _delete_message(self, params: JSON) -> bool:
        chat = self._resolve_chat(params["chat_id"], check_blocked=False)
        key = (chat.id, params["message_id"])
        message = self._bot_by_key.get(key)
        if message is not None and not message.deleted:
            message.deleted = True
            self._announce(message)
            return True
        if key in self._user_messages and key not in self._deleted_user_messages:
            if chat.type != "private":
                raise bad_request("message can't be deleted")  # the bot is not an admin here
            self._deleted_user_messages.add(key)
            return True
        raise bad_request("message to delete not found")

    async def _answer_callback_query(self, params: JSON) -> bool:
        query = self._callback_queries.get(params["callback_query_id"])
        if query is None or query.answer is not None:
            raise bad_request(_QUERY_INVALID)
        if utf16_len(params.get("text", "")) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        if "url" in params:
            raise bad_request("URL_INVALID")  # only game bots may open URLs this way
        query.answer = {k: v for k, v in params.items() if k != "callback_query_id"}
        return True

    # ------------------------------------------------------------------ message JSON

    def _message_json(self, chat_id: int, message_id: int, *, with_reply: bool) -> JSON | None:
        bot_message = self._bot_by_key.get((chat_id, message_id))
        if bot_message is not None:
            return (
                None
                if bot_message.deleted
                else self._bot_message_json(bot_message, with_reply=with_reply)
            )
        key = (chat_id, message_id)
        if key not in self._user_messages or key in self._deleted_user_messages:
            return None
        data = copy.deepcopy(self._user_messages[key])
        if not with_reply:
            data.pop("reply_to_message", None)
        return data

    def _bot_message_json(
        self, message: BotMessage, *, with_reply: bool = True, edit_date: int | None = None
    ) -> JSON:
        data: JSON = {
            "message_id": message.message_id,
            "from": self._bot_user_json(),
            "chat": self._chats[message.chat_id].to_json(),
            "date": message.date,
        }
        if edit_date is not None or message.edited:
            data["edit_date"] = edit_date or message.date
        if message.kind == "text":
            data["text"] = message.text
            if message.entities:
                data["entities"] = copy.deepcopy(message.entities)
        else:
            stored = self._files[message.file_id or ""]
            if message.kind == "photo":
                data["photo"] = [
                    {
                        "file_id": stored.file_id,
                        "file_unique_id": stored.file_unique_id,
                        "width": stored.width,
                        "height": stored.height,
                        **stored.size_json(),
                    }
                ]
            else:
                document: JSON = {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                }
                if stored.file_name:
                    document["file_name"] = stored.file_name
                if stored.mime_type:
                    document["mime_type"] = stored.mime_type
                data["document"] = {**document, **stored.size_json()}
            if message.caption:
                data["caption"] = message.caption
                if message.entities:
                    data["caption_entities"] = copy.deepcopy(message.entities)
        inline = _inline(message.reply_markup)
        if inline is not None:  # Telegram echoes only inline keyboards in Message objects
            data["reply_markup"] = copy.deepcopy(inline)
        if with_reply and message.reply_to_message_id is not None:
            target = self._message_json(
                message.chat_id, message.reply_to_message_id, with_reply=False
            )
            if target is not None:
                data["reply_to_message"] = target
        return data
