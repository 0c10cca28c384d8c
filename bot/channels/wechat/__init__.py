"""The WeChat Official Account (公众号) channel: the callback URL, the API client, the menu.

``setup`` serves WeChat's callback on the project's aiohttp application and starts the sender
of staff replies with it. Plain, compatible and safe (encrypted) modes are supported. This package
imports no Telegram code (aiogram): only aiohttp, cryptography and defusedxml.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ...config import Settings
from ...limits import RateLimit
from .api import WeChatAPI, WeChatAPIError
from .crypto import MessageCipher, parse_key
from .dialogue import Dialogue, Sessions
from .menu import menu_definition
from .outbox import OutboxSender
from .webhook import WeChatWebhook

if TYPE_CHECKING:
    from ...app import Services

__all__ = [
    "OUTBOX",
    "WEBHOOK",
    "OutboxSender",
    "WeChatAPI",
    "WeChatAPIError",
    "WeChatWebhook",
    "setup",
    "make_api",
    "menu_definition",
    "push_menu",
]

log = logging.getLogger(__name__)
WEBHOOK = web.AppKey("gongkai_wechat_webhook", WeChatWebhook)
OUTBOX = web.AppKey("gongkai_wechat_outbox", OutboxSender)


def make_api(settings: Settings) -> WeChatAPI | None:
    """The API client for the configured account; None without an AppID and an AppSecret."""
    if not settings.wechat_app_id or settings.wechat_app_secret is None:
        return None
    return WeChatAPI(settings.wechat_api_base, settings.wechat_app_id, settings.wechat_app_secret.get_secret_value())


def setup(app: web.Application, services: Services, settings: Settings) -> None:
    """Serve WeChat's callback on ``app`` at ``settings.wechat_path`` (GET verifies, POST delivers),
    and start the outbox sender with the application (stopped with it).

    Raises ``ValueError``, naming the setting, when the token is missing or the EncodingAESKey is
    not one (or comes without the AppID it needs). Without an AppID and an AppSecret the channel
    answers in the HTTP response only: slow replies and staff replies cannot be sent.

    ``app[WEBHOOK]`` and ``app[OUTBOX]`` (when there is one) give the handler and the sender.
    """
    if settings.wechat_token is None:
        raise ValueError("GONGKAI_WECHAT_TOKEN is not set")
    cipher = None
    if settings.wechat_aes_key is not None:
        if not settings.wechat_app_id:
            raise ValueError("GONGKAI_WECHAT_APP_ID is needed with GONGKAI_WECHAT_AES_KEY (encrypted messages name it)")
        try:
            key = parse_key(settings.wechat_aes_key.get_secret_value())
        except ValueError as e:
            raise ValueError(f"GONGKAI_WECHAT_AES_KEY: {e}") from None
        cipher = MessageCipher(key, settings.wechat_app_id)
    api = make_api(settings)
    sessions = Sessions()
    outbox = services.complaints.outbox
    sender = OutboxSender(outbox, api, sessions, interval=settings.outbox_interval) if api else None
    webhook = WeChatWebhook(
        settings.wechat_token.get_secret_value(),
        Dialogue(
            services.conversation,
            sessions,
            sending=sender is not None,
            limit=RateLimit((settings.wechat_rate_limit, 60.0)),
        ),
        cipher=cipher,
        api=api,
        reply_seconds=settings.wechat_reply_seconds,
    )
    app.router.add_get(settings.wechat_path, webhook.get)
    app.router.add_post(settings.wechat_path, webhook.post)
    app[WEBHOOK] = webhook
    if sender is not None:
        app[OUTBOX] = sender

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        mode = "encrypted" if cipher else "plain"
        log.info("wechat: callback on %s (%s mode)", settings.wechat_path, mode)
        if sender is None:
            log.warning(
                "wechat: GONGKAI_WECHAT_APP_ID or GONGKAI_WECHAT_APP_SECRET not set: "
                "slow replies and staff replies to WeChat citizens cannot be sent"
            )
        else:
            await sender.start()
        yield
        if sender is not None:
            await sender.stop()
        await webhook.close()
        if api is not None:
            await api.close()

    app.cleanup_ctx.append(lifecycle)


async def push_menu(settings: Settings, menu: dict[str, Any]) -> dict[str, Any]:
    """Set the account's custom menu to ``menu`` (see ``menu_definition``); WeChat's answer.

    Raises ``ValueError`` without an AppID and an AppSecret, ``WeChatAPIError`` if WeChat refuses.
    """
    api = make_api(settings)
    if api is None:
        raise ValueError("GONGKAI_WECHAT_APP_ID and GONGKAI_WECHAT_APP_SECRET are needed to set the menu")
    try:
        return await api.create_menu(menu)
    finally:
        await api.close()
