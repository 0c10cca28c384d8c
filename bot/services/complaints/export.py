"""The supervision log as CSV, for the supervising office and for Excel."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from ... import texts
from .types import RATINGS, STATUSES, Complaint, Event

# A cell starting with one of these is read by Excel, LibreOffice and Google Sheets as a formula
# (tab and carriage return too: some strip them first and read what follows). A citizen's text
# such as "=HYPERLINK(...)" must stay text: a leading apostrophe makes it so, and shows as
# nothing in the spreadsheet (OWASP's advice on CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: str) -> str:
    """``value`` as a spreadsheet cell that cannot be a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_csv(out: Any, complaints: Iterable[tuple[Complaint, list[Event]]]) -> int:
    """Write each complaint with its replies to ``out`` (UTF-8 with a BOM, which Excel needs to
    read Chinese); how many complaints."""
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(texts.EXPORT_COLUMNS)
    count = 0
    for complaint, events in complaints:
        replies = [e.text or "" for e in events if e.kind == "replied"]
        row = [
            complaint.number,
            complaint.kind,
            complaint.topic_label,
            STATUSES[complaint.status],
            texts.EXPORT_YES if complaint.overdue else texts.EXPORT_NO,
            complaint.created_at,
            complaint.due_on,
            complaint.channel,
            complaint.name,
            complaint.phone,
            complaint.text,
            "\n".join(replies),
            RATINGS.get(complaint.rating or "", ""),
        ]
        writer.writerow([neutral(cell) if isinstance(cell, str) else cell for cell in row])
        count += 1
    return count
