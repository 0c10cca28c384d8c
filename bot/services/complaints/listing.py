"""Finding complaints for staff: the filters of the lists, the search, the counts of the dashboard."""

from __future__ import annotations

import datetime as dt
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
        raise ComplaintError(texts.STATUS_CHOICES.format(choices="、".join(["open", "overdue", *STATUSES])))
    return ["status = ?"], [status]


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
    clauses, args = status_filter(status, today)
    for clause, value in (("kind = ?", kind), ("day >= ?", since), ("day <= ?", until)):
        if value:
            clauses.append(clause)
            args.append(value)
    if q:
        clauses.append("(" + " or ".join(f"{c} like ? escape '\\'" for c in ("number", "text", "name", "phone")) + ")")
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        args += [like] * 4
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
