"""Applications for information on the website: the citizen's form, the catalogue check, the
status page with the correction and the letter, and the staff console's register."""

from __future__ import annotations

import asyncio
import html as htmllib
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import Services, build_web_app
from bot.channels.web import setup as setup_web
from bot.services.applications import Applications
from bot.services.staff import StaffAccounts

from .test_web import PASSWORD, ask, csrf_of, log_in

ID = "370303199001011239"
FIELDS = {
    "applicant": "person",
    "name": "王小明",
    "id_type": "居民身份证",
    "id_number": ID,
    "phone": "13912345678",
    "email": "wang@example.com",
    "description": "2026年本局烟花爆竹经营许可的审批结果",
    "form": "electronic",
    "delivery": "email",
}


@pytest.fixture
def services(answerer, store, settings) -> Services:
    StaffAccounts(store, settings).add("wangli", PASSWORD)
    return Services.of(answerer, store, settings)


@pytest.fixture
def site(services, settings):
    def run(scenario: Callable[[TestClient], Awaitable[Any]]) -> Any:
        async def main() -> Any:
            app = build_web_app()
            setup_web(app, services, settings)
            async with TestClient(TestServer(app)) as client:
                return await scenario(client)

        return asyncio.run(main())

    return run


async def apply(client: TestClient, **changes: str) -> tuple[str, str]:
    """Fill in and confirm the form; the confirm page and the filed page."""
    page = await (await client.get("/apply")).text()
    confirm = await (await client.post("/apply", data={"csrf": csrf_of(page), **FIELDS, **changes})).text()
    assert "请确认您的申请" in confirm, confirm
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', confirm))
    hidden = {k: htmllib.unescape(v) for k, v in hidden.items()}
    filed = await (await client.post("/apply/confirm", data=hidden)).text()
    return confirm, filed


def number_of(page: str) -> str:
    return re.search(r'id="number">([^<]+)<', page).group(1)


def test_a_citizen_applies_on_the_web_and_is_told_the_number_and_the_due_date(site, services):
    async def scenario(client):
        confirm, filed = await apply(client)
        assert ID not in confirm and "370***********1239" in confirm
        number = number_of(filed)
        a = services.applications.get(number)
        assert a.channel == "web" and a.via == "internet" and str(a.due_on) in filed
        chat = await (await client.get("/")).text()
        assert number in chat and str(a.due_on) in chat
        status = await (await client.get("/status", params={"number": number[1:]})).text()
        assert "办理中" in status and str(a.due_on) in status
        return number

    number = site(scenario)
    assert len(services.applications.all()) == 1 and services.applications.get(number)


def test_a_resent_confirmation_files_once(site, services):
    async def scenario(client):
        page = await (await client.get("/apply")).text()
        confirm = await (await client.post("/apply", data={"csrf": csrf_of(page), **FIELDS})).text()
        hidden = {k: htmllib.unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)">', confirm)}
        first = number_of(await (await client.post("/apply/confirm", data=hidden)).text())
        second = number_of(await (await client.post("/apply/confirm", data=hidden)).text())
        assert first == second

    site(scenario)
    assert len(services.applications.all()) == 1


def test_what_is_missing_is_said_field_by_field_and_the_input_kept(site):
    async def scenario(client):
        page = await (await client.get("/apply")).text()
        data = {**FIELDS, "csrf": csrf_of(page), "id_number": "12345", "phone": "", "email": "", "description": ""}
        again = await (await client.post("/apply", data=data)).text()
        assert "居民身份证号码应为18位" in again and "至少留一种联系方式" in again and "所需信息的名称" in again
        assert 'value="王小明"' in again

    site(scenario)


def test_what_is_already_published_is_shown_before_filing_and_filing_can_be_dropped(site, services):
    async def scenario(client):
        page = await (await client.get("/apply")).text()
        data = {**FIELDS, "csrf": csrf_of(page), "description": "安全生产月活动方案"}
        confirm = await (await client.post("/apply", data=data)).text()
        assert "可能已经主动公开" in confirm and "仍然提交申请" in confirm and "安全生产月" in confirm
        hidden = {k: htmllib.unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)">', confirm)}
        dropped = await client.post("/apply/confirm", data={**hidden, "drop": "1"})
        assert "没有提交申请" in await dropped.text()

    site(scenario)
    assert services.applications.all() == []


def test_an_application_left_at_its_confirm_step_is_the_form_again(site, services):
    # Back in the chat and 申请公开 again: the form came empty, though the draft was still kept.
    async def scenario(client):
        page = await (await client.get("/apply")).text()
        await client.post("/apply", data={"csrf": csrf_of(page), **FIELDS})
        again = await (await client.get("/apply")).text()
        assert "还没有提交的申请" in again and FIELDS["description"] in again and FIELDS["phone"] in again
        _, filed = await apply(client)  # once filed, the form is a new one
        fresh = await (await client.get("/apply")).text()
        assert "还没有提交的申请" not in fresh and FIELDS["description"] not in fresh

    site(scenario)


def test_a_post_without_the_csrf_token_is_refused(site):
    async def scenario(client):
        await client.get("/apply")
        assert (await client.post("/apply", data=FIELDS)).status == 403
        assert (await client.post("/apply/confirm", data=FIELDS)).status == 403

    site(scenario)


def test_the_applicant_corrects_in_the_chat_as_the_status_page_says(site, services):
    # 补正 编号 内容 typed in the chat was read as a look-up: the status again, the text dropped.
    registry: Applications = services.applications

    async def scenario(client):
        _, filed = await apply(client)
        number = number_of(filed)
        registry.request_correction(number, "web:wangli", "请写明许可证的文号")
        said = await ask(client, f"补正 {number} 只要第三季度的分析")
        return number, said

    number, said = site(scenario)
    assert "补正" in said and registry.get(number).status == "open"
    assert registry.get(number).description == "只要第三季度的分析"


def test_the_applicant_corrects_when_asked_sees_the_new_due_date_and_reads_the_letter(site, services):
    registry: Applications = services.applications

    async def scenario(client):
        _, filed = await apply(client, name="<b>王</b>小明")
        number = number_of(filed)
        registry.request_correction(number, "web:wangli", "请写明许可证的文号")
        chat = await (await client.get("/")).text()
        assert "需要补正" in chat and "请写明许可证的文号" in chat
        status = await (await client.get("/status", params={"number": number})).text()
        assert "提交补正" in status
        csrf = csrf_of(status)
        blank = await client.post("/apply/correct", data={"csrf": csrf, "number": number, "text": "  "})
        assert "请填写补正的内容再提交" in await blank.text()  # was the page again, with no word
        fixed = await client.post("/apply/correct", data={"csrf": csrf, "number": number, "text": "鲁安监〔2026〕7号"})
        assert fixed.status == 200
        a = registry.get(number)
        assert a.status == "open" and a.description == "鲁安监〔2026〕7号"
        status = await (await client.get("/status", params={"number": number})).text()
        assert str(a.due_on) in status and "提交补正" not in status
        # The form sent again (still open in another tab): said where it was sent, not dropped unsaid.
        again = await client.post("/apply/correct", data={"csrf": csrf, "number": number, "text": "再补一次"})
        assert "没有在等待补正" in await again.text() and registry.get(number).description == "鲁安监〔2026〕7号"
        registry.decide(number, "web:wangli", "granted", "许可证已发送到您的电子邮箱。")
        letter = await client.get("/apply/letter", params={"number": number})
        body = await letter.text()
        assert letter.status == 200 and "答复告知书" in body and "&lt;b&gt;王&lt;/b&gt;小明" in body
        assert "script-src" not in letter.headers["Content-Security-Policy"]
        chat = await (await client.get("/")).text()
        assert "许可证已发送到您的电子邮箱" in chat
        return number

    number = site(scenario)

    async def stranger(client):
        assert (await client.get("/apply/letter", params={"number": number})).status == 403
        status = await (await client.get("/status", params={"number": number})).text()
        assert "查看答复告知书" not in status and "许可证已发送" not in status
        assert "告知书只在提交申请时用的浏览器里显示" in status  # and where else it is

    site(stranger)


def test_staff_register_a_paper_application_and_work_it_in_the_console(site, services):
    async def scenario(client):
        assert (await client.get("/staff/applications", allow_redirects=False)).status == 303
        await log_in(client)
        page = await (await client.get("/staff/applications/new")).text()
        today = services.applications.today().isoformat()
        data = {**FIELDS, "csrf": csrf_of(page), "via": "signed_post", "received_on": today, "nonce": "n1"}
        data.update(form="paper", delivery="post", address="张店区人民西路1号")
        record = await client.post("/staff/applications/new", data=data)
        html = await record.text()
        number = re.search(r"政府信息公开申请 (申[\d-]+)", html).group(1)
        assert "邮寄（需签收）" in html and "370***********1239" in html and ID not in html
        listed = await (await client.get("/staff/applications")).text()  # a new one is listed at first sight
        assert number in listed and "王**" in listed
        csrf = csrf_of(html)
        base = f"/staff/applications/{number}"
        extension = {"csrf": csrf, "approved_by": "李主任", "text": "档案多"}
        done = await client.post(base + "/extend", data={**extension, "days": "30"})
        assert "1至20" in await done.text()
        done = await client.post(base + "/extend", data={**extension, "days": "10"})
        assert "已记录" in await done.text()
        done = await client.post(base + "/decide", data={"csrf": csrf, "decision": "granted", "text": "已邮寄。"})
        html = await done.text()
        assert "已记录" in html and "李主任" in html
        assert "打印政府信息公开申请延期答复告知书" in html and "打印政府信息公开申请答复告知书" in html
        letter = await client.get(base + "/letter")
        assert "已邮寄" in await letter.text()
        first = re.search(r'letter\?id=(\d+)"', html).group(1)
        assert "延期答复告知书" in await (await client.get(base + "/letter", params={"id": first})).text()
        forged = await client.post(base + "/note", data={"csrf": "x", "text": "伪造"})
        assert forged.status == 403
        return number

    number = site(scenario)
    events = services.applications.events(services.applications.get(number))
    assert [e.actor for e in events] == ["web:wangli"] * 3


@pytest.mark.parametrize("typed", ["申请公开", "依申请公开", "我要申请", "/apply"])
def test_the_words_that_start_an_application_elsewhere_link_to_the_form_here(site, typed):
    # 申请公开 got the catalogue's 公开指南 document, with no way to the form.
    async def scenario(client):
        return await ask(client, typed)

    said = site(scenario)
    assert "在线申请" in said and 'href="/apply"' in said


def test_a_complaint_written_as_an_application_is_pointed_to_the_complaint_form(site):
    async def scenario(client):
        page = await (await client.get("/apply")).text()
        data = {**FIELDS, "csrf": csrf_of(page), "description": "我要投诉你们窗口工作人员态度恶劣，拒绝受理我的申请"}
        confirm = await (await client.post("/apply", data=data)).text()
        assert "第39条" in confirm and 'href="/complaint"' in confirm and "仍然提交申请" in confirm

    site(scenario)


def test_a_register_number_typed_in_the_chat_links_to_its_status(site):
    async def scenario(client):
        _, filed = await apply(client)
        number = number_of(filed)
        page = await (await client.get("/")).text()
        turns = await (
            await client.post(
                "/chat", data={"csrf": csrf_of(page), "q": number[1:]}, headers={"X-Requested-With": "fetch"}
            )
        ).text()
        assert f"政府信息公开申请 {number}" in turns and "/status?number=" in turns and "答复期限" in turns

    site(scenario)
