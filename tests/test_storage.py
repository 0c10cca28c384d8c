"""The store: migrations, the writer thread, pseudonyms."""

from __future__ import annotations

import sqlite3

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
        "m008_report",
        "m009_teachings",
        "m010_staff_roles",
    ]


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
    import asyncio

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
            "number": "20261127-001-5",
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
    assert kept.complaint is not None and kept.complaint.number == "20261127-001-5" and kept.kind == "created"
    (plain,) = outbox.owed("wechat")
    assert plain.complaint is None and plain.text == "您好"
    asyncio.run(outbox.sent(plain))
    assert outbox.owed("wechat") == []
    store.close()
