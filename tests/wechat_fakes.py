"""Fakes for the WeChat channel's tests: WeChat's API server, and a citizen's WeChat client.

Both speak the real protocol. The client builds requests the way WeChat's servers do, with
wechatpy (an independent implementation) for the signatures and the encryption, and reads the
replies back with it; the API server runs on 127.0.0.1 in the test's own event loop.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import secrets
import time
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from bot.app import Services
from bot.channels.wechat import setup as setup_wechat
from bot.services.complaints import Complaints

TOKEN = "gongkai-test-token"
APP_ID = "wx0123456789abcdef"
APP_SECRET = "test-app-secret"
AES_KEY = base64.b64encode(bytes(range(32))).decode().rstrip("=")  # 43 characters, as WeChat shows it
ACCOUNT = "gh_0123456789ab"
CITIZEN = "oCitizen-0000000000000000001"
PATH = "/wechat"


def sign(*parts: str) -> str:
    """WeChat's signature, as wechatpy computes it."""
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


class FakeWeChatAPI:
    """WeChat's API server: access tokens, customer-service messages, the menu.

    A token stays valid until ``expire_tokens()``; a message sent with another one is refused
    with 42001, as WeChat does. ``errors`` scripts the answers to the next sends: an errcode, or
    500 for an HTTP server error.
    """

    def __init__(self) -> None:
        self.app = web.Application()
        self.app.router.add_get("/cgi-bin/token", self._token)
        self.app.router.add_post("/cgi-bin/message/custom/send", self._send)
        self.app.router.add_post("/cgi-bin/menu/create", self._menu)
        self.issued: list[str] = []
        self.valid: set[str] = set()
        self.attempts: list[tuple[str, int]] = []  # (token, errcode) of every send
        self.sent: list[dict[str, Any]] = []  # the messages accepted
        self.raw: list[bytes] = []
        self.menus: list[dict[str, Any]] = []
        self.errors: list[int] = []

    def expire_tokens(self) -> None:
        self.valid.clear()

    def texts(self, openid: str = CITIZEN) -> list[str]:
        return [m["text"]["content"] for m in self.sent if m["touser"] == openid]

    async def _token(self, request: web.Request) -> web.Response:
        q = request.query
        if q.get("grant_type") != "client_credential" or q.get("appid") != APP_ID or q.get("secret") != APP_SECRET:
            return web.json_response({"errcode": 40013, "errmsg": "invalid appid"})
        token = f"ACCESS-{len(self.issued) + 1}"
        self.issued.append(token)
        self.valid.add(token)
        return web.json_response({"access_token": token, "expires_in": 7200})

    def _refusal(self, request: web.Request) -> int:
        if request.query.get("access_token") not in self.valid:
            return 42001
        return self.errors.pop(0) if self.errors else 0

    async def _send(self, request: web.Request) -> web.Response:
        raw = await request.read()
        code = self._refusal(request)
        self.attempts.append((request.query.get("access_token", ""), code))
        if code == 500:
            return web.Response(status=500, text="Internal Server Error")
        if code:
            return web.json_response({"errcode": code, "errmsg": f"error {code}"})
        self.raw.append(raw)
        self.sent.append(json.loads(raw.decode("utf-8")))
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _menu(self, request: web.Request) -> web.Response:
        raw = await request.read()
        code = self._refusal(request)
        if code:
            return web.json_response({"errcode": code, "errmsg": f"error {code}"})
        self.raw.append(raw)
        self.menus.append(json.loads(raw.decode("utf-8")))
        return web.json_response({"errcode": 0, "errmsg": "ok"})


def xml_of(fields: dict[str, Any]) -> str:
    """A WeChat XML body (escaped text rather than CDATA: the same document to a parser)."""
    return "<xml>" + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in fields.items()) + "</xml>"


class Citizen:
    """A WeChat user writing to the account, through WeChat's servers.

    :param mode: "plain", "compatible" (plain fields and Encrypt) or "safe" (Encrypt only)
    """

    def __init__(self, client: TestClient, *, mode: str = "plain", openid: str = CITIZEN) -> None:
        self.client = client
        self.mode = mode
        self.openid = openid
        self.crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
        self._ids = itertools.count(24_000_000_000_000_001)
        self.last_msg_id = ""

    def request(self, fields: dict[str, Any], *, timestamp: int | None = None) -> tuple[dict[str, str], str]:
        """The query and body WeChat would post for ``fields``."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        nonce = str(secrets.randbelow(10**10))  # WeChat's are random: two citizens' never meet
        query = {"signature": sign(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": self.openid}
        plain = xml_of(fields)
        if self.mode == "plain":
            return query, plain
        envelope = ET.fromstring(self.crypto.encrypt_message(plain, nonce, ts))
        encrypt = envelope.findtext("Encrypt") or ""
        query |= {"encrypt_type": "aes", "msg_signature": envelope.findtext("MsgSignature") or ""}
        outer = {"ToUserName": ACCOUNT}
        if self.mode == "compatible":
            outer = dict(fields)
        body = xml_of(outer)[: -len("</xml>")] + f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        return query, body

    def fields(self, msg_type: str, **more: Any) -> dict[str, Any]:
        return {
            "ToUserName": ACCOUNT,
            "FromUserName": self.openid,
            "CreateTime": int(time.time()),
            "MsgType": msg_type,
            **more,
        }

    async def post(self, fields: dict[str, Any]) -> str | None:
        query, body = self.request(fields)
        response = await self.client.post(PATH, params=query, data=body.encode())
        assert response.status == 200, await response.text()
        return self.read(await response.text())

    async def text(self, content: str, *, msg_id: str | None = None) -> str | None:
        """Send a text message; the passive reply's text, or None for ``success``."""
        self.last_msg_id = msg_id or str(next(self._ids))
        return await self.post(self.fields("text", Content=content, MsgId=self.last_msg_id))

    async def event(self, event: str, key: str = "", *, create_time: int | None = None) -> str | None:
        fields = self.fields("event", Event=event, EventKey=key)
        if create_time is not None:
            fields["CreateTime"] = create_time
        return await self.post(fields)

    def read(self, body: str) -> str | None:
        """The text of a passive reply, checked (and decrypted with wechatpy in the encrypted modes)."""
        if body == "success":
            return None
        root = ET.fromstring(body)
        if self.mode != "plain":
            plain = self.crypto.decrypt_message(
                body, root.findtext("MsgSignature"), root.findtext("TimeStamp"), root.findtext("Nonce")
            )
            root = ET.fromstring(plain)
        assert root.findtext("ToUserName") == self.openid
        assert root.findtext("FromUserName") == ACCOUNT
        assert root.findtext("MsgType") == "text"
        return root.findtext("Content")


@dataclass
class WeChat:
    """A running WeChat channel with its fakes."""

    client: TestClient
    api: FakeWeChatAPI
    app: web.Application
    complaints: Complaints
    citizen: Citizen

    def other(self, openid: str) -> Citizen:
        return Citizen(self.client, mode=self.citizen.mode, openid=openid)


def wechat_settings(settings: Any, mode: str = "plain", **updates: Any) -> Any:
    values: dict[str, Any] = {
        "wechat_token": SecretStr(TOKEN),
        "wechat_app_id": APP_ID,
        "wechat_app_secret": SecretStr(APP_SECRET),
        "wechat_path": PATH,
    }
    if mode != "plain":
        values["wechat_aes_key"] = SecretStr(AES_KEY)
    return settings.model_copy(update=values | updates)


@contextlib.asynccontextmanager
async def serving(api: FakeWeChatAPI) -> AsyncIterator[str]:
    """``api`` served on 127.0.0.1; its base URL."""
    async with TestServer(api.app, host="127.0.0.1") as server:
        yield str(server.make_url("")).rstrip("/")


@contextlib.asynccontextmanager
async def running(
    answerer: Any, store: Any, settings: Any, *, mode: str = "plain", **updates: Any
) -> AsyncIterator[WeChat]:
    """The channel on a fresh aiohttp application, with a fake WeChat API, both on 127.0.0.1."""
    api = FakeWeChatAPI()
    async with serving(api) as base:
        configured = wechat_settings(settings, mode, wechat_api_base=base, **updates)
        complaints = Complaints(store, configured)
        app = web.Application()
        setup_wechat(app, Services.of(answerer, store, configured, complaints=complaints), configured)
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            yield WeChat(client, api, app, complaints, Citizen(client, mode=mode))


async def eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Wait until ``check()`` is truthy (something a background task does); its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, "timed out waiting"
            return value
        await asyncio.sleep(0.01)
