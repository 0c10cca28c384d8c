"""The callback WeChat posts every message and event to, and the GET that verifies its URL.

Each request is checked before anything else is done with it: the signature (403), the timestamp
(more than five minutes off: 403, so a captured request cannot be replayed later), the nonce (a
signed URL used again with another body within those minutes: 403), the size (413), the XML (400,
DTDs and entities refused), and in the encrypted modes the signature over the ciphertext and the
AppID inside it.

WeChat waits five seconds for an answer and then asks again, three times in all. The reply is
worked out in a task of its own: if it is ready within ``wechat_reply_seconds`` it goes back in the
HTTP response (a passive reply); if not, WeChat is told ``success`` at once and the reply follows as
a customer-service message. A message WeChat delivers again is matched to the first delivery and
never handled twice: it gets the same reply, or ``success`` if the reply is on its way.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ... import texts
from ...limits import LRU
from ..http import message as error_text
from .api import WeChatAPI, WeChatAPIError
from .crypto import CryptoError, MessageCipher, WrongAppId, signature, signature_ok
from .dialogue import Dialogue
from .protocol import Incoming, ProtocolError, encrypted_reply, incoming, parse_xml, split_text, text_reply

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024  # WeChat's messages are a few hundred bytes; a text is at most a few KB
MAX_SKEW = 300  # seconds a request's timestamp may be off our clock
# WeChat cuts or refuses a text of more than about 2 KB (2048 bytes is the figure usually given).
MAX_TEXT_BYTES = 2000
# Without the API (no AppSecret) a slow reply cannot be sent later: the first request keeps
# waiting, and WeChat's retries (within 15 seconds) pick up the reply once it is ready.
NO_API_WAIT = 14.0
REMEMBERED = 4096  # deliveries remembered for WeChat's retries (which come within 15 seconds)
# Nonces remembered: every signed request of the last MAX_SKEW seconds either side of now. Only
# requests with WeChat's signature get here, so this many would be WeChat sending 160 a second.
NONCES = 100_000


@dataclass
class _Handling:
    """One message being handled, or handled: its reply, and whether that went by the API."""

    task: asyncio.Task[str | None]
    deferred: bool = False


class WeChatWebhook:
    """The aiohttp handlers of WeChat's callback URL.

    :param token: the Token of the account's server configuration
    :param dialogue: what each message is answered with
    :param cipher: the AES of the compatible and safe modes (None: plain mode only)
    :param api: for replies too slow or too long for the HTTP response (None: none are sent)
    :param reply_seconds: how long a reply may take and still go back in the HTTP response
    :param clock: wall-clock seconds, for timestamps (a test passes a fake)
    """

    def __init__(
        self,
        token: str,
        dialogue: Dialogue,
        *,
        cipher: MessageCipher | None = None,
        api: WeChatAPI | None = None,
        reply_seconds: float = 4.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._token = token
        self.dialogue = dialogue
        self.cipher = cipher
        self.api = api
        self.reply_seconds = reply_seconds if api is not None else NO_API_WAIT
        self.clock = clock
        self._handled: LRU[str, _Handling] = LRU(REMEMBERED)
        self._nonces: LRU[str, str] = LRU(NONCES)
        self._background: set[asyncio.Task[Any]] = set()

    async def close(self) -> None:
        """Stop the replies still being sent."""
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)

    # --- the two requests ---------------------------------------------------------------------------

    async def get(self, request: web.Request) -> web.Response:
        """URL verification: echo ``echostr`` if the signature is WeChat's (the same in every mode)."""
        q = request.query
        timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
        if not signature_ok(q.get("signature", ""), self._token, timestamp, nonce) or not self._fresh(timestamp):
            log.warning("wechat: URL verification refused (signature or timestamp)")
            return web.Response(status=403, text=error_text(403))
        echostr = q.get("echostr", "")
        if not echostr:
            return web.Response(status=400, text=error_text(400))
        log.info("wechat: URL verified")
        return web.Response(text=echostr)

    async def post(self, request: web.Request) -> web.Response:
        """A message or an event: checked, handled (once), answered within WeChat's five seconds."""
        started = time.monotonic()
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413, text=error_text(413))
        q = request.query
        timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
        encrypted = q.get("encrypt_type", "raw").lower() == "aes"
        refused = self._refuse(q.get("signature"), q.get("msg_signature"), timestamp, nonce, encrypted)
        if refused is not None:
            return refused
        body = await _read(request, MAX_BODY)
        if body is None:
            return web.Response(status=413, text=error_text(413))
        if not self._first_use(timestamp, nonce, body):
            log.warning("wechat: message refused (a signed URL used again with another body)")
            return web.Response(status=403, text=error_text(403))
        try:
            fields = parse_xml(body)
            if encrypted:
                assert self.cipher is not None
                encrypt = fields.get("Encrypt", "")
                if not encrypt:
                    raise ProtocolError("no Encrypt")
                # The signature covers the ciphertext: checked before it is decrypted.
                if not signature_ok(q.get("msg_signature", ""), self._token, timestamp, nonce, encrypt):
                    log.warning("wechat: message refused (bad msg_signature)")
                    return web.Response(status=403, text=error_text(403))
                fields = parse_xml(self.cipher.decrypt(encrypt))
            message = incoming(fields)
        except WrongAppId:
            log.warning("wechat: message for another AppID refused: check GONGKAI_WECHAT_APP_ID")
            return web.Response(status=403, text=error_text(403))
        except (ProtocolError, CryptoError) as e:
            log.warning("wechat: bad message body refused (%s)", e)
            return web.Response(status=400, text=error_text(400))
        reply = await self._reply(message, self.reply_seconds - (time.monotonic() - started))
        return self._respond(message, reply, encrypted=encrypted)

    # --- checks -------------------------------------------------------------------------------------

    def _refuse(
        self, sig: str | None, msg_sig: str | None, timestamp: str, nonce: str, encrypted: bool
    ) -> web.Response | None:
        """A response refusing the request, or None if its signatures and timestamp may pass."""
        if encrypted:
            if self.cipher is None:
                log.warning("wechat: encrypted message refused: set GONGKAI_WECHAT_AES_KEY (and _APP_ID)")
                return web.Response(status=400, text=error_text(400))
            # The plain signature comes too; the one over the ciphertext is checked with the body.
            good = msg_sig is not None and (sig is None or signature_ok(sig, self._token, timestamp, nonce))
        else:
            if self.cipher is not None:
                # With a key set, the account is in compatible or safe mode and WeChat encrypts
                # every message; a plain one is not WeChat's, and its signature does not cover
                # its body.
                log.warning("wechat: plain message refused: GONGKAI_WECHAT_AES_KEY is set (safe mode expected)")
                return web.Response(status=403, text=error_text(403))
            good = sig is not None and signature_ok(sig, self._token, timestamp, nonce)
        if not good:
            log.warning("wechat: message refused (bad signature)")
            return web.Response(status=403, text=error_text(403))
        if not self._fresh(timestamp):
            log.warning("wechat: message refused (timestamp too far off)")
            return web.Response(status=403, text=error_text(403))
        return None

    def _first_use(self, timestamp: str, nonce: str, body: bytes) -> bool:
        """Whether this signed URL (its timestamp and nonce) comes for the first time, or again with
        the same body. In plain mode the signature does not cover the body: a captured URL would
        otherwise carry any message, in any citizen's name, for as long as its timestamp is fresh.
        The same body again passes: it is a delivery WeChat retries (or a replay of one), which is
        answered from the first delivery and never handled twice."""
        key = f"{timestamp}:{nonce}"
        digest = hashlib.sha256(body).hexdigest()
        return self._nonces.setdefault(key, digest) == digest

    def _fresh(self, timestamp: str) -> bool:
        try:
            return abs(self.clock() - int(timestamp)) <= MAX_SKEW
        except (ValueError, OverflowError):  # not a number, or one no clock reaches ('9' * 310)
            return False

    # --- replying -----------------------------------------------------------------------------------

    async def _reply(self, message: Incoming, wait: float) -> str | None:
        """The passive reply to ``message``; None to say ``success`` (nothing, or a reply on its way)."""
        handling = self._handled.get(message.key)
        if handling is None:
            handling = _Handling(asyncio.create_task(self._handle(message)))
            self._handled[message.key] = handling
        else:
            log.info("wechat %s: delivered again, handled once", message.ref)
        if not handling.deferred and not handling.task.done():
            await asyncio.wait({handling.task}, timeout=max(wait, 0.0))
        if handling.deferred:
            return None
        if not handling.task.done():
            if self.api is None:
                log.warning("wechat %s: reply not ready in time and no API to send it later", message.ref)
                return None
            handling.deferred = True
            log.info("wechat %s: slow, the reply follows as a customer-service message", message.ref)
            self._spawn(self._send_later(message, handling.task))
            return None
        reply = handling.task.result()
        if reply is not None and len(reply.encode()) > MAX_TEXT_BYTES:
            if self.api is not None:
                handling.deferred = True
                self._spawn(self._send(message, reply))
                return None
            reply = split_text(reply, MAX_TEXT_BYTES - len(texts.WX_CUT.encode()))[0] + texts.WX_CUT
        return reply

    async def _handle(self, message: Incoming) -> str | None:
        try:
            return await self.dialogue.handle(message)
        except Exception:  # a polite answer rather than a silent account
            log.exception("wechat %s: handling failed", message.ref)
            return texts.ERROR.format(**self.dialogue.contacts)

    async def _send_later(self, message: Incoming, task: asyncio.Task[str | None]) -> None:
        reply = await task
        if reply is not None:
            await self._send(message, reply)

    async def _send(self, message: Incoming, reply: str) -> None:
        assert self.api is not None
        try:
            for part in split_text(reply, MAX_TEXT_BYTES):
                await self.api.send_text(message.openid, part)
        except WeChatAPIError as e:
            log.warning("wechat %s: customer-service message not sent: %s", message.ref, e)
        else:
            log.info("wechat %s: reply sent as a customer-service message", message.ref)

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._background.add(task)  # the loop keeps only a weak reference
        task.add_done_callback(self._background.discard)

    def _respond(self, message: Incoming, reply: str | None, *, encrypted: bool) -> web.Response:
        if reply is None:
            return web.Response(text="success")
        xml = text_reply(message, reply, now=self.clock())
        if encrypted:
            assert self.cipher is not None
            encrypt = self.cipher.encrypt(xml)
            timestamp, nonce = str(int(self.clock())), str(secrets.randbelow(10**10))
            xml = encrypted_reply(encrypt, signature(self._token, timestamp, nonce, encrypt), timestamp, nonce)
        return web.Response(text=xml, content_type="application/xml")


async def _read(request: web.Request, limit: int) -> bytes | None:
    """The body, or None if it is longer than ``limit`` (read no further than that)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(16 * 1024):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
