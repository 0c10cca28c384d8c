"""The supervision log: complaints and tip-offs from any channel, and what staff do with them.

Every channel files and looks up complaints here, and every staff tool (the Telegram staff group,
the CLI) acts on them here, so the rules live in one place:

- A complaint, its ``created`` event and the message owed to the staff group are written in one
  transaction, committed before the citizen is shown the number (``Store.write`` resolves after
  the commit). A process killed at any moment leaves a whole complaint or none.
- What happens to a complaint is an append-only trail of events, each with its actor and time.
- A message owed to someone (staff, or the citizen when staff reply or close) goes into the
  outbox in the transaction of its event; the channel delivers it and retries until it is sent,
  so a failed send never loses the complaint or the reply.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .. import texts, tracking
from ..config import Settings
from ..storage import Store
from .calendar import WorkCalendar

log = logging.getLogger(__name__)

STATUSES = {"new": "待受理", "accepted": "已受理", "replied": "已答复", "closed": "已办结", "reopened": "重新办理"}
TOPICS = {
    "application": "依申请公开的答复",
    "proactive": "主动公开",
    "conduct": "工作人员作风",
    "other": "其他",
}
KINDS = ("投诉", "举报")
RATINGS = {"satisfied": "满意", "fair": "基本满意", "unsatisfied": "不满意"}
EVENTS = {
    "created": "提交",
    "accepted": "受理",
    "replied": "答复",
    "noted": "备注",
    "closed": "办结",
    "reopened": "重新办理",
    "rated": "评价",
}
MAX_TEXT = 2000
MAX_NAME = 40
STAFF = "staff"  # the outbox recipient that means "the channel's staff group"

# What each staff action may follow, and the status it leaves.
_ACTIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "accepted": (frozenset({"new", "reopened"}), "accepted"),
    "replied": (frozenset({"new", "accepted", "replied", "reopened"}), "replied"),
    "noted": (frozenset(STATUSES), None),
    "closed": (frozenset({"new", "accepted", "replied", "reopened"}), "closed"),
    "reopened": (frozenset({"closed"}), "reopened"),
}
# Events the citizen is told of, through the outbox.
_TOLD = frozenset({"replied", "closed"})

_PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8})(?!\d)")


class ComplaintError(Exception):
    """An action that the complaint's state does not allow; the message is for the person acting."""


@dataclass(frozen=True)
class Draft:
    """A complaint as the citizen wrote it, before it is filed."""

    text: str
    topic: str = "other"
    kind: str = "投诉"
    name: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a complaint needs a text")
        if self.topic not in TOPICS:
            raise ValueError(f"unknown topic {self.topic!r}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")


@dataclass(frozen=True)
class Complaint:
    id: int
    number: str
    kind: str
    topic: str
    text: str
    name: str
    phone: str
    channel: str
    chat_id: str | None
    status: str
    created_at: str
    updated_at: str
    due_on: str
    rating: str | None
    overdue: bool

    @classmethod
    def from_row(cls, row: dict[str, Any], today: dt.date) -> Complaint:
        return cls(
            id=row["id"],
            number=row["number"],
            kind=row["kind"],
            topic=row["topic"],
            text=row["text"],
            name=row["name"] or "",
            phone=row["phone"] or "",
            channel=row["channel"],
            chat_id=row["chat_id"],
            status=row["status"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            due_on=row["due_on"],
            rating=row["rating"],
            overdue=row["status"] != "closed" and row["due_on"] < today.isoformat(),
        )

    @property
    def filed_at(self) -> str:
        """When it was filed, to the minute, as people read it: ``2026-11-27 15:00``."""
        return self.created_at[:16].replace("T", " ")

    @property
    def status_label(self) -> str:
        return STATUSES[self.status] + ("（已超期）" if self.overdue else "")

    @property
    def topic_label(self) -> str:
        return TOPICS[self.topic]

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def filed_by(self, channel: str, chat_id: str | int) -> bool:
        """Whether the chat ``chat_id`` of ``channel`` filed this complaint (and may see replies)."""
        return self.channel == channel and self.chat_id == str(chat_id)

    @property
    def masked_name(self) -> str:
        return self.name[:1] + "*" * min(len(self.name) - 1, 2) if self.name else ""


@dataclass(frozen=True)
class Event:
    id: int
    at: str
    kind: str
    actor: str
    text: str | None

    @property
    def label(self) -> str:
        return EVENTS[self.kind]

    @property
    def by_staff(self) -> bool:
        return self.actor not in ("citizen", "system")


@dataclass(frozen=True)
class Lookup:
    """A tracking number as typed, looked up: the complaint, or what went wrong and what was meant."""

    complaint: Complaint | None
    typed_ok: bool  # the number passed its check digit
    suggestions: tuple[str, ...] = ()  # existing numbers one typing slip away


@dataclass(frozen=True)
class Message:
    """One message owed by the outbox."""

    id: int
    complaint: Complaint
    recipient: str
    kind: str
    event: Event | None
    attempts: int

    @property
    def notice(self) -> str:
        """What the citizen is told (plain text): a staff reply, or the closing."""
        template = texts.CITIZEN_CLOSED if self.kind == "closed" else texts.CITIZEN_REPLIED
        words = self.event.text if self.event and self.event.text else ""
        return template.format(kind=self.complaint.kind, number=self.complaint.number, text=words)


def mask_phone(phone: str) -> str:
    """``13812341234`` as ``138****1234``; a landline keeps its area code and last four digits."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def split_contact(text: str) -> tuple[str, str]:
    """A name and a phone number from one line such as "张三 13812345678"; either may be empty."""
    match = _PHONE.search(text)
    phone = re.sub(r"[\s-]", "", match.group(1)) if match else ""
    rest = (text[: match.start()] + " " + text[match.end() :]) if match else text
    rest = re.sub(r"姓名|名字|我叫|我是|联系人|联系电话|联系方式|电话|手机号?|号码", " ", rest)
    name = re.sub(r"[\s,，;；:：/、。.]+", " ", rest).strip()
    return name[:MAX_NAME], phone


class Complaints:
    """Filing, looking up and working through complaints.

    :param store: the database
    :param settings: the due-date rule, the time zone and the staff channels
    :param calendar: the working days due dates are counted in (the official calendar if None)
    :param now: the current time, aware (a test passes a fixed clock)
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        calendar: WorkCalendar | None = None,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.zone = zoneinfo.ZoneInfo(settings.timezone)
        self.calendar = calendar or WorkCalendar()
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
        """``file`` without blocking the event loop."""
        return await self.store.awrite(self._filing(draft, channel, chat_id, user_id, dedupe_key))

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
            complaint_id = (
                db["complaints"]
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
                self._owe(db, complaint_id, event_id, staff_channel, STAFF, "created", at)
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
                raise ComplaintError("只有提交人可以评价这件投诉。")
            if complaint.status != "closed":
                raise ComplaintError("这件投诉还没有办结，办结后再请您评价。")
            if complaint.rating is not None:
                raise ComplaintError(f"您已经评价过了（{RATINGS[complaint.rating]}），谢谢。")
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
        """``act`` without blocking the event loop."""
        return await self.store.awrite(self._action(number, action, actor, text))

    def _action(self, number: str, action: str, actor: str, text: str | None) -> Callable[[Database], Complaint]:
        allowed, status = _ACTIONS[action]
        text = (text or "").strip()[:MAX_TEXT] or None
        if action in ("replied", "noted", "reopened") and not text:
            raise ComplaintError("请写明内容。")

        def write(db: Database) -> Complaint:
            complaint = self._by_number(db, number)
            if complaint.status not in allowed:
                raise ComplaintError(
                    f"{complaint.number} 当前状态为“{STATUSES[complaint.status]}”，不能{EVENTS[action]}。"
                )
            at = self.now().isoformat(timespec="seconds")
            db.execute(
                "update complaints set status = ?, updated_at = ? where id = ?",
                [status or complaint.status, at, complaint.id],
            )
            event_id = self._event(db, complaint.id, action, actor, text, at)
            if action in _TOLD and complaint.chat_id is not None:
                self._owe(db, complaint.id, event_id, complaint.channel, complaint.chat_id, action, at)
            log.info("complaint %s %s by %s", number, action, actor)
            return self._load(db, complaint.id)

        return write

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
        return [e for e in self.events(complaint) if e.kind in _TOLD and e.text]

    def events(self, complaint: Complaint) -> list[Event]:
        rows = self._read().execute(
            "select id, at, kind, actor, text from complaint_events where complaint_id = ? order by id",
            [complaint.id],
        )
        return [Event(*r) for r in rows.fetchall()]

    def list(
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
        clauses, args = self._filter(status)
        if kind:
            clauses.append("kind = ?")
            args.append(kind)
        if since:
            clauses.append("day >= ?")
            args.append(since)
        if until:
            clauses.append("day <= ?")
            args.append(until)
        if q:
            clauses.append(" or ".join(f"{c} like ? escape '\\'" for c in ("number", "text", "name", "phone")))
            clauses[-1] = f"({clauses[-1]})"
            like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            args += [like] * 4
        where = _where(clauses)
        db = self._read()
        total = db.execute(f"select count(*) from complaints {where}", args).fetchone()[0]
        rows = db.query(
            f"""select * from complaints {where}
            order by (status != 'closed' and due_on < ?) desc, status = 'closed', due_on, id
            limit ? offset ?""",
            [*args, self.today().isoformat(), limit, offset],
        )
        return [self._complaint(r) for r in rows], total

    def counts(self) -> dict[str, int]:
        """How many complaints are new, open (not closed) and overdue."""
        today = self.today().isoformat()
        row = (
            self._read()
            .execute(
                """select sum(status = 'new'), sum(status != 'closed'), sum(status != 'closed' and due_on < ?)
            from complaints""",
                [today],
            )
            .fetchone()
        )
        return {"new": row[0] or 0, "open": row[1] or 0, "overdue": row[2] or 0}

    def _filter(self, status: str | None) -> tuple[list[str], list[Any]]:
        """The SQL conditions, and their arguments, that select complaints of ``status``."""
        if status is None:
            return [], []
        if status == "open":
            return ["status != 'closed'"], []
        if status == "overdue":
            return ["status != 'closed' and due_on < ?"], [self.today().isoformat()]
        if status not in STATUSES:
            raise ComplaintError("状态应为：" + "、".join(["open", "overdue", *STATUSES]))
        return ["status = ?"], [status]

    def export_csv(self, out: io.TextIOBase | Any, status: str | None = None) -> int:
        """Write the complaints as CSV for the supervising office (UTF-8 with a BOM, for Excel)."""
        clauses, args = self._filter(status)
        where = _where(clauses)
        db = self._read()
        writer = csv.writer(out)
        out.write("\ufeff")
        writer.writerow(
            [
                "编号",
                "类型",
                "事项",
                "状态",
                "是否超期",
                "提交时间",
                "办理期限",
                "渠道",
                "姓名",
                "电话",
                "内容",
                "答复",
                "满意度",
            ]
        )
        count = 0
        for row in db.query(f"select * from complaints {where} order by id", args):
            complaint = self._complaint(row)
            replies = [e.text or "" for e in self.events(complaint) if e.kind == "replied"]
            writer.writerow(
                [
                    complaint.number,
                    complaint.kind,
                    complaint.topic_label,
                    STATUSES[complaint.status],
                    "是" if complaint.overdue else "否",
                    complaint.created_at,
                    complaint.due_on,
                    complaint.channel,
                    complaint.name,
                    complaint.phone,
                    complaint.text,
                    "\n".join(replies),
                    RATINGS.get(complaint.rating or "", ""),
                ]
            )
            count += 1
        return count

    # --- the outbox -------------------------------------------------------------------------------

    def owed(self, channel: str, *, recipient: str | None = None, limit: int = 20) -> list[Message]:
        """Messages the channel should send now (to one recipient, if given): unsent, and not
        waiting for a retry."""
        db = self._read()
        rows = db.execute(
            f"""select id, complaint_id, event_id, recipient, kind, attempts from outbox
            where status = 'pending' and channel = ? and next_at <= ? {"and recipient = ?" if recipient else ""}
            order by id limit ?""",
            [channel, self.now().isoformat(timespec="seconds"), *([recipient] if recipient else []), limit],
        ).fetchall()
        messages = []
        for message_id, complaint_id, event_id, recipient, kind, attempts in rows:
            complaint = self._load(db, complaint_id)
            event_row = db.execute(
                "select id, at, kind, actor, text from complaint_events where id = ?", [event_id]
            ).fetchone()
            messages.append(
                Message(message_id, complaint, recipient, kind, Event(*event_row) if event_row else None, attempts)
            )
        return messages

    async def asent(self, message: Message) -> None:
        """The message was delivered."""
        await self.store.awrite(lambda db: db.execute("update outbox set status = 'sent' where id = ?", [message.id]))

    async def afailed(self, message: Message, error: str, *, retry_in: float | None) -> None:
        """Delivering the message failed: retry in ``retry_in`` seconds, or never (None)."""
        at = (self.now() + dt.timedelta(seconds=retry_in or 0)).isoformat(timespec="seconds")
        status = "pending" if retry_in is not None else "failed"

        def write(db: Database) -> None:
            db.execute(
                "update outbox set status = ?, attempts = attempts + 1, next_at = ?, last_error = ? where id = ?",
                [status, at, error[:200], message.id],
            )

        await self.store.awrite(write)

    async def arequeue(self, channel: str, recipient: str) -> int:
        """Owe again what could not be delivered to ``recipient`` (who can be reached now: a WeChat
        citizen who writes opens a new 48-hour window); how many messages."""
        failed = (
            self._read()
            .execute(
                "select 1 from outbox where status = 'failed' and channel = ? and recipient = ? limit 1",
                [channel, recipient],
            )
            .fetchone()
        )
        if failed is None:
            return 0
        at = self.now().isoformat(timespec="seconds")

        def write(db: Database) -> int:
            cursor = db.execute(
                """update outbox set status = 'pending', next_at = ?
                where status = 'failed' and channel = ? and recipient = ?""",
                [at, channel, recipient],
            )
            return int(cursor.rowcount)

        count = await self.store.awrite(write)
        log.info("outbox: %d message(s) owed again on %s", count, channel)
        return count

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

    def _complaint(self, row: dict[str, Any]) -> Complaint:
        return Complaint.from_row(row, self.today())

    def _load(self, db: Database, complaint_id: int) -> Complaint:
        row = _one(db, "select * from complaints where id = ?", [complaint_id])
        assert row is not None
        return self._complaint(row)

    def _by_number(self, db: Database, number: str) -> Complaint:
        row = _one(db, "select * from complaints where number = ?", [number])
        if row is None:
            raise ComplaintError(f"没有编号为 {number} 的投诉。")
        return self._complaint(row)

    @staticmethod
    def _event(db: Database, complaint_id: int, kind: str, actor: str, text: str | None, at: str) -> int:
        cursor = db.execute(
            "insert into complaint_events (complaint_id, at, kind, actor, text) values (?, ?, ?, ?, ?)",
            [complaint_id, at, kind, actor, text],
        )
        return int(cursor.lastrowid)

    @staticmethod
    def _owe(db: Database, complaint_id: int, event_id: int, channel: str, recipient: str, kind: str, at: str) -> None:
        db.execute(
            """insert into outbox (complaint_id, event_id, channel, recipient, kind, status, attempts, next_at)
            values (?, ?, ?, ?, ?, 'pending', 0, ?)""",
            [complaint_id, event_id, channel, recipient, kind, at],
        )


def _where(clauses: list[str]) -> str:
    return ("where " + " and ".join(clauses)) if clauses else ""


def _one(db: Database, sql: str, args: list[Any]) -> dict[str, Any] | None:
    return next(iter(db.query(sql, args)), None)
