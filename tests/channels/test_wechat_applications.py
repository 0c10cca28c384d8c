"""Applications for information on WeChat: the dialogue answered with numbers, the number and due
date, a correction asked for and sent with 补正, the letter, and the status look-up."""

from __future__ import annotations

import re

from bot import texts
from bot.services.applications import Applications

from ..wechat_fakes import eventually, running
from .test_wechat import run


def test_a_citizen_applies_corrects_and_receives_the_letter(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            citizen = wx.citizen
            opened = await citizen.text("申请公开")
            assert opened is not None and "1. 自然人" in opened
            assert (await citizen.text("1") or "").startswith(texts.APPLY_ASK_NAME)
            assert texts.APPLY_ASK_ID_TYPE in (await citizen.text("王小明") or "")
            assert texts.APPLY_ASK_ID_NUMBER in (await citizen.text("1") or "")
            assert texts.APPLY_ASK_CONTACT in (await citizen.text("370303199001011239") or "")
            await citizen.text("13912345678 wang@example.com")
            assert texts.APPLY_ASK_FORM in (await citizen.text("2026年本局烟花爆竹经营许可证的发放名单") or "")
            assert texts.APPLY_ASK_DELIVERY in (await citizen.text("2") or "")
            summary = await citizen.text("2")
            assert summary is not None and "370***********1239" in summary
            filed = await citizen.text("1")
            number = re.search(r"编号 (申[0-9-]+)", filed or "").group(1)
            assert f"查询 {number}" in (filed or "") and "/status" not in (filed or "")
            # WeChat delivers the confirming message again: the same reply, nothing filed twice.
            assert await citizen.text("1", msg_id=citizen.last_msg_id) == filed

            register = Applications(store, settings)
            assert [a.number for a in register.all()] == [number]
            register.request_correction(number, "web:wangli", "请写明许可证的文号")
            # The notice is owed on WeChat: the running sender delivers it.
            told = await eventually(lambda: [t for t in wx.api.texts() if "需要补正" in t])
            assert "请写明许可证的文号" in told[0]
            # Looked up, it says what to correct (the notice may never reach a WeChat applicant).
            waiting = await citizen.text(f"查询 {number}")
            assert waiting is not None and "需要补正的内容：请写明许可证的文号" in waiting
            corrected = await citizen.text(f"补正 {number} 鲁安监〔2026〕7号")
            assert corrected is not None and str(register.get(number).due_on) in corrected
            status = await citizen.text(f"查询 {number}")
            assert status is not None and "办理中" in status
            register.decide(number, "web:wangli", "granted", "名单已发送到您的电子邮箱。")
            letter = await eventually(lambda: [t for t in wx.api.texts() if "答复告知书" in t])
            assert "名单已发送" in letter[0]

    run(main())
