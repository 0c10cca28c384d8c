"""The Telegram channel on aiogram 3: dispatcher, bot, polling and webhook.

Importing this package imports aiogram (seconds): only ``gongkai run`` with a token does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramUnauthorizedError
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.types import BotCommand, BotCommandScopeChat
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from ... import texts
from ...config import Settings
from ...services.answering import Reply
from ...services.applying import ApplicationDialogue
from .. import ChannelError
from ..http import message
from .applications import application_router
from .complaints import OutboxSender, citizen_router, staff_router
from .handlers import (
    Memory,
    buttons_router,
    commands_router,
    errors_router,
    fallback_router,
    inline_router,
    questions_router,
)
from .middlewares import DeduplicateMiddleware, KeepResponseModels, RetryMiddleware, ThrottlingMiddleware

if TYPE_CHECKING:
    from ...app import Services

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"


def build_dispatcher(services: Services, settings: Settings, *, clock: Callable[[], float] | None = None) -> Dispatcher:
    """A dispatcher with every router, the middlewares, and the core services to inject.

    The outbox sender starts and stops with polling or the webhook (the dispatcher's startup and
    shutdown), delivering what the supervision log owes on Telegram.

    :param clock: the throttle's clock (a test passes a fake)
    """
    complaints = services.complaints
    outbox = OutboxSender(complaints.outbox, settings.telegram_staff_chat_id, interval=settings.outbox_interval)
    dp = Dispatcher(
        # One user's updates are handled one after another (polling hands out a batch at once, as
        # concurrent tasks): a form's next message must see the state its previous one set.
        events_isolation=SimpleEventIsolation(),
        answerer=services.answerer,
        searches=Memory[str](),
        missed=Memory[Reply](),
        complaints=complaints,
        conversation=services.conversation,
        applying=ApplicationDialogue(services.applications, services.answerer),
        outbox=outbox,
        staff_ids=frozenset(settings.telegram_staff_ids),
    )
    dp.startup.register(outbox.start)
    dp.shutdown.register(outbox.stop)
    dp.update.outer_middleware(DeduplicateMiddleware())
    throttle = ThrottlingMiddleware(
        settings.telegram_throttle_messages,
        settings.telegram_throttle_seconds,
        clock or time.monotonic,
        exempt=frozenset(settings.telegram_staff_ids),
    )
    # Messages only: each costs a match, and a flood of them is what throttling is for. Button
    # presses are cheap and a form is a quick run of them: the press of 提交 must never be dropped.
    dp.message.outer_middleware(throttle)
    # Order is behaviour: the first handler whose filters pass wins. Free text outside any form
    # goes first because it is most of the traffic; a staff member's reply in progress and a
    # citizen's complaint form take the text of those in one; the catch-alls go last.
    dp.include_routers(
        questions_router(),
        staff_router(),
        citizen_router(),
        application_router(),
        commands_router(),
        buttons_router(),
        inline_router(),
        fallback_router(),
        errors_router(),
    )
    return dp


def build_bot(settings: Settings) -> Bot:
    """The Bot, on Telegram's API or the one configured, with retries and HTML parse mode."""
    if settings.telegram_token is None:
        raise ValueError("GONGKAI_TELEGRAM_TOKEN is not set")
    api = TelegramAPIServer.from_base(settings.telegram_api_base) if settings.telegram_api_base else None
    session = AiohttpSession(api=api) if api else AiohttpSession()
    session.middleware(KeepResponseModels())
    session.middleware(RetryMiddleware())
    return Bot(
        settings.telegram_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


async def set_commands(bot: Bot, staff_chat_id: int | None = None) -> None:
    """Register the commands with their Chinese descriptions (the menu Telegram shows); the staff
    group's menu lists the staff commands too."""
    await bot.set_my_commands([BotCommand(command=c, description=d) for c, d in texts.TG_COMMANDS.items()])
    if staff_chat_id is not None:
        staff = {**texts.TG_COMMANDS, **texts.TG_STAFF_COMMANDS}
        await bot.set_my_commands(
            [BotCommand(command=c, description=d) for c, d in staff.items()],
            scope=BotCommandScopeChat(chat_id=staff_chat_id),
        )


class WebhookHandler(SimpleRequestHandler):
    """aiogram's webhook handler, answering 403 to a request without Telegram's secret (aiogram
    says 401, which promises an authentication scheme there is none of) and 400 to a body that is
    not an update."""

    async def handle(self, request: web.Request) -> web.Response:
        if not self.verify_secret(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), self.bot):
            log.warning("webhook: request without the secret refused")
            return web.Response(status=403, text=message(403))
        try:
            await request.json()
        except (ValueError, LookupError):  # not JSON, not UTF-8, or a charset Python does not know
            return web.Response(status=400, text=message(400))
        return await super().handle(request)


def add_webhook(app: web.Application, dp: Dispatcher, bot: Bot, secret: str, path: str = WEBHOOK_PATH) -> None:
    """Serve Telegram's webhook on ``app``; requests without the secret are refused (403)."""
    WebhookHandler(dispatcher=dp, bot=bot, secret_token=secret, handle_in_background=True).register(app, path=path)


def setup(app: web.Application, services: Services, settings: Settings) -> None:
    """Telegram on ``app``: the webhook's route when ``GONGKAI_TELEGRAM_WEBHOOK_URL`` is set, and
    a start and stop with the application: the token checked against the Bot API (a refusal
    stops start-up with ``ChannelError``), the commands set, then long polling or the webhook
    registered; the outbox sender runs meanwhile."""
    bot = build_bot(settings)
    dp = build_dispatcher(services, settings)
    webhook = settings.telegram_webhook_url
    secret = (
        settings.telegram_webhook_secret.get_secret_value()
        if settings.telegram_webhook_secret
        else secrets.token_urlsafe(32)
    )
    if webhook:
        add_webhook(app, dp, bot, secret)

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        try:
            me = await bot.get_me()
        except TelegramUnauthorizedError:
            await bot.session.close()
            raise ChannelError("Telegram refused GONGKAI_TELEGRAM_TOKEN (401 Unauthorized): check the token") from None
        except (TelegramNetworkError, TelegramAPIError) as e:
            await bot.session.close()
            raise ChannelError(f"cannot reach the Telegram Bot API: {e}") from None
        log.info("telegram: @%s", me.username)
        try:
            await set_commands(bot, settings.telegram_staff_chat_id)
        except Exception as e:  # the menu is a nicety: a failure must not stop the bot
            log.warning("telegram: setMyCommands failed: %s", type(e).__name__)
        polling = None
        if webhook:
            await bot.set_webhook(webhook, secret_token=secret, allowed_updates=dp.resolve_used_update_types())
            log.info("telegram: webhook %s, served at %s", webhook, WEBHOOK_PATH)
            await dp.emit_startup(bot=bot)  # what polling does by itself: the outbox sender starts
        else:
            await bot.delete_webhook(drop_pending_updates=False)
            log.info("telegram: long polling")
            polling = asyncio.create_task(
                dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(), handle_signals=False)
            )
        yield
        if polling is not None:
            try:
                await dp.stop_polling()
            except RuntimeError:  # stopped before polling began
                polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling  # closes the bot's session
        else:
            await dp.emit_shutdown(bot=bot)
            await bot.session.close()

    app.cleanup_ctx.append(lifecycle)
