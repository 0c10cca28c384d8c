"""Nothing a citizen was told is saved is lost: kill -9 a process while it files complaints, again
and again, then check that the database holds every complaint whose number was shown, each whole."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from .conftest import ROOT

# Files complaints one after another on the given database, printing each number only once
# ``file`` has returned (the number a citizen would be shown), as fast as it can.
FILER = """
import sys
from pydantic import SecretStr
from bot.evaluation import default_settings
from bot.services.complaints import Complaints, Draft
from bot.storage import Store

settings = default_settings().model_copy(
    update={"db": sys.argv[1], "telegram_token": SecretStr("42:TEST"), "telegram_staff_chat_id": -100}
)
store = Store.from_settings(settings)
log = Complaints(store, settings)
print("ready", flush=True)
n = 0
while True:
    n += 1
    c = log.file(
        Draft(f"第{n}件：申请超期未答复", name="张三", phone="13812345678"),
        channel="telegram", chat_id=555, user_id=555, dedupe_key=f"{sys.argv[2]}:{n}",
    )
    print(c.number, flush=True)
"""


def test_killed_at_random_points_leaves_whole_complaints_and_every_shown_number(tmp_path):
    db = tmp_path / "kill.db"
    rng = random.Random(20261127)
    shown: list[str] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for run in range(8):
        process = subprocess.Popen(
            [sys.executable, "-c", FILER, str(db), f"run{run}"],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.4))  # filing meanwhile, a transaction in flight at any moment
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate()
        shown += [line for line in out.split() if line]
    print(f"{len(shown)} numbers shown across 8 kills")
    assert len(shown) > 50, "the filer should have filed many complaints between kills"

    conn = sqlite3.connect(db)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    numbers = {n for (n,) in conn.execute("select number from complaints")}
    assert set(shown) <= numbers, "a number shown to a citizen is missing"
    assert len(shown) == len(set(shown)), "a number was given twice"
    # Each complaint whole: its created event and the message owed to staff, in the same commit.
    incomplete = conn.execute(
        """select number from complaints c
        where (select count(*) from complaint_events e where e.complaint_id = c.id and e.kind = 'created') != 1
           or (select count(*) from outbox o where o.complaint_id = c.id) != 1"""
    ).fetchall()
    assert incomplete == []
    orphans = "select count(*) from complaint_events where complaint_id not in (select id from complaints)"
    assert conn.execute(orphans).fetchone() == (0,)
    # Sequences count up with no gap and no reuse within a day, across the kills.
    for day, count, top in conn.execute("select day, count(*), max(seq) from complaints group by day"):
        assert count == top, f"{day}: sequence has gaps or repeats"
