"""Webhook delivery: setWebhook, deleteWebhook, getWebhookInfo and the POSTs Telegram makes.

As on Telegram, while a webhook is set getUpdates answers 409, and every update is POSTed as
JSON to the webhook (with ``X-Telegram-Bot-Api-Secret-Token`` when a secret_token was set)
until a backend answers 2xx; a non-2xx answer or a connection error is retried after a
back-off that doubles up to 16 times ``retry_delay``.  Updates of one chat are delivered one
at a time, in order; different chats in parallel, up to max_connections.

A method in a backend's answer (Telegram runs it) is recorded in ``rejected`` instead: the
emulator does not run it.

Tests stand in for the load balancer in front of the bot: ``set_webhook_backends(urls)``
sends each POST to the next of ``urls`` in turn (round robin) instead of to the URL the bot
registered, which is then only the bot's public address.  Without backends the POST goes to
the registered URL itself.  Like Telegram the emulator wants an https URL on port 80, 88, 443
or 8443, except on a loopback host (127.0.0.1, localhost), where plain http and any port are
accepted as the local stand-in for a public address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import re
import time
import urllib.parse

import aiohttp

from bot.emulator.faults import Faults
from bot.emulator.models import RejectedCall
from bot.emulator.spec import bad_request
from bot.emulator.state import JSON, _Update, _WebhookSettings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
_MAX_BACKOFF_FACTOR = 16


class Webhook(Faults):
    # ------------------------------------------------------------------ test controls

    def set_webhook_backends(
        self,
        urls: list[str],
        *,
        retry_delay: float | None = None,
        post_timeout: float | None = None,
    ) -> None:
        """Deliver webhook POSTs to these URLs in turn (empty: to the registered URL).

        ``retry_delay``: seconds before the first retry of a failed delivery (doubles on each
        further failure); ``post_timeout``: seconds a backend has to answer one POST.
        """
        for url in urls:
            if urllib.parse.urlparse(url).scheme not in ("http", "https"):
                raise ValueError(f"backend {url!r} is not an http(s) URL")
        self._webhook_backends = list(urls)
        if retry_delay is not None:
            self._webhook_retry_delay = retry_delay
        if post_timeout is not None:
            self._webhook_timeout = post_timeout
        self._notify(activity=False)

    @property
    def webhook_url(self) -> str | None:
        """The URL the bot registered with setWebhook, None when it polls."""
        return None if self._webhook is None else self._webhook.url

    # ------------------------------------------------------------------ Bot API methods

    async def _set_webhook(self, params: JSON) -> bool:
        url: str = params["url"]
        if not url:  # an empty url removes the webhook, as on Telegram
            return await self._delete_webhook(params)
        self._check_webhook_url(url)
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
        max_connections = params.get("max_connections", 40)
        if not 1 <= max_connections <= 100:
            raise bad_request("invalid max_connections specified")
        if "allowed_updates" in params:
            self._set_allowed_updates(params["allowed_updates"])
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self._webhook = _WebhookSettings(
            url=url,
            secret_token=secret,
            max_connections=max_connections,
            ip_address=params.get("ip_address"),
            has_custom_certificate="certificate" in params,
        )
        self._webhook_last_error = None
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_webhooks())
        return True

    async def _delete_webhook(self, params: JSON) -> bool:
        await self._stop_webhook()
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self._webhook.url if self._webhook else "",
            "has_custom_certificate": bool(self._webhook and self._webhook.has_custom_certificate),
            "pending_update_count": len(self._pending),
        }
        if self._webhook is not None:
            info["max_connections"] = self._webhook.max_connections
            if self._webhook.ip_address:
                info["ip_address"] = self._webhook.ip_address
            if self._allowed_updates is not None:
                info["allowed_updates"] = sorted(self._allowed_updates)
            if self._webhook_last_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        return info

    def _check_webhook_url(self, url: str) -> None:
        parsed = urllib.parse.urlparse(url)
        try:
            port = parsed.port
        except ValueError:
            raise bad_request("bad webhook: invalid port specified") from None
        if not parsed.hostname:
            raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
        if _is_loopback(parsed.hostname):
            if parsed.scheme not in ("http", "https"):
                raise bad_request("bad webhook: HTTPS url must be provided for webhook")
            return  # the emulator's local stand-in for a public HTTPS address
        if parsed.scheme != "https":
            raise bad_request("bad webhook: HTTPS url must be provided for webhook")
        if port is not None and port not in _WEBHOOK_PORTS:
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )

    async def _stop_webhook(self) -> None:
        self._webhook = None
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])  # unlike awaiting it, keeps a cancellation of our own
        self._notify(activity=False)

    # ------------------------------------------------------------------ delivery

    async def _deliver_webhooks(self) -> None:
        """Start a POST for every update that may go now; wake on any change or a retry time."""
        in_flight: dict[int, asyncio.Task[None]] = {}
        retry_at: dict[int, float] = {}
        failures: dict[int, int] = {}
        turn = 0
        loop = asyncio.get_running_loop()
        async with aiohttp.ClientSession() as session:
            try:
                while self._webhook is not None and not self._stopping:
                    settings = self._webhook
                    # First the finished POSTs: they free connections and schedule retries.
                    for update_id in [i for i, task in in_flight.items() if task.done()]:
                        del in_flight[update_id]
                        if update_id in failures:
                            delay = self._webhook_retry_delay * 2 ** (failures[update_id] - 1)
                            cap = self._webhook_retry_delay * _MAX_BACKOFF_FACTOR
                            retry_at[update_id] = loop.time() + min(delay, cap)
                    queued = {u.update_id for u in self._pending}
                    retry_at = {i: t for i, t in retry_at.items() if i in queued}
                    now = loop.time()
                    waiting_chats: set[object] = set()
                    for update in self._deliverable(None, len(self._pending) or 1):
                        chat = _ordering_key(update)
                        busy = chat in waiting_chats or update.update_id in in_flight
                        waiting_chats.add(chat)  # later updates of this chat wait for this one
                        if busy or retry_at.get(update.update_id, now) > now:
                            continue
                        if len(in_flight) >= settings.max_connections:
                            break
                        backends = self._webhook_backends or [settings.url]
                        backend = backends[turn % len(backends)]
                        turn += 1
                        in_flight[update.update_id] = asyncio.create_task(
                            self._post_update(session, settings, backend, update, failures)
                        )
                    # A POST finishing notifies; otherwise wake for the next retry that is due.
                    wake = min((t for t in retry_at.values() if t > now), default=now + 1.0)
                    await self._wait_change(min(wake - now, 1.0))
            finally:
                for task in in_flight.values():
                    task.cancel()
                await asyncio.gather(*in_flight.values(), return_exceptions=True)

    async def _post_update(
        self,
        session: aiohttp.ClientSession,
        settings: _WebhookSettings,
        backend: str,
        update: _Update,
        failures: dict[int, int],
    ) -> None:
        headers = {SECRET_HEADER: settings.secret_token} if settings.secret_token else {}
        status: int | None = None
        try:
            async with session.post(
                backend,
                json=update.to_json(),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self._webhook_timeout),
            ) as response:
                body = await response.read()
                status = response.status  # only once the whole answer arrived
                error = f"Wrong response from the webhook: {status} {response.reason}"
            if body.strip() and 200 <= status < 300:
                self._refuse_webhook_reply(body)
        except Exception as exc:  # whatever stops the POST, Telegram retries it later
            error = f"Connection failed: {type(exc).__name__}"
        self.webhook_deliveries.append((backend, update.update_id, status))
        if status is not None and 200 <= status < 300:
            failures.pop(update.update_id, None)
            update.forced = False
            # Confirmed: gone from the queue, like an update below a getUpdates offset.
            self._pending = [u for u in self._pending if u is not update]
            self._notify()
            return
        failures[update.update_id] = failures.get(update.update_id, 0) + 1
        self._webhook_last_error = (int(time.time()), error)
        log.info("webhook delivery of update %d to %s failed: %s", update.update_id, backend, error)
        self._notify(activity=False)

    def _refuse_webhook_reply(self, body: bytes) -> None:
        """Telegram would run a method given in a webhook's answer; the emulator does not, and
        says so rather than drop it unseen (an empty 200 is what the bot should answer)."""
        try:
            reply = json.loads(body)
        except ValueError:
            return  # Telegram ignores a body that is not a method call
        if isinstance(reply, dict) and "method" in reply:
            description = "a method in the webhook's answer is not emulated; call the API instead"
            self.rejected.append(RejectedCall(str(reply["method"]), reply, description, 400))
            log.warning("REJECTED webhook reply %s: %s", reply["method"], description)


def _ordering_key(update: _Update) -> object:
    """Updates with the same key are delivered one at a time, in order: the chat's id."""
    payload = update.payload
    message = payload.get("message")
    for holder in (payload, message if isinstance(message, dict) else {}):
        chat = holder.get("chat")
        if isinstance(chat, dict) and "id" in chat:
            return chat["id"]
    sender = payload.get("from")
    if isinstance(sender, dict) and "id" in sender:
        return sender["id"]
    return ("update", update.update_id)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
