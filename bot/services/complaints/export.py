"""The supervision log as a 台账 (ledger) for the supervising office: XLSX, and CSV with the same columns.

One row a complaint: what the citizen filed, then each step (受理, 答复, 办结) with its time and
who did it, the replies, the closing note and the citizen's rating. Both files are built from one
list of columns (``COLUMNS``), so they cannot drift apart. Times are the bureau's local times:
real date-times in the XLSX, ``2026-11-27 15:00`` in the CSV (which Excel reads as one).

What a spreadsheet must not do to a cell:
- run it: a citizen's "=HYPERLINK(...)" is a formula to Excel. The XLSX stores every text as a
  string cell, which is never evaluated; the CSV, which has no types, goes through
  ``spreadsheet.neutral``.
- read a phone number as a number (13812345678 becomes 1.38E+10, 05332181234 loses its 0): the
  XLSX stores it as text in a text-formatted cell; the CSV writes it with
  ``spreadsheet.digits_as_text``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ... import texts
from ...bidi import without_bidi
from ...spreadsheet import digits_as_text, neutral
from .types import RATINGS, STATUSES, Complaint, Event

Kind = Literal["text", "long", "when", "day", "phone"]
# A phone number as people write one: digits, maybe with a +, dashes, spaces or brackets.


@dataclass(frozen=True)
class Entry:
    """A complaint with its trail, its times in the bureau's zone: one row of the ledger."""

    complaint: Complaint
    events: list[Event]
    zone: dt.tzinfo

    def local(self, at: str) -> dt.datetime:
        """A recorded time (ISO 8601, with its offset) in the bureau's zone, without the zone:
        a spreadsheet's date-times have none."""
        when = dt.datetime.fromisoformat(at)
        if when.tzinfo is None:  # written without an offset: the bureau's own time
            when = when.replace(tzinfo=self.zone)
        return when.astimezone(self.zone).replace(tzinfo=None)

    def first(self, kind: str) -> Event | None:
        return next((e for e in self.events if e.kind == kind), None)

    def closing(self) -> Event | None:
        """The closing that stands: the last one, unless the complaint was reopened since."""
        if self.complaint.status != "closed":
            return None
        return next((e for e in reversed(self.events) if e.kind == "closed"), None)

    def replies(self) -> list[Event]:
        return [e for e in self.events if e.kind == "replied"]

    def reply_texts(self) -> str:
        replies = self.replies()
        if len(replies) == 1:
            return replies[0].text or ""
        return "\n".join(
            texts.EXPORT_REPLY_AT.format(at=f"{self.local(e.at):%Y-%m-%d %H:%M}", text=e.text or "") for e in replies
        )

    def repliers(self) -> str:
        return "、".join(dict.fromkeys(texts.actor_label(e.actor) for e in self.replies()))

    def when(self, event: Event | None) -> dt.datetime | None:
        return self.local(event.at) if event else None

    @staticmethod
    def who(event: Event | None) -> str:
        return texts.actor_label(event.actor) if event else ""


@dataclass(frozen=True)
class Column:
    """A column of the ledger: its header (``texts.EXPORT_COLUMNS[key]``), its width in the XLSX
    (in characters; a Chinese character is two), what kind of cell it is, and its value."""

    key: str
    width: int
    kind: Kind
    value: Callable[[Entry], str | dt.datetime | dt.date | None]

    @property
    def title(self) -> str:
        return texts.EXPORT_COLUMNS[self.key]


COLUMNS = (
    Column("number", 16, "text", lambda e: e.complaint.number),
    Column("kind", 6, "text", lambda e: e.complaint.kind),
    Column("topic", 16, "text", lambda e: e.complaint.topic_label),
    Column("channel", 10, "text", lambda e: texts.CHANNELS.get(e.complaint.channel, e.complaint.channel)),
    Column("filed", 17, "when", lambda e: e.local(e.complaint.created_at)),
    Column("name", 10, "text", lambda e: e.complaint.name),
    Column("phone", 15, "phone", lambda e: e.complaint.phone),
    Column("text", 50, "long", lambda e: e.complaint.text),
    Column("status", 9, "text", lambda e: STATUSES[e.complaint.status]),
    Column("overdue", 9, "text", lambda e: texts.EXPORT_YES if e.complaint.overdue else texts.EXPORT_NO),
    Column("due", 11, "day", lambda e: dt.date.fromisoformat(e.complaint.due_on)),
    Column("accepted", 17, "when", lambda e: e.when(e.first("accepted"))),
    Column("accepted_by", 16, "text", lambda e: e.who(e.first("accepted"))),
    Column("replied", 17, "when", lambda e: e.when(e.first("replied"))),
    Column("replied_by", 16, "text", lambda e: e.repliers()),
    Column("replies", 50, "long", lambda e: e.reply_texts()),
    Column("closed", 17, "when", lambda e: e.when(e.closing())),
    Column("closed_by", 16, "text", lambda e: e.who(e.closing())),
    Column("closing", 30, "long", lambda e: (c.text or "") if (c := e.closing()) else ""),
    Column("rating", 9, "text", lambda e: RATINGS.get(e.complaint.rating or "", "")),
)


def titles() -> list[str]:
    """The header of the ledger, XLSX and CSV alike."""
    return [c.title for c in COLUMNS]


def write_csv(out: IO[str] | Any, entries: Iterable[Entry]) -> int:
    """Write the ledger to ``out`` as CSV in UTF-8 with a BOM (without it Excel reads the Chinese
    as GBK); how many complaints. ``out`` is opened with ``newline=""``, as ``csv`` wants."""
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(titles())
    count = 0
    for entry in entries:
        writer.writerow([_csv_cell(c.kind, c.value(entry)) for c in COLUMNS])
        count += 1
    return count


def _csv_cell(kind: Kind, value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind == "phone" and isinstance(value, str):
        return digits_as_text(value)
    return neutral(value)


# How the XLSX looks: a bold title, a grey header row, date-times as people read them.
TITLE_FONT = Font(bold=True, size=14)
SUBTITLE_FONT = Font(color="666666")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDE4EE")
FORMATS = {"when": "yyyy-mm-dd hh:mm", "day": "yyyy-mm-dd", "phone": "@"}
HEADER_ROW = 3  # under the title and the line that says what was exported, and when


def write_xlsx(out: IO[bytes] | Any, entries: Iterable[Entry], *, title: str, subtitle: str) -> int:
    """Write the ledger to ``out`` (binary) as an Excel workbook: the ``title`` and ``subtitle``
    above a frozen header row with a filter, one row a complaint; how many complaints."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = texts.EXPORT_SHEET
    sheet["A1"] = _text(title)
    sheet["A1"].font = TITLE_FONT
    sheet["A2"] = _text(subtitle)
    sheet["A2"].font = SUBTITLE_FONT
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for i, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = column.width
        cell = sheet.cell(HEADER_ROW, i, column.title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, Alignment(horizontal="center")
    count = 0
    for row, entry in enumerate(entries, start=HEADER_ROW + 1):
        for i, column in enumerate(COLUMNS, start=1):
            value = column.value(entry)
            data = sheet.cell(row, i)
            if isinstance(value, str):
                # A string cell, never a formula: openpyxl would make "=..." one.
                data.value = _text(value)
                data.data_type = "s"
            else:
                data.value = value
            data.number_format = FORMATS.get(column.kind, "General")
            data.alignment = wrap if column.kind == "long" else top
        count += 1
    last = get_column_letter(len(COLUMNS))
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + count}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    book.save(out)
    return count


def _text(value: str) -> str:
    """``value`` without the control characters an XLSX cannot hold (openpyxl refuses them), nor
    the bidi controls that would reorder what a cell shows."""
    return without_bidi(ILLEGAL_CHARACTERS_RE.sub("", value))
