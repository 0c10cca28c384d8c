"""What every response of the one HTTP server shares: a 4xx with a short Chinese message for any
malformed request (never a 500), security headers on every response, errors included, and no
version in ``Server``. Every route is fuzzed: the web chat, the staff console (logged in and not),
WeChat's callback and Telegram's webhook."""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot import texts
from bot.app import Services, build_web_app
from bot.channels import http as http_guard
from bot.channels.telegram import WEBHOOK_PATH, add_webhook, build_dispatcher
from bot.channels.web import setup as setup_web
from bot.channels.wechat import setup as setup_wechat
from bot.services.complaints import Complaints
from bot.services.staff import StaffAccounts

from ..fakes import make_bot
from ..wechat_fakes import PATH, TOKEN, sign, wechat_settings
from .test_web import PASSWORD, csrf_of, log_in

SECRET = "s3cret"
CJK = re.compile("[\u4e00-\u9fff]")
FIELDS = ("q", "csrf", "choice", "kind", "topic", "text", "name", "phone", "nonce", "number", "rating", "username")


@asynccontextmanager
async def whole_site(answerer: Any, store: Any, settings: Any) -> AsyncIterator[TestClient]:
    """Every channel on the one application, as ``gongkai run`` wires it, and a route that fails."""
    # No API: nothing to send. Log-ins unlimited: the fuzz posts the log-in form hundreds of times.
    configured = wechat_settings(settings, wechat_app_secret=None, staff_logins_per_minute=1_000_000)
    services = Services.of(answerer, store, configured, complaints=Complaints(store, configured))
    app = build_web_app()
    setup_web(app, services, configured)
    setup_wechat(app, services, configured)
    add_webhook(app, build_dispatcher(services, configured), make_bot(), SECRET)

    async def broken(_: web.Request) -> web.Response:
        raise RuntimeError("a bug")

    app.router.add_get("/broken", broken)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server(**http_guard.SERVER_OPTIONS)  # as serve() runs it (TestClient would not)
    async with TestClient(server) as client:
        yield client


@pytest.fixture
def site(answerer, store, settings):
    StaffAccounts(store, settings).add("wangli", PASSWORD)

    def run(scenario: Any) -> Any:
        async def main() -> Any:
            async with whole_site(answerer, store, settings) as client:
                return await scenario(client)

        return asyncio.run(main())

    return run


def check(response: aiohttp.ClientResponse, body: bytes, what: str) -> None:
    """Never a 500; an error says what is wrong in Chinese; the headers are on it; no version."""
    assert response.status < 500, (what, response.status, body[:300])
    if response.status >= 400:
        assert CJK.search(body.decode("utf-8", "replace")), (what, response.status, body[:300])
        assert len(body) < 20_000 or b"<html" in body, what  # short, or a page of the site
    assert response.headers.get("Server") == "gongkai", what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert "Content-Security-Policy" in response.headers, what


def routes(client: TestClient) -> list[tuple[str, str]]:
    """Every route's method and a path for it (placeholders filled in)."""
    found = []
    for route in client.server.app.router.routes():  # type: ignore[union-attr]
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter") or info.get("prefix") or ""
        path = path.replace("{number}", "20261127-001-6").replace("{action}", "accepted")
        path = re.sub(r"\{[^}]+\}", "x", path)
        pattern = info.get("pattern")
        if pattern is not None and not pattern.fullmatch(path):
            path = path.replace("x", "2009", 1)  # a placeholder that takes digits only ({year:\d{4}})
        if route.method != "HEAD" and path != "/broken":
            found.append((route.method, path))
    return sorted(set(found))


def bodies(rng: random.Random) -> list[tuple[str, bytes | aiohttp.FormData, dict[str, str]]]:
    """Malformed bodies, each with a name and headers."""
    junk = rng.randbytes(rng.randint(1, 3000))
    form = "application/x-www-form-urlencoded"
    cases: list[tuple[str, bytes | aiohttp.FormData, dict[str, str]]] = [
        ("random bytes as a form", junk, {"Content-Type": form}),
        ("random bytes, no type", junk, {}),
        ("not UTF-8", b"q=\xff&csrf=\xfe&text=\xc3\x28&username=\xff", {"Content-Type": form}),
        ("not UTF-8, percent-encoded", b"q=%ff%fe&text=%c3%28&csrf=%ff", {"Content-Type": form}),
        ("unknown charset", b"q=1", {"Content-Type": form + "; charset=x-klingon"}),
        ("multipart without a boundary", junk, {"Content-Type": "multipart/form-data"}),
        ("multipart that is not", junk, {"Content-Type": "multipart/form-data; boundary=gk"}),
        (
            "multipart cut short",
            b'--gk\r\nContent-Disposition: form-data; name="q"\r\n\r\n\xff\xfe',
            {"Content-Type": "multipart/form-data; boundary=gk"},
        ),
        ("multipart with a broken header", b"--gk\r\nbroken", {"Content-Type": "multipart/form-data; boundary=gk"}),
        ("json", b'{"q": [1, 2], "csrf": null}', {"Content-Type": "application/json"}),
        ("xml", b"<xml><a>&lt;</a>", {"Content-Type": "text/xml"}),
        ("huge field", b"q=" + b"x" * 300_000, {"Content-Type": form}),
        # Said to be compressed and not: aiohttp's decompressing parser failed with tracebacks.
        ("deflate that is not", b"q=1&csrf=x", {"Content-Type": form, "Content-Encoding": "deflate"}),
        ("gzip that is not", junk, {"Content-Type": "text/xml", "Content-Encoding": "gzip"}),
        ("unknown encoding", b"q=1", {"Content-Type": form, "Content-Encoding": "x-klingon"}),
    ]
    files = aiohttp.FormData()
    for name in FIELDS:
        files.add_field(name, rng.randbytes(64), filename="a.bin", content_type="application/octet-stream")
    cases.append(("a file for every text field", files, {}))
    return cases


QUERIES = [
    "?page=99999999999999999999",
    "?page=-1&status=%ff&kind=%00&since=%ff%fe&q=%c3%28",
    "?number=%ff%fe&embed=%00",
    "?next=%ff//evil.example&kind=%e4",
    "?timestamp=99999999999999999999999&nonce=%ff&signature=%ff&echostr=%ff",
    "?page=１２",
    "?" + "a=1&" * 500,
]


def test_every_route_answers_malformed_requests_with_a_4xx_in_chinese(site):
    rng = random.Random(12)

    async def scenario(client: TestClient) -> int:
        sent = 0
        for logged_in in (False, True):
            if logged_in:
                assert "概览" in await log_in(client)
            for method, path in routes(client):
                for query in ["", *QUERIES, "signed"]:
                    for name, body, headers in bodies(rng) if method == "POST" else [("none", b"", {})]:
                        what = f"{method} {path}{query} {name} {'(staff)' if logged_in else ''}"
                        asked = query
                        if query == "signed":  # past the webhooks' checks, into their parsing
                            ts, nonce = str(int(time.time())), str(rng.randrange(10**10))
                            asked = f"?timestamp={ts}&nonce={nonce}&signature={sign(TOKEN, ts, nonce)}&echostr=x"
                            headers = headers | {"X-Telegram-Bot-Api-Secret-Token": SECRET}
                        response = await client.request(method, path + asked, data=body, headers=headers)
                        check(response, await response.read(), what)
                        sent += 1
                for other in ("PUT", "DELETE", "PATCH"):
                    response = await client.request(other, path, data=rng.randbytes(100))
                    check(response, await response.read(), f"{other} {path}")
                    assert response.status == 405 or path.startswith("/static"), (other, path, response.status)
        return sent

    assert site(scenario) > 1000


def test_the_issues_malformed_requests_get_a_400_and_record_nothing(site, store):
    async def scenario(client: TestClient) -> None:
        page = await (await client.get("/")).text()
        csrf = csrf_of(page)
        response = await client.post(
            "/chat", data=b"q=\xff&csrf=" + csrf.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert response.status == 400 and await response.text() == texts.HTTP_BAD_FORM
        response = await client.post("/chat", json={"q": "收费吗", "csrf": csrf})  # no form at all
        assert response.status == 400 and await response.text() == texts.HTTP_BAD_FORM
        response = await client.post(  # the same byte percent-encoded
            "/chat", data=b"q=%ff&csrf=" + csrf.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert response.status == 400 and await response.text() == texts.HTTP_BAD_FORM
        response = await client.post(
            "/complaint", data=b"not multipart", headers={"Content-Type": "multipart/form-data; boundary=x"}
        )
        assert response.status == 400
        form = aiohttp.FormData({"csrf": csrf, "kind": "投诉", "topic": "other"})
        form.add_field("text", b"=1+1", filename="x.csv")
        response = await client.post("/complaint", data=form)
        assert response.status == 400 and await response.text() == texts.HTTP_BAD_FORM
        await log_in(client)
        response = await client.get("/staff/complaints", params={"page": "9" * 20})
        assert response.status == 400 and texts.HTTP_BAD_PAGE in await response.text()
        assert "<html" in await response.text()  # the console's page, not a bare text
        assert (await client.get("/staff/complaints", params={"page": "1"})).status == 200

    site(scenario)
    assert list(store.reader.query("select id from complaints")) == []
    assert store.enquiries() == []


def test_security_headers_on_every_response_errors_included(site):
    async def scenario(client: TestClient) -> None:
        cases = {
            303: client.get("/staff", allow_redirects=False),
            403: client.post("/chat", data={"q": "收费吗"}),
            404: client.get("/no-such-page"),
            405: client.put("/chat"),
            500: client.get("/broken"),
        }
        for status, request in cases.items():
            response = await request
            body = await response.text()
            assert response.status == status
            assert response.headers["Server"] == "gongkai" and "Python" not in response.headers["Server"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Referrer-Policy"] == "same-origin"
            assert "frame-ancestors" in response.headers["Content-Security-Policy"]
            if status >= 400:
                assert CJK.search(body) and "Traceback" not in body and "a bug" not in body, (status, body)
        assert texts.WEB_ERROR_PAGES[404][0] in await (await client.get("/no-such-page")).text()
        assert (await (await client.get("/broken")).text()) == texts.HTTP_ERRORS[500]
        for path in ("/", "/healthz", "/widget.js", PATH, WEBHOOK_PATH):
            response = await client.get(path)
            assert response.headers["Server"] == "gongkai", path
            assert response.headers["X-Content-Type-Options"] == "nosniff", path
        # The chat's embeddable view keeps the web channel's own policy: with no embedding sites
        # configured (GONGKAI_WEB_EMBED_ORIGINS), framed by the site itself only.
        embed = await client.get("/?embed=1")
        assert embed.headers["Content-Security-Policy"].endswith("frame-ancestors 'self'")
        assert embed.headers["X-Frame-Options"] == "SAMEORIGIN"

    site(scenario)


def test_a_wrong_address_gets_a_page_in_the_sites_look_and_keeps_its_status(site):
    async def scenario(client: TestClient) -> None:
        for path, home in (("/no-such-page", "/"), ("/staff/no-such-page", "/staff"), ("/static/no-such.css", "/")):
            response = await client.get(path)
            page = await response.text()
            assert response.status == 404 and response.content_type == "text/html", path
            assert texts.WEB_ERROR_PAGES[404][0] in page and f'href="{home}"' in page, path
            assert ("信息公开工作台" in page) == (home == "/staff"), path  # the staff console's look
            assert 'rel="icon"' in page
        assert (await client.head("/no-such-page")).status == 404
        # A form's address opened in the browser: a page, and the methods it takes.
        response = await client.get("/chat")
        assert response.status == 405 and response.headers["Allow"] == "POST"
        assert texts.WEB_ERROR_PAGES[405][0] in await response.text()
        # Not a browser's way: the short text, as before.
        response = await client.put("/chat")
        assert response.status == 405 and await response.text() == texts.HTTP_ERRORS[405]
        response = await client.post("/no-such-page")
        assert response.status == 404 and await response.text() == texts.HTTP_ERRORS[404]
        # A handler's own sentence is the page's.
        await log_in(client)
        response = await client.get("/staff/complaints/20260101-001-0")
        page = await response.text()
        assert response.status == 404 and "没有这个编号的投诉" in page
        # With the console's bar for who is logged in: the menu and 退出 are still there.
        assert 'href="/staff/complaints"' in page and 'action="/staff/logout"' in page

    site(scenario)


def test_the_favicon_is_served_and_kept(site):
    async def scenario(client: TestClient) -> None:
        response = await client.get("/favicon.ico")
        assert response.status == 200 and response.content_type == "image/svg+xml"
        assert (await response.text()).startswith("<svg") and "max-age=" in response.headers["Cache-Control"]
        page = await (await client.get("/")).text()
        icon = re.search(r'<link rel="icon" href="([^"]+)"', page)
        assert icon is not None and "?v=" in icon[1]
        response = await client.get(icon[1])
        assert response.status == 200 and "immutable" in response.headers["Cache-Control"]
        # Another version's address is not the file it names: it is not kept for a year.
        response = await client.get(icon[1].split("?")[0] + "?v=00000000")
        assert response.status == 200 and "immutable" not in response.headers.get("Cache-Control", "")

    site(scenario)


def test_wechat_and_telegram_errors_are_short_and_chinese(site):
    async def scenario(client: TestClient) -> None:
        ts, nonce = "1", "2"
        signed = {"timestamp": ts, "nonce": nonce, "signature": sign(TOKEN, ts, nonce)}
        for response in (
            await client.post(PATH, params=signed, data=b"<xml/>"),  # a stale timestamp
            await client.post(WEBHOOK_PATH, data=b"{}"),  # no secret
            await client.post(WEBHOOK_PATH, data=b"{not json", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}),
        ):
            assert 400 <= response.status < 500 and CJK.search(await response.text())

    site(scenario)


async def header_too_long(client: TestClient, header: str) -> bytes:
    """What the server sends back to a request whose ``header`` runs over aiohttp's 8 KB."""
    assert client.server.port is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", client.server.port)
    writer.write(f"GET / HTTP/1.1\r\nHost: x\r\n{header}{'A' * 9000}\r\n\r\n".encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer


def test_a_request_the_parser_refuses_is_logged_as_one_line_without_its_bytes(site, caplog):
    # aiohttp logs it with a traceback quoting the request's first bytes: a staff cookie's token.
    token = "gk_staff=QZX-SESSION-TOKEN"

    async def scenario(client: TestClient) -> bytes:
        return await header_too_long(client, f"Cookie: {token}")

    with caplog.at_level("DEBUG", logger="aiohttp.server"):
        answer = site(scenario)
    assert answer.startswith(b"HTTP/1.") and b" 400 " in answer.split(b"\r\n", 1)[0]
    logged = [r for r in caplog.records if r.name == "aiohttp.server"]
    assert logged and all(r.levelname == "INFO" and not r.exc_info for r in logged)
    assert "QZX-SESSION" not in caplog.text and "Traceback" not in caplog.text


def test_a_request_the_parser_refuses_gets_the_headers_of_every_response(site):
    # aiohttp answers it itself, before any route: the application's hooks never see it.
    async def scenario(client: TestClient) -> bytes:
        assert client.server.runner is not None
        http_guard.guard(client.server.runner)  # as serve() does
        return await header_too_long(client, "X-Long: ")

    answer, body = site(scenario).split(b"\r\n\r\n", 1)
    head = answer.decode().lower().split("\r\n")
    assert " 400 " in head[0] and body.decode() == texts.HTTP_ERRORS[400]
    headers = dict(line.split(": ", 1) for line in head[1:])
    assert headers["server"] == "gongkai"
    assert headers["x-content-type-options"] == "nosniff" and "content-security-policy" in headers


def test_a_body_said_to_be_compressed_that_is_not_is_refused_without_a_traceback(site, caplog):
    async def scenario(client: TestClient) -> list[int]:
        statuses = []
        for path in ("/chat", "/complaint", "/staff/login", PATH):
            for encoding in ("deflate", "gzip"):
                headers = {"Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": encoding}
                response = await client.post(path, data=b"q=notcompressed", headers=headers)
                check(response, await response.read(), f"{path} {encoding}")
                statuses.append(response.status)
        return statuses

    with caplog.at_level("INFO"):
        assert all(400 <= status < 500 for status in site(scenario))
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.levelname == "ERROR"]


def test_a_nul_in_a_form_field_is_dropped(site, store):
    async def scenario(client: TestClient) -> None:
        csrf = csrf_of(await (await client.get("/")).text())
        response = await client.post("/chat", data={"q": "申请\x00收费吗", "csrf": csrf})
        assert response.status == 200 and "\x00" not in await response.text()

    site(scenario)
    [enquiry] = store.enquiries()
    assert enquiry["typed"] == "申请收费吗"
