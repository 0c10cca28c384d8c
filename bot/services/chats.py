"""The web chat's sessions: who is talking, what was said, the complaint being written.

A session id is only ever made here. The token a browser holds (the cookie, or the widget frame's
URL and header) is the id, the time it was issued, and a keyed hash of both: a token this server
did not issue, or one whose session has aged out (``web_session_days`` since it was last seen), gets
a new session. What a session holds (the last turns, the draft of a complaint at its confirm step)
is saved in the database at the end of each request that changed it, through the one writer: it
survives a restart, and no flood of requests can push it out (the sessions in memory are a cache of
the saved ones, and one with a save still on its way is never dropped from it). A request that
changed nothing writes nothing: a cookieless visit costs no row.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import logging
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from typing import Any

from ..config import Settings
from ..storage import Store, committed
from .answering import pieces, says_missed

log = logging.getLogger(__name__)

KEEP_TURNS = 40  # the turns a session shows and keeps
CACHED = 5_000  # sessions kept in memory (a cache: the database holds them all)
TOUCH_EVERY = dt.timedelta(days=1)  # a visit that changes nothing refreshes `seen_at` this often


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
    asks: list[str] = field(default_factory=list)  # questions the text points to: asked by a click
    english: bool = False  # in English: its choices answered in English, the form it offers linked in English
    after: str = ""  # text under the list of hits (what to do if they are not it)
    heading: str = ""  # the line above the hits, where the text above them is another's (a list of choices)
    # An answer or a list the citizen may say missed: its question, entry and the question as it was
    # read (see answering.missable); the last one has a button that says so.
    missable: list[str] = field(default_factory=list)

    def as_json(self) -> str:
        data = {k: v for k, v in asdict(self).items() if v not in (None, [], False)}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Turn:
        data = json.loads(text)
        link = data.get("link")
        return cls(
            str(data.get("who", "bot")),
            str(data.get("text", "")),
            [(str(a), str(b)) for a, b in data.get("choices", [])],
            list(data.get("hits", [])),
            data.get("offer"),
            data.get("rate"),
            (str(link[0]), str(link[1])) if link else None,
            [str(a) for a in data.get("asks", [])],
            data.get("english") is True,
            str(data.get("after", "")),
            str(data.get("heading", "")),
            [str(a) for a in data.get("missable", [])][:3],
        )

    def says_missed(self) -> tuple[str, str]:
        """Its button that says it missed, and what the citizen is shown saying with it."""
        return says_missed(bool(self.choices), self.english)

    def pieces(self) -> list[tuple[str, str | None]]:
        """The text cut at its pointers (``answering.pieces``): (text, None) or (wording, question)."""
        return pieces(self.text, self.asks)

    def after_pieces(self) -> list[tuple[str, str | None]]:
        """The text under the hits cut at its pointers, as ``pieces``."""
        return pieces(self.after, self.asks)


@dataclass(eq=False)
class ChatSession:
    """A citizen's conversation: its turns and the complaint draft, as saved and as changed since."""

    token: str  # what the browser holds
    sid: str  # the session's id, inside the token
    key: str  # the database's id of it: a keyed hash of ``sid``
    turns: deque[Turn] = field(default_factory=lambda: deque(maxlen=KEEP_TURNS))
    draft: dict[str, str] | None = None
    # The application for information at its confirm step: its nonce and fields (once filed, its
    # nonce and number only).
    application: dict[str, str] | None = None
    added: int = 0  # turns added in all, so that a request can tell which are its own
    fresh: bool = False  # issued by this request: the browser did not send it
    cleared: bool = False  # its turns were cleared (删除记录) since it was last saved
    _saved: int = 0  # ``added`` when last saved
    _saved_draft: dict[str, str] | None = None
    _saved_application: dict[str, str] | None = None
    _saving: list[Future[None]] = field(default_factory=list)

    def add(self, turn: Turn) -> None:
        self.turns.append(turn)
        self.added += 1

    @property
    def unfiled(self) -> dict[str, str] | None:
        """The application filled in and not filed yet (a filed one keeps only its nonce and number)."""
        return self.application if self.application and "number" not in self.application else None

    def clear(self) -> None:
        """Forget what was said, and the complaint draft: the citizen asked for their texts to be
        deleted (删除记录); the next save deletes the saved turns too."""
        self.turns.clear()
        self.draft = self.application = None
        self.cleared = True

    def since(self, added: int) -> list[Turn]:
        """The turns added after ``added`` turns had been (as many as are still kept)."""
        count = min(self.added - added, len(self.turns))
        return list(self.turns)[len(self.turns) - count :] if count > 0 else []

    @property
    def changed(self) -> bool:
        return (
            self.added != self._saved
            or self.draft != self._saved_draft
            or self.application != self._saved_application
            or self.cleared
        )

    @property
    def saving(self) -> bool:
        """Whether a save of it is still on its way to the database."""
        self._saving = [f for f in self._saving if not f.done()]
        return bool(self._saving)


class ChatSessions:
    """The web chat's sessions, issued, checked, loaded and saved.

    :param store: where sessions are saved
    :param settings: ``web_session_days`` (how long an unseen session lives) and
      ``record_wait_seconds`` (how long a reply waits for its session to be saved)
    :param clock: wall-clock seconds (a test passes another)
    """

    def __init__(self, store: Store, settings: Settings, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.days = settings.web_session_days
        self.wait = settings.record_wait_seconds
        self.clock = clock
        self._cache: OrderedDict[str, ChatSession] = OrderedDict()

    # --- tokens -----------------------------------------------------------------------------------

    def _mac(self, body: str) -> str:
        return self.store.user_ref("web-session-mac", body) or ""

    def _issue(self) -> ChatSession:
        sid = secrets.token_urlsafe(18)
        body = f"{sid}.{int(self.clock()):x}"
        return self._session(f"{body}.{self._mac(body)}", sid, fresh=True)

    def _session(self, token: str, sid: str, *, fresh: bool = False) -> ChatSession:
        return ChatSession(token, sid, self.store.user_ref("web-session", sid) or "", fresh=fresh)

    def _read(self, token: str) -> tuple[str, float] | None:
        """The id and issue time inside a token this server issued; None for any other string."""
        parts = token.split(".")
        if len(token) > 80 or len(parts) != 3 or not all(parts):
            return None
        sid, issued, mac = parts
        if not hmac.compare_digest(mac.encode(), self._mac(f"{sid}.{issued}").encode()):
            return None
        try:
            return sid, float(int(issued, 16))
        except ValueError:
            return None

    # --- sessions ---------------------------------------------------------------------------------

    def open(self, token: str | None) -> ChatSession:
        """The session of ``token``, or a new one when it is missing, forged or aged out."""
        oldest = self.clock() - self.days * 86400
        read = self._read(token) if token else None
        if read is None:
            return self._remember(self._issue())
        sid, issued = read
        session = self._session(str(token), sid)
        cached = self._cache.get(session.key)
        if cached is not None and cached.token == token:
            self._cache.move_to_end(session.key)
            return cached
        saved = self.store.chat(session.key, turns=KEEP_TURNS)
        if saved is None:
            # Issued here and never saved (nothing was said yet): still good while it is young.
            return self._remember(session if issued >= oldest else self._issue())
        row, turns = saved
        seen = dt.datetime.fromisoformat(row["seen_at"]).timestamp()
        if seen < oldest:
            return self._remember(self._issue())  # aged out; the purge deletes it
        for turn in turns:
            session.add(Turn.from_json(turn))
        session.draft = json.loads(row["draft"]) if row["draft"] else None
        session.application = json.loads(row["application"]) if row["application"] else None
        session._saved, session._saved_draft = session.added, session.draft
        session._saved_application = session.application
        if self.clock() - seen > TOUCH_EVERY.total_seconds():
            self.store.touch_chat(session.key)
        return self._remember(session)

    def _remember(self, session: ChatSession) -> ChatSession:
        self._cache[session.key] = session
        # Only what is saved may leave the cache; a session whose save is on its way (the database
        # busy) stays, so that its next request sees what it said.
        for _ in range(len(self._cache) - CACHED):
            key, oldest = next(iter(self._cache.items()))
            if oldest.saving or oldest.changed:
                self._cache.move_to_end(key)
            else:
                del self._cache[key]
        return session

    async def save(self, session: ChatSession) -> bool:
        """Save what the request changed; whether it was committed within ``record_wait_seconds``
        (if not, it is written when the database frees up: the reply does not wait for it)."""
        if not session.changed:
            return True
        new = session.since(session._saved)
        draft, application = (
            json.dumps(value, ensure_ascii=False) if value is not None else None
            for value in (session.draft, session.application)
        )
        future = self.store.save_chat(
            session.key,
            draft=draft,
            turns=[t.as_json() for t in new],
            keep=KEEP_TURNS,
            clear=session.cleared,
            application=application,
        )
        session._saved, session._saved_draft = session.added, dict(session.draft) if session.draft else None
        session._saved_application = dict(session.application) if session.application else None
        session.cleared = False
        session._saving.append(future)
        return await committed(future, self.wait)

    def purge(self) -> int:
        """Delete the sessions not seen for ``web_session_days``; how many (for synchronous callers)."""
        purged = self.store.purge_chats(self._oldest())
        self._forget_saved(purged)
        return purged

    async def apurge(self) -> int:
        """``purge`` without blocking the event loop (the delete waits for the writer)."""
        purged = await asyncio.to_thread(self.store.purge_chats, self._oldest())
        self._forget_saved(purged)
        return purged

    def _oldest(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock() - self.days * 86400, dt.UTC)

    def _forget_saved(self, purged: int) -> None:
        # What is saved is read again when asked for; what was purged is then gone for good.
        for key in [k for k, s in self._cache.items() if not s.changed and not s.saving]:
            del self._cache[key]
        if purged:
            log.info("web chat: %d sessions unseen for %d days purged", purged, self.days)

    # --- what a session is known by ---------------------------------------------------------------

    def csrf(self, session: ChatSession) -> str:
        """The session's CSRF token: a keyed hash of its token, so it survives a restart."""
        return self.store.user_ref("web-csrf", session.token) or ""

    def citizen(self, session: ChatSession) -> str:
        """The citizen's stable id (a complaint's chat id): a keyed hash, not the token itself."""
        return "w" + (self.store.user_ref("web-citizen", session.sid) or "")
