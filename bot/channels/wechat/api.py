"""A small client of WeChat's server API: the access token, customer-service messages, the menu.

Every call needs an access token from ``/cgi-bin/token``. It lasts ``expires_in`` seconds (7200);
it is kept until shortly before then, and fetched again when WeChat says it is invalid or expired
(another server fetching a token for the same AppID invalidates ours: run one Gongkai per account).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from .protocol import unlinked

log = logging.getLogger(__name__)

# The token WeChat was given is invalid (40001, 40014) or has expired (42001): fetch another.
TOKEN_REJECTED = frozenset({40001, 40014, 42001})
# The message can never be delivered as it is: the citizen has unfollowed the account (43004), the
# 48-hour window since their last message has closed (45015), or the messages allowed in it are
# used up (45047); an OpenID that is not this account's (40003).
UNDELIVERABLE = frozenset({40003, 43004, 45015, 45047})
SYSTEM_BUSY = -1
TOKEN_MARGIN = 300.0  # seconds before its expiry that a token is fetched again


class WeChatAPIError(Exception):
    """A call WeChat refused (``errcode`` set) or that did not reach it (``errcode`` None).

    The message never holds the token or the secret.
    """

    def __init__(self, errcode: int | None, errmsg: str) -> None:
        self.errcode = errcode
        self.errmsg = errmsg
        super().__init__(f"{errcode}: {errmsg}" if errcode is not None else errmsg)

    @property
    def undeliverable(self) -> bool:
        """Trying again will not help."""
        return self.errcode in UNDELIVERABLE

    @property
    def transient(self) -> bool:
        """The network, a server error or WeChat being busy: trying again later may work."""
        return self.errcode is None or self.errcode == SYSTEM_BUSY


class WeChatAPI:
    """WeChat's server API for one account.

    :param base: the API's address, e.g. ``https://api.weixin.qq.com`` (a test's fake server)
    :param app_id: the AppID
    :param app_secret: the AppSecret
    :param timeout: seconds a call may take
    :param clock: the monotonic clock that ages the token (a test passes a fake)
    """

    def __init__(
        self,
        base: str,
        app_id: str,
        app_secret: str,
        *,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base = base.rstrip("/")
        self.app_id = app_id
        self._secret = app_secret
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._clock = clock
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # --- the calls ----------------------------------------------------------------------------------

    async def send_text(self, openid: str, content: str) -> None:
        """Send ``content`` to ``openid`` as a customer-service text message."""
        await self.call(
            "/cgi-bin/message/custom/send",
            {"touser": openid, "msgtype": "text", "text": {"content": unlinked(content)}},
        )

    async def create_menu(self, menu: dict[str, Any]) -> dict[str, Any]:
        """Replace the account's custom menu with ``menu``; WeChat's answer."""
        return await self.call("/cgi-bin/menu/create", menu)

    async def call(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST ``payload`` to ``path`` with the access token; WeChat's answer when its errcode is 0.

        A token WeChat rejects is fetched again and the call made once more.
        """
        token = await self.token()
        try:
            return await self._post(path, token, payload)
        except WeChatAPIError as e:
            if e.errcode not in TOKEN_REJECTED:
                raise
            log.info("wechat api: access token rejected (%s), fetching another", e.errcode)
            self._forget(token)
            return await self._post(path, await self.token(), payload)

    async def token(self) -> str:
        """The access token, fetched when there is none or it is about to expire."""
        async with self._lock:  # one fetch at a time: each fetch invalidates the previous token
            if self._token is None or self._clock() >= self._expires:
                data = await self._request(
                    "GET",
                    "/cgi-bin/token",
                    params={"grant_type": "client_credential", "appid": self.app_id, "secret": self._secret},
                )
                token = data.get("access_token")
                if not isinstance(token, str) or not token:
                    raise WeChatAPIError(None, "no access_token in WeChat's answer")
                lifetime = float(data.get("expires_in") or 7200)
                self._token = token
                self._expires = self._clock() + max(lifetime - TOKEN_MARGIN, lifetime / 2)
            return self._token

    # --- internals ----------------------------------------------------------------------------------

    def _forget(self, token: str) -> None:
        # Only if no one has fetched a new one meanwhile.
        if self._token == token:
            self._token = None

    async def _post(self, path: str, token: str, payload: dict[str, Any]) -> dict[str, Any]:
        # UTF-8 as is: WeChat shows \uXXXX escapes literally in messages and menu names.
        body = json.dumps(payload, ensure_ascii=False).encode()
        return await self._request(
            "POST",
            path,
            params={"access_token": token},
            data=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.request(method, self.base + path, **kwargs) as response:
                if response.status >= 400:
                    raise WeChatAPIError(None, f"HTTP {response.status}")
                data = await response.json(content_type=None)  # WeChat says text/plain at times
        except (aiohttp.ClientError, TimeoutError, ValueError) as e:
            # Not str(e): aiohttp's messages carry the URL, and with it the token or the secret.
            raise WeChatAPIError(None, type(e).__name__) from None
        if not isinstance(data, dict):
            raise WeChatAPIError(None, "not a JSON object")
        errcode = data.get("errcode") or 0
        if errcode:
            raise WeChatAPIError(errcode if isinstance(errcode, int) else SYSTEM_BUSY, str(data.get("errmsg", "")))
        return data
