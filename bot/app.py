"""The one place where things are wired: the core services, the channels, the HTTP server."""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiohttp import web

from .channels import ChannelError
from .channels import http as http_guard
from .config import Settings
from .knowledge import load
from .matching import build_matcher
from .services.answering import Answerer
from .services.calendar import WorkCalendar
from .services.catalogue import CatalogueSearch
from .services.complaints import Complaints
from .services.conversation import Conversation
from .services.staff import StaffAccounts
from .storage import Store

log = logging.getLogger("gongkai")
__all__ = ["CHANNELS", "STOP", "ChannelError", "Services", "build_services", "build_web_app", "serve"]

# Every channel, by its package under bot/channels/, and when it is on. A package is imported only
# when its channel is on (Telegram's imports aiogram: seconds). A new channel is one line here.
CHANNELS: dict[str, Callable[[Settings], bool]] = {
    "web": lambda settings: True,
    "wechat": lambda settings: settings.wechat_token is not None,
    "telegram": lambda settings: settings.telegram_token is not None,
    "console": lambda settings: False,  # the terminal chat: only `gongkai chat` runs it
}
# Set it to stop serving (SIGINT and SIGTERM do; so does the terminal chat's /quit).
STOP = web.AppKey("gongkai_stop", asyncio.Event)


@dataclass
class Services:
    """The core services, built once and handed to every channel.

    :param store: the database; channels do not use it (the conversation layer records
      enquiries), except the staff console's reports, which read it
    """

    settings: Settings
    answerer: Answerer
    complaints: Complaints
    staff: StaffAccounts
    conversation: Conversation
    store: Store

    @property
    def catalogue(self) -> CatalogueSearch:
        return self.answerer.catalogue

    @classmethod
    def of(
        cls,
        answerer: Answerer,
        store: Store,
        settings: Settings,
        *,
        complaints: Complaints | None = None,
        staff: StaffAccounts | None = None,
    ) -> Services:
        """The services on an answerer and a store already built (``build_services``, tests)."""
        if complaints is None:
            complaints = Complaints(store, settings, calendar=WorkCalendar(answerer.matcher.knowledge.calendar))
        return cls(
            settings,
            answerer,
            complaints,
            staff or StaffAccounts(store, settings),
            Conversation(answerer, complaints, store),
            store,
        )


def build_services(settings: Settings) -> Services:
    """Load and index the knowledge (failing loudly if it is bad), open the store, apply
    migrations, and build every service on them."""
    answerer = Answerer(build_matcher(load(settings.knowledge), settings), settings)
    return Services.of(answerer, Store.from_settings(settings), settings)


def build_web_app() -> web.Application:
    """The project's one aiohttp application; channels add their routes to it."""
    app = web.Application(client_max_size=256 * 1024)  # every form, update and message is far smaller
    http_guard.setup(app)  # security headers and Chinese error messages on every response

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app.router.add_get("/healthz", health)
    app[STOP] = asyncio.Event()
    return app


def channels_on(settings: Settings) -> list[str]:
    """The channels ``gongkai run`` serves with ``settings``."""
    return [name for name, on in CHANNELS.items() if on(settings)]


async def serve(services: Services, channels: Iterable[str] | None = None, *, http: bool = True) -> None:
    """Serve ``channels`` (every one that is on, by default) until SIGINT, SIGTERM or ``app[STOP]``:
    each channel's ``setup`` adds its routes and its start and stop; the HTTP server listens
    when ``http`` (the terminal chat needs none)."""
    settings = services.settings
    app = build_web_app()
    for name in channels if channels is not None else channels_on(settings):
        importlib.import_module(f".channels.{name}", __package__).setup(app, services, settings)

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()  # every channel starts here (cleanup_ctx): a refused token stops us now
    try:
        if http:
            await web.TCPSite(runner, settings.http_host, settings.http_port).start()
            base = f"http://{settings.http_host}:{settings.http_port}"
            print(f"Gongkai is running. Web chat: {base}/   Staff console: {base}/staff", flush=True)
            if settings.wechat_token:
                print(f"WeChat callback: {base}{settings.wechat_path}", flush=True)
        # Everything long-lived is built: leave it out of the garbage collector's full passes, which
        # would otherwise walk the whole index and aiogram's models (tens of ms) every few seconds.
        gc.freeze()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, app[STOP].set)
        await app[STOP].wait()
    finally:
        await runner.cleanup()  # every channel stops here, in the reverse order
