"""Complaints on Telegram end to end: a citizen files, the staff group works it, the citizen hears back."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import signal
import subprocess
import sys

import pytest
from aiogram.exceptions import TelegramNetworkError
from pydantic import SecretStr

from bot import texts, tracking
from bot.channels.telegram.callbacks import (
    ComplaintStart,
    FormCallback,
    ListCallback,
    RateCallback,
    StaffCallback,
    TopicCallback,
)

from ..conftest import ROOT, gongkai_env
from ..fakes import FakeBotAPI, callback_update, message_update, photo_update
from .test_telegram import Harness, buttons

CITIZEN = 555
STAFF = 7
STAFF_GROUP = -100200300
STORY = "我3月申请公开的安全检查记录，过了二十个工作日还没有答复"


@pytest.fixture
def staffed(settings):
    return settings.model_copy(
        update={
            "telegram_token": SecretStr("42:TEST"),
            "telegram_staff_ids": [STAFF],
            "telegram_staff_chat_id": STAFF_GROUP,
        }
    )


@pytest.fixture
def tg(answerer, store, staffed) -> Harness:
    return Harness(answerer, store, staffed)


def deliver(tg: Harness) -> int:
    return asyncio.run(tg.dp["outbox"].deliver(tg.bot))


def last(tg: Harness, method: str = "sendMessage"):
    return tg.sent(method)[-1]


def click(tg: Harness, data, *, user: int = CITIZEN, chat: int | None = None, message_id: int = 900, **kw) -> None:
    tg.feed(
        callback_update(
            data.pack() if hasattr(data, "pack") else data, message_id=message_id, user_id=user, chat_id=chat, **kw
        )
    )


def file_complaint(tg: Harness, *, text: str = STORY, contact: str | None = "张三 13812345678", summary_id: int = 901):
    """Go through the form as a citizen; returns the tracking number shown."""
    tg.clock.now += 60  # a citizen filing again does so at a human pace, past the throttle window
    tg.feed(message_update("/complaint", user_id=CITIZEN))
    tg.feed(message_update(text, user_id=CITIZEN))
    click(tg, TopicCallback(topic="application"), message_id=summary_id - 1)
    if contact is None:
        click(tg, FormCallback(action="skip"), message_id=summary_id - 1)
    else:
        tg.feed(message_update(contact, user_id=CITIZEN))
    click(tg, FormCallback(action="submit"), message_id=summary_id)
    shown = last(tg, "editMessageText").text
    number = next(
        tracking.parse(word).number for word in shown.split() if tracking.parse(word) and tracking.parse(word).ok
    )
    return number


def status_of(tg: Harness, number: str) -> str:
    return tg.dp["complaints"].get(number).status


# --- the whole story ---------------------------------------------------------------------------------


def test_file_accept_reply_close_rate(tg):
    tg.feed(message_update("/complaint", user_id=CITIZEN))
    assert "请简要描述" in tg.texts()[-1]
    tg.feed(message_update(STORY, user_id=CITIZEN))
    # The topic its words point to is said, and marked among the buttons; the citizen chooses.
    assert tg.texts()[-1] == texts.FORM_TOPIC_SUGGESTED.format(topic="依申请公开的答复") + "\n" + texts.FORM_TOPIC
    assert [t for t, _ in buttons(last(tg))] == ["✓ 依申请公开的答复", "主动公开", "工作人员作风", "其他"]
    click(tg, TopicCallback(topic="application"), message_id=900)
    assert "为什么问" in tg.texts()[-1] and "138****5678" in tg.texts()[-1]
    tg.feed(message_update("张三 13812345678", user_id=CITIZEN))
    summary = last(tg)
    assert "依申请公开的答复" in summary.text and STORY in summary.text and "张三 13812345678" in summary.text
    assert [t for t, _ in buttons(summary)] == ["提交", "取消"]
    click(tg, FormCallback(action="submit"), message_id=901)
    filed = last(tg, "editMessageText").text
    number = tg.dp["complaints"].search()[0][0].number
    assert number in filed and f"/status {number}" in filed

    # The staff group hears of it at once, the contact masked, with the three buttons.
    assert deliver(tg) == 1
    card = last(tg)
    assert card.chat_id == STAFF_GROUP and number in card.text and "138****5678" in card.text
    assert "13812345678" not in card.text and "张*" in card.text
    assert [t for t, _ in buttons(card)] == ["受理", "回复", "办结"]

    click(tg, StaffCallback(action="accepted", number=number), user=STAFF, chat=STAFF_GROUP, message_id=50)
    assert status_of(tg, number) == "accepted"
    assert "已受理" in last(tg, "editMessageText").text
    assert [t for t, _ in buttons(last(tg, "editMessageText"))] == ["回复", "办结"]

    click(tg, StaffCallback(action="replied", number=number), user=STAFF, chat=STAFF_GROUP, message_id=50)
    prompt = last(tg)
    assert number in prompt.text and prompt.reply_markup.force_reply
    tg.feed(
        message_update(
            "已转执法科，五个工作日内电话联系您。", user_id=STAFF, chat_id=STAFF_GROUP, chat_type="supergroup"
        )
    )
    assert "答复已记录" in tg.texts()[-1]
    assert deliver(tg) == 1
    to_citizen = last(tg)
    assert to_citizen.chat_id == str(CITIZEN) or to_citizen.chat_id == CITIZEN
    assert "已转执法科" in to_citizen.text and number in to_citizen.text

    click(tg, StaffCallback(action="closed", number=number), user=STAFF, chat=STAFF_GROUP, message_id=50)
    assert status_of(tg, number) == "closed"
    deliver(tg)
    closing = last(tg)
    assert "已办结" in closing.text
    assert [t for t, _ in buttons(closing)] == ["满意", "基本满意", "不满意"]

    click(tg, RateCallback(number=number, rating="satisfied"), message_id=60)
    assert tg.texts()[-1] == texts.RATED.format(rating="满意")
    complaint = tg.dp["complaints"].get(number)
    assert complaint.rating == "satisfied"
    kinds = [(e.kind, e.actor.split()[0]) for e in tg.dp["complaints"].events(complaint)]
    assert kinds == [
        ("created", "citizen"),
        ("accepted", f"telegram:{STAFF}"),
        ("replied", f"telegram:{STAFF}"),
        ("closed", f"telegram:{STAFF}"),
        ("rated", "citizen"),
    ]

    tg.feed(message_update(f"/status {number}", user_id=CITIZEN))
    status = tg.texts()[-1]
    assert "已办结" in status and "已转执法科" in status


def test_a_complaint_over_the_citizens_limit_is_refused_with_when_and_the_phone(tg, staffed):
    for n in range(staffed.complaints_per_hour):
        file_complaint(tg, summary_id=901 + 10 * n)
    tg.clock.now += 60
    tg.feed(message_update("/complaint", user_id=CITIZEN))
    tg.feed(message_update(STORY, user_id=CITIZEN))
    click(tg, TopicCallback(topic="application"), message_id=990)
    click(tg, FormCallback(action="skip"), message_id=990)
    click(tg, FormCallback(action="submit"), message_id=991)
    refused = last(tg, "editMessageText").text
    assert "次数已达到上限" in refused and "0533-0000002" in refused
    # When to try again, to the minute: 今天 hh:mm, or the next day's date in the last hour of a day
    # (the window is counted on the wall clock, which this test does not fix).
    assert re.search(r"请在(?:今天|\d{1,2}月\d{1,2}日) \d{2}:\d{2}以后再提交", refused), refused
    assert tg.dp["complaints"].search()[1] == staffed.complaints_per_hour


def filed_from(tg: Harness, offer, topic: str):
    """The complaint filed from ``offer``'s button: the told message its text (not asked again),
    ``topic`` chosen, no contact left."""
    click(tg, buttons(offer)[0][1], message_id=700)
    assert tg.texts()[-1].startswith(texts.FORM_TOLD.format(kind="投诉") + "\n")
    assert tg.texts()[-1].endswith(texts.FORM_TOPIC)
    click(tg, TopicCallback(topic=topic), message_id=701)
    click(tg, FormCallback(action="skip"), message_id=701)
    click(tg, FormCallback(action="submit"), message_id=702)
    [complaint], _ = tg.dp["complaints"].search()
    return complaint


def test_free_text_complaint_offers_the_form_and_files_what_was_told(tg):
    told = "我要投诉你们工作人员态度太差了"
    tg.feed(message_update(told, user_id=CITIZEN, message_id=41))
    offer = last(tg)
    assert texts.COMPLAINT_OFFER in offer.text
    assert [t for t, _ in buttons(offer)] == ["我要投诉", "不用了"]
    # Another complaint told since: each offer's button still files its own message.
    tg.feed(message_update("你们网站上公布的数字都是假的，糊弄谁呢", user_id=CITIZEN, message_id=42))
    assert filed_from(tg, offer, "conduct").text == told
    # A button without its message (an offer from before a restart) asks what happened.
    click(tg, ComplaintStart(kind="投诉", told=99), message_id=703)
    assert "请简要描述" in tg.texts()[-1]


def test_a_story_too_long_for_a_question_is_offered_the_form_with_the_story(tg):
    story = "我们村边上的化工厂" + "夜里偷偷排放刺鼻的气体，" * 60
    tg.feed(message_update(story, user_id=CITIZEN, message_id=51))
    offer = last(tg)  # a hazard told: offered as a tip-off, with 12350
    assert texts.TIPOFF_OFFER in offer.text and "500字以内" in offer.text and "12350" in offer.text
    click(tg, buttons(offer)[0][1], message_id=700)
    # The story is the form's text, not asked again.
    assert tg.texts()[-1] == texts.FORM_TOLD.format(kind="举报") + "\n" + texts.FORM_TOPIC
    tg.feed(message_update("/cancel", user_id=CITIZEN))
    tg.clock.now += 60
    tg.feed(message_update("窗口的人" + "态度很差，问什么都不耐烦，" * 50, user_id=CITIZEN, message_id=52))
    assert texts.COMPLAINT_OFFER in last(tg).text and "12350" not in last(tg).text


def test_a_complaint_the_bot_cannot_place_is_still_offered_the_form_with_its_text(tg):
    # Told as a bare fact, with no complaint word: the bot is not sure of it, and says so, but
    # offers the form under its reply; the message is the complaint's text.
    told = "指南上写的地址早就搬了，白跑一趟"
    tg.feed(message_update(told, user_id=CITIZEN, message_id=61))
    offer = last(tg)
    assert "不能确定" in offer.text and texts.COMPLAINT_OFFER in offer.text
    assert filed_from(tg, offer, "other").text == told
    # A question for another office the bot cannot place gets no such offer.
    tg.clock.now += 60
    tg.feed(message_update("港澳通行证去哪办", user_id=CITIZEN, message_id=62))
    assert texts.COMPLAINT_OFFER not in last(tg).text and not buttons(last(tg))


def test_a_list_for_what_reads_like_a_complaint_has_the_form_offered_under_it(tg):
    # Told as a bare fact, it is near a question the guide answers: the list offers that
    # question, and the form under it files the message.
    told = "网上写的邮箱发过去就退信"
    tg.feed(message_update(told, user_id=CITIZEN, message_id=63))
    offer = last(tg)
    assert texts.COMPLAINT_OFFER in offer.text
    *choices, (none, _), (yes, start), (no, _) = buttons(offer)
    assert any("邮箱" in t or "邮件" in t for t, _ in choices) and (none, yes, no) == ("都不是", "我要投诉", "不用了")
    click(tg, start, message_id=704)
    assert tg.texts()[-1] == texts.FORM_TOLD.format(kind="投诉") + "\n" + texts.FORM_TOPIC
    # A list for a plain question has no such offer.
    tg.feed(message_update("/cancel", user_id=CITIZEN))
    tg.clock.now += 60
    tg.feed(message_update("期限", user_id=CITIZEN, message_id=64))
    assert texts.COMPLAINT_OFFER not in last(tg).text and len(buttons(last(tg))) == 4  # 3 and 都不是


def test_a_tipoff_is_told_of_12350_and_may_still_be_filed(tg):
    tg.feed(message_update("举报一个工厂有安全隐患，消防通道堵死了", user_id=CITIZEN))
    offer = last(tg)
    assert "12350" in offer.text
    assert [t for t, _ in buttons(offer)] == ["我要举报", "不用了"]
    click(tg, ComplaintStart(kind="举报"), message_id=700)
    assert "12350" in tg.texts()[-1]
    tg.feed(message_update("某化工厂消防通道堵死", user_id=CITIZEN))
    click(tg, TopicCallback(topic="other"), message_id=701)
    click(tg, FormCallback(action="skip"), message_id=701)
    click(tg, FormCallback(action="submit"), message_id=702)
    (complaint,) = tg.dp["complaints"].search()[0]
    assert complaint.kind == "举报" and complaint.phone == ""


def test_declining_the_offer(tg):
    click(tg, ComplaintStart(kind="no"), message_id=700)
    assert tg.texts()[-1] == texts.COMPLAINT_DECLINED


# --- the form says what it expects ---------------------------------------------------------------------


def test_each_step_says_what_it_expects(tg):
    tg.feed(message_update("/complaint", user_id=CITIZEN))
    tg.feed(photo_update(user_id=CITIZEN))
    assert tg.texts()[-1] == texts.FORM_WHAT_TEXT_ONLY
    tg.feed(message_update("长" * 2001, user_id=CITIZEN))
    assert "2001字" in tg.texts()[-1]
    tg.feed(message_update(STORY, user_id=CITIZEN))
    tg.clock.now += 60  # past the throttle window: the citizen writes at a human pace
    tg.feed(message_update("主动公开", user_id=CITIZEN))  # typed rather than clicked
    assert tg.texts()[-1] == texts.FORM_TOPIC_BUTTONS
    click(tg, TopicCallback(topic="proactive"), message_id=900)
    tg.feed(message_update("张三 12345", user_id=CITIZEN))
    assert tg.texts()[-1] == texts.FORM_CONTACT_BAD_PHONE
    tg.feed(message_update("张三 0533-2181234", user_id=CITIZEN))
    assert "张三 0533-2181234" in tg.texts()[-1]  # as typed: the area code stays apart
    tg.feed(message_update("好的", user_id=CITIZEN))
    assert tg.texts()[-1] == texts.FORM_CONFIRM_BUTTONS
    assert tg.dp["complaints"].search()[1] == 0  # nothing filed before 提交


@pytest.mark.parametrize("steps", [1, 2, 3, 4])
def test_cancel_works_at_every_step(tg, steps):
    tg.feed(message_update("/complaint", user_id=CITIZEN))
    if steps > 1:
        tg.feed(message_update(STORY, user_id=CITIZEN))
    if steps > 2:
        click(tg, TopicCallback(topic="other"), message_id=900)
    if steps > 3:
        tg.feed(message_update("王五", user_id=CITIZEN))
    tg.feed(message_update("/cancel", user_id=CITIZEN))
    assert tg.texts()[-1] == texts.CANCELLED
    tg.feed(message_update("申请公开要收费吗", user_id=CITIZEN))  # back to questions
    assert "收费" in tg.texts()[-1]
    assert tg.dp["complaints"].search()[1] == 0


def test_a_quick_run_through_the_form_is_never_throttled(tg, settings):
    for _ in range(settings.telegram_throttle_messages - 3):
        tg.feed(message_update("收费吗", user_id=CITIZEN))
    file_complaint(tg)  # three messages and three clicks, all within the throttle window
    assert tg.dp["complaints"].search()[1] == 1
    assert texts.THROTTLED not in tg.texts()


def test_a_batch_of_one_users_updates_is_handled_in_order(tg):
    # Polling hands a batch to concurrent tasks; the form still sees each step's state.
    steps = [
        message_update("/complaint", user_id=CITIZEN),
        message_update(STORY, user_id=CITIZEN),
        callback_update(TopicCallback(topic="other").pack(), message_id=900, user_id=CITIZEN),
        callback_update(FormCallback(action="skip").pack(), message_id=900, user_id=CITIZEN),
        callback_update(FormCallback(action="submit").pack(), message_id=901, user_id=CITIZEN),
    ]

    async def main() -> None:
        await asyncio.gather(*(tg.dp.feed_update(tg.bot, update) for update in steps))

    asyncio.run(main())
    assert tg.dp["complaints"].search()[1] == 1


def test_form_buttons_after_the_form_ended_say_so(tg):
    click(tg, FormCallback(action="submit"), message_id=901)
    assert last(tg, "answerCallbackQuery").text == texts.FORM_EXPIRED
    assert tg.dp["complaints"].search()[1] == 0


# --- duplicates and failures ---------------------------------------------------------------------------


def test_the_same_submission_twice_files_one_complaint(tg):
    number = file_complaint(tg)
    again = callback_update(FormCallback(action="submit").pack(), message_id=901, user_id=CITIZEN)
    tg.feed(again, again)  # a double click after the form ended, and a redelivered update
    assert tg.dp["complaints"].search()[1] == 1
    assert status_of(tg, number) == "new"


def test_a_failed_staff_notification_is_retried_and_the_complaint_stays_listed(tg):
    number = file_complaint(tg)
    tg.session.fail("sendMessage", TelegramNetworkError)
    assert deliver(tg) == 0
    listed, _ = tg.dp["complaints"].search("new")
    assert [c.number for c in listed] == [number]
    tg.session.fail("sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat")
    assert deliver(tg) == 0  # not yet due again
    outbox = tg.store.reader.execute("select status, attempts, last_error from outbox").fetchall()
    assert outbox == [("pending", 1, "TelegramNetworkError")]


def test_429_on_a_notification_waits_as_told(tg):
    file_complaint(tg)
    # Longer than the request middleware waits in place: the outbox waits instead.
    tg.session.fail("sendMessage", 429, retry_after=120)
    deliver(tg)
    ((next_at, status),) = tg.store.reader.execute("select next_at, status from outbox").fetchall()
    now = tg.dp["complaints"].now()
    assert status == "pending" and next_at >= (now + dt.timedelta(seconds=100)).isoformat(timespec="seconds")


def test_a_citizen_who_blocked_the_bot_loses_no_record(tg):
    number = file_complaint(tg)
    deliver(tg)
    tg.feed(message_update(f"/reply {number} 已处理", user_id=STAFF, chat_id=STAFF_GROUP, chat_type="supergroup"))
    tg.session.fail("sendMessage", 403)
    deliver(tg)
    assert status_of(tg, number) == "replied"
    assert tg.store.reader.execute("select status from outbox where kind = 'replied'").fetchone() == ("failed",)


# --- /status ---------------------------------------------------------------------------------------------


def test_status_right_mistyped_unknown_and_not_a_number(tg):
    number = file_complaint(tg)
    tg.feed(message_update(f"/status {number.replace('-', ' ')}", user_id=CITIZEN))
    assert "待受理" in tg.texts()[-1] and number in tg.texts()[-1]
    digits = tracking.digits_of(number)
    swapped = digits[:9] + digits[10] + digits[9] + digits[11:]
    tg.feed(message_update(f"/status {swapped}", user_id=CITIZEN))
    assert "输错了一位" in tg.texts()[-1] and number in tg.texts()[-1]
    tg.clock.now += 60  # past the throttle window
    other = tracking.make(tg.dp["complaints"].today(), 99)
    tg.feed(message_update(f"/status {other}", user_id=CITIZEN))
    assert "没有找到" in tg.texts()[-1]
    tg.feed(message_update("/status 你好", user_id=CITIZEN))
    assert "不像投诉或申请的编号" in tg.texts()[-1]
    tg.feed(message_update("/status", user_id=CITIZEN))
    assert tg.texts()[-1] == texts.STATUS_USAGE


def test_a_number_alone_or_in_a_sentence_is_looked_up_as_on_wechat(tg):
    number = file_complaint(tg)
    for typed in (number, f"我的投诉编号是{number}，进度怎么样了", f"查询 {number}"):
        tg.feed(message_update(typed, user_id=CITIZEN))
        assert "待受理" in tg.texts()[-1] and number in tg.texts()[-1], typed
        tg.clock.now += 60  # past the throttle window
    asked = {row[0] for row in tg.store.reader.execute("select typed from enquiries")}
    assert not any(number in typed for typed in asked)  # a look-up, not a question


def test_status_shows_replies_only_to_who_filed(tg):
    number = file_complaint(tg)
    tg.feed(
        message_update(
            f"/reply {number} 张三先生您好，已查明", user_id=STAFF, chat_id=STAFF_GROUP, chat_type="supergroup"
        )
    )
    tg.feed(message_update(f"/status {number}", user_id=999))
    assert "已答复" in tg.texts()[-1] and "张三先生" not in tg.texts()[-1]
    assert texts.STATUS_OTHERS in tg.texts()[-1]


def test_rating_is_only_the_filers(tg):
    number = file_complaint(tg)
    tg.feed(message_update(f"/close {number}", user_id=STAFF, chat_id=STAFF_GROUP, chat_type="supergroup"))
    click(tg, RateCallback(number=number, rating="unsatisfied"), user=999, message_id=60)
    assert "只有提交人" in last(tg, "answerCallbackQuery").text
    assert tg.dp["complaints"].get(number).rating is None


# --- staff ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        "/complaints",
        "/complaints overdue",
        "/complaint {n}",
        "/note {n} 内部",
        "/reopen {n} 补充",
        "/reply {n} 好",
        "/close {n}",
    ],
)
def test_every_staff_command_is_refused_to_others(tg, command):
    number = file_complaint(tg)
    tg.feed(message_update(command.format(n=number), user_id=CITIZEN))
    assert tg.texts()[-1] == texts.ONLY_STAFF
    assert [e.kind for e in tg.dp["complaints"].events(tg.dp["complaints"].get(number))] == ["created"]


@pytest.mark.parametrize("action", ["accepted", "replied", "closed"])
def test_every_staff_button_is_refused_to_others_even_forged(tg, action):
    number = file_complaint(tg)
    # A member of the staff group who is not staff, and a citizen forging the data in private.
    click(tg, StaffCallback(action=action, number=number), user=31337, chat=STAFF_GROUP, message_id=50)
    assert last(tg, "answerCallbackQuery").text == texts.ONLY_STAFF
    click(tg, StaffCallback(action=action, number=number), user=CITIZEN, message_id=50)
    assert last(tg, "answerCallbackQuery").text == texts.ONLY_STAFF
    tg.feed(message_update("我自己回复一下", user_id=CITIZEN))
    assert status_of(tg, number) == "new"


def test_forged_list_button_is_refused(tg):
    click(tg, ListCallback(status="all", page=0), user=CITIZEN)
    assert last(tg, "answerCallbackQuery").text == texts.ONLY_STAFF


def test_staff_list_record_note_reopen(answerer, store, staffed):
    # Ten complaints from one citizen: over the default limits, which are not what is tested here.
    tg = Harness(answerer, store, staffed.model_copy(update={"complaints_per_hour": 10}))
    numbers = [file_complaint(tg, summary_id=901 + 10 * i) for i in range(10)]
    staff = {"user_id": STAFF, "chat_id": STAFF_GROUP, "chat_type": "supergroup"}
    tg.feed(message_update("/complaints", **staff))
    page = last(tg)
    assert "共 10 件" in page.text and "第 1/2 页" in page.text and numbers[0] in page.text
    assert numbers[9] not in page.text
    click(tg, ListCallback(status="open", page=1), user=STAFF, chat=STAFF_GROUP)
    assert numbers[9] in last(tg, "editMessageText").text

    n = numbers[0]
    tg.feed(message_update(f"/note {n} 已电话联系，市民下周补材料", **staff))
    tg.feed(message_update(f"/close {n} 已答复申请人", **staff))
    tg.feed(message_update(f"/reopen {n} 市民补充了材料", **staff))
    tg.feed(message_update(f"/complaint {n}", **staff))
    record = tg.texts()[-1]
    assert "13812345678" in record and "张三" in record  # unmasked for staff
    for label in ("提交", "备注", "办结", "重新办理"):
        assert label in record
    assert "重新办理" in record.split("\n")[0]
    tg.feed(message_update("/complaints closed", **staff))
    assert "没有" in tg.texts()[-1]
    tg.feed(message_update("/complaints bogus", **staff))
    assert "状态应为" in tg.texts()[-1]
    tg.feed(message_update(f"/reopen {numbers[1]} 理由", **staff))
    assert "不能重新办理" in tg.texts()[-1]
    tg.feed(message_update("/note", **staff))
    assert tg.texts()[-1] == texts.STAFF_USAGE["note"]


def test_user_text_is_escaped_for_staff_and_citizens(tg):
    number = file_complaint(tg, text="<b>粗体</b> & <script>")
    deliver(tg)
    assert "&lt;b&gt;粗体&lt;/b&gt; &amp; &lt;script&gt;" in last(tg).text
    tg.feed(message_update(f"/reply {number} <i>ok</i>", user_id=STAFF, chat_id=STAFF_GROUP, chat_type="supergroup"))
    deliver(tg)
    assert "&lt;i&gt;ok&lt;/i&gt;" in last(tg).text


def test_logs_carry_ids_not_the_complaint_or_contact(tg, caplog):
    caplog.set_level(logging.DEBUG)
    number = file_complaint(tg)
    deliver(tg)
    tg.feed(message_update(f"/reply {number} 已查明情况", user_id=STAFF, chat_id=STAFF_GROUP, chat_type="supergroup"))
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot."))
    assert number in logged
    for secret in (STORY, "13812345678", "张三", "已查明情况"):
        assert secret not in logged


# --- the running bot and the CLI ------------------------------------------------------------------------


def test_a_reply_written_with_the_cli_reaches_the_citizen_through_the_running_bot(tmp_path):
    api = FakeBotAPI()
    base = api.start_in_thread()
    env = gongkai_env(
        tmp_path / "bot.db",
        telegram_token="42:TEST",
        telegram_api_base=base,
        telegram_staff_ids=STAFF,
        telegram_staff_chat_id=STAFF_GROUP,
    )
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )

    def push(update) -> None:
        api.push_update(update.model_dump(mode="json", exclude_none=True))

    try:
        asyncio.run(api.wait_for("getUpdates", timeout=60))
        # One step at a time, as a person goes through the form.
        push(message_update("/complaint", user_id=CITIZEN))
        asyncio.run(api.wait_for("sendMessage", count=1, timeout=20))
        push(message_update(STORY, user_id=CITIZEN))
        asyncio.run(api.wait_for("sendMessage", count=2, timeout=20))
        push(callback_update(TopicCallback(topic="application").pack(), message_id=900, user_id=CITIZEN))
        asyncio.run(api.wait_for("sendMessage", count=3, timeout=20))
        push(callback_update(FormCallback(action="skip").pack(), message_id=900, user_id=CITIZEN))
        asyncio.run(api.wait_for("sendMessage", count=4, timeout=20))
        push(callback_update(FormCallback(action="submit").pack(), message_id=901, user_id=CITIZEN))
        sent = asyncio.run(api.wait_for("sendMessage", count=5, timeout=20))
        card = next(m for m in sent if str(m["chat_id"]) == str(STAFF_GROUP))  # posted at once
        number = next(tracking.parse(w).number for w in card["text"].split() if tracking.parse(w))
        reply = subprocess.run(
            [sys.executable, "-m", "bot", "complaints", "reply", number, "已转执法科办理"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert reply.returncode == 0, reply.stderr
        sent = asyncio.run(api.wait_for("sendMessage", count=6, timeout=20))  # the bot polls its outbox
        assert str(sent[-1]["chat_id"]) == str(CITIZEN) and "已转执法科办理" in sent[-1]["text"]
    finally:
        bot.send_signal(signal.SIGTERM)
        try:
            output = bot.communicate(timeout=20)[0].decode()
        finally:
            bot.kill()
            api.stop()
    assert bot.returncode == 0, output
    assert STORY not in output and "已转执法科办理" not in output
