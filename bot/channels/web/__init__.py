"""The website channel: the citizens' chat at ``/`` (embeddable with one script tag) and the
staff console at ``/staff``, on the project's one aiohttp application.

Pages are rendered on the server with Jinja2, which escapes every value; every asset is served by
the app itself (the bureau's intranet may have no internet), and the chat works without
JavaScript.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import zoneinfo
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from aiohttp import web

from ... import texts
from ...bidi import shown
from ...config import Settings
from ...limits import RateLimit
from ...services.answering import Answerer
from ...services.chats import ChatSessions
from ...services.staff import Session
from .accounts import AccountsConsole
from .applications import ApplicationPages
from .citizen import CitizenChat
from .report import ReportPages
from .security import STAFF_COOKIE
from .sessions import FRAMED, WebSessions
from .staff import StaffConsole
from .teaching import TeachingConsole

if TYPE_CHECKING:
    from ...app import Services

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
# The frame-ancestors of the citizens' pages: 'self' and the sites of web_embed_origins.
ANCESTORS = web.AppKey("gongkai_web_ancestors", str)
VERSIONS = web.AppKey("gongkai_web_static_versions", dict)
PURGE_EVERY = 3600.0  # seconds between purges of the chat sessions that aged out
# The versioned assets (``static()`` names each with its hash) never change under their URL;
# the favicon's fixed address is asked for by every browser, so it is kept a month.
IMMUTABLE = "public, max-age=31536000, immutable"
FAVICON_CACHE = "public, max-age=2592000"


def _versions() -> dict[str, str]:
    """Each static file's version: its content's hash, in its address (``?v=``)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:8] for p in (HERE / "static").iterdir()}


def _templates(settings: Settings, answerer: Answerer, versions: dict[str, str]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=shown,  # what citizens typed, without bidi controls that would reorder the page
    )
    env.filters["actor"] = texts.actor_label
    zone = zoneinfo.ZoneInfo(settings.timezone)
    # A time the log recorded in UTC (an enquiry's), in the bureau's time.
    env.filters["local"] = lambda at: dt.datetime.fromisoformat(at).astimezone(zone)
    env.globals.update(
        texts=texts,
        contacts=answerer.contacts,
        bureau=settings.bureau_name,
        # The settings still the sample bureau's, for the staff console's banner: read at start,
        # as every answer's contacts are, so it goes when a restart puts the new values in force.
        unset_settings=settings.unset(),
        unset_variables=settings.placeholders(),
        static=lambda name: f"/static/{name}?v={versions.get(name, '')}",
    )
    return env


@web.middleware
async def _headers(request: web.Request, handler: Any) -> web.StreamResponse:
    """Security headers on every page; only the citizens' pages may be framed by the sites the
    bureau allows (the widget), and the staff console by none but this site."""
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    ancestors = request.app.get(ANCESTORS, "'self'") if request.path in FRAMED else "'self'"
    framed = ancestors != "'self'"  # X-Frame-Options cannot name other sites: CSP alone says it
    response.headers.setdefault(
        "Content-Security-Policy",
        f"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors {ancestors}",
    )
    if not framed:
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    # Only a static file's current version never changes under its address.
    current = request.app.get(VERSIONS, {}).get(request.path.removeprefix("/static/"))
    if request.path.startswith("/static/") and response.status == 200 and current and request.query.get("v") == current:
        response.headers.setdefault("Cache-Control", IMMUTABLE)
    return response


def _error_pages(render: Any, staff: Callable[[web.Request], Session | None]) -> Any:
    """A middleware that answers a browser's wrong address (404) or a form's address opened as a
    page (405, for GET only) with a page in the site's look, in the staff console's under /staff;
    and a refusal or a bad request (403: a role's, a stale form's; 400: a page number that is
    none, a form that cannot be read), whatever the method, with that page in the console or for
    a browser (what asks for HTML: a form posted without the page's script). Other methods (a
    POST to a wrong address, a PUT) and the refusals to others (a WeChat signature's, the chat
    script's fetch) keep the short texts."""

    @web.middleware
    async def error_pages(request: web.Request, handler: Any) -> web.StreamResponse:
        try:
            return await handler(request)
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed, web.HTTPForbidden, web.HTTPBadRequest) as e:
            staff_area = request.path == "/staff" or request.path.startswith("/staff/")
            if e.status in (400, 403):
                paged = staff_area or "text/html" in request.headers.get("Accept", "")
            else:
                paged = request.method in ("GET", "HEAD")
            if not paged:
                raise
            heading, detail = texts.WEB_ERROR_PAGES[e.status]
            if any("\u4e00" <= c <= "\u9fff" for c in e.text or ""):
                detail = e.text or ""  # a handler's own sentence: "没有这个编号的投诉。"
            session = staff(request) if staff_area else None  # the console's bar, for who is logged in
            response = render(
                "error.html",
                status=e.status,
                heading=heading,
                detail=detail,
                staff_area=staff_area,
                staff=session,
                csrf=session.csrf if session else "",
            )
            response.set_status(e.status)
            if "Allow" in e.headers:
                response.headers["Allow"] = e.headers["Allow"]
            return response

    return error_pages


def setup(app: web.Application, services: Services, settings: Settings) -> None:
    """Serve the web chat and the staff console on ``app``; purge the chat sessions that aged out
    at start and every hour."""
    app[VERSIONS] = versions = _versions()
    env = _templates(settings, services.answerer, versions)

    def render(template: str, **context: Any) -> web.Response:
        return web.Response(text=env.get_template(template).render(**context), content_type="text/html")

    secure = settings.web_secure_cookies
    conversation = services.conversation
    origins = settings.web_embed_origins
    sessions = WebSessions(services.chats, embed_origins=origins, secure=secure)
    proxies = frozenset(settings.http_trusted_proxies)
    chat = CitizenChat(
        conversation,
        sessions,
        RateLimit((settings.web_rate_limit, 60.0)),
        render,
        secure,
        proxies,
        forms=RateLimit((settings.web_form_rate_limit, 60.0)),
    )
    app[ANCESTORS] = " ".join(["'self'", *origins])
    app.middlewares.append(sessions.middleware)
    console = StaffConsole(
        services.answerer,
        services.store,
        services.complaints,
        services.staff,
        render,
        secure,
        taught=services.teaching.wordings,
        logins=RateLimit((settings.staff_logins_per_minute, 60.0)),
        proxies=proxies,
    )
    pages = ApplicationPages(
        services.applications, services.answerer, settings, sessions, render, console._staff, console._page
    )
    app.middlewares.append(_headers)
    # Inside _headers: the page gets the headers too.
    app.middlewares.append(_error_pages(render, lambda r: services.staff.session(r.cookies.get(STAFF_COOKIE))))
    app.add_routes(chat.routes())
    app.add_routes(console.routes())
    app.add_routes(ReportPages(console, services.reports).routes())
    app.add_routes(TeachingConsole(console, services).routes())
    app.add_routes(AccountsConsole(console, services.staff).routes())
    app.add_routes(pages.routes())
    app.router.add_get("/static/{name}", _static)
    app.router.add_get("/widget.js", _file(HERE / "static" / "widget.js", "application/javascript"))
    favicon = {"Cache-Control": FAVICON_CACHE}
    app.router.add_get("/favicon.ico", _file(HERE / "static" / "favicon.svg", "image/svg+xml", favicon))
    # The example stands for the bureau's own page, which has its own styles.
    example_policy = {"Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'"}
    app.router.add_get("/widget-example", _file(HERE / "static" / "widget-example.html", "text/html", example_policy))

    async def purging(_: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(_purge(services.chats))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    app.cleanup_ctx.append(purging)


async def _purge(chats: ChatSessions) -> None:
    """Purge the aged-out chat sessions now and every ``PURGE_EVERY`` seconds (a busy database
    puts it off to the next time)."""
    while True:
        try:
            await chats.apurge()
        except Exception as e:  # the database busy or full: the next round tries again
            log.warning("web chat: sessions not purged: %s", e)
        await asyncio.sleep(PURGE_EVERY)


async def _static(request: web.Request) -> web.StreamResponse:
    """One of the site's own files (its folder has no subfolders), or the site's 404 page: aiohttp's
    static route answers a missing file with an empty 404 that no middleware sees raised."""
    name = request.match_info["name"]
    if name not in request.app[VERSIONS]:
        raise web.HTTPNotFound()
    return web.FileResponse(HERE / "static" / name)


def _file(path: Path, content_type: str, headers: dict[str, str] | None = None) -> Any:
    async def serve(_: web.Request) -> web.Response:
        return web.Response(body=path.read_bytes(), content_type=content_type, charset="utf-8", headers=headers)

    return serve
