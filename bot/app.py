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
from .matching import build_matcher
from .services.answering import Answerer
from .services.calendar import WorkCalendar
from .services.complaints import Complaints
from .storage import Store

log = logging.getLogger("gongkai")


class ChannelError(Exception):
    """A channel cannot start (a token refused, a server unreachable): said in one line."""


def build_core(settings: Settings) -> tuple[Answerer, Store]:
    """Load and index the knowledge (failing loudly if it is bad), open the store, apply migrations."""
    return Answerer(build_matcher(load(settings.knowledge), settings), settings), Store.from_settings(settings)


def build_web_app() -> web.Application:
    """The project's one aiohttp application; channels add their routes to it."""
    app = web.Application(client_max_size=256 * 1024)  # every form, update and message is far smaller

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app.router.add_get("/healthz", health)
    return app


async def serve(settings: Settings, answerer: Answerer, store: Store) -> None:
    """Serve every configured channel until SIGINT or SIGTERM: the website (the citizens' chat and
    the staff console), Telegram (polling or webhook) and WeChat when configured."""
    from .channels.web import add_web

    complaints = Complaints(store, settings, calendar=WorkCalendar(answerer.matcher.knowledge.calendar))
    app = build_web_app()
    add_web(app, answerer, store, complaints, settings)
    if settings.wechat_token:
        from .channels.wechat import add_wechat

        add_wechat(app, answerer, store, complaints, settings)
    telegram = await _telegram(settings, answerer, store, complaints, app) if settings.telegram_token else None

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.http_host, settings.http_port).start()
    base = f"http://{settings.http_host}:{settings.http_port}"
    print(f"Gongkai is running. Web chat: {base}/   Staff console: {base}/staff", flush=True)
    if settings.wechat_token:
        print(f"WeChat callback: {base}{settings.wechat_path}", flush=True)
    # Everything long-lived is built: leave it out of the garbage collector's full passes, which
    # would otherwise walk the whole index and aiogram's models (tens of ms) every few seconds.
    gc.freeze()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    polling = None
    if telegram is not None:
        dp, bot = telegram
        if settings.telegram_webhook_url:
            await dp.emit_startup(bot=bot)  # what polling does by itself: the outbox sender starts
        else:
            polling = asyncio.create_task(
                dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(), handle_signals=False)
            )
    try:
        await stop.wait()
    finally:
        if telegram is not None:
            dp, bot = telegram
            if polling is not None:
                await dp.stop_polling()
                await polling
            else:
                await dp.emit_shutdown(bot=bot)
                await bot.session.close()
        await runner.cleanup()


async def _telegram(settings: Settings, answerer: Answerer, store: Store, complaints: Complaints, app: web.Application):
    """Telegram's dispatcher and bot, checked against the Bot API; the webhook added to ``app``."""
    from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramUnauthorizedError

    from .channels import telegram  # imports aiogram: only here, never for the other commands

    bot = telegram.build_bot(settings)
    dp = telegram.build_dispatcher(answerer, store, settings, complaints=complaints)
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
        await telegram.set_commands(bot, settings.telegram_staff_chat_id)
    except Exception as e:  # the menu is a nicety: a failure must not stop the bot
        log.warning("telegram: setMyCommands failed: %s", type(e).__name__)
    if not settings.telegram_webhook_url:
        await bot.delete_webhook(drop_pending_updates=False)
        log.info("telegram: long polling")
        return dp, bot
    secret = (
        settings.telegram_webhook_secret.get_secret_value()
        if settings.telegram_webhook_secret
        else secrets.token_urlsafe(32)
    )
    telegram.add_webhook(app, dp, bot, secret)
    await bot.set_webhook(
        settings.telegram_webhook_url, secret_token=secret, allowed_updates=dp.resolve_used_update_types()
    )
    log.info("telegram: webhook %s, served at %s", settings.telegram_webhook_url, telegram.WEBHOOK_PATH)
    return dp, bot
