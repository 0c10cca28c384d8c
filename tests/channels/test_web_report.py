"""The staff console's yearly report at /staff/report: only for staff, entries with CSRF, the
checks shown, the printable page escaped and under a strict CSP, the CSV downloads."""

from __future__ import annotations

import base64
import hashlib
import re

from bot.services.report.render import CSS_HASH

from .test_web import csrf_of, log_in, site, web_settings  # noqa: F401 (site and web_settings are fixtures)


def test_the_report_pages_need_a_log_in(site):  # noqa: F811
    async def scenario(client):
        for path in (
            "/staff/report",
            "/staff/report?year=2009",
            "/staff/report/2009.html",
            "/staff/report/2009/table2.csv",
            "/staff/report/cases.csv",
        ):
            response = await client.get(path, allow_redirects=False)
            assert response.status == 303 and response.headers["Location"].startswith("/staff/login"), path
        for path in ("/staff/report/2025/entries", "/staff/report/cases", "/staff/report/cases/F2025-001/decide"):
            response = await client.post(path, data={"text.overview": "x", "kind": "review"}, allow_redirects=False)
            assert response.status == 403, path

    site(scenario)


def test_the_2009_report_from_the_console(site):  # noqa: F811
    async def scenario(client):
        await log_in(client)
        page = await (await client.get("/staff/report?year=2009")).text()
        assert "勾稽关系校验通过" in page and 'href="/staff/report/2009.html"' in page
        assert "机构职能 16 条" in page  # the catalogue's counts beside the figures
        printable = await client.get("/staff/report/2009.html")
        policy = printable.headers["Content-Security-Policy"]
        assert policy.startswith("default-src 'none'") and f"style-src '{CSS_HASH}'" in policy
        html = await printable.text()
        style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
        digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy, "the browser would refuse the page's style"
        assert "2009年，我局共主动公开政府信息123条" in html and "没有受理依申请公开的政府信息" in html
        proactive = await client.get("/staff/report/2009/proactive.csv")
        assert proactive.headers["Content-Type"].startswith("text/csv")
        assert "机构职能,16,13,16" in await proactive.text()
        assert (await client.get("/staff/report/2009/table1.csv")).status == 404  # no Table 1 before 2019
        assert (await client.get("/staff/report?year=2007")).status == 404
        assert (await client.get("/staff/report?year=abc")).status == 404  # not the default year, as if asked

    site(scenario)


def test_staff_enter_figures_and_text_which_print_escaped(site, store):  # noqa: F811
    async def scenario(client):
        await log_in(client)
        page = await (await client.get("/staff/report?year=2025")).text()
        assert 'name="t1.licences.decisions"' in page and "行政许可·本年处理决定数量" in page
        form = {"csrf": csrf_of(page), "t1.licences.decisions": "37", "text.overview": "<img src=x onerror=alert(1)>"}
        response = await client.post("/staff/report/2025/entries", data=form)
        assert "已保存" in await response.text()
        html = await (await client.get("/staff/report/2025.html")).text()
        assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
        assert re.search(r"<th>行政许可</th><td colspan=\"3\">37</td>", html)
        # One bad figure: said of the field as the form labels it, and the form comes back as
        # typed (nothing saved), so the other figures and the texts are not typed again.
        typed = {"t1.rules.issued": "三", "t1.penalties.decisions": "7", "text.overview": "今年我局认真贯彻"}
        bad = await client.post("/staff/report/2025/entries", data={"csrf": csrf_of(page), **typed})
        shown = await bad.text()
        assert bad.status == 400 and "“表一·规章·本年制发件数”应填不小于 0 的整数" in shown
        assert 'name="t1.penalties.decisions" value="7"' in shown and "今年我局认真贯彻" in shown
        assert "t1.rules.issued”" not in shown
        again = await (await client.get("/staff/report?year=2025")).text()
        assert 'name="t1.penalties.decisions" value="7"' not in again
        forged = await client.post("/staff/report/2025/entries", data={"csrf": "forged", "t1.rules.issued": "1"})
        assert forged.status == 403

    site(scenario)
    actors = {r["actor"] for r in store.reader.query("select actor from report_entries")}
    assert actors == {"web:wangli"}


def test_a_broken_table_is_refused_in_the_console_naming_the_cell(site):  # noqa: F811
    async def scenario(client):
        await log_in(client)
        page = await (await client.get("/staff/report?year=2018")).text()
        await client.post("/staff/report/2018/entries", data={"csrf": csrf_of(page), "t2.new.legal": "2"})
        page = await (await client.get("/staff/report?year=2018")).text()
        assert "年度报告未生成" in page
        assert "“一、本年新收政府信息公开申请数量”行，“总计”列：应为 2（六类申请人之和），实为 0" in page
        response = await client.get("/staff/report/2018.html", allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/staff/report?year=2018"

    site(scenario)


def test_staff_keep_the_case_register_in_the_console(site):  # noqa: F811
    async def scenario(client):
        await log_in(client)
        page = await (await client.get("/staff/report?year=2025")).text()
        form = {
            "csrf": csrf_of(page),
            "year": "2025",
            "kind": "direct_suit",
            "filed_on": "2025-03-02",
            "subject": '=HYPERLINK("http://evil.example")',
        }
        page = await (await client.post("/staff/report/cases", data=form)).text()
        assert "F2025-001" in page and "尚未审结" in page
        decided = {"csrf": csrf_of(page), "year": "2025", "result": "corrected", "decided_on": "2025-06-30"}
        page = await (await client.post("/staff/report/cases/F2025-001/decide", data=decided)).text()
        assert "结果纠正（2025-06-30）" in page
        bad = {**decided, "decided_on": "2025-01-01"}
        assert (
            "审结日期不能早于立案日期"
            in await (await client.post("/staff/report/cases/F2025-001/decide", data=bad)).text()
        )
        table3 = await (await client.get("/staff/report/2025/table3.csv")).text()
        assert "行政诉讼（未经复议直接起诉）,0,1,0,0,1" in table3
        cases = await (await client.get("/staff/report/cases.csv")).text()
        assert "'=HYPERLINK" in cases

    site(scenario)
