"""The supervision log's core: tracking numbers, filing, staff actions, the outbox, the export."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import random
from typing import Any

import openpyxl
import pytest
from pydantic import SecretStr

from bot import tracking
from bot.knowledge import CalendarDays, load_calendar
from bot.services.calendar import WorkCalendar
from bot.services.complaints import (
    Complaint,
    ComplaintError,
    Complaints,
    Draft,
    Filter,
    mask_phone,
    split_contact,
    told_topic,
)
from bot.services.complaints.types import citizen_notice
from bot.spreadsheet import FORMULA_STARTS, neutral

CST = dt.timezone(dt.timedelta(hours=8))


class Clock:
    """A settable clock, starting on a Friday afternoon in Beijing."""

    def __init__(self) -> None:
        self.at = dt.datetime(2026, 11, 27, 15, 0, tzinfo=CST)

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def staffed(settings):
    return settings.model_copy(update={"telegram_token": SecretStr("42:TEST"), "telegram_staff_chat_id": -100})


@pytest.fixture
def complaints(store, staffed, clock) -> Complaints:
    return Complaints(store, staffed, now=clock)


def file(complaints: Complaints, text: str = "申请信息公开超过二十个工作日没有答复", key: str | None = None, **draft):
    key = key or f"test:{random.random()}"
    return complaints.file(Draft(text, **draft), channel="telegram", chat_id=555, user_id=555, dedupe_key=key)


def csv_rows(text: str) -> list[dict[str, str]]:
    """The rows of an exported CSV, by column header; it starts with a BOM, for Excel."""
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


# --- tracking numbers ------------------------------------------------------------------------------


def test_number_is_the_local_day_a_sequence_and_a_check_digit():
    number = tracking.make(dt.date(2026, 11, 27), 7)
    day, seq, check = number.split("-")
    assert (day, seq) == ("20261127", "007")
    assert tracking.is_valid(day + seq + check)
    assert tracking.make(dt.date(2026, 11, 27), 1234).split("-")[1] == "1234"


def test_check_digit_catches_every_single_wrong_digit_and_every_neighbour_swap():
    rng = random.Random(7)
    for _ in range(300):
        digits = tracking.digits_of(
            tracking.make(dt.date(2026, 1, 1) + dt.timedelta(rng.randrange(900)), rng.randrange(1, 999))
        )
        for i in range(len(digits)):
            for d in "0123456789":
                if d != digits[i]:
                    assert not tracking.is_valid(digits[:i] + d + digits[i + 1 :])
            if i + 1 < len(digits) and digits[i] != digits[i + 1]:
                assert not tracking.is_valid(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :])


@pytest.mark.parametrize(
    "typed",
    ["20261127-007-5", "20261127 007 5", "２０２６１１２７－００７－５", "编号：2026-1127-0075", " 2026112700 75 "],
)
def test_a_number_is_read_however_it_is_typed(typed):
    assert tracking.parse(typed) == tracking.Parsed("20261127-007-5")


def test_a_mistyped_number_suggests_the_numbers_one_slip_away():
    parsed = tracking.parse("20261127-070-5")  # 007 typed as 070
    assert parsed is not None and not parsed.ok
    assert "20261127-007-5" in parsed.suggestions


@pytest.mark.parametrize("typed", ["", "你好", "12345", "/status", "2026112700751234567"])
def test_what_is_not_a_number_is_not_one(typed):
    assert tracking.parse(typed) is None


# --- filing -----------------------------------------------------------------------------------------


def test_filing_commits_the_complaint_its_event_and_the_message_owed_to_staff(complaints, store):
    complaint = file(complaints, name="张三", phone="13812345678", topic="application")
    assert complaint.number == "20261127-001-" + complaint.number[-1]
    assert complaint.status == "new" and complaint.status_label == "待受理"
    assert [e.kind for e in complaints.events(complaint)] == ["created"]
    owed = complaints.outbox.owed("telegram")
    assert [(m.recipient, m.kind, m.complaint.number) for m in owed] == [("staff", "created", complaint.number)]
    # A second connection sees it: it is committed, not merely written.
    assert store.reader.execute("select count(*) from complaints").fetchone()[0] == 1


def test_numbers_count_up_within_a_day_and_start_again_the_next(complaints, clock):
    first, second = file(complaints), file(complaints)
    clock.at += dt.timedelta(days=1)
    third = file(complaints)
    assert [c.number.split("-")[:2] for c in (first, second, third)] == [
        ["20261127", "001"],
        ["20261127", "002"],
        ["20261128", "001"],
    ]


def test_the_day_is_beijing_time_not_utc(complaints, clock):
    clock.at = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC)  # 07:30 on the 28th in Beijing
    assert file(complaints).number.startswith("20261128-")


def test_the_same_submission_twice_files_one_complaint(complaints, store):
    first = file(complaints, key="telegram:555:99")
    again = file(complaints, key="telegram:555:99")
    assert again.number == first.number
    assert store.reader.execute("select count(*) from complaints").fetchone()[0] == 1
    assert len(complaints.outbox.owed("telegram")) == 1


def test_no_staff_channel_owes_no_staff_message(store, settings, clock):
    assert Complaints(store, settings, now=clock).outbox.owed("telegram") == []


def test_due_date_counts_working_days_and_the_calendar(store, staffed, clock, tmp_path):
    complaint = file(Complaints(store, staffed, now=clock))
    assert complaint.due_on == "2026-12-18"  # 15 working days after Friday 27 November
    calendar = WorkCalendar(CalendarDays(frozenset({dt.date(2026, 11, 30)}), frozenset({dt.date(2026, 11, 29)})))
    assert calendar.working_days_after(dt.date(2026, 11, 27), 2) == dt.date(2026, 12, 1)


def test_due_date_skips_spring_festival(store, staffed, clock):
    clock.at = dt.datetime(2026, 2, 12, 10, 0, tzinfo=CST)
    assert file(Complaints(store, staffed, now=clock)).due_on == "2026-03-11"


def test_calendar_file_is_read(tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text("holidays: [2026-10-01, 2026-10-02]\nworkdays: ['2026-10-10']\n", encoding="utf-8")
    calendar = WorkCalendar(load_calendar(path, []))
    assert not calendar.is_working_day(dt.date(2026, 10, 1))
    assert calendar.is_working_day(dt.date(2026, 10, 10))  # a Saturday worked instead
    # Without the file, the official calendar (chinesecalendar) still knows National Day.
    assert not WorkCalendar(load_calendar(tmp_path / "missing.yaml", [])).is_working_day(dt.date(2026, 10, 1))


# --- lookup -----------------------------------------------------------------------------------------


def test_lookup_right_mistyped_and_unknown(complaints):
    complaint = file(complaints)
    assert complaints.lookup(complaint.number).complaint == complaint
    digits = tracking.digits_of(complaint.number)
    swapped = digits[:9] + digits[10] + digits[9] + digits[11:]  # 001 typed as 010
    mistyped = complaints.lookup(swapped)
    assert mistyped.complaint is None and not mistyped.typed_ok
    assert mistyped.suggestions == (complaint.number,)  # only numbers that exist are suggested
    unknown = complaints.lookup(tracking.make(dt.date(2026, 11, 26), 5))
    assert unknown.complaint is None and unknown.typed_ok
    assert complaints.lookup("hello") is None


# --- staff actions ------------------------------------------------------------------------------------


def test_a_complaint_reopened_and_closed_again_is_rated_again(complaints):
    # The closing notice asks for a rating; the first one refused it (已经评价过了) and the
    # console kept the old one. Both are in the history.
    complaint = file(complaints)
    complaints.act(complaint.number, "closed", "cli:wang", "已处理。")
    complaints.rate(complaint.number, "unsatisfied", channel="telegram", chat_id=555)
    reopened = complaints.act(complaint.number, "reopened", "cli:wang", "市民不满意，重新办理")
    assert reopened.rating is None
    complaints.act(complaint.number, "closed", "cli:wang", "已全部修复。")
    assert complaints.rate(complaint.number, "satisfied", channel="telegram", chat_id=555).rating == "satisfied"
    rated = [e.text for e in complaints.events(complaint) if e.kind == "rated"]
    assert rated == ["不满意", "满意"]


def test_accept_reply_close_rate(complaints):
    complaint = file(complaints)
    assert complaints.act(complaint.number, "accepted", "telegram:7 李四").status == "accepted"
    replied = complaints.act(complaint.number, "replied", "telegram:7 李四", "已转承办科室，三日内答复。")
    assert replied.status == "replied"
    closed = complaints.act(complaint.number, "closed", "cli:wang", "已电话沟通。")
    assert closed.status == "closed" and not closed.overdue
    rated = complaints.rate(complaint.number, "satisfied", channel="telegram", chat_id=555)
    assert rated.rating == "satisfied"
    events = complaints.events(complaint)
    assert [(e.kind, e.actor) for e in events] == [
        ("created", "citizen"),
        ("accepted", "telegram:7 李四"),
        ("replied", "telegram:7 李四"),
        ("closed", "cli:wang"),
        ("rated", "citizen"),
    ]
    assert events[2].text == "已转承办科室，三日内答复。"
    citizen = [(m.recipient, m.kind) for m in complaints.outbox.owed("telegram") if m.recipient != "staff"]
    assert citizen == [("555", "replied"), ("555", "closed")]


def test_a_complaint_replied_to_or_closed_before_it_was_accepted_is_accepted_then(complaints):
    # Staff may answer a new complaint at once; the 台账's 受理 column was then blank.
    replied, closed = file(complaints), file(complaints)
    complaints.act(replied.number, "replied", "cli:wang", "已转承办科室。")
    complaints.act(closed.number, "closed", "cli:li", "已电话沟通。")
    assert [(e.kind, e.actor) for e in complaints.events(replied)][1:] == [
        ("accepted", "cli:wang"),
        ("replied", "cli:wang"),
    ]
    assert [(e.kind, e.actor) for e in complaints.events(closed)][1:] == [("accepted", "cli:li"), ("closed", "cli:li")]
    # Accepted first, it is not accepted twice.
    accepted = file(complaints)
    complaints.act(accepted.number, "accepted", "cli:wang")
    complaints.act(accepted.number, "closed", "cli:wang", "已办结")
    assert [e.kind for e in complaints.events(accepted)] == ["created", "accepted", "closed"]


def test_the_citizen_is_told_the_closing_note_under_a_label(complaints):
    # A note of 已办结 read "已办结。已办结".
    noted, bare = file(complaints), file(complaints)
    noted = complaints.act(noted.number, "closed", "cli:wang", "已办结")
    told = citizen_notice(noted, "closed", complaints.events(noted)[-1])
    assert "已办结。\n办结说明：已办结\n" in told and "已办结。已办结" not in told
    bare = complaints.act(bare.number, "closed", "cli:wang")
    assert "办结说明" not in citizen_notice(bare, "closed", complaints.events(bare)[-1])


def test_actions_the_status_does_not_allow_are_refused(complaints):
    number = file(complaints).number
    with pytest.raises(ComplaintError, match="不能重新办理"):
        complaints.act(number, "reopened", "cli:wang", "理由")
    complaints.act(number, "closed", "cli:wang")
    with pytest.raises(ComplaintError, match="不能受理"):
        complaints.act(number, "accepted", "cli:wang")
    with pytest.raises(ComplaintError, match="请写明"):
        complaints.act(number, "noted", "cli:wang", "  ")
    assert complaints.act(number, "reopened", "cli:wang", "市民来电补充材料").status == "reopened"
    with pytest.raises(ComplaintError, match="没有编号"):
        complaints.act("20200101-001-0", "accepted", "cli:wang")


def test_a_reply_over_the_limit_is_refused_whole_never_cut(complaints):
    number = file(complaints).number
    complaints.act(number, "accepted", "cli:wang")
    with pytest.raises(ComplaintError, match="超过了2000字"):
        complaints.act(number, "replied", "cli:wang", "答" * 2001)
    complaint = complaints.act(number, "replied", "cli:wang", "答" * 2000)
    assert complaint.status == "replied" and complaints.events(complaint)[-1].text == "答" * 2000
    assert [e.kind for e in complaints.events(complaint)] == ["created", "accepted", "replied"]


def test_rating_is_the_citizens_once_and_after_closing(complaints):
    number = file(complaints).number
    with pytest.raises(ComplaintError, match="还没有办结"):
        complaints.rate(number, "fair", channel="telegram", chat_id=555)
    complaints.act(number, "closed", "cli:wang")
    with pytest.raises(ComplaintError, match="只有提交人"):
        complaints.rate(number, "fair", channel="telegram", chat_id=666)
    complaints.rate(number, "fair", channel="telegram", chat_id=555)
    with pytest.raises(ComplaintError, match="已经评价过"):
        complaints.rate(number, "unsatisfied", channel="telegram", chat_id=555)


def test_overdue_complaints_come_first(complaints, clock):
    old = file(complaints)
    clock.at += dt.timedelta(days=10)
    newer = file(complaints)
    done = file(complaints)
    complaints.act(done.number, "closed", "cli:wang")
    clock.at += dt.timedelta(days=14)  # past old's due date, not newer's
    listed, total = complaints.search()
    assert total == 3
    assert [c.number for c in listed] == [old.number, newer.number, done.number]
    assert listed[0].overdue and listed[0].status_label == "待受理（已超期）"
    assert [c.number for c in complaints.search("overdue")[0]] == [old.number]
    assert [c.number for c in complaints.search("open")[0]] == [old.number, newer.number]
    assert complaints.search("closed", limit=1, offset=0) == ([complaints.get(done.number)], 1)
    with pytest.raises(ComplaintError):
        complaints.search("bogus")


# --- the outbox ------------------------------------------------------------------------------------


def test_a_failed_message_waits_and_is_retried_and_a_sent_one_is_gone(complaints, clock):
    file(complaints)
    (message,) = complaints.outbox.owed("telegram")
    asyncio.run(complaints.outbox.failed(message, "TelegramNetworkError", retry_in=30))
    assert complaints.outbox.owed("telegram") == []
    clock.at += dt.timedelta(seconds=31)
    (again,) = complaints.outbox.owed("telegram")
    assert again.attempts == 1
    asyncio.run(complaints.outbox.sent(again))
    assert complaints.outbox.owed("telegram") == []


def test_a_message_that_cannot_be_delivered_is_given_up_but_the_complaint_stays(complaints):
    complaint = file(complaints)
    (message,) = complaints.outbox.owed("telegram")
    asyncio.run(complaints.outbox.failed(message, "TelegramForbiddenError", retry_in=None))
    assert complaints.outbox.owed("telegram") == []
    assert complaints.search("new")[0] == [complaint]


# --- contact details and the export ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("0533-2181234", "053****1234"),
        ("0533-2181234转801", "053****1234"),
        ("0533-2181234-801", "053****1234"),
        ("138-1234-5678", "138****5678"),
        ("", ""),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("text", "name", "phone"),
    [
        ("张三 13812345678", "张三", "13812345678"),
        ("我叫李四，电话138-1234-5678", "李四", "138-1234-5678"),
        ("张三 0533-2181234", "张三", "0533-2181234"),
        ("李四 0533-2181234转801", "李四", "0533-2181234转801"),
        ("电话 138 1234 5678", "", "13812345678"),
        ("０５３３－２１８１２３４ 王", "王", "0533-2181234"),
        ("姓名：陈七；手机号：13912345678。", "陈七", "13912345678"),
        ("王五", "王五", ""),
        ("0533 2181234", "", "05332181234"),
        ("+86 13812345678 赵六", "赵六", "13812345678"),
    ],
)
def test_split_contact(text, name, phone):
    assert split_contact(text) == (name, phone)


def test_export_csv_opens_in_excel_and_holds_the_replies(complaints):
    complaint = file(complaints, text='说"好的"，然后\n没下文', name="张三", phone="13812345678")
    complaints.act(complaint.number, "replied", "cli:wang", "已答复")
    out = io.StringIO(newline="")
    assert complaints.export_csv(out) == 1
    text = out.getvalue()
    assert text.startswith("\ufeff编号,")
    [row] = csv_rows(text)
    assert row["编号"] == complaint.number and row["内容"] == '说"好的"，然后\n没下文' and row["答复内容"] == "已答复"
    assert row["电话"] == "\t13812345678"  # a tab: text to Excel, not 1.38E+10


FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_export_csv_neutralises_what_a_spreadsheet_would_run(complaints, formula):
    complaint = file(complaints, text="投诉：" + formula, name=formula)  # a name starting with one
    complaints.act(complaint.number, "replied", "cli:wang", formula)
    complaints.act(complaint.number, "noted", "cli:wang", "备注")
    out = io.StringIO(newline="")
    complaints.export_csv(out)
    [row] = csv_rows(out.getvalue())
    stored = formula.strip()  # filing and replying strip white space
    assert row["姓名"] == "'" + stored and row["答复内容"] == "'" + stored and row["内容"] == "投诉：" + formula
    assert not any(cell.startswith(FORMULA_STARTS) for cell in row.values())


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_cell_gets_an_apostrophe(formula):
    assert neutral(formula) == "'" + formula and neutral("投诉" + formula) == "投诉" + formula


def test_a_cell_shows_no_bidi_controls():
    # U+202E would turn the rest of the cell round in the spreadsheet (13812345678 as 87654321831);
    # without it, a formula behind it is one, and is neutralised.
    assert neutral("电话\u202e13812345678\u202c") == "电话13812345678"
    assert neutral("\u202e=1+1") == "'=1+1" and neutral("\u2066@SUM(A1)\u2069") == "'@SUM(A1)"


def test_export_csv_leaves_ordinary_cells_alone(complaints):
    complaint = file(complaints, text="说 = 不算公式", name="张三", phone="13812345678")
    out = io.StringIO(newline="")
    complaints.export_csv(out)
    [row] = csv_rows(out.getvalue())
    assert row["编号"] == complaint.number and row["姓名"] == "张三" and row["内容"] == "说 = 不算公式"


# --- the ledger (台账) in XLSX, and the CSV's same columns ----------------------------------------------

LEDGER_COLUMNS = [
    "编号",
    "类型",
    "事项",
    "渠道",
    "提交时间",
    "姓名",
    "电话",
    "内容",
    "状态",
    "是否超期",
    "办理期限",
    "受理时间",
    "受理人",
    "答复时间",
    "答复人",
    "答复内容",
    "办结时间",
    "办结人",
    "办结说明",
    "满意度",
]


def xlsx_rows(data: bytes) -> tuple[Any, list[str], list[dict[str, Any]]]:
    """The sheet of an exported workbook, its header (row 3, under the title) and its rows by header."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    header = [c.value for c in sheet[3]]
    rows = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=4, values_only=True)]
    return sheet, header, rows


def xlsx(complaints: Complaints, chosen: Filter | None = None) -> bytes:
    out = io.BytesIO()
    complaints.export_xlsx(out, chosen)
    return out.getvalue()


def web_complaint(complaints: Complaints, phone: str, text: str = "窗口工作人员态度差") -> Complaint:
    draft = Draft(text, topic="conduct", name="张三", phone=phone)
    return complaints.file(draft, channel="web", chat_id="w1", user_id="w1", dedupe_key=f"k{random.random()}")


def test_the_xlsx_ledger_has_every_step_with_local_times_handlers_and_the_phone_as_text(complaints, clock):
    utc = dt.UTC
    clock.at = dt.datetime(2026, 11, 27, 7, 0, tzinfo=utc)  # 15:00 in Beijing
    complaint = web_complaint(complaints, "13812345678")
    landline = web_complaint(complaints, "0533-2181234", text="另一件")
    clock.at = dt.datetime(2026, 11, 30, 1, 30, tzinfo=utc)
    complaints.act(complaint.number, "accepted", "web:wangli")
    clock.at = dt.datetime(2026, 12, 1, 2, 0, tzinfo=utc)
    complaints.act(complaint.number, "replied", "cli:王科长", "已核实，已批评教育。")
    complaints.act(complaint.number, "noted", "web:wangli", "内部备注")
    clock.at = dt.datetime(2026, 12, 2, 8, 15, tzinfo=utc)
    complaints.act(complaint.number, "closed", "web:wangli", "已答复并电话回访")
    complaints.rate(complaint.number, "satisfied", channel="web", chat_id="w1")

    sheet, header, rows = xlsx_rows(xlsx(complaints))
    assert header == LEDGER_COLUMNS
    assert "投诉举报台账" in sheet["A1"].value and "全部" in sheet["A2"].value and "共 2 件" in sheet["A2"].value
    assert sheet.freeze_panes == "A4"
    row, other = rows
    assert row == {
        "编号": complaint.number,
        "类型": "投诉",
        "事项": "工作人员作风",
        "渠道": "网站",
        "提交时间": dt.datetime(2026, 11, 27, 15, 0),  # the bureau's time, a real date-time
        "姓名": "张三",
        "电话": "13812345678",
        "内容": "窗口工作人员态度差",
        "状态": "已办结",
        "是否超期": "否",
        "办理期限": dt.datetime.fromisoformat(complaint.due_on),  # a date cell (openpyxl reads it as a datetime)
        "受理时间": dt.datetime(2026, 11, 30, 9, 30),
        "受理人": "wangli（工作台）",
        "答复时间": dt.datetime(2026, 12, 1, 10, 0),
        "答复人": "王科长（命令行）",
        "答复内容": "已核实，已批评教育。",
        "办结时间": dt.datetime(2026, 12, 2, 16, 15),
        "办结人": "wangli（工作台）",
        "办结说明": "已答复并电话回访",
        "满意度": "满意",
    }
    assert other["编号"] == landline.number and other["电话"] == "0533-2181234"  # a landline keeps its form
    assert other["受理时间"] is None and other["受理人"] is None  # not accepted yet: empty cells
    # The phone is a text cell in a text-formatted column; the times show as people read them.
    phone = sheet.cell(4, LEDGER_COLUMNS.index("电话") + 1)
    assert phone.data_type == "s" and phone.number_format == "@"
    assert sheet.cell(4, LEDGER_COLUMNS.index("提交时间") + 1).number_format == "yyyy-mm-dd hh:mm"
    assert sheet.cell(4, LEDGER_COLUMNS.index("内容") + 1).alignment.wrap_text


def test_the_csv_has_the_xlsx_columns_and_the_same_row_as_text(complaints, clock):
    complaint = web_complaint(complaints, "05332181234")  # digits only: Excel would drop the 0
    complaints.act(complaint.number, "replied", "web:wangli", "第一次答复")
    clock.at += dt.timedelta(hours=2)
    complaints.act(complaint.number, "replied", "web:lisi", "第二次答复")
    out = io.StringIO(newline="")
    complaints.export_csv(out)
    [row] = csv_rows(out.getvalue())
    assert list(row) == LEDGER_COLUMNS == xlsx_rows(xlsx(complaints))[1]
    assert row["电话"] == "\t05332181234" and row["渠道"] == "网站" and row["提交时间"] == "2026-11-27 15:00"
    assert row["答复时间"] == "2026-11-27 15:00" and row["答复人"] == "wangli（工作台）、lisi（工作台）"
    assert row["答复内容"] == "[2026-11-27 15:00] 第一次答复\n[2026-11-27 17:00] 第二次答复"


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_xlsx_keeps_a_formula_as_text(complaints, formula):
    complaint = file(complaints, text=formula + "\x07", name=formula)  # \x07: a character XLSX cannot hold
    complaints.act(complaint.number, "replied", "cli:wang", formula)
    sheet, header, [row] = xlsx_rows(xlsx(complaints))
    stored = formula.strip()
    assert row["姓名"] == stored and row["答复内容"] == stored and row["内容"] == formula.lstrip()
    assert all(cell.data_type != "f" for cell in sheet[4])


def test_the_xlsx_cells_show_no_bidi_controls(complaints):
    complaint = file(complaints, text="态度差\u202e电话13812345678\u202c")
    complaints.act(complaint.number, "replied", "cli:wang", "已\u2067核实\u2069")
    _, _, [row] = xlsx_rows(xlsx(complaints))
    assert row["内容"] == "态度差电话13812345678" and row["答复内容"] == "已核实"


def test_both_exports_hold_only_the_complaints_the_filter_chooses(complaints):
    closed, accepted, new = (file(complaints, text=t, name=n) for t, n in (("甲", "赵"), ("乙", "钱"), ("丙", "孙")))
    complaints.act(closed.number, "closed", "web:wangli", "办结")
    complaints.act(accepted.number, "accepted", "web:wangli")

    def numbers(chosen: Filter) -> tuple[list[str], list[str]]:
        out = io.StringIO(newline="")
        complaints.export_csv(out, chosen)
        in_csv = [r["编号"] for r in csv_rows(out.getvalue())]
        return in_csv, [r["编号"] for r in xlsx_rows(xlsx(complaints, chosen))[2]]

    assert numbers(Filter("closed")) == ([closed.number], [closed.number])
    assert numbers(Filter("open")) == ([accepted.number, new.number],) * 2
    assert numbers(Filter(None, q="孙")) == ([new.number], [new.number])
    assert numbers(Filter()) == ([closed.number, accepted.number, new.number],) * 2
    assert "已办结" in xlsx_rows(xlsx(complaints, Filter("closed")))[0]["A2"].value


@pytest.mark.parametrize("since,until", [("2026-13-45", None), ("abc", None), (None, "20261130"), (None, "2026-1-5")])
def test_a_day_of_the_filter_that_is_no_day_is_refused_not_ignored(complaints, since, until):
    # Compared as text with the days filed, 2026-13-45 chose some complaints and 20261130 others.
    file(complaints)
    with pytest.raises(ComplaintError, match="不是日期"):
        complaints.search(None, since=since, until=until)
    assert complaints.search(None, since="2000-01-01", until="2100-12-31")[1] == 1


@pytest.mark.parametrize(
    ("kind", "text", "topic"),
    [
        ("投诉", "窗口的人态度恶劣，爱答不理", "conduct"),
        ("投诉", "申请了两个月一直没答复", "application"),
        ("投诉", "你们网站上的信息好几年没更新了", "proactive"),
        ("投诉", "我有意见", "other"),
        ("举报", "厂里出了事故一直瞒报", "coverup"),
        ("举报", "村里有个黑作坊无证生产烟花", "illegal"),
        ("举报", "工地脚手架摇摇晃晃", "hazard"),
    ],
)
def test_a_form_offered_under_a_story_starts_at_the_topic_it_tells_of(kind, text, topic):
    assert told_topic(kind, text) == topic
