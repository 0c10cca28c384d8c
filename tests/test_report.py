"""The yearly report: Table 2 from plain records, the format's checks naming the cell, Table 3 from
the case register, the 2009 report as the seed has it, HTML escaping, formula-safe CSV, the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil

import pytest
from sqlite_utils import Database

from bot.config import Settings
from bot.knowledge import KnowledgeError
from bot.services.report import (
    ApplicationRecord,
    Case,
    ReportError,
    ReportRefused,
    Reports,
    check_table2,
    check_table3,
    compute_table2,
    compute_table3,
    csv_tables,
    render_html,
)
from bot.services.report import format as fmt
from bot.services.report.render import cases_csv, table2_layout
from bot.spreadsheet import neutral as safe
from bot.storage.migrations import migrations

from .conftest import KNOWLEDGE
from .synthetic_applications import synthetic_year

YEAR = 2025
NOW = dt.datetime(2026, 1, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def reports(store, knowledge):
    return Reports(store, knowledge, Settings(), now=lambda: NOW)


def html_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# --- Table 2 -------------------------------------------------------------------------------------


def _count(records, year):
    """Table 2's defining counts, written out plainly, to check the computation against."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counted = [r for r in records if r.received <= end and (r.decided is None or r.decided >= start)]
    return {
        "new": sum(r.received >= start for r in counted),
        "carried_in": sum(r.received < start for r in counted),
        "decided": sum(r.decided is not None and r.decided <= end for r in counted),
        "carried_out": sum(r.decided is None or r.decided > end for r in counted),
    }


def test_a_synthetic_year_gives_a_table_that_passes_every_check():
    records = synthetic_year(YEAR)
    assert len(records) > 300
    table = compute_table2(records, YEAR)
    assert check_table2(table) == []
    plain = _count(records, YEAR)
    assert table.get(fmt.NEW, "total") == plain["new"]
    assert table.get(fmt.CARRIED_IN, "total") == plain["carried_in"] > 0
    assert table.get(fmt.OUTCOME_TOTAL, "total") == plain["decided"]
    assert table.get(fmt.CARRIED_OUT, "total") == plain["carried_out"] > 0
    assert all(table.get(key, "total") > 0 for key in fmt.OUTCOME_KEYS), "every outcome row is exercised"
    assert all(table.get(fmt.NEW, c.key) > 0 for c in fmt.APPLICANT_COLUMNS)


def test_what_is_carried_to_the_next_year_is_what_that_year_carries_in():
    records = synthetic_year(YEAR)
    this, following = compute_table2(records, YEAR), compute_table2(records, YEAR + 1)
    assert following.cells[fmt.CARRIED_IN] == this.cells[fmt.CARRIED_OUT]


def test_records_by_key_or_by_label_count_alike():
    by_key = [ApplicationRecord("business", dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 9), "withheld.secret")]
    by_label = [ApplicationRecord("商业企业", dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 9), "属于国家秘密")]
    assert compute_table2(by_key, YEAR).cells == compute_table2(by_label, YEAR).cells
    assert compute_table2(by_key, YEAR).get("withheld.secret", "business") == 1


@pytest.mark.parametrize(
    "record,said",
    [
        (ApplicationRecord("外国人", dt.date(YEAR, 1, 5)), "申请人类别“外国人”"),
        (ApplicationRecord("自然人", dt.date(YEAR, 1, 5), dt.date(YEAR, 1, 9), None), "办理结果“”"),
        (ApplicationRecord("自然人", dt.date(YEAR, 1, 5), dt.date(YEAR, 1, 9), "同意"), "办理结果“同意”"),
        (ApplicationRecord("自然人", dt.date(YEAR, 1, 5), dt.date(YEAR, 1, 2), "granted"), "早于收到日期"),
    ],
)
def test_a_record_that_cannot_be_counted_is_named(record, said):
    good = ApplicationRecord("自然人", dt.date(YEAR, 1, 5))
    with pytest.raises(ReportError) as e:
        compute_table2([good, record], YEAR)
    assert "第 2 条申请记录" in str(e.value) and said in str(e.value)


OUTCOME_TOTAL_ROW = "三、本年度办理结果（七）总计"
CARRIED_OUT_ROW = "四、结转下年度继续办理"


@pytest.mark.parametrize(
    "row,column,named",
    [
        # one more granted to a natural person (its row still adding up): the outcome total is wrong
        ("granted", "natural", [(OUTCOME_TOTAL_ROW, "自然人"), (OUTCOME_TOTAL_ROW, "总计")]),
        # a 总计 that is not the sum of its row, and so no longer balances its column
        (fmt.NEW, "total", [("一、本年新收政府信息公开申请数量", "总计"), (CARRIED_OUT_ROW, "总计")]),
        # one more carried out: 一+二 no longer equals 三+四
        (fmt.CARRIED_OUT, "legal", [(CARRIED_OUT_ROW, "法律服务机构"), (CARRIED_OUT_ROW, "总计")]),
    ],
)
def test_a_broken_table_is_refused_naming_the_cell(row, column, named):
    table = compute_table2(synthetic_year(YEAR), YEAR)
    table.cells[row][column] += 1
    if column != "total":
        table.cells[row]["total"] += 1  # the row still adds up: only the rule under test breaks
    failures = check_table2(table)
    assert [(f.row, f.column) for f in failures] == named
    assert {f.table for f in failures} == {"表二（收到和处理政府信息公开申请情况）"}
    message = str(ReportRefused(failures))
    assert f"表二（收到和处理政府信息公开申请情况），“{named[0][0]}”行，“{named[0][1]}”列：" in message


def test_staff_typed_table_two_is_checked_and_refused_with_the_cell(reports):
    # A year before the register: staff type in Table 2; one figure is wrong.
    typed = {
        "t2.new.natural": "3",
        "t2.new.total": "3",
        "t2.granted.natural": "2",
        "t2.granted.total": "2",
        "t2.outcome_total.natural": "2",
        "t2.outcome_total.total": "2",
    }
    reports.enter(YEAR, typed, "test")
    report = reports.build(YEAR, records=[])
    assert report.table2.source == "entered"
    with pytest.raises(ReportRefused) as e:
        render_html(report)
    assert [(f.row, f.column) for f in e.value.failures] == [(CARRIED_OUT_ROW, "自然人"), (CARRIED_OUT_ROW, "总计")]
    assert "第一项加第二项（3 + 0）应等于第三项加第四项（2 + 0）" in str(e.value)
    with pytest.raises(ReportRefused):
        csv_tables(report)
    reports.enter(YEAR, {"t2.carried_out.natural": "1", "t2.carried_out.total": "1"}, "test")
    assert reports.build(YEAR, records=[]).failures == []


def test_table2_layout_follows_the_format():
    t2021 = table2_layout("T2021")
    assert len(t2021) == len(fmt.TABLE2_ROWS) == 25
    first_outcome = t2021[2][0]
    assert first_outcome[0] == ("三、本年度办理结果", 22, 1)  # 21 outcome rows and （七）总计
    withheld = next(heads for heads, key in t2021 if key == "withheld.secret")
    assert withheld[0] == ("（三）不予公开", 8, 1)
    # T2019 prints one 其他处理 row, summing the three recorded ones.
    t2019 = [key for _, key in table2_layout("T2019")]
    assert "other" in t2019 and "other.no_fee" not in t2019
    records = [ApplicationRecord("自然人", dt.date(2020, 5, 6), dt.date(2020, 6, 1), k) for k in fmt.OUTCOME_KEYS[-3:]]
    table = compute_table2(records, 2020)
    assert table.get("other", "natural") == 3 and check_table2(table) == []


# --- Table 3 -------------------------------------------------------------------------------------


def test_table3_counts_each_case_once_in_its_column():
    cases = [
        Case("F2024-001", "review", dt.date(2024, 11, 2)),  # pending from last year
        Case("F2024-002", "review", dt.date(2024, 10, 2), result="upheld", decided_on=dt.date(2025, 1, 8)),
        Case("F2024-003", "review", dt.date(2024, 3, 2), result="corrected", decided_on=dt.date(2024, 5, 8)),
        Case("F2025-001", "direct_suit", dt.date(2025, 4, 2), result="corrected", decided_on=dt.date(2025, 9, 1)),
        Case("F2025-002", "suit_after_review", dt.date(2025, 6, 2), result="other", decided_on=dt.date(2026, 2, 1)),
        Case("F2026-001", "review", dt.date(2026, 1, 3)),
    ]
    table = compute_table3(cases, YEAR)
    assert table.cells["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert table.cells["direct_suit"] == {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1}
    assert table.cells["suit_after_review"]["pending"] == 1  # decided only after the year's end
    assert check_table3(table) == []
    table.cells["direct_suit"]["total"] = 2
    [failure] = check_table3(table)
    assert (failure.table, failure.row, failure.column) == (
        "表三（政府信息公开行政复议、行政诉讼情况）",
        "行政诉讼（未经复议直接起诉）",
        "总计",
    )


def test_the_case_register_numbers_records_and_corrects(reports):
    case = reports.data.add_case("复议", dt.date(YEAR, 3, 2), "不服不予公开告知书", "test")
    assert case.number == f"F{YEAR}-001"
    assert reports.data.add_case("复议后起诉", dt.date(YEAR, 5, 2), "", "test").number == f"F{YEAR}-002"
    reports.data.decide_case(case.number, "维持", dt.date(YEAR, 4, 20), "test")
    reports.data.decide_case(case.number.lower(), "纠正", dt.date(YEAR, 4, 21), "test", "复议机关更正")
    assert reports.data.case(case.number).result == "corrected"
    table = reports.build(YEAR, records=[]).table3
    assert table.get("review", "corrected") == 1 and table.get("suit_after_review", "pending") == 1
    with pytest.raises(ReportError, match="审结日期不能早于立案日期"):
        reports.data.decide_case(case.number, "维持", dt.date(YEAR, 1, 1), "test")
    with pytest.raises(ReportError, match="案件类别"):
        reports.data.add_case("信访", dt.date(YEAR, 3, 2), "", "test")
    for day in (dt.date(1900, 1, 1), dt.date(2099, 1, 1)):  # counted as open cases of this year's report
        with pytest.raises(ReportError, match="应在《条例》施行之日（2008-05-01）之后，且不晚于今天"):
            reports.data.add_case("复议", day, "", "test")
    with pytest.raises(ReportError, match="没有编号为 F1999-001"):
        reports.data.decide_case("F1999-001", "维持", dt.date(YEAR, 4, 20), "test")
    with pytest.raises(ReportError, match="最多 5000 字"):  # refused whole, never cut
        reports.data.decide_case(case.number, "维持", dt.date(YEAR, 4, 22), "test", "注" * 5001)
    assert reports.data.case(case.number).result == "corrected"


# --- the 2009 report, as the seed has it ----------------------------------------------------------------

SEED_FIGURES = {
    "机构职能": (16, "13"),
    "政策法规": (10, "8"),
    "规划计划": (1, "0.8"),
    "业务工作": (4, "3.2"),
    "其他信息": (92, "74.8"),
}


def test_2009_reproduces_the_seed_report(reports):
    report = reports.build(2009)
    assert report.era == "R2007" and report.failures == [] and report.warnings == []
    p = report.proactive
    assert p.total == 123 and sum(p.counts.values()) == 123
    assert {c: (p.counts[c], p.percents[c]) for c in fmt.CATEGORIES} == SEED_FIGURES
    assert report.catalogue == {c: n for c, (n, _) in SEED_FIGURES.items()}  # the catalogue agrees
    assert report.table2.get(fmt.NEW, "total") == report.table2.get(fmt.CARRIED_IN, "total") == 0
    assert report.table3.total == 0
    html = render_html(report)
    text = html_text(html)
    assert re.findall(r"<h2>(.+?)</h2>", html) == [
        "一、基本情况",
        "二、政府信息主动公开情况",
        "三、依申请公开政府信息情况",
        "四、因政府信息公开申请行政复议、提起行政诉讼情况",
        "五、政府信息公开收费及减免情况",
        "六、存在的主要问题和改进措施",
    ]
    assert "（2010年1月29日）" in text
    assert "2009年，我局共主动公开政府信息123条" in text
    for category, (count, share) in SEED_FIGURES.items():
        assert f"{category}{count}条，占总数的{share}%" in text
    assert "2009年，我局没有受理依申请公开的政府信息。" in text
    assert "也没有发生针对本部门有关政府信息公开事务的行政诉讼案件" in text
    assert "没有对外收取任何费用" in text and "收取政府信息公开费用0元" not in text
    tables = csv_tables(report)
    rows = list(csv.reader(io.StringIO(tables["proactive.csv"].lstrip("\ufeff"))))
    assert rows[1] == ["机构职能", "16", "13", "16"] and rows[-1][:2] == ["合计", "123"]


def test_a_percentage_that_does_not_match_its_count_is_refused(reports):
    reports.enter(2009, {"proactive.业务工作.percent": "4.2"}, "test")
    [failure] = reports.build(2009).failures
    assert (failure.row, failure.column) == ("业务工作", "占总数比例")
    assert "写作 4.2%，与条数算出的 3.25% 不符" in str(failure)


def test_without_entered_figures_an_old_year_counts_the_catalogue(reports):
    report = reports.build(2010)
    assert report.proactive.source == "catalogue" and report.proactive.total == 0
    assert "2010年，我局没有受理依申请公开的政府信息。" in html_text(render_html(report))


def test_the_year_file_is_checked_with_file_line_and_key(tmp_path, store, knowledge):
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    (folder / "reports" / "2010.yaml").write_text(
        "year: 2010\nentries:\n  date: 2010-02-30\n  proactive.机构职能: 很多\n  t1.rules.issued: 3\n", encoding="utf-8"
    )
    moved = type(knowledge)(knowledge.guide, knowledge.catalogue, knowledge.lexicon, folder, knowledge.calendar)
    with pytest.raises(KnowledgeError) as e:
        Reports(store, moved, Settings()).build(2010)
    problems = [str(p) for p in e.value.problems]
    said = "“成文日期（YYYY-MM-DD）”应填日期（如 2010-01-29），填的是“2010-02-30”"
    assert problems[0].endswith(f"2010.yaml:3: date: {said}")
    assert (
        ":4: proactive.机构职能:" in problems[1] and ":5: t1.rules.issued: 没有“t1.rules.issued”这一项" in problems[2]
    )


# --- output ----------------------------------------------------------------------------------------


def test_staff_text_is_escaped_in_the_html(reports):
    reports.enter(YEAR, {"text.overview": '<script>alert("x")</script>\n第二段 & <b>', "t1.rules.issued": "2"}, "t")
    html = render_html(reports.build(YEAR, records=synthetic_year(YEAR)))
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<p>第二段 &amp; &lt;b&gt;</p>" in html
    assert '<table class="t2">' in html and 'rowspan="22"' in html


def test_the_national_report_has_six_sections_and_three_tables(reports):
    reports.enter(YEAR, {"t1.licences.decisions": "37", "t1.fees.amount": "1.25", "text.problems": "人手不足"}, "t")
    report = reports.build(YEAR, records=synthetic_year(YEAR))
    assert report.era == "T2021" and report.failures == []
    assert any("行政处罚·本年处理决定数量" in w for w in report.warnings)
    html = render_html(report)
    assert re.findall(r"<h2>(.+?)</h2>", html) == [f"{s.number}、{s.title}" for s in fmt.SECTIONS_NATIONAL]
    text = html_text(html)
    assert "（本节尚未填写）" in text and "人手不足" in text
    tables = csv_tables(report)
    assert set(tables) == {"table1.csv", "table2.csv", "table3.csv"}
    t1 = list(csv.reader(io.StringIO(tables["table1.csv"].lstrip("\ufeff"))))
    assert ["第二十条第（五）项", "行政许可", "本年处理决定数量", "37"] in t1
    assert ["第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）", "1.25"] in t1
    t2 = list(csv.reader(io.StringIO(tables["table2.csv"].lstrip("\ufeff"))))
    assert t2[0] == ["", *(c.label for c in fmt.TABLE2_COLUMNS)] and len(t2) == 26


@pytest.mark.parametrize(
    "cell,written",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("普通文字", "普通文字"),
        (-3, -3),
        (12, 12),
    ],
)
def test_csv_cells_cannot_run_as_formulas(cell, written):
    assert safe(cell) == written


def test_the_cases_csv_quotes_what_staff_wrote(reports):
    reports.data.add_case("复议", dt.date(YEAR, 3, 2), "=cmd|' /C calc'!A0", "test")
    text = cases_csv(reports.data.cases())
    assert text.startswith("\ufeff")
    row = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1]
    assert row[3] == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize("year", [2007, 2027])
def test_a_year_without_a_report_is_refused(reports, year):
    with pytest.raises(ReportError, match=f"{year} 年没有政府信息公开工作年度报告"):
        reports.build(year)


def test_entries_are_checked_and_kept_with_their_history(reports, store):
    with pytest.raises(ReportError, match="表一·规章·本年制发件数”应填不小于 0 的整数"):
        reports.enter(YEAR, {"t1.rules.issued": "-1"}, "t")
    with pytest.raises(ReportError, match="本年制发件数”应填"):  # SQLite would round it as a float
        reports.enter(YEAR, {"t1.rules.issued": "9" * 38}, "t")
    with pytest.raises(ReportError, match="没有“t1.nonsense”这一项"):
        reports.enter(YEAR, {"t1.nonsense": "1"}, "t")
    assert reports.enter(YEAR, {"t1.rules.issued": " 4 "}, "王") == 1
    assert reports.enter(YEAR, {"t1.rules.issued": "4"}, "王") == 0  # unchanged: nothing written
    assert reports.enter(YEAR, {"t1.rules.issued": "5"}, "李") == 1
    assert reports.entries(YEAR)["t1.rules.issued"] == "5"
    history = [
        (r["value"], r["actor"]) for r in store.reader.query("select value, actor from report_entries order by id")
    ]
    assert history == [("4", "王"), ("5", "李")]
    # Staff override the year file key by key; a value they clear is gone, not the file's again.
    reports.enter(2009, {"text.fees": ""}, "t")
    assert "text.fees" not in reports.entries(2009)


def test_migration_m008_applies_once(tmp_path):
    db = Database(tmp_path / "m.db")
    migrations.apply(db)
    migrations.apply(db)
    assert {"report_entries", "report_cases", "report_case_events"} <= set(db.table_names())
    applied = [r["name"] for r in db.query("select name from _sqlite_migrations")]
    assert applied.count("m008_report") == 1


# --- the command line ------------------------------------------------------------------------------


def test_cli_makes_the_2009_report_and_its_tables(run, tmp_path):
    result = run("report", "2009", "-o", "r.html", "--csv", "tables")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "共主动公开政府信息123条" in html
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == [
        "2009-proactive.csv",
        "2009-table2.csv",
        "2009-table3.csv",
    ]
    assert run("report", "make", "2009").output.startswith("<!doctype html>")
    refused = run("report", "2007")
    assert refused.exit_code == 1 and "2007 年没有政府信息公开工作年度报告" in refused.output


def test_cli_counts_a_synthetic_year_from_a_csv(run, tmp_path):
    from bot.services.report.records import write_records

    with (tmp_path / "apps.csv").open("w", encoding="utf-8") as f:
        write_records(synthetic_year(YEAR), f)
    result = run("report", str(YEAR), "--applications", "apps.csv", "-o", "r.html", "--csv", ".")
    assert result.exit_code == 0, result.output
    assert "Warning: 以下数字尚未填写" in result.output
    rows = list(csv.reader((tmp_path / f"{YEAR}-table2.csv").open(encoding="utf-8-sig")))
    table = compute_table2(synthetic_year(YEAR), YEAR)
    assert rows[1][1:] == [str(table.get(fmt.NEW, c.key)) for c in fmt.TABLE2_COLUMNS]
    (tmp_path / "bad.csv").write_text("applicant_column,received\n自然人,2025-13-01\n", encoding="utf-8")
    bad = run("report", str(YEAR), "--applications", "bad.csv")
    assert bad.exit_code == 1 and "bad.csv:2:" in bad.output


def test_cli_counts_the_register_of_applications_as_the_console_does(run, tmp_path):
    # The command line built its reports without the register: Table 2 was all zeros.
    today = dt.date.today()
    registered = run(
        "applications", "register", "--via", "post", "--received", today.isoformat(), "--name", "王小明",
        "--id-number", "370303199001011239", "--address", "张店区某路1号", "--description", "某文件",
    )  # fmt: skip
    assert registered.exit_code == 0, registered.output
    result = run("report", str(today.year), "--csv", ".")
    rows = list(csv.reader((tmp_path / f"{today.year}-table2.csv").open(encoding="utf-8-sig")))
    assert result.exit_code == 0, result.output
    assert rows[1][0].startswith("一、本年新收") and rows[1][1] == "1", rows[1]


def test_cli_enters_figures_and_refuses_a_broken_table_naming_the_cell(run):
    assert "已保存 1 项" in run("report", "set", "2018", "t2.granted.research", "1", "--as", "王").output
    assert "t2.granted.research" in run("report", "keys", "2018").output
    result = run("report", "2018")
    assert result.exit_code == 1
    assert "年度报告未生成" in result.output
    assert "“三、本年度办理结果（一）予以公开”行，“总计”列：应为 1（六类申请人之和），实为 0" in result.output
    assert "“三、本年度办理结果（七）总计”行，“科研机构”列" in result.output
    assert run("report", "set", "2018", "t1.rules.issued", "1").exit_code == 1  # no Table 1 before 2019
    assert "已保存 1 项" in run("report", "set", "2026", "text.overview", "-", input="第一段\n第二段\n").output


def test_cli_keeps_the_case_register(run):
    assert "F2025-001" in run("report", "cases", "add", "复议", "2025-03-02", "+不服答复").output
    assert "结果维持" in run("report", "cases", "decide", "F2025-001", "维持", "2025-05-06").output
    assert "F2025-001" in run("report", "cases", "list", "--year", "2025").output
    assert run("report", "cases", "list", "--year", "2027").output.strip() == "No cases."
    exported = run("report", "cases", "export").stdout_bytes.decode()
    assert "'+不服答复" in exported and "\r\n" in exported  # into a pipe, the CSV as it is (CRLF kept)
    bad = run("report", "cases", "decide", "F2025-001", "撤销", "2025-05-06")
    assert bad.exit_code == 1 and "结果应为" in bad.output


def test_a_carry_over_that_differs_from_the_year_typed_in_before_is_a_warning(reports):
    # 2024 was typed in (published before the register) and carried 2 natural persons' applications
    # over; the register knows only one of them.
    reports.enter(
        2024,
        {"t2.new.natural": "2", "t2.new.total": "2", "t2.carried_out.natural": "2", "t2.carried_out.total": "2"},
        "t",
    )
    assert reports.build(2024, records=[]).failures == []
    records = [ApplicationRecord("自然人", dt.date(2024, 12, 20), dt.date(2025, 1, 10), "granted")]
    report = reports.build(YEAR, records=records)
    assert report.failures == []
    assert any(
        "与2024年表二的“四、结转下年度继续办理”不一致：自然人列上年结转出 2、本年结转入 1" in w for w in report.warnings
    )


def test_unwritten_sections_are_a_warning(reports):
    assert any(
        w == "以下部分尚未填写文字：总体情况、存在的主要问题及改进情况"
        for w in reports.build(YEAR, records=[]).warnings
    )
    assert not any("尚未填写文字" in w for w in reports.build(2009).warnings)


def test_knowledge_check_checks_the_year_files(run, tmp_path):
    folder = tmp_path / "k"
    shutil.copytree(KNOWLEDGE, folder)
    assert "the report figures of 2009" in run("knowledge", "check", str(folder)).output
    (folder / "reports" / "2011.yaml").write_text("year: 2012\nentries:\n  fees.collected: 免费\n", encoding="utf-8")
    result = run("knowledge", "check", str(folder))
    assert result.exit_code == 1
    assert "2011.yaml:1: year: must be 2011" in result.output and "2011.yaml:3: fees.collected:" in result.output


def test_the_report_reads_the_knowledge_in_force(store, knowledge, tmp_path):
    # A reload swaps the knowledge (Services.reload): the report counts the catalogue now served.
    moved = type(knowledge)(knowledge.guide, knowledge.catalogue[:16], knowledge.lexicon, tmp_path, knowledge.calendar)
    served = [knowledge]
    reports = Reports(store, lambda: served[0], Settings(), now=lambda: NOW)
    assert sum(reports.build(2009).catalogue.values()) == 123
    served[0] = moved
    report = reports.build(2009)
    assert report.catalogue["机构职能"] == 16 and sum(report.catalogue.values()) == 16
    assert report.proactive.source == "catalogue"  # the new folder has no reports/2009.yaml
