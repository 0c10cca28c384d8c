"""Application records as CSV: what a register elsewhere (a spreadsheet, another system) can give
the report for a year, and what the synthetic year of the tests writes."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import TextIO

from sqlite_utils import Database

from .tables import ApplicationRecord, ReportError

FIELDS = ("applicant_column", "received", "decided", "outcome_row")


def read_records(stream: TextIO, name: str = "<stdin>") -> list[ApplicationRecord]:
    """Records from CSV with the header ``applicant_column,received,decided,outcome_row`` (dates
    YYYY-MM-DD; ``decided`` and ``outcome_row`` empty while open); :class:`ReportError` names the
    line of the first bad one."""
    reader = csv.DictReader(stream)
    missing = [f for f in FIELDS[:2] if f not in (reader.fieldnames or ())]
    if missing:
        raise ReportError(f"{name}: the header lacks {', '.join(missing)}")
    records = []
    for row in reader:
        try:
            decided = (row.get("decided") or "").strip()
            records.append(
                ApplicationRecord(
                    row["applicant_column"] or "",
                    dt.date.fromisoformat(row["received"].strip()),
                    dt.date.fromisoformat(decided) if decided else None,
                    (row.get("outcome_row") or "").strip() or None,
                )
            )
        except (ValueError, AttributeError) as e:
            raise ReportError(f"{name}:{reader.line_num}: {e}") from None
    return records


def write_records(records: Iterable[ApplicationRecord], stream: TextIO) -> None:
    """``records`` as the CSV :func:`read_records` reads."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(FIELDS)
    for r in records:
        writer.writerow([r.applicant_column, r.received, r.decided or "", r.outcome_row or ""])


# The register's outcome groups (bot.services.applications.outcomes) by their name in the format.
_GROUPS = {"withheld": "withheld", "unavailable": "unable", "not_processed": "not_processed", "other": "other"}
_RENAMED = {"withheld_safety": "withheld.security"}


def register_records(db: Database, year: int) -> list[ApplicationRecord]:
    """Table 2's records for ``year`` from the register of applications (``applications_for_year``),
    in the report's keys: the applicant column by its label (自然人), the row by its key."""
    from ..applications import APPLICANTS, applications_for_year
    from ..applications.outcomes import ROW

    def row_key(key: str | None) -> str | None:
        if key is None or key in ("granted", "partial"):
            return key
        if key in _RENAMED:
            return _RENAMED[key]
        group = ROW[key].group
        rest = key.removeprefix(group + "_") if key != group else "other"
        return f"{_GROUPS[group]}.{rest}"

    return [
        ApplicationRecord(APPLICANTS[r.column], r.received_on, r.decided_on, row_key(r.row))
        for r in applications_for_year(db, year)
    ]
