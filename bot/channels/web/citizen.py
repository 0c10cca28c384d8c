"""The citizens' web chat: questions, choices, catalogue search, the complaint form, status look-up.

Every page works without JavaScript (forms that post and redirect back); with it, ``chat.js``
posts the same forms with fetch and inserts the returned turns, and polls for staff replies.

The session travels in the cookie on the site itself. Inside the widget's frame on another site the
cookie is a third-party one, which browsers do not send (``SameSite``) or block: there the pages are
in embed mode (``embed=1``) and carry the session's token in every link and form (``s``), and
``chat.js`` sends it as the ``X-Gongkai-Session`` header; the CSRF token is bound to it. A token in a
link or form is taken only inside a frame (``Sec-Fetch-Dest``), so that a link to the site cannot
slip a stranger's session under a citizen's own.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from aiohttp import web
from markupsafe import Markup
from multidict import MultiDict, MultiDictProxy

from ... import texts
from ...services.answering import Reply
from ...services.chats import ChatSession, ChatSessions, Turn
from ...services.complaints import KINDS, RATINGS, TOPICS
from ...services.conversation import Conversation, Form, Invalid, check_form
from .security import CHAT_COOKIE, RateLimit, client_address
from .security import same as _same
from .security import set_cookie as _set_cookie

log = logging.getLogger(__name__)
CHANNEL = "web"
MAX_QUESTION = 500
SEARCH_LIMIT = 8
SESSION_HEADER = "X-Gongkai-Session"
# The citizens' pages, which the widget shows in its frame (the sites of web_embed_origins may frame them).
FRAMED = frozenset({"/", "/chat", "/updates", "/complaint", "/complaint/confirm", "/status", "/rate"})


# How the form's refusals are said on the web page, where every field is shown at once.
INVALID = {
    "not_text": texts.WEB_FORM_NO_TEXT,
    "too_long": texts.FORM_WHAT_TOO_LONG,
    "topic": texts.WEB_FORM_NO_TOPIC,
    "bad_phone": texts.WEB_FORM_BAD_PHONE,
    "no_contact": texts.WEB_FORM_NO_CONTACT,
    "name_too_long": texts.FORM_NAME_TOO_LONG,
}


def _said(problem: Invalid) -> str:
    return INVALID[problem.reason].format(length=problem.length, limit=problem.limit)


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


@dataclass
class View:
    """One request to a citizen's page: its session, its posted form, and whether it is framed."""

    request: web.Request
    session: ChatSession
    form: MultiDictProxy[Any]
    embed: bool

    def keep(self) -> list[tuple[str, str]]:
        """What every link and form carries in embed mode (where no cookie can)."""
        return [("embed", "1"), ("s", self.session.token)] if self.embed else []

    def link(self, path: str, **query: str) -> str:
        """``path`` with ``query``, and the embed mode's session."""
        pairs = [(k, str(v)) for k, v in query.items()] + self.keep()
        return path + ("?" + urlencode(pairs) if pairs else "")


def _token(request: web.Request, form: MultiDictProxy[Any]) -> str | None:
    """The session token the request carries: chat.js's header, else (inside a frame only) the
    form's or the link's ``s``, else the cookie."""
    if request.headers.get(SESSION_HEADER):
        return request.headers[SESSION_HEADER]
    # A token in a link opened in a tab would put its owner's session under whoever follows it.
    if request.headers.get("Sec-Fetch-Dest", "iframe") == "iframe":
        token = form.get("s") or request.query.get("s")
        if token:
            return str(token)
    return request.cookies.get(CHAT_COOKIE)


class CitizenChat:
    """The handlers of the citizens' pages, sharing the core services and the page renderer.

    :param embed_origins: the sites allowed to frame the pages (``web_embed_origins``)
    """

    def __init__(
        self,
        conversation: Conversation,
        sessions: ChatSessions,
        limit: RateLimit,
        render: Any,
        secure: bool,
        *,
        embed_origins: list[str] | None = None,
    ) -> None:
        self.conversation = conversation
        self.answerer = conversation.answerer
        self.complaints = conversation.complaints
        self.sessions = sessions
        self.limit = limit
        self.render = render
        self.secure = secure
        self.embed_origins = embed_origins or []

    def routes(self) -> list[web.RouteDef]:
        session = self._in_session
        return [
            web.get("/", session(self.page)),
            web.post("/chat", session(self.chat)),
            web.get("/updates", session(self.updates)),
            web.get("/complaint", session(self.complaint_form)),
            web.post("/complaint", session(self.complaint_check)),
            web.post("/complaint/confirm", session(self.complaint_confirm)),
            web.get("/status", session(self.status)),
            web.post("/rate", session(self.rate)),
        ]

    def _in_session(self, handler: Callable[[View], Awaitable[web.StreamResponse]]) -> Any:
        """``handler`` with the request's session opened (and a post's CSRF token checked) before,
        and what it changed saved after, whatever the response (a redirect is raised)."""

        async def route(request: web.Request) -> web.StreamResponse:
            form = await request.post() if request.method == "POST" else MultiDictProxy(MultiDict())
            session = self.sessions.open(_token(request, form))
            if request.method == "POST" and not _same(str(form.get("csrf", "")), self.sessions.csrf(session)):
                raise web.HTTPForbidden(text=texts.WEB_FORM_EXPIRED)
            embed = request.query.get("embed") == "1" or form.get("embed") == "1"
            try:
                return await handler(View(request, session, form, embed))
            finally:
                await self.sessions.save(session)

        return route

    # --- pages ----------------------------------------------------------------------------------

    async def page(self, view: View) -> web.StreamResponse:
        session = view.session
        await self._deliver(session)
        return self._page(view, "chat.html", turns=list(session.turns), parent=self._parent(view))

    async def chat(self, view: View) -> web.StreamResponse:
        session, form = view.session, view.form
        before = session.added
        if not self.limit.allow("s:" + session.sid, "a:" + client_address(view.request)):
            session.add(Turn("bot", texts.THROTTLED))
        elif form.get("choice"):
            self._choose(session, str(form["choice"]))
        else:
            await self._ask(view, str(form.get("q", "")))
        fresh = session.since(before)
        if view.request.headers.get("X-Requested-With") == "fetch":
            return self._page(view, "turns.html", turns=fresh)
        raise self._redirect(view, "/", "#end")

    async def updates(self, view: View) -> web.StreamResponse:
        """Staff replies that arrived since the page was loaded, as turns (for chat.js's polling)."""
        return self._page(view, "turns.html", turns=await self._deliver(view.session))

    async def complaint_form(self, view: View) -> web.StreamResponse:
        kind = view.request.query.get("kind", "投诉")
        draft = view.session.draft or {"kind": kind if kind in KINDS else "投诉", "topic": "other"}
        return self._page(view, "complaint.html", draft=draft, topics=TOPICS, errors=[])

    async def complaint_check(self, view: View) -> web.StreamResponse:
        """The filled-in form: back to it with what is wrong, or on to the summary to confirm."""
        session, form = view.session, view.form
        if form.get("cancel"):
            session.draft = None
            session.add(Turn("bot", texts.CANCELLED))
            raise self._redirect(view, "/", "#end")
        fields = {key: str(form.get(key, "")) for key in ("kind", "topic", "text", "name", "phone")}
        checked, problems = check_form(**fields)
        errors = [_said(p) for p in problems]
        draft = checked.as_dict()
        if any(p.step == "contact" for p in problems):  # show what they typed, to correct it
            draft.update(name=fields["name"].strip(), phone=fields["phone"].strip())
        session.draft = draft
        if errors:
            return self._page(view, "complaint.html", draft=draft, topics=TOPICS, errors=errors)
        nonce = secrets.token_hex(8)
        return self._page(view, "complaint_confirm.html", draft=draft, topics=TOPICS, nonce=nonce)

    async def complaint_confirm(self, view: View) -> web.StreamResponse:
        session, form = view.session, view.form
        draft = session.draft
        if draft is None or not draft.get("text"):
            raise self._redirect(view, "/complaint")
        if form.get("edit"):
            raise self._redirect(view, "/complaint")
        citizen = self.sessions.citizen(session)
        # The form's nonce names this submission: a double click or a resent post files once.
        key = f"{CHANNEL}:{citizen}:{str(form.get('nonce', ''))[:64]}"
        done = await self.conversation.submit(
            Form.from_dict(draft), channel=CHANNEL, chat_id=citizen, user_id=citizen, dedupe_key=key
        )
        filed = done.complaint
        session.draft = None
        session.add(Turn("bot", texts.FILED.format(kind=filed.kind, number=filed.number, due=filed.due_on)))
        return self._page(view, "filed.html", complaint=filed)

    async def status(self, view: View) -> web.StreamResponse:
        found = self.conversation.status(
            view.request.query.get("number", ""), channel=CHANNEL, chat_id=self.sessions.citizen(view.session)
        )
        context: dict[str, Any] = {
            "typed": found.typed,
            "message": found.text if found.complaint is None else None,
            "complaint": found.complaint,
            "events": list(found.events),
            "own": found.own,
        }
        if found.suggestions:
            context["suggestions"] = found.suggestions
        return self._page(view, "status.html", **context)

    async def rate(self, view: View) -> web.StreamResponse:
        form = view.form
        number, rating = str(form.get("number", "")), str(form.get("rating", ""))
        chat_id = self.sessions.citizen(view.session)
        _, said = await self.conversation.rate(number, rating, channel=CHANNEL, chat_id=chat_id)
        view.session.add(Turn("bot", said))
        raise self._redirect(view, "/", "#end")

    # --- the conversation -------------------------------------------------------------------------

    async def _ask(self, view: View, text: str) -> None:
        session = view.session
        text = text.strip()
        if len(text) > MAX_QUESTION:
            session.add(Turn("me", text[:MAX_QUESTION] + "…"))
            session.add(Turn("bot", texts.TOO_LONG.format(limit=MAX_QUESTION)))
            return
        session.add(Turn("me", text))
        for prefix in ("/search ", "搜索 ", "搜索："):
            if text.startswith(prefix) and text[len(prefix) :].strip():
                session.add(self._search(text[len(prefix) :].strip()))
                return
        found = self.complaints.lookup(text)  # None at once for what is not a tracking number
        if found is not None and found.complaint is not None:
            number = found.complaint.number
            link = (texts.WEB_STATUS_LINK, view.link("/status", number=number))
            session.add(Turn("bot", texts.WEB_STATUS_FOUND.format(number=number), link=link))
            return
        reply = await self.answerer.aanswer(text)
        log.info("web: %s %s", reply.outcome, reply.entry_id or "-")
        session.add(self._turn(reply))
        # The enquiry and the session's new turns go to the writer together: one commit, not two.
        citizen = self.sessions.citizen(session)
        await asyncio.gather(
            self.conversation.record(reply, channel=CHANNEL, user_id=citizen), self.sessions.save(session)
        )

    def _choose(self, session: ChatSession, entry_id: str) -> None:
        picked = self.conversation.entry(entry_id)
        if picked is None:
            session.add(Turn("bot", texts.CHOICE_GONE))
            return
        session.add(Turn("me", picked.question))
        session.add(Turn("bot", picked.reply.text))

    def _turn(self, reply: Reply) -> Turn:
        if reply.outcome == "clarify":
            return Turn(
                "bot",
                texts.CLARIFY_BUTTONS.format(**self.answerer.contacts),
                choices=[(c.id, c.title) for c in reply.choices],
            )
        if reply.outcome == "catalogue":
            footer = texts.CATALOGUE_ANSWER_FOOTER.format(**self.answerer.contacts)
            return Turn("bot", texts.CATALOGUE_ANSWER_HEADER + "\n" + footer, hits=reply.hits)
        offer = self.conversation.offer(reply)
        if offer is not None:
            return Turn("bot", reply.text + "\n\n" + offer.text, offer=offer.options[0][0])
        return Turn("bot", reply.text)

    def _search(self, query: str) -> Turn:
        result = self.answerer.catalogue.search(query, limit=SEARCH_LIMIT)
        if not result.hits:
            return Turn("bot", texts.SEARCH_NONE.format(q=query))
        return Turn("bot", texts.SEARCH_HEADER, hits=result.as_json()["hits"])

    async def _deliver(self, session: ChatSession) -> list[Turn]:
        """Add the staff replies and closings owed to this citizen to the conversation."""
        turns = []
        outbox = self.complaints.outbox
        for notice in outbox.owed(CHANNEL, recipient=self.sessions.citizen(session)):
            complaint = notice.complaint
            rate = complaint.number if complaint is not None and notice.kind == "closed" else None
            turn = Turn("bot", notice.text, rate=rate)
            session.add(turn)
            turns.append(turn)
            await outbox.sent(notice)
        return turns

    # --- responses --------------------------------------------------------------------------------

    def _parent(self, view: View) -> str | None:
        """The embedding page's origin the widget names (``origin``), if it may frame us: the frame
        hands it the session's token to keep for the next visit (postMessage to that origin only)."""
        origin = view.request.query.get("origin", "")
        if not view.embed or not origin:
            return None
        own = urlsplit(origin).netloc == view.request.host
        return origin if own or allowed(origin, self.embed_origins) else None

    def _page(self, view: View, template: str, **context: Any) -> web.Response:
        csrf = self.sessions.csrf(view.session)
        keep = view.keep()
        context.update(
            csrf=csrf,
            ratings=RATINGS,
            embed=view.embed,
            link=view.link,
            token=view.session.token if view.embed else "",
            # The hidden fields of every form: the CSRF token, and in embed mode the session.
            fields=_hidden([("csrf", csrf), *keep]),
            kept=_hidden(keep),
        )
        response = self.render(template, **context)
        self._cookie(response, view.session)
        return response

    def _redirect(self, view: View, path: str, anchor: str = "") -> web.HTTPSeeOther:
        redirect = web.HTTPSeeOther(view.link(path) + anchor)
        self._cookie(redirect, view.session)
        return redirect

    def _cookie(self, response: web.StreamResponse, session: ChatSession) -> None:
        _set_cookie(response, CHAT_COOKIE, session.token, secure=self.secure, days=self.sessions.days)


def _hidden(pairs: list[tuple[str, str]]) -> Markup:
    return Markup("").join(Markup('<input type="hidden" name="{}" value="{}">').format(k, v) for k, v in pairs)
