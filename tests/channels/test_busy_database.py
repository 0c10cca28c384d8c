"""Answers never wait on the enquiry log (issue 12, item 7): while another process holds the
database for longer than the busy timeout (a backup, ``sqlite3`` by hand with BEGIN IMMEDIATE), the
web chat, WeChat and Telegram still answer, in time, and the enquiries land once the database is
released."""

from __future__ import annotations

import asyncio
import sqlite3
import time

from bot import texts

from ..fakes import message_update
from ..wechat_fakes import eventually, running
from .test_telegram import Harness
from .test_web import ask, serve_site

HELD = 6.5  # seconds: longer than the writer's busy timeout (5 s), so its first try fails


def test_the_web_chat_wechat_and_telegram_answer_while_another_process_holds_the_database(
    answerer, store, db_path, settings
):
    telegram = Harness(answerer, store, settings)
    other = sqlite3.connect(db_path, isolation_level=None)
    timings: dict[str, float] = {}

    async def web_chat(client):
        started = time.monotonic()
        turns = await ask(client, "申请信息公开要收费吗")
        timings["web"] = time.monotonic() - started
        assert "不收费" in turns
        page = await (await client.get("/")).text()  # the session's turns, though not saved yet
        assert "申请信息公开要收费吗" in page

    async def main() -> None:
        other.execute("BEGIN IMMEDIATE")
        held_at = time.monotonic()
        await serve_site(answerer, store, settings, web_chat)
        started = time.monotonic()
        await telegram.dp.feed_update(telegram.bot, message_update("申请要收费吗", user_id=77))
        timings["telegram"] = time.monotonic() - started
        assert "不收" in telegram.texts()[-1]
        async with running(answerer, store, settings) as wx:
            started = time.monotonic()
            reply = await wx.citizen.text("多久答复")
            timings["wechat"] = time.monotonic() - started
            assert reply is not None and "工作日" in reply and reply != texts.ERROR.format(**answerer.contacts)
            # Past the busy timeout the writer has given up its first try: still answered.
            await asyncio.sleep(max(0.0, 5.5 - (time.monotonic() - held_at)))
            started = time.monotonic()
            late = await wx.citizen.text("怎么申请")
            timings["wechat, late"] = time.monotonic() - started
            assert late is not None and late != texts.ERROR.format(**answerer.contacts)
            assert store.enquiries() == []  # nothing could be written yet
            await asyncio.sleep(max(0.0, HELD - (time.monotonic() - held_at)))
            other.execute("COMMIT")
            released = time.monotonic()
            await eventually(lambda: len(store.enquiries()) == 4, timeout=10)
            timings["landed after release"] = time.monotonic() - released

    asyncio.run(main())
    other.close()
    print(timings)
    assert timings["web"] < 2.5 and timings["telegram"] < 2.5
    assert timings["wechat"] < 4.5 and timings["wechat, late"] < 4.5  # WeChat's passive reply, in time
    assert sorted(r["channel"] for r in store.enquiries()) == ["telegram", "web", "wechat", "wechat"]
    assert store.lost["enquiry"] == 0 and store.lost["chat session"] == 0
    assert store.reader.execute("select count(*) from chat_turns").fetchone() == (2,)  # the web chat's turns too
