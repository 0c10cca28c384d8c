"""What the report keeps in the database: staff-entered figures and texts, and Table 3's cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlite_utils import Database

from ... import texts
from ...storage import Store, inserted_id
from ..applications.clock import IN_FORCE
from . import format as fmt
from .entries import TEXT_LIMIT, checked
from .tables import Case, ReportError


class ReportData:
    """A year's entered figures and texts (``report_entries``) and the review and litigation
    cases (``report_cases``), read and written through the store's one writer.

    :param now: the current time (aware), for the record of who entered what when
    """

    def __init__(self, store: Store, now: Callable[[], dt.datetime] | None = None) -> None:
        self.store = store
        self._now = now or (lambda: dt.datetime.now(dt.UTC))

    def _at(self) -> str:
        return self._now().isoformat(timespec="seconds")

    def _check_day(self, day: dt.date) -> None:
        """A case's day: not before the Regulations were in force, not after today (2099, 1900:
        counted in a report as open ones)."""
        if not IN_FORCE <= day <= self._now().date():
            raise ReportError(texts.REPORT_CASE_BAD_DAY.format(day=day, since=IN_FORCE))

    # --- entries --------------------------------------------------------------------------------

    def entries(self, year: int) -> dict[str, str]:
        """The year's entered values by key: the newest of each ("" where it was cleared)."""
        sql = """
            select key, value from report_entries where id in (
                select max(id) from report_entries where year = ? group by key)
        """
        return {row["key"]: row["value"] for row in self.store.reader.query(sql, [year])}

    def enter(self, year: int, values: dict[str, str], actor: str) -> int:
        """Record ``values`` (key -> value; "" clears one) for ``year`` and return how many were
        written; every value is checked first (:class:`ReportError` names the first bad one) and
        none is written if any is bad."""
        clean = {key: checked(year, key, value) for key, value in values.items()}
        at = self._at()

        def write(db: Database) -> int:
            rows = [{"year": year, "key": k, "value": v, "actor": actor, "at": at} for k, v in clean.items()]
            db.table("report_entries").insert_all(rows)
            return len(rows)

        return self.store.write(write) if clean else 0

    # --- Table 3's cases ------------------------------------------------------------------------

    def add_case(self, kind: str, filed_on: dt.date, subject: str, actor: str) -> Case:
        """Register a case of review or litigation (kind by key or label) and return it, numbered
        ``F<year>-<seq>`` by the year it was filed."""
        key = fmt.case_kind(kind)
        if key is None:
            raise ReportError(texts.REPORT_CASE_BAD_KIND)
        self._check_day(filed_on)
        subject = subject.strip()
        if len(subject) > TEXT_LIMIT:
            raise ReportError(texts.REPORT_TOO_LONG.format(key="subject", limit=TEXT_LIMIT))
        at = self._at()

        def write(db: Database) -> str:
            prefix = f"F{filed_on.year}-"
            row = db.execute("select count(*) from report_cases where number like ?", [prefix + "%"]).fetchone()
            number = f"{prefix}{row[0] + 1:03d}"
            db.table("report_cases").insert(
                {
                    "number": number,
                    "kind": key,
                    "filed_on": filed_on.isoformat(),
                    "subject": subject,
                    "actor": actor,
                    "at": at,
                }
            )
            return number

        number = self.store.write(write)
        return Case(number, key, filed_on, subject)

    def decide_case(self, number: str, result: str, decided_on: dt.date, actor: str, note: str = "") -> Case:
        """Record a case's result (维持 / 纠正 / 其他) and the day of the decision; a later call
        corrects an earlier one (both are kept)."""
        case = self.case(number)
        if case is None:
            raise ReportError(texts.REPORT_NO_SUCH_CASE.format(number=number))
        key = fmt.case_result(result)
        if key is None:
            raise ReportError(texts.REPORT_CASE_BAD_RESULT)
        if decided_on < case.filed_on:
            raise ReportError(texts.REPORT_CASE_DECIDED_BEFORE)
        self._check_day(decided_on)
        note = note.strip()
        if len(note) > TEXT_LIMIT:
            raise ReportError(texts.REPORT_TOO_LONG.format(key="note", limit=TEXT_LIMIT))
        at = self._at()
        case_id = self.store.reader.execute("select id from report_cases where number = ?", [case.number]).fetchone()[0]

        def write(db: Database) -> int:
            table = db.table("report_case_events")
            table.insert(
                {
                    "case_id": case_id,
                    "at": at,
                    "actor": actor,
                    "result": key,
                    "decided_on": decided_on.isoformat(),
                    "note": note,
                }
            )
            return inserted_id(table.last_pk)

        self.store.write(write)
        return Case(case.number, case.kind, case.filed_on, case.subject, key, decided_on)

    def cases(self, number: str | None = None) -> list[Case]:
        """Every case (or the one numbered ``number``), in the order filed, with its newest result."""
        sql = """
            select c.number, c.kind, c.filed_on, c.subject, e.result, e.decided_on
            from report_cases c left join report_case_events e on e.id = (
                select max(id) from report_case_events where case_id = c.id)
            where ? is null or c.number = ? order by c.filed_on, c.id
        """
        return [
            Case(
                r["number"],
                r["kind"],
                dt.date.fromisoformat(r["filed_on"]),
                r["subject"] or "",
                r["result"],
                dt.date.fromisoformat(r["decided_on"]) if r["decided_on"] else None,
            )
            for r in self.store.reader.query(sql, [number, number])
        ]

    def case(self, number: str) -> Case | None:
        found = self.cases(number.strip().upper())
        return found[0] if found else None
