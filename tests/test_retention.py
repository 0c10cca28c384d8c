"""Data retention: the purge erases exactly what the settings say and nothing else; a citizen's
chat history and a complaint's contact details are erased on request, with a record of it."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot import texts
from bot.app import Services, build_web_app
from bot.channels.web import setup as setup_web
from bot.services.complaints import ComplaintError, Complaints, Draft
from bot.services.conversation import Conversation
from bot.services.retention import Retention
from bot.services.staff import StaffAccounts
from bot.storage import Store

from .channels.test_web import PASSWORD, csrf_of, file_complaint, log_in

NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


def enquiry(store: Store, at: dt.datetime, text: str, user_ref: str = "ref") -> None:
    stamp = at.isoformat(timespec="milliseconds")
    store.write(
        lambda db: db.execute(
            "insert into enquiries (at, channel, user_ref, text, outcome, entry_id, score, latency_ms)"
            " values (?, 'web', ?, ?, 'answer', 'fee-free', 0.9, 1.0)",
            [stamp, user_ref, text],
        )
    )


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of the tables a purge could touch."""
    tables = ("enquiries", "complaints", "complaint_events", "outbox")
    return {t: store.reader.execute(f"select * from {t} order by rowid").fetchall() for t in tables}


@pytest.fixture
def seeded(store, settings):
    """A database with old and new rows of every kind, seeded at their own times: what each should
    become after a purge on NOW with the default settings (180 days of text, 365 of contacts)."""
    clock = Clock()
    log = Complaints(store, settings, now=clock)

    def complaint(key: str, filed: float, closed: list[float] = (), reopened: list[float] = (), contact=True):
        clock.now = days_ago(filed)
        draft = Draft("窗口人员态度差", name="张三" if contact else "", phone="13812345678" if contact else "")
        number = log.file(draft, channel="web", chat_id=key, user_id=key, dedupe_key=key).number
        for day, action in sorted([(d, "closed") for d in closed] + [(d, "reopened") for d in reopened], reverse=True):
            clock.now = days_ago(day)
            log.act(number, action, "web:wangli", "已处理" if action == "closed" else "补充情况")
        return number

    for days, text in ((400, "去年的问题"), (181, "半年前的问题"), (179, "快到期的问题"), (1, "昨天的问题")):
        enquiry(store, days_ago(days), text)
    enquiry(store, days_ago(200), "")  # blanked already: not counted again
    numbers = {
        "closed long ago": complaint("a", filed=500, closed=[400]),
        "closed just within the year": complaint("b", filed=500, closed=[364]),
        "open for long": complaint("c", filed=500),
        "closed long ago, reopened, closed lately": complaint("d", filed=500, closed=[450, 10], reopened=[300]),
        "closed long ago with no contact": complaint("e", filed=500, closed=[400], contact=False),
    }
    return numbers


def test_a_dry_run_counts_and_erases_nothing(store, settings, seeded):
    before = dump(store)
    done = Retention(store, settings, now=lambda: NOW).purge(dry_run=True)
    assert (done.enquiry_texts, done.complaint_contacts, done.dry_run) == (2, 1, True)
    assert done.numbers == (seeded["closed long ago"],)
    assert dump(store) == before


def test_the_purge_erases_exactly_what_the_settings_say(store, settings, seeded):
    before = dump(store)
    done = Retention(store, settings, now=lambda: NOW).purge()
    assert (done.enquiry_texts, done.complaint_contacts) == (2, 1)
    after = dump(store)

    # Enquiries: the rows stay, with their outcome, entry and score; only the old texts are blank.
    texts_now = [row[4] for row in after["enquiries"]]
    assert texts_now == ["", "", "快到期的问题", "昨天的问题", ""]
    assert [row[:4] + row[5:] for row in after["enquiries"]] == [row[:4] + row[5:] for row in before["enquiries"]]

    # Complaints: the one closed over a year ago loses its name and phone, and nothing else.
    log = Complaints(store, settings)
    erased = log.get(seeded["closed long ago"])
    assert (erased.name, erased.phone, erased.text, erased.status) == ("", "", "窗口人员态度差", "closed")
    events = log.events(erased)
    assert [e.kind for e in events] == ["created", "accepted", "closed", "erased"]  # closed unaccepted
    assert events[-1].actor == "system" and events[-1].text == texts.CONTACT_ERASED_EXPIRED.format(days=365)
    for kept in ("closed just within the year", "open for long", "closed long ago, reopened, closed lately"):
        complaint = log.get(seeded[kept])
        assert (complaint.name, complaint.phone) == ("张三", "13812345678"), kept
        assert "erased" not in [e.kind for e in log.events(complaint)], kept
    changed = {row[1] for row, old in zip(after["complaints"], before["complaints"]) if row != old}
    assert changed == {seeded["closed long ago"]}
    assert len(after["complaint_events"]) == len(before["complaint_events"]) + 1
    assert after["outbox"] == before["outbox"]

    # Twice is once.
    again = Retention(store, settings, now=lambda: NOW).purge()
    assert (again.enquiry_texts, again.complaint_contacts) == (0, 0) and dump(store) == after


def test_the_purge_blanks_what_was_typed_with_the_text(store, settings):
    old = days_ago(settings.enquiry_text_days + 1).astimezone(dt.UTC).isoformat(timespec="milliseconds")
    recent = days_ago(1).astimezone(dt.UTC).isoformat(timespec="milliseconds")
    insert = "insert into enquiries (at, channel, text, typed, outcome) values (?, 'web', ?, ?, 'fallback')"
    rows = [(old, "", "？？"), (old, "a", "a吗"), (recent, "b", "b吗")]
    store.write(lambda db: [db.execute(insert, row) for row in rows])
    assert Retention(store, settings, now=lambda: NOW).purge().enquiry_texts == 2
    rows = store.reader.execute("select text, typed from enquiries order by id").fetchall()
    assert rows == [("", ""), ("", ""), ("b", "b吗")]


def test_the_periods_are_the_settings(store, settings, seeded):
    shorter = settings.model_copy(update={"enquiry_text_days": 7, "complaint_contact_days": 30})
    done = Retention(store, shorter, now=lambda: NOW).purge()
    assert done.enquiry_texts == 3  # all but yesterday's
    # The one closed 10 days ago is within 30 days; the open one is not closed.
    assert set(done.numbers) == {seeded["closed long ago"], seeded["closed just within the year"]}
    log = Complaints(store, shorter)
    assert log.events(log.get(done.numbers[0]))[-1].text == texts.CONTACT_ERASED_EXPIRED.format(days=30)


# --- on request ---------------------------------------------------------------------------------


def test_a_citizen_has_their_questions_forgotten(answerer, store, settings):
    conversation = Conversation(answerer, Complaints(store, settings), store)

    async def main():
        await conversation.ask("申请信息公开要收费吗", channel="wechat", user_id="openid-a")
        await conversation.ask("多久答复", channel="wechat", user_id="openid-a")
        await conversation.ask("收费吗", channel="wechat", user_id="openid-b")
        await conversation.ask("收费吗", channel="telegram", user_id="openid-a")  # another channel's user
        first = await conversation.forget(channel="wechat", user_id="openid-a")
        second = await conversation.forget(channel="wechat", user_id="openid-a")
        return first, second

    first, second = asyncio.run(main())
    assert first == texts.FORGET_DONE.format(count=2, **answerer.contacts) and second == texts.FORGET_NONE
    rows = store.reader.execute("select channel, user_ref, text, outcome, typed from enquiries order by id").fetchall()
    assert [r[2] for r in rows] == ["", "", "收费", "收费"]
    assert [r[4] for r in rows] == ["", "", "收费吗", "收费吗"]  # what was typed goes with the text
    assert all(r[3] for r in rows)  # the outcomes stay: the counts do not change


def test_staff_erase_a_complaints_contact_on_request(store, settings):
    log = Complaints(store, settings)
    number = log.file(
        Draft("态度差", name="李雷", phone="13912345678"), channel="web", chat_id="w", user_id="w", dedupe_key="k"
    ).number
    retention = Retention(store, settings)
    assert retention.erase_contact(number, "cli:王科长") == number
    complaint = log.get(number)
    assert (complaint.name, complaint.phone, complaint.status) == ("", "", "new")
    event = log.events(complaint)[-1]
    assert (event.kind, event.label, event.actor, event.text) == (
        "erased",
        "删除联系方式",
        "cli:王科长",
        texts.CONTACT_ERASED_ON_REQUEST,
    )
    with pytest.raises(ComplaintError, match="没有可删除的联系人信息"):
        retention.erase_contact(number, "cli:王科长")
    with pytest.raises(ComplaintError):
        retention.erase_contact("20261127-001-6", "cli:王科长")


# --- the commands -------------------------------------------------------------------------------


def test_purge_and_erase_from_the_cli(run, tmp_path):
    from bot.config import Settings

    settings = Settings()
    store = Store.from_settings(settings)
    enquiry(store, dt.datetime.now(dt.UTC) - dt.timedelta(days=200), "旧问题")
    enquiry(store, dt.datetime.now(dt.UTC), "新问题")
    draft = Draft("态度差", name="李雷", phone="13912345678")
    number = Complaints(store, settings).file(draft, channel="web", chat_id="w", user_id="w", dedupe_key="k").number
    store.close()

    dry = run("purge", "--dry-run").output
    assert "1 would be blanked" in dry and "0 would be erased" in dry
    assert "1 were blanked" in run("purge").output
    assert "0 would be blanked" in run("purge", "--dry-run").output

    assert "contact name and phone erased" in run("complaints", "erase", number, "--as", "王科长").output
    shown = run("complaints", "show", number).output
    assert "13912345678" not in shown and "删除联系方式  cli:王科长" in shown
    again = run("complaints", "erase", number)
    assert again.exit_code == 1 and "没有可删除的联系人信息" in again.output


def test_the_terminal_chat_forgets_on_request(run):
    result = run("chat", input="收费吗\n删除记录\n删除记录\n/quit\n")
    assert "已删除您此前 1 条提问的文字" in result.output and texts.FORGET_NONE in result.output
    listed = run("enquiries", "list").output.splitlines()
    assert len(listed) == 1 and "收费" not in listed[0]


# --- the staff console's button ------------------------------------------------------------------


@pytest.fixture
def web_settings(settings):
    return settings.model_copy(update={"web_rate_limit": 50})


@pytest.fixture
def site(answerer, store, web_settings):
    """Run ``scenario(client)`` against the whole site, with the staff account of test_web."""
    StaffAccounts(store, web_settings).add("wangli", PASSWORD)

    def run(scenario):
        async def main():
            app = build_web_app()
            setup_web(app, Services.of(answerer, store, web_settings), web_settings)
            async with TestClient(TestServer(app)) as client:
                return await scenario(client)

        return asyncio.run(main())

    return run


def test_the_console_erases_a_contact_on_request(site, store, web_settings):
    async def scenario(client):
        number = await file_complaint(client)
        await log_in(client)
        page = await (await client.get(f"/staff/complaints/{number}")).text()
        assert "13812345678" in page and "删除联系人姓名和电话" in page
        # Not without the box ticked, nor without the CSRF token.
        unticked = await client.post(f"/staff/complaints/{number}/erase", data={"csrf": csrf_of(page)})
        assert texts.ERASE_NOT_CONFIRMED in await unticked.text()
        forged = await client.post(f"/staff/complaints/{number}/erase", data={"csrf": "forged", "confirm": "1"})
        assert forged.status == 403
        assert Complaints(store, web_settings).get(number).phone == "13812345678"
        done = await client.post(f"/staff/complaints/{number}/erase", data={"csrf": csrf_of(page), "confirm": "1"})
        page = await done.text()
        assert "已删除联系方式" in page and "13812345678" not in page and "张三" not in page
        assert "删除联系人姓名和电话</button>" not in page  # nothing left to erase
        return number

    number = site(scenario)
    log = Complaints(store, web_settings)
    event = log.events(log.get(number))[-1]
    assert (event.kind, event.actor) == ("erased", "web:wangli")


# --- a citizen asks on Telegram and WeChat ---------------------------------------------------------


def test_telegram_forget_command(answerer, store, settings):
    from .channels.test_telegram import Harness
    from .fakes import message_update

    tg = Harness(answerer, store, settings)
    tg.feed(message_update("申请信息公开要收费吗", user_id=777), message_update("多久答复", user_id=888))
    tg.feed(message_update("/forget", user_id=777))
    assert tg.texts()[-1] == texts.FORGET_DONE.format(count=1, **answerer.contacts)
    assert [r["text"] for r in store.enquiries()] == ["多久答复", ""]  # newest first
    tg.feed(message_update("/forget", user_id=777))
    assert tg.texts()[-1] == texts.FORGET_NONE


def test_the_web_chat_forgets_on_request(answerer, store, web_settings):
    from .channels.test_web import serve_site

    asked = "我叫李四，电话13912345678，申请信息公开要收费吗"

    async def scenario(client: TestClient) -> None:
        page = await (await client.get("/")).text()
        await client.post("/chat", data={"csrf": csrf_of(page), "q": asked})
        assert "13912345678" in await (await client.get("/")).text()
        fetched = {"X-Requested-With": "fetch"}
        forgot = await client.post("/chat", data={"csrf": csrf_of(page), "q": "删除记录"}, headers=fetched)
        assert texts.FORGET_DONE.format(count=1, **answerer.contacts).split("\n")[0] in await forgot.text()
        assert forgot.headers.get("X-Gongkai-Cleared") == "1"  # chat.js takes the shown turns off
        # Off the page as well as out of the log: on a shared computer the next person sees it.
        again = await (await client.get("/")).text()
        assert "13912345678" not in again and texts.FORGET_DONE.split("，")[0].split("{")[0] in again

    asyncio.run(serve_site(answerer, store, web_settings, scenario))
    [row] = store.enquiries()
    assert row["text"] == "" and row["outcome"] == "answer"
    [session] = store.db.execute("select id from chat_sessions").fetchall()
    turns = [t for (t,) in store.db.execute("select turn from chat_turns where session_id = ?", [session[0]])]
    assert turns and not any("13912345678" in t for t in turns)


def test_wechat_forget_words(answerer, store, settings):
    from .wechat_fakes import running

    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            assert "不收费" in await wx.citizen.text("申请信息公开要收费吗")
            assert await wx.citizen.text("删除记录") == texts.FORGET_DONE.format(count=1, **answerer.contacts)
            assert await wx.citizen.text("删除记录") == texts.FORGET_NONE
            assert "删除记录" in await wx.citizen.text("帮助")

    asyncio.run(main())
    [row] = store.enquiries()
    assert row["text"] == "" and row["outcome"] == "answer"
