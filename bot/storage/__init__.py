"""Storage: SQLite through sqlite-utils, with one writer thread that owns the only write connection.

sqlite-utils is synchronous. As Datasette does, every write goes through a queue to one thread,
which runs it inside ``BEGIN IMMEDIATE`` and commits before the caller's future resolves, so a
write that was acknowledged is on disk (``synchronous=FULL``) and the event loop never blocks
on SQLite. Reads use their own connections.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import queue
import secrets
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextvars import copy_context
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from .migrations import migrations

T = TypeVar("T")
_STOP = object()
_INSERT_ENQUIRY = (
    "insert into enquiries (at, channel, user_ref, text, outcome, entry_id, score, latency_ms)"
    " values (?, ?, ?, ?, ?, ?, ?, ?)"
)
MAX_GROUP = 256


class StorageError(Exception):
    """The database cannot be opened or written."""


def connect(path: Path | str) -> Database:
    """Open the database file (creating its folder) with the pragmas Gongkai relies on."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # a commit the caller was told about survives a crash
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA foreign_keys=ON")
    except sqlite3.Error as e:
        raise StorageError(f"cannot open database {path}: {e}") from e
    return Database(conn)


def inserted_id(rowid: int | None) -> int:
    """The id of a row just inserted (a cursor's ``lastrowid``, a table's ``last_pk``).

    sqlite3 types it as optional: it is None only when no row was inserted, which after an insert
    that did not raise would be a bug.
    """
    if rowid is None:
        raise StorageError("an insert reported no row id")
    return int(rowid)


def _in_context(fn: Callable[[Database], T]) -> Callable[[Database], T]:
    """``fn`` run in the caller's context: what it logs, and what it owes the outbox, carries the
    caller's request id (``bot.logs``)."""
    context = copy_context()
    return lambda db: context.run(fn, db)


class Writer:
    """A thread that runs write functions one at a time; a future resolves only after its commit."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="gongkai-writer", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[Database], T]) -> Future[T]:
        """Queue ``fn(db)``; the future resolves once its transaction is committed."""
        future: Future[T] = Future()
        self._queue.put((fn, future))
        return future

    def _run(self) -> None:
        while True:
            jobs = [self._queue.get()]
            # Group commit: whatever queued up meanwhile shares one transaction and one fsync,
            # each job in a savepoint of its own so that one failure spoils no other.
            while len(jobs) < MAX_GROUP and not self._queue.empty():
                jobs.append(self._queue.get_nowait())
            stop = any(job is _STOP for job in jobs)
            self._commit([job for job in jobs if job is not _STOP])
            if stop:
                return

    def _commit(self, jobs: list[tuple[Callable[[Database], Any], Future[Any]]]) -> None:
        conn = self._db.conn
        outcomes: list[tuple[Future[Any], Any, BaseException | None]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            for fn, future in jobs:
                if not future.set_running_or_notify_cancel():
                    continue
                conn.execute("SAVEPOINT job")
                try:
                    outcomes.append((future, fn(self._db), None))
                except BaseException as e:  # handed to its caller, who decides what to say
                    conn.execute("ROLLBACK TO job")
                    outcomes.append((future, None, e))
                conn.execute("RELEASE job")
            conn.execute("COMMIT")
        except BaseException as e:  # the transaction failed as a whole: none of it was written
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            for _, future in jobs:
                if not future.done():
                    future.set_exception(e)
            return
        # Only now, with the commit on disk, does any caller hear that its write is done.
        for future, result, error in outcomes:
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join()


@dataclass(frozen=True)
class Enquiry:
    """One question as it is recorded in the enquiry log."""

    channel: str
    user_ref: str | None
    text: str
    outcome: str
    entry_id: str | None
    score: float | None
    latency_ms: float


class Store:
    """Gongkai's database: migrations applied on open, writes through one writer thread.

    :param path: the SQLite file; its folder is created if missing
    :param user_hash_key: key of the pseudonym hash; generated and kept in the database if None
    """

    def __init__(self, path: Path | str, user_hash_key: str | None = None) -> None:
        self.path = Path(path)
        self.db = connect(self.path)
        migrations.apply(self.db)
        self._writer = Writer(self.db)
        self._read = connect(self.path) if str(path) != ":memory:" else self.db
        self._key = (user_hash_key or self._generated_key()).encode()
        self._batch: list[tuple[tuple[Any, ...], asyncio.Future[int]]] = []

    @classmethod
    def from_settings(cls, settings: Any) -> Store:
        """The store at ``settings.db`` with the configured pseudonym key, if any."""
        key = settings.user_hash_key.get_secret_value() if settings.user_hash_key else None
        return cls(settings.db, key)

    def _generated_key(self) -> str:
        def get_or_create(db: Database) -> str:
            row = db.execute("select value from meta where key = 'user_hash_key'").fetchone()
            if row:
                return str(row[0])
            key = secrets.token_hex(32)
            db.table("meta").insert({"key": "user_hash_key", "value": key})
            return key

        return self._writer.submit(get_or_create).result()

    def user_ref(self, channel: str, user_id: str | int | None) -> str | None:
        """A stable pseudonym for a user of a channel: a keyed hash, not reversible without the key."""
        if user_id is None:
            return None
        digest = hmac.new(self._key, f"{channel}:{user_id}".encode(), hashlib.sha256)
        return digest.hexdigest()[:20]

    # --- writes ---------------------------------------------------------------------------------

    def write(self, fn: Callable[[Database], T]) -> T:
        """Run ``fn`` in the writer thread and wait for its commit (for synchronous callers)."""
        return self._writer.submit(_in_context(fn)).result()

    async def awrite(self, fn: Callable[[Database], T]) -> T:
        """Run ``fn`` in the writer thread without blocking the event loop."""
        return await asyncio.wrap_future(self._writer.submit(_in_context(fn)))

    @staticmethod
    def _enquiry_row(enquiry: Enquiry) -> tuple[Any, ...]:
        return (
            dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            enquiry.channel,
            enquiry.user_ref,
            enquiry.text,
            enquiry.outcome,
            enquiry.entry_id,
            enquiry.score,
            round(enquiry.latency_ms, 3),
        )

    @staticmethod
    def _insert_enquiries(rows: list[tuple[Any, ...]]) -> Callable[[Database], list[int]]:
        # Plain SQL on the hot path: sqlite-utils' insert() inspects the table on every call,
        # which costs more than the rest of answering a question.
        return lambda db: [inserted_id(db.execute(_INSERT_ENQUIRY, row).lastrowid) for row in rows]

    def record_enquiry(self, enquiry: Enquiry) -> int:
        """Record an enquiry and return its id once committed."""
        return self.write(self._insert_enquiries([self._enquiry_row(enquiry)]))[0]

    async def arecord_enquiry(self, enquiry: Enquiry) -> int:
        """Record an enquiry from async code and return its id once committed.

        Enquiries recorded in the same turn of the event loop go to the writer thread together:
        one hand-over and one commit for a burst of questions rather than one each.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        self._batch.append((self._enquiry_row(enquiry), future))
        if len(self._batch) == 1:
            loop.call_soon(self._flush_enquiries, loop)
        return await future

    def _flush_enquiries(self, loop: asyncio.AbstractEventLoop) -> None:
        batch, self._batch = self._batch, []
        done = self._writer.submit(self._insert_enquiries([row for row, _ in batch]))

        def settle(ids: list[int] | None, error: BaseException | None) -> None:
            for number, (_, future) in enumerate(batch):
                if future.done():
                    continue
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(ids[number])  # type: ignore[index]

        done.add_done_callback(
            lambda f: loop.call_soon_threadsafe(settle, None if f.exception() else f.result(), f.exception())
        )

    # --- reads ----------------------------------------------------------------------------------

    @property
    def reader(self) -> Database:
        """The connection for reads (writes go through ``write``/``awrite``)."""
        return self._read

    def enquiries(self, *, outcome: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The newest enquiries, optionally only those with one outcome."""
        where, args = ("outcome = ?", [outcome]) if outcome else (None, [])
        return list(self._read["enquiries"].rows_where(where, args, order_by="id desc", limit=limit))

    def unanswered(self, *, limit: int = 50) -> list[dict[str, Any]]:
        """Questions the bot could not answer outright, the same text counted once, most asked first."""
        sql = """
            select text, count(*) as times, max(at) as last_at, group_concat(distinct outcome) as outcomes
            from enquiries
            where outcome in ('fallback', 'clarify') and text != ''
            group by text order by times desc, last_at desc limit ?
        """
        return list(self._read.query(sql, [limit]))

    def enquiry_days(self, since: dt.datetime) -> list[dict[str, Any]]:
        """Per local day from ``since`` (an aware time, in the zone whose days are counted): how
        many enquiries, and of each outcome."""
        shift = f"{int((since.utcoffset() or dt.timedelta(0)).total_seconds() // 60):+d} minutes"
        sql = """
            select date(substr(at, 1, 19), ?) as day, count(*) as total,
                sum(outcome = 'answer') as answer, sum(outcome = 'clarify') as clarify,
                sum(outcome = 'fallback') as fallback, sum(outcome = 'complaint') as complaint
            from enquiries where at >= ? group by day order by day
        """
        start = since.astimezone(dt.UTC).isoformat(timespec="milliseconds")
        return list(self._read.query(sql, [shift, start]))

    def low_confidence(self, *, below: float, limit: int = 50) -> list[dict[str, Any]]:
        """Questions answered outright with a score below ``below``, the same text counted once."""
        sql = """
            select text, count(*) as times, max(at) as last_at, entry_id, min(score) as score
            from enquiries where outcome = 'answer' and score < ? and text != ''
            group by text order by times desc, last_at desc limit ?
        """
        return list(self._read.query(sql, [below, limit]))

    def close(self) -> None:
        self._writer.close()
        if self._read is not self.db:
            self._read.conn.close()
        self.db.conn.close()
