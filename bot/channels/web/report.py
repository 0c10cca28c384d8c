"""The staff console's yearly report at /staff/report: enter the figures and texts, keep Table 3's
cases, see the checks, print the report and download its tables.

Behind the console's log-in and CSRF guard (``StaffConsole._staff``); writes go through the report
service with the actor ``web:<username>``. Open to every role: the report is made from the registers
that clerks keep (applications, review and litigation cases), as complaints are theirs to work.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import urllib.parse

from aiohttp import web

from ... import texts
from ...knowledge import KnowledgeError
from ...services.report import ReportError, ReportRefused, Reports, csv_tables, render_html
from ...services.report import format as fmt
from ...services.report.entries import entry_keys
from ...services.report.render import CSS_HASH, cases_csv
from ...services.staff import Session
from ..http import read_form
from .security import notice, told
from .staff import StaffConsole

log = logging.getLogger(__name__)


class ReportPages:
    """The report's pages, guarded and rendered as the console's own (its ``_staff`` and ``_page``):
    a module of their own so that the console's other pages and these change apart. Writes run off
    the event loop (each waits for its commit)."""

    def __init__(self, console: StaffConsole, reports: Reports) -> None:
        self.console = console
        self.reports = reports

    def routes(self) -> list[web.RouteDef]:
        guard = self.console._staff
        return [
            web.get("/staff/report", guard(self.page)),
            web.post("/staff/report/{year:\\d{4}}/entries", guard(self.enter)),
            web.get("/staff/report/{year:\\d{4}}.html", guard(self.printable)),
            web.get("/staff/report/{year:\\d{4}}/{name:[a-z0-9]+}.csv", guard(self.table_csv)),
            web.get("/staff/report/cases.csv", guard(self.cases_export)),
            web.post("/staff/report/cases", guard(self.add_case)),
            web.post("/staff/report/cases/{number}/decide", guard(self.decide_case)),
        ]

    def _year(self, value: str | None) -> int:
        years = self.reports.years()
        if not value:
            return years[-2] if len(years) > 1 else years[-1]  # by default, last year's report
        year = int(value) if value.isascii() and value.isdigit() and len(value) <= 4 else 0
        if year not in years:  # ?year=abc too: said, not the default year shown as if asked for
            raise web.HTTPNotFound(text=texts.REPORT_NO_YEAR.format(year=value[:8]))
        return year

    async def page(self, request: web.Request, session: Session) -> web.Response:
        year = self._year(request.query.get("year"))
        return self._render(request, session, year, notice(request, "error"))

    def _render(
        self, request: web.Request, session: Session, year: int, error: str | None, typed: dict[str, str] | None = None
    ) -> web.Response:
        """The year's page; after a refused entry, with its ``error`` and the values as ``typed``
        (none of them saved: one bad figure must not cost the fourteen typed beside it)."""
        report = None
        entries: dict[str, str] = {}
        try:
            entries = self.reports.entries(year)
            report = self.reports.build(year)
        except (ReportError, KnowledgeError) as e:  # an input that cannot be counted, a bad year file
            error = error or str(e)
        entries |= typed or {}
        keys = entry_keys(year)
        return self.console._page(
            "staff_report.html",
            session,
            active="report",
            year=year,
            years=list(self.reports.years())[::-1],
            era=fmt.era(year),
            report=report,
            entries=entries,
            figures=[(k, label) for k, label in keys.items() if not k.startswith(("text.", "t2.", "date"))],
            text_keys=[(k, label) for k, label in keys.items() if k.startswith("text.")],
            date_label=keys["date"],
            csv_names=list(csv_tables(report)) if report and not report.failures else [],
            cases=self.reports.data.cases(),
            kinds=fmt.CASE_KINDS,
            results=fmt.CASE_RESULTS,
            kind_labels={k.key: k.label for k in fmt.CASE_KINDS},
            result_labels={c.key: c.label for c in fmt.CASE_RESULTS},
            today=self.reports.today().isoformat(),
            notice=notice(request, "done"),
            error=error,
        )

    @staticmethod
    def _back(year: int | str, **query: str) -> web.HTTPSeeOther:
        return web.HTTPSeeOther(told(f"/staff/report?year={year}", **query))

    async def enter(self, request: web.Request, session: Session) -> web.StreamResponse:
        year = self._year(request.match_info["year"])
        form = await read_form(request)
        keys = entry_keys(year)
        values = {k: str(v)[:6000] for k, v in form.items() if k in keys}
        try:
            count = await asyncio.to_thread(self.reports.enter, year, values, f"web:{session.username}")
        except ReportError as e:  # the form again, as typed, with what to correct
            response = self._render(request, session, year, str(e), values)
            response.set_status(400)
            return response
        log.info("staff %s entered %d report value(s) for %d", session.username, count, year)
        raise self._back(year, done=str(count))

    async def printable(self, request: web.Request, session: Session) -> web.StreamResponse:
        year = self._year(request.match_info["year"])
        try:
            html = render_html(self.reports.build(year))
        except ReportRefused:  # the page lists the cells
            raise self._back(year) from None
        except (ReportError, KnowledgeError) as e:
            raise self._back(year, error=str(e)) from None
        # The page's one inline style block, and nothing else, is allowed: it prints on its own.
        policy = f"default-src 'none'; style-src '{CSS_HASH}'; frame-ancestors 'self'"
        return web.Response(text=html, content_type="text/html", headers={"Content-Security-Policy": policy})

    async def table_csv(self, request: web.Request, session: Session) -> web.StreamResponse:
        year = self._year(request.match_info["year"])
        name = request.match_info["name"] + ".csv"
        try:
            tables = csv_tables(self.reports.build(year))
        except ReportError:
            raise self._back(year) from None
        if name not in tables:
            raise web.HTTPNotFound()
        return _csv_response(tables[name], f"{year}-{name}")

    async def cases_export(self, request: web.Request, session: Session) -> web.StreamResponse:
        return _csv_response(cases_csv(self.reports.data.cases()), "cases.csv")

    async def add_case(self, request: web.Request, session: Session) -> web.StreamResponse:
        form = await read_form(request)
        year = self._year(str(form.get("year", "")))
        try:
            filed_on = dt.date.fromisoformat(str(form.get("filed_on", "")))
            case = await asyncio.to_thread(
                self.reports.data.add_case,
                str(form.get("kind", "")),
                filed_on,
                str(form.get("subject", "")),
                f"web:{session.username}",
            )
        except ValueError:
            raise self._back(year, error=texts.REPORT_BAD_DATE.format(what="立案日期")) from None
        except ReportError as e:
            raise self._back(year, error=str(e)) from None
        raise self._back(year, done=case.number)

    async def decide_case(self, request: web.Request, session: Session) -> web.StreamResponse:
        form = await read_form(request)
        year = self._year(str(form.get("year", "")))
        try:
            decided_on = dt.date.fromisoformat(str(form.get("decided_on", "")))
            case = await asyncio.to_thread(
                self.reports.data.decide_case,
                request.match_info["number"],
                str(form.get("result", "")),
                decided_on,
                f"web:{session.username}",
                str(form.get("note", "")),
            )
        except ValueError:
            raise self._back(year, error=texts.REPORT_BAD_DATE.format(what="审结日期")) from None
        except ReportError as e:
            raise self._back(year, error=str(e)) from None
        raise self._back(year, done=case.number)


def _csv_response(text: str, filename: str) -> web.Response:
    return web.Response(
        body=text.encode("utf-8"),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{urllib.parse.quote(filename)}"},
    )
