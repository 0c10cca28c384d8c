"""The web's guards: the citizen's session cookie, CSRF tokens, and rate limits."""

from __future__ import annotations

import hmac
import secrets
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

CHAT_COOKIE = "gk_chat"
STAFF_COOKIE = "gk_staff"
LOGIN_COOKIE = "gk_login"  # the log-in form's CSRF token, before there is a session
CHAT_COOKIE_DAYS = 30


@dataclass
class Turn:
    """One line of the web chat: the citizen's or the bot's."""

    who: str  # "me" or "bot"
    text: str
    choices: list[tuple[str, str]] = field(default_factory=list)  # (entry id, title)
    hits: list[dict[str, Any]] = field(default_factory=list)  # catalogue items
    offer: str | None = None  # "投诉" or "举报": offer the complaint form
    rate: str | None = None  # a closed complaint's number: offer the rating buttons
    link: tuple[str, str] | None = None  # (label, href) of a page to go on to


@dataclass
class ChatSession:
    """A citizen's conversation: its turns (kept in memory) and the complaint draft."""

    token: str
    turns: deque[Turn] = field(default_factory=lambda: deque(maxlen=40))
    draft: dict[str, str] | None = None
    added: int = 0  # turns added in all, so that a request can tell which are its own

    def add(self, turn: Turn) -> None:
        self.turns.append(turn)
        self.added += 1

    def since(self, added: int) -> list[Turn]:
        """The turns added after ``added`` turns had been (as many as are still kept)."""
        count = min(self.added - added, len(self.turns))
        return list(self.turns)[len(self.turns) - count :] if count > 0 else []


class ChatSessions:
    """Citizens' sessions by cookie token, the most recent ``size`` of them in memory.

    The cookie outlives the memory (a restart, a long absence): the conversation starts afresh,
    but the citizen id derived from the token, and with it their complaints' replies, stays.
    """

    def __init__(self, key: Callable[[str, str], str | None], size: int = 10_000) -> None:
        self._key = key
        self._sessions: OrderedDict[str, ChatSession] = OrderedDict()
        self._size = size

    def get(self, request: web.Request) -> ChatSession:
        token = request.cookies.get(CHAT_COOKIE, "")
        if not _plausible(token):
            token = secrets.token_urlsafe(24)
        session = self._sessions.get(token)
        if session is None:
            session = self._sessions[token] = ChatSession(token)
            if len(self._sessions) > self._size:
                self._sessions.popitem(last=False)
        self._sessions.move_to_end(token)
        return session

    def csrf(self, session: ChatSession) -> str:
        """The session's CSRF token: a keyed hash of its cookie, so it survives a restart."""
        return self._key("web-csrf", session.token) or ""

    def citizen(self, session: ChatSession) -> str:
        """The citizen's stable id (a complaint's chat id): a keyed hash, not the cookie itself."""
        return "w" + (self._key("web-citizen", session.token) or "")


def _plausible(token: str) -> bool:
    return 20 <= len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens, false if either is missing."""
    # As bytes: compare_digest refuses str with non-ASCII characters (a forged token may hold any).
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


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
