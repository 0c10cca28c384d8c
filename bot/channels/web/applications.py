"""Applications for information on the website: the citizen's form (``/apply``) and the staff
console's register (``/staff/applications``).

The citizen's form is filled in at once, checked by the same rules as every channel
(``services.applications.form``), shown back with what the catalogue already publishes on the
subject (第36条第1项), and filed on confirmation; the fields travel between the two pages in the
form itself (the confirm page re-checks them), so nothing waits in the server's memory. Every
post carries the chat session's (or the staff session's) CSRF token.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import urllib.parse
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from ... import texts
from ...config import Settings
from ...services.answering import Answerer
from ...services.applications import (
    APPLICANTS,
    DECISIONS,
    DELIVERIES,
    EVENTS,
    FORMS,
    ID_TYPES,
    PARTIES,
    RECEIPT_RULES,
    VIAS,
    ApplicationError,
    Applications,
    mask_id,
)
from ...services.applications.form import FIELDS, check
from ...services.applying import correct
from ...services.chats import Turn
from ...services.staff import Session
from ..http import read_form
from .citizen import status_link
from .security import notice, told
from .security import same as _same
from .sessions import WebSessions

log = logging.getLogger(__name__)
CHANNEL = "web"
PAGE = 20
PUBLISHED_HITS = 3
# The letter's own styles are inline (it is printed as one file); it has no script.
LETTER_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
ACTIONS = ("request_correction", "correct", "extend", "pause", "resume", "note", "decide")
Guard = Callable[
    [Callable[[web.Request, Session], Awaitable[web.StreamResponse]]],
    Callable[[web.Request], Awaitable[web.StreamResponse]],
]


def _choices() -> dict[str, Any]:
    return {
        "applicants": APPLICANTS,
        "id_types": ID_TYPES,
        "forms": FORMS,
        "deliveries": DELIVERIES,
        "vias": VIAS,
        "receipt_rules": RECEIPT_RULES,
        "decisions": DECISIONS,
        "parties": PARTIES,
        "mask_id": mask_id,
    }


def _fields(form: Any) -> dict[str, str]:
    return {name: str(form.get(name, ""))[:2100] for name in FIELDS}


class ApplicationPages:
    """The citizen's application pages and the staff console's register.

    :param answerer: the catalogue, and whether a description reads as a complaint
    :param guard: the staff console's log-in and CSRF guard for staff pages
    :param page: the staff console's page renderer (the staff session in its context)
    """

    def __init__(
        self,
        applications: Applications,
        answerer: Answerer,
        settings: Settings,
        sessions: WebSessions,
        render: Any,
        guard: Guard,
        page: Callable[..., web.Response],
    ) -> None:
        self.applications = applications
        self.answerer = answerer  # its catalogue is read at each use: a reload replaces it
        self.settings = settings
        self.sessions = sessions
        self.render = render
        self.guard = guard
        self.staff_page = page

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/apply", self.form),
            web.post("/apply", self.check),
            web.post("/apply/confirm", self.confirm),
            web.post("/apply/correct", self.correct),
            web.get("/apply/letter", self.citizen_letter),
            web.get("/staff/applications", self.guard(self.staff_list)),
            web.get("/staff/applications/new", self.guard(self.staff_new)),
            web.post("/staff/applications/new", self.guard(self.staff_register)),
            web.get("/staff/applications/{number}", self.guard(self.staff_record)),
            web.get("/staff/applications/{number}/letter", self.guard(self.staff_letter)),
            web.post("/staff/applications/{number}/{action}", self.guard(self.staff_act)),
        ]

    # --- the citizen's form -----------------------------------------------------------------------

    async def form(self, request: web.Request) -> web.StreamResponse:
        """The form: empty, or as filled in last time when that was left at its confirm step (the
        chat visited meanwhile), as the complaint form keeps its draft."""
        if (pending := self.sessions.get(request).unfiled) is not None:
            draft = {name: value for name, value in pending.items() if name != "nonce"}
            return self._citizen(request, "apply.html", draft=draft, errors={}, restored=True)
        draft = {"applicant": "person", "id_type": "居民身份证", "form": "electronic", "delivery": "email"}
        return self._citizen(request, "apply.html", draft=draft, errors={})

    async def check(self, request: web.Request) -> web.StreamResponse:
        """The filled-in form: back to it with what is wrong, or on to confirm it, with what the
        catalogue already publishes on the subject."""
        form = await self._posted(request)
        fields = _fields(form)
        draft, problems = check(fields)
        if draft is None:
            return self._citizen(request, "apply.html", draft=fields, errors=problems)
        hits = self.answerer.catalogue.search(draft.description, limit=PUBLISHED_HITS).as_json()["hits"]
        published = [h for h in hits if h["score"] >= self.settings.catalogue_answer_min_score]
        # 第39条: a complaint or tip-off written as an application is not one; say so, offer the form.
        complaint = (await self.answerer.aanswer(draft.description)).outcome == "complaint"
        # Kept in the citizen's session (saved, as a complaint's draft is) for the confirm page,
        # which does not send the identity number back to the browser; named by the page's nonce.
        nonce = secrets.token_hex(12)
        self.sessions.get(request).application = {**fields, "nonce": nonce}
        return self._citizen(
            request, "apply_confirm.html", a=draft, published=published, complaint=complaint, nonce=nonce
        )

    async def confirm(self, request: web.Request) -> web.StreamResponse:
        form = await self._posted(request)
        session = self.sessions.get(request)
        nonce = str(form.get("nonce", ""))[:64]
        pending = session.application or {}
        if not nonce or pending.get("nonce") != nonce:  # another form's, or long gone
            return self._citizen(request, "apply.html", draft={}, errors={"expired": texts.APPLY_EXPIRED})
        if "number" in pending:  # filed already: a double click, a resent post
            filed = self.applications.get(pending["number"])
            if filed is not None:
                return self._citizen(request, "applied.html", a=filed, due=self.applications.due_said(filed))
        fields = {name: value for name, value in pending.items() if name != "nonce"}
        draft, problems = check(fields)
        if form.get("edit") or draft is None:
            return self._citizen(request, "apply.html", draft=fields, errors=problems)
        if form.get("drop"):
            session.application = None
            session.add(Turn("bot", texts.APPLY_DROPPED))
            raise self._redirect(request, "/#end")
        citizen = self.sessions.citizen(session)
        # The confirm page's nonce names this submission: two posts at once file once.
        key = f"{CHANNEL}:{citizen}:{nonce}"
        filed = await self.applications.afile(draft, channel=CHANNEL, chat_id=citizen, user_id=citizen, dedupe_key=key)
        due = self.applications.due_said(filed)
        if session.application is not None and "number" not in session.application:  # the first to finish says so
            session.application = {"nonce": nonce, "number": filed.number}  # the identity number not kept
            said = texts.WEB_APPLIED.format(number=filed.number, due=due)
            session.add(Turn("bot", said, link=status_link(filed.number)))
        return self._citizen(request, "applied.html", a=filed, due=due)

    async def correct(self, request: web.Request) -> web.StreamResponse:
        """The applicant's corrected application, from the status page of their own application."""
        form = await self._posted(request)
        number, text = str(form.get("number", ""))[:40], str(form.get("text", "")).strip()  # its limit is the service's
        back = "/status?" + urllib.parse.urlencode({"number": number})
        application = self.applications.get(number)
        session = self.sessions.get(request)
        if application is None or not application.filed_by(CHANNEL, self.sessions.citizen(session)):
            raise web.HTTPForbidden(text=texts.APPLY_NOT_YOURS)
        if not text:  # said on the page it was sent from, not a silent reload of it
            raise self._redirect(request, told(back, error=texts.APPLY_CORRECT_EMPTY))
        if application.status != "correcting":  # a second correction (the form was still open)
            said = texts.APPLY_CORRECT_NOT_ASKED.format(number=number, office_phone=self.settings.office_phone)
            raise self._redirect(request, told(back, error=said))
        citizen = self.sessions.citizen(session)
        session.add(Turn("bot", await correct(self.applications, number, channel=CHANNEL, chat_id=citizen, text=text)))
        raise self._redirect(request, back)

    async def citizen_letter(self, request: web.Request) -> web.StreamResponse:
        application = self.applications.get(request.query.get("number", "")[:40])
        session = self.sessions.get(request)
        if application is None or not application.filed_by(CHANNEL, self.sessions.citizen(session)):
            raise web.HTTPForbidden(text=texts.APPLY_NOT_YOURS)
        return self._letter(application, request.query.get("id", "")[:20])

    # --- the staff console --------------------------------------------------------------------------

    async def staff_list(self, request: web.Request, session: Session) -> web.Response:
        # Every open application, the overdue and the lapsed corrections first: a new one is work too.
        status = request.query.get("status", "open")
        status = status if status in ("due", "open", "overdue", "correcting", "paused", "decided", "all") else "open"
        q = request.query.get("q", "").strip()[:100]
        page = max(0, _int(request.query.get("page")))
        listed, total = self.applications.search(status, q=q or None, limit=PAGE, offset=page * PAGE)
        return self.staff_page(
            "staff_applications.html",
            session,
            applications=listed,
            total=total,
            status=status,
            q=q,
            page=page,
            pages=max(1, -(-total // PAGE)),
            counts=self.applications.counts(),
        )

    async def staff_new(self, request: web.Request, session: Session) -> web.Response:
        draft = {"applicant": "person", "id_type": "居民身份证", "form": "paper", "delivery": "post"}
        draft |= {"via": "in_person", "received_on": self.applications.today().isoformat()}
        return self.staff_page(
            "staff_application_new.html", session, draft=draft, errors={}, nonce=secrets.token_hex(8), **_choices()
        )

    async def staff_register(self, request: web.Request, session: Session) -> web.StreamResponse:
        form = await read_form(request)
        fields = _fields(form)
        via, received = str(form.get("via", "")), str(form.get("received_on", ""))[:10]
        draft, problems = check(fields)
        try:
            day = dt.date.fromisoformat(received)
        except ValueError:
            problems["received_on"] = texts.APPLY_BAD_DAY
        if draft is not None and not problems:
            try:
                filed = await self.applications.aregister(
                    draft,
                    via=via,
                    received_on=day,
                    actor=f"web:{session.username}",
                    dedupe_key=f"staff:{session.username}:{str(form.get('nonce', ''))[:64]}",
                )
            except ApplicationError as e:
                problems["received_on"] = str(e)
            else:
                raise web.HTTPSeeOther(told(f"/staff/applications/{urllib.parse.quote(filed.number)}", done="1"))
        context = {**fields, "via": via, "received_on": received}
        nonce = str(form.get("nonce", ""))[:64]  # the same submission, corrected, still registers once
        return self.staff_page(
            "staff_application_new.html", session, draft=context, errors=problems, nonce=nonce, **_choices()
        )

    async def staff_record(self, request: web.Request, session: Session) -> web.Response:
        application = self.applications.get(request.match_info["number"])
        if application is None:
            raise web.HTTPNotFound(text=texts.NO_SUCH_APPLICATION.format(number=request.match_info["number"]))
        return self.staff_page(
            "staff_application.html",
            session,
            a=application,
            events=self.applications.events(application),
            letters=self.applications.letters(application),
            undelivered=self.applications.failures(application),
            labels=EVENTS,
            today=self.applications.today().isoformat(),
            correction_days=self.settings.application_correction_working_days,
            done=notice(request, "done"),
            error=notice(request, "error"),
            **_choices(),
        )

    async def staff_act(self, request: web.Request, session: Session) -> web.StreamResponse:
        number, action = request.match_info["number"], request.match_info["action"]
        if action not in ACTIONS:
            raise web.HTTPNotFound()
        form = await read_form(request)
        back = f"/staff/applications/{urllib.parse.quote(number)}"
        try:
            params = _params(action, form)
            await self.applications.aact(number, f"web:{session.username}", action, **params)
        except (ApplicationError, ValueError) as e:
            raise web.HTTPSeeOther(told(back, error=str(e))) from None
        raise web.HTTPSeeOther(told(back, done="1"))

    async def staff_letter(self, request: web.Request, session: Session) -> web.StreamResponse:
        application = self.applications.get(request.match_info["number"])
        if application is None:
            raise web.HTTPNotFound()
        return self._letter(application, request.query.get("id", "")[:20])

    # --- helpers ------------------------------------------------------------------------------------

    def _letter(self, application: Any, letter_id: str = "", kind: str = "") -> web.Response:
        """A letter of ``application``: the one ``letter_id`` names, else the latest (of ``kind``)."""
        letters = [
            x
            for x in self.applications.letters(application)
            if (not letter_id or str(x.id) == letter_id) and (not kind or x.kind == kind)
        ]
        if not letters:
            raise web.HTTPNotFound(text=texts.APPLY_NO_LETTER)
        return web.Response(
            text=letters[-1].html, content_type="text/html", headers={"Content-Security-Policy": LETTER_POLICY}
        )

    async def _posted(self, request: web.Request) -> Any:
        form = await read_form(request)
        session = self.sessions.get(request)
        if not _same(str(form.get("csrf", "")), self.sessions.csrf(session)):
            raise web.HTTPForbidden(text=texts.WEB_FORM_STALE)
        return form

    def _citizen(self, request: web.Request, template: str, **context: Any) -> web.Response:
        session = self.sessions.get(request)
        # The session's cookie (or, in the widget's frame, its token) comes with the page: sessions.py.
        page = self.sessions.context() | context
        response: web.Response = self.render(template, csrf=self.sessions.csrf(session), **_choices(), **page)
        return response

    def _redirect(self, request: web.Request, location: str) -> web.HTTPSeeOther:
        return web.HTTPSeeOther(self.sessions.link(location))


def _date(value: Any) -> dt.date | None:
    text = str(value or "").strip()[:10]
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ApplicationError(texts.APPLY_BAD_DAY) from None


def _params(action: str, form: Any) -> dict[str, Any]:
    """A staff action's parameters from its posted form."""
    text = str(form.get("text", ""))  # whole: the service refuses one over its limit, saying so
    on = _date(form.get("on"))
    if action == "request_correction":
        return {"text": text, "on": on, "by": _date(form.get("by"))}
    if action == "correct":
        return {"on": on, "text": text or None}
    if action == "extend":
        days = _int(form.get("days"), -1)
        return {"days": days, "approved_by": str(form.get("approved_by", "")), "reason": text, "on": on}
    if action == "pause":
        return {"party_kind": str(form.get("party_kind", "")), "party": str(form.get("party", "")), "on": on}
    if action == "resume":
        return {"on": on, "text": text or None}
    if action == "note":
        return {"text": text}
    return {"decision": str(form.get("decision", "")), "facts": text, "article": str(form.get("article", "")), "on": on}


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default
