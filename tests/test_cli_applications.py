"""``gongkai applications``: staff register and work applications from the terminal."""

from __future__ import annotations

import datetime as dt


def test_staff_register_a_paper_application_and_work_it_to_its_letter(run, tmp_path):
    today = dt.date.today()
    registered = run(
        "applications", "register", "--via", "in_person", "--received", today.isoformat(),
        "--name", "王小明", "--id-number", "370303199001011239", "--address", "张店区人民西路1号",
        "--description", "2026年烟花爆竹经营许可名单", "--as", "王科长",
    )  # fmt: skip
    assert registered.exit_code == 0, registered.output
    number = registered.output.split(":")[0]
    assert number.startswith("申") and "the answer is due" in registered.output
    listed = run("applications", "list").output
    assert number in listed and "王**" in listed and "办理中" in listed
    assert "recorded" in run("applications", "note", number, "已电话联系").output
    assert "recorded" in run("applications", "correction", number, "请写明文号").output
    assert "待补正" in run("applications", "show", number).output
    assert "recorded" in run("applications", "corrected", number, "--text", "安监〔2026〕12号").output
    extended = run("applications", "extend", number, "--days", "10", "--approved-by", "李主任", "--reason", "档案多")
    assert "recorded" in extended.output
    again = run("applications", "extend", number, "--days", "1", "--approved-by", "李主任", "--reason", "再延")
    assert again.exit_code == 1 and "只能延长一次" in again.output
    paused = run("applications", "pause", number, "--party-kind", "agency", "--party", "区市场监管局")
    assert "recorded" in paused.output
    assert "recorded" in run("applications", "resume", number).output
    assert "已答复" in run("applications", "decide", number, "granted", "已邮寄", "--as", "王科长").output
    shown = run("applications", "show", number).output
    assert "370***********1239" in shown and "370303199001011239" not in shown
    assert "cli:王科长" in shown and "安监〔2026〕12号" in shown and "李主任" in shown
    out = tmp_path / "letter.html"
    run("applications", "letter", number, "--kind", "extension", "-o", str(out))
    assert "延期答复告知书" in out.read_text(encoding="utf-8")
    run("applications", "letter", number, "-o", str(out))
    assert "政府信息公开申请答复告知书" in out.read_text(encoding="utf-8")


def test_an_incomplete_application_is_refused_naming_the_fields(run):
    refused = run(
        "applications", "register", "--via", "post", "--received", dt.date.today().isoformat(),
        "--name", "王小明", "--id-number", "123", "--description", "某文件",
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "--id-number" in refused.output and "--phone" in refused.output and "--address" in refused.output


def test_a_mistyped_number_suggests_the_right_one(run):
    registered = run(
        "applications", "register", "--via", "fax", "--received", dt.date.today().isoformat(),
        "--name", "某律师事务所", "--applicant", "legal", "--id-type", "统一社会信用代码",
        "--id-number", "91370303MA3C7H2K5K", "--phone", "0533-1234567", "--description", "某文件",
        "--form", "paper", "--delivery", "fax",
    )  # fmt: skip
    number = registered.output.split(":")[0]
    digits = number[1:].replace("-", "")
    wrong = "申" + digits[:-1] + str((int(digits[-1]) + 1) % 10)
    assert f"did you mean {number}" in run("applications", "show", wrong).output
    assert "0 reminder(s)" in run("applications", "remind").output
