"""Filing, looking up and working through complaints: the service every channel and staff tool uses."""

from __future__ import annotations

import datetime as dt
import io
import logging
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlite_utils import Database

from ... import texts, tracking
from ...config import Settings
from ...storage import Store, inserted_id
from .. import outbox as outboxes  # a module, not its class: the outbox imports this package's types
from ..calendar import WorkCalendar
from .contact import MAX_NAME
from .export import Entry, write_csv, write_xlsx
from .listing import Filter, counts, search, where
from .types import EVENTS, MAX_TEXT, RATINGS, STAFF, STATUSES, TOLD, Complaint, ComplaintError, Draft, Event, Lookup

log = logging.getLogger(__name__)

# What each staff action may follow, and the status it leaves.
_ACTIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "accepted": (frozenset({"new", "reopened"}), "accepted"),
    "replied": (frozenset({"new", "accepted", "replied", "reopened"}), "replied"),
    "noted": (frozenset(STATUSES), None),
    "closed": (frozenset({"new", "accepted", "replied", "reopened"}), "closed"),
    "reopened": (frozenset({"closed"}), "reopened"),
}


class Complaints:
    """Filing, looking up and working through complaints.

    :param store: the database
    :param settings: the due-date rule, the time zone and the staff channels
    :param calendar: the working days due dates are counted in (the official calendar if None)
    :param outbox: where notices to staff and citizens are owed (one on ``store`` if None)
    :param now: the current time, aware (a test passes a fixed clock)
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        calendar: WorkCalendar | None = None,
        outbox: outboxes.Outbox | None = None,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.zone = zoneinfo.ZoneInfo(settings.timezone)
        self.calendar = calendar or WorkCalendar()
        self.outbox = outbox or outboxes.Outbox(store, self.now)
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self.staff_channels = settings.staff_channels()

    def now(self) -> dt.datetime:
        return self._now().astimezone(self.zone)

    def today(self) -> dt.date:
        return self.now().date()

    # --- citizens ---------------------------------------------------------------------------------

    def file(
        self, draft: Draft, *, channel: str, chat_id: str | int | None, user_id: str | int | None, dedupe_key: str
    ) -> Complaint:
        """File ``draft`` and return it, numbered, once committed.

        ``dedupe_key`` names the submission (e.g. the channel's message that confirmed it): a
        second submission with the same key returns the first complaint rather than a second one.
        """
        return self.store.write(self._filing(draft, channel, chat_id, user_id, dedupe_key))

    async def afile(
        self, draft: Draft, *, channel: str, chat_id: str | int | None, user_id: str | int | None, dedupe_key: str
    ) -> Complaint:
        """``file`` without blocking the event loop; this process's senders hear of the notice at once."""
        complaint = await self.store.awrite(self._filing(draft, channel, chat_id, user_id, dedupe_key))
        self.outbox.wake()
        return complaint

    def _filing(
        self, draft: Draft, channel: str, chat_id: str | int | None, user_id: str | int | None, dedupe_key: str
    ) -> Callable[[Database], Complaint]:
        user_ref = self.store.user_ref(channel, user_id)

        def write(db: Database) -> Complaint:
            row = _one(db, "select * from complaints where dedupe_key = ?", [dedupe_key])
            if row is not None:
                log.info("complaint %s: the same submission again, not filed twice", row["number"])
                return self._complaint(row)
            now = self.now()
            day = now.date()
            seq = db.execute(
                "select coalesce(max(seq), 0) + 1 from complaints where day = ?", [day.isoformat()]
            ).fetchone()[0]
            at = now.isoformat(timespec="seconds")
            complaint_id = inserted_id(
                db.table("complaints")
                .insert(
                    {
                        "number": tracking.make(day, seq),
                        "day": day.isoformat(),
                        "seq": seq,
                        "kind": draft.kind,
                        "topic": draft.topic,
                        "text": draft.text.strip()[:MAX_TEXT],
                        "name": draft.name.strip()[:MAX_NAME],
                        "phone": draft.phone.strip(),
                        "channel": channel,
                        "chat_id": None if chat_id is None else str(chat_id),
                        "user_ref": user_ref,
                        "dedupe_key": dedupe_key,
                        "status": "new",
                        "created_at": at,
                        "updated_at": at,
                        "due_on": self.calendar.working_days_after(
                            day, self.settings.complaint_due_working_days
                        ).isoformat(),
                        "rating": None,
                    }
                )
                .last_pk
            )
            event_id = self._event(db, complaint_id, "created", "citizen", None, at)
            for staff_channel in self.staff_channels:
                self.outbox.owe(db, staff_channel, STAFF, "created", at, complaint_id=complaint_id, event_id=event_id)
            complaint = self._load(db, complaint_id)
            log.info("complaint %s filed (%s, %s)", complaint.number, channel, draft.kind)
            return complaint

        return write

    def lookup(self, typed: str) -> Lookup | None:
        """The complaint with the tracking number ``typed``; None if it does not look like one."""
        parsed = tracking.parse(typed)
        if parsed is None:
            return None
        if parsed.ok:
            return Lookup(self.get(parsed.number or ""), typed_ok=True)
        existing = self._existing(parsed.suggestions)
        return Lookup(None, typed_ok=False, suggestions=existing)

    def rate(self, number: str, rating: str, *, channel: str, chat_id: str | int) -> Complaint:
        """Record the citizen's satisfaction with a closed complaint (回访), once."""
        if rating not in RATINGS:
            raise ValueError(f"unknown rating {rating!r}")
        return self.store.write(self._rating(number, rating, channel, str(chat_id)))

    async def arate(self, number: str, rating: str, *, channel: str, chat_id: str | int) -> Complaint:
        if rating not in RATINGS:
            raise ValueError(f"unknown rating {rating!r}")
        return await self.store.awrite(self._rating(number, rating, channel, str(chat_id)))

    def _rating(self, number: str, rating: str, channel: str, chat_id: str) -> Callable[[Database], Complaint]:
        def write(db: Database) -> Complaint:
            complaint = self._by_number(db, number)
            if complaint.channel != channel or complaint.chat_id != chat_id:
                raise ComplaintError(texts.NOT_THE_FILER)
            if complaint.status != "closed":
                raise ComplaintError(texts.NOT_CLOSED_YET)
            if complaint.rating is not None:
                raise ComplaintError(texts.RATED_ALREADY.format(rating=RATINGS[complaint.rating]))
            at = self.now().isoformat(timespec="seconds")
            db.execute("update complaints set rating = ?, updated_at = ? where id = ?", [rating, at, complaint.id])
            self._event(db, complaint.id, "rated", "citizen", RATINGS[rating], at)
            log.info("complaint %s rated %s", number, rating)
            return self._load(db, complaint.id)

        return write

    # --- staff ------------------------------------------------------------------------------------

    def act(self, number: str, action: str, actor: str, text: str | None = None) -> Complaint:
        """Record a staff action (accepted, replied, noted, closed, reopened) and return the complaint.

        A reply or a closing is also owed to the citizen (the outbox). Raises ``ComplaintError``
        when the complaint's status does not allow the action, or a reply or note has no text.
        """
        return self.store.write(self._action(number, action, actor, text))

    async def aact(self, number: str, action: str, actor: str, text: str | None = None) -> Complaint:
        """``act`` without blocking the event loop; this process's senders hear of a notice at once."""
        complaint = await self.store.awrite(self._action(number, action, actor, text))
        self.outbox.wake()
        return complaint

    def _action(self, number: str, action: str, actor: str, text: str | None) -> Callable[[Database], Complaint]:
        allowed, status = _ACTIONS[action]
        text = (text or "").strip() or None
        if text is not None and len(text) > MAX_TEXT:  # refused, not cut: what staff wrote is sent whole
            raise ComplaintError(texts.ACTION_TEXT_TOO_LONG.format(length=len(text), limit=MAX_TEXT))
        if action in ("replied", "noted", "reopened") and not text:
            raise ComplaintError(texts.ACTION_NEEDS_TEXT)

        def write(db: Database) -> Complaint:
            complaint = self._by_number(db, number)
            if complaint.status not in allowed:
                raise ComplaintError(
                    texts.ACTION_NOT_ALLOWED.format(
                        number=complaint.number, status=STATUSES[complaint.status], action=EVENTS[action]
                    )
                )
            at = self.now().isoformat(timespec="seconds")
            # Reopened, it is handled again: the citizen rates the new closing (the first rating
            # stays in the history as its event), rather than being asked and refused.
            rating = None if action == "reopened" else complaint.rating
            db.execute(
                "update complaints set status = ?, rating = ?, updated_at = ? where id = ?",
                [status or complaint.status, rating, at, complaint.id],
            )
            if complaint.status == "new" and action in ("replied", "closed"):
                # Answered or closed before it was accepted: accepted then, by the same hand, so
                # that the 台账's 受理 is never blank for a complaint that was worked.
                self._event(db, complaint.id, "accepted", actor, None, at)
            event_id = self._event(db, complaint.id, action, actor, text, at)
            if action in TOLD and complaint.chat_id is not None:
                self.outbox.owe(
                    db, complaint.channel, complaint.chat_id, action, at, complaint_id=complaint.id, event_id=event_id
                )
            log.info("complaint %s %s by %s", number, action, actor)
            return self._load(db, complaint.id)

        return write

    def due_said(self, complaint: Complaint) -> str:
        """The due date as the citizen is told it (see ``WorkCalendar.due_said``)."""
        return self.calendar.due_said(
            dt.date.fromisoformat(complaint.created_at[:10]), dt.date.fromisoformat(complaint.due_on)
        )

    def filed_as(self, dedupe_key: str) -> Complaint | None:
        """The complaint a submission named ``dedupe_key`` filed already, if any."""
        row = _one(self._read(), "select * from complaints where dedupe_key = ?", [dedupe_key])
        return self._complaint(row) if row else None

    def get(self, number: str) -> Complaint | None:
        row = _one(self._read(), "select * from complaints where number = ?", [number])
        return self._complaint(row) if row else None

    def status_text(self, complaint: Complaint, *, own: bool) -> str:
        """A complaint's status as a citizen sees it (plain text): the staff replies and the
        closing only to the one who filed it (``own``)."""
        lines = [
            texts.STATUS.format(
                kind=complaint.kind,
                number=complaint.number,
                status=complaint.status_label,
                created=complaint.filed_at,
                due=complaint.due_on,
            )
        ]
        replies = self.replies(complaint)
        if own:
            lines += [texts.STATUS_REPLY.format(at=e.at[:10], label=e.label, text=e.text) for e in replies]
        elif replies:
            lines.append(texts.STATUS_OTHERS)
        return "\n".join(lines)

    def replies(self, complaint: Complaint) -> list[Event]:
        """What staff told the citizen: replies and the closing words."""
        return [e for e in self.events(complaint) if e.kind in TOLD and e.text]

    def events(self, complaint: Complaint) -> list[Event]:
        rows = self._read().execute(
            "select id, at, kind, actor, text from complaint_events where complaint_id = ? order by id",
            [complaint.id],
        )
        return [Event(*r) for r in rows.fetchall()]

    def search(
        self,
        status: str | None = None,
        *,
        kind: str | None = None,
        since: str | None = None,
        until: str | None = None,
        q: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> tuple[list[Complaint], int]:
        """Complaints, overdue ones first, then by due date; and how many there are in all.

        ``status`` is one of ``STATUSES``, or "open" (every status but closed), or "overdue";
        ``kind`` 投诉 or 举报; ``since`` and ``until`` bound the day filed (YYYY-MM-DD, inclusive);
        ``q`` is looked for in the number, the text, the name and the phone.
        """
        rows, total = search(
            self._read(), self.today(), status, kind=kind, since=since, until=until, q=q, limit=limit, offset=offset
        )
        return [self._complaint(r) for r in rows], total

    def counts(self) -> dict[str, int]:
        """How many complaints are new, open (not closed) and overdue."""
        return counts(self._read(), self.today())

    def ledger(self, chosen: Filter | None = None) -> Iterator[Entry]:
        """The complaints ``chosen`` (all if None), in the order they were filed, each with its trail."""
        clauses, args = (chosen or Filter()).conditions(self.today())
        rows = self._read().query(f"select * from complaints {where(clauses)} order by id", args)
        for complaint in map(self._complaint, rows):
            yield Entry(complaint, self.events(complaint), self.zone)

    def export_csv(self, out: io.TextIOBase | Any, chosen: Filter | None = None) -> int:
        """Write the complaints ``chosen`` (all if None) as the ledger in CSV for the supervising
        office (see ``export``); how many."""
        return write_csv(out, self.ledger(chosen))

    def export_xlsx(self, out: io.BufferedIOBase | Any, chosen: Filter | None = None) -> int:
        """Write the complaints ``chosen`` (all if None) as the ledger in an Excel workbook, titled
        with the bureau, the filter and the time; how many."""
        entries = list(self.ledger(chosen))
        title = texts.EXPORT_TITLE.format(bureau=self.settings.bureau_name)
        subtitle = texts.EXPORT_SUBTITLE.format(
            filters=(chosen or Filter()).describe(), count=len(entries), at=f"{self.now():%Y-%m-%d %H:%M}"
        )
        return write_xlsx(out, entries, title=title, subtitle=subtitle)

    # --- internals --------------------------------------------------------------------------------

    def _read(self) -> Database:
        return self.store.reader

    def _existing(self, numbers: Iterable[str]) -> tuple[str, ...]:
        numbers = list(numbers)
        if not numbers:
            return ()
        marks = ",".join("?" * len(numbers))
        rows = self._read().execute(f"select number from complaints where number in ({marks})", numbers)
        return tuple(sorted(r[0] for r in rows.fetchall()))

    def filed_in(self, channel: str, chat_id: str | int, limit: int = 3) -> list[Complaint]:
        """The newest complaints filed in one chat (a citizen's own), newest first."""
        sql = "select * from complaints where channel = ? and chat_id = ? order by id desc limit ?"
        return [self._complaint(row) for row in self._read().query(sql, [channel, str(chat_id), limit])]

    def _complaint(self, row: dict[str, Any]) -> Complaint:
        return Complaint.from_row(row, self.today())

    def _load(self, db: Database, complaint_id: int) -> Complaint:
        row = _one(db, "select * from complaints where id = ?", [complaint_id])
        assert row is not None
        return self._complaint(row)

    def _by_number(self, db: Database, number: str) -> Complaint:
        row = _one(db, "select * from complaints where number = ?", [number])
        if row is None:
            raise ComplaintError(texts.NO_SUCH_COMPLAINT.format(number=number))
        return self._complaint(row)

    @staticmethod
    def _event(db: Database, complaint_id: int, kind: str, actor: str, text: str | None, at: str) -> int:
        cursor = db.execute(
            "insert into complaint_events (complaint_id, at, kind, actor, text) values (?, ?, ?, ?, ?)",
            [complaint_id, at, kind, actor, text],
        )
        return inserted_id(cursor.lastrowid)


def _one(db: Database, sql: str, args: list[Any]) -> dict[str, Any] | None:
    return next(iter(db.query(sql, args)), None)
