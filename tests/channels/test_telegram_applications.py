"""Applications for information on Telegram: /apply with buttons, the number and due date, a
correction asked for and sent with /correct, the new due date, the letter, and /status."""

from __future__ import annotations

import asyncio
import re

import pytest
from pydantic import SecretStr

from bot import texts
from bot.channels.telegram.applications import ApplyCallback

from ..fakes import message_update
from .test_telegram import Harness, buttons
from .test_telegram_complaints import CITIZEN, STAFF, STAFF_GROUP, click, last


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


def say(tg: Harness, text: str) -> str:
    tg.clock.now += 5  # a human pace, within the throttle
    tg.feed(message_update(text, user_id=CITIZEN))
    return last(tg).text


def press(tg: Harness, step: str, value: str, message_id: int = 900) -> str:
    click(tg, ApplyCallback(step=step, value=value), message_id=message_id)
    return last(tg).text


def deliver(tg: Harness) -> int:
    return asyncio.run(tg.dp["outbox"].deliver(tg.bot))


def test_a_citizen_applies_corrects_sees_the_new_due_date_and_receives_the_letter(tg):
    register = tg.dp["applying"].applications
    said = say(tg, "/apply")
    assert [t for t, _ in buttons(last(tg))][:2] == ["自然人", "商业企业"]
    assert said.startswith("申请政府信息公开")
    assert "请输入申请人姓名" in press(tg, "applicant", "person")
    assert "身份证明的类型" in say(tg, "王小明")
    assert "证件号码" in press(tg, "id_type", "居民身份证")
    assert "联系方式" in say(tg, "370303199001011239")
    assert "所需信息" in say(tg, "13912345678 wang@example.com")
    assert "形式" in say(tg, "2026年本局烟花爆竹经营许可证的发放名单")
    assert "获取信息的方式" in press(tg, "form", "electronic")
    summary = press(tg, "delivery", "email")
    assert "370***********1239" in summary and "370303199001011239" not in summary
    filed = press(tg, "confirm", "yes", message_id=901)
    number = re.search(r"编号 (申[0-9-]+)", filed).group(1)
    application = register.get(number)
    assert str(application.due_on) in filed and application.channel == "telegram"
    press(tg, "confirm", "yes", message_id=901)  # the same press again (a redelivery): files nothing new
    assert len(register.all()) == 1

    # Staff hear of it; they ask for a correction, which reaches the applicant.
    deliver(tg)
    assert any(number in m.text for m in tg.sent() if m.chat_id == STAFF_GROUP)
    register.request_correction(number, "web:wangli", "请写明许可证的文号")
    deliver(tg)
    assert "需要补正" in last(tg).text and "请写明许可证的文号" in last(tg).text
    status = say(tg, f"/status {number}")
    assert "待补正" in status and "补正 申请编号" in status
    corrected = say(tg, f"/correct {number} 鲁安监〔2026〕7号")
    application = register.get(number)
    assert application.status == "open" and str(application.due_on) in corrected
    assert say(tg, f"/correct {number} again") == texts.APPLICATION_NOT_CORRECTING.format(number=number)

    register.decide(number, "web:wangli", "granted", "许可证名单已发送到您的电子邮箱。")
    deliver(tg)
    letter = last(tg).text
    assert "答复告知书" in letter and "许可证名单已发送" in letter and "行政复议" in letter


def test_a_stranger_cannot_correct_another_s_application(tg, store):
    register = tg.dp["applying"].applications
    say(tg, "/apply")
    press(tg, "applicant", "person")
    say(tg, "王小明")
    press(tg, "id_type", "居民身份证")
    say(tg, "370303199001011239")
    say(tg, "13912345678 wang@example.com")
    say(tg, "某文件的名单")
    press(tg, "form", "electronic")
    press(tg, "delivery", "email")
    number = re.search(r"编号 (申[0-9-]+)", press(tg, "confirm", "yes")).group(1)
    register.request_correction(number, "web:wangli", "请写明文号")
    tg.feed(message_update(f"/correct {number} 我来改", user_id=999))
    assert last(tg).text == texts.APPLY_NOT_YOURS
    assert register.get(number).status == "correcting"


def test_cancel_leaves_the_dialogue(tg):
    say(tg, "/apply")
    assert say(tg, "/cancel") == texts.CANCELLED
    assert "不收费" in say(tg, "申请信息公开要收费吗")
