"""Backups of the database while Gongkai runs, their checks, and restoring one in its place.

A backup is SQLite's online backup API (``sqlite3.Connection.backup``) in one step: one read
transaction, so the copy is the database as it was at one commit, and in WAL mode the service
goes on writing meanwhile. The copy is written beside its destination under a temporary name,
checked, and only then renamed, so a file with a backup's name is always a whole, checked one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from . import StorageError
from .lock import DatabaseInUse, DatabaseLock
from .migrations import migrations

# gongkai-20261201T180000.123Z.db: sorts by time, and pruning touches no other name.
_STAMP = "%Y%m%dT%H%M%S"
_BACKUP_NAME = r"-\d{8}T\d{6}\.\d{3}Z\.db"
_SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(StorageError):
    """A backup cannot be taken, fails its check, or cannot be restored."""


@dataclass(frozen=True)
class Check:
    """What a database file holds, as ``check`` found it.

    :param path: the file
    :param integrity: ``PRAGMA integrity_check``'s lines: ``["ok"]`` when the file is sound
    :param applied: the migrations applied in the file, in order
    :param pending: the migrations this Gongkai has that the file lacks (applied when it starts)
    :param unknown: the migrations applied in the file that this Gongkai does not know: a newer
      Gongkai wrote it
    :param counts: the rows of each table
    :param size: the file's size in bytes
    """

    path: Path
    integrity: list[str]
    applied: list[str]
    pending: list[str]
    unknown: list[str]
    counts: dict[str, int]
    size: int

    @property
    def sound(self) -> bool:
        return self.integrity == ["ok"]

    @property
    def current(self) -> bool:
        """Sound, and at exactly this Gongkai's schema."""
        return self.sound and not self.pending and not self.unknown

    def summary(self) -> str:
        """Two lines for an operator: integrity and migrations; the rows of each table."""
        integrity = "ok" if self.sound else "FAILED: " + "; ".join(self.integrity[:5])
        if self.unknown:
            schema = f"written by a newer Gongkai (unknown migrations: {', '.join(self.unknown)})"
        elif self.pending:
            schema = (
                f"{len(self.applied)} applied, {len(self.pending)} pending ({', '.join(self.pending)}),"
                " applied when Gongkai starts on it"
            )
        else:
            last = f", last {self.applied[-1]}" if self.applied else ""
            schema = f"at the current version ({len(self.applied)} applied{last})"
        rows = ", ".join(f"{table} {count}" for table, count in self.counts.items())
        return f"integrity {integrity}; migrations {schema}\nrows: {rows}"


def _open(path: Path, *, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection to an existing database file (never creating one)."""
    if not path.is_file():
        raise BackupError(f"no database at {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=timeout, isolation_level=None)
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.Error as e:
        raise BackupError(f"{path} cannot be read as a database: {e}") from None
    return conn


def check(path: Path | str, known: Migrations = migrations) -> Check:
    """Check a database file: its integrity, its migrations against this Gongkai's, its rows.

    :param path: the file (a backup, or the database itself)
    :param known: the migrations this Gongkai applies (the project's by default)
    """
    path = Path(path)
    conn = _open(path)
    try:
        try:
            integrity = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as e:  # damaged past what integrity_check can walk
            integrity = [str(e)]
        db = Database(conn)
        applied = [m.name for m in known.applied(db)]
        names = [m.name for m in known._migrations]  # every migration this Gongkai has, in order
        tables = [
            str(name)
            for (name,) in conn.execute(
                "select name from sqlite_master where type = 'table'"
                " and name not like 'sqlite\\_%' escape '\\' and name not like '\\_litestream%' escape '\\'"
                " order by name"
            )
        ]
        counts = {}
        for table in tables:
            try:
                counts[table] = int(conn.execute(f'select count(*) from "{table}"').fetchone()[0])
            except sqlite3.DatabaseError as e:
                if integrity == ["ok"]:
                    integrity = [f"{table}: {e}"]
    except sqlite3.Error as e:
        raise BackupError(f"{path} cannot be checked: {e}") from None
    finally:
        conn.close()
    return Check(
        path=path,
        integrity=integrity,
        applied=applied,
        pending=[name for name in names if name not in applied],
        unknown=[name for name in applied if name not in names],
        counts=counts,
        size=path.stat().st_size,
    )


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy(source: Path | str, dest: Path | str) -> None:
    """Copy the database ``source`` to the file ``dest`` (replacing it) while others write to it.

    The copy is one self-contained file (rollback journal, no WAL beside it), synced to disk and
    renamed into place only when whole.
    """
    source, dest = Path(source), Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    src = _open(source)
    try:
        out = sqlite3.connect(partial, isolation_level=None)
        try:
            # pages=-1: the whole file in one step, inside one read transaction, so a commit made
            # meanwhile neither tears the copy nor restarts it (step-wise copies restart whenever
            # another connection writes, and a busy service writes all the time).
            src.backup(out, pages=-1)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    except sqlite3.Error as e:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot copy {source} to {dest}: {e}") from None
    finally:
        src.close()
    with partial.open("rb+") as f:
        os.fsync(f.fileno())
    os.replace(partial, dest)
    _fsync_dir(dest.parent)


def backup_name(db: Path, now: dt.datetime | None = None) -> str:
    """The name of a backup of ``db`` taken at ``now``: ``gongkai-20261201T180000.123Z.db``."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return f"{db.stem}-{now.strftime(_STAMP)}.{now.microsecond // 1000:03d}Z.db"


@dataclass(frozen=True)
class Backup:
    """A backup taken: where, its check, how long it took, and the older ones pruned."""

    path: Path
    check: Check
    seconds: float
    pruned: list[Path]


def backup(db: Path | str, dest: Path | str, *, keep: int | None = None, known: Migrations = migrations) -> Backup:
    """Back up the database ``db`` while it is in use, check the copy, and keep the newest ``keep``.

    :param db: the database file
    :param dest: a folder (the backup is named after ``db`` and the time, see ``backup_name``) or a
      file name
    :param keep: with a folder, delete all but the newest ``keep`` backups of ``db`` in it
    :param known: the migrations the copy is checked against
    :raises BackupError: the database cannot be read, or the copy fails its integrity check (then
      no file is left under the backup's name); the backup would replace the database itself, its
      journal, or a file that is no SQLite database
    """
    db, dest = Path(db), Path(dest)
    folder = dest if dest.is_dir() else None
    if keep is not None and folder is None:
        raise BackupError(f"--keep needs a folder to prune, and {dest} is not one")
    target = folder / backup_name(db) if folder is not None else dest
    live = db.resolve()
    if target.resolve() in {live, *(live.with_name(live.name + end) for end in ("-wal", "-shm", "-journal"))}:
        raise BackupError(f"{target} is the database itself (or its journal): back up to another file or a folder")
    if target.is_file() and not is_database(target):
        raise BackupError(f"{target} exists and is no SQLite database: it is not written over")
    started = time.monotonic()
    unchecked = target.with_name(f".{target.name}.unchecked")
    copy(db, unchecked)
    try:
        found = check(unchecked, known)
    except BackupError:
        unchecked.unlink(missing_ok=True)
        raise
    if not found.sound:
        unchecked.unlink(missing_ok=True)
        raise BackupError(f"the copy of {db} failed its integrity check: {'; '.join(found.integrity[:5])}")
    os.replace(unchecked, target)
    seconds = time.monotonic() - started
    found = Check(**{**found.__dict__, "path": target})
    pruned = prune(folder, db, keep) if folder is not None and keep is not None else []
    return Backup(target, found, seconds, pruned)


def is_database(path: Path) -> bool:
    """Whether ``path`` is a file that starts as an SQLite database does (an empty file is none)."""
    if not path.is_file():
        return False
    with path.open("rb") as f:
        return f.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER


def prune(folder: Path, db: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``db`` in ``folder`` (files named as
    ``backup_name`` names them; nothing else is touched). Returns the files deleted."""
    if keep < 1:
        raise BackupError("keep at least one backup")
    pattern = re.compile(re.escape(db.stem) + _BACKUP_NAME)
    backups = sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name) and p.is_file())
    old = backups[:-keep]
    for path in old:
        path.unlink()
    return old


# --- restore ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restore:
    """A restore done: the check of what was restored, and where the database it replaced is."""

    check: Check
    before: Path | None


def before_restore(db: Path) -> Path:
    """Where ``restore`` keeps the database it replaced: ``<db>.before-restore``, or, where an
    earlier restore kept one there, ``<db>.before-restore.2`` and so on (a second restore, of the
    right backup after the wrong one, must not overwrite the only copy of what was filed since)."""
    kept = db.with_name(db.name + ".before-restore")
    number = 1
    while kept.exists():
        number += 1
        kept = db.with_name(f"{db.name}.before-restore.{number}")
    return kept


def _detach(db: Path) -> bool:
    """Fold the WAL of ``db`` into the file and leave WAL mode, so that the file alone is the whole
    database. This needs the database to be open nowhere else, and says so when it is not.

    :returns: False if ``db`` is not a database SQLite can read (often the reason for the
      restore): it is left as it is
    :raises DatabaseInUse: another process has the database open
    """
    try:
        conn = _open(db, timeout=1.0)
    except BackupError:
        return False
    try:
        mode = str(conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0])
    except sqlite3.OperationalError as e:  # "database is locked": another process is writing
        mode = str(e)
    except sqlite3.DatabaseError:  # malformed
        return False
    finally:
        conn.close()
    if mode.lower() != "delete":
        raise DatabaseInUse(
            f"the database {db} is open in another process (Litestream? stop it first:"
            " systemctl stop litestream) and cannot be replaced"
        )
    return True


def restore(source: Path | str, db: Path | str, known: Migrations = migrations) -> Restore:
    """Put the backup ``source`` in the place of the database ``db``, if nothing is using it.

    The backup is checked first (integrity; no migration this Gongkai does not know; older ones
    are fine, they are applied when Gongkai starts), copied beside ``db``, and swapped in with one
    rename; the database it replaces is kept as ``<db>.before-restore``.

    :raises DatabaseInUse: Gongkai (or a gongkai command, or Litestream) has the database open
    :raises BackupError: the backup cannot be read or fails its check
    """
    source, db = Path(source), Path(db)
    if source.resolve() == db.resolve():
        raise BackupError(f"{source} is the database itself")
    with DatabaseLock(db).exclusive():
        found = check(source, known)
        if not found.sound:
            raise BackupError(f"{source} failed its integrity check: {'; '.join(found.integrity[:5])}; nothing changed")
        if not found.applied:  # an empty file, or another program's database: it would replace ours
            raise BackupError(f"{source} is no Gongkai database (it has none of its tables); nothing changed")
        if found.unknown:
            raise BackupError(
                f"{source} was written by a newer Gongkai (unknown migrations: {', '.join(found.unknown)});"
                " upgrade Gongkai first; nothing changed"
            )
        incoming = db.with_name(f".{db.name}.restoring")
        copy(source, incoming)
        before = None
        try:
            if db.exists():
                readable = _detach(db)
                before = before_restore(db)
                if not readable:  # kept as it was found, its WAL beside it
                    wal = db.with_name(db.name + "-wal")
                    if wal.exists():
                        os.replace(wal, before.with_name(before.name + "-wal"))
                # A second name for the old file: at every moment db names a whole database (the old
                # one, then the restored one), never nothing that a starting Gongkai would create anew.
                link = db.with_name(f".{db.name}.before-restore-link")
                link.unlink(missing_ok=True)
                try:
                    os.link(db, link)
                except OSError:  # a file system without hard links: a copy of the bytes instead
                    shutil.copyfile(db, link)
                os.replace(link, before)
            for sidecar in ("-wal", "-shm"):  # left by no one (_detach): a stale one would be replayed
                db.with_name(db.name + sidecar).unlink(missing_ok=True)
            os.replace(incoming, db)
            _fsync_dir(db.parent)
        finally:
            incoming.unlink(missing_ok=True)
    return Restore(Check(**{**found.__dict__, "path": db}), before)
