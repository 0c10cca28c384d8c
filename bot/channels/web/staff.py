"""The staff console at /staff: log-in, the dashboard, complaints, enquiries, the catalogue.

Every page needs a log-in session (otherwise: a redirect to the log-in page); every post needs
the session's CSRF token (otherwise: 403). Actions go through the same core as the Telegram staff
group and the CLI, into the same audit trail, with the actor ``web:<username>``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import secrets
import urllib.parse
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from ... import texts
from ...limits import RateLimit
from ...services.answering import MAX_QUESTION_CHARS, Answerer
from ...services.complaints import EVENTS, KINDS, RATINGS, STATUSES, TOPICS, ComplaintError, Complaints, Filter
from ...services.insights import answered_now, unanswered
from ...services.outbox import PUSHED
from ...services.retention import Retention
from ...services.staff import Session, StaffAccounts
from ...storage import Store
from ..http import read_form
from .security import LOGIN_COOKIE, STAFF_COOKIE, client_address, notice, same, set_cookie, told

log = logging.getLogger(__name__)
PAGE = 20
MAX_PAGE_DIGITS = 6
CHART_DAYS = 14
LOW_CONFIDENCE = 0.5
ACTIONS = ("accepted", "replied", "noted", "closed", "reopened")
Handler = Callable[[web.Request, Session], Awaitable[web.StreamResponse]]
Guarded = Callable[[web.Request], Awaitable[web.StreamResponse]]


class StaffConsole:
    def __init__(
        self,
        answerer: Answerer,
        store: Store,
        complaints: Complaints,
        accounts: StaffAccounts,
        render: Any,
        secure: bool,
        taught: Callable[[], set[str]] = set,
        logins: RateLimit | None = None,
        proxies: frozenset[str] = frozenset(),
    ) -> None:
        self.answerer = answerer
        self.taught = taught  # the wordings staff taught: no longer waiting in the queue
        self.store = store
        self.complaints = complaints
        self.accounts = accounts
        self.render = render
        self.secure = secure
        # Log-in attempts per client address: each costs a scrypt hash (16 MiB, tens of ms), and the
        # lock-out, per account, does not stop one address trying many names.
        self.logins = logins or RateLimit((10, 60.0))
        self.proxies = proxies

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/staff/login", self.login_page),
            web.post("/staff/login", self.login),
            web.post("/staff/logout", self._staff(self.logout)),
            web.get("/staff", self._staff(self.dashboard)),
            web.get("/staff/", _to_console),  # typed with its slash, as a folder
            web.get("/staff/complaints", self._staff(self.complaint_list)),
            web.get("/staff/complaints.csv", self._staff(self.export_csv)),
            web.get("/staff/complaints.xlsx", self._staff(self.export_xlsx)),
            web.get("/staff/complaints/{number}", self._staff(self.complaint)),
            web.post("/staff/complaints/{number}/erase", self._staff(self.erase)),  # before {action}: first wins
            web.post("/staff/complaints/{number}/{action}", self._staff(self.act)),
            web.get("/staff/enquiries", self._staff(self.enquiries)),
            web.get("/staff/catalogue", self._staff(self.catalogue)),
        ]

    def _staff(self, handler: Handler, may: str | None = None) -> Guarded:
        """Only for a logged-in member of staff (whose role ``may`` do this, if given); a post only
        with the session's CSRF token."""

        async def guarded(request: web.Request) -> web.StreamResponse:
            session = self.accounts.session(request.cookies.get(STAFF_COOKIE))
            if session is None:
                if request.method not in ("GET", "HEAD"):  # HEAD is asked as GET is: to the login
                    raise web.HTTPForbidden(text=texts.STAFF_LOGIN_FIRST)
                back = urllib.parse.quote(request.path_qs)
                raise web.HTTPSeeOther(f"/staff/login?next={back}")
            if may is not None and not session.may(may):
                log.warning("staff %s (%s) refused: may not %s", session.username, session.role, may)
                raise web.HTTPForbidden(text=texts.STAFF_NOT_ALLOWED)
            if request.method == "POST":
                form = await read_form(request)
                if not same(str(form.get("csrf", "")), session.csrf):
                    log.warning("staff post without a valid CSRF token refused")
                    raise web.HTTPForbidden(text=texts.WEB_FORM_STALE)
            return await handler(request, session)

        return guarded

    def _page(self, template: str, session: Session | None, **context: Any) -> web.Response:
        return self.render(template, staff=session, csrf=session.csrf if session else "", **context)

    # --- logging in and out -------------------------------------------------------------------------

    async def login_page(self, request: web.Request, error: str = "") -> web.Response:
        token = secrets.token_urlsafe(24)
        done = notice(request, "done")  # the password changed: log in with the new one
        response = self.render("staff_login.html", staff=None, csrf=token, error=error, done=done, next=_next(request))
        set_cookie(response, LOGIN_COOKIE, token, secure=self.secure, days=None)
        return response

    async def login(self, request: web.Request) -> web.StreamResponse:
        address = client_address(request, self.proxies)
        if not self.logins.allow("a:" + address):
            log.warning("staff log-in refused: too many attempts from one address")
            response = await self.login_page(request, texts.STAFF_LOGIN_TOO_FAST)
            response.set_status(429)
            return response
        form = await read_form(request)
        if not same(str(form.get("csrf", "")), request.cookies.get(LOGIN_COOKIE)):
            raise web.HTTPForbidden(text=texts.WEB_FORM_STALE)
        username, password = str(form.get("username", ""))[:40], str(form.get("password", ""))[:200]
        # scrypt takes tens of milliseconds and 16 MiB: not on the event loop.
        token = await asyncio.to_thread(self.accounts.log_in, username, password, address)
        if token is None:
            return await self.login_page(request, texts.STAFF_LOGIN_FAILED)
        redirect = web.HTTPSeeOther(_next(request, form.get("next")))
        set_cookie(redirect, STAFF_COOKIE, token, secure=self.secure, days=None)
        redirect.del_cookie(LOGIN_COOKIE, path="/")
        raise redirect

    async def logout(self, request: web.Request, session: Session) -> web.StreamResponse:
        self.accounts.log_out(request.cookies.get(STAFF_COOKIE, ""))
        redirect = web.HTTPSeeOther("/staff/login")
        redirect.del_cookie(STAFF_COOKIE, path="/")
        raise redirect

    # --- pages --------------------------------------------------------------------------------------

    async def dashboard(self, request: web.Request, session: Session) -> web.Response:
        now = self.complaints.now()  # the bureau's time zone: its days, not UTC's
        first = now.date() - dt.timedelta(days=CHART_DAYS - 1)
        start = dt.datetime.combine(first, dt.time(), now.tzinfo)
        rows = {r["day"]: r for r in self.store.enquiry_days(start)}
        days = []
        for n in range(CHART_DAYS):
            day = (first + dt.timedelta(days=n)).isoformat()
            row = rows.get(day, {})
            days.append({"day": day, "total": row.get("total", 0) or 0, "answer": row.get("answer", 0) or 0})
        totals = {k: sum((r.get(k) or 0) for r in rows.values()) for k in ("total", "answer", "clarify", "fallback")}
        shares = {
            k: (totals[k] / totals["total"] if totals["total"] else 0.0) for k in ("answer", "clarify", "fallback")
        }
        # the rest: documents listed, complaints, greetings, input that was no question
        shares["other"] = max(0.0, 1.0 - sum(shares.values())) if totals["total"] else 0.0
        return self._page(
            "staff_dashboard.html",
            session,
            days=days,
            peak=max([d["total"] for d in days] + [1]),
            today=days[-1]["total"],
            totals=totals,
            shares=shares,
            counts=self.complaints.counts(),
        )

    async def complaint_list(self, request: web.Request, session: Session) -> web.Response:
        filters = _filters(request.query)
        page = _int(request.query.get("page"), 0)
        try:
            listed, total = self.complaints.search(
                **vars(_chosen(filters)),
                limit=PAGE,
                offset=page * PAGE,
            )
        except ComplaintError as e:
            listed, total, filters["error"] = [], 0, str(e)
        pages = max(1, -(-total // PAGE))
        # The filter, without the page: for the pager and for the export links (what is listed is
        # what is exported).
        query = urllib.parse.urlencode({k: v for k, v in filters.items() if v and k != "error"})
        response = self._page(
            "staff_complaints.html",
            session,
            complaints=listed,
            total=total,
            page=page,
            pages=pages,
            filters=filters,
            query=query,
            statuses=STATUSES,
            kinds=KINDS,
        )
        if "error" in filters:  # a filter that is not one (an edited address): said, as the exports do
            response.set_status(400)
        return response

    async def complaint(self, request: web.Request, session: Session) -> web.Response:
        complaint = self.complaints.get(request.match_info["number"])
        if complaint is None:
            raise web.HTTPNotFound(text=texts.STAFF_NO_SUCH_COMPLAINT)
        outbox = self.complaints.outbox
        undelivered = outbox.failures(complaint.id)
        # Filed on WeChat, say, where no sender runs (no AppSecret): nothing staff send reaches them.
        unsent = complaint.channel in PUSHED and complaint.channel not in outbox.delivering
        return self._page(
            "staff_complaint.html",
            session,
            complaint=complaint,
            events=self.complaints.events(complaint),
            ratings=RATINGS,
            topics=TOPICS,
            undelivered=undelivered,
            unsent=unsent,
            notice=notice(request, "done"),
            error=notice(request, "error"),
        )

    async def act(self, request: web.Request, session: Session) -> web.StreamResponse:
        number, action = request.match_info["number"], request.match_info["action"]
        if action not in ACTIONS:
            raise web.HTTPNotFound()
        form = await read_form(request)
        text = str(form.get("text", ""))  # whole: the service refuses one over its limit, saying so
        back = f"/staff/complaints/{urllib.parse.quote(number)}"
        try:
            await self.complaints.aact(number, action, f"web:{session.username}", text)
        except ComplaintError as e:
            raise web.HTTPSeeOther(told(back, error=str(e))) from None
        raise web.HTTPSeeOther(told(back, done=EVENTS[action]))

    async def erase(self, request: web.Request, session: Session) -> web.StreamResponse:
        """Erase the complaint's contact name and phone at the person's request (个人信息保护法 第47条)."""
        number = request.match_info["number"]
        back = f"/staff/complaints/{urllib.parse.quote(number)}"
        if not (await read_form(request)).get("confirm"):
            raise web.HTTPSeeOther(told(back, error=texts.ERASE_NOT_CONFIRMED))
        try:
            await Retention(self.store, self.complaints.settings).aerase_contact(number, f"web:{session.username}")
        except ComplaintError as e:
            raise web.HTTPSeeOther(told(back, error=str(e))) from None
        raise web.HTTPSeeOther(told(back, done=EVENTS["erased"]))

    async def export_xlsx(self, request: web.Request, session: Session) -> web.Response:
        """The complaints of the list's filter (the same query) as the ledger in an Excel workbook."""
        out = io.BytesIO()
        await self._export(request, session, lambda chosen: self.complaints.export_xlsx(out, chosen))
        return _download(
            out.getvalue(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", self.complaints
        )

    async def export_csv(self, request: web.Request, session: Session) -> web.Response:
        """The complaints of the list's filter (the same query) as the ledger in CSV."""
        out = io.StringIO(newline="")
        await self._export(request, session, lambda chosen: self.complaints.export_csv(out, chosen))
        return _download(out.getvalue().encode("utf-8"), "csv", "text/csv; charset=utf-8", self.complaints)

    async def _export(self, request: web.Request, session: Session, write: Callable[[Filter], int]) -> None:
        chosen = _chosen(_filters(request.query))
        try:
            # Reading every complaint's trail and building a workbook takes a while: not on the event loop.
            count = await asyncio.to_thread(write, chosen)
        except ComplaintError as e:
            raise web.HTTPBadRequest(text=str(e)) from None
        log.info("staff %s exported %d complaint(s)", session.username, count)

    async def enquiries(self, request: web.Request, session: Session) -> web.Response:
        taught = self.taught()
        groups = unanswered(self.store, taught=taught, limit=100)
        # Asked again on the knowledge in force: milliseconds each once answered (seconds for a
        # page of them after a reload), on a worker thread.
        groups, answered = await asyncio.to_thread(answered_now, groups, self.answerer.answer)
        low = self.store.low_confidence(below=LOW_CONFIDENCE, limit=50)
        titles = {e.id: e.question for e in self.answerer.matcher.knowledge.guide}
        done = notice(request, "done")
        # A wording tried as a citizen would ask it, on the knowledge in force (what was just
        # taught too), and not recorded: staff see whether a paraphrase is answered now.
        tried = request.query.get("try", "").strip()[:MAX_QUESTION_CHARS]
        reply = await self.answerer.aanswer(tried) if tried else None
        return self._page(
            "staff_enquiries.html",
            session,
            groups=groups,
            answered=answered,
            low=low,
            titles=titles,
            done=done,
            tried=tried,
            reply=reply,
        )

    async def catalogue(self, request: web.Request, session: Session) -> web.Response:
        q = request.query.get("q", "").strip()[:100]
        hits = self.answerer.catalogue.search(q, limit=30).as_json()["hits"] if q else []
        return self._page("staff_catalogue.html", session, q=q, hits=hits)


def _filters(query: Any) -> dict[str, str]:
    """The complaints list's filter from the query, as the form shows it (all open ones when none)."""
    return {
        "status": query.get("status", "open"),
        "kind": query.get("kind", ""),
        "since": query.get("since", "")[:10],
        "until": query.get("until", "")[:10],
        "q": query.get("q", "").strip()[:100],
    }


def _chosen(filters: dict[str, str]) -> Filter:
    """The complaints the form's ``filters`` select (a kind that is not one is ignored)."""
    return Filter(
        status=None if filters["status"] == "all" else filters["status"],
        kind=filters["kind"] if filters["kind"] in KINDS else None,
        since=filters["since"] or None,
        until=filters["until"] or None,
        q=filters["q"] or None,
    )


def _download(body: bytes, ext: str, content_type: str, complaints: Complaints) -> web.Response:
    """``body`` as a file to save, named 投诉台账-YYYYMMDD (the bureau's day) in RFC 5987's form,
    with an ASCII name for the clients that do not read it."""
    day = f"{complaints.today():%Y%m%d}"
    name = urllib.parse.quote(texts.EXPORT_FILE.format(day=day, ext=ext))
    disposition = f"attachment; filename=\"complaints-{day}.{ext}\"; filename*=UTF-8''{name}"
    return web.Response(body=body, headers={"Content-Type": content_type, "Content-Disposition": disposition})


def _int(value: str | None, default: int) -> int:
    """A page number from the query: ``default`` when absent, 400 when it is not one (a number of
    20 digits would overflow SQLite's integers)."""
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or len(value) > MAX_PAGE_DIGITS:
        raise web.HTTPBadRequest(text=texts.HTTP_BAD_PAGE)
    return int(value)


def _next(request: web.Request, posted: Any = None) -> str:
    """Where to go after logging in: a path on this site only (never another site)."""
    target = str(posted or request.query.get("next") or "/staff")
    return target if target.startswith("/staff") and "//" not in target and "\\" not in target else "/staff"


async def _to_console(request: web.Request) -> web.StreamResponse:
    raise web.HTTPMovedPermanently("/staff")
