"""The citizen's chat and complaint form in a real browser, with chat.js: the pointers in answers,
a long message, and each kind's topics (``test_browser`` has the browser and the running site)."""

from __future__ import annotations

from playwright.sync_api import expect

from .test_browser import browser, chromium, site  # noqa: F401  (fixtures)


def test_a_pointer_asks_its_question_in_place(site, browser):  # noqa: F811
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(site + "/")
    page.fill("#q", "申请信息公开要收费吗")
    page.press("#q", "Enter")
    pointer = page.wait_for_selector("button.pointer", timeout=30_000)
    assert pointer.inner_text() == "“什么是信息处理费”"
    # It flows in the sentence, on the line of the words before it (not a block of its own).
    after = pointer.evaluate("b => b.getBoundingClientRect().left - b.parentElement.getBoundingClientRect().left")
    assert after > 20, after
    url = page.url
    pointer.click()
    page.wait_for_selector("text=信息处理费是", timeout=30_000)
    assert page.url == url  # answered in place by chat.js, not by a reload
    assert page.locator(".turn.me").last.inner_text() == "什么是信息处理费"


def test_only_the_last_answer_says_it_may_have_missed_and_a_click_offers_the_others(site, browser):  # noqa: F811
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(site + "/")
    welcome = page.locator(".turn.bot").count()
    for asked, question in enumerate(("申请要钱吗", "多久答复"), 1):
        page.fill("#q", question)
        page.press("#q", "Enter")
        expect(page.locator(".turn.bot")).to_have_count(welcome + asked, timeout=30_000)
    missed = page.locator("form.missed button")
    assert missed.count() == 1  # the first answer's went when the second came (chat.js)
    missed.click()
    page.wait_for_selector("text=您问的“多久答复”，是下面哪一个？", timeout=30_000)
    assert page.locator("form.missed").count() == 0
    assert page.locator("form.choices button").count() >= 1


def test_a_long_story_is_sent_whole_and_carried_into_the_form(site, browser):  # noqa: F811
    story = "工作人员拒绝接收我的申请，" * 50  # 650 characters: more than the old maxlength of 500
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(site + "/")
    page.fill("#q", story)
    assert page.input_value("#q") == story  # the input takes all of it
    page.press("#q", "Enter")
    page.wait_for_selector(f"text=您的消息有{len(story)}字", timeout=30_000)
    page.click("a.button[href*='/complaint']")
    assert page.input_value("#text") == story


def test_the_form_shows_the_chosen_kinds_topics(site, browser):  # noqa: F811
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(site + "/complaint?kind=举报")
    tipoff, complaint = page.locator(".topic-group[data-kind='举报']"), page.locator(".topic-group[data-kind='投诉']")
    assert tipoff.is_visible() and not complaint.is_visible()
    assert tipoff.locator("input[value=other]").is_checked()
    page.check("input[name=kind][value=投诉]")
    assert complaint.is_visible() and not tipoff.is_visible()
    assert complaint.locator("input[value=other]").is_checked()  # the choice follows the kind
    assert "依申请公开的答复" in complaint.inner_text() and "安全隐患" not in complaint.inner_text()
