"""The operator's commands: ``gongkai backup``, ``gongkai restore``, ``gongkai db status``.

Registered on the ``gongkai`` group by ``bot/cli.py``. None of them opens the store (which would
apply migrations): they read the database file with plain connections, and none imports aiogram.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .terminal import echo


def _db() -> Path:
    from .cli import _settings

    return Path(_settings().db)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--keep",
    type=click.IntRange(1, None),
    help="With PATH a folder: keep only the newest N backups in it (older ones are deleted).",
)
def backup(path: Path, keep: int | None) -> None:
    """Back up the database (GONGKAI_DB) to PATH while Gongkai runs, then check the copy.

    PATH is a folder (the backup is named gongkai-<UTC time>.db in it) or a file name. The copy
    is SQLite's online backup, consistent at one moment; it is checked (integrity, migrations at
    this Gongkai's version, rows of each table) before it takes its name. Exits 1 if it fails.

    Examples:

      gongkai backup /srv/backup/gongkai --keep 14

      gongkai backup /tmp/before-the-move.db
    """
    from .storage import backup as backups

    db = _db()
    if keep is not None and not path.exists():
        path.mkdir(parents=True)
    try:
        done = backups.backup(db, path, keep=keep)
    except backups.BackupError as e:
        raise click.ClickException(str(e)) from None
    echo(f"Backed up {db} to {done.path} ({_mb(done.check.size)} in {done.seconds:.2f} s).")
    echo(f"Checked: {done.check.summary()}")
    if done.pruned:
        names = ", ".join(p.name for p in done.pruned)
        echo(f"Deleted {len(done.pruned)} older backup(s), keeping {keep}: {names}")


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(path: Path) -> None:
    """Replace the database (GONGKAI_DB) with the backup at PATH, keeping the old one.

    Refuses while Gongkai, a gongkai command or Litestream has the database open (stop them
    first), and refuses a backup that fails its integrity check or comes from a newer Gongkai.
    The swap is one rename; the database replaced is kept as <GONGKAI_DB>.before-restore (.2, .3 …
    when an earlier restore kept one). An empty file or another program's database is refused.
    A backup from an older Gongkai is upgraded when Gongkai starts on it.

    Example: gongkai restore /srv/backup/gongkai/gongkai-20261201T021500.000Z.db
    """
    from .storage import StorageError
    from .storage.backup import restore as put_back

    db = _db()
    try:
        done = put_back(path, db)
    except StorageError as e:
        raise click.ClickException(str(e)) from None
    echo(f"Checked {path}: {done.check.summary()}")
    kept = f"; the database it replaced is {done.before}" if done.before else ""
    echo(f"Restored it as {db}{kept}.")
    if db.with_name(f".{db.name}-litestream").exists():  # Litestream's own state beside the database
        echo(
            "Litestream replicates this database: reset its state before starting it again,"
            f" so that it replicates the restored one afresh: litestream reset -config /etc/gongkai/litestream.yml {db}"
        )


@click.group()
def db() -> None:
    """The database itself: its schema's migrations."""


@db.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def db_status(as_json: bool) -> None:
    """List the migrations applied to the database (GONGKAI_DB), with when, and those pending,
    which Gongkai applies when it next starts (after backing the database up beside it).
    Exits 1 if a migration is applied that this Gongkai does not know (a newer one wrote it).

    Example: gongkai db status
    """
    import sqlite3

    from sqlite_utils import Database

    from .storage.upgrade import status

    path = _db()
    if not path.is_file():
        raise click.ClickException(f"no database at {path} (Gongkai creates it when it first starts)")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = status(Database(conn))
    except sqlite3.Error as e:
        raise click.ClickException(f"{path} cannot be read: {e}") from None
    finally:
        conn.close()
    data: dict[str, Any] = {
        "db": str(path),
        "applied": [{"name": name, "at": at} for name, at in found.applied],
        "pending": found.pending,
        "unknown": found.unknown,
    }
    if as_json:
        echo(json.dumps(data, ensure_ascii=False))
    else:
        echo(f"{path}: {len(found.applied)} migration(s) applied, {len(found.pending)} pending")
        for name, at in found.applied:
            mark = "unknown " if name in found.unknown else "applied "
            echo(f"  {mark} {name}  {at[:19]}")
        for name in found.pending:
            echo(f"  pending  {name}")
    if found.unknown:
        raise click.ClickException(
            f"{len(found.unknown)} migration(s) in the database are unknown to this Gongkai: a newer version wrote it"
        )


COMMANDS = [backup, restore, db]
