"""The web's guards: cookies, CSRF tokens, and rate limits (the citizen's sessions are the
``ChatSessions`` service's)."""

from __future__ import annotations

import hmac
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from aiohttp import web

CHAT_COOKIE = "gk_chat"
STAFF_COOKIE = "gk_staff"
LOGIN_COOKIE = "gk_login"  # the log-in form's CSRF token, before there is a session


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens, false if either is missing."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


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


class RateLimit:
    """At most ``limit`` events per ``period`` seconds for each key (a session, an address)."""

    def __init__(self, limit: int, period: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, *keys: str) -> bool:
        """Whether an event for every key is within the limit; counted only if it is."""
        now = self.clock()
        windows = []
        for key in keys:
            window = self._events.setdefault(key, deque())
            self._events.move_to_end(key)
            while window and now - window[0] >= self.period:
                window.popleft()
            windows.append(window)
        if any(len(w) >= self.limit for w in windows):
            return False
        for window in windows:
            window.append(now)
        while len(self._events) > 50_000:
            self._events.popitem(last=False)
        return True


def client_address(request: web.Request) -> str:
    """The client's address: the reverse proxy's X-Real-IP when it comes from the proxy itself."""
    peer = request.remote or ""
    if peer in ("127.0.0.1", "::1") and request.headers.get("X-Real-IP"):
        return request.headers["X-Real-IP"]
    return peer
