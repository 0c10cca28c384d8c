"""Finding complaints for staff: the filters of the lists, the search, the counts of the dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ... import texts
from .types import STATUSES, ComplaintError


def status_filter(status: str | None, today: dt.date) -> tuple[list[str], list[Any]]:
    """The SQL conditions, and their arguments, that select complaints of ``status``: one of
    ``STATUSES``, "open" (every status but closed), "overdue", or None for all."""
    if status is None:
        return [], []
    if status == "open":
        return ["status != 'closed'"], []
    if status == "overdue":
        return ["status != 'closed' and due_on < ?"], [today.isoformat()]
    if status not in STATUSES:
        labelled = {"open": "未办结", "overdue": "已超期"} | STATUSES
        choices = "、".join(f"{label}（{key}）" for key, label in labelled.items())
        raise ComplaintError(texts.STATUS_CHOICES.format(choices=choices))
    return ["status = ?"], [status]


def _is_day(text: str) -> bool:
    """Whether ``text`` is a day written YYYY-MM-DD (as a complaint's day is stored)."""
    try:
        return len(text) == 10 and dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


@dataclass(frozen=True)
class Filter:
    """Which complaints a list or an export holds: those of ``status`` (see ``status_filter``;
    None for all), of ``kind`` (投诉 or 举报), filed from the day ``since`` to the day ``until``
    (YYYY-MM-DD, inclusive), with ``q`` in the number, the text, the name or the phone."""

    status: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    q: str | None = None

    def conditions(self, today: dt.date) -> tuple[list[str], list[Any]]:
        """The SQL conditions, and their arguments, that select these complaints."""
        clauses, args = status_filter(self.status, today)
        for what, day in ((texts.FILTER_SINCE, self.since), (texts.FILTER_UNTIL, self.until)):
            if day and not _is_day(day):  # compared as text with the days filed: it must be one
                raise ComplaintError(texts.FILTER_BAD_DATE.format(what=what, value=day))
        for clause, value in (("kind = ?", self.kind), ("day >= ?", self.since), ("day <= ?", self.until)):
            if value:
                clauses.append(clause)
                args.append(value)
        if self.q:
            columns = ("number", "text", "name", "phone")
            clauses.append("(" + " or ".join(f"{c} like ? escape '\\'" for c in columns) + ")")
            like = "%" + self.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            args += [like] * len(columns)
        return clauses, args

    def describe(self) -> str:
        """The filter in words, for the title of an export: 未办结、投诉、2026-11-01至2026-11-30、含“张”."""
        parts = [texts.STATUS_FILTERS.get(self.status or "all") or STATUSES.get(self.status or "", self.status or "")]
        if self.kind:
            parts.append(self.kind)
        if self.since or self.until:
            parts.append(texts.EXPORT_FILTER_DAYS.format(since=self.since or "", until=self.until or ""))
        if self.q:
            parts.append(texts.EXPORT_FILTER_SEARCH.format(q=self.q))
        return "、".join(parts)


def where(clauses: list[str]) -> str:
    return ("where " + " and ".join(clauses)) if clauses else ""


def search(
    db: Database,
    today: dt.date,
    status: str | None,
    *,
    kind: str | None,
    since: str | None,
    until: str | None,
    q: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """The rows of the complaints that match, overdue first, then by due date; and how many match."""
    clauses, args = Filter(status, kind, since, until, q).conditions(today)
    condition = where(clauses)
    total = db.execute(f"select count(*) from complaints {condition}", args).fetchone()[0]
    rows = db.query(
        f"""select * from complaints {condition}
        order by (status != 'closed' and due_on < ?) desc, status = 'closed', due_on, id
        limit ? offset ?""",
        [*args, today.isoformat(), limit, offset],
    )
    return list(rows), total


def counts(db: Database, today: dt.date) -> dict[str, int]:
    """How many complaints are new, open (not closed) and overdue."""
    row = db.execute(
        """select sum(status = 'new'), sum(status != 'closed'), sum(status != 'closed' and due_on < ?)
        from complaints""",
        [today.isoformat()],
    ).fetchone()
    return {"new": row[0] or 0, "open": row[1] or 0, "overdue": row[2] or 0}
