"""Registering applications and working them: the service every channel, the console and the CLI use."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import zoneinfo
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ... import texts
from ...config import Settings
from ...storage import Store, inserted_id
from .. import outbox as outboxes
from ..calendar import WorkCalendar
from ..complaints.types import STAFF
from . import numbers
from .clock import CORRECTION_MAX_DAYS, CORRECTION_NOTICE_DAYS, EXTENSION_MAX, IN_FORCE, fold, working_days_between
from .letters import KINDS as LETTERS
from .letters import Letter, render_letter
from .outcomes import DECISIONS
from .types import (
    EVENTS,
    MAX_FIELD,
    MAX_NAME,
    MAX_TEXT,
    VIAS,
    Application,
    ApplicationError,
    Draft,
    Event,
)

log = logging.getLogger(__name__)
REGISTERED = "staff"  # the channel of an application staff registered (paper, post, fax, e-mail)
PARTIES = {"third_party": "第三方（第三十二条）", "agency": "其他行政机关（第三十四条）"}


@dataclass(frozen=True)
class Lookup:
    """A register number as typed, looked up: the application, or what was meant."""

    application: Application | None
    typed_ok: bool
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    """What a staff action records: the event, and what the applicant is told (None: nothing)."""

    kind: str
    on: dt.date
    text: str | None = None
    data: dict[str, Any] | None = None
    tell: Callable[[Application], str] | None = None  # the applicant's notice, from the state after it


class Applications:
    """The register of applications for information, and its clocks.

    :param store: the database
    :param settings: the time zone, the staff channels, the office's contacts for letters
    :param calendar: the working days the clocks count (the official calendar if None)
    :param outbox: where notices to staff and applicants are owed (one on ``store`` if None)
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
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self.outbox = outbox or outboxes.Outbox(store, self.now)
        self.staff_channels = settings.staff_channels()

    def now(self) -> dt.datetime:
        return self._now().astimezone(self.zone)

    def due_said(self, application: Application) -> str:
        """The due date as the applicant is told it: with a word that it may move where it falls in
        a year whose holidays are not known yet (2027's, before the State Council's notice)."""
        if application.due_on is None:
            return ""
        return self.calendar.due_said(application.received_on, application.due_on)

    def today(self) -> dt.date:
        return self.now().date()

    # --- filing -----------------------------------------------------------------------------------

    def file(
        self, draft: Draft, *, channel: str, chat_id: str | int | None, user_id: str | int | None, dedupe_key: str
    ) -> Application:
        """File an application made online (a channel's form or dialogue) and return it, numbered,
        once committed. Its day of receipt is today, the day the system confirms it to the
        applicant with its number (第31条第3项). The same ``dedupe_key`` again files nothing new."""
        return self.store.write(self._filing(draft, "internet", self.today(), channel, chat_id, user_id, dedupe_key))

    async def afile(
        self, draft: Draft, *, channel: str, chat_id: str | int | None, user_id: str | int | None, dedupe_key: str
    ) -> Application:
        """``file`` without blocking the event loop."""
        filing = self._filing(draft, "internet", self.today(), channel, chat_id, user_id, dedupe_key)
        application = await self.store.awrite(filing)
        self.outbox.wake()
        return application

    def register(
        self, draft: Draft, *, via: str, received_on: dt.date, actor: str, dedupe_key: str | None = None
    ) -> Application:
        """Register an application that arrived on paper, by post, fax or e-mail.

        :param via: a key of ``VIAS``
        :param received_on: its day of receipt by 第31条 (``RECEIPT_RULES[via]``): the day it was
          handed in, signed for, or confirmed with the applicant; not in the future
        :param actor: who registers it, for the record
        :param dedupe_key: names the submission (a form's nonce): the same again registers nothing new
        """
        return self.store.write(self._registering(draft, via, received_on, actor, dedupe_key))

    async def aregister(
        self, draft: Draft, *, via: str, received_on: dt.date, actor: str, dedupe_key: str | None = None
    ) -> Application:
        """``register`` without blocking the event loop."""
        application = await self.store.awrite(self._registering(draft, via, received_on, actor, dedupe_key))
        self.outbox.wake()
        return application

    def _registering(
        self, draft: Draft, via: str, received_on: dt.date, actor: str, dedupe_key: str | None
    ) -> Callable[[Database], Application]:
        if via not in VIAS:
            choices = "、".join(f"{label}（{key}）" for key, label in VIAS.items())
            raise ApplicationError(texts.APPLICATION_BAD_VIA.format(choices=choices))
        if received_on > self.today():
            raise ApplicationError(texts.APPLICATION_FUTURE_DAY.format(day=received_on))
        if received_on < IN_FORCE:  # 0001-01-01: an application overdue since, in this year's report
            raise ApplicationError(texts.APPLICATION_BEFORE_REGULATIONS.format(day=received_on, since=IN_FORCE))
        key = dedupe_key or f"{REGISTERED}:{actor}:{self.now().isoformat()}"
        return self._filing(draft, via, received_on, REGISTERED, None, None, key, actor)

    def _filing(
        self,
        draft: Draft,
        via: str,
        received_on: dt.date,
        channel: str,
        chat_id: str | int | None,
        user_id: str | int | None,
        dedupe_key: str,
        actor: str = "citizen",
    ) -> Callable[[Database], Application]:
        user_ref = self.store.user_ref(channel, user_id)

        def write(db: Database) -> Application:
            row = _one(db, "select id from applications where dedupe_key = ?", [dedupe_key])
            if row is not None:
                log.info("application %s: the same submission again, not filed twice", row["id"])
                return self._load(db, row["id"])
            now = self.now()
            day = now.date()
            seq = db.execute(
                "select coalesce(max(seq), 0) + 1 from applications where day = ?", [day.isoformat()]
            ).fetchone()[0]
            at = now.isoformat(timespec="seconds")
            application_id = inserted_id(
                db.table("applications")
                .insert(
                    {
                        "number": numbers.make(day, seq),
                        "day": day.isoformat(),
                        "seq": seq,
                        "applicant": draft.applicant,
                        "name": draft.name.strip()[:MAX_NAME],
                        "id_type": draft.id_type,
                        "id_number": draft.id_number.strip()[:MAX_FIELD],
                        "phone": draft.phone.strip()[:MAX_FIELD],
                        "email": draft.email.strip()[:MAX_FIELD],
                        "address": draft.address.strip()[:MAX_FIELD],
                        "contact_person": draft.contact_person.strip()[:MAX_NAME],
                        "description": draft.description.strip()[:MAX_TEXT],
                        "form": draft.form,
                        "delivery": draft.delivery,
                        "via": via,
                        "received_on": received_on.isoformat(),
                        "channel": channel,
                        "chat_id": None if chat_id is None else str(chat_id),
                        "user_ref": user_ref,
                        "dedupe_key": dedupe_key,
                        "created_at": at,
                    }
                )
                .last_pk
            )
            self._event(db, application_id, "received", actor, received_on, None, {"via": via}, at)
            application = self._load(db, application_id)
            for staff_channel in self.staff_channels:
                self.outbox.owe(db, staff_channel, STAFF, "application", at, text=self.staff_card(application))
            log.info("application %s registered (%s, %s)", application.number, channel, via)
            return application

        return write

    # --- looking up -------------------------------------------------------------------------------

    def filed_in(self, channel: str, chat_id: str | int, limit: int = 3) -> list[Application]:
        """The newest applications filed in one chat (a citizen's own), newest first."""
        sql = "select * from applications where channel = ? and chat_id = ? order by id desc limit ?"
        reader = self.store.reader
        return [self._from_row(reader, row) for row in reader.query(sql, [channel, str(chat_id), limit])]

    def get(self, number: str) -> Application | None:
        row = _one(self.store.reader, "select * from applications where number = ?", [number])
        return self._from_row(self.store.reader, row) if row else None

    def lookup(self, typed: str) -> Lookup | None:
        """The application with the register number ``typed``; None if it does not look like one."""
        parsed = numbers.parse(typed)
        if parsed is None:
            return None
        if parsed.number is not None:
            return Lookup(self.get(parsed.number), typed_ok=True)
        return Lookup(None, typed_ok=False, suggestions=self._existing(parsed.suggestions))

    def events(self, application: Application) -> list[Event]:
        return _events(self.store.reader, application.id)

    def letters(self, application: Application) -> list[Letter]:
        """The letters issued to the applicant, oldest first."""
        rows = self.store.reader.query(
            "select * from application_letters where application_id = ? order by id", [application.id]
        )
        return [Letter(r["id"], r["kind"], r["at"], r["html"], r["text"]) for r in rows]

    def failures(self, application: Application) -> list[str]:
        """The last errors of the notices to the applicant that could not be delivered."""
        rows = self.store.reader.execute(
            "select last_error from outbox where application_id = ? and status = 'failed' order by id",
            [application.id],
        )
        return [str(error) for (error,) in rows.fetchall()]

    def all(self, *, undecided: bool = False) -> list[Application]:
        """Every application (only those not decided, if ``undecided``), as it stands today."""
        return self._rows(self.store.reader, undecided=undecided)

    def _rows(self, db: Database, *, undecided: bool) -> list[Application]:
        # The decided are most of the register after a few years: the lists and the reminders
        # fold only the others.
        where = (
            "where not exists (select 1 from application_events e where e.application_id = a.id and e.kind = 'decided')"
            if undecided
            else ""
        )
        return [self._from_row(db, row) for row in db.query(f"select a.* from applications a {where} order by a.id")]

    def search(
        self, status: str | None = "open", *, q: str | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[list[Application], int]:
        """Applications, overdue first, then those whose correction time has passed, then by due
        date; and how many match in all.

        ``status`` is "open" (not decided), "overdue", "due" (due within the reminder's working
        days, or overdue), a key of ``STATUSES``, or None for all; ``q`` is looked for in the
        number, the name and the description.
        """
        today = self.today()
        undecided = status not in (None, "all", "decided")
        wanted = [a for a in self.all(undecided=undecided) if self._matches(a, status, today)]
        if q:
            wanted = [a for a in wanted if q in a.number or q in a.name or q in a.description]
        far = dt.date.max
        wanted.sort(key=lambda a: (not a.overdue, not a.correction_lapsed, not a.is_open, a.due_on or far, a.id))
        return wanted[offset : offset + limit], len(wanted)

    def _matches(self, application: Application, status: str | None, today: dt.date) -> bool:
        if status is None or status == "all":
            return True
        if status == "open":
            return application.is_open
        if status == "overdue":
            return application.overdue
        if status == "due":
            return application.is_open and (
                application.correction_lapsed
                or (
                    application.due_on is not None
                    and working_days_between(self.calendar, today, application.due_on)
                    <= self.settings.application_remind_working_days
                )
            )
        return application.status == status

    def counts(self) -> dict[str, int]:
        """How many applications are open, due soon (or overdue) and overdue."""
        every = self.all(undecided=True)
        today = self.today()
        return {
            "open": sum(a.is_open for a in every),
            "due": sum(self._matches(a, "due", today) for a in every),
            "overdue": sum(a.overdue for a in every),
        }

    # --- what staff do ----------------------------------------------------------------------------

    def request_correction(
        self, number: str, actor: str, text: str, *, on: dt.date | None = None, by: dt.date | None = None
    ) -> Application:
        """Send the one 补正 notice (第30条): what to correct (``text``) and the day to do it ``by``
        (default: the configured working days after ``on``). Only within 7 working days of receipt."""
        return self.store.write(self._change(number, actor, self._correction(text, on, by)))

    def correct(self, number: str, actor: str, *, on: dt.date | None = None, text: str | None = None) -> Application:
        """The corrected application arrived on ``on``: the 20 working days run again from that day.
        ``text`` is the information wanted as corrected (None: as before)."""
        return self.store.write(self._change(number, actor, self._corrected(on, text)))

    def extend(
        self, number: str, actor: str, *, days: int, approved_by: str, reason: str, on: dt.date | None = None
    ) -> Application:
        """Extend the time to answer, once, by at most 20 working days, approved by the named head of
        the office (第33条第2款); the applicant is told the new due date."""
        return self.store.write(self._change(number, actor, self._extension(days, approved_by, reason, on)))

    def pause(self, number: str, actor: str, *, party_kind: str, party: str, on: dt.date | None = None) -> Application:
        """A third party (第32条) or another agency (第34条) was consulted on ``on``: the clock
        stops until it answers (15 working days at most)."""
        return self.store.write(self._change(number, actor, self._pause(party_kind, party, on)))

    def resume(self, number: str, actor: str, *, on: dt.date | None = None, text: str | None = None) -> Application:
        """The consulted party answered on ``on`` (or its 15 working days ran out): the clock runs again."""
        return self.store.write(self._change(number, actor, self._resume(on, text)))

    def note(self, number: str, actor: str, text: str) -> Application:
        """An internal note; the applicant does not see it."""
        return self.store.write(self._change(number, actor, self._note(text)))

    def decide(
        self,
        number: str,
        actor: str,
        decision: str,
        facts: str,
        *,
        article: str | None = None,
        on: dt.date | None = None,
    ) -> Application:
        """Record the decision (a key of ``DECISIONS``) with the facts and the grounding article
        (default: the decision's), issue the answer letter, keep it in the record and send it to
        the applicant on their channel."""
        return self.store.write(self._change(number, actor, self._decision(decision, facts, article, on)))

    async def aact(self, number: str, actor: str, action: str, **params: Any) -> Application:
        """A staff action by name (``request_correction``, ``correct``, ``extend``, ``pause``,
        ``resume``, ``note``, ``decide``) without blocking the event loop."""
        makers: dict[str, Callable[..., Callable[[Application], Change]]] = {
            "request_correction": self._correction,
            "correct": self._corrected,
            "extend": self._extension,
            "pause": self._pause,
            "resume": self._resume,
            "note": self._note,
            "decide": self._decision,
        }
        if action not in makers:
            raise ApplicationError(texts.APPLICATION_UNKNOWN_ACTION.format(action=action))
        application = await self.store.awrite(self._change(number, actor, makers[action](**params)))
        self.outbox.wake()
        return application

    # The checks of each action: given the application as it stands, the change to record, or
    # ApplicationError with what is wrong.

    def _day(self, application: Application, on: dt.date | None) -> dt.date:
        on = on or self.today()
        if on > self.today():
            raise ApplicationError(texts.APPLICATION_FUTURE_DAY.format(day=on))
        if on < application.received_on:
            raise ApplicationError(texts.APPLICATION_BEFORE_RECEIPT.format(day=on, received=application.received_on))
        return on

    @staticmethod
    def _undecided(application: Application) -> None:
        if not application.is_open:
            raise ApplicationError(texts.APPLICATION_DECIDED.format(number=application.number))

    def _correction(
        self, text: str, on: dt.date | None = None, by: dt.date | None = None
    ) -> Callable[[Application], Change]:
        text = _text(text)

        def check(application: Application) -> Change:
            self._undecided(application)
            day = self._day(application, on)
            if application.correction_requested:
                raise ApplicationError(texts.APPLICATION_CORRECTION_ONCE)
            if day > application.correction_notice_by:
                raise ApplicationError(
                    texts.APPLICATION_CORRECTION_LATE.format(
                        days=CORRECTION_NOTICE_DAYS, last=application.correction_notice_by
                    )
                )
            deadline = by or self.calendar.working_days_after(day, self.settings.application_correction_working_days)
            if deadline <= day:
                raise ApplicationError(texts.APPLICATION_CORRECTION_BY.format(day=day))
            if deadline > (latest := self.calendar.working_days_after(day, CORRECTION_MAX_DAYS)):
                raise ApplicationError(
                    texts.APPLICATION_CORRECTION_TOO_LATE.format(days=CORRECTION_MAX_DAYS, last=latest, by=deadline)
                )
            return Change(
                "correction_requested",
                day,
                text,
                {"by": deadline.isoformat()},
                lambda a: texts.APPLICANT_CORRECTION.format(number=a.number, text=text, by=deadline),
            )

        return check

    def _corrected(self, on: dt.date | None = None, text: str | None = None) -> Callable[[Application], Change]:
        text = _optional_text(text)

        def check(application: Application) -> Change:
            if application.status != "correcting":
                raise ApplicationError(texts.APPLICATION_NOT_CORRECTING.format(number=application.number))
            day = self._day(application, on)
            return Change(
                "corrected",
                day,
                text,
                None,
                lambda a: texts.APPLICANT_CORRECTED.format(number=a.number, day=day, due=a.due_on),
            )

        return check

    def _extension(
        self, days: int, approved_by: str, reason: str, on: dt.date | None = None
    ) -> Callable[[Application], Change]:
        approved_by, reason = approved_by.strip()[:MAX_NAME], _text(reason)
        if not 1 <= days <= EXTENSION_MAX:
            raise ApplicationError(texts.APPLICATION_EXTENSION_DAYS.format(most=EXTENSION_MAX))
        if not approved_by:
            raise ApplicationError(texts.APPLICATION_EXTENSION_APPROVER)

        def check(application: Application) -> Change:
            self._undecided(application)
            if application.status == "correcting":
                raise ApplicationError(texts.APPLICATION_CORRECTING.format(number=application.number))
            if application.extension:
                raise ApplicationError(texts.APPLICATION_EXTENSION_ONCE)
            day = self._day(application, on)
            if application.due_on is not None and day > application.due_on:
                raise ApplicationError(texts.APPLICATION_EXTENSION_LATE.format(due=application.due_on))
            return Change(
                "extended",
                day,
                reason,
                {"days": days, "approved_by": approved_by},
                lambda a: texts.APPLICANT_EXTENDED.format(number=a.number, days=days, reason=reason, due=a.due_on),
            )

        return check

    def _pause(self, party_kind: str, party: str, on: dt.date | None = None) -> Callable[[Application], Change]:
        party = party.strip()[:MAX_NAME]
        if party_kind not in PARTIES:
            choices = "、".join(f"{label}（{key}）" for key, label in PARTIES.items())
            raise ApplicationError(texts.APPLICATION_PARTY_KIND.format(choices=choices))
        if not party:  # the letter to the applicant names whom the bureau consulted
            raise ApplicationError(texts.APPLICATION_PARTY_NAME)

        def check(application: Application) -> Change:
            self._undecided(application)
            if application.status != "open":
                raise ApplicationError(
                    texts.APPLICATION_CORRECTING.format(number=application.number)
                    if application.status == "correcting"
                    else texts.APPLICATION_PAUSED.format(number=application.number)
                )
            day = self._day(application, on)
            # As an extension: a consultation begun after the deadline would move it after the fact.
            if application.due_on is not None and day > application.due_on:
                raise ApplicationError(texts.APPLICATION_PAUSE_LATE.format(due=application.due_on))
            return Change("paused", day, party, {"party_kind": party_kind, "party": party})

        return check

    def _resume(self, on: dt.date | None = None, text: str | None = None) -> Callable[[Application], Change]:
        text = _optional_text(text)

        def check(application: Application) -> Change:
            if application.status != "paused" or application.pause is None:
                raise ApplicationError(texts.APPLICATION_NOT_PAUSED.format(number=application.number))
            day = self._day(application, on)
            if day < application.pause.start:
                raise ApplicationError(texts.APPLICATION_BEFORE_PAUSE.format(day=application.pause.start))
            return Change("resumed", day, text)

        return check

    def _note(self, text: str) -> Callable[[Application], Change]:
        text = _text(text)
        return lambda application: Change("noted", self.today(), text)

    def _decision(
        self, decision: str, facts: str, article: str | None = None, on: dt.date | None = None
    ) -> Callable[[Application], Change]:
        if decision not in DECISIONS:
            raise ApplicationError(texts.APPLICATION_UNKNOWN_DECISION.format(decision=decision))
        chosen = DECISIONS[decision]
        facts = _text(facts)
        grounds = (article or "").strip()[:MAX_FIELD] or chosen.article
        if not grounds:
            raise ApplicationError(texts.APPLICATION_NEEDS_ARTICLE.format(decision=chosen.label))

        def check(application: Application) -> Change:
            self._undecided(application)
            day = self._day(application, on)
            if decision == "other_no_correction" and not (
                application.status == "correcting" and application.correction_by and application.correction_by < day
            ):
                raise ApplicationError(texts.APPLICATION_NOT_LAPSED.format(number=application.number))
            return Change("decided", day, facts, {"decision": decision, "article": grounds})

        return check

    def _change(
        self, number: str, actor: str, make: Callable[[Application], Change]
    ) -> Callable[[Database], Application]:
        def write(db: Database) -> Application:
            application = self._by_number(db, number)
            change = make(application)
            # Its days run forwards: a decision dated before the extension it follows, or a correction
            # before the notice that asked for it, would date the letters backwards.
            (latest,) = db.execute(
                "select max(on_date) from application_events where application_id = ?", [application.id]
            ).fetchone()
            if latest and change.on.isoformat() < latest:
                raise ApplicationError(texts.APPLICATION_BEFORE_LAST.format(day=change.on, last=latest))
            at = self.now().isoformat(timespec="seconds")
            event_id = self._event(db, application.id, change.kind, actor, change.on, change.text, change.data, at)
            after = self._load(db, application.id)
            told = change.tell(after) if change.tell else None
            if change.kind in LETTERS:  # the written notice the law asks for, kept in the record
                letter = self._issue(db, after, event_id, at)
                if change.kind == "decided":
                    told = texts.APPLICANT_DECIDED.format(number=after.number) + "\n\n" + letter.text
            # An applicant who acts themselves (a correction sent) is answered by their channel at once.
            if told and actor != "citizen" and application.chat_id is not None and application.channel != REGISTERED:
                recipient = application.chat_id
                self.outbox.owe(
                    db, application.channel, recipient, "application", at, text=told, application_id=application.id
                )
            log.info("application %s: %s by %s", application.number, change.kind, actor)
            return after

        return write

    def _issue(self, db: Database, application: Application, event_id: int, at: str) -> Letter:
        events = _events(db, application.id)
        decided = next(e for e in events if e.id == event_id)
        html, text = render_letter(application, decided, self.settings, events)
        kind = LETTERS[decided.kind]
        letter_id = inserted_id(
            db.execute(
                "insert into application_letters (application_id, event_id, at, kind, html, text)"
                " values (?, ?, ?, ?, ?, ?)",
                [application.id, event_id, at, kind, html, text],
            ).lastrowid
        )
        return Letter(letter_id, kind, at, html, text)

    # --- reminders --------------------------------------------------------------------------------

    def remind(self) -> int:
        """Owe the staff group a reminder of each deadline due within the configured working days
        (once per due date) and of each due today or past (once per due date); how many."""
        return self.store.write(self._reminding())

    async def aremind(self) -> int:
        count = await self.store.awrite(self._reminding())
        if count:
            self.outbox.wake()
        return count

    def _reminding(self) -> Callable[[Database], int]:
        def write(db: Database) -> int:
            today = self.today()
            at = self.now().isoformat(timespec="seconds")
            count = 0
            for application in self._rows(db, undecided=True):
                if application.due_on is None:
                    continue
                due = application.due_on
                left = working_days_between(self.calendar, today, due)
                which = (
                    "due" if today >= due else "soon" if left <= self.settings.application_remind_working_days else None
                )
                if which is None:
                    continue
                sent = {
                    (e.data.get("due"), e.data.get("which"))
                    for e in _events(db, application.id)
                    if e.kind == "reminded"
                }
                if (due.isoformat(), which) in sent:
                    continue
                text = self.reminder(application, which, left, today)
                self._event(
                    db, application.id, "reminded", "system", today, text, {"due": due.isoformat(), "which": which}, at
                )
                for staff_channel in self.staff_channels:
                    self.outbox.owe(db, staff_channel, STAFF, "application_reminder", at, text=text)
                count += 1
            if count:
                log.info("applications: %d reminder(s) owed", count)
            return count

        return write

    @staticmethod
    def reminder(application: Application, which: str, left: int, today: dt.date) -> str:
        if which == "soon":
            return texts.STAFF_APPLICATION_SOON.format(number=application.number, due=application.due_on, left=left)
        template = (
            texts.STAFF_APPLICATION_OVERDUE
            if application.due_on and application.due_on < today
            else texts.STAFF_APPLICATION_DUE
        )
        return template.format(number=application.number, due=application.due_on)

    # --- what people are shown --------------------------------------------------------------------

    @staticmethod
    def staff_card(application: Application) -> str:
        """The staff group's notice of a new application (contact details masked)."""
        return texts.STAFF_APPLICATION_NEW.format(
            number=application.number,
            applicant=application.applicant_label,
            name=application.masked_name,
            via=application.via_label,
            received=application.received_on,
            due=application.due_on,
            text=application.description,
        )

    def status_text(self, application: Application, *, own: bool) -> str:
        """An application's status as the applicant sees it (plain text); the letter's text only
        to the one who filed it (``own``)."""
        lines = [
            texts.APPLICATION_STATUS.format(
                number=application.number,
                status=application.status_label,
                received=application.received_on,
                due=application.due_on or texts.APPLICATION_NO_DUE,
            )
        ]
        if application.status == "correcting" and application.correction_by:
            asked = [e.text for e in self.events(application) if e.kind == "correction_requested" and e.text]
            if own and asked:  # what to correct: the notice may never have reached a WeChat applicant
                lines.append(texts.APPLICATION_STATUS_CORRECTION_ASKED.format(text=asked[-1]))
            lines.append(texts.APPLICATION_STATUS_CORRECTING.format(by=application.correction_by))
        if application.extension:
            lines.append(texts.APPLICATION_STATUS_EXTENDED.format(days=application.extension))
        if application.decision is not None:
            lines.append(
                texts.APPLICATION_STATUS_DECIDED.format(day=application.decided_on, decision=application.decision.label)
            )
            if own:
                lines += [letter.text for letter in self.letters(application) if letter.kind == "decision"]
        return "\n".join(lines)

    # --- internals --------------------------------------------------------------------------------

    def _existing(self, candidates: Iterable[str]) -> tuple[str, ...]:
        found = list(candidates)
        if not found:
            return ()
        marks = ",".join("?" * len(found))
        rows = self.store.reader.execute(f"select number from applications where number in ({marks})", found)
        return tuple(sorted(r[0] for r in rows.fetchall()))

    def _from_row(self, db: Database, row: dict[str, Any]) -> Application:
        return fold(row, _events(db, row["id"]), self.calendar, self.today())

    def _load(self, db: Database, application_id: int) -> Application:
        row = _one(db, "select * from applications where id = ?", [application_id])
        assert row is not None
        return self._from_row(db, row)

    def _by_number(self, db: Database, typed: str) -> Application:
        parsed = numbers.parse(typed)
        number = parsed.number if parsed and parsed.number else typed.strip()
        row = _one(db, "select * from applications where number = ?", [number])
        if row is None:
            raise ApplicationError(texts.NO_SUCH_APPLICATION.format(number=typed))
        return self._from_row(db, row)

    @staticmethod
    def _event(
        db: Database,
        application_id: int,
        kind: str,
        actor: str,
        on: dt.date,
        text: str | None,
        data: dict[str, Any] | None,
        at: str,
    ) -> int:
        assert kind in EVENTS
        cursor = db.execute(
            "insert into application_events (application_id, at, kind, actor, on_date, text, data)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [
                application_id,
                at,
                kind,
                actor,
                on.isoformat(),
                text,
                json.dumps(data, ensure_ascii=False) if data else None,
            ],
        )
        return inserted_id(cursor.lastrowid)


def _text(text: str) -> str:
    text = _optional_text(text) or ""
    if not text:
        raise ApplicationError(texts.ACTION_NEEDS_TEXT)
    return text


def _optional_text(text: str | None) -> str | None:
    """What staff wrote, whole, or None; refused when over ``MAX_TEXT`` rather than cut."""
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ApplicationError(texts.ACTION_TEXT_TOO_LONG.format(length=len(text), limit=MAX_TEXT))
    return text or None


def _events(db: Database, application_id: int) -> list[Event]:
    rows = db.query("select * from application_events where application_id = ? order by id", [application_id])
    return [Event.from_row(r) for r in rows]


def _one(db: Database, sql: str, args: list[Any]) -> dict[str, Any] | None:
    return next(iter(db.query(sql, args)), None)


REMIND_EVERY = 600.0  # seconds: reminders are per day, a look every ten minutes is soon enough
REMIND_FROM_HOUR = 8  # the staff group is not woken at midnight for the day's deadlines


def reminding(applications: Applications) -> Callable[[Any], AsyncIterator[None]]:
    """A start and stop for aiohttp's ``cleanup_ctx``: owe the staff group its reminders of
    applications' deadlines (``Applications.aremind``) every ``REMIND_EVERY`` seconds from
    ``REMIND_FROM_HOUR`` in the bureau's time zone, while the application runs."""

    async def loop() -> None:
        while True:
            if applications.now().hour >= REMIND_FROM_HOUR:
                try:
                    await applications.aremind()
                except Exception:  # a bad moment (a locked database) must not end the reminders
                    log.exception("applications: reminders failed")
            await asyncio.sleep(REMIND_EVERY)

    async def lifecycle(_: Any) -> AsyncIterator[None]:
        task = asyncio.create_task(loop(), name="gongkai-application-reminders")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return lifecycle
