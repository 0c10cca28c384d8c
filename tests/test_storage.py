"""The store: migrations, the writer thread, pseudonyms."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time

import pytest

from bot.storage import Enquiry, StorageError, Store, connect
from bot.storage.migrations import migrations

ENQUIRY = Enquiry("console", "abc", "收费", "answer", "fee-free", 0.9, 1.5)


def test_creates_folder_and_applies_migrations(db_path):
    store = Store(db_path)
    store.close()
    db = connect(db_path)
    assert {"enquiries", "meta", "_sqlite_migrations"} <= set(db.table_names())
    assert [m.name for m in migrations.applied(db)] == [
        "m001_enquiries",
        "m002_meta",
        "m003_complaints",
        "m004_staff",
        "m005_outbox_for_every_notice",
        "m006_chat_sessions",
        "m007_applications",
        "m008_report",
        "m009_teachings",
        "m010_staff_roles",
        "m011_retention",
        "m012_enquiry_typed",
        "m013_chat_application",
        "m014_enquiry_missed",
    ]


def test_an_enquiry_keeps_what_was_typed_beside_the_normalised_text(store):
    store.record_enquiry(Enquiry("web", "abc", "明天天气怎么", "fallback", None, 0.1, 1.0, typed="明天天气怎么样？"))
    store.record_enquiry(ENQUIRY)  # typed not given: kept empty
    rows = store.enquiries()
    assert [(r["text"], r["typed"]) for r in rows] == [("收费", ""), ("明天天气怎么", "明天天气怎么样？")]


def test_low_confidence_answers_carry_a_typed_wording(store):
    store.record_enquiry(Enquiry("web", "a", "收费怎么", "answer", "fee-free", 0.3, 1.0, typed="收费怎么样"))
    [row] = store.low_confidence(below=0.5)
    assert (row["text"], row["typed"], row["times"]) == ("收费怎么", "收费怎么样", 1)


def test_migrations_applied_twice_is_a_no_op(db_path):
    Store(db_path).close()
    db = connect(db_path)
    before = db.execute("select count(*) from _sqlite_migrations").fetchone()
    migrations.apply(db)
    assert db.execute("select count(*) from _sqlite_migrations").fetchone() == before
    assert migrations.pending(db) == []


def test_enquiry_is_committed_when_recorded(store, db_path):
    store.record_enquiry(ENQUIRY)
    # Another connection sees it at once: the write was committed before record_enquiry returned.
    other = sqlite3.connect(db_path)
    assert other.execute("select text, outcome from enquiries").fetchall() == [("收费", "answer")]


def test_failed_write_rolls_back_and_writer_goes_on(store):
    def broken(db):
        db["enquiries"].insert({"at": "x", "channel": "c", "outcome": "answer"})
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.write(broken)
    store.record_enquiry(ENQUIRY)
    assert [r["at"] for r in store.enquiries()] != ["x"] and len(store.enquiries()) == 1


def test_generated_pseudonym_key_survives_restart(db_path):
    first = Store(db_path)
    ref = first.user_ref("telegram", 42)
    first.close()
    second = Store(db_path)
    assert second.user_ref("telegram", 42) == ref
    second.close()
    assert Store(db_path, user_hash_key="another").user_ref("telegram", 42) != ref


def test_no_user_no_pseudonym(store):
    assert store.user_ref("console", None) is None


def test_unopenable_database(tmp_path):
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StorageError):
        Store(tmp_path / "dir.db")


def test_concurrent_writes_commit_together_and_fail_alone(store):
    def broken(db):
        db.execute("insert into enquiries (at, channel, outcome) values ('x', 'c', 'answer')")
        raise ValueError("this one only")

    async def main():
        good = [store.arecord_enquiry(ENQUIRY) for _ in range(50)]
        return await asyncio.gather(*good, store.awrite(broken), return_exceptions=True)

    results = asyncio.run(main())
    assert sum(isinstance(r, int) for r in results) == 50
    assert isinstance(results[-1], ValueError)
    assert len(store.enquiries(limit=1000)) == 50  # the failed job's row was rolled back alone


def test_enquiry_days_are_the_bureaus_days_not_utcs(store):
    import datetime as dt
    import zoneinfo

    def write(db):
        for at, outcome in (("2026-11-27T15:59:00.000+00:00", "answer"), ("2026-11-27T16:01:00.000+00:00", "fallback")):
            db.execute("insert into enquiries (at, channel, text, outcome) values (?, 'web', 'q', ?)", [at, outcome])

    store.write(write)
    beijing = zoneinfo.ZoneInfo("Asia/Shanghai")
    days = store.enquiry_days(dt.datetime(2026, 11, 27, tzinfo=beijing))
    # 15:59 UTC is 23:59 on the 27th in Beijing; 16:01 UTC is already the 28th.
    assert [(d["day"], d["answer"], d["fallback"]) for d in days] == [("2026-11-27", 1, 0), ("2026-11-28", 0, 1)]


def test_the_outbox_migration_keeps_what_was_owed_and_owes_notices_without_a_complaint(db_path):
    import asyncio
    import datetime as dt

    from bot.services.outbox import Outbox

    db = connect(db_path)
    migrations.apply(db, stop_before="m005_outbox_for_every_notice")
    db["complaints"].insert(
        {
            "id": 1,
            "number": "20261127-001-6",
            "day": "2026-11-27",
            "seq": 1,
            "kind": "投诉",
            "topic": "other",
            "text": "内容",
            "channel": "telegram",
            "status": "new",
            "created_at": "2026-11-27T15:00:00+08:00",
            "due_on": "2026-12-18",
        }
    )
    db["outbox"].insert(
        {
            "complaint_id": 1,
            "channel": "telegram",
            "recipient": "staff",
            "kind": "created",
            "status": "pending",
            "attempts": 0,
            "next_at": "2026-11-27T15:00:00+08:00",
        }
    )
    db.conn.close()

    store = Store(db_path)
    outbox = Outbox(store, lambda: dt.datetime(2026, 11, 28, tzinfo=dt.UTC))
    store.write(lambda db: outbox.owe(db, "wechat", "openid-1", "notice", "2026-11-27T16:00:00+08:00", text="您好"))
    (kept,) = outbox.owed("telegram")
    assert kept.complaint is not None and kept.complaint.number == "20261127-001-6" and kept.kind == "created"
    (plain,) = outbox.owed("wechat")
    assert plain.complaint is None and plain.text == "您好"
    asyncio.run(outbox.sent(plain))
    assert outbox.owed("wechat") == []
    store.close()


def hold_the_database(db_path, seconds: float) -> threading.Thread:
    """Another process's writer (a backup, ``sqlite3`` by hand): BEGIN IMMEDIATE held ``seconds``."""
    other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")

    def release() -> None:
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def test_an_enquiry_waits_no_longer_than_asked_while_another_writer_holds_the_database(store, db_path):
    store.db.conn.execute("PRAGMA busy_timeout=300")  # each try gives up sooner than 5 s: a quick test
    holder = hold_the_database(db_path, 1.5)

    async def main():
        started = time.monotonic()
        ids = await asyncio.gather(*(store.arecord_enquiry(ENQUIRY, wait=0.2) for _ in range(3)))
        return ids, time.monotonic() - started

    ids, took = asyncio.run(main())
    assert ids == [None, None, None] and took < 1.0
    assert store.enquiries() == []
    holder.join()
    deadline = time.monotonic() + 5
    while len(store.enquiries()) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(store.enquiries()) == 3  # written once the database freed up
    assert store.backlog == 0 and store.lost["enquiry"] == 0


def test_an_enquiry_never_written_is_logged_as_lost_with_its_count(db_path, caplog):
    store = Store(db_path)
    store.db.conn.execute("PRAGMA busy_timeout=100")
    holder = hold_the_database(db_path, 2.0)

    async def main():
        return await asyncio.gather(*(store.arecord_enquiry(ENQUIRY, wait=0.1) for _ in range(4)))

    assert asyncio.run(main()) == [None] * 4
    with caplog.at_level(logging.ERROR, logger="bot.storage"):
        store.close()  # the database is still held: the writer's last try fails too
    holder.join()
    assert store.lost["enquiry"] == 4
    assert any("4 enquiry record(s) lost" in r.getMessage() for r in caplog.records)


def test_an_ordinary_write_still_fails_at_once_when_the_database_is_held(store, db_path):
    store.db.conn.execute("PRAGMA busy_timeout=100")
    holder = hold_the_database(db_path, 0.5)
    with pytest.raises(sqlite3.OperationalError):
        store.write(lambda db: db.execute("insert into meta (key, value) values ('k', 'v')"))
    holder.join()
    assert store.backlog == 0
