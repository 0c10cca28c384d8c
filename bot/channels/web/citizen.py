"""The citizens' web chat: questions, choices, catalogue search, the complaint form, status look-up.

Every page works without JavaScript (forms that post and redirect back); with it, ``chat.js``
posts the same forms with fetch and inserts the returned turns, and polls for staff replies.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from aiohttp import web

from ... import metrics, texts
from ...limits import RateLimit
from ...reading import choice_number, is_english, search_typed
from ...services.answering import MAX_QUESTION_CHARS, Choice, Reply, documents_footer, missable, pointers
from ...services.applying import CORRECT, correct
from ...services.applying import START as APPLY
from ...services.chats import ChatSession, Turn
from ...services.complaints import KIND_TOPICS, KINDS, MAX_TEXT, RATINGS, TOPICS, told_topic, topics_for
from ...services.conversation import Conversation, Form, Invalid, Limited, check_form
from ...textnorm import readable
from ..http import read_form
from ..typed import CANCEL, status_typed
from .security import client_address
from .security import notice as signed_notice
from .security import same as _same
from .sessions import WebSessions

log = logging.getLogger(__name__)
CHANNEL = "web"
SEARCH_LIMIT = 8


# How the form's refusals are said on the web page, where every field is shown at once.
INVALID = {
    "not_text": texts.WEB_FORM_NO_TEXT,
    "too_long": texts.WEB_FORM_TOO_LONG,
    "topic": texts.WEB_FORM_NO_TOPIC,
    "bad_phone": texts.WEB_FORM_BAD_PHONE,
    "no_contact": texts.WEB_FORM_NO_CONTACT,
    "name_too_long": texts.FORM_NAME_TOO_LONG,
}


def _shown(text: str) -> str:
    """The citizen's message as their turn shows it: whole up to ``MAX_TEXT``, and past that with a
    visible "…" (the reply then says how long it was)."""
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def _said(problem: Invalid) -> str:
    return INVALID[problem.reason].format(length=problem.length, limit=problem.limit)


def status_link(number: str = "") -> tuple[str, str]:
    """The (label, href) of the progress page, of ``number`` if given: under a turn that names one."""
    return texts.WEB_STATUS_LINK, f"/status?number={number}" if number else "/status"


def _carry(session: ChatSession, text: str, kind: str = "投诉") -> None:
    """The message a complaint form (or a tip-off's, ``kind``) was offered under becomes the
    form's text: the citizen does not tell it twice. A draft begun already keeps its name and
    phone, and its topic if of the same kind (else the one the message tells of)."""
    draft = session.draft or {}
    topic = draft.get("topic") if draft.get("kind") == kind else None
    topic = topic or told_topic(kind, text)
    session.draft = {**draft, "topic": topic, "kind": kind, "text": text, "step": "what"}


class CitizenChat:
    """The handlers of the citizens' pages, sharing the core services and the page renderer."""

    def __init__(
        self,
        conversation: Conversation,
        sessions: WebSessions,
        limit: RateLimit,
        render: Any,
        secure: bool,
        proxies: frozenset[str] = frozenset(),
        forms: RateLimit | None = None,
    ) -> None:
        self.conversation = conversation
        self.answerer = conversation.answerer
        self.complaints = conversation.complaints
        self.sessions = sessions
        self.limit = limit
        self.render = render
        self.secure = secure
        self.proxies = proxies
        # The form's posts (fill in, confirm, rate) per session: a script posting hundreds is
        # refused before anything is read or rendered. Not per address: an office shares one.
        self.forms = forms or RateLimit((20, 60.0))
        self._told_of_proxy = False

    def address(self, request: web.Request) -> str:
        """The client's address (the proxy's word for it only from a trusted proxy)."""
        if not self.proxies and not self._told_of_proxy and "X-Real-IP" in request.headers:
            self._told_of_proxy = True  # once: every request behind the proxy would say it
            log.warning(
                "web: requests name a client address (X-Real-IP) but GONGKAI_HTTP_TRUSTED_PROXIES is not set: "
                "the per-address limits count the proxy's address for everyone"
            )
        return client_address(request, self.proxies)

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/", self.page),
            web.post("/chat", self.chat),
            web.get("/updates", self.updates),
            web.get("/complaint", self.complaint_form),
            web.post("/complaint", self.complaint_check),
            web.post("/complaint/confirm", self.complaint_confirm),
            web.get("/status", self.status),
            web.post("/rate", self.rate),
        ]

    # --- pages ----------------------------------------------------------------------------------

    async def page(self, request: web.Request) -> web.StreamResponse:
        session = self.sessions.get(request)
        await self._deliver(session)
        embed = request.query.get("embed") == "1"
        return self._page(request, session, "chat.html", embed=embed, turns=list(session.turns))

    async def chat(self, request: web.Request) -> web.StreamResponse:
        session = self.sessions.get(request)
        form = await self._form(request, session)
        before = session.added
        address = self.address(request)
        if not self.limit.allow("s:" + session.token, "a:" + address):
            metrics.refused("web_chat")
            asked = str(form.get("q", "")).strip()
            if asked:  # shown, so that the citizen sees which question to send again
                session.add(Turn("me", _shown(asked)))
            session.add(Turn("bot", texts.WEB_THROTTLED))
        elif form.get("choice"):
            self._choose(session, str(form["choice"]), english=form.get("lang") == "en")
        elif not (form.get("missed") and await self._missed(session)):
            await self._ask(session, str(form.get("q", "")), address)
        fresh = session.since(before)
        if request.headers.get("X-Requested-With") == "fetch":
            page = self._page(request, session, "turns.html", turns=fresh)
            if session.cleared:  # chat.js takes the turns shown off the page too
                page.headers["X-Gongkai-Cleared"] = "1"
            return page
        raise self._redirect(session, "/#end")

    async def updates(self, request: web.Request) -> web.StreamResponse:
        """Staff replies that arrived since the page was loaded, as turns (for chat.js's polling)."""
        session = self.sessions.get(request)
        return self._page(request, session, "turns.html", turns=await self._deliver(session))

    async def complaint_form(self, request: web.Request) -> web.StreamResponse:
        session = self.sessions.get(request)
        kind = request.query.get("kind", "投诉")
        draft = session.draft or {"kind": kind if kind in KINDS else "投诉", "topic": "other"}
        return self._complaint_page(request, session, draft, [])

    async def complaint_check(self, request: web.Request) -> web.StreamResponse:
        """The filled-in form: back to it with what is wrong, or on to the summary to confirm."""
        session = self.sessions.get(request)
        self._pace(request, session)
        form = await self._form(request, session)
        if form.get("cancel"):
            session.draft = None
            session.add(Turn("bot", texts.CANCELLED))
            raise self._redirect(session, "/#end")
        fields = {key: str(form.get(key, "")) for key in ("kind", "topic", "text", "name", "phone")}
        checked, problems = check_form(**fields)
        if problems:  # back to the form with every field as the citizen typed it, to correct it
            typed = {k: v.strip() for k, v in fields.items() if k != "kind"}
            draft = {**checked.as_dict(), **typed, "step": "what"}  # not to be confirmed as it is
            session.draft = draft
            return self._complaint_page(request, session, draft, [_said(p) for p in problems])
        draft = checked.as_dict()
        session.draft = draft
        nonce = secrets.token_hex(8)
        return self._page(request, session, "complaint_confirm.html", draft=draft, topics=TOPICS, nonce=nonce)

    def _complaint_page(
        self, request: web.Request, session: ChatSession, draft: dict[str, str], errors: list[str]
    ) -> web.Response:
        """The complaint form, filled in with ``draft``, each kind with its own topics."""
        kind_topics = {kind: topics_for(kind) for kind in KIND_TOPICS}
        return self._page(
            request, session, "complaint.html", draft=draft, kind_topics=kind_topics, errors=errors, limit=MAX_TEXT
        )

    async def complaint_confirm(self, request: web.Request) -> web.StreamResponse:
        session = self.sessions.get(request)
        self._pace(request, session)
        form = await self._form(request, session)
        citizen = self.sessions.citizen(session)
        # The form's nonce names this submission: a double click or a resent post files once, and
        # is shown the number it was filed under (not an empty form that asks to file again).
        key = f"{CHANNEL}:{citizen}:{str(form.get('nonce', ''))[:64]}"
        draft = session.draft
        if draft is None and not form.get("edit") and (earlier := self.conversation.complaints.filed_as(key)):
            return self._page(request, session, "filed.html", complaint=earlier, due=self.complaints.due_said(earlier))
        if draft is None or not draft.get("text") or draft.get("step") != "confirm":  # not checked yet
            raise self._redirect(session, "/complaint")
        if form.get("edit"):
            raise self._redirect(session, "/complaint")
        done = await self.conversation.submit(
            Form.from_dict(draft),
            channel=CHANNEL,
            chat_id=citizen,
            user_id=citizen,
            dedupe_key=key,
            address=self.address(request),
        )
        if isinstance(done, Limited):  # the draft is kept: it can be sent when the limit allows
            response = self._complaint_page(request, session, draft, [done.text])
            response.set_status(429)
            return response
        filed = done.complaint
        if session.draft is not None:  # of a double click, the first to finish tells the chat
            session.draft = None
            said = texts.WEB_FILED.format(kind=filed.kind, number=filed.number, due=done.due)
            session.add(Turn("bot", said, link=status_link(filed.number)))
        return self._page(request, session, "filed.html", complaint=filed, due=done.due)

    async def status(self, request: web.Request) -> web.StreamResponse:
        session = self.sessions.get(request)
        found = self.conversation.status(
            request.query.get("number", ""),
            channel=CHANNEL,
            chat_id=self.sessions.citizen(session),
            address=self.address(request),
        )
        context: dict[str, Any] = {
            "typed": found.typed,
            "message": found.text if found.complaint is None and found.application is None else None,
            "error": signed_notice(request, "error"),  # what a form of the page that was sent lacked
            "complaint": found.complaint,
            "events": list(found.events),
            "own": found.own,
            "application": found.application,
            "contacts": self.answerer.contacts,
        }
        if found.suggestions:
            context["suggestions"] = found.suggestions
        response = self._page(request, session, "status.html", **context)
        if found.outcome == "limited":
            response.set_status(429)
        return response

    async def rate(self, request: web.Request) -> web.StreamResponse:
        session = self.sessions.get(request)
        self._pace(request, session)
        form = await self._form(request, session)
        number, rating = str(form.get("number", "")), str(form.get("rating", ""))
        _, said = await self.conversation.rate(number, rating, channel=CHANNEL, chat_id=self.sessions.citizen(session))
        session.add(Turn("bot", said))
        raise self._redirect(session, "/#end")

    # --- the conversation -------------------------------------------------------------------------

    async def _ask(self, session: ChatSession, text: str, address: str) -> None:
        text = readable(text).strip()  # as it is read: a question above 3,000 empty lines is that question
        if len(text) > MAX_QUESTION_CHARS:
            await self._long(session, text)
            return
        # A choice's number typed (2, 第二个) rather than clicked picks it from the list just shown.
        picked = choice_number(text)
        last = session.turns[-1] if session.turns else None
        if picked is not None and last is not None and last.who == "bot" and 1 <= picked <= len(last.choices):
            self._choose(session, last.choices[picked - 1][0], english=last.english)
            return
        if text:  # an empty message (posted without the page's script) shows no empty bubble
            session.add(Turn("me", text))
        keywords = search_typed(text)
        if keywords:  # the bare command is asked as a question: the guide says how to search
            session.add(self._search(keywords))
            return
        if text.lower() in CANCEL and (session.draft or session.unfiled):
            # 取消 typed in the chat while a form waits on its page: that draft is dropped, said so
            # (it was told nothing was in progress, and the draft could still be filed).
            said = texts.CANCELLED_COMPLAINT_DRAFT if session.draft else texts.CANCELLED_APPLICATION_DRAFT
            session.draft = session.application = None
            session.add(Turn("bot", said))
            return
        applications = self.conversation.applications
        if applications is not None and text in APPLY:  # 申请公开: what starts the form on the other channels
            session.add(Turn("bot", texts.WEB_APPLY_START, link=(texts.WEB_APPLY_LINK, "/apply")))
            return
        if applications is not None and CORRECT.match(text):  # 补正 编号 内容, as the status page says
            citizen = self.sessions.citizen(session)
            session.add(Turn("bot", await correct(applications, text, channel=CHANNEL, chat_id=citizen)))
            return
        typed = status_typed(text)  # a tracking number, or 查询 with one, as WeChat reads it
        if typed is not None:
            session.add(self._looked_up(session, typed, address))
            return
        if self.conversation.asks_to_forget(text):  # 删除记录, as on Telegram and WeChat
            citizen = self.sessions.citizen(session)
            said = await self.conversation.forget(channel=CHANNEL, user_id=citizen)
            session.clear()  # and off the screen: on a shared computer the next person sees it
            session.add(Turn("bot", said))
            return
        reply = await self.conversation.ask(text, channel=CHANNEL, user_id=self.sessions.citizen(session))
        log.info("web: %s %s", reply.outcome, reply.entry_id or "-")
        session.add(self._turn(reply))
        offer = self.conversation.offer(reply)
        if offer is not None:
            _carry(session, text, offer.options[0][0])

    def _looked_up(self, session: ChatSession, typed: str, address: str) -> Turn:
        """A tracking number typed in the chat, looked up (and counted) as on the status page: the
        complaint's or application's status as the one asking may see it, with a link to its page;
        or what is wrong with the number (one digit off: the page of the number it may be)."""
        citizen = self.sessions.citizen(session)
        found = self.conversation.status(typed, channel=CHANNEL, chat_id=citizen, address=address)
        if found.outcome == "usage":
            return Turn("bot", texts.WEB_STATUS_USAGE, link=status_link())
        found_item = found.application or found.complaint
        number = found_item.number if found_item is not None else None
        if number is None and len(found.suggestions) == 1:
            number = found.suggestions[0]
        return Turn("bot", found.text, link=status_link(number) if number else None)

    async def _long(self, session: ChatSession, text: str) -> None:
        """A message longer than a question: most likely a complaint's story (the core offers the
        form, a tip-off's with 12350 for a hazard told, and logs it as every channel does). Nothing
        is cut silently: the reply says how long it is, and the whole text is carried into the form
        (whose own check says if it is over ``MAX_TEXT``)."""
        reply = await self.conversation.ask(text, channel=CHANNEL, user_id=self.sessions.citizen(session))
        offer = self.conversation.offer(reply)
        kind = offer.options[0][0] if offer is not None else "投诉"
        english = is_english(text)  # a long English story is told so in English
        if english:
            said, tipoff = texts.WEB_LONG_MESSAGE_EN, texts.TIPOFF_EN
        else:
            said, tipoff = texts.WEB_TOO_LONG_MESSAGE if len(text) > MAX_TEXT else texts.WEB_LONG_MESSAGE, texts.TIPOFF
        said = said.format(length=len(text), question=MAX_QUESTION_CHARS, limit=MAX_TEXT)
        session.add(Turn("me", _shown(text)))
        session.add(Turn("bot", said + (tipoff if reply.tipoff else ""), offer=kind, english=english))
        _carry(session, text, kind)

    async def _missed(self, session: ChatSession) -> bool:
        """没答到我问的？ pressed under the last answer, or 都不是 under the last list: what else its
        question may be, however long ago it was answered (the chat's memory of its last answer
        lasts minutes). False where the last turn is neither: the button's words are asked then."""
        last = session.turns[-1] if session.turns else None
        if last is None or last.who != "bot" or len(last.missable) != 3:
            return False
        q, entry_id, read = last.missable
        shown = [Choice(id, title, 0.0) for id, title in last.choices]
        outcome, entry_id = ("clarify", shown[0].id) if shown else ("answer", entry_id)
        answered = Reply(q, outcome, "", entry_id, choices=shown, english=last.english, read=read)
        citizen = self.sessions.citizen(session)
        reply = await self.conversation.instead(answered, channel=CHANNEL, user_id=citizen)
        session.add(Turn("me", last.says_missed()[1]))
        session.add(self._turn(reply))
        return True

    def _choose(self, session: ChatSession, entry_id: str, *, english: bool = False) -> None:
        citizen = self.sessions.citizen(session)
        picked = self.conversation.entry(entry_id, english=english, channel=CHANNEL, user_id=citizen)
        if picked is None:
            session.add(Turn("bot", texts.CHOICE_GONE))
            return
        session.add(Turn("me", picked.question))
        session.add(self._turn(picked.reply))

    def _turn(self, reply: Reply) -> Turn:
        offer = self.conversation.offer(reply)
        kind = offer.options[0][0] if offer is not None else None  # its link, under the turn
        under = "\n\n" + offer.text if offer is not None else ""
        if reply.outcome == "clarify":
            text = self.conversation.choose_prompt(reply, self.answerer.contacts)
            choices = [(c.id, c.title) for c in reply.choices]
            # Documents the catalogue has near what was asked for by name: links under the choices.
            return Turn(
                "bot",
                text + under,
                choices=choices,
                hits=reply.hits,
                offer=kind,
                english=reply.english,
                heading=reply.heading,
                missable=[reply.q, "", reply.read] if missable(reply) else [],  # 都不是
            )
        if reply.outcome == "catalogue" or (reply.outcome == "fallback" and reply.hits):
            # The documents found (or that may be what was asked for) as links, and what to do if
            # they are not it under them.
            footer = documents_footer(reply).format(**self.answerer.contacts)
            return Turn(
                "bot",
                reply.heading,
                hits=reply.hits,
                offer=kind,
                after=footer + under,
                asks=pointers(footer),
                english=reply.english,
            )
        # An answer's documents (those it names, a category's newest) are links here, as a look-up's
        # are: the text up to the line above them, and the list.
        text, hits = reply.text, []
        if reply.outcome == "answer" and reply.hits and reply.heading:
            text, hits = text.split("\n" + reply.heading, 1)[0] + "\n" + reply.heading, reply.hits
        if offer is not None:
            return Turn("bot", text + under, hits=hits, offer=kind, english=reply.english)
        if self.conversation.invites_to_apply(reply):
            here = "\n\n" + texts.WEB_APPLY_HERE
            return Turn("bot", text + here, hits=hits, asks=reply.asks, link=(texts.WEB_APPLY_LINK, "/apply"))
        said = [reply.q, reply.entry_id or "", reply.read] if missable(reply) else []
        return Turn("bot", text, hits=hits, asks=reply.asks, english=reply.english, missable=said)

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

    def _pace(self, request: web.Request, session: ChatSession) -> None:
        """429 for a form posted faster than a person fills one in."""
        if not self.forms.allow("s:" + session.token):
            raise web.HTTPTooManyRequests(text=texts.WEB_FORM_TOO_FAST)

    # --- responses --------------------------------------------------------------------------------

    async def _form(self, request: web.Request, session: ChatSession) -> Any:
        """The posted form, if it carries the session's CSRF token (otherwise 403)."""
        form = await read_form(request)
        if not _same(str(form.get("csrf", "")), self.sessions.csrf(session)):
            raise web.HTTPForbidden(text=texts.WEB_FORM_STALE)
        return form

    def _page(self, request: web.Request, session: ChatSession, template: str, **context: Any) -> web.Response:
        # The session's cookie is the middleware's (sessions.py), as are the embed mode's links.
        context.update(csrf=self.sessions.csrf(session), ratings=RATINGS, **self.sessions.context())
        return self.render(template, **context)

    def _redirect(self, session: ChatSession, location: str) -> web.HTTPSeeOther:
        return web.HTTPSeeOther(self.sessions.link(location))
