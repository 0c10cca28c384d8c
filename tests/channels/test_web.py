"""The website channel through aiohttp's test client: the citizens' chat, the complaint form,
status look-up, and the staff console, with its security."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import time
from collections.abc import Awaitable, Callable
from html import unescape
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, unquote

import aiohttp
import openpyxl
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot import texts
from bot.app import Services, build_web_app
from bot.channels.web import security
from bot.channels.web import setup as setup_web
from bot.services import conversation as conversation_module
from bot.services.answering import MAX_QUESTION_CHARS
from bot.services.complaints import MAX_TEXT, Complaints, Draft
from bot.services.staff import StaffAccounts
from bot.storage import Enquiry, Store

PASSWORD = "correct horse battery"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def web_settings(settings):
    return settings.model_copy(update={"web_rate_limit": 5, "staff_lockout_attempts": 3})


@pytest.fixture
def site(answerer, store, web_settings):
    """Run ``scenario(client)`` against the whole site on a test server."""
    StaffAccounts(store, web_settings).add("wangli", PASSWORD)

    def run(scenario: Callable[[TestClient], Awaitable[Any]]) -> Any:
        async def main() -> Any:
            app = build_web_app()
            setup_web(
                app,
                Services.of(answerer, store, web_settings, complaints=Complaints(store, web_settings)),
                web_settings,
            )
            async with TestClient(TestServer(app)) as client:
                return await scenario(client)

        return asyncio.run(main())

    return run


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


async def ask(client: TestClient, question: str, **form: str) -> str:
    page = await (await client.get("/")).text()
    response = await client.post(
        "/chat", data={"csrf": csrf_of(page), "q": question, **form}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status == 200
    return await response.text()


async def log_in(client: TestClient, password: str = PASSWORD) -> str:
    page = await (await client.get("/staff/login")).text()
    response = await client.post(
        "/staff/login", data={"csrf": csrf_of(page), "username": "wangli", "password": password}, allow_redirects=True
    )
    return await response.text()


async def file_complaint(client: TestClient, text: str = "窗口工作人员态度很差，拒绝我查阅文件") -> str:
    page = await (await client.get("/complaint")).text()
    confirm = await client.post(
        "/complaint",
        data={
            "csrf": csrf_of(page),
            "kind": "投诉",
            "topic": "conduct",
            "text": text,
            "name": "张三",
            "phone": "13812345678",
        },
    )
    confirm_page = await confirm.text()
    assert "请确认" in confirm_page
    nonce = re.search(r'name="nonce" value="([^"]+)"', confirm_page).group(1)
    filed = await client.post("/complaint/confirm", data={"csrf": csrf_of(confirm_page), "nonce": nonce})
    return re.search(r'id="number">([^<]+)<', await filed.text()).group(1)


# --- citizens ------------------------------------------------------------------------------------------


def test_chat_page_welcomes_and_is_safe_to_serve(site):
    async def scenario(client):
        response = await client.get("/")
        html = await response.text()
        assert response.status == 200 and "政府信息公开咨询" in html and 'name="q"' in html
        assert "gk_chat" in response.cookies
        assert "HttpOnly" in response.headers["Set-Cookie"] and "SameSite=Lax" in response.headers["Set-Cookie"]
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        embed = await client.get("/?embed=1")
        # No GONGKAI_WEB_EMBED_ORIGINS: the widget's frame works on this site's own pages only.
        assert embed.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in embed.headers["Content-Security-Policy"]
        for asset in ("/static/chat.css", "/static/chat.js", "/widget.js", "/widget-example"):
            assert (await client.get(asset)).status == 200, asset

    site(scenario)


def test_a_question_is_answered_and_recorded_as_web(site, store):
    async def scenario(client):
        turns = await ask(client, "申请信息公开要收费吗")
        assert "不收费" in turns

    site(scenario)
    (row,) = store.enquiries()
    assert row["channel"] == "web" and row["outcome"] == "answer" and row["user_ref"]


def test_without_javascript_the_post_redirects_back_to_the_conversation(site):
    async def scenario(client):
        page = await (await client.get("/")).text()
        response = await client.post("/chat", data={"csrf": csrf_of(page), "q": "多久答复"}, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/#end"
        assert "工作日" in await (await client.get("/")).text()

    site(scenario)


def test_clarify_choices_are_buttons_and_a_click_answers(site):
    async def scenario(client):
        turns = await ask(client, "期限")
        choices = re.findall(r'name="choice" value="([^"]+)"', turns)
        assert len(choices) >= 2
        picked = await ask(client, "", choice=choices[0])
        assert "依据" in picked

    site(scenario)


def test_a_short_question_after_a_click_asks_of_the_entry_clicked(site, store):
    async def scenario(client):
        await ask(client, "", choice="admin-review")
        await ask(client, "多久内")

    site(scenario)
    assert store.enquiries()[0]["entry_id"] == "admin-review"  # the review's 60 days, not publishing's


def test_a_choice_typed_by_its_number_answers_as_a_click(site):
    async def scenario(client):
        turns = await ask(client, "期限")
        choices = re.findall(r'name="choice" value="([^"]+)"', turns)
        clicked = await ask(client, "", choice=choices[1])
        await ask(client, "期限")
        typed = await ask(client, "第二个")  # as typed in a chat, rather than clicked
        assert "依据" in typed and typed == clicked
        assert "现在没有待选的选项" in await ask(client, "2")  # the list is answered: nothing to pick

    site(scenario)


def test_a_list_offered_in_english_is_answered_in_english_when_clicked(site):
    async def scenario(client):
        turns = await ask(client, "where to apply")
        assert 'name="lang" value="en"' in turns and "Which of these do you mean?" in turns
        choices = re.findall(r'name="choice" value="([^"]+)"', turns)
        picked = await ask(client, "", choice=choices[0], lang="en")
        assert "Article" in picked
        chinese = await ask(client, "期限")
        assert 'name="lang"' not in chinese.rsplit('class="turn me"', 1)[-1]

    site(scenario)


def test_catalogue_search_gives_links(site):
    async def scenario(client):
        turns = await ask(client, "/search 安全生产月")
        assert '<ol class="hits">' in turns and "<a href=" in turns
        # The command typed in capitals, or with a tab, is the same search.
        for typed in ("/SEARCH 烟花爆竹", "/search\t烟花爆竹", "搜索：烟花爆竹"):
            last = (await ask(client, typed)).rsplit('class="turn', 1)[-1]
            assert '<ol class="hits">' in last and "烟花爆竹" in last, typed

    site(scenario)


def test_a_title_typed_gets_the_documents_under_the_core_s_heading(site):
    async def scenario(client):
        turns = await ask(client, "2010年安全生产月活动方案")
        assert '<ol class="hits">' in turns and "安全生产月" in turns
        assert "公开目录中没有2010年的这类文件" in turns  # not a heading of the channel's own

    site(scenario)


def test_a_look_up_says_what_to_do_if_they_are_not_it_under_the_list(site):
    async def scenario(client):
        last = (await ask(client, "安全生产月")).rsplit('class="turn bot"', 1)[-1]
        listed, under = last.split("</ol>", 1)
        assert '<ol class="hits">' in listed and "如果这些不是您要找的" not in listed
        assert "如果这些不是您要找的" in under  # after the documents, with its pointer a button
        assert '<button name="q" value="怎么申请信息公开？" class="pointer"' in under
        # Looked up for an English question, it says so in English, and its pointer is English.
        last = (await ask(client, "how do I get a fireworks retail licence?")).rsplit('class="turn bot"', 1)[-1]
        listed, under = last.split("</ol>", 1)
        assert "烟花爆竹经营（零售）许可办理指南" in listed and "如果这些不是您要找的" not in under
        assert '<button name="q" value="How do I apply for information?" class="pointer"' in under

    site(scenario)


def test_an_answers_documents_are_links_under_it(site):
    async def scenario(client):
        turns = await ask(client, "政策法规类信息公开了多少条")
        last = turns.rsplit('class="turn bot"', 1)[-1]
        # The answer, the line above its documents, and the documents as links (not as text).
        assert "主动公开政策法规类信息10条" in last and "公开目录中的政策法规类文件共10条" in last
        assert '<ol class="hits">' in last and last.count('target="_blank"') == 5
        assert "索引号" not in last and "http://www.zdaj.example" not in last.split('<ol class="hits">')[0]

    site(scenario)


def test_a_post_without_the_csrf_token_is_refused(site):
    async def scenario(client):
        await client.get("/")
        for path in ("/chat", "/complaint", "/complaint/confirm", "/rate"):
            assert (await client.post(path, data={"q": "你好"})).status == 403, path
        assert (await client.post("/chat", data={"q": "你好", "csrf": "forged"})).status == 403
        # Posted by a browser without the page's script (or by the script falling back): a page in
        # the site's look that says why and leads back, not a bare line of text.
        browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        refused = await client.post("/chat", data={"q": "你好", "csrf": "forged"}, headers=browser)
        page = await refused.text()
        assert refused.status == 403 and texts.WEB_FORM_STALE in page and texts.WEB_ERROR_HOME in page

    site(scenario)


def test_html_in_a_question_is_shown_escaped(site):
    async def scenario(client):
        await ask(client, '<script>alert("x")</script><b>粗</b>')
        html = await (await client.get("/")).text()
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html and "<b>粗</b>" not in html

    site(scenario)


def test_not_it_after_an_answer_offers_buttons_under_the_question_quoted_escaped(site):
    async def scenario(client):
        await ask(client, "<b>申请</b>要多久")
        turns = await ask(client, "不是这个")
        assert "您问的“&lt;b&gt;申请&lt;/b&gt;要多久”，是下面哪一个？请点选。" in turns and "<b>申请" not in turns
        choices = re.findall(r'name="choice" value="([^"]+)"', turns)
        assert choices and "deadline" not in choices

    site(scenario)


def test_the_last_answer_has_a_button_that_says_it_missed_however_long_ago(site, monkeypatch):
    # The chat's memory of its last answer lasts minutes (and not across a restart): the button
    # holds its answer's question itself.
    monkeypatch.setattr(conversation_module, "FOLLOW_UP_SECONDS", -1)

    async def scenario(client):
        assert texts.MISSED_BUTTON in await ask(client, "申请要钱吗")
        await ask(client, "多久答复")
        page = await (await client.get("/")).text()  # the page as a browser without JavaScript shows it
        assert page.count(texts.MISSED_BUTTON) == 1 and page.index(texts.MISSED_BUTTON) > page.index("多久答复")
        offered = await ask(client, texts.MISSED_SAYS, missed="1")  # the button pressed
        assert "您问的“多久答复”，是下面哪一个？请点选。" in offered and texts.MISSED_BUTTON not in offered
        assert f'<p class="text">{texts.MISSED_SAYS}</p>' in offered  # what the citizen said, shown
        choices = re.findall(r'name="choice" value="([^"]+)"', offered)
        assert choices and "deadline" not in choices
        picked = await ask(client, "", choice=choices[0])
        assert texts.MISSED_BUTTON not in picked  # chosen from the list, not guessed
        # No answer, no button: what it would offer is what the reply already says.
        assert texts.MISSED_BUTTON not in await ask(client, "医保在哪交")

    site(scenario)


def test_the_last_list_has_a_none_of_these_button_that_offers_the_next_likeliest(site):
    async def scenario(client):
        listed = await ask(client, "期限")
        shown = re.findall(r'name="choice" value="([^"]+)"', listed)
        assert texts.NONE_BUTTON in listed and shown
        more = await ask(client, texts.NONE_SAYS, missed="1")  # the button pressed
        assert "您问的“期限”，是下面哪一个？请点选。" in more
        offered = re.findall(r'name="choice" value="([^"]+)"', more)
        assert offered and not set(offered) & set(shown)
        assert f'value="{texts.NONE_SAYS}"' not in more  # none again under the list offered instead

    site(scenario)


def test_the_button_under_an_english_answer_says_it_in_english(site):
    async def scenario(client):
        english = await ask(client, "how long does a reply take")
        assert texts.MISSED_BUTTON_EN in english
        offered = await ask(client, texts.MISSED_SAYS_EN, missed="1")
        assert 'Which of these did you mean by "how long does a reply take"' in unescape(offered)

    site(scenario)


def test_rate_limit_per_session(site, web_settings):
    async def scenario(client):
        replies = [await ask(client, f"收费吗{n}") for n in range(web_settings.web_rate_limit + 2)]
        assert texts.WEB_THROTTLED not in replies[0]
        # The refused question is shown with the notice, so that the citizen knows what to resend.
        last = f"收费吗{web_settings.web_rate_limit + 1}"
        assert texts.WEB_THROTTLED in replies[-1] and last in replies[-1]

    site(scenario)


def test_input_limits(site):
    async def scenario(client):
        assert "500字以内" in await ask(client, "问" * 600)
        page = await (await client.get("/complaint")).text()
        too_long = await client.post(
            "/complaint", data={"csrf": csrf_of(page), "kind": "投诉", "topic": "other", "text": "长" * 2001}
        )
        assert "2001字" in await too_long.text()
        huge = await client.post("/chat", data={"csrf": "x", "q": "大" * 200_000})
        assert huge.status == 413
        empty = await ask(client, "   ")  # posted without the page's script: told what to do
        assert "请输入" in empty and 'class="turn me' not in empty

    site(scenario)


def test_a_pointer_in_an_answer_is_a_button_that_asks_it(site):
    async def scenario(client):
        turns = await ask(client, "申请信息公开要收费吗")
        button = '<button name="q" value="什么是信息处理费" class="pointer"'
        assert "可问" + button in turns and "“什么是信息处理费”</button>。" in turns
        form = turns.split('<form method="post" action="/chat" class="asks">')[1].split("</form>")[0]
        assert button in form and 'name="csrf"' in form  # a form post: works without JavaScript
        # The button posts q as the chat's form does (chat.js sends the same fields with fetch).
        answered = await ask(client, "什么是信息处理费")
        assert "信息处理费是" in answered
        page = await (await client.get("/")).text()  # reloaded, as without JavaScript
        assert button in page

    site(scenario)


def test_a_pointer_button_is_escaped(settings, answerer):
    from bot.channels.web import _templates, _versions
    from bot.services.chats import Turn

    env = _templates(settings, answerer, _versions())
    text = '<b>粗</b>可问“x"><script>1</script>”。'
    turn = Turn("bot", text, asks=['x"><script>1</script>'])
    html = env.get_template("turns.html").render(turns=[turn], csrf="t", link=lambda p, **_: p)
    assert "<script>" not in html and "<b>" not in html
    assert 'value="x&#34;&gt;&lt;script&gt;1&lt;/script&gt;"' in html
    assert "".join(piece for piece, _ in turn.pieces()) == text


def test_a_long_story_in_english_is_told_so_in_english(site):
    story = "The factory next to my home keeps dangerous gas cylinders in the yard without any fence. " * 8

    async def scenario(client):
        return await ask(client, story)

    turns = site(scenario)
    assert f"Your message has {len(story.strip())} characters" in turns and "Fill in the form" in turns
    assert "您的消息有" not in turns


def test_a_question_pasted_above_empty_lines_is_shown_and_answered_as_that_question(site):
    async def scenario(client):
        turns = await ask(client, "申请要钱吗" + "\n" * 3000 + "多久答复")
        assert "申请要钱吗\n\n多久答复" in turns and "\n\n\n" not in turns
        assert "字的上限" not in turns and "第42条" in turns

    site(scenario)


def test_a_long_story_in_the_chat_is_never_cut_and_goes_on_to_the_complaint_form(site):
    story = "我在2026年11月去窗口申请公开一份隐患排查文件，工作人员拒绝接收，" * 20  # 600 characters
    assert MAX_QUESTION_CHARS < len(story) < MAX_TEXT

    async def scenario(client):
        page = await (await client.get("/")).text()
        assert re.search(r'<input id="q"[^>]*>', page) and "maxlength" not in re.search(r'<input id="q"[^>]*>', page)[0]
        turns = await ask(client, story)
        assert story in turns  # the citizen's turn shows all of it
        assert f"{len(story)}字" in turns and f"{MAX_TEXT}字" in turns
        assert 'href="/complaint?kind=投诉"' in unquote(turns)
        form = await (await client.get("/complaint")).text()
        assert f">{story}</textarea>" in form  # carried over
        # Carried, not checked: it cannot be confirmed before the form is posted.
        skipped = await client.post("/complaint/confirm", data={"csrf": csrf_of(form)}, allow_redirects=False)
        assert skipped.status == 303 and skipped.headers["Location"].endswith("/complaint")
        confirm = await client.post(
            "/complaint", data={"csrf": csrf_of(form), "kind": "投诉", "topic": "application", "text": story}
        )
        assert "请确认" in await confirm.text()

    site(scenario)


def test_a_long_story_of_a_hazard_goes_on_to_the_tipoff_form_with_12350(site):
    story = "我们村边上的化工厂" + "夜里偷偷排放刺鼻的气体，" * 60

    async def scenario(client):
        turns = await ask(client, story)
        assert 'href="/complaint?kind=举报"' in unquote(turns) and "12350" in turns
        form = await (await client.get("/complaint?kind=举报")).text()
        assert f">{story}</textarea>" in form and re.search(r'value="举报"[^>]*checked', form)
        tipoff_group = form.split('data-kind="举报"')[1].split("</div>")[0]
        assert re.search(r'value="hazard" checked', tipoff_group)  # what was told, until another is picked

    site(scenario)


def test_the_form_offered_under_a_story_starts_at_the_topic_it_tells_of(site):
    # 窗口的人态度恶劣 was offered a form set to 其他; the staff's conduct is among its topics.
    story = "我上午去你们窗口交申请材料，那个工作人员态度恶劣，爱答不理还摔东西"

    async def scenario(client):
        turns = await ask(client, story)
        assert 'href="/complaint?kind=投诉"' in unquote(turns)
        form = await (await client.get("/complaint")).text()
        complaint_group = form.split('data-kind="投诉"')[1].split("</div>")[0]
        assert re.search(r'value="conduct" checked', complaint_group)

    site(scenario)


def test_a_message_over_the_forms_limit_is_said_to_be_too_long_not_cut(site):
    story = "长" * (MAX_TEXT + 500)

    async def scenario(client):
        turns = await ask(client, story)
        assert f"{MAX_TEXT + 500}字" in turns and f"超过了{MAX_TEXT}字的上限" in turns
        form = await (await client.get("/complaint")).text()
        assert f">{story}</textarea>" in form  # all of it, to shorten there
        refused = await client.post(
            "/complaint", data={"csrf": csrf_of(form), "kind": "投诉", "topic": "other", "text": story}
        )
        assert texts.WEB_FORM_TOO_LONG.format(length=MAX_TEXT + 500, limit=MAX_TEXT) in await refused.text()

    site(scenario)


def test_complaint_form_says_what_is_wrong(site):
    async def scenario(client):
        page = await (await client.get("/complaint")).text()
        response = await client.post(
            "/complaint", data={"csrf": csrf_of(page), "kind": "投诉", "topic": "nope", "text": "", "phone": "12345"}
        )
        html = await response.text()
        assert "请填写发生了什么" in html and texts.WEB_FORM_NO_TOPIC in html and "电话号码的位数好像不对" in html

    site(scenario)


def test_a_wrong_phone_is_said_in_the_forms_words_and_every_field_is_kept(site):
    async def scenario(client):
        page = await (await client.get("/complaint")).text()
        typed = {"kind": "举报", "topic": "hazard", "text": "某厂消防通道堵死", "name": "张三", "phone": "0533-218"}
        response = await client.post("/complaint", data={"csrf": csrf_of(page), **typed})
        html = await response.text()
        [error] = re.findall(r'<ul class="errors"><li>([^<]*)</li>', html)
        assert "提交" in error and "发送" not in error  # the form's word, not the chat's
        assert 'name="phone" maxlength="20" inputmode="tel" value="0533-218"' in html
        assert 'value="张三"' in html and ">某厂消防通道堵死</textarea>" in html
        assert re.search(r'value="举报" checked', html)
        tipoff_group = html.split('data-kind="举报"')[1].split("</div>")[0]
        assert re.search(r'value="hazard" checked', tipoff_group)

    site(scenario)


def test_the_forms_refusals_speak_of_the_form_not_the_chat():
    from bot.channels.web.citizen import INVALID

    assert all("发送" not in said for said in INVALID.values())


def test_an_answer_on_how_to_apply_links_to_the_online_form(site):
    async def scenario(client):
        how = await ask(client, "怎么申请政府信息公开？有哪些申请方式？")
        assert texts.WEB_APPLY_HERE in how and 'href="/apply"' in how
        fee = await ask(client, "申请信息公开要收费吗")
        assert 'href="/apply"' not in fee.split("申请信息公开要收费吗")[-1]

    site(scenario)


def test_documents_near_one_asked_for_are_links_in_the_chat(site):
    async def scenario(client):
        return await ask(client, "你们发过关于国庆安全的通知没")

    html = site(scenario)
    assert texts.NEAR_DOCUMENTS_HEADER in html and 'href="http://www.zdaj.example/gwgg/2009/0031.html"' in html
    assert "如果都不是" in html


def test_documents_near_one_asked_for_are_links_under_the_choices(site):
    async def scenario(client):
        return await ask(client, "烟花爆竹零售点审批结果在哪公示")

    html = site(scenario)
    said = html.split("烟花爆竹零售点审批结果在哪公示")[-1]
    assert 'name="choice" value="enterprise-records"' in said and texts.CLARIFY_DOCUMENTS_HEADER in said
    assert said.index('name="choice"') < said.index('href="http://www.zdaj.example/gwgg/2009/0002.html"')


def test_cancel_typed_in_the_chat_drops_a_complaint_waiting_at_its_confirm_step(site, store):
    # It said nothing was in progress, and the draft could still be filed with its page's nonce.
    async def scenario(client):
        page = await (await client.get("/complaint")).text()
        typed = {"kind": "投诉", "topic": "conduct", "text": "窗口态度差很久了"}
        confirm_page = await (await client.post("/complaint", data={"csrf": csrf_of(page), **typed})).text()
        nonce = re.search(r'name="nonce" value="([^"]+)"', confirm_page).group(1)
        said = await ask(client, "取消")
        assert texts.CANCELLED_COMPLAINT_DRAFT in said and texts.NOTHING_TO_CANCEL not in said
        late = await client.post("/complaint/confirm", data={"csrf": csrf_of(confirm_page), "nonce": nonce})
        assert "窗口态度差很久了" not in await (await client.get("/complaint")).text()
        return late.status

    site(scenario)
    assert store.reader.execute("select count(*) from complaints").fetchone()[0] == 0


def test_a_landline_is_kept_as_the_citizen_wrote_it(site, store, web_settings):
    async def scenario(client):
        page = await (await client.get("/complaint")).text()
        typed = {"kind": "投诉", "topic": "conduct", "text": "窗口态度差", "phone": "0533-2181234转801"}
        confirm_page = await (await client.post("/complaint", data={"csrf": csrf_of(page), **typed})).text()
        assert "0533-2181234转801" in confirm_page
        nonce = re.search(r'name="nonce" value="([^"]+)"', confirm_page).group(1)
        filed = await (
            await client.post("/complaint/confirm", data={"csrf": csrf_of(confirm_page), "nonce": nonce})
        ).text()
        assert texts.WEB_FILED_WHERE in filed  # where the reply will be: the chat at / and /status
        number = re.search(r'id="number">([^<]+)<', filed).group(1)
        # Sent again (a reload, a second click): the number it was filed under, not an empty form.
        again = await (
            await client.post("/complaint/confirm", data={"csrf": csrf_of(confirm_page), "nonce": nonce})
        ).text()
        assert re.search(r'id="number">([^<]+)<', again).group(1) == number
        chat = await (await client.get("/")).text()  # the chat says so, with a link, not a command
        assert f"编号 {number}" in chat and f"/status?number={number}" in chat and f"/status {number}" not in chat
        return number

    number = site(scenario)
    assert Complaints(store, web_settings).get(number).phone == "0533-2181234转801"


def test_four_clicks_at_once_file_one_complaint_told_once(site, store):
    async def scenario(client):
        page = await (await client.get("/complaint")).text()
        typed = {"kind": "投诉", "topic": "conduct", "text": "窗口态度差", "phone": "13812345678"}
        confirm_page = await (await client.post("/complaint", data={"csrf": csrf_of(page), **typed})).text()
        data = {"csrf": csrf_of(confirm_page), "nonce": re.search(r'name="nonce" value="([^"]+)"', confirm_page)[1]}
        pages = await asyncio.gather(*(client.post("/complaint/confirm", data=data) for _ in range(4)))
        numbers = {re.search(r'id="number">([^<]+)<', await p.text())[1] for p in pages}
        chat = await (await client.get("/")).text()
        return numbers, chat

    numbers, chat = site(scenario)
    assert len(numbers) == 1 and chat.count(f"编号 {next(iter(numbers))}") == 1
    assert len(list(store.reader.query("select id from complaints"))) == 1


def test_a_tipoff_has_its_own_topics_and_the_server_holds_the_kind_to_them(site):
    async def scenario(client):
        page = await (await client.get("/complaint", params={"kind": "举报"})).text()
        groups = dict(re.findall(r'data-kind="([^"]+)">(.*?)</div>', page, re.DOTALL))
        assert set(groups) == {"投诉", "举报"}  # both show without JavaScript, grouped
        for label in ("安全隐患", "违法生产经营", "事故瞒报", "其他"):
            assert label in groups["举报"]
        assert "依申请公开的答复" not in groups["举报"] and "安全隐患" not in groups["投诉"]
        assert re.search(r'value="other" checked', groups["举报"]) and "checked" not in groups["投诉"]
        assert "首页“咨询”的对话窗口" in page and "进度查询" in page and "本页的咨询窗口" not in page
        wrong = {"kind": "投诉", "topic": "hazard", "text": "某厂消防通道堵死"}
        html = await (await client.post("/complaint", data={"csrf": csrf_of(page), **wrong})).text()
        assert texts.WEB_FORM_NO_TOPIC in html and "请确认" not in html
        right = {"kind": "举报", "topic": "hazard", "text": "某厂消防通道堵死"}
        html = await (await client.post("/complaint", data={"csrf": csrf_of(page), **right})).text()
        assert "请确认" in html and "安全隐患" in html

    site(scenario)


def test_complaint_filed_once_and_looked_up(site, store, web_settings):
    async def scenario(client):
        number = await file_complaint(client)
        status = await (await client.get("/status", params={"number": number})).text()
        assert "待受理" in status and number in status
        digits = number.replace("-", "")
        swapped = digits[:9] + digits[10] + digits[9] + digits[11:]
        mistyped = await (await client.get("/status", params={"number": swapped})).text()
        assert "输错了一位" in mistyped and number in mistyped
        assert "不像投诉或申请的编号" in await (await client.get("/status", params={"number": "你好"})).text()
        return number

    number = site(scenario)
    complaints = Complaints(store, web_settings)
    complaint = complaints.get(number)
    assert complaint.channel == "web" and complaint.phone == "13812345678" and complaint.topic == "conduct"


def test_a_complaint_story_in_the_chat_offers_the_form_with_the_story(site):
    async def scenario(client):
        told = "我要投诉你们窗口工作人员态度恶劣"
        turns = await ask(client, told)
        assert 'href="/complaint?kind=投诉"' in unquote(turns)
        assert f">{told}</textarea>" in await (await client.get("/complaint?kind=投诉")).text()
        # A tip-off's offer opens the tip-off form, with its story too.
        hazard = "举报一个工厂有安全隐患，消防通道堵死了"
        turns = await ask(client, hazard)
        assert 'href="/complaint?kind=举报"' in unquote(turns)
        form = await (await client.get("/complaint?kind=举报")).text()
        assert f">{hazard}</textarea>" in form and re.search(r'value="举报"[^>]*checked', form)

    site(scenario)


def test_a_list_for_what_reads_like_a_complaint_has_the_form_under_its_choices(site):
    async def scenario(client):
        told = "网上写的邮箱发过去就退信"  # a complaint told as a bare fact, near questions the guide answers
        turn = unquote(await ask(client, told)).split('<div class="turn bot">')[-1]
        # The list offers the questions about e-mail it is near (which of them moves with each refit).
        offered = re.findall(r'name="choice" value="[^"]+">([^<]+)</button>', turn)
        assert any("邮箱" in t or "邮件" in t for t in offered) and 'href="/complaint?kind=投诉"' in turn
        assert f">{told}</textarea>" in await (await client.get("/complaint?kind=投诉")).text()
        turn = unquote(await ask(client, "期限")).split('<div class="turn bot">')[-1]
        assert 'name="choice"' in turn and 'href="/complaint' not in turn

    site(scenario)


def test_a_complaint_the_bot_is_unsure_of_gets_the_form_with_it_too(site):
    async def scenario(client):
        told = "指南上写的地址早就搬了，白跑一趟"
        turns = unquote(await ask(client, told))
        assert "不能确定" in turns and 'href="/complaint?kind=投诉"' in turns
        assert f">{told}</textarea>" in await (await client.get("/complaint?kind=投诉")).text()
        # Another office's business the bot cannot place is offered no form.
        assert 'href="/complaint' not in unquote(await ask(client, "港澳通行证去哪办")).split("港澳通行证去哪办")[-1]

    site(scenario)


async def fill_form(client: TestClient, text: str = "窗口工作人员态度很差，拒绝我查阅文件", **headers: str) -> Any:
    """Fill in the complaint form and confirm it; the confirm post's response."""
    page = await (await client.get("/complaint", headers=headers)).text()
    form = {"csrf": csrf_of(page), "kind": "投诉", "topic": "conduct", "text": text}
    confirm_page = await (await client.post("/complaint", data=form, headers=headers)).text()
    nonce = re.search(r'name="nonce" value="([^"]+)"', confirm_page).group(1)
    return await client.post(
        "/complaint/confirm", data={"csrf": csrf_of(confirm_page), "nonce": nonce}, headers=headers
    )


def test_complaints_over_the_citizens_limit_are_refused_politely(site, store, web_settings):
    async def scenario(client):
        filed = [await fill_form(client, f"第{n}件：窗口人员态度差") for n in range(web_settings.complaints_per_hour)]
        assert [r.status for r in filed] == [200] * web_settings.complaints_per_hour
        refused = await fill_form(client, "第四件：窗口人员态度差")
        html = await refused.text()
        assert refused.status == 429
        # When to try again: 今天 hh:mm, or the next day's date in the last hour of a day (the window
        # is counted on the wall clock, which this test does not fix).
        when = re.search(r"(?:今天|\d{1,2}月\d{1,2}日) \d\d:\d\d", html)
        assert "次数已达到上限" in html and "0533-0000002" in html and when
        assert "第四件：窗口人员态度差" in html  # the draft is kept, to send later

    site(scenario)
    assert len(list(store.reader.query("select id from complaints"))) == web_settings.complaints_per_hour


def test_complaints_from_one_address_are_limited_whatever_the_session(site, store, web_settings):
    async def scenario(client):
        statuses = []
        for n in range(web_settings.complaints_per_address_hour + 2):
            client.session.cookie_jar.clear()  # a new session each time, as a script would
            statuses.append((await fill_form(client, f"第{n}件")).status)
        assert statuses == [200] * web_settings.complaints_per_address_hour + [429, 429]

    site(scenario)


def test_a_session_posting_the_form_faster_than_a_person_is_refused_cheaply(site, store, web_settings):
    async def scenario(client):
        page = await (await client.get("/complaint")).text()
        form = {"csrf": csrf_of(page), "kind": "投诉", "topic": "conduct", "text": ""}  # wrong: not filed
        statuses = [
            (await client.post("/complaint", data=form)).status for _ in range(web_settings.web_form_rate_limit)
        ]
        refused = await client.post("/complaint", data=form)
        assert statuses == [200] * web_settings.web_form_rate_limit
        assert refused.status == 429 and await refused.text() == texts.WEB_FORM_TOO_FAST
        client.session.cookie_jar.clear()  # another session (the same address) is not held back
        page = await (await client.get("/complaint")).text()
        assert (await client.post("/complaint", data=dict(form, csrf=csrf_of(page)))).status == 200

    site(scenario)


def test_the_proxys_address_is_believed_only_from_a_trusted_proxy(answerer, store, web_settings):
    async def count_filed(settings) -> list[int]:
        app = build_web_app()
        setup_web(app, Services.of(answerer, store, settings, complaints=Complaints(store, settings)), settings)
        statuses = []
        async with TestClient(TestServer(app)) as client:
            for n in range(settings.complaints_per_address_hour + 1):
                client.session.cookie_jar.clear()
                # A script naming a new address each time: believed only if 127.0.0.1 is a proxy.
                statuses.append((await fill_form(client, f"第{n}件", **{"X-Real-IP": f"10.0.0.{n}"})).status)
        return statuses

    limit = web_settings.complaints_per_address_hour
    assert asyncio.run(count_filed(web_settings)) == [200] * limit + [429]
    trusting = web_settings.model_copy(update={"http_trusted_proxies": ["127.0.0.1"]})
    assert asyncio.run(count_filed(trusting)) == [200] * (limit + 1)


def test_a_tracking_number_typed_in_the_chat_is_looked_up_as_on_wechat(site, store):
    async def scenario(client):
        number = await file_complaint(client)
        head, middle, check = number.split("-")
        off_by_one = f"{head}-{middle}-{(int(check) + 1) % 10}"
        for typed in (number, f"查询 {number}", f"我的投诉编号是{number}，进度怎么样了"):
            said = await ask(client, typed)
            assert f"/status?number={number}" in said and "状态：待受理" in said, typed
        mistyped = await ask(client, off_by_one)
        assert "输错了一位" in mistyped and number in mistyped.split("输错了一位")[1]
        assert f"/status?number={number}" in mistyped  # the number it may be, a click away
        assert "查询 20261127-001-6" in await ask(client, "查询")  # how to ask
        # None of them is a question the bot could not answer.
        typed = {row[0] for row in store.reader.execute("select typed from enquiries")}
        assert not typed & {number, off_by_one, "查询", f"我的投诉编号是{number}，进度怎么样了"}

    site(scenario)


def test_status_look_ups_are_limited_per_address(site, web_settings):
    async def scenario(client):
        number = await file_complaint(client)
        for _ in range(web_settings.status_per_minute - 1):
            client.session.cookie_jar.clear()
            assert (await client.get("/status", params={"number": number})).status == 200
        turns = await ask(client, number)  # a number typed in the chat is a look-up too
        assert "/status?number=" in turns
        refused = await client.get("/status", params={"number": number})
        html = await refused.text()
        assert refused.status == 429 and "查询次数太多" in html and "0533-0000002" in html and "待受理" not in html
        assert "查询次数太多" in await ask(client, number)

    site(scenario)


# --- staff -----------------------------------------------------------------------------------------------


def test_staff_pages_need_a_log_in(site):
    async def scenario(client):
        for path in ("/staff", "/staff/complaints", "/staff/enquiries", "/staff/catalogue", "/staff/complaints.csv"):
            for method in ("GET", "HEAD"):
                response = await client.request(method, path, allow_redirects=False)
                assert response.status == 303 and response.headers["Location"].startswith("/staff/login"), path
        assert (await client.post("/staff/complaints/20261127-001-6/accepted", data={})).status == 403
        # Typed as a folder (/staff/): the console, not a 404, and still behind the log-in.
        slashed = await client.get("/staff/", allow_redirects=False)
        assert slashed.status == 301 and slashed.headers["Location"] == "/staff"

    site(scenario)


def test_the_dashboards_shares_of_enquiries_add_up(site):
    async def scenario(client):
        for text in ("申请要钱吗", "期限", "安全生产月", "明天会下雨吗"):  # answered, a list, documents, none
            await ask(client, text)
        await log_in(client)
        dashboard = await (await client.get("/staff")).text()
        shares = [int(n) for n in re.findall(r'<span class="n">(\d+)%</span>', dashboard)]
        assert len(shares) == 4 and sum(shares) == 100 and shares[3] > 0  # the documents found count too

    site(scenario)


def test_log_in_log_out_and_lock_out(site, web_settings):
    async def scenario(client):
        assert "用户名或密码不正确" in await log_in(client, "wrong password!")
        assert "概览" in await log_in(client)
        dashboard = await (await client.get("/staff")).text()
        assert "今日咨询" in dashboard and "<svg" in dashboard
        await client.post("/staff/logout", data={"csrf": csrf_of(dashboard)})
        assert (await client.get("/staff", allow_redirects=False)).status == 303
        for _ in range(web_settings.staff_lockout_attempts):
            await log_in(client, "wrong password!")
        assert "用户名或密码不正确" in await log_in(client)  # locked: even the right password fails

    site(scenario)


def test_every_staff_page_says_which_settings_are_still_samples(answerer, store, web_settings):
    StaffAccounts(store, web_settings).add("wangli", PASSWORD)
    pages = ("/staff", "/staff/complaints", "/staff/applications", "/staff/enquiries", "/staff/catalogue")

    async def banners(client):
        assert "gongkai setup" not in await (await client.get("/staff/login")).text()  # only for staff
        await log_in(client)
        return [await (await client.get(path)).text() for path in pages]

    for html in asyncio.run(serve_site(answerer, store, web_settings, banners)):
        assert texts.STAFF_UNSET_BANNER in html and "gongkai setup" in html
        assert "咨询电话、传真、电子邮箱、监督投诉电话" in html and "GONGKAI_OFFICE_PHONE" in html
        assert "本局名称" not in html  # set (to the sample bureau's, as the test's settings are)

    fresh = web_settings.model_copy()
    fresh.__pydantic_fields_set__.discard("bureau_name")  # as a fresh install: never set
    html = asyncio.run(serve_site(answerer, store, fresh, banners))[0]
    assert "本局名称" in html and "GONGKAI_BUREAU_NAME" in html

    contacts = {
        "office_address": "人民西路128号",
        "office_hours": "工作日",
        "office_phone": "0533-2181234",
        "office_fax": "0533-2181235",
        "office_email": "xxgk@zd.gov.cn",
        "supervision_phone": "0533-2181236",
    }
    done = web_settings.model_copy(update=contacts)
    for html in asyncio.run(serve_site(answerer, store, done, banners)):
        assert texts.STAFF_UNSET_BANNER not in html and "gongkai setup" not in html


def test_log_in_attempts_from_one_address_are_limited_whatever_the_names(site, web_settings, monkeypatch):
    from bot.services import staff as staff_module

    checked = []
    verify = staff_module.verify_password
    monkeypatch.setattr(staff_module, "verify_password", lambda p, s: checked.append(s) or verify(p, s))

    async def scenario(client):
        page = await (await client.get("/staff/login")).text()
        statuses = []
        for n in range(web_settings.staff_logins_per_minute + 2):
            form = {"csrf": csrf_of(page), "username": f"guess{n}", "password": "wrong password!"}
            response = await client.post("/staff/login", data=form)
            statuses.append(response.status)
            page = await response.text()  # the log-in page again, with a fresh token
        assert statuses == [200] * web_settings.staff_logins_per_minute + [429, 429]
        refused = await client.post("/staff/login", data={"csrf": csrf_of(page), "username": "wangli"})
        assert refused.status == 429 and texts.STAFF_LOGIN_TOO_FAST in await refused.text()

    site(scenario)
    assert len(checked) == web_settings.staff_logins_per_minute  # no scrypt for the refused


def test_log_in_goes_back_only_within_the_console(site):
    async def scenario(client):
        page = await (await client.get("/staff/login?next=//evil.example/")).text()
        response = await client.post(
            "/staff/login",
            data={"csrf": csrf_of(page), "username": "wangli", "password": PASSWORD, "next": "https://evil.example/"},
            allow_redirects=False,
        )
        assert response.headers["Location"] == "/staff"

    site(scenario)


def test_a_complaint_on_a_channel_no_sender_serves_is_flagged_to_staff(answerer, store, web_settings):
    # WeChat without its AppSecret: its citizens' complaints are filed, but nothing staff send them
    # is delivered; the complaint's page says so, as long as no sender serves the channel.
    StaffAccounts(store, web_settings).add("wangli", PASSWORD)
    complaints = Complaints(store, web_settings)
    numbers = {
        channel: complaints.file(Draft("态度差"), channel=channel, chat_id="c", user_id="c", dedupe_key=channel).number
        for channel in ("wechat", "web")
    }

    async def scenario(client):
        await log_in(client)

        async def flagged(channel: str) -> bool:
            page = await (await client.get(f"/staff/complaints/{numbers[channel]}")).text()
            return "不会送达市民" in page

        assert await flagged("wechat") and not await flagged("web")  # the web chat's are fetched
        complaints.outbox.delivering.add("wechat")  # as a running Sender does
        assert not await flagged("wechat")

    async def main() -> None:
        app = build_web_app()
        setup_web(app, Services.of(answerer, store, web_settings, complaints=complaints), web_settings)
        async with TestClient(TestServer(app)) as client:
            await scenario(client)

    asyncio.run(main())


def test_staff_reply_reaches_the_citizen_and_the_audit_trail(site, store, web_settings, monkeypatch):
    async def scenario(client):
        number = await file_complaint(client)
        await log_in(client)
        listed = await (await client.get("/staff/complaints", params={"q": "态度"})).text()
        assert number in listed and "138****5678" in listed and "13812345678" not in listed
        detail = await (await client.get(f"/staff/complaints/{number}")).text()
        assert "13812345678" in detail  # unmasked for staff
        forged = await client.post(f"/staff/complaints/{number}/accepted", data={"csrf": "forged"})
        assert forged.status == 403
        accepted = await client.post(f"/staff/complaints/{number}/accepted", data={"csrf": csrf_of(detail)})
        assert '<p class="ok">已受理。</p>' in await accepted.text()  # the console's own notice, after the redirect
        # A link cannot put its own words in a staff page's banner (请访问 … 重新登录).
        lure = {"done": "请访问 http://evil.example 重新登录"}
        planted = await client.get(f"/staff/complaints/{number}", params=lure)
        assert "evil.example" not in await planted.text()
        planted = await client.get("/staff/enquiries", params={"done": "x", "done_sig": "0" * 32})
        assert '<p class="ok">' not in await planted.text()
        # Nor does a notice the console signed for one page show on another.
        moved = await client.get("/staff/enquiries", params=dict(accepted.url.query))
        assert "done_sig" in accepted.url.query and '<p class="ok">' not in await moved.text()
        # Nor an old one (a link kept, or sent on): its time is signed too.
        later = time.time() + security.NOTICE_SECONDS + 1
        monkeypatch.setattr(security, "time", SimpleNamespace(time=lambda: later))
        again = await (await client.get(accepted.url.path, params=dict(accepted.url.query))).text()
        assert number in again and '<p class="ok">' not in again
        monkeypatch.undo()
        # A reply over the limit is refused with the limit, never cut and sent (and none recorded).
        too_long = await client.post(
            f"/staff/complaints/{number}/replied", data={"csrf": csrf_of(detail), "text": "答" * 2001}
        )
        assert "超过了2000字" in await too_long.text()
        await client.post(
            f"/staff/complaints/{number}/replied",
            data={"csrf": csrf_of(detail), "text": "已核实，已批评教育。<i>x</i>"},
        )
        detail = await (await client.get(f"/staff/complaints/{number}")).text()
        assert "已答复" in detail and "&lt;i&gt;x&lt;/i&gt;" in detail
        # Who did each step, in words a clerk reads (the record keeps citizen, web:wangli).
        assert "wangli（工作台）" in detail and "市民" in detail and "web:wangli" not in detail
        chat = await (await client.get("/")).text()  # the citizen's page shows the reply once
        assert "已核实，已批评教育。" in chat and number in chat
        status = await (await client.get("/status", params={"number": number})).text()
        assert "已核实，已批评教育。" in status
        csv_response = await client.get("/staff/complaints.csv")
        assert (await csv_response.read()).startswith(b"\xef\xbb\xbf")
        return number

    number = site(scenario)
    events = Complaints(store, web_settings).events(Complaints(store, web_settings).get(number))
    assert [(e.kind, e.actor) for e in events] == [
        ("created", "citizen"),
        ("accepted", "web:wangli"),
        ("replied", "web:wangli"),
    ]


def test_enquiries_page_groups_the_same_question_asked_in_different_words(site):
    async def scenario(client):
        for question in ("明天会不会下雨", "明天会下雨吗", "明天下雨不"):
            await ask(client, question)
        await log_in(client)
        html = await (await client.get("/staff/enquiries")).text()
        assert re.search(r"<td class=\"num\"[^>]*>3</td>", html), html[html.find("<tbody>") :][:400]
        catalogue = await (await client.get("/staff/catalogue", params={"q": "安全生产月"})).text()
        assert "安全生产月" in catalogue and '<td data-label="标题">' in catalogue

    site(scenario)


def test_enquiries_page_shows_what_citizens_typed_not_the_normalised_text(site):
    async def scenario(client):
        for question in ("明天天气怎么样", "明天天气怎么样", "明天天气怎么样？", "明天的天气怎么样"):
            await ask(client, question)
        await log_in(client)
        html = await (await client.get("/staff/enquiries")).text()
        cells = r'<tr><td class="num"[^>]*>(\d+)</td><td[^>]*>([^<]*)</td><td class="muted"[^>]*>([^<]*)</td>'
        [row] = re.findall(cells, html)
        assert row[0] == "4" and row[1] == "明天天气怎么样"  # typed: 样 kept (normalised: 明天天气怎么)
        assert "明天天气怎么样？" in row[2] and "明天的天气怎么样" in row[2]

    site(scenario)


def test_enquiries_the_knowledge_now_answers_are_set_apart_and_one_said_to_miss_waits(site, store, answerer):
    async def scenario(client):
        # Not answered when asked (by an older guide, or before staff taught a wording like it).
        asked = answerer.answer("申请要收费吗")
        store.record_enquiry(Enquiry("web", None, asked.normalized, "fallback", None, 0.1, 5.0, typed=asked.q))
        await ask(client, "多久答复")
        await ask(client, texts.MISSED_SAYS, missed="1")  # the answer said to miss it
        await ask(client, "明天会不会下雨")
        await log_in(client)
        page = await (await client.get("/staff/enquiries")).text()
        waiting, now = page.split("现在能答复的", 1)
        now = now.split("把握不大的答复")[0]
        fee, deadline = (answerer.matcher.knowledge.entry(e).question for e in ("fee-free", "deadline"))
        assert "申请要收费吗" in now and fee in now and "申请要收费吗" not in waiting
        # Answered now by the entry the citizen said missed it: it waits, and staff see which.
        assert "多久答复" in waiting and f"市民说没答到：{deadline}" in waiting and "多久答复" not in now
        assert "明天会不会下雨" in waiting

    site(scenario)


@pytest.mark.parametrize(
    "text,shown,hidden",
    [
        ('<script>alert("x")</script>态度差', "&lt;script&gt;alert", "<script>alert"),
        # A citizen's U+202E would reverse the rest of the line on the staff's pages.
        ("态度差\u202e电话13812345678", "态度差电话13812345678", "\u202e"),
        # A terminal's escape and bell: no page may hold them.
        ("态度差\x1b[31m红色\x07", "态度差[31m红色", "\x1b"),
    ],
)
def test_what_a_citizen_typed_is_shown_to_staff_as_text(site, text, shown, hidden):
    async def scenario(client):
        number = await file_complaint(client, text=text)
        await log_in(client)
        for path in ("/staff/complaints", f"/staff/complaints/{number}"):
            html = await (await client.get(path)).text()
            assert shown in html and hidden not in html, path

    site(scenario)


def test_a_question_with_control_characters_is_listed_without_them(site):
    async def scenario(client):
        # One the bot cannot answer, listed to be taught; a terminal's colour code goes whole.
        await ask(client, "我家的猫\x1b[31m是红色的\x07\u202e")
        await log_in(client)
        html = await (await client.get("/staff/enquiries")).text()
        assert "我家的猫是红色的" in html and not {"\x1b", "\x07", "\u202e"} & set(html)

    site(scenario)


@pytest.mark.parametrize(
    ("query", "said"), [({"status": "bogus"}, "状态应为"), ({"since": "2026-13-45"}, "“2026-13-45”不是日期")]
)
def test_a_filter_that_is_not_one_is_said_not_listed_as_nothing(site, query, said):
    async def scenario(client):
        await file_complaint(client)
        await log_in(client)
        response = await client.get("/staff/complaints", params=query)
        return response.status, await response.text()

    status, html = site(scenario)
    assert status == 400 and said in html and "共 0 件" not in html and "没有符合条件" not in html


def test_the_staff_export_neutralises_formulas(site):
    async def scenario(client):
        number = await file_complaint(client, text='=HYPERLINK("http://evil.example","点我")')
        await log_in(client)
        response = await client.get("/staff/complaints.csv")
        assert response.status == 200 and response.content_type == "text/csv"
        [row] = csv.DictReader(io.StringIO((await response.read()).decode("utf-8-sig"), newline=""))
        assert row["编号"] == number and row["内容"] == '\'=HYPERLINK("http://evil.example","点我")'

    site(scenario)


def test_the_staff_exports_hold_what_the_list_shows(site, store, web_settings):
    log = Complaints(store, web_settings)
    filed = [
        log.file(Draft(text, name=name), channel="web", chat_id=name, user_id=name, dedupe_key=name)
        for text, name in (("甲事", "赵"), ("乙事", "钱"), ("丙事", "孙"))
    ]
    log.act(filed[0].number, "closed", "web:wangli", "已办结")
    file_name = quote(f"投诉台账-{log.today():%Y%m%d}.xlsx")

    async def scenario(client):
        anonymous = await client.get("/staff/complaints.xlsx", allow_redirects=False)
        assert anonymous.status == 303 and anonymous.headers["Location"].startswith("/staff/login")
        await log_in(client)
        listed = await (await client.get("/staff/complaints", params={"status": "all", "q": "孙"})).text()
        # The export links carry the list's filter.
        assert 'href="/staff/complaints.xlsx?status=all&amp;q=%E5%AD%99"' in listed
        assert 'href="/staff/complaints.csv?status=all&amp;q=%E5%AD%99"' in listed
        response = await client.get("/staff/complaints.xlsx", params={"status": "closed"})
        assert response.status == 200 and response.content_type == XLSX
        assert f"filename*=UTF-8''{file_name}" in response.headers["Content-Disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(await response.read())).active
        assert [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)] == [filed[0].number]
        searched = await client.get("/staff/complaints.csv", params={"status": "all", "q": "孙"})
        rows = list(csv.DictReader(io.StringIO((await searched.read()).decode("utf-8-sig"), newline="")))
        assert [r["编号"] for r in rows] == [filed[2].number] and rows[0]["渠道"] == "网站"
        opened = await client.get("/staff/complaints.csv")  # no filter: the list's own, the open ones
        assert [r["编号"] for r in csv.DictReader(io.StringIO((await opened.read()).decode("utf-8-sig")))] == [
            c.number for c in filed[1:]
        ]
        assert (await client.get("/staff/complaints.xlsx", params={"status": "nonsense"})).status == 400

    site(scenario)


# --- gongkai run -------------------------------------------------------------------------------------------


def test_gongkai_run_serves_the_site_and_prints_its_addresses(tmp_path):
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from ..conftest import ROOT, free_port, gongkai_env

    port = free_port()
    env = gongkai_env(tmp_path / "g.db", port=port)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line and "/staff" in line
        # A fresh install is told which of the office's contacts are still sample values.
        warning = process.stdout.readline()
        assert "GONGKAI_OFFICE_PHONE" in warning and "GONGKAI_SUPERVISION_PHONE" in warning
        assert "gongkai setup" in warning
        # And of the next twelve months' years whose holidays are not known (2027's in chinesecalendar
        # 1.11, read from 2026's last months): their deadlines would skip too few days.
        from bot.knowledge import load
        from bot.services.calendar import WorkCalendar

        gaps = WorkCalendar(load(ROOT / "knowledge").calendar).unknown_ahead()
        if gaps:
            holidays = process.stdout.readline()
            assert f"public holidays of {gaps[0]}" in holidays and "calendar.yaml" in holidays
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
                    assert "政府信息公开咨询" in response.read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=20)[0]
    assert process.returncode == 0, output


# --- sessions (issue 12, item 6) and the widget's frame (item 4) ---------------------------------------


async def serve_site(
    answerer, store, settings, scenario: Callable[[TestClient], Awaitable[Any]], *, cookies: bool = True
) -> Any:
    app = build_web_app()
    setup_web(app, Services.of(answerer, store, settings, complaints=Complaints(store, settings)), settings)
    jar = {} if cookies else {"cookie_jar": aiohttp.DummyCookieJar()}
    async with TestClient(TestServer(app), **jar) as test_client:
        return await scenario(test_client)


async def to_confirm(client: TestClient, **extra: str) -> tuple[str, str]:
    """A complaint filled in up to its confirm step: the confirm page's CSRF token and nonce."""
    page = await (await client.get("/complaint", **extra)).text()
    confirm = await client.post(
        "/complaint",
        data={"csrf": csrf_of(page), "kind": "投诉", "topic": "conduct", "text": "窗口拒绝查阅", "name": "张三"},
    )
    html = await confirm.text()
    assert "请确认" in html
    return csrf_of(html), re.search(r'name="nonce" value="([^"]+)"', html).group(1)


def test_the_conversation_and_the_draft_at_its_confirm_step_survive_a_restart(answerer, db_path, web_settings):
    first = Store(db_path)

    async def before(client):
        await ask(client, "申请信息公开要收费吗")
        csrf, nonce = await to_confirm(client)
        return client.session.cookie_jar.filter_cookies(client.make_url("/"))["gk_chat"].value, csrf, nonce

    token, csrf, nonce = asyncio.run(serve_site(answerer, first, web_settings, before))
    first.close()
    second = Store(db_path)  # the restart: a new process, the same database

    async def after(client):
        client.session.cookie_jar.update_cookies({"gk_chat": token})
        chat = await (await client.get("/")).text()
        assert "申请信息公开要收费吗" in chat and "不收费" in chat
        filed = await client.post("/complaint/confirm", data={"csrf": csrf, "nonce": nonce})
        return re.search(r'id="number">([^<]+)<', await filed.text()).group(1)

    number = asyncio.run(serve_site(answerer, second, web_settings, after))
    assert Complaints(second, web_settings).get(number).text == "窗口拒绝查阅"
    second.close()


def test_an_application_at_its_confirm_step_survives_a_restart(answerer, db_path, web_settings):
    # It was held in memory: after a restart 提交 said 这份申请表已过期 and every field was empty.
    from bot.services.applications import Applications

    from .test_web_applications import FIELDS

    first = Store(db_path)

    async def before(client):
        page = await (await client.get("/apply")).text()
        confirm = await (await client.post("/apply", data={"csrf": csrf_of(page), **FIELDS})).text()
        assert "请确认您的申请" in confirm and FIELDS["id_number"] not in confirm  # not sent back
        hidden = dict(re.findall(r'name="([^"]+)" value="([^"]*)">', confirm))
        return client.session.cookie_jar.filter_cookies(client.make_url("/"))["gk_chat"].value, hidden

    token, hidden = asyncio.run(serve_site(answerer, first, web_settings, before))
    first.close()
    second = Store(db_path)  # the restart: a new process, the same database

    async def after(client):
        client.session.cookie_jar.update_cookies({"gk_chat": token})
        filed = await (await client.post("/apply/confirm", data=hidden)).text()
        again = await (await client.post("/apply/confirm", data=hidden)).text()  # a second click
        numbers = [re.search(r"申[0-9]{8}-[0-9]{4}-[0-9]", page) for page in (filed, again)]
        return [m.group(0) if m else None for m in numbers]

    first_number, second_number = asyncio.run(serve_site(answerer, second, web_settings, after))
    assert first_number is not None and first_number == second_number
    filed = Applications(second, web_settings).get(first_number)
    assert filed is not None and filed.id_number == FIELDS["id_number"] and filed.email == FIELDS["email"]
    row = second.reader.execute("select application from chat_sessions").fetchone()
    assert FIELDS["id_number"] not in row[0]  # once filed, the session keeps its number only
    second.close()


def test_a_cookie_the_server_did_not_issue_gets_a_new_session(site):
    async def scenario(client):
        client.session.cookie_jar.update_cookies({"gk_chat": "chosen-by-the-client-0123456789"})
        response = await client.get("/")
        issued = response.cookies["gk_chat"].value
        assert issued != "chosen-by-the-client-0123456789" and issued.count(".") == 2
        again = await client.get("/")
        assert "gk_chat" not in again.cookies or again.cookies["gk_chat"].value == issued

    site(scenario)


def test_a_flood_of_cookieless_visits_writes_nothing_and_flushes_no_draft(site, store):
    async def scenario(client):
        csrf, nonce = await to_confirm(client)
        flood = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        async with flood:
            for _ in range(20):
                await asyncio.gather(*((await_get(flood, client.make_url("/"))) for _ in range(50)))
        filed = await client.post("/complaint/confirm", data={"csrf": csrf, "nonce": nonce})
        assert re.search(r'id="number">([^<]+)<', await filed.text())

    site(scenario)
    assert store.reader.execute("select count(*) from chat_sessions").fetchone() == (1,)


async def await_get(session: aiohttp.ClientSession, url: Any) -> None:
    async with session.get(url) as response:
        assert response.status == 200


FRAME = {"Sec-Fetch-Dest": "iframe"}


def token_of(html: str) -> str:
    return re.search(r'data-session="([^"]+)"', html).group(1)


def test_inside_a_frame_the_session_needs_no_cookie(answerer, store, web_settings):
    settings = web_settings.model_copy(update={"web_embed_origins": ["http://county.example"]})

    async def scenario(client):
        page = await (await client.get("/?embed=1&origin=http://county.example", headers=FRAME)).text()
        token = token_of(page)
        assert 'data-parent="http://county.example"' in page
        # chat.js: the token as a header, the form's hidden fields as they are.
        turns = await client.post(
            f"/chat?embed=1&s={token}",
            data={"csrf": csrf_of(page), "q": "多久答复"},
            headers={"X-Requested-With": "fetch", "X-Gongkai-Session": token},
        )
        assert turns.status == 200 and "工作日" in await turns.text()
        # Without JavaScript: the links and forms carry the session.
        again_response = await client.get(f"/?embed=1&s={token}", headers=FRAME)
        again = await again_response.text()
        assert "多久答复" in again and f"s={token}" in again
        # The link's token is never made the browser's cookie (a crafted link would fix a session).
        assert "gk_chat" not in again_response.headers.get("Set-Cookie", "")
        form = await (await client.get(f"/complaint?embed=1&s={token}", headers=FRAME)).text()
        assert f'action="/complaint?embed=1&amp;s={token}"' in form and 'class="top"' not in form  # no site header
        confirm = await client.post(
            f"/complaint?embed=1&s={token}",
            data={"csrf": csrf_of(form), "kind": "投诉", "topic": "other", "text": "态度差"},
            headers=FRAME,
        )
        confirm_html = await confirm.text()
        nonce = re.search(r'name="nonce" value="([^"]+)"', confirm_html).group(1)
        filed = await client.post(
            f"/complaint/confirm?embed=1&s={token}",
            data={"csrf": csrf_of(confirm_html), "nonce": nonce},
            headers=FRAME,
        )
        filed_html = await filed.text()
        number = re.search(r'id="number">([^<]+)<', filed_html).group(1)
        status_link = re.search(r'href="(/status\?number=[^"]+)"', filed_html).group(1).replace("&amp;", "&")
        status = await (await client.get(status_link, headers=FRAME)).text()
        assert number in status and "待受理" in status and 'name="s"' in status
        # A forged post, or the token without its CSRF token, is refused as before.
        forged = await client.post(f"/chat?embed=1&s={token}", data={"csrf": "forged", "q": "x"}, headers=FRAME)
        assert forged.status == 403
        # Opened in a tab (not a frame), a link's token is not taken: a stranger's session is not slipped in.
        tab = await client.get(f"/?embed=1&s={token}", headers={"Sec-Fetch-Dest": "document"})
        assert token_of(await tab.text()) != token
        # Nor where the request does not say it is a frame's (an old browser, curl): no session fixation.
        unsaid = await client.get(f"/?embed=1&s={token}")
        assert token_of(await unsaid.text()) != token

    asyncio.run(serve_site(answerer, store, settings, scenario, cookies=False))


def test_the_sites_of_web_embed_origins_may_frame_the_citizens_pages_only(answerer, store, web_settings):
    settings = web_settings.model_copy(
        update={"web_embed_origins": ["https://www.example.gov.cn", "https://*.county.cn"]}
    )

    async def scenario(client):
        for path in ("/", "/?embed=1", "/complaint?embed=1", "/status?embed=1"):
            response = await client.get(path)
            policy = response.headers["Content-Security-Policy"]
            assert "frame-ancestors 'self' https://www.example.gov.cn https://*.county.cn" in policy, path
            assert "X-Frame-Options" not in response.headers, path
        staff = await client.get("/staff/login")
        assert "frame-ancestors 'self'" in staff.headers["Content-Security-Policy"]
        assert staff.headers["X-Frame-Options"] == "SAMEORIGIN"
        for origin, told in [
            ("https://a.county.cn", True),
            ("https://evil.example", False),
            ("https://county.cn", False),
        ]:
            page = await (await client.get(f"/?embed=1&origin={origin}", headers=FRAME)).text()
            assert (f'data-parent="{origin}"' in page) is told, origin

    asyncio.run(serve_site(answerer, store, settings, scenario))
