"""The one place where things are wired: the core services, the channels, the HTTP server."""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from .channels import ChannelError
from .channels import http as http_guard
from .config import Settings
from .knowledge import KnowledgeError, load
from .matching import build_matcher
from .services.answering import Answerer
from .services.applications import Applications, reminding
from .services.calendar import WorkCalendar
from .services.catalogue import CatalogueSearch
from .services.chats import ChatSessions
from .services.complaints import Complaints
from .services.conversation import Conversation
from .services.report import Reports
from .services.report.records import register_records
from .services.staff import StaffAccounts
from .services.teaching import Teaching
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
    teaching: Teaching
    chats: ChatSessions
    applications: Applications
    reports: Reports
    _reloading: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

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
        applications: Applications | None = None,
    ) -> Services:
        """The services on an answerer and a store already built (``build_services``, tests)."""
        calendar = WorkCalendar(answerer.matcher.knowledge.calendar)
        if complaints is None:
            complaints = Complaints(store, settings, calendar=calendar)
        if applications is None:
            # The complaints' outbox: one set of waiting senders, woken by either register.
            applications = Applications(store, settings, calendar=calendar, outbox=complaints.outbox)
        return cls(
            settings,
            answerer,
            complaints,
            staff or StaffAccounts(store, settings),
            Conversation(answerer, complaints, store, applications),
            store,
            Teaching(store),
            ChatSessions(store, settings),
            applications,
            # The knowledge in force, read at each report: a reload swaps it.
            Reports(
                store,
                lambda: answerer.matcher.knowledge,
                settings,
                now=complaints.now,
                applications=lambda year: register_records(store.reader, year),
            ),
        )

    async def reload(self) -> bool:
        """Load and index the knowledge folder again, off the event loop, and answer from it from
        the next question on (each question is answered wholly by the old or the new). A folder
        that fails its check is not loaded: the knowledge in force goes on serving and the
        reason is logged. One reload at a time; returns whether this one took effect."""
        async with self._reloading:
            folder = self.settings.knowledge
            try:
                matcher = await asyncio.get_running_loop().run_in_executor(
                    None,
                    lambda: build_matcher(self.teaching.apply(load(folder)), self.settings, self.answerer.matcher),
                )
            except KnowledgeError as error:
                log.error("knowledge in %s not reloaded, the previous one goes on serving:\n%s", folder, error)
                return False
            except Exception:
                log.exception("knowledge in %s not reloaded, the previous one goes on serving", folder)
                return False
            self.answerer.swap(matcher)
            self.complaints.calendar = WorkCalendar(matcher.knowledge.calendar)
            self.applications.calendar = self.complaints.calendar
            knowledge = matcher.knowledge
            log.info(
                "knowledge reloaded: %d guide entries, %d catalogue items",
                len(knowledge.guide),
                len(knowledge.catalogue),
            )
            await asyncio.get_running_loop().run_in_executor(None, self.check_taught)
            return True

    def check_taught(self) -> list[tuple[str, str, str, str]]:
        """The questions staff taught that the knowledge in force no longer answers as taught
        (a file edited, the thresholds refitted), each logged as a warning."""
        from .evaluation import evaluate

        misses = evaluate(self.answerer, self.teaching.labelled()).misses
        for question, expected, outcome, entry_id in misses:
            log.warning(
                "a question staff taught is no longer answered as taught: %r expected %s, got %s %s",
                question,
                expected,
                outcome,
                entry_id,
            )
        return misses


def knowledge_files(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What says that the knowledge folder changed: each file's path, size and modification time."""
    found = []
    for path in sorted(folder.rglob("*")):
        try:
            if path.is_file() and not path.name.startswith("."):
                stat = path.stat()
                found.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            continue  # removed while listed: the next look sees it gone
    return tuple(found)


async def watch_knowledge(services: Services, every: float) -> None:
    """Reload the knowledge when its files change or staff teach something (``gongkai teach`` in
    another process): a change is acted on once it has stayed the same for one more look (an
    editor or ``git pull`` writes several files, not at once)."""
    folder = services.settings.knowledge

    def look() -> tuple[object, ...]:
        return (services.teaching.version(), knowledge_files(folder))

    loaded = await asyncio.to_thread(look)
    seen = loaded
    while True:
        await asyncio.sleep(every)
        now = await asyncio.to_thread(look)
        if now == seen and now != loaded:
            await services.reload()
            loaded = now  # a folder that failed its check is tried again only when it changes
        seen = now


def build_services(settings: Settings) -> Services:
    """Load the knowledge (failing loudly if it is bad) with what staff taught over it, index it,
    open the store, apply migrations, and build every service on them."""
    store = Store.from_settings(settings)
    knowledge = Teaching(store).apply(load(settings.knowledge))
    answerer = Answerer(build_matcher(knowledge, settings), settings)
    return Services.of(answerer, store, settings)


def build_web_app(services: Services | None = None) -> web.Application:
    """The project's one aiohttp application; channels add their routes to it. With ``services``,
    ``/healthz`` checks them and ``/metrics`` shows them (``bot.metrics``); without, ``/healthz``
    says only that the process answers."""
    app = web.Application(client_max_size=256 * 1024)  # every form, update and message is far smaller
    http_guard.setup(app)  # security headers and Chinese error messages on every response

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    if services is not None:
        from . import metrics

        metrics.setup(app, services)
    else:
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
    app = build_web_app(services)
    for name in channels if channels is not None else channels_on(settings):
        importlib.import_module(f".channels.{name}", __package__).setup(app, services, settings)
    if http:  # the staff group's reminders of applications' deadlines, while the bot serves
        app.cleanup_ctx.append(reminding(services.applications))

    runner = web.AppRunner(app, **http_guard.SERVER_OPTIONS)
    await runner.setup()  # every channel starts here (cleanup_ctx): a refused token stops us now
    http_guard.guard(runner)
    try:
        if http:
            await web.TCPSite(runner, settings.http_host, settings.http_port).start()
            base = f"http://{settings.http_host}:{settings.http_port}"
            print(f"Gongkai is running. Web chat: {base}/   Staff console: {base}/staff", flush=True)
            if unset := settings.placeholders():
                # Every answer would show them to citizens: say so where the operator looks.
                print(
                    f"Still sample values, shown to citizens in answers: {', '.join(unset)}. "
                    "Set them with `gongkai setup` (or in the environment), then restart.",
                    flush=True,
                )
            if years := services.complaints.calendar.unknown_ahead():
                # Deadlines there skip too few days: say so where the operator looks, every start.
                print(
                    f"The public holidays of {'、'.join(map(str, years))} are not known: deadlines in it skip only "
                    "weekends, 元旦, 1-2 May and 1-3 October. List its holidays and 调休 days in the knowledge "
                    "folder's calendar.yaml (or upgrade chinesecalendar), then reload.",
                    flush=True,
                )
            if settings.wechat_token:
                print(f"WeChat callback: {base}{settings.wechat_path}", flush=True)
        # Everything long-lived is built: leave it out of the garbage collector's full passes, which
        # would otherwise walk the whole index and aiogram's models (tens of ms) every few seconds.
        gc.freeze()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, app[STOP].set)
        reloads: set[asyncio.Task[bool]] = set()

        def reload() -> None:
            task = asyncio.create_task(services.reload())
            reloads.add(task)
            task.add_done_callback(reloads.discard)

        loop.add_signal_handler(signal.SIGHUP, reload)
        every = settings.knowledge_reload_seconds
        watcher = asyncio.create_task(watch_knowledge(services, every)) if every else None
        await app[STOP].wait()
        if watcher is not None:
            watcher.cancel()
    finally:
        await runner.cleanup()  # every channel stops here, in the reverse order
