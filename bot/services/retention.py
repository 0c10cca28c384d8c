"""How long personal data is kept (个人信息保护法 第19条: no longer than the purpose needs), and erasing it.

- The text of an enquiry serves to improve the answers (staff read what went unanswered): after
  ``enquiry_text_days`` it is blanked. The row stays, with its channel, outcome, entry and score:
  the counts of the dashboard and of the yearly report do not change.
- A complaint's contact name and phone serve to call the citizen back while it is worked: they are
  erased ``complaint_contact_days`` after it was closed. The record and its history stay (the
  supervision log is never deleted), and an event says when and why they were erased.
- A citizen may have the texts of their own enquiries blanked at once (``forget``: a command on
  every channel that knows who is writing), and staff may erase a complaint's contact details at
  the person's request (``erase_contact``), recorded as an event with who and when.

``gongkai purge`` runs ``purge`` (daily, from ``deploy/gongkai-purge.timer``).
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from .. import texts
from ..config import Settings
from ..storage import Store
from .complaints import ComplaintError

log = logging.getLogger(__name__)

# Enquiries whose text has outlived its purpose. `at` is written in UTC with milliseconds
# (Store._enquiry_row): the cut-off is written the same way, so the strings compare as times.
_OLD_ENQUIRIES = "at < ? and (text != '' or typed != '')"
# Closed complaints with a name or phone, closed (their last closing: a complaint may be reopened
# and closed again) before the cut-off. Event times are in the bureau's zone with its offset, as
# the cut-off is (a zone that changes its offset for summer is off by an hour at most).
_OLD_CONTACTS = """from complaints where status = 'closed' and (coalesce(name, '') != '' or coalesce(phone, '') != '')
    and (select max(at) from complaint_events e where e.complaint_id = complaints.id and e.kind = 'closed') < ?"""


@dataclass(frozen=True)
class Purge:
    """What a purge erased (or, dry, would erase): how many of each kind."""

    enquiry_texts: int
    complaint_contacts: int
    numbers: tuple[str, ...] = ()  # the complaints whose contacts were (would be) erased
    dry_run: bool = False


class Retention:
    """Erasing personal data when it has been kept long enough, or when its owner asks.

    :param store: the database
    :param settings: ``enquiry_text_days``, ``complaint_contact_days`` and the time zone
    :param now: the current time, aware (a test passes a fixed clock)
    """

    def __init__(self, store: Store, settings: Settings, now: Callable[[], dt.datetime] | None = None) -> None:
        self.store = store
        self.settings = settings
        self.zone = zoneinfo.ZoneInfo(settings.timezone)
        self._now = now or (lambda: dt.datetime.now(dt.UTC))

    def cutoffs(self) -> tuple[str, str]:
        """The times before which enquiries' texts and closed complaints' contacts are erased."""
        now = self._now()
        enquiries = (now - dt.timedelta(days=self.settings.enquiry_text_days)).astimezone(dt.UTC)
        contacts = (now - dt.timedelta(days=self.settings.complaint_contact_days)).astimezone(self.zone)
        return enquiries.isoformat(timespec="milliseconds"), contacts.isoformat(timespec="seconds")

    def purge(self, *, dry_run: bool = False) -> Purge:
        """Erase what has been kept longer than the settings say (``dry_run``: only count it)."""
        enquiries_before, contacts_before = self.cutoffs()
        if dry_run:
            db = self.store.reader
            count = db.execute(f"select count(*) from enquiries where {_OLD_ENQUIRIES}", [enquiries_before]).fetchone()[
                0
            ]
            numbers = [r[0] for r in db.execute(f"select number {_OLD_CONTACTS} order by id", [contacts_before])]
            return Purge(count, len(numbers), tuple(numbers), dry_run=True)
        at = self._now().astimezone(self.zone).isoformat(timespec="seconds")
        reason = texts.CONTACT_ERASED_EXPIRED.format(days=self.settings.complaint_contact_days)

        def write(db: Database) -> Purge:
            blanked = db.execute(
                f"update enquiries set text = '', typed = '' where {_OLD_ENQUIRIES}", [enquiries_before]
            )
            rows = db.execute(f"select id, number {_OLD_CONTACTS} order by id", [contacts_before]).fetchall()
            for complaint_id, _ in rows:
                _erase(db, complaint_id, "system", reason, at)
            return Purge(int(blanked.rowcount), len(rows), tuple(number for _, number in rows))

        done = self.store.write(write)
        log.info(
            "purge: %d enquiry text(s) blanked, contacts of %d complaint(s) erased%s",
            done.enquiry_texts,
            done.complaint_contacts,
            (": " + ", ".join(done.numbers)) if done.numbers else "",
        )
        return done

    # --- on request ---------------------------------------------------------------------------------

    async def aforget(self, user_ref: str | None) -> int:
        """Blank the texts of every enquiry of the citizen ``user_ref``; how many were blanked."""
        if user_ref is None:
            return 0

        def write(db: Database) -> int:
            cursor = db.execute(
                "update enquiries set text = '', typed = '' where user_ref = ? and (text != '' or typed != '')",
                [user_ref],
            )
            return int(cursor.rowcount)

        count = await self.store.awrite(write)
        log.info("forget: %d enquiry text(s) blanked at the citizen's request", count)
        return count

    def erase_contact(self, number: str, actor: str) -> str:
        """Erase the contact name and phone of the complaint ``number`` at the person's request,
        recorded as an event of ``actor``; returns the number. Raises ``ComplaintError`` if there is
        no such complaint or nothing to erase."""
        return self.store.write(self._erasing(number, actor))

    async def aerase_contact(self, number: str, actor: str) -> str:
        """``erase_contact`` without blocking the event loop."""
        return await self.store.awrite(self._erasing(number, actor))

    def _erasing(self, number: str, actor: str) -> Callable[[Database], str]:
        at = self._now().astimezone(self.zone).isoformat(timespec="seconds")

        def write(db: Database) -> str:
            row = db.execute("select id, name, phone from complaints where number = ?", [number]).fetchone()
            if row is None:
                raise ComplaintError(texts.NO_SUCH_COMPLAINT.format(number=number))
            if not (row[1] or row[2]):
                raise ComplaintError(texts.NO_CONTACT_TO_ERASE.format(number=number))
            _erase(db, row[0], actor, texts.CONTACT_ERASED_ON_REQUEST, at)
            log.info("complaint %s: contact details erased by %s", number, actor)
            return number

        return write


def _erase(db: Database, complaint_id: int, actor: str, reason: str, at: str) -> None:
    """Blank a complaint's name and phone and record it in its history (in the caller's transaction)."""
    db.execute("update complaints set name = '', phone = '', updated_at = ? where id = ?", [at, complaint_id])
    db.execute(
        "insert into complaint_events (complaint_id, at, kind, actor, text) values (?, ?, 'erased', ?, ?)",
        [complaint_id, at, actor, reason],
    )
