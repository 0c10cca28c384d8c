"""A web chat session's turns and draft, once saved, survive kill -9: kill a process while it
saves, again and again, then check that every turn it was told was committed is in the database."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from .conftest import ROOT

# Adds a turn to one session after another and saves it, printing the session's token and the
# turn's text only once ``save`` has said it was committed (what the citizen's reply waits for).
SAVER = """
import asyncio, sys
from bot.evaluation import default_settings
from bot.services.chats import ChatSessions, Turn
from bot.storage import Store

settings = default_settings().model_copy(update={"db": sys.argv[1], "record_wait_seconds": 3.0})
chats = ChatSessions(Store.from_settings(settings), settings)

async def main():
    print("ready", flush=True)
    n = 0
    token = None
    while True:
        n += 1
        session = chats.open(token)
        session.add(Turn("me", f"{sys.argv[2]}-{n}"))
        session.draft = {"kind": "投诉", "text": f"{sys.argv[2]}-{n}"}
        if await chats.save(session):
            print(session.token, f"{sys.argv[2]}-{n}", flush=True)
        token = session.token if n % 5 else None

asyncio.run(main())
"""


def test_saved_turns_survive_kill_9(tmp_path):
    db = tmp_path / "kill.db"
    rng = random.Random(20261201)
    told: list[str] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for run in range(5):
        process = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(db), f"run{run}"], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.1, 0.4))
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate()
        told += [line.split()[1] for line in out.splitlines() if len(line.split()) == 2]
    assert len(told) > 20, "the saver should have saved many turns between kills"
    conn = sqlite3.connect(db)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    kept = {turn for (turn,) in conn.execute("select json_extract(turn, '$.text') from chat_turns")}
    assert set(told) <= kept, "a turn that was saved is missing"
