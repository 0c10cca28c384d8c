"""Applying migrations safely: a backup first, then all of them or none.

``Store`` calls ``upgrade`` when it opens the database. When migrations are pending on a database
that already holds data, the database as it was is first copied beside it (``<db>.before-<the
first pending migration>``, with SQLite's online backup) and the copy's name is logged; the
pending migrations then run in one transaction, so a migration that fails leaves the database
exactly as it was (sqlite-utils runs each migration in its own transaction: migrations before
the failing one would stay applied) and start-up stops with the migration's name and error.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from . import StorageError
from .backup import copy
from .migrations import migrations

log = logging.getLogger("gongkai.storage")


class MigrationFailed(StorageError):
    """A migration raised: none of the pending migrations was applied."""


@dataclass(frozen=True)
class Status:
    """Which migrations a database has: applied (name, when), pending, and unknown to this Gongkai."""

    applied: list[tuple[str, str]]
    pending: list[str]
    unknown: list[str]


def status(db: Database, known: Migrations = migrations) -> Status:
    """The migrations applied to ``db`` and those pending, without writing anything."""
    names = [m.name for m in known._migrations]
    applied = [(m.name, m.applied_at) for m in known.applied(db)]
    done = {name for name, _ in applied}
    return Status(
        applied=applied,
        pending=[name for name in names if name not in done],
        unknown=[name for name, _ in applied if name not in names],
    )


def pre_upgrade_backup(path: Path, first_pending: str) -> Path:
    """Where the database is copied before migrations starting with ``first_pending`` run."""
    return path.with_name(f"{path.name}.before-{first_pending}")


def upgrade(db: Database, path: Path | None, known: Migrations = migrations) -> Path | None:
    """Apply the pending migrations of ``known`` to ``db``, all or none, after a backup.

    :param db: the open database
    :param path: its file (None for an in-memory database: no backup)
    :param known: the migrations (the project's by default)
    :returns: the backup taken, or None when nothing was pending or the database was new
    :raises MigrationFailed: a migration raised; the database is as it was
    """
    pending = known.pending(db)
    if not pending:
        return None
    saved = None
    if path is not None and known.applied(db):  # a new, empty database has nothing to lose
        saved = pre_upgrade_backup(path, pending[0].name)
        copy(path, saved)
        log.warning(
            "applying %d migration(s) (%s); the database as it was is backed up at %s",
            len(pending),
            ", ".join(m.name for m in pending),
            saved,
        )
    if not all(m.transactional for m in pending):
        # A migration that cannot run in a transaction (VACUUM) cannot be rolled back with the
        # others: sqlite-utils applies them one by one, and the backup is the way back.
        known.apply(db)
        return saved
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    current = None
    try:
        known.ensure_migrations_table(db)
        for migration in pending:
            current = migration.name
            # db.atomic() inside a transaction is a savepoint: nothing is committed until all ran.
            with db.atomic():
                migration.fn(db)
                db.table(known.migrations_table).insert(
                    {
                        "migration_set": known.name,
                        "name": migration.name,
                        "applied_at": str(dt.datetime.now(dt.UTC)),
                    }
                )
        conn.execute("COMMIT")
    except Exception as e:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        where = f"; a backup from before the upgrade is at {saved}" if saved else ""
        raise MigrationFailed(
            f"migration {current} failed: {type(e).__name__}: {e}. No migration was applied: the database is"
            f" as it was{where}"
        ) from e
    return saved
