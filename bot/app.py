"""The one place where things are wired: the core services, the channels, the HTTP server."""

from __future__ import annotations

import asyncio
import gc
import logging
import secrets
import signal

from aiohttp import web

from .config import Settings
from .knowledge import load
from .matching import Matcher
from .services.answering import Answerer
from .storage import Store

log = logging.getLogger("gongkai")


class ChannelError(Exception):
    """A channel cannot start (a token refused, a server unreachable): said in one line."""


def build_core(settings: Settings) -> tuple[Answerer, Store]:
    """Load and index the knowledge (failing loudly if it is bad), open the store, apply migrations."""
    return Answerer(Matcher(load(settings.knowledge)), settings), Store.from_settings(settings)


def configured_channels(settings: Settings) -> list[str]:
    """The network channels the settings enable."""
    return ["telegram"] if settings.telegram_token else []


def build_web_app() -> web.Application:
    """The project's one aiohttp application; channels add their routes to it."""
    app = web.Application(client_max_size=1024**2)

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app.router.add_get("/healthz", health)
    return app


async def serve(settings: Settings, answerer: Answerer, store: Store) -> None:
    """Run every configured channel until SIGINT or SIGTERM."""
    from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramUnauthorizedError

    from .channels import telegram  # imports aiogram: only here, never for the other commands

    bot = telegram.build_bot(settings)
    dp = telegram.build_dispatcher(answerer, store, settings)
    try:
        me = await bot.get_me()
    except TelegramUnauthorizedError:
        await bot.session.close()
        raise ChannelError("Telegram refused GONGKAI_TELEGRAM_TOKEN (401 Unauthorized): check the token") from None
    except (TelegramNetworkError, TelegramAPIError) as e:
        await bot.session.close()
        raise ChannelError(f"cannot reach the Telegram Bot API: {e}") from None
    log.info("telegram: @%s", me.username)
    # Everything long-lived is built: leave it out of the garbage collector's full passes, which
    # would otherwise walk the whole index and aiogram's models (tens of ms) every few seconds.
    gc.freeze()
    try:
        await telegram.set_commands(bot, settings.telegram_staff_chat_id)
    except Exception as e:  # the menu is a nicety: a failure must not stop the bot
        log.warning("telegram: setMyCommands failed: %s", type(e).__name__)
    if not settings.telegram_webhook_url:
        await bot.delete_webhook(drop_pending_updates=False)
        log.info("telegram: long polling")
        await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types())
        return
    app = build_web_app()
    secret = (
        settings.telegram_webhook_secret.get_secret_value()
        if settings.telegram_webhook_secret
        else secrets.token_urlsafe(32)
    )
    telegram.add_webhook(app, dp, bot, secret)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, settings.http_host, settings.http_port).start()
    await bot.set_webhook(
        settings.telegram_webhook_url, secret_token=secret, allowed_updates=dp.resolve_used_update_types()
    )
    log.info(
        "telegram: webhook %s, served on http://%s:%s%s",
        settings.telegram_webhook_url,
        settings.http_host,
        settings.http_port,
        telegram.WEBHOOK_PATH,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await dp.emit_startup(bot=bot)  # what polling does by itself: the outbox sender starts
    try:
        await stop.wait()
    finally:
        await dp.emit_shutdown(bot=bot)
        await runner.cleanup()
        await bot.session.close()
