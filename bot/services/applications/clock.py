"""The statutory clocks of an application, on the working-day calendar, folded from its events.

The rules (2019 Regulations), as counted here:

- The day of receipt (第31条) does not count; the answer is due on the 20th working day after it
  (第33条): ``working_days_after(received, 20)``. Weekends and holidays are skipped, 调休
  Saturdays and Sundays count.
- A 补正 notice (第30条) may be sent once, within 7 working days of receipt. From then on there
  is no due date until the corrected application arrives; the 20 days then run again from the
  day it arrives. An applicant who does not correct by the day given is closed as 其他处理.
- One extension (第33条第2款) of at most 20 working days, approved by a named person.
- A consultation of a third party (第32条) or of another agency (第34条) stops the clock: the
  working days after the day it is sent, up to and including the day the answer arrives, are
  not counted. The consulted party has 15 working days; a consultation that has not ended, or
  ended later, stops the clock for those 15 at most (after them the agency decides alone), so the
  due date shown while it is under way is the latest it can be.

Pure functions of the events and the calendar: nothing here reads or writes the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..calendar import WorkCalendar
from .outcomes import DECISIONS
from .types import Application, Event, Pause

IN_FORCE = dt.date(2008, 5, 1)  # the Regulations: no application, review or suit under them before
ANSWER_DAYS = 20  # 第33条第1款
EXTENSION_MAX = 20  # 第33条第2款
CORRECTION_NOTICE_DAYS = 7  # 第30条
# The "reasonable" time to correct (第30条) is at most this many working days: a later day typed
# (9999-12-31, 2207 for 2027) would keep an application from ever lapsing, on an official letter.
CORRECTION_MAX_DAYS = 60
CONSULTATION_DAYS = 15  # 第32条, 第34条


def due_date(calendar: WorkCalendar, start: dt.date, days: int, pauses: Iterable[Pause] = ()) -> dt.date:
    """The ``days``-th counted working day after ``start``: working days inside a pause (after
    its start, up to its counted end) are not counted."""
    stopped = [(p.start, p.counted_end) for p in pauses]
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day) and not any(a < day <= b for a, b in stopped):
            days -= 1
    return day


def working_days_between(calendar: WorkCalendar, start: dt.date, end: dt.date) -> int:
    """How many working days after ``start`` up to and including ``end`` (0 if ``end`` is not later)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


def fold(row: dict[str, Any], events: list[Event], calendar: WorkCalendar, today: dt.date) -> Application:
    """The application of register row ``row`` as its ``events`` (in order) leave it today."""
    received = dt.date.fromisoformat(row["received_on"])
    start = received
    description = row["description"]
    status = "open"
    correction_by: dt.date | None = None
    extension = 0
    pauses: list[Pause] = []
    decision = None
    decided_on = None
    for event in events:
        if event.kind == "correction_requested":
            status = "correcting"
            correction_by = dt.date.fromisoformat(event.data["by"])
        elif event.kind == "corrected":
            status, start, pauses, correction_by = "open", event.day, [], None
            description = event.text or description
        elif event.kind == "extended":
            extension = int(event.data["days"])
        elif event.kind == "paused":
            status = "paused"
            limit = calendar.working_days_after(event.day, CONSULTATION_DAYS)
            pauses.append(Pause(event.data["party_kind"], event.data.get("party", ""), event.day, None, limit))
        elif event.kind == "resumed" and pauses and pauses[-1].end is None:
            status = "open"
            last = pauses[-1]
            pauses[-1] = Pause(last.party_kind, last.party, last.start, event.day, last.limit)
        elif event.kind == "decided":
            status = "decided"
            decision = DECISIONS[event.data["decision"]]
            decided_on = event.day
    due = None if status == "correcting" else due_date(calendar, start, ANSWER_DAYS + extension, pauses)
    open_pause = pauses[-1] if pauses and pauses[-1].end is None else None
    if status == "paused" and open_pause is None:
        status = "open"
    overdue = status != "decided" and due is not None and due < today
    return Application(
        id=row["id"],
        number=row["number"],
        applicant=row["applicant"],
        name=row["name"],
        id_type=row["id_type"],
        id_number=row["id_number"],
        phone=row["phone"] or "",
        email=row["email"] or "",
        address=row["address"] or "",
        contact_person=row["contact_person"] or "",
        description=description,
        described=row["description"],
        form=row["form"],
        delivery=row["delivery"],
        via=row["via"],
        channel=row["channel"],
        chat_id=row["chat_id"],
        received_on=received,
        created_at=row["created_at"],
        status=status,
        start_on=start,
        due_on=due,
        correction_notice_by=calendar.working_days_after(received, CORRECTION_NOTICE_DAYS),
        correction_by=correction_by,
        extension=extension,
        pause=open_pause,
        decision=decision,
        decided_on=decided_on,
        overdue=overdue,
        correction_requested=any(e.kind == "correction_requested" for e in events),
        correction_lapsed=status == "correcting" and correction_by is not None and correction_by < today,
    )
