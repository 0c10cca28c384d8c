"""Storage: SQLite through sqlite-utils, with one writer thread that owns the only write connection.

sqlite-utils is synchronous. As Datasette does, every write goes through a queue to one thread,
which runs it inside ``BEGIN IMMEDIATE`` and commits before the caller's future resolves, so a
write that was acknowledged is on disk (``synchronous=FULL``) and the event loop never blocks
on SQLite. Reads use their own connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import logging
import queue
import secrets
import sqlite3
import threading
from collections import Counter, deque
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
    "insert into enquiries (at, channel, user_ref, text, outcome, entry_id, score, latency_ms, typed, missed)"
    " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
MAX_GROUP = 256
# Writes kept while the database is busy (an enquiry each, or a burst of them): beyond this many
# the oldest are logged as lost rather than memory growing without end.
MAX_BACKLOG = 20_000
RETRY_PAUSE = 0.25  # seconds between tries while the database is busy (each try waits the busy timeout)
log = logging.getLogger(__name__)


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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


async def committed(future: Future[Any], wait: float | None) -> bool:
    """Whether the writer committed ``future``'s job within ``wait`` seconds (None: no limit).

    Not ``asyncio.wrap_future``: the job may be committed long after this loop is gone (a kept
    write), and then nobody is to be told.
    """
    loop = asyncio.get_running_loop()
    settled = asyncio.Event()

    def tell(_: Future[Any]) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed
            loop.call_soon_threadsafe(settled.set)

    future.add_done_callback(tell)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(settled.wait(), wait)
    return future.done() and not future.cancelled() and future.exception() is None


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
    """A thread that runs write functions one at a time; a future resolves only after its commit.

    A job submitted with ``retry`` (what it writes, for the log: "enquiry") is not failed when the
    database cannot be written (another process holds it past the busy timeout: a backup, ``sqlite3``
    by hand): it is kept, in order, and tried again until it is committed. What cannot be kept (more
    than ``MAX_BACKLOG`` jobs waiting, or still waiting when the writer stops, or a job that fails by
    itself) is logged as lost with its count and counted in ``lost``, never dropped silently.
    """

    def __init__(self, db: Database, *, retry_pause: float = RETRY_PAUSE) -> None:
        self._db = db
        self._queue: queue.Queue[Any] = queue.Queue()
        self._backlog: deque[_Job] = deque()
        self._retry_pause = retry_pause
        self.lost: Counter[str] = Counter()
        self._thread = threading.Thread(target=self._run, name="gongkai-writer", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[Database], T], *, retry: str = "", count: int = 1) -> Future[T]:
        """Queue ``fn(db)``; the future resolves once its transaction is committed.

        :param retry: what the job writes ("enquiry"): kept and tried again while the database is
          busy, rather than failed; empty for a write whose caller must hear at once that it failed
        :param count: how many of those it writes (for the lost count)
        """
        future: Future[T] = Future()
        self._queue.put(_Job(fn, future, retry, count))
        return future

    @property
    def backlog(self) -> int:
        """How many kept jobs wait for the database to free up."""
        return len(self._backlog)

    def _run(self) -> None:
        while True:
            jobs: list[Any] = []
            kept = len(self._backlog)
            if kept:
                # Kept jobs go first, in their order; a new job (or the pause) starts the next try.
                with contextlib.suppress(queue.Empty):
                    jobs.append(self._queue.get(timeout=self._retry_pause))
                jobs[:0] = self._backlog
                self._backlog.clear()
            else:
                jobs.append(self._queue.get())
            # Group commit: whatever queued up meanwhile shares one transaction and one fsync,
            # each job in a savepoint of its own so that one failure spoils no other.
            while len(jobs) < kept + MAX_GROUP and not self._queue.empty():
                jobs.append(self._queue.get_nowait())
            stop = any(job is _STOP for job in jobs)
            self._commit([job for job in jobs if job is not _STOP], last=stop)
            if stop:
                return

    def _commit(self, jobs: list[_Job], *, last: bool = False) -> None:
        conn = self._db.conn
        outcomes: list[tuple[_Job, Any, BaseException | None]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            for job in jobs:
                # A kept job's future is running already, from its first try.
                if not (job.future.running() or job.future.set_running_or_notify_cancel()):
                    continue
                conn.execute("SAVEPOINT job")
                try:
                    outcomes.append((job, job.fn(self._db), None))
                except BaseException as e:  # handed to its caller, who decides what to say
                    conn.execute("ROLLBACK TO job")
                    outcomes.append((job, None, e))
                conn.execute("RELEASE job")
            conn.execute("COMMIT")
        except BaseException as e:  # the transaction failed as a whole: none of it was written
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._keep([job for job in jobs if job.retry], e, last=last)
            for job in jobs:
                if not job.retry and not job.future.done():
                    job.future.set_exception(e)
            return
        # Only now, with the commit on disk, does any caller hear that its write is done.
        for job, result, error in outcomes:
            if error is None:
                job.future.set_result(result)
            else:
                if job.retry:
                    self._lose([job], f"the write failed: {error!r}")
                job.future.set_exception(error)

    def _keep(self, jobs: list[_Job], error: BaseException, *, last: bool) -> None:
        """Keep retryable jobs whose transaction failed, to try again (none if the writer stops)."""
        if not jobs:
            return
        if last:
            self._lose(jobs, f"the database could not be written before the writer stopped: {error}")
            for job in jobs:
                job.future.set_exception(StorageError(f"{job.retry} lost: {error}"))
            return
        # Their futures stay running: each resolves when its job is finally committed.
        self._backlog.extend(job for job in jobs if not job.future.done())
        if len(self._backlog) > MAX_BACKLOG:
            dropped = [self._backlog.popleft() for _ in range(len(self._backlog) - MAX_BACKLOG)]
            self._lose(dropped, f"more than {MAX_BACKLOG} writes waited for the database")
            for job in dropped:
                job.future.set_exception(StorageError(f"{job.retry} lost: too many waiting"))
        log.warning("storage: database busy (%s); %d writes kept to try again", error, len(self._backlog))

    def _lose(self, jobs: list[_Job], reason: str) -> None:
        counts: Counter[str] = Counter()
        for job in jobs:
            counts[job.retry] += job.count
        for what, count in counts.items():
            self.lost[what] += count
            log.error("storage: %d %s record(s) lost (%d in all): %s", count, what, self.lost[what], reason)

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join()


@dataclass
class _Job:
    """A write function, the future its caller waits on, and what to do if the database is busy."""

    fn: Callable[[Database], Any]
    future: Future[Any]
    retry: str = ""
    count: int = 1


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
    typed: str = ""  # the question as the citizen typed it (``text`` is it normalised)
    missed: str = ""  # the guide entries the citizen said missed it (不是这个), comma-separated


class Store:
    """Gongkai's database: migrations applied on open, writes through one writer thread.

    :param path: the SQLite file; its folder is created if missing
    :param user_hash_key: key of the pseudonym hash; generated and kept in the database if None
    """

    def __init__(self, path: Path | str, user_hash_key: str | None = None) -> None:
        from .lock import DatabaseLock  # these import StorageError from here
        from .upgrade import upgrade

        self.path = Path(path)
        memory = str(path) == ":memory:"
        # Held shared while the store is open: `gongkai restore` cannot replace the file under us.
        self._lock = None if memory else DatabaseLock(self.path).shared()
        try:
            self.db = connect(self.path)
            try:
                # Pending migrations: a backup beside the file first, then all of them or none.
                self.upgrade_backup = upgrade(self.db, None if memory else self.path, migrations)
            except BaseException:
                self.db.conn.close()
                raise
        except BaseException:
            if self._lock is not None:
                self._lock.release()
            raise
        self._writer = Writer(self.db)
        self._read = connect(self.path) if str(path) != ":memory:" else self.db
        self._key = (user_hash_key or self._generated_key()).encode()
        self._batch: list[tuple[tuple[Any, ...], asyncio.Future[int | None]]] = []

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
            _now(),
            enquiry.channel,
            enquiry.user_ref,
            enquiry.text,
            enquiry.outcome,
            enquiry.entry_id,
            enquiry.score,
            round(enquiry.latency_ms, 3),
            enquiry.typed,
            enquiry.missed,
        )

    @staticmethod
    def _insert_enquiries(rows: list[tuple[Any, ...]]) -> Callable[[Database], list[int]]:
        # Plain SQL on the hot path: sqlite-utils' insert() inspects the table on every call,
        # which costs more than the rest of answering a question.
        return lambda db: [inserted_id(db.execute(_INSERT_ENQUIRY, row).lastrowid) for row in rows]

    def record_enquiry(self, enquiry: Enquiry) -> int:
        """Record an enquiry and return its id once committed."""
        return self.write(self._insert_enquiries([self._enquiry_row(enquiry)]))[0]

    async def arecord_enquiry(self, enquiry: Enquiry, *, wait: float | None = None) -> int | None:
        """Record an enquiry from async code: its id once committed, or None if it was not
        committed within ``wait`` seconds (None: no limit). Never raises: an answer does not
        depend on its record.

        An enquiry not committed in time is kept and written when the database frees up (another
        process may hold it for longer than the busy timeout), or logged as lost with its count.
        Enquiries recorded in the same turn of the event loop go to the writer thread together:
        one hand-over and one commit for a burst of questions rather than one each.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int | None] = loop.create_future()
        self._batch.append((self._enquiry_row(enquiry), future))
        if len(self._batch) == 1:
            loop.call_soon(self._flush_enquiries, loop)
        done, _ = await asyncio.wait({future}, timeout=wait)
        return future.result() if done else None

    def _flush_enquiries(self, loop: asyncio.AbstractEventLoop) -> None:
        batch, self._batch = self._batch, []
        rows = [row for row, _ in batch]
        done = self._writer.submit(self._insert_enquiries(rows), retry="enquiry", count=len(rows))

        def settle(ids: list[int] | None) -> None:
            for number, (_, future) in enumerate(batch):
                if not future.done():
                    future.set_result(None if ids is None else ids[number])

        def settled(f: Future[list[int]]) -> None:
            # Runs on the writer thread, maybe long after the request (and its loop) ended; a lost
            # enquiry was logged by the writer.
            ids = None if f.cancelled() or f.exception() is not None else f.result()
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
                loop.call_soon_threadsafe(settle, ids)

        done.add_done_callback(settled)

    @property
    def lost(self) -> Counter[str]:
        """Records the writer could not keep (by what they were: "enquiry"), since the start."""
        return self._writer.lost

    @property
    def backlog(self) -> int:
        """Writes waiting for the database to free up."""
        return self._writer.backlog

    # --- the web chat's sessions -----------------------------------------------------------------

    def save_chat(
        self,
        session_id: str,
        *,
        draft: str | None,
        turns: list[str],
        keep: int,
        clear: bool = False,
        application: str | None = None,
    ) -> Future[None]:
        """Save a web chat session: its complaint draft and its application at the confirm step
        (JSON, or None), the ``turns`` added since it was
        last saved (JSON each; with ``clear``, the turns saved before are deleted first), only the
        last ``keep`` turns kept. The future resolves once it is
        committed; while the database is busy the write is kept and tried again (``committed``
        waits for it a bounded time), or logged as lost."""
        now = _now()

        def save(db: Database) -> None:
            db.execute(
                "insert into chat_sessions (id, created_at, seen_at, draft, application) values (?, ?, ?, ?, ?)"
                " on conflict(id) do update set seen_at = excluded.seen_at, draft = excluded.draft,"
                " application = excluded.application",
                [session_id, now, now, draft, application],
            )
            if clear:
                db.execute("delete from chat_turns where session_id = ?", [session_id])
            if not turns:
                return
            # Numbered here, in the write transaction: two requests of one session never collide.
            last = "select coalesce(max(seq), 0) from chat_turns where session_id = ?"
            (top,) = db.execute(last, [session_id]).fetchone()
            db.conn.executemany(
                "insert into chat_turns (session_id, seq, turn) values (?, ?, ?)",
                [(session_id, top + n, turn) for n, turn in enumerate(turns, 1)],
            )
            old = top + len(turns) - keep
            db.execute("delete from chat_turns where session_id = ? and seq <= ?", [session_id, old])

        return self._writer.submit(save, retry="chat session")

    def touch_chat(self, session_id: str) -> None:
        """Mark a saved session as seen now (it ages from its last visit, not its last post);
        nobody waits for it."""
        now = _now()

        def touch(db: Database) -> None:
            db.execute("update chat_sessions set seen_at = ? where id = ?", [now, session_id])

        self._writer.submit(touch, retry="chat session")

    def chat(self, session_id: str, *, turns: int) -> tuple[dict[str, Any], list[str]] | None:
        """A saved web chat session's row and its last ``turns`` turns (JSON, oldest first), or None."""
        row = self._read.execute(
            "select id, created_at, seen_at, draft, application from chat_sessions where id = ?", [session_id]
        ).fetchone()
        if row is None:
            return None
        said = self._read.execute(
            "select turn from chat_turns where session_id = ? order by seq desc limit ?", [session_id, turns]
        ).fetchall()
        columns = ("id", "created_at", "seen_at", "draft", "application")
        return dict(zip(columns, row, strict=True)), [t for (t,) in reversed(said)]

    def purge_chats(self, seen_before: dt.datetime) -> int:
        """Delete the web chat sessions not seen since ``seen_before``, with their turns; how many."""
        before = seen_before.astimezone(dt.UTC).isoformat(timespec="milliseconds")

        def purge(db: Database) -> int:
            old = "select id from chat_sessions where seen_at < ?"
            db.execute(f"delete from chat_turns where session_id in ({old})", [before])
            return int(db.execute("delete from chat_sessions where seen_at < ?", [before]).rowcount)

        return self.write(purge)

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
        """Questions the bot could not answer outright, the same normalised text counted once,
        most asked first: ``text`` (normalised), ``times``, ``last_at``, ``outcomes`` and
        ``wordings``, the texts as citizens typed them, most typed first (none for enquiries
        recorded before the typed text was kept), and ``missed``, the entries citizens said missed
        it, comma-separated."""
        unanswered = "outcome in ('fallback', 'clarify') and text != ''"
        sql = f"""
            select text, count(*) as times, max(at) as last_at, group_concat(distinct outcome) as outcomes,
                group_concat(distinct nullif(missed, '')) as missed
            from enquiries where {unanswered}
            group by text order by times desc, last_at desc limit ?
        """
        found = [dict(r) for r in self._read.query(sql, [limit])]
        wordings: dict[str, list[str]] = {}
        if found:
            marks = ",".join("?" * len(found))
            typed = f"""
                select text, typed, count(*) as times from enquiries
                where {unanswered} and typed is not null and typed != '' and text in ({marks})
                group by text, typed order by times desc
            """
            for r in self._read.query(typed, [r["text"] for r in found]):
                wordings.setdefault(r["text"], []).append(r["typed"])  # most typed first
        for row in found:
            row["outcomes"] = ",".join(sorted(set(row["outcomes"].split(","))))
            row["wordings"] = wordings.get(row["text"], [])
        return found

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
        """Questions answered outright with a score below ``below``, the same text counted once;
        ``typed``: one wording of it as a citizen typed it (empty for enquiries from before)."""
        sql = """
            select text, count(*) as times, max(at) as last_at, entry_id, min(score) as score, max(typed) as typed
            from enquiries where outcome = 'answer' and score < ? and text != ''
            group by text order by times desc, last_at desc limit ?
        """
        return list(self._read.query(sql, [below, limit]))

    def close(self) -> None:
        self._writer.close()
        if self._read is not self.db:
            self._read.conn.close()
        self.db.conn.close()
        if self._lock is not None:
            self._lock.release()
