"""The web's guards: cookies, CSRF tokens, signed notices and rate limits (the citizen's sessions
are the ``ChatSessions`` service's)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import urllib.parse

from aiohttp import web

CHAT_COOKIE = "gk_chat"
STAFF_COOKIE = "gk_staff"
LOGIN_COOKIE = "gk_login"  # the log-in form's CSRF token, before there is a session


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens, false if either is missing."""
    # As bytes: compare_digest refuses str with non-ASCII characters (a forged token may hold any).
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


# Signs the notices a staff page shows after a post; a new key at every start (a notice in a link
# from before a restart is simply not shown).
_NOTICE_KEY = secrets.token_bytes(32)
# A notice is for the page a post redirects to, read at once: a link to it older than this (sent
# to a colleague, kept in the history) shows the page without it.
NOTICE_SECONDS = 600


def _signature(path: str, name: str, text: str, at: str) -> str:
    signed = f"{path}\x1f{name}\x1f{text}\x1f{at}".encode()
    return hmac.new(_NOTICE_KEY, signed, hashlib.sha256).hexdigest()[:32]


def told(url: str, **notices: str) -> str:
    """``url`` (a page, its query too if it has one) with what a post did (``done=已受理``,
    ``error=…``) for that page to say, each notice signed for that page and this time (see
    :func:`notice`)."""
    if not notices:
        return url
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)  # as request.path reads it
    at = str(int(time.time()))
    signed: dict[str, str] = {}
    for name, text in notices.items():
        signed |= {name: text, f"{name}_at": at, f"{name}_sig": _signature(path, name, text, at)}
    return url + ("&" if "?" in url else "?") + urllib.parse.urlencode(signed)


def notice(request: web.Request, name: str) -> str:
    """The notice ``name`` of the request's query if the console itself wrote it for this page
    (:func:`told`) in the last ``NOTICE_SECONDS``, else "": a link cannot put words of its own in a
    staff page's banner (请访问 … 重新登录), nor carry a notice the console wrote for another page,
    nor an old one."""
    text, at = request.query.get(name, ""), request.query.get(f"{name}_at", "")
    if not (text and at.isdigit() and 0 <= time.time() - int(at) <= NOTICE_SECONDS):
        return ""
    return text if same(request.query.get(f"{name}_sig"), _signature(request.path, name, text, at)) else ""


def set_cookie(response: web.StreamResponse, name: str, value: str, *, secure: bool, days: float | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=int(days * 86400) if days else None,
        httponly=True,
        samesite="Lax",
        secure=secure,
        path="/",
    )


def client_address(request: web.Request, proxies: frozenset[str] = frozenset()) -> str:
    """The client's address: the connection's, or, when the connection comes from one of the
    reverse ``proxies`` (``GONGKAI_HTTP_TRUSTED_PROXIES``), the one the proxy names in X-Real-IP
    (or appended last to X-Forwarded-For). Anyone else's headers are ignored: they are the
    client's own words."""
    peer = request.remote or ""
    if peer not in proxies:
        return peer
    real = request.headers.get("X-Real-IP", "").strip()
    if real:
        return real[:64]
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",") if a.strip()]
    return forwarded[-1][:64] if forwarded else peer
