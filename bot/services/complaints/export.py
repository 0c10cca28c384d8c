"""The supervision log as CSV, for the supervising office and for Excel."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from ... import texts
from ...spreadsheet import neutral
from .types import RATINGS, STATUSES, Complaint, Event


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
        writer.writerow([neutral(cell) for cell in row])
        count += 1
    return count
