"""Application records as CSV: what a register elsewhere (a spreadsheet, another system) can give
the report for a year, and what the synthetic year of the tests writes."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import TextIO

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
