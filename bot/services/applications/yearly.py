"""The register as the yearly report's Table 2 needs it: one record per application in play in a year."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlite_utils import Database

from .outcomes import APPLICANTS, DECISIONS


@dataclass(frozen=True)
class YearRecord:
    """One application, as Table 2 counts it.

    :param column: its applicant column, a key of ``outcomes.APPLICANTS``
    :param received_on: its day of receipt (第31条); an application received before the year
      and not decided by its first day is 上年结转 (row 二)
    :param decided_on: the day it was decided; None if it is not decided (yet), and a day after
      the year's end when it was decided later: either way it is 结转下年度 (row 四) for the year
    :param decision: a key of ``outcomes.DECISIONS`` (None if undecided)
    :param row: the outcome row it is counted in, a key of ``outcomes.ROW`` (None if undecided)
    """

    number: str
    column: str
    received_on: dt.date
    decided_on: dt.date | None
    decision: str | None
    row: str | None

    def new_in(self, year: int) -> bool:
        """Row 一: received in ``year``."""
        return self.received_on.year == year

    def carried_in(self, year: int) -> bool:
        """Row 二: received before ``year`` and still open on its first day."""
        return self.received_on.year < year

    def decided_in(self, year: int) -> bool:
        """Row 三: decided in ``year`` (counted in ``row``)."""
        return self.decided_on is not None and self.decided_on.year == year

    def carried_out(self, year: int) -> bool:
        """Row 四: still open at the end of ``year``."""
        return not self.decided_in(year)


def applications_for_year(db: Database, year: int) -> list[YearRecord]:
    """Every application Table 2 of ``year`` counts: received by the year's last day and not
    decided before its first, in the order they were received.

    Each record says its applicant column, its day of receipt, the day it was decided and the
    outcome row, so that for every column 一 (``new_in``) + 二 (``carried_in``) = 三
    (``decided_in``, by ``row``) + 四 (``carried_out``). Read-only: ``db`` may be the store's
    reader connection.
    """
    first, last = dt.date(year, 1, 1).isoformat(), dt.date(year, 12, 31).isoformat()
    rows = db.execute(
        """
        select a.number, a.applicant, a.received_on, d.on_date, d.data
        from applications a
        left join application_events d on d.id = (
            select id from application_events where application_id = a.id and kind = 'decided' order by id limit 1
        )
        where a.received_on <= ? and (d.on_date is null or d.on_date >= ?)
        order by a.received_on, a.id
        """,
        [last, first],
    ).fetchall()
    records = []
    for number, applicant, received_on, decided_on, data in rows:
        decision = json.loads(data)["decision"] if data else None
        records.append(
            YearRecord(
                number=number,
                column=applicant if applicant in APPLICANTS else "other",
                received_on=dt.date.fromisoformat(received_on),
                decided_on=dt.date.fromisoformat(decided_on) if decided_on else None,
                decision=decision,
                row=DECISIONS[decision].row if decision else None,
            )
        )
    return records
