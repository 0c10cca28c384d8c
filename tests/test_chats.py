"""The web chat's sessions: issued only here, saved in the database, aged out and purged."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest

from bot.services.chats import CACHED, ChatSessions, Turn
from bot.storage import Store


@pytest.fixture
def chats(store, settings) -> ChatSessions:
    return ChatSessions(store, settings)


def say(chats: ChatSessions, token: str | None, *turns: str, draft: dict[str, str] | None = None) -> str:
    session = chats.open(token)
    for text in turns:
        session.add(Turn("me", text))
    if draft is not None:
        session.draft = draft
    assert asyncio.run(chats.save(session))
    return session.token


@pytest.mark.parametrize(
    "token",
    [None, "", "attacker-chosen-cookie-value-1234", "a.b.c", "x" * 200, "abc.18c0000000.0123456789abcdef0123"],
)
def test_a_token_the_server_did_not_issue_gets_a_new_session(chats, token):
    session = chats.open(token)
    assert session.fresh and session.token != token and chats.open(session.token).token == session.token


def test_a_forged_token_for_a_real_session_is_refused(chats):
    token = say(chats, None, "收费吗")
    sid, issued, mac = token.split(".")
    last = "1" if mac.endswith("0") else "0"  # another last character, whatever the real one is
    for forged in (
        f"{sid}.{issued}.{mac[:-1]}{last}",
        f"{sid}.{int(issued, 16) + 1:x}.{mac}",
        f"{sid}x.{issued}.{mac}",
    ):
        session = chats.open(forged)
        assert session.fresh and not session.turns and session.token != token


def test_turns_and_draft_survive_a_restart(db_path, settings):
    first = Store(db_path)
    token = say(ChatSessions(first, settings), None, "收费吗", "多久答复", draft={"kind": "投诉", "text": "态度差"})
    first.close()
    second = Store(db_path)
    session = ChatSessions(second, settings).open(token)
    assert [t.text for t in session.turns] == ["收费吗", "多久答复"] and session.draft == {
        "kind": "投诉",
        "text": "态度差",
    }
    assert not session.fresh and not session.changed
    second.close()


def test_a_turn_keeps_its_buttons_and_links_across_a_restart(db_path, settings):
    store = Store(db_path)
    chats = ChatSessions(store, settings)
    session = chats.open(None)
    turn = Turn(
        "bot", "请选择", choices=[("fee", "收费吗")], hits=[{"title": "通知"}], offer="投诉", link=("看", "/status")
    )
    session.add(turn)
    asyncio.run(chats.save(session))
    store.close()
    store = Store(db_path)
    assert list(ChatSessions(store, settings).open(session.token).turns) == [turn]
    store.close()


def test_a_flood_of_new_sessions_pushes_no_saved_one_out(chats, store):
    token = say(chats, None, "我要投诉", draft={"kind": "投诉", "text": "窗口态度差", "step": "confirm"})
    for _ in range(CACHED * 2 + 1):  # cookieless visits: each is given a session, none is saved
        chats.open(None)
    assert store.reader.execute("select count(*) from chat_sessions").fetchone() == (1,)
    session = chats.open(token)
    assert session.draft is not None and session.draft["text"] == "窗口态度差"


def test_two_requests_of_one_session_both_keep_their_turns(chats, store, settings):
    token = say(chats, None, "一")
    a, b = ChatSessions(store, settings).open(token), chats.open(token)  # two processes' copies
    a.add(Turn("me", "二"))
    b.add(Turn("me", "三"))

    async def both():
        return await asyncio.gather(chats.save(a), chats.save(b))

    assert asyncio.run(both()) == [True, True]
    assert sorted(t.text for t in ChatSessions(store, settings).open(token).turns) == ["一", "三", "二"]


def test_only_the_last_turns_are_kept(chats, store, settings):
    token = None
    for n in range(60):
        token = say(chats, token, f"第{n}句")
    texts = [t.text for t in ChatSessions(store, settings).open(token).turns]
    assert texts == [f"第{n}句" for n in range(20, 60)]
    assert store.reader.execute("select count(*) from chat_turns").fetchone() == (40,)


def test_sessions_age_out_and_are_purged(store, settings):
    chats = ChatSessions(store, settings)
    old = say(chats, None, "很久以前的问题")
    recent = say(chats, None, "昨天的问题")
    month = settings.web_session_days * 86400
    store.write(lambda db: db.execute("update chat_sessions set seen_at = '2020-01-01T00:00:00.000+00:00'"))
    yesterday = _iso(time.time() - 86400)
    store.write(lambda db: db.execute("update chat_sessions set seen_at = ? where rowid = 2", [yesterday]))
    later = ChatSessions(store, settings)
    assert later.open(old).fresh and [t.text for t in later.open(recent).turns] == ["昨天的问题"]
    assert later.purge() == 1
    assert store.reader.execute("select count(*) from chat_sessions").fetchone() == (1,)
    assert store.reader.execute("select count(*) from chat_turns").fetchone() == (1,)
    # A token issued long ago that never saved anything ages out too.
    issued_long_ago = ChatSessions(store, settings, clock=lambda: time.time() - month - 60).open(None).token
    assert later.open(issued_long_ago).fresh


def _iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="milliseconds")


def test_a_turns_pointers_survive_its_save():
    turn = Turn("bot", "详情可问“什么是信息处理费”。", asks=["什么是信息处理费"])
    again = Turn.from_json(turn.as_json())
    assert again == turn and again.pieces()[1] == ("“什么是信息处理费”", "什么是信息处理费")
    assert Turn.from_json(Turn("bot", "x").as_json()).asks == []
