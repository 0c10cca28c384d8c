"""The website in a real browser: Playwright driving Debian's Chromium, headless, against
``gongkai run`` as a subprocess. Screenshots of every page, on a phone (390 px wide) and on a
desktop (1366 px), go to test-artifacts/screenshots/ as ``<width>-<page>.png``.

The test setup installs the ``chromium`` package when it is missing and the tests run as root
(Playwright's own browser download needs the internet; Debian's package comes from the mirror).
"""

from __future__ import annotations

import contextlib
import http.server
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import ROOT, free_port, gongkai_env

SHOTS = ROOT / "test-artifacts" / "screenshots"
PASSWORD = "correct horse battery"
# How long a page may take to show what it waits for: the first answer of a fresh server embeds
# its question, and a shared machine under load has taken more than 10 s.
WAIT = 30_000


def _has_chinese_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    return bool(subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip())


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's chromium, with a Chinese font for the screenshots (.ci/run installs both)."""
    path = shutil.which("chromium")
    if path is None or not _has_chinese_font():
        pytest.fail("the browser tests need Debian's chromium: apt-get install chromium fonts-noto-cjk (as root)")
    return path


@contextlib.contextmanager
def gongkai_run(folder: Path, **settings: object) -> Iterator[str]:
    """``gongkai run`` on a free port with a fresh database in ``folder``, one admin account and
    ``settings``; its base URL."""
    port = free_port()
    env = gongkai_env(folder / "g.db", port=port, **settings)
    subprocess.run(
        [sys.executable, "-m", "bot", "staff", "add", "wangli", "--role", "admin", "--password", PASSWORD],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/healthz").close()
            break
        except OSError:
            assert time.monotonic() < deadline, "gongkai run did not start"
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    with gongkai_run(tmp_path_factory.mktemp("site")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield browser
        browser.close()


def shot(page, name: str, *, full: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def test_citizen_and_staff_in_a_browser(site, browser):
    citizen = browser.new_context(locale="zh-CN", viewport={"width": 420, "height": 860})
    page = citizen.new_page()
    page.goto(site + "/")
    # A question with a homophone typo, answered in place (chat.js, no reload).
    page.fill("#q", "身请信息公开收费吗")
    page.press("#q", "Enter")
    page.wait_for_selector("text=不收取费用", timeout=WAIT)
    assert page.input_value("#q") == ""
    # A vague one: the choices are buttons; a click answers.
    page.fill("#q", "期限")
    page.click("#ask button[type=submit]")
    page.wait_for_selector("button[name=choice]")
    page.locator("button[name=choice]").first.click()
    page.wait_for_selector("text=依据", timeout=WAIT)

    # A complaint, through the form and its confirmation, to the number.
    page.goto(site + "/complaint")
    page.fill("#text", "上周三去窗口查2009年的执法检查结果，工作人员说没有，还很不耐烦。")
    page.check("input[name=topic][value=conduct]")
    page.fill("#name", "王小明")
    page.fill("#phone", "13812345678")
    page.click("button.primary")
    page.wait_for_selector("text=请确认您的投诉")
    page.click("button.primary")
    number = page.inner_text("#number").strip()
    assert number.startswith("20") and len(number) >= 14

    # Staff log in, find it, reply.
    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    desk.goto(site + "/staff/complaints")
    assert "/staff/login" in desk.url
    desk.fill("#username", "wangli")
    desk.fill("#password", PASSWORD)
    desk.click("button.primary")
    desk.wait_for_selector(f"text={number}")
    assert "138****5678" in desk.content()
    desk.goto(site + "/staff")
    desk.goto(site + "/staff/complaints")
    desk.click(f"text={number}")
    desk.click("button:has-text('受理')")
    desk.fill("#reply", "王先生您好：已核实，已对窗口人员批评教育；2009年执法检查结果见本局网站“执法检查”栏目。")
    desk.click("button:has-text('发送答复')")
    desk.wait_for_selector("text=已答复")
    trail = desk.inner_text(".trail")
    assert "受理" in trail and "wangli（工作台）" in trail and "web:wangli" not in trail

    # The citizen sees the reply on status look-up, and in the chat.
    page.goto(site + f"/status?number={number}")
    page.wait_for_selector("text=已对窗口人员批评教育")
    page.goto(site + "/")
    page.wait_for_selector("text=已对窗口人员批评教育")
    citizen.close()
    staff.close()


PHONE = 390  # an iPhone 12 to 15: the narrowest screen the pages are made for


def fits(page, width: int, name: str, *, full: bool = True) -> None:
    """Shoot the page as ``<width>-<name>.png`` (the whole page, or what the screen shows when not
    ``full``); on a phone, the page must not scroll sideways."""
    shot(page, f"{width}-{name}", full=full)
    if width <= PHONE:
        scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{name} is {scroll} px wide on a {inner} px screen"


@pytest.mark.parametrize("width", [PHONE, 1366])
def test_every_page_on_a_phone_and_a_desktop(site, browser, width):
    height = 844 if width == PHONE else 900
    citizen = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = citizen.new_page()
    page.goto(site + "/")
    fits(page, width, "chat")
    page.fill("#q", "申请信息公开收费吗")
    page.press("#q", "Enter")
    page.wait_for_selector("text=不收取费用", timeout=WAIT)
    page.wait_for_timeout(600)  # chat.js scrolls to the answer smoothly
    fits(page, width, "chat-answer", full=False)  # the question bar stays at the screen's foot
    page.fill("#q", "期限")
    page.press("#q", "Enter")
    page.wait_for_selector("button[name=choice]")
    page.wait_for_timeout(600)
    fits(page, width, "chat-choices", full=False)
    unanswered, words = ("你们食堂的饭菜好吃吗", "食堂") if width == PHONE else ("明天会下雨吗", "下雨")
    page.fill("#q", unanswered)  # for the staff to teach
    page.press("#q", "Enter")
    page.locator(".turn.bot").nth(3).wait_for()

    page.goto(site + "/complaint")
    page.fill("#text", "上周三去窗口查2009年的执法检查结果，工作人员说没有，还很不耐烦。")
    page.check("input[name=topic][value=conduct]")
    page.fill("#name", "王小明")
    page.fill("#phone", "13812345678")
    fits(page, width, "complaint")
    page.click("button.primary")
    page.wait_for_selector("text=请确认您的投诉")
    fits(page, width, "complaint-confirm")
    page.click("button.primary")
    number = page.inner_text("#number").strip()
    fits(page, width, "complaint-filed")
    page.goto(site + f"/status?number={number}")
    page.wait_for_selector(".summary")
    fits(page, width, "status")
    # The look-up's button stays one line (it once wrapped a character a line).
    box = page.locator(".inline button").bounding_box()
    assert box is not None and box["height"] < 60, box

    page.goto(site + "/apply")
    page.check("input[name=applicant][value=person]")
    page.fill("#name", "王小明")
    page.fill("#id_number", "370303199001011239")
    page.fill("#phone", "13912345678")
    page.fill("#email", "wang@example.com")
    page.fill("#description", "2026年本局烟花爆竹经营许可的审批结果")
    page.check("input[name=form][value=electronic]")
    page.check("input[name=delivery][value=email]")
    fits(page, width, "apply")
    page.click("button.primary")
    page.wait_for_selector("text=请确认您的申请")
    fits(page, width, "apply-confirm")
    page.click("button.primary")
    page.wait_for_selector("#number")
    fits(page, width, "apply-filed")

    response = page.goto(site + "/no-such-page")
    assert response is not None and response.status == 404
    assert page.locator("header.top").count() == 1 and page.locator("main a[href='/']").count() == 1
    fits(page, width, "404")
    citizen.close()

    staff = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    desk = staff.new_page()
    desk.goto(site + "/staff")
    fits(desk, width, "staff-login")
    desk.fill("#username", "wangli")
    desk.fill("#password", PASSWORD)
    desk.click("button.primary")
    desk.wait_for_selector(".tiles")
    fits(desk, width, "staff-dashboard")
    desk.goto(site + "/staff/complaints")
    fits(desk, width, "staff-complaints")
    desk.click(f"text={number}")
    desk.wait_for_selector(".trail")
    fits(desk, width, "staff-complaint")
    desk.goto(site + "/staff/applications?status=all")
    fits(desk, width, "staff-applications")
    desk.locator(".list a").first.click()
    desk.wait_for_selector(".trail")
    fits(desk, width, "staff-application")
    desk.goto(site + "/staff/applications/new")
    fits(desk, width, "staff-application-new")
    desk.goto(site + "/staff/enquiries")
    fits(desk, width, "staff-enquiries")
    desk.locator("tr", has_text=words).locator("a", has_text="教会它").click()
    desk.wait_for_selector("text=教机器人答复这些问法")
    fits(desk, width, "staff-teach")
    # Nothing is ticked for an unlikely entry: staff choose one themselves.
    assert not desk.locator("input[name=entry_id]:checked").count()
    desk.locator("input[name=entry_id]").first.check()
    desk.click("button:has-text('用选中的条目答复')")  # for the list of what was taught
    desk.wait_for_selector(".ok")
    desk.goto(site + "/staff/taught")
    fits(desk, width, "staff-taught")
    desk.goto(site + "/staff/accounts")
    fits(desk, width, "staff-accounts")
    desk.goto(site + "/staff/catalogue?q=安全生产月")
    fits(desk, width, "staff-catalogue")
    desk.goto(site + "/staff/report")
    fits(desk, width, "staff-report")
    response = desk.goto(site + "/staff/no-such-page")
    assert response is not None and response.status == 404
    assert desk.locator("main a[href='/staff']").count() == 1
    fits(desk, width, "staff-404")
    staff.close()


def test_a_question_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(site + "/")
    page.fill("#q", "多久答复")
    page.click("#ask button[type=submit]")
    page.wait_for_selector("text=工作日", timeout=WAIT)
    assert page.url.endswith("/#end")
    shot(page, "1280-no-javascript")
    context.close()


def test_the_widget_opens_the_chat_on_another_page(site, browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(site + "/widget-example")
    page.click("button:has-text('政务咨询')")
    frame = page.frame_locator("iframe[title=政务咨询]")
    frame.locator("#q").fill("怎么申请")
    frame.locator("#q").press("Enter")
    frame.locator(".turn.bot").last.wait_for()
    shot(page, "1280-widget")
    assert Path(SHOTS / "1280-widget.png").stat().st_size > 0
    context.close()


@pytest.fixture(scope="module")
def county_portal(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A county portal at http://localhost:<port> (another site than 127.0.0.1: the widget's frame
    is cross-site, its SameSite cookie never sent) embedding the widget of ``gongkai run``, which
    lets that portal frame it (GONGKAI_WEB_EMBED_ORIGINS). The portal's and Gongkai's base URLs."""
    port = free_port()
    portal = f"http://localhost:{port}"
    with gongkai_run(tmp_path_factory.mktemp("embedded"), web_embed_origins=portal) as base:
        page = (
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>县政府门户</title></head>'
            f'<body><h1>县政府门户网站</h1><script src="{base}/widget.js" async></script></body></html>'
        ).encode()

        class Portal(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Portal)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield portal, base
        finally:
            server.shutdown()
            server.server_close()


def test_the_widget_works_framed_by_another_site(county_portal, browser):
    portal, base = county_portal
    context = browser.new_context(locale="zh-CN", viewport={"width": 1024, "height": 860})
    page = context.new_page()
    page.goto(portal + "/")
    page.click("button:has-text('政务咨询')")
    frame = page.frame_locator("iframe[title=政务咨询]")
    # The chat: a question answered in place (chat.js posts with the session's header).
    frame.locator("#q").fill("申请信息公开收费吗")
    frame.locator("#q").press("Enter")
    frame.locator("text=不收取费用").wait_for(timeout=WAIT)
    # The complaint form, its confirmation and the number, inside the panel.
    frame.locator(".embed-nav a", has_text="投诉举报").click()
    frame.locator("#text").fill("县里窗口说2009年的执法检查结果不能看，也不说依据。")
    frame.locator("input[name=topic][value=conduct]").check()
    frame.locator("button.primary").click()
    frame.locator("text=请确认您的投诉").wait_for()
    frame.locator("button.primary").click()
    number = frame.locator("#number").inner_text().strip()
    assert number.startswith("20")
    shot(page, "1024-widget-on-another-site-filed")
    # The status page, inside the panel too.
    frame.locator("a", has_text="查询办理进度").click()
    frame.locator(".status").wait_for()
    assert number in frame.locator("main").inner_text() and "待受理" in frame.locator("main").inner_text()
    shot(page, "1024-widget-on-another-site-status")
    # No cookie of Gongkai's was needed, nor could be set, inside the cross-site frame.
    assert [c["name"] for c in context.cookies(base)] == []
    # The portal keeps the session for the next visit: the conversation is still there.
    page.reload()
    page.click("button:has-text('政务咨询')")
    frame = page.frame_locator("iframe[title=政务咨询]")
    frame.locator(".turn.me", has_text="申请信息公开收费吗").wait_for(timeout=WAIT)
    context.close()
