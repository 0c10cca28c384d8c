"""The web chat's session on each request of the citizens' pages: which one it is, opened before
the handler and saved after it, and the links of the embed mode.

The session travels in the cookie on the site itself. Inside the widget's frame on another site the
cookie is a third-party one, which browsers do not send (``SameSite``) or block: there the pages are
in embed mode (``embed=1``) and carry the session's token in every link and form action (``s``),
and ``chat.js`` sends it as the ``X-Gongkai-Session`` header; the CSRF token is bound to it. A token
in a link is taken only inside a frame (``Sec-Fetch-Dest``), so that a link opened in a tab cannot
slip a stranger's session under a citizen's own.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from aiohttp import web
from markupsafe import Markup

from ...services.chats import ChatSession, ChatSessions
from .security import CHAT_COOKIE, set_cookie

SESSION_HEADER = "X-Gongkai-Session"
# The citizens' pages, which the widget shows in its frame (the sites of web_embed_origins may frame them).
FRAMED = frozenset(
    {
        "/",
        "/chat",
        "/updates",
        "/complaint",
        "/complaint/confirm",
        "/status",
        "/rate",
        "/apply",
        "/apply/confirm",
        "/apply/correct",
    }
)
_SESSION = web.RequestKey("gongkai_chat_session", ChatSession)


@dataclass(frozen=True)
class View:
    """How the request's pages are shown: in the widget's frame (embed mode) or not."""

    session: ChatSession
    embed: bool
    parent: str | None = None  # the embedding page's origin, if it may be told the token

    def keep(self) -> list[tuple[str, str]]:
        """What every link and form carries in embed mode (where no cookie can)."""
        return [("embed", "1"), ("s", self.session.token)] if self.embed else []

    def link(self, location: str, **query: Any) -> str:
        """``location`` (a path, maybe with a query and an anchor) with ``query`` and, in embed
        mode, the session."""
        path, _, anchor = location.partition("#")
        pairs = [(k, str(v)) for k, v in query.items()] + self.keep()
        if pairs:
            path += ("&" if "?" in path else "?") + urlencode(pairs)
        return path + ("#" + anchor if anchor else "")


_VIEW: contextvars.ContextVar[View] = contextvars.ContextVar("gongkai_web_view")


def allowed(origin: str, patterns: list[str]) -> bool:
    """Whether ``origin`` (scheme://host[:port]) is one of ``patterns`` (``*.`` for any subdomain)."""
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return False
    if not parts.hostname or parts.path or parts.query:
        return False
    for pattern in patterns:
        want = urlsplit(pattern)
        if (want.scheme, want.port) != (parts.scheme, port):
            continue
        host = want.hostname or ""
        if parts.hostname == host or (host.startswith("*.") and parts.hostname.endswith(host[1:])):
            return True
    return False


def _token(request: web.Request) -> str | None:
    """The session token the request carries: chat.js's header, else (inside a frame only) the
    link's or the form action's ``s``, else the cookie."""
    if request.headers.get(SESSION_HEADER):
        return request.headers[SESSION_HEADER]
    # A token in a link opened in a tab would put its owner's session under whoever follows it; a
    # request that does not say it is a frame's (a browser too old to send Sec-Fetch-Dest, curl) is
    # taken for a tab's: such a browser in a frame keeps its session by the cookie, where allowed.
    if _from_link(request):
        return request.query["s"]
    return request.cookies.get(CHAT_COOKIE)


def _from_link(request: web.Request) -> bool:
    """Whether the request's session is the one its link names (a frame's ``s``): never made the
    browser's cookie, or a link crafted with someone's token would put its follower's later
    questions, in any tab, under that session (session fixation)."""
    return (
        not request.headers.get(SESSION_HEADER)
        and request.headers.get("Sec-Fetch-Dest") == "iframe"
        and bool(request.query.get("s"))
    )


class WebSessions:
    """The citizens' sessions as the web sees them, on the ``ChatSessions`` service.

    :param chats: issues, loads and saves the sessions
    :param embed_origins: the sites allowed to frame the pages (``web_embed_origins``)
    :param secure: mark the cookie Secure
    """

    def __init__(self, chats: ChatSessions, *, embed_origins: list[str] | None = None, secure: bool = False) -> None:
        self.chats = chats
        self.embed_origins = embed_origins or []
        self.secure = secure

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Open the request's session before a citizen's page, save what it changed after (a
        redirect is raised), and give the response its cookie."""
        if request.path not in FRAMED:
            return await handler(request)
        session = self.chats.open(_token(request))
        request[_SESSION] = session
        embed = request.query.get("embed") == "1"
        reset = _VIEW.set(View(session, embed, self._parent(request, embed)))
        linked = _from_link(request)
        try:
            response: web.StreamResponse = await handler(request)
        except web.HTTPException as e:
            if e.status < 400 and not linked:
                self._cookie(e, session)
            raise
        finally:
            await self.chats.save(session)
            _VIEW.reset(reset)
        if not linked:
            self._cookie(response, session)
        return response

    def get(self, request: web.Request) -> ChatSession:
        """The request's session (opened by the middleware)."""
        session = request.get(_SESSION)
        if session is None:
            session = request[_SESSION] = self.chats.open(_token(request))
        return session

    def csrf(self, session: ChatSession) -> str:
        return self.chats.csrf(session)

    def citizen(self, session: ChatSession) -> str:
        return self.chats.citizen(session)

    # --- the embed mode's links ---------------------------------------------------------------------

    @staticmethod
    def view() -> View | None:
        return _VIEW.get(None)

    def link(self, location: str, **query: Any) -> str:
        view = self.view()
        if view is None:
            return View(ChatSession("", "", ""), False).link(location, **query)
        return view.link(location, **query)

    def context(self) -> dict[str, Any]:
        """What the templates need to keep a page in its frame: ``link()``, ``kept`` (the hidden
        fields of a GET form), ``embed``, ``token`` and ``parent`` (for chat.js)."""
        view = self.view()
        keep = view.keep() if view is not None else []
        return {
            "link": self.link,
            "kept": Markup("").join(Markup('<input type="hidden" name="{}" value="{}">').format(k, v) for k, v in keep),
            "embed": bool(view and view.embed),
            "token": view.session.token if view and view.embed else "",
            "parent": view.parent if view else None,
        }

    def _parent(self, request: web.Request, embed: bool) -> str | None:
        """The embedding page's origin the widget names (``origin``), if it may frame us: the frame
        hands it the session's token to keep for the next visit (postMessage to that origin only)."""
        origin = request.query.get("origin", "")
        if not embed or not origin:
            return None
        own = urlsplit(origin).netloc == request.host
        return origin if own or allowed(origin, self.embed_origins) else None

    def _cookie(self, response: web.StreamResponse, session: ChatSession) -> None:
        set_cookie(response, CHAT_COOKIE, session.token, secure=self.secure, days=self.chats.days)
