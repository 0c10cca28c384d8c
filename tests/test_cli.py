"""The gongkai command, end to end through click, and the documents that must stay true to it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import Settings

from .conftest import DATA, ROOT


def test_ask_prints_the_reply(run):
    result = run("ask", "申请信息公开要收费吗")
    assert result.exit_code == 0
    assert "不收费" in result.output and "依据" in result.output


def test_ask_json(run):
    data = json.loads(run("ask", "--json", "期限").output)
    assert data["q"] == "期限" and data["outcome"] == "clarify"
    assert data["choices"] and {"id", "title", "score"} == set(data["choices"][0])
    assert isinstance(data["ms"], float)


def test_ask_lines_from_stdin(run):
    result = run("ask", "-", input="收费吗\n\n今天天气好吗\n我要投诉\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    # One line out for each line in, the blank one too: the output lines up with the input.
    assert [d["outcome"] for d in lines] == ["answer", "invalid", "fallback", "complaint"]


def test_ask_does_not_record(run, tmp_path):
    run("ask", "收费吗")
    assert not (tmp_path / "state" / "g.db").exists()


def test_search_text_and_json(run):
    assert "安全生产月" in run("search", "安全生产月").output
    data = json.loads(run("search", "--json", "--limit", "2", "危险化学品").output)
    assert len(data["hits"]) == 2
    assert {"index_no", "title", "category", "date", "score"} <= set(data["hits"][0])


def test_search_lines_from_stdin(run):
    out = run("search", "-", "--limit", "1", input="安全生产月\n烟花爆竹\n").output.splitlines()
    assert [len(json.loads(line)["hits"]) for line in out] == [1, 1]


def test_search_nothing_found_is_polite(run):
    assert "没有在公开目录中找到" in run("search", "量子计算机").output
    assert "请输入要在公开目录中查找的关键词" in run("search", "   ").output  # nothing to look for


def test_knowledge_option_uses_another_folder(run, tmp_path):
    import shutil

    folder = tmp_path / "other"
    shutil.copytree(ROOT / "knowledge", folder)
    (folder / "catalogue.csv").write_text("索引号,名称,生成日期\nX-1,量子计算机采购公告,2020-01-01\n", encoding="utf-8")
    assert "量子计算机采购公告" in run("search", "--knowledge", str(folder), "量子计算机").output


def test_knowledge_check_ok(run):
    result = run("knowledge", "check", str(ROOT / "knowledge"))
    assert result.exit_code == 0 and result.output.startswith("OK: ")


@pytest.mark.parametrize("folder", ["", "a" * 300, "README.md"])
def test_knowledge_check_of_no_folder_says_so(run, folder):
    # "" checked the current folder; 300 characters ended in an OSError's traceback.
    result = run("knowledge", "check", str(ROOT / folder) if folder == "README.md" else folder)
    assert result.exit_code == 2 and "Invalid value for '[FOLDER]'" in result.output


def test_an_operating_system_error_is_said_in_a_line_not_a_traceback(tmp_path, monkeypatch, capsys):
    from bot import cli as cli_module

    monkeypatch.setattr(sys, "argv", ["gongkai", "backup", str(tmp_path / ("a" * 300) / "x.db")])
    with pytest.raises(SystemExit) as exited:
        cli_module.main()
    err = capsys.readouterr().err
    assert exited.value.code == 1 and err.startswith("Error: File name too long: ") and "Traceback" not in err


def test_knowledge_check_warns_of_a_category_the_catalogue_lacks(tmp_path):
    import shutil

    folder = tmp_path / "renamed"
    shutil.copytree(ROOT / "knowledge", folder)
    (folder / "catalogue.csv").write_text("索引号,名称,类别,生成日期\nX-1,标题,法规,2020-01-01\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["knowledge", "check", str(folder)])
    # The bot still starts; staff are told which entry's answer lists nothing, and what there is.
    assert result.exit_code == 0 and result.output.startswith("OK: ")
    assert "Warning: guide entry cat-zhengce names the category 政策法规" in result.output
    assert "(the catalogue's: 法规)" in result.output
    assert "cat-zhengce" not in CliRunner().invoke(cli, ["knowledge", "check", str(ROOT / "knowledge")]).output
    # So of a website column, and of documents by index number, that the catalogue lacks.
    assert "Warning: guide entry major-hazards names the column 重大危险源" in result.output
    assert "Warning: guide entry bureau-leaders lists documents the catalogue does not have: ZDAJ-00-2009-0003" in (
        result.output
    )


def test_knowledge_check_lists_problems(run, tmp_path):
    import shutil

    folder = tmp_path / "bad"
    shutil.copytree(ROOT / "knowledge", folder)
    (folder / "catalogue.csv").write_text("索引号,名称,生成日期\nX-1,标题,昨天\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["knowledge", "check", str(folder)])
    assert result.exit_code == 1
    assert f"{folder / 'catalogue.csv'}:2: 生成日期: '昨天' is not a date" in result.output
    assert "Traceback" not in result.output


def test_bad_knowledge_stops_every_command(run, tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["ask", "--knowledge", str(tmp_path / "empty"), "收费吗"])
    assert result.exit_code == 1 and "problem(s)" in result.output


def test_bad_setting_is_one_line(run, monkeypatch):
    monkeypatch.setenv("GONGKAI_ANSWER_MIN_CONFIDENCE", "high")
    result = CliRunner().invoke(cli, ["ask", "收费吗"])
    assert result.exit_code == 1
    assert "GONGKAI_ANSWER_MIN_CONFIDENCE" in result.output and "Traceback" not in result.output


def test_evaluate(run):
    result = run("knowledge", "evaluate", "--json", str(DATA / "questions.csv"))
    figures = json.loads(result.output)
    assert figures["top1"] >= 0.9


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"foo,bar\n1,2\n", "needs the columns question, expected"),  # another CSV: was a KeyError
        (b"question,expected,kind\n\xff\xfe\x80\x80,none,\n", "neither UTF-8 nor GB18030"),
        (b"", "it has none"),  # empty: was a ValueError from calibrate, a table of 0.0% from evaluate
        (b"question,expected,kind\n", "has no questions"),
    ],
)
def test_a_labelled_set_that_is_none_is_said_so_not_a_traceback(run, tmp_path, content, said):
    path = tmp_path / "set.csv"
    path.write_bytes(content)
    for command in (["knowledge", "evaluate"], ["knowledge", "calibrate", "--dry-run"]):
        result = run(*command, str(path))
        assert result.exit_code == 1 and said in result.output and "Traceback" not in result.output


def test_a_wrong_label_is_said_with_its_line_not_counted_as_a_miss(run, tmp_path):
    path = tmp_path / "set.csv"
    path.write_text("question,expected,kind\n怎么申请,no-such-entry,\n怎么申请,,\n收费吗,fee-free,\n", encoding="utf-8")
    result = run("knowledge", "evaluate", str(path))
    assert result.exit_code == 1 and "line 2: '怎么申请' expects no-such-entry" in result.output
    assert "line 3: '怎么申请' has no expected label" in result.output and "in_scope" not in result.output
    # A handful is no set to fit thresholds on (it fitted 4 and would have written them).
    path.write_text("question,expected,kind\n怎么申请,apply-how,\n", encoding="utf-8")
    refused = run("knowledge", "calibrate", "--dry-run", str(path))
    assert refused.exit_code == 1 and "too few to fit on" in refused.output


def test_chat_records_and_staff_see_unanswered(run):
    session = "收费吗\n明天会下雨吗\n期限\n1\n/search 安全生产月\n/quit\n"
    result = run("chat", input=session)
    assert "不收费" in result.output and "已经记录" in result.output
    assert "请回复序号" in result.output and "安全生产月" in result.output and "再见" in result.output
    listed = run("enquiries", "list").output.splitlines()
    assert len(listed) == 3 and "console" in listed[0]
    # Recorded in UTC, shown in the bureau's time with its offset (as complaints are).
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00  console ", listed[0]), listed[0]
    assert "明天会下雨" in run("enquiries", "unanswered").output
    assert "明天会下雨吗" in run("enquiries", "list").output  # as typed, not normalised (吗 dropped)


def test_unanswered_sets_apart_what_the_knowledge_now_answers(run, tmp_path):
    from bot.storage import Enquiry, Store

    run("chat", input="明天会下雨吗\n/quit\n")
    store = Store(tmp_path / "state" / "g.db")
    try:  # not answered when asked (an older guide), answered by the files now
        store.record_enquiry(Enquiry("console", None, "申请要收费", "fallback", None, 0.1, 5.0, typed="申请要收费吗"))
    finally:
        store.close()
    waiting, now = run("enquiries", "unanswered").output.split("Now answered (1;")
    assert "明天会下雨吗" in waiting and "申请要收费吗" not in waiting
    assert "申请要收费吗  ->  fee-free" in now


def test_what_citizens_typed_is_shown_in_a_terminal_never_acted_on(run):
    # ESC ] … BEL would set the staff terminal's title (or write its clipboard, OSC 52); ESC [2J
    # clear it; U+202E reverse what follows. Printed, they are left out; in --json, escaped.
    typed = "\x1b]0;OWNED\x07\x1b[2J火星上的\u202e天气怎么样"
    run("chat", input=typed + "\n/quit\n")
    unanswered = run("enquiries", "unanswered").output
    assert "火星上的天气怎么样" in unanswered and not {"\x1b", "\x07", "\u202e"} & set(unanswered)
    assert not {"\x1b", "\x07", "\u202e"} & set(run("enquiries", "list").output)
    asked = run("ask", "--json", typed).output
    # The escape sequences are no part of the question (dropped as it is read); U+202E is escaped.
    assert "\x1b" not in asked and "\u202e" not in asked and json.loads(asked)["q"] == "火星上的\u202e天气怎么样"


def test_a_file_to_write_in_a_folder_that_does_not_exist_is_said_so(run, tmp_path):
    for command in (("complaints", "export"), ("report", "make", "2025"), ("report", "cases", "export")):
        result = run(*command, "-o", str(tmp_path / "missing" / "out.csv"))
        assert result.exit_code == 2 and "does not exist" in result.output and result.exception.__class__ is SystemExit


def test_unanswered_groups_as_the_console_does_in_the_citizens_words(run, tmp_path):
    from bot.services.insights import unanswered as grouped
    from bot.storage import Store

    wordings = ["明天会不会下雨", "明天会下雨吗", "明天下雨不", "明天天气怎么样", "明天天气怎么样？"]
    run("chat", input="\n".join([*wordings, "明天会下雨吗", "/quit"]) + "\n")
    lines = run("enquiries", "unanswered").output.splitlines()
    store = Store(tmp_path / "state" / "g.db")
    try:
        groups = grouped(store)  # the console's grouping, the one function
    finally:
        store.close()
    heads = [line for line in lines if "×" in line]
    assert len(heads) == len(groups) < len(wordings)  # alike wordings are one row, not one each
    for head, group in zip(heads, groups, strict=True):
        assert head.split("×")[0].strip() == str(group.times) and head.endswith(group.text)
        # Recorded in UTC, dated in the bureau's time.
        local = dt.datetime.fromisoformat(group.last_at).astimezone(ZoneInfo("Asia/Shanghai")).date()
        assert head.split("×")[1].split()[0] == str(local)
    assert sum(g.times for g in groups) == 6
    assert any("明天天气怎么样" in h for h in heads) and not any(h.endswith("明天天气怎么") for h in heads)
    also = [line for line in lines if "also:" in line]
    assert also and all(w in "\n".join(lines) for w in wordings)


def test_unanswered_with_entries_names_the_ids_to_teach(run):
    # In a terminal, as on the console's teach page: the entries ranked as if the group were the
    # bureau's business, their ids those `gongkai teach phrasing` takes; none for the weather.
    run("chat", input="过年歇的那几天扣不扣除\n明天会下雨吗\n/quit\n")
    lines = run("enquiries", "unanswered", "--entries").output.splitlines()
    likely = {lines[n - 1].split()[-1]: line for n, line in enumerate(lines) if "likely:" in line}
    assert likely["过年歇的那几天扣不扣除"].split("likely: ")[1].startswith("working-days")
    assert "no entry near" in likely["明天会下雨吗"]
    assert "likely:" not in run("enquiries", "unanswered").output  # only when asked for


def test_a_group_taught_in_the_citizens_words_leaves_the_unanswered_list(run):
    run("chat", input="明天天气怎么样\n明天天气怎么样？\n养狗要办证吗\n/quit\n")
    assert "明天天气怎么样" in run("enquiries", "unanswered").output
    taught = run("teach", "elsewhere", "明天天气怎么样", "--pointer", "天气请问气象台 12121")
    assert taught.exit_code == 0, taught.output
    left = run("enquiries", "unanswered").output
    assert "明天天气" not in left and "养狗要办证吗" in left
    # When, in the bureau's time with its offset (recorded in UTC), as the other lists say it.
    at = re.search(r"^#1\s+(\S+)", run("teach", "list").output, re.MULTILINE).group(1)
    when = dt.datetime.fromisoformat(at)
    assert at.endswith("+08:00") and abs(when - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_chat_files_a_complaint_and_looks_it_up(run):
    result = run("chat", input="投诉\n窗口工作人员态度差\n1\n跳过\n1\n/quit\n")
    assert "已收到您的投诉" in result.output and "再见" in result.output


def test_chat_ends_on_eof(run):
    result = run("chat", input="收费吗\n")
    assert result.exit_code == 0 and "再见" in result.output


# --- documents that must stay true ---------------------------------------------------------------


def _commands(group, prefix=""):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


@pytest.mark.parametrize("name,command", list(_commands(cli)), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name, command):
    assert "Example" in (command.help or ""), name
    assert f"gongkai {name}" in (ROOT / "README.md").read_text(encoding="utf-8"), name


def test_env_example_documents_every_setting():
    text = (ROOT / "deploy" / "env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*(GONGKAI_[A-Z_]+)=", text, re.M))
    expected = {f"GONGKAI_{name.upper()}" for name in Settings.model_fields}
    assert documented == expected


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = re.search(r"```sh\n(.*?)\n```", readme.split("## Test", 1)[1], re.S).group(1).strip()
    assert test_command in ci


def test_cli_does_not_import_aiogram():
    code = (
        "import sys; from bot.cli import main; import bot.services, bot.matching, bot.storage;"
        " print('aiogram' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_complaints_from_the_cli(run, tmp_path, monkeypatch):
    from bot.config import Settings
    from bot.services.complaints import Complaints, Draft
    from bot.storage import Store

    settings = Settings()
    store = Store.from_settings(settings)
    number = (
        Complaints(store, settings)
        .file(
            Draft("窗口人员态度差", topic="conduct", name="李雷", phone="13912345678"),
            channel="telegram",
            chat_id=1,
            user_id=1,
            dedupe_key="k",
        )
        .number
    )
    store.close()
    listed = run("complaints", "list").output
    assert number in listed and "139****5678" in listed and "13912345678" not in listed
    assert "受理 recorded" in run("complaints", "accept", number, "--as", "王科长").output
    # Filed on Telegram, which this configuration does not send to: said, as the console says it.
    replied = run("complaints", "reply", number, "已批评教育").output
    assert "It will not reach the citizen: nothing sends to telegram here" in replied and "sent it" not in replied
    assert "备注 recorded" in run("complaints", "note", number, "电话回访").output
    monkeypatch.setenv("GONGKAI_TELEGRAM_TOKEN", "123456:test-token")
    closed = run("complaints", "close", number).output
    assert "办结 recorded" in closed and "will be sent it by the running bot" in closed
    refused = run("complaints", "accept", number)
    assert refused.exit_code == 1 and "不能受理" in refused.output
    digits = number.replace("-", "")
    mistyped = digits[:9] + digits[10] + digits[9] + digits[11:]  # 001 typed as 010
    assert f"did you mean {number}" in run("complaints", "show", mistyped).output
    shown = run("complaints", "show", number).output
    assert "13912345678" in shown and "cli:王科长" in shown and "已批评教育" in shown
    out = tmp_path / "export.csv"
    run("complaints", "export", "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert number in data.decode("utf-8-sig") and "已批评教育" in data.decode("utf-8-sig")


def test_complaints_export_as_a_workbook_of_one_status(run, tmp_path):
    import openpyxl

    from bot.services.complaints import Complaints, Draft
    from bot.storage import Store

    settings = Settings()
    store = Store.from_settings(settings)
    log = Complaints(store, settings)
    closed, open_ = (
        log.file(Draft(t, phone="13912345678"), channel="wechat", chat_id="o1", user_id="o1", dedupe_key=t).number
        for t in ("甲", "乙")
    )
    log.act(closed, "closed", "cli:王科长", "已办结")
    store.close()
    out = tmp_path / "台账.xlsx"  # the suffix chooses the format
    assert "1 complaint(s) written" in run("complaints", "export", "--status", "closed", "-o", str(out)).output
    sheet = openpyxl.load_workbook(out).active
    [row] = sheet.iter_rows(min_row=4, values_only=True)
    header = [c.value for c in sheet[3]]
    cells = dict(zip(header, row))
    assert cells["编号"] == closed and cells["电话"] == "13912345678" and cells["办结人"] == "王科长（命令行）"
    as_csv = tmp_path / "台账.txt"
    run("complaints", "export", "--format", "csv", "--status", "open", "-o", str(as_csv))
    [only] = csv.DictReader(io.StringIO(as_csv.read_text("utf-8-sig"), newline=""))
    assert only["编号"] == open_ and list(only) == header and only["渠道"] == "微信公众号"
    # The database itself, or its journal, named as the file: refused (it was truncated to a CSV).
    db = Settings().db
    for target in (db, db.with_name(db.name + "-wal")):
        for command in (["complaints", "export"], ["report", "cases", "export"]):
            refused = run(*command, "-o", str(target))
            assert refused.exit_code == 2 and "is a database" in refused.output, command
    assert run("complaints", "list", "--status", "all").exit_code == 0
    # A workbook named .csv (or CSV named .xlsx) would open as garbage: refused, nothing written.
    for name, fmt in (("c.csv", "xlsx"), ("c.xlsx", "csv")):
        refused = run("complaints", "export", "--format", fmt, "-o", str(tmp_path / name))
        assert refused.exit_code == 2 and f"but the format is {fmt}" in refused.output
        assert not (tmp_path / name).exists()


def test_complaints_export_neutralises_formulas(run, tmp_path):
    from bot.config import Settings
    from bot.services.complaints import Complaints, Draft
    from bot.storage import Store

    settings = Settings()
    store = Store.from_settings(settings)
    draft = Draft('=HYPERLINK("http://evil.example","点我")', topic="conduct", name="@SUM(A1)", phone="")
    Complaints(store, settings).file(draft, channel="web", chat_id="w1", user_id="w1", dedupe_key="k")
    store.close()
    out = tmp_path / "export.csv"
    run("complaints", "export", "-o", str(out))
    [row] = csv.DictReader(io.StringIO(out.read_text("utf-8-sig"), newline=""))
    assert row["姓名"] == "'@SUM(A1)" and row["内容"] == '\'=HYPERLINK("http://evil.example","点我")'
    stdout = run("complaints", "export").output
    assert "'=HYPERLINK" in stdout and ",=HYPERLINK" not in stdout


def test_a_password_is_asked_for_only_an_account_that_exists(run):
    # A typo in the name was found only after the new password had been typed twice.
    result = run("staff", "passwd", "nobody", input="Longpassword9\nLongpassword9\n")
    assert result.exit_code == 2 and "no staff account 'nobody'" in result.output
    assert "Password" not in result.output
    assert run("staff", "add", "wangli", "--role", "admin", "--password", "a long password 1").exit_code == 0
    changed = run("staff", "passwd", "WangLi", input="another password 2\nanother password 2\n")
    assert changed.exit_code == 0 and "changed" in changed.output
