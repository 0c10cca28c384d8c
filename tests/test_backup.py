"""Backups while the service runs, restores that refuse what they must, and upgrades that can be
undone: ``gongkai backup``, ``gongkai restore``, ``gongkai db status`` end to end through click,
and the store's migrations (a backup first, then all of them or none)."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

import bot.storage
from bot.evaluation import default_settings
from bot.services.complaints import Complaints, Draft
from bot.storage import Enquiry, StorageError, Store
from bot.storage.backup import backup, backup_name, check, restore
from bot.storage.lock import DatabaseInUse, DatabaseLock
from bot.storage.migrations import migrations
from bot.storage.upgrade import MigrationFailed, status

from .conftest import ROOT, cli_runner


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "state" / "gongkai.db"


@pytest.fixture
def run(tmp_path, monkeypatch, db):
    """Invoke the CLI on the database ``db`` and no settings from the machine's environment."""
    return cli_runner(monkeypatch, tmp_path, db)


def complaints_log(store: Store) -> Complaints:
    # With a staff group, so that each complaint owes a notice: filed in the same commit.
    settings = default_settings().model_copy(
        update={"db": store.path, "telegram_token": SecretStr("42:TEST"), "telegram_staff_chat_id": -100}
    )
    return Complaints(store, settings)


def file(log: Complaints, n: int, tag: str = "t") -> str:
    draft = Draft(f"第{n}件：申请超期未答复", name="张三", phone="13812345678")
    return log.file(draft, channel="web", chat_id="s1", user_id="u1", dedupe_key=f"{tag}:{n}").number


def numbers(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {n for (n,) in conn.execute("select number from complaints")}
    finally:
        conn.close()


def incomplete(path: Path) -> list[str]:
    """Complaints without their created event or the notice owed to staff (both written with it)."""
    conn = sqlite3.connect(path)
    try:
        return [
            n
            for (n,) in conn.execute(
                """select number from complaints c
                where (select count(*) from complaint_events e where e.complaint_id = c.id and e.kind = 'created') != 1
                   or (select count(*) from outbox o where o.complaint_id = c.id) != 1"""
            )
        ]
    finally:
        conn.close()


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def backed_up_to(output: str) -> Path:
    return Path(re.search(r" to (.+?) \(", output).group(1))


class Filing:
    """A thread filing complaints and recording questions on a store, as citizens keep doing,
    noting each complaint's number once ``file`` returned it."""

    def __init__(self, store: Store) -> None:
        self.log = complaints_log(store)
        self.store = store
        self.shown: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def _run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            self.store.record_enquiry(Enquiry("web", None, f"问题{n}", "fallback", None, None, 1.0))
            self.shown.append(file(self.log, n, "filing"))

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 60
        while len(self.shown) < count:
            assert time.monotonic() < deadline and self.thread.is_alive()
            time.sleep(0.01)

    def close(self) -> list[str]:
        self.stop.set()
        self.thread.join()
        return self.shown


# --- backup and restore, end to end ---------------------------------------------------------------


def test_backups_while_complaints_keep_arriving_hold_every_one_shown_and_restore(run, db, tmp_path):
    folder = tmp_path / "backups"
    store = Store(db)
    filing = Filing(store)
    try:
        filing.wait_for(20)
        taken = []
        for _ in range(3):
            shown_before = list(filing.shown)
            result = run("backup", str(folder), "--keep", "2")
            assert result.exit_code == 0, result.output
            assert "integrity ok" in result.output and "at the current version" in result.output
            assert re.search(r"rows: .*complaints \d+", result.output)
            path = backed_up_to(result.output)
            taken.append(path)
            # The copy is the database at one commit: everything shown before it began, each whole.
            assert set(shown_before) <= numbers(path)
            assert incomplete(path) == []
            assert check(path).current
        shown_while_backing_up = len(filing.shown)

        # Gongkai is running: the restore refuses and changes nothing.
        before = numbers(db)
        result = run("restore", str(taken[-1]))
        assert result.exit_code == 1
        assert "in use" in result.output and "stop Gongkai first" in result.output
        assert numbers(db) >= before and not (db.parent / "gongkai.db.before-restore").exists()
    finally:
        shown = filing.close()
        store.close()
    assert shown_while_backing_up < len(shown) or len(shown) > 20  # filing went on throughout
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in taken[-2:])  # --keep 2

    result = run("restore", str(taken[-1]))
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output and "before-restore" in result.output
    kept = db.parent / "gongkai.db.before-restore"
    assert set(shown) <= numbers(kept), "the database replaced is kept whole"
    assert numbers(db) == numbers(taken[-1])
    # Gongkai starts on the restored file, and filing goes on from it.
    store = Store(db)
    try:
        assert store.upgrade_backup is None
        log = complaints_log(store)
        assert file(log, 1, "after") not in numbers(taken[-1])
    finally:
        store.close()
    assert not [p for p in db.parent.iterdir() if p.name.startswith(".")], "no temporary file left"


def test_restore_is_refused_while_a_gongkai_process_has_the_database_open(db, tmp_path):
    Store(db).close()
    good = backup(db, tmp_path / "b.db").path
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import time; from bot.storage import Store; s = Store({str(db)!r}); print('ready', flush=True);"
            " time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseInUse, match=rf"in use by process {holder.pid}\b"):
            restore(good, db)
    finally:
        holder.kill()
        holder.wait()
    assert restore(good, db).before == db.with_name("gongkai.db.before-restore")  # once it has stopped


def test_restore_is_refused_while_another_program_has_the_file_open(db, tmp_path):
    # Litestream, or an sqlite3 shell: not a Gongkai store, so no lock of ours, but SQLite knows.
    store = Store(db)
    file(complaints_log(store), 1)
    store.close()
    good = backup(db, tmp_path / "b.db").path
    store = Store(db)
    file(complaints_log(store), 2)
    store.close()
    before = dump(db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sqlite3, time; c = sqlite3.connect({str(db)!r}); c.execute('select * from meta').fetchall();"
            " print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseInUse, match="open in another process"):
            restore(good, db)
    finally:
        holder.kill()
        holder.wait()
    assert dump(db) == before
    assert not db.with_name("gongkai.db.before-restore").exists()


def corrupt(path: Path) -> None:
    """Overwrite the cell pointers of one table's root page, as a failing disk might: the file
    still opens, and PRAGMA integrity_check finds the damage."""
    conn = sqlite3.connect(path)
    conn.execute("pragma journal_mode=delete")  # the file alone holds everything
    root = conn.execute("select rootpage from sqlite_master where name = 'complaint_events'").fetchone()[0]
    size = conn.execute("pragma page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * size + 12)
        f.write(b"\xde\xad\xbe\xef" * 200)


def test_restore_refuses_a_backup_that_fails_its_check_and_changes_nothing(run, db, tmp_path):
    store = Store(db)
    log = complaints_log(store)
    for n in range(200):
        file(log, n)
    store.close()
    bad = backup(db, tmp_path / "bad.db").path
    corrupt(bad)
    before = dump(db)
    result = run("restore", str(bad))
    assert result.exit_code == 1
    assert "failed its integrity check: database disk image is malformed; nothing changed" in result.output
    assert "Traceback" not in result.output
    assert dump(db) == before and not db.with_name("gongkai.db.before-restore").exists()

    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("這不是資料庫\n" * 200, encoding="utf-8")
    result = run("restore", str(not_a_database))
    assert result.exit_code == 1 and "cannot be read as a database: file is not a database" in result.output
    assert dump(db) == before


def test_restore_refuses_an_empty_file_and_never_overwrites_a_database_it_kept(run, db, tmp_path):
    store = Store(db)
    log = complaints_log(store)
    for n in range(3):
        file(log, n)
    store.close()
    good = backup(db, tmp_path / "good.db").path
    before = dump(db)
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")  # passed its check, and replaced the database with nothing
    result = run("restore", str(empty))
    assert result.exit_code == 1 and "is no Gongkai database" in result.output and dump(db) == before
    # Two restores in a row: the first one's copy of the database it replaced is kept.
    first, second = restore(good, db), restore(good, db)
    assert first.before == db.with_name("gongkai.db.before-restore")
    assert second.before == db.with_name("gongkai.db.before-restore.2")
    assert dump(first.before) == before


def test_restore_refuses_a_backup_from_a_newer_gongkai(db, tmp_path):
    Store(db).close()
    newer = backup(db, tmp_path / "newer.db").path
    conn = sqlite3.connect(newer)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) values ('gongkai', 'm999_x', '')")
    conn.commit()
    conn.close()
    assert check(newer).unknown == ["m999_x"]
    with pytest.raises(StorageError, match="newer Gongkai.*m999_x"):
        restore(newer, db)


def older_database(path: Path, upto: int, complaints: int = 0) -> None:
    """A database as an older Gongkai left it: only the first ``upto`` migrations applied."""
    older = Migrations("gongkai")
    older._migrations = list(migrations._migrations[:upto])
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    older.apply(db)
    for n in range(complaints):
        db["enquiries"].insert({"at": "2026-01-01T00:00:00", "channel": "web", "outcome": "answer", "text": f"q{n}"})
    db.conn.close()


def test_a_backup_from_an_older_gongkai_is_restored_and_upgraded_when_gongkai_starts(run, db, tmp_path, caplog):
    old = tmp_path / "old.db"
    older_database(old, 3, complaints=5)
    result = run("restore", str(old))
    assert result.exit_code == 0, result.output
    assert "3 applied" in result.output and "pending" in result.output and "m004_staff" in result.output

    status_before = run("db", "status")
    assert status_before.exit_code == 0
    assert re.search(r"applied\s+m003_complaints", status_before.output)
    assert re.search(r"pending\s+m004_staff", status_before.output)

    with caplog.at_level(logging.WARNING, logger="gongkai.storage"):
        store = Store(db)
    try:
        saved = db.with_name("gongkai.db.before-m004_staff")
        assert store.upgrade_backup == saved
        assert str(saved) in caplog.text and "m004_staff" in caplog.text
        assert status(store.reader).pending == []
    finally:
        store.close()
    # The backup is the database as it was before the upgrade.
    found = check(saved)
    assert found.applied == [m.name for m in migrations._migrations[:3]] and found.counts["enquiries"] == 5
    assert "pending" not in run("db", "status").output.split("\n", 1)[1]


def test_restore_replaces_a_database_that_is_no_longer_readable(db, tmp_path):
    Store(db).close()
    good = backup(db, tmp_path / "good.db").path
    corrupt_bytes = b"SQLite format 3\x00" + os.urandom(8192)
    db.write_bytes(corrupt_bytes)
    done = restore(good, db)
    assert done.before.read_bytes() == corrupt_bytes
    assert check(db).current


def test_restore_into_a_new_place_needs_no_database_there(tmp_path, db):
    Store(db).close()
    good = backup(db, tmp_path / "good.db").path
    elsewhere = tmp_path / "new-server" / "gongkai.db"
    done = restore(good, elsewhere)
    assert done.before is None and check(elsewhere).current


# --- backup's details -----------------------------------------------------------------------------


def test_keep_prunes_only_this_databases_backups_oldest_first(run, db, tmp_path):
    Store(db).close()
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [folder / f"gongkai-2025010{day}T021500.000Z.db" for day in (1, 2, 3)]
    for path in old:
        path.write_bytes(b"old")
    others = [folder / "notes.txt", folder / "other-20250101T021500.000Z.db", folder / "gongkai-manual.db"]
    for path in others:
        path.write_bytes(b"not ours to delete")
    result = run("backup", str(folder), "--keep", "2")
    assert result.exit_code == 0, result.output
    assert "Deleted 2 older backup(s)" in result.output
    new = backed_up_to(result.output)
    assert sorted(folder.iterdir()) == sorted([new, old[2], *others])


def test_keep_needs_a_folder_and_a_missing_database_is_an_error(run, db, tmp_path):
    result = run("backup", str(tmp_path / "b.db"))
    assert result.exit_code == 1 and "no database at" in result.output
    Store(db).close()
    (tmp_path / "b.db").write_bytes(b"")
    result = run("backup", str(tmp_path / "b.db"), "--keep", "3")
    assert result.exit_code == 1 and "needs a folder" in result.output


def test_backup_to_a_file_name_and_backup_names_sort_by_time(run, db, tmp_path):
    Store(db).close()
    result = run("backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 0 and check(tmp_path / "copy.db").current
    # One file, nothing beside it: a backup can be copied anywhere as it is.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.db"]
    import datetime as dt

    early = dt.datetime(2026, 1, 2, 3, 4, 5, 6000, tzinfo=dt.UTC)
    later = early + dt.timedelta(milliseconds=1)
    assert backup_name(db, early) == "gongkai-20260102T030405.006Z.db" < backup_name(db, later)


def test_a_backup_never_replaces_the_database_its_journal_or_a_file_that_is_no_database(run, db, tmp_path):
    # A backup named as the live database would be renamed over it, under the running service's
    # open files: what it writes next goes to a deleted file, and is gone at the next start.
    store = Store(db)
    try:
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            result = run("backup", str(path))
            assert result.exit_code == 1 and "is the database itself" in result.output
        assert db.with_name(db.name + "-wal").exists()  # the service's journal is where it was
        notes = tmp_path / "notes.txt"
        notes.write_text("not a database", encoding="utf-8")
        result = run("backup", str(notes))
        assert result.exit_code == 1 and "no SQLite database" in result.output
        assert notes.read_text(encoding="utf-8") == "not a database"
        # An earlier backup is a database: written over, as asked.
        assert run("backup", str(tmp_path / "copy.db")).exit_code == 0
        assert run("backup", str(tmp_path / "copy.db")).exit_code == 0
    finally:
        store.close()


def test_a_source_that_fails_integrity_leaves_no_backup(db, tmp_path):
    store = Store(db)
    log = complaints_log(store)
    for n in range(300):
        file(log, n)
    store.close()
    corrupt(db)
    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(StorageError, match="the copy of .* failed its integrity check"):
        backup(db, folder)
    assert list(folder.iterdir()) == []


# --- the lock -------------------------------------------------------------------------------------


def test_every_open_store_holds_the_lock_shared_and_a_restore_holds_it_alone(db):
    first, second = Store(db), Store(db)  # two processes' worth of stores side by side
    with pytest.raises(DatabaseInUse):
        DatabaseLock(db).exclusive()
    first.close()
    with pytest.raises(DatabaseInUse):
        DatabaseLock(db).exclusive()
    second.close()
    with DatabaseLock(db).exclusive(), pytest.raises(DatabaseInUse, match="a restore is replacing it"):
        Store(db)
    Store(db).close()  # released: opens again


# --- upgrades -------------------------------------------------------------------------------------


def test_a_new_database_and_one_already_current_get_no_backup(db):
    store = Store(db)
    assert store.upgrade_backup is None
    store.close()
    store = Store(db)
    assert store.upgrade_backup is None
    store.close()
    assert [p.name for p in db.parent.iterdir() if ".before-" in p.name] == []


def broken_migrations() -> Migrations:
    """This Gongkai's migrations and two more: one that works, then one that fails half-way."""
    broken = Migrations("gongkai")
    broken._migrations = list(migrations._migrations)

    @broken()
    def m900_works(db: Database) -> None:
        db["extra"].insert({"id": 1, "note": "a new table"}, pk="id")

    @broken()
    def m901_fails_half_way(db: Database) -> None:
        db["complaints"].add_column("urgency", int)
        db.execute("update complaints set text = 'overwritten'")
        raise ValueError("a bug in the migration")

    return broken


def test_a_failing_migration_leaves_the_database_as_it_was(db, monkeypatch, run):
    store = Store(db)
    log = complaints_log(store)
    shown = {file(log, n) for n in range(5)}
    store.close()
    before = dump(db)

    monkeypatch.setattr(bot.storage, "migrations", broken_migrations())
    with pytest.raises(MigrationFailed, match=r"m901_fails_half_way failed: ValueError: a bug.*as it was"):
        Store(db)
    assert dump(db) == before, "the migration that worked was rolled back with the one that failed"
    assert status(Database(sqlite3.connect(db)), broken_migrations()).pending == ["m900_works", "m901_fails_half_way"]
    saved = db.with_name("gongkai.db.before-m900_works")
    assert dump(saved) == before
    # Starting Gongkai says so in one line, and lets go of the database.
    result = run("complaints", "list")
    assert result.exit_code == 1 and "m901_fails_half_way failed" in result.output
    assert "Traceback" not in result.output
    DatabaseLock(db).exclusive().release()

    monkeypatch.setattr(bot.storage, "migrations", migrations)
    store = Store(db)
    try:
        assert numbers(db) == shown and store.upgrade_backup is None
    finally:
        store.close()


def test_db_status_lists_applied_and_pending(run, db):
    result = run("db", "status")
    assert result.exit_code == 1 and "no database" in result.output
    older_database(db, 5)
    result = run("db", "status", "--json")
    assert result.exit_code == 0
    import json

    data = json.loads(result.output)
    names = [m.name for m in migrations._migrations]
    assert [m["name"] for m in data["applied"]] == names[:5]
    assert data["pending"] == names[5:] and data["unknown"] == []
    Store(db).close()
    result = run("db", "status")
    assert f"{len(names)} migration(s) applied, 0 pending" in result.output
    assert all(re.search(rf"applied\s+{name}\s+\d{{4}}-", result.output) for name in names)


def test_gongkai_never_checkpoints_the_wal_itself():
    # Litestream owns the WAL's checkpoints: a truncating or restarting checkpoint from the
    # application can run while Litestream is between reads, and its replica loses frames.
    # (restore leaves WAL mode only once SQLite has said that no other connection is open.)
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"wal_checkpoint|wal_autocheckpoint\s*=\s*0", line, re.I)
    ]
    assert offenders == []


def test_restore_keeps_the_old_database_on_a_file_system_without_hard_links(db, tmp_path, monkeypatch):
    store = Store(db)
    shown = {file(complaints_log(store), n) for n in range(3)}
    store.close()
    Store(tmp_path / "empty.db").close()

    def no_links(*args: object) -> None:
        raise OSError("Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    done = restore(tmp_path / "empty.db", db)
    assert numbers(done.before) == shown and numbers(db) == set()
