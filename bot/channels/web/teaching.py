"""Teaching the bot from the staff console: from a group of questions it could not answer to a
phrasing of an entry, a new entry, a referral to another office, or a complaint example.

Each change is recorded (``services.teaching``) and the knowledge reloaded before the page comes
back, so the next citizen asking the like is answered from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from ... import texts
from ...services.staff import Session
from ...services.teaching import ACTIONS, NEAR_AT, TeachingError, likely_entries
from ..http import read_form
from .security import notice, told
from .staff import StaffConsole

if TYPE_CHECKING:
    from ...app import Services

MAX_WORDINGS = 20
CANDIDATES = 8
# The bot's nearest entry is ticked for staff only when it is this likely: ticking an unlikely
# one (0.00 for 明天会下雨吗) invites a careless click that teaches a wrong answer.
PRESELECT_AT = 0.5


class TeachingConsole:
    """The pages /staff/teach (one group of questions) and /staff/taught (what was taught)."""

    def __init__(self, console: StaffConsole, services: Services) -> None:
        self.console = console
        self.services = services

    def routes(self) -> list[web.RouteDef]:
        staff = self.console._staff
        return [
            web.get("/staff/teach", staff(self.page, "teach")),
            web.post("/staff/teach/{action}", staff(self.teach, "teach")),
            web.get("/staff/taught", staff(self.taught, "teach")),
            web.post("/staff/taught/{id}/undo", staff(self.undo, "teach")),
        ]

    async def page(
        self,
        request: web.Request,
        session: Session,
        *,
        wordings: list[str] | None = None,
        errors: dict[str, str] | None = None,
        form: dict[str, Any] | None = None,
    ) -> web.Response:
        if wordings is None:
            wordings = _wordings(request.query.getall("w", []))
        q = request.query.get("q", "").strip()[:100] or (wordings[0] if wordings else "")
        matcher = self.services.answerer.matcher
        candidates = likely_entries(matcher, q, CANDIDATES)
        sections = [s for s in matcher.knowledge.sections if not _referral_section(matcher.knowledge, s)]
        return self.console._page(
            "staff_teach.html",
            session,
            wordings=wordings,
            q=q,
            candidates=candidates,
            preselect=PRESELECT_AT,
            near=bool(candidates) and candidates[0].score >= NEAR_AT,
            sections=sections,
            errors=errors or {},
            form=form or {},
        )

    async def teach(self, request: web.Request, session: Session) -> web.StreamResponse:
        action = request.match_info["action"]
        if action not in ACTIONS:
            raise web.HTTPNotFound()
        post = await read_form(request)
        if any(len(set(post.getall(k))) > 1 for k in post if k != "w"):  # two entry_ids: which one?
            raise web.HTTPBadRequest(text=texts.HTTP_FIELD_TWICE)
        wordings = _wordings(post.getall("w", []))
        who = f"web:{session.username}"
        teaching, knowledge = self.services.teaching, self.services.answerer.matcher.knowledge
        form = {k: str(v)[:4000] for k, v in post.items() if k not in ("csrf", "w")}
        try:
            if action == "phrasings":
                taught = teaching.teach_phrasings(knowledge, form.get("entry_id", ""), wordings, who)
            elif action == "entry":
                fields = {
                    **form,
                    "alternatives": _lines(form.get("alternatives", "")),
                    "keywords": _lines(form.get("keywords", "").replace("，", "\n").replace(",", "\n")),
                }
                taught = teaching.teach_entry(knowledge, fields, who)
            elif action == "out_of_scope":
                taught = teaching.teach_out_of_scope(knowledge, wordings, who, form.get("pointer", ""))
            else:
                taught = teaching.teach_complaint(knowledge, wordings, who)
        except TeachingError as e:
            form["action"] = action
            response = await self.page(request, session, wordings=wordings, errors=e.problems, form=form)
            response.set_status(422)
            return response
        reloaded = await self.services.reload()
        what = texts.TEACH_DONE.get(taught.action, taught.label)
        done = (texts.TAUGHT if reloaded else texts.TAUGHT_NOT_LIVE).format(what=what, number=taught.id)
        raise web.HTTPSeeOther(told("/staff/enquiries", done=done))

    async def taught(self, request: web.Request, session: Session) -> web.Response:
        records = list(reversed(self.services.teaching.records()))
        titles = {e.id: e.question for e in self.services.answerer.matcher.knowledge.guide}
        return self.console._page(
            "staff_taught.html",
            session,
            records=records,
            titles=titles,
            done=notice(request, "done"),
            error=notice(request, "error"),
        )

    async def undo(self, request: web.Request, session: Session) -> web.StreamResponse:
        try:
            taught_id = int(request.match_info["id"])
            self.services.teaching.undo(taught_id, f"web:{session.username}")
        except (ValueError, TeachingError) as e:
            message = "；".join(e.problems.values()) if isinstance(e, TeachingError) else texts.UNTAUGHT_BAD_NUMBER
            raise web.HTTPSeeOther(told("/staff/taught", error=message)) from None
        await self.services.reload()
        done = texts.UNTAUGHT.format(number=taught_id)
        raise web.HTTPSeeOther(told("/staff/taught", done=done))


def _wordings(values: list[Any]) -> list[str]:
    """The wordings posted, as typed: one too long is refused by the teaching service, as on the
    command line, not cut to fit."""
    return list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))[:MAX_WORDINGS]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _referral_section(knowledge: Any, section: str) -> bool:
    return all(e.refer for e in knowledge.guide if e.section == section)
