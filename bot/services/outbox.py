"""The outbox: every notice owed to anyone (a staff group, a citizen) on any channel.

A notice is written in the transaction of what it tells of (a complaint filed, a staff reply), so
it exists exactly when that does; a channel's sender (``bot.services.sender``) delivers it and
retries until it is sent or can never be. A notice may concern a complaint (the channel renders
it from the complaint: a staff card, a citizen's reply) or carry its own ``text``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from .. import logs
from ..storage import Store
from .complaints.types import Complaint, Event, citizen_notice

log = logging.getLogger(__name__)
# The channels whose notices a sender pushes to the citizen (the web chat's wait for their visit).
PUSHED = frozenset({"telegram", "wechat"})


@dataclass(frozen=True)
class Notice:
    """One notice owed by the outbox."""

    id: int
    channel: str
    recipient: str
    kind: str
    attempts: int
    text: str  # what the recipient is told, plain text ("" for a staff card, drawn from the complaint)
    complaint: Complaint | None = None
    event: Event | None = None
    request_id: str | None = None  # of the message that caused it (bot.logs)


class Outbox:
    """Owing, listing and settling notices.

    :param store: the database
    :param now: the current time, aware
    """

    def __init__(self, store: Store, now: Callable[[], dt.datetime]) -> None:
        self.store = store
        self.now = now
        self._waiting: set[asyncio.Event] = set()
        # The channels a sender delivers now (Sender.run): the web chat's notices wait for the
        # citizen's next visit, and a channel without its sender (WeChat without an AppSecret)
        # sends none; neither is a backlog of this process's.
        self.delivering: set[str] = set()

    @staticmethod
    def owe(
        db: Database,
        channel: str,
        recipient: str,
        kind: str,
        at: str,
        *,
        complaint_id: int | None = None,
        event_id: int | None = None,
        text: str | None = None,
        application_id: int | None = None,
    ) -> None:
        """Owe a notice, inside the caller's transaction (``db`` is the writer's connection)."""
        db.execute(
            """insert into outbox (complaint_id, event_id, channel, recipient, kind, text, status, attempts, next_at,
            created_at, request_id, application_id) values (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)""",
            [complaint_id, event_id, channel, recipient, kind, text, at, at, logs.begin(), application_id],
        )

    # --- waking the senders -------------------------------------------------------------------------

    def wake(self) -> None:
        """Tell this process's senders that notices were committed (call it after the commit)."""
        for event in self._waiting:
            event.set()

    def subscribe(self) -> asyncio.Event:
        """An event that ``wake`` sets (a sender clears it before each round, so that a notice
        committed during a round is not missed)."""
        event = asyncio.Event()
        self._waiting.add(event)
        return event

    def unsubscribe(self, event: asyncio.Event) -> None:
        self._waiting.discard(event)

    # --- what is owed -------------------------------------------------------------------------------

    def owed(self, channel: str, *, recipient: str | None = None, limit: int = 20) -> list[Notice]:
        """Notices the channel should send now (to one recipient, if given): unsent, and not
        waiting for a retry."""
        db = self.store.reader
        rows = db.execute(
            f"""select id, complaint_id, event_id, recipient, kind, attempts, text, request_id from outbox
            where status = 'pending' and channel = ? and next_at <= ? {"and recipient = ?" if recipient else ""}
            order by id limit ?""",
            [channel, self._stamp(), *([recipient] if recipient else []), limit],
        ).fetchall()
        return [self._notice(db, channel, *row) for row in rows]

    def _notice(
        self,
        db: Database,
        channel: str,
        notice_id: int,
        complaint_id: int | None,
        event_id: int | None,
        recipient: str,
        kind: str,
        attempts: int,
        text: str | None,
        request_id: str | None = None,
    ) -> Notice:
        complaint = event = None
        if complaint_id is not None:
            row = next(iter(db.query("select * from complaints where id = ?", [complaint_id])))
            complaint = Complaint.from_row(row, self.now().date())
            event_row = db.execute(
                "select id, at, kind, actor, text from complaint_events where id = ?", [event_id]
            ).fetchone()
            event = Event(*event_row) if event_row else None
        if text is None:
            told = complaint is not None and kind in ("replied", "closed")
            text = citizen_notice(complaint, kind, event) if told and complaint else ""
        return Notice(notice_id, channel, recipient, kind, attempts, text, complaint, event, request_id)

    def failures(self, complaint_id: int) -> list[tuple[str, str]]:
        """The notices of a complaint that could not be delivered: their kind and last error."""
        rows = self.store.reader.execute(
            "select kind, last_error from outbox where complaint_id = ? and status = 'failed'", [complaint_id]
        )
        return [(kind, error) for kind, error in rows.fetchall()]

    # --- chats that moved ----------------------------------------------------------------------------

    def moved_to(self, channel: str, chat_id: str) -> str:
        """Where the chat ``chat_id`` of ``channel`` is now: followed to its new id if it moved."""
        seen = {chat_id}
        while True:
            row = self.store.reader.execute(
                "select new_id from chat_moves where channel = ? and old_id = ?", [channel, chat_id]
            ).fetchone()
            if row is None or row[0] in seen:  # a loop of moves would be a bug: stop at the last new id
                return chat_id
            chat_id = str(row[0])
            seen.add(chat_id)

    async def moved(self, channel: str, old_id: str, new_id: str) -> None:
        """Remember that a chat moved (a Telegram group upgraded to a supergroup), and owe what
        was owed to it at its new id."""

        def write(db: Database) -> None:
            db.execute(
                "insert or replace into chat_moves (channel, old_id, new_id, at) values (?, ?, ?, ?)",
                [channel, old_id, new_id, self._stamp()],
            )
            db.execute(
                "update outbox set recipient = ? where channel = ? and recipient = ? and status != 'sent'",
                [new_id, channel, old_id],
            )

        await self.store.awrite(write)
        log.info("outbox: a chat on %s moved; its notices follow it", channel)

    # --- settling -----------------------------------------------------------------------------------

    async def sent(self, notice: Notice) -> None:
        """The notice was delivered."""
        await self.store.awrite(lambda db: db.execute("update outbox set status = 'sent' where id = ?", [notice.id]))

    async def failed(self, notice: Notice, error: str, *, retry_in: float | None) -> None:
        """Delivering the notice failed: retry in ``retry_in`` seconds, or never (None)."""
        at = self._stamp(retry_in or 0)
        status = "pending" if retry_in is not None else "failed"

        def write(db: Database) -> None:
            db.execute(
                "update outbox set status = ?, attempts = attempts + 1, next_at = ?, last_error = ? where id = ?",
                [status, at, error[:200], notice.id],
            )

        await self.store.awrite(write)

    async def requeue(self, channel: str, recipient: str) -> int:
        """Owe again what could not be delivered to ``recipient`` (who can be reached now: a WeChat
        citizen who writes opens a new 48-hour window); how many notices."""
        failed = self.store.reader.execute(
            "select 1 from outbox where status = 'failed' and channel = ? and recipient = ? limit 1",
            [channel, recipient],
        ).fetchone()
        if failed is None:
            return 0
        at = self._stamp()

        def write(db: Database) -> int:
            cursor = db.execute(
                """update outbox set status = 'pending', next_at = ?
                where status = 'failed' and channel = ? and recipient = ?""",
                [at, channel, recipient],
            )
            return int(cursor.rowcount)

        count = await self.store.awrite(write)
        log.info("outbox: %d notice(s) owed again on %s", count, channel)
        if count:
            self.wake()
        return count

    def _stamp(self, seconds: float = 0) -> str:
        return (self.now() + dt.timedelta(seconds=seconds)).isoformat(timespec="seconds")
