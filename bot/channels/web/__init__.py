"""The website channel: the citizens' chat at ``/`` (embeddable with one script tag) and the
staff console at ``/staff``, on the project's one aiohttp application.

Pages are rendered on the server with Jinja2, which escapes every value; every asset is served by
the app itself (the bureau's intranet may have no internet), and the chat works without
JavaScript.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from aiohttp import web

from ... import texts
from ...config import Settings
from ...limits import RateLimit
from ...services.answering import Answerer
from .citizen import CitizenChat
from .security import ChatSessions
from .staff import StaffConsole

if TYPE_CHECKING:
    from ...app import Services

HERE = Path(__file__).resolve().parent


def _templates(settings: Settings, answerer: Answerer) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    versions = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:8] for p in (HERE / "static").iterdir()}
    env.globals.update(
        texts=texts,
        contacts=answerer.contacts,
        bureau=settings.bureau_name,
        static=lambda name: f"/static/{name}?v={versions.get(name, '')}",
    )
    return env


@web.middleware
async def _headers(request: web.Request, handler: Any) -> web.StreamResponse:
    """Security headers on every page; only the chat's embed view may be framed (the widget)."""
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    framed = request.path == "/" and request.query.get("embed") == "1"
    ancestors = "*" if framed else "'self'"
    response.headers.setdefault(
        "Content-Security-Policy",
        f"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors {ancestors}",
    )
    if not framed:
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response


def setup(app: web.Application, services: Services, settings: Settings) -> None:
    """Serve the web chat and the staff console on ``app`` (nothing to start or stop)."""
    env = _templates(settings, services.answerer)

    def render(template: str, **context: Any) -> web.Response:
        return web.Response(text=env.get_template(template).render(**context), content_type="text/html")

    secure = settings.web_secure_cookies
    conversation = services.conversation
    sessions = ChatSessions(conversation.user_ref)
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
    console = StaffConsole(
        services.answerer,
        services.store,
        services.complaints,
        services.staff,
        render,
        secure,
        logins=RateLimit((settings.staff_logins_per_minute, 60.0)),
        proxies=proxies,
    )
    app.middlewares.append(_headers)
    app.add_routes(chat.routes())
    app.add_routes(console.routes())
    app.router.add_static("/static", HERE / "static")
    app.router.add_get("/widget.js", _file(HERE / "static" / "widget.js", "application/javascript"))
    # The example stands for the bureau's own page, which has its own styles.
    example_policy = {"Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'"}
    app.router.add_get("/widget-example", _file(HERE / "static" / "widget-example.html", "text/html", example_policy))


def _file(path: Path, content_type: str, headers: dict[str, str] | None = None) -> Any:
    async def serve(_: web.Request) -> web.Response:
        return web.Response(body=path.read_bytes(), content_type=content_type, charset="utf-8", headers=headers)

    return serve
