"""The shipped knowledge, and every kind of bad knowledge file (file, line, field, reason)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.knowledge import PLACEHOLDERS, KnowledgeError, Problem, load, load_catalogue, parse_date

from .conftest import KNOWLEDGE

GOOD_ENTRY = """\
section: 测试
entries:
  - id: fee-free
    question: 申请要收费吗？
    alternatives: [要钱吗, 收不收费, 免费吗]
    keywords: [收费]
    answer: 不收费。电话 {office_phone}。
    source: 条例第42条
"""


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(KnowledgeError) as info:
        load(folder)
    return info.value.problems


# --- what ships ------------------------------------------------------------------------------


def test_guide_has_enough_entries_with_sources(knowledge):
    assert len(knowledge.guide) >= 80
    assert len({e.id for e in knowledge.guide}) == len(knowledge.guide)
    assert all(e.source and len(e.alternatives) >= 3 for e in knowledge.guide)


def test_catalogue_counts_per_category_are_the_reports(knowledge):
    # 2009 report, section 二: 123 items, 机构职能 16, 政策法规 10, 规划计划 1, 业务工作 4, 其他信息 92.
    counts = Counter(item.category for item in knowledge.catalogue)
    assert counts == {"机构职能": 16, "政策法规": 10, "规划计划": 1, "业务工作": 4, "其他信息": 92}
    columns = {item.column for item in knowledge.catalogue}
    assert columns == {"政务公开", "办事指南", "宣传培训", "安全文件", "安全动态", "公文公告", "重大危险源"}


def test_catalogue_file_says_it_is_sample_data():
    first_line = (KNOWLEDGE / "catalogue.csv").read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("#") and "示例" in first_line


@pytest.mark.parametrize(
    "fact",
    ["123条", "16条", "92条", "张店区安全生产网", "重大危险源", "12350", "20个工作日", "第42条", "行政复议", "1月31日"],
)
def test_guide_states_the_facts(knowledge, fact):
    assert any(fact in e.answer for e in knowledge.guide), fact


def test_answers_use_only_known_placeholders(knowledge):
    filled = {name: "X" for name in PLACEHOLDERS}
    for entry in knowledge.guide:
        assert "{" not in entry.answer.format(**filled)


# --- bad guide files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,line,field,reason",
    [
        (GOOD_ENTRY.replace("    source: 条例第42条\n", ""), 3, "source", "is missing"),
        (GOOD_ENTRY.replace("id: fee-free", "id: Fee Free"), 3, "id", "lower-case"),
        (GOOD_ENTRY.replace("[要钱吗, 收不收费, 免费吗]", "[要钱吗]"), 5, "alternatives", "at least 3"),
        (GOOD_ENTRY.replace("{office_phone}", "{phone}"), 7, "answer", "unknown placeholder {phone}"),
        (GOOD_ENTRY.replace("{office_phone}", "{office_phone"), 7, "answer", "stray brace"),
        (GOOD_ENTRY.replace("{office_phone}", "{office_phone:>99999}"), 7, "answer", "takes no format"),
        (GOOD_ENTRY.replace("{office_phone}", "{office_phone!r}"), 7, "answer", "takes no format"),
        (GOOD_ENTRY.replace("不收费。", "很长" * 400), 7, "answer", "at most 600"),
        (GOOD_ENTRY.replace("条例第42条", "条例第42条；regulations.md 第5节"), 8, "source", "regulations.md"),
        (
            GOOD_ENTRY.replace("    keywords: [收费]\n", "    keywords: [收费]\n    tags: [x]\n"),
            7,
            "tags",
            "unknown field",
        ),
        (
            GOOD_ENTRY.replace("    keywords: [收费]\n", "    keywords: [收费]\n    category: [政策法规]\n"),
            7,
            "category",
            "category",
        ),
        (
            GOOD_ENTRY.replace("    keywords: [收费]\n", "    keywords: [收费]\n    apply_here: sometimes\n"),
            7,
            "apply_here",
            "true or false",
        ),
        (
            GOOD_ENTRY.replace("    keywords: [收费]\n", "    keywords: [收费]\n    documents: ZDAJ-00-2009-0003\n"),
            7,
            "documents",
            "index numbers",
        ),
        (
            GOOD_ENTRY.replace("    keywords: [收费]\n", "    keywords: [收费]\n    in_force: [2019, 2008]\n"),
            7,
            "in_force",
            "first and last year",
        ),
        (
            GOOD_ENTRY.replace("    keywords: [收费]\n", "    keywords: [收费]\n    replaced_by: fee-new\n"),
            7,
            "replaced_by",
            "beside in_force",
        ),
        (
            GOOD_ENTRY.replace("    keywords: [收费]\n", "    keywords: [收费]\n    subject: [行政复议]\n"),
            7,
            "subject",
            "a few words",
        ),
        (GOOD_ENTRY.replace("question: 申请要收费吗？", "question: ''"), 4, "question", "non-empty"),
        (GOOD_ENTRY.replace("section: 测试", "section: ''"), 1, "section", "non-empty"),
        ("section: 测试\nentries: []\n", 2, "entries", "non-empty list"),
        ("section: [unclosed\n", 2, None, "not valid YAML"),
    ],
)
def test_bad_guide_entry(folder, text, line, field, reason):
    path = folder / "guide" / "99-broken.yaml"
    path.write_text(text, encoding="utf-8")
    problems = [p for p in problems_of(folder) if p.file == str(path)]
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.line, problem.field) == (line, field)
    assert reason in problem.reason
    assert str(problem).startswith(f"{path}:{line}")


def test_duplicate_id_across_files_names_both(folder):
    (folder / "guide" / "99-dup.yaml").write_text(GOOD_ENTRY, encoding="utf-8")
    [problem] = problems_of(folder)
    assert problem.field == "id" and "fee-free" in problem.reason and "07-fees.yaml" in problem.reason


def test_every_problem_is_reported_at_once(folder):
    (folder / "guide" / "98-a.yaml").write_text(
        GOOD_ENTRY.replace("fee-free", "a-1").replace("{office_phone}", "{x}"), "utf-8"
    )
    (folder / "guide" / "99-b.yaml").write_text(
        GOOD_ENTRY.replace("fee-free", "b-1").replace("    source: 条例第42条\n", ""), "utf-8"
    )
    assert len(problems_of(folder)) == 2


def test_guide_not_utf8(folder):
    (folder / "guide" / "99-gbk.yaml").write_bytes(GOOD_ENTRY.replace("fee-free", "gbk-1").encode("gb18030"))
    [problem] = problems_of(folder)
    assert "not UTF-8" in problem.reason


def test_missing_parts(tmp_path):
    (tmp_path / "guide").mkdir()
    reasons = {str(p) for p in problems_of(tmp_path)}
    assert any("has no guide files" in r for r in reasons)
    assert any("catalogue.csv: is missing" in r for r in reasons)
    assert any("lexicon.yaml: is missing" in r for r in reasons)


def test_not_a_folder(tmp_path):
    assert "is not a folder" in problems_of(tmp_path / "nope")[0].reason


# --- catalogue exports ----------------------------------------------------------------------------

ROWS = [
    (
        "ZDAJ-00-2009-0001",
        "区安监局主要职责",
        "机构职能",
        "政务公开",
        "2009-01-06",
        "张店区安全生产监督管理局",
        "职责",
        "http://www.zdaj.example/1.html",
    ),
    (
        "ZDAJ-04-2009-0002",
        "安全生产月活动启动",
        "其他信息",
        "安全动态",
        "2009/6/1",
        "张店区安全生产监督管理局",
        "活动",
        "",
    ),
]


def write_csv(path: Path, header: list[str], rows=ROWS, encoding="utf-8", prefix="") -> Path:
    lines = [",".join(header)] + [",".join(r) for r in rows]
    path.write_bytes((prefix + "\r\n".join(lines) + "\r\n").encode(encoding))
    return path


CHINESE = ["索引号", "名称", "类别", "栏目", "生成日期", "发布机构", "内容概述", "链接"]
ENGLISH = ["Index No", "Title", "Category", "Column", "Date", "Publisher", "Summary", "URL"]


@pytest.mark.parametrize(
    "header,encoding,prefix",
    [
        (CHINESE, "utf-8", ""),
        (CHINESE, "utf-8", "\ufeff"),  # Excel's "CSV UTF-8" has a BOM
        (CHINESE, "gb18030", ""),  # Excel's plain CSV on a Chinese Windows
        (ENGLISH, "utf-8", ""),
        (["信息名称", "索引号", "发文日期", "文号"], "utf-8", ""),  # another portal's order and names
    ],
)
def test_catalogue_exports_load(tmp_path, header, encoding, prefix):
    rows = ROWS if len(header) == 8 else [(r[1], r[0], r[4], "张安监发〔2009〕1号") for r in ROWS]
    problems: list[Problem] = []
    items = load_catalogue(write_csv(tmp_path / "c.csv", header, rows, encoding, prefix), problems)
    assert problems == []
    assert [i.title for i in items] == ["区安监局主要职责", "安全生产月活动启动"]
    assert [i.date for i in items] == ["2009-01-06", "2009-06-01"]


@pytest.mark.parametrize(
    "change,line,field,reason",
    [
        (lambda r: r[:4] + ("2009-13-45",) + r[5:], 3, "生成日期", "is not a date"),
        (lambda r: r[:1] + ("",) + r[2:], 3, "名称", "is empty"),
        (lambda r: r[:7] + ("javascript:alert(1)",), 3, "链接", "not an http(s) address"),
        (lambda r: ("ZDAJ-00-2009-0001",) + r[1:], 3, "索引号", "repeats line 2"),
    ],
)
def test_bad_catalogue_row(tmp_path, change, line, field, reason):
    rows = [ROWS[0], change(ROWS[1])]
    problems: list[Problem] = []
    load_catalogue(write_csv(tmp_path / "c.csv", CHINESE, rows), problems)
    assert [(p.line, p.field) for p in problems] == [(line, field)]
    assert reason in problems[0].reason


def test_catalogue_comment_lines_keep_line_numbers(tmp_path):
    problems: list[Problem] = []
    rows = [ROWS[0], ROWS[1][:4] + ("bad",) + ROWS[1][5:]]
    load_catalogue(write_csv(tmp_path / "c.csv", CHINESE, rows, prefix="# 示例数据\r\n"), problems)
    assert [p.line for p in problems] == [4]


def test_catalogue_without_required_header(tmp_path):
    problems: list[Problem] = []
    load_catalogue(write_csv(tmp_path / "c.csv", ["名称", "类别"], [("a", "b")]), problems)
    assert "lacks 索引号, 生成日期" in problems[0].reason


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2009-05-06", "2009-05-06"),
        ("2009/5/6", "2009-05-06"),
        ("2009年5月6日", "2009-05-06"),
        ("2009.05.06", "2009-05-06"),
        ("20090506", "2009-05-06"),
        ("2009-05-06 00:00:00", "2009-05-06"),
        ("去年", None),
        ("2009-02-30", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_bad_lexicon(folder):
    (folder / "lexicon.yaml").write_text("synonyms:\n  信息: 资讯\nfillers: 吗\n", encoding="utf-8")
    found = {(p.line, p.field) for p in problems_of(folder)}
    assert found == {(1, "synonyms.信息"), (3, "fillers")}


def test_a_key_given_twice_is_a_problem_not_silently_the_last(folder):
    # PyYAML keeps the second 这里: of a mapping; its first one's words were lost without a word.
    text = "synonyms:\n  信息: [资讯]\nregional:\n  这里: [呢度]\n  那里: [嗰度]\n  这里: [这嘎达]\n"
    (folder / "lexicon.yaml").write_text(text, encoding="utf-8")
    found = [(p.line, p.reason) for p in problems_of(folder)]
    assert found == [(6, "repeats the key '这里' of line 4, which it would replace")]
    path = folder / "guide" / "99-twice.yaml"
    twice = GOOD_ENTRY.replace("fee-free", "fee-twice").replace(
        "keywords: [收费]\n", "keywords: [收费]\n    keywords: [费]\n"
    )
    path.write_text(twice, encoding="utf-8")
    assert [p.line for p in problems_of(folder) if p.file == str(path)] == [7]


def test_the_lexicon_s_entries_must_be_the_guide_s(folder):
    (folder / "lexicon.yaml").write_text(
        "other_years: [a]\nhazard_report: no-such-entry\nimplied_subject: 7\nenglish_subjects: [举报]\n",
        encoding="utf-8",
    )
    reasons = {(p.field, p.reason) for p in problems_of(folder)}
    assert reasons == {
        ("other_years", "must be a guide entry id"),
        ("hazard_report", "'no-such-entry' is not a guide entry"),
        ("implied_subject", "must be words"),
        ("english_subjects", "must map subjects to English words"),
    }
    (folder / "lexicon.yaml").write_text("english_subjects:\n  举报: ' reporting a hazard'\n", encoding="utf-8")
    assert load(folder).lexicon.english_subjects == {"举报": "reporting a hazard"}


def test_the_rules_an_entry_was_replaced_by_must_be_an_entry(folder):
    entry = GOOD_ENTRY.replace("id: fee-free", "id: fee-then").replace(
        "    keywords: [收费]\n", "    keywords: [收费]\n    in_force: [2008, 2019]\n"
    )
    (folder / "guide" / "99-old.yaml").write_text(entry + "    replaced_by: no-such-entry\n", encoding="utf-8")
    reasons = {(p.field, p.reason) for p in problems_of(folder)}
    assert reasons == {("replaced_by", "'no-such-entry' (in fee-then) is not a guide entry")}


def test_regional_words_are_synonyms_known_as_regional(folder):
    (folder / "lexicon.yaml").write_text(
        "synonyms:\n  哪里: [哪儿]\nregional:\n  哪里: [边度]\n  什么: [咩]\n", encoding="utf-8"
    )
    lexicon = load(folder).lexicon
    assert lexicon.synonyms == {"哪儿": "哪里", "边度": "哪里", "咩": "什么"}
    assert lexicon.regional == ("边度", "咩")
    # A word cannot be read two ways, whichever part of the lexicon says it.
    (folder / "lexicon.yaml").write_text("synonyms:\n  哪里: [边度]\nregional:\n  这里: [边度]\n", encoding="utf-8")
    assert {(p.line, p.field) for p in problems_of(folder)} == {(3, "regional.这里")}
