"""The register of applications for information: numbers, the statutory clocks on the real
calendar, staff actions as events, notices, reminders, letters, and the records of a year."""

from __future__ import annotations

import asyncio
import datetime as dt
import random

import pytest
from pydantic import SecretStr

from bot import tracking
from bot.knowledge import CalendarDays
from bot.services.applications import (
    APPLICANTS,
    DECISIONS,
    ROW,
    ROWS,
    ApplicationError,
    Applications,
    Draft,
    applications_for_year,
    mask_id,
    numbers,
)
from bot.services.applications.form import ORGANISATION_ID
from bot.services.applications.form import check as check_application
from bot.services.applications.outcomes import GROUPS
from bot.services.applying import ApplicationDialogue, ApplicationForm
from bot.services.calendar import WorkCalendar
from bot.services.complaints import Complaints
from bot.services.complaints import Draft as ComplaintDraft
from bot.storage.migrations import migrations

CST = dt.timezone(dt.timedelta(hours=8))
D = dt.date
ID = "370303199001011239"


class Clock:
    """A settable clock in Beijing."""

    def __init__(self) -> None:
        self.at = dt.datetime(2026, 12, 1, 10, 0, tzinfo=CST)

    def on(self, day: dt.date) -> None:
        self.at = dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=CST)

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def staffed(settings):
    return settings.model_copy(update={"telegram_token": SecretStr("42:TEST"), "telegram_staff_chat_id": -100})


@pytest.fixture
def register(store, staffed, clock) -> Applications:
    return Applications(store, staffed, now=clock)


def draft(**changes) -> Draft:
    fields = {
        "applicant": "person",
        "name": "王小明",
        "id_type": "居民身份证",
        "id_number": ID,
        "phone": "13912345678",
        "description": "2026年本局烟花爆竹经营许可的审批结果",
        "form": "electronic",
        "delivery": "email",
        "email": "wang@example.com",
    }
    return Draft(**{**fields, **changes})


def received(register: Applications, clock: Clock, day: dt.date, **changes):
    """An application handed in on ``day`` (the clock is set to that day)."""
    clock.on(day)
    return register.register(draft(**changes), via="in_person", received_on=day, actor="cli:王科长")


def owed(store, recipient: str | None = None) -> list[dict]:
    sql = "select * from outbox" + (" where recipient = ?" if recipient else "") + " order by id"
    return list(store.reader.query(sql, [recipient] if recipient else []))


# --- the register's numbers -----------------------------------------------------------------------


def test_a_register_number_is_the_day_a_zero_led_sequence_and_a_check_digit():
    number = numbers.make(D(2026, 11, 27), 7)
    assert number.startswith("申")
    day, seq, check = number[1:].split("-")
    assert (day, seq) == ("20261127", "0007")
    assert tracking.is_valid(day + seq + check)
    assert numbers.make(D(2026, 11, 27), 1234)[1:].split("-")[1] == "01234"


def test_register_numbers_and_complaint_numbers_are_never_the_same_digits():
    rng = random.Random(13)
    for _ in range(2000):
        day = D(2026, 1, 1) + dt.timedelta(rng.randrange(700))
        seq = rng.choice([rng.randrange(1, 1000), rng.randrange(1000, 20000)])
        application = tracking.digits_of(numbers.make(day, seq)[1:])
        complaints = {tracking.digits_of(tracking.make(day, s)) for s in (seq, seq * 10, seq + 1000)}
        assert application not in complaints
        assert numbers.shaped(application)
        assert not numbers.shaped(tracking.digits_of(tracking.make(day, seq)))


@pytest.mark.parametrize(
    "typed",
    ["申20261127-0007-{c}", "20261127-0007-{c}", "申请编号：20261127 0007 {c}", "申２０２６１１２７０００７{c}"],
)
def test_a_register_number_is_recognised_as_typed(typed):
    number = numbers.make(D(2026, 11, 27), 7)
    assert numbers.parse(typed.format(c=number[-1])).number == number


def test_a_complaint_number_is_not_a_register_number():
    assert numbers.parse(tracking.make(D(2026, 11, 27), 7)) is None
    assert numbers.parse("申请信息公开要收费吗") is None


def test_a_mistyped_register_number_suggests_the_ones_a_slip_away():
    number = numbers.make(D(2026, 11, 27), 7)
    digits = number[1:].replace("-", "")
    wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)  # the check digit wrong
    parsed = numbers.parse("申" + wrong)
    assert parsed is not None and parsed.number is None and number in parsed.suggestions


# --- the clocks on the real calendar ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        # The Friday before the 2026 Spring Festival break (2-15 to 2-23): the 调休 Saturday 2-14
        # is day 1, the break is skipped, the 调休 Saturday 2-28 counts.
        (D(2026, 2, 13), D(2026, 3, 19)),
        # Received on a 调休 Saturday: that day does not count, the next working day is day 1.
        (D(2026, 2, 14), D(2026, 3, 20)),
        (D(2026, 10, 10), D(2026, 11, 6)),
        # Across a year end: 元旦 2026 (1-1 to 1-3) skipped, Sunday 1-4 worked instead counts.
        (D(2025, 12, 15), D(2026, 1, 13)),
        # The reference's worked example: 中秋 and 国庆 skipped, Saturday 10-10 worked.
        (D(2026, 9, 21), D(2026, 10, 26)),
    ],
)
def test_answer_due_twenty_working_days_after_receipt(register, clock, received_on, due):
    application = received(register, clock, received_on)
    assert application.received_on == received_on
    assert application.due_on == due
    assert application.status == "open" and not application.overdue


def test_a_year_the_package_does_not_know_counts_the_holidays_of_calendar_yaml(store, staffed, clock):
    # 2027's notice is not out. Its 元旦 is the law's, off without it: 12-15 … 12-31 is 13 working
    # days; 2027-01-01 (a Friday) is off; 1-4 … 1-8 and 1-11, 1-12.
    december = received(Applications(store, staffed, now=clock), clock, D(2026, 12, 14))
    assert december.due_on == D(2027, 1, 12)
    # What the notice adds comes from calendar.yaml (春节 listed provisionally: 2-5 除夕 and 2-8 初三,
    # the working days of it), and the clock skips it.
    days = CalendarDays(holidays=frozenset({D(2027, 2, 5), D(2027, 2, 8)}), workdays=frozenset())
    register = Applications(store, staffed, calendar=WorkCalendar(days), now=clock)
    application = received(register, clock, D(2027, 1, 20))
    assert application.due_on == D(2027, 2, 19)
    assert Applications(store, staffed, now=clock).get(application.number).due_on == D(2027, 2, 17)


def test_an_application_filed_online_is_received_the_day_it_is_confirmed(register, clock):
    clock.on(D(2026, 10, 10))  # the 调休 Saturday
    filed = register.file(draft(), channel="web", chat_id="w1", user_id="w1", dedupe_key="k1")
    assert (filed.via, filed.received_on, filed.due_on) == ("internet", D(2026, 10, 10), D(2026, 11, 6))
    assert register.file(draft(), channel="web", chat_id="w1", user_id="w1", dedupe_key="k1").id == filed.id


def test_correction_restarts_the_twenty_days_from_the_corrected_application(register, clock):
    a = received(register, clock, D(2026, 3, 2))
    assert a.correction_notice_by == D(2026, 3, 11)  # 7 working days
    clock.on(D(2026, 3, 5))
    a = register.request_correction(a.number, "cli:王科长", "请写明所需文件的名称或文号", by=D(2026, 3, 26))
    assert (a.status, a.due_on, a.correction_by) == ("correcting", None, D(2026, 3, 26))
    clock.on(D(2026, 3, 20))
    a = register.correct(a.number, "citizen", text="2026年烟花爆竹经营（零售）许可证核发名单")
    # From 3-20: Qingming (4-4 to 4-6) skipped.
    assert (a.status, a.start_on, a.due_on) == ("open", D(2026, 3, 20), D(2026, 4, 20))
    assert a.description == "2026年烟花爆竹经营（零售）许可证核发名单"
    assert a.described == draft().description  # as first asked: what the notice was about, kept
    with pytest.raises(ApplicationError, match="只能发一次"):
        register.request_correction(a.number, "cli:王科长", "再补一次")


def test_a_correction_deadline_past_a_reasonable_time_is_refused(register, clock):
    # 9999-12-31 (or 2207 for 2027) would keep the application from ever lapsing, on a letter.
    a = received(register, clock, D(2026, 3, 2))
    clock.on(D(2026, 3, 3))
    for by in (D(9999, 12, 31), D(2207, 3, 20)):
        with pytest.raises(ApplicationError, match="最长 60 个工作日"):
            register.request_correction(a.number, "cli:王科长", "请写明文号", by=by)
    assert register.get(a.number).status == "open"
    assert register.request_correction(a.number, "cli:王科长", "请写明文号", by=D(2026, 5, 29)).status == "correcting"


def test_a_correction_notice_after_seven_working_days_is_refused(register, clock):
    a = received(register, clock, D(2026, 3, 2))
    clock.on(D(2026, 3, 12))
    with pytest.raises(ApplicationError, match="7个工作日内.*2026-03-11"):
        register.request_correction(a.number, "cli:王科长", "请写明文号")


def test_no_correction_in_time_closes_it_as_other_processing(register, clock):
    a = received(register, clock, D(2026, 3, 2))
    clock.on(D(2026, 3, 3))
    register.request_correction(a.number, "cli:王科长", "请写明文号")  # by: 15 working days, 3-24
    assert register.get(a.number).correction_by == D(2026, 3, 24)
    with pytest.raises(ApplicationError, match="不是逾期未补正"):
        register.decide(a.number, "cli:王科长", "other_no_correction", "逾期未补正")
    clock.on(D(2026, 3, 25))
    assert register.get(a.number).correction_lapsed
    assert [x.number for x in register.search("due")[0]] == [a.number]
    a = register.decide(a.number, "cli:王科长", "other_no_correction", "申请人未在期限内补正。")
    assert a.status == "decided" and a.decision.row == "other_no_correction"
    assert a.decision.article == "第三十条"


def test_one_extension_of_at_most_twenty_working_days_approved_by_a_named_person(register, clock, store):
    a = received(register, clock, D(2026, 9, 21))
    clock.on(D(2026, 10, 20))
    with pytest.raises(ApplicationError, match="1至20"):
        register.extend(a.number, "cli:王科长", days=21, approved_by="李主任", reason="数量较多")
    with pytest.raises(ApplicationError, match="批准人"):
        register.extend(a.number, "cli:王科长", days=20, approved_by=" ", reason="数量较多")
    a = register.extend(a.number, "cli:王科长", days=20, approved_by="李主任", reason="涉及档案数量较多")
    assert (a.extension, a.due_on) == (20, D(2026, 11, 23))
    event = register.events(a)[-1]
    assert (event.kind, event.actor, event.data) == ("extended", "cli:王科长", {"days": 20, "approved_by": "李主任"})
    with pytest.raises(ApplicationError, match="只能延长一次"):
        register.extend(a.number, "cli:王科长", days=1, approved_by="李主任", reason="再延")
    # A decision dated before the extension it follows was taken: its letter said it was extended later.
    with pytest.raises(ApplicationError, match="早于这件申请上一步办理的日期 2026-10-20"):
        register.decide(a.number, "cli:王科长", "granted", "依法公开。", on=D(2026, 10, 19))


def test_an_extension_after_the_deadline_is_refused(register, clock):
    a = received(register, clock, D(2026, 9, 21))
    clock.on(D(2026, 10, 27))
    assert register.get(a.number).overdue
    with pytest.raises(ApplicationError, match="届满前"):
        register.extend(a.number, "cli:王科长", days=10, approved_by="李主任", reason="迟了")


def test_a_third_party_consultation_stops_the_clock_until_it_answers(register, clock):
    a = received(register, clock, D(2026, 11, 2))
    assert a.due_on == D(2026, 11, 30)
    clock.on(D(2026, 11, 5))
    with pytest.raises(ApplicationError, match="请写明征求意见的对象"):  # the letter names whom
        register.pause(a.number, "web:wangli", party_kind="third_party", party=" ")
    with pytest.raises(ApplicationError, match=r"第三方（第三十二条）（third_party）"):  # not codes alone
        register.pause(a.number, "web:wangli", party_kind="bogus", party="某化工企业")
    a = register.pause(a.number, "cli:王科长", party_kind="third_party", party="某化工企业")
    # Under way: the clock is stopped for its 15 working days at most (to 11-26): due at the latest 12-21.
    assert (a.status, a.pause.limit, a.due_on) == ("paused", D(2026, 11, 26), D(2026, 12, 21))
    clock.on(D(2026, 11, 12))
    a = register.resume(a.number, "cli:王科长", text="第三方书面答复不同意公开")
    # 11-6, 11-9 … 11-12 (5 working days) not counted: 11-30 becomes 12-7.
    assert (a.status, a.pause, a.due_on) == ("open", None, D(2026, 12, 7))


def test_a_consultation_begun_after_the_deadline_is_refused(register, clock):
    # It moved an overdue application's deadline after the fact, where an extension is refused.
    a = received(register, clock, D(2026, 11, 2))  # due 11-30
    clock.on(D(2026, 12, 3))
    with pytest.raises(ApplicationError, match="届满前开始"):
        register.pause(a.number, "cli:王科长", party_kind="third_party", party="某化工企业")
    with pytest.raises(ApplicationError, match="届满前开始"):  # nor entered late, dated after it
        register.pause(a.number, "cli:王科长", party_kind="third_party", party="某化工企业", on=D(2026, 12, 1))
    assert register.get(a.number).status == "open"


def test_a_consultation_answered_late_stops_the_clock_fifteen_working_days_at_most(register, clock):
    a = received(register, clock, D(2026, 11, 2))
    clock.on(D(2026, 11, 5))
    register.pause(a.number, "cli:王科长", party_kind="agency", party="区市场监管局")
    clock.on(D(2026, 12, 1))
    assert register.resume(a.number, "cli:王科长").due_on == D(2026, 12, 21)


def test_every_change_is_an_event_and_the_row_is_never_updated(register, clock, store):
    a = received(register, clock, D(2026, 11, 2))
    before = dict(next(iter(store.reader.query("select * from applications"))))
    clock.on(D(2026, 11, 3))
    register.note(a.number, "web:wangli", "已电话联系申请人")
    register.pause(a.number, "web:wangli", party_kind="third_party", party="某企业")
    register.resume(a.number, "web:wangli")
    register.decide(a.number, "cli:王科长", "granted", "所需信息见附件。")
    assert dict(next(iter(store.reader.query("select * from applications")))) == before
    events = register.events(register.get(a.number))
    assert [(e.kind, e.actor) for e in events] == [
        ("received", "cli:王科长"),
        ("noted", "web:wangli"),
        ("paused", "web:wangli"),
        ("resumed", "web:wangli"),
        ("decided", "cli:王科长"),
    ]
    assert all(e.at.startswith("2026-11-0") for e in events)
    with pytest.raises(ApplicationError, match="已经答复"):
        register.decide(a.number, "cli:王科长", "granted", "again")


@pytest.mark.parametrize(
    ("via", "rule"),
    [("in_person", "提交之日"), ("signed_post", "签收之日"), ("post", "与申请人确认之日"), ("fax", "双方确认之日")],
)
def test_staff_register_paper_applications_with_the_day_of_receipt_of_article_31(register, clock, via, rule):
    from bot.services.applications import RECEIPT_RULES

    assert RECEIPT_RULES[via] == rule
    clock.on(D(2026, 11, 30))
    a = register.register(draft(), via=via, received_on=D(2026, 11, 27), actor="cli:王科长")
    assert (a.via, a.received_on, a.channel) == (via, D(2026, 11, 27), "staff")
    with pytest.raises(ApplicationError, match="还没到"):
        register.register(draft(), via=via, received_on=D(2026, 12, 1), actor="cli:王科长")
    # 0001-01-01 was registered, overdue since, and carried into this year's report.
    with pytest.raises(ApplicationError, match="早于《条例》施行之日"):
        register.register(draft(), via=via, received_on=D(1, 1, 1), actor="cli:王科长")


# --- notices, reminders and letters -------------------------------------------------------------------


def test_staff_are_told_of_a_new_application_with_the_id_masked(register, clock, store):
    a = received(register, clock, D(2026, 11, 2))
    (notice,) = owed(store)
    assert (notice["recipient"], notice["channel"], notice["kind"]) == ("staff", "telegram", "application")
    assert a.number in notice["text"] and "2026-11-30" in notice["text"]
    assert ID not in notice["text"] and "王**" in notice["text"]
    assert mask_id(ID) == "370***********1239"


def test_the_applicant_is_told_on_their_channel_of_a_correction_an_extension_and_the_decision(register, clock, store):
    clock.on(D(2026, 9, 21))
    a = register.file(draft(), channel="telegram", chat_id=555, user_id=555, dedupe_key="t1")
    clock.on(D(2026, 9, 22))
    register.request_correction(a.number, "cli:王科长", "请写明文号", by=D(2026, 9, 30))
    clock.on(D(2026, 9, 29))
    register.correct(a.number, "cli:王科长", text="安监〔2026〕12号文件")  # brought to the office
    register.extend(a.number, "cli:王科长", days=5, approved_by="李主任", reason="需调取档案")
    register.decide(a.number, "cli:王科长", "withheld_process", "该文件为内部讨论稿。")
    told = [n["text"] for n in owed(store, "555")]
    assert len(told) == 4
    assert "需要补正" in told[0] and "2026-09-30" in told[0]
    corrected_due = WorkCalendar().working_days_after(D(2026, 9, 29), 20)
    assert str(corrected_due) in told[1]
    assert "5个工作日" in told[2] and str(WorkCalendar().working_days_after(corrected_due, 5)) in told[2]
    assert "不予公开" in told[3] and "第十六条第二款" in told[3] and "应当先申请行政复议" in told[3]
    # Only the decision's letter says it answers; the correction's and the extension's tell.
    letters = {letter.kind: letter.text for letter in register.letters(register.get(a.number))}
    assert "经审查，现答复如下" in letters["decision"]
    assert "现答复如下" not in letters["correction"] + letters["extension"] and "现告知如下" in letters["correction"]


def test_a_paper_application_is_not_sent_anywhere_but_its_letter_is_kept(register, clock, store):
    a = received(register, clock, D(2026, 11, 2))
    clock.on(D(2026, 11, 10))
    register.decide(a.number, "cli:王科长", "granted", "所需信息已通过电子邮件发送。")
    assert [n["recipient"] for n in owed(store)] == ["staff"]
    (letter,) = register.letters(register.get(a.number))
    assert letter.kind == "decision" and "予以公开" in letter.text


def test_the_letter_is_escaped_and_carries_the_facts_the_basis_the_remedies_and_the_contacts(register, clock, staffed):
    a = received(register, clock, D(2026, 11, 2), name="<script>alert(1)</script>")
    clock.on(D(2026, 11, 10))
    register.decide(a.number, "cli:王科长", "partial", "第3页涉及个人信息<b>已遮盖</b>。")
    (letter,) = register.letters(register.get(a.number))
    html = letter.html
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;已遮盖" in html
    assert "第三十七条" in html and "部分公开" in html
    assert "年度报告" not in html and "年度报告" not in letter.text  # staff's bookkeeping, not the applicant's
    assert "60日内向张店区人民政府申请行政复议" in html and "6个月内" in html
    assert staffed.office_phone in html and staffed.office_email in html
    assert ID not in html and mask_id(ID) in html
    assert "2026-11-02" in html and a.number in html
    assert "收到您向" in html and "单位" not in html.split("收到", 1)[1][:4]  # a person is 您, not 您（单位）


def test_staff_are_reminded_three_working_days_before_and_on_the_day_once_each(register, clock, store):
    a = received(register, clock, D(2026, 11, 2))  # due 11-30
    staff = lambda: [n for n in owed(store, "staff") if n["kind"] == "application_reminder"]  # noqa: E731
    clock.on(D(2026, 11, 24))  # 4 working days left
    assert register.remind() == 0
    clock.on(D(2026, 11, 25))  # 3 left
    assert register.remind() == 1 and register.remind() == 0
    assert "还有3个工作日" in staff()[-1]["text"]
    clock.on(D(2026, 11, 30))
    assert register.remind() == 1 and register.remind() == 0
    assert "今天" in staff()[-1]["text"]
    clock.on(D(2026, 12, 1))
    assert register.remind() == 0  # told on the day already
    assert [e.kind for e in register.events(register.get(a.number))].count("reminded") == 2


def test_due_soon_and_overdue_list_overdue_first(register, clock):
    late = received(register, clock, D(2026, 10, 12))  # due 11-09
    soon = received(register, clock, D(2026, 11, 2))  # due 11-30
    later = received(register, clock, D(2026, 11, 20))
    done = received(register, clock, D(2026, 10, 13))
    clock.on(D(2026, 11, 26))
    register.decide(done.number, "cli:王科长", "granted", "已提供。")
    listed, total = register.search("due")
    assert [a.number for a in listed] == [late.number, soon.number] and total == 2
    assert [a.number for a in register.search("open")[0]] == [late.number, soon.number, later.number]
    assert register.counts() == {"open": 3, "due": 2, "overdue": 1}


def test_decisions_need_an_article_when_none_is_the_default(register, clock):
    a = received(register, clock, D(2026, 11, 2))
    with pytest.raises(ApplicationError, match="依据的条款"):
        register.decide(a.number, "cli:王科长", "other", "申请人撤回申请。")
    a = register.decide(a.number, "cli:王科长", "other", "申请人撤回申请。", article="第四十五条")
    assert register.events(a)[-1].data == {"decision": "other", "article": "第四十五条"}


# --- outcomes and the records of a year ---------------------------------------------------------------


def test_the_outcome_rows_are_the_national_formats():
    counts = {group: sum(r.group == group for r in ROWS) for group in GROUPS}
    assert counts == {"granted": 1, "partial": 1, "withheld": 8, "unavailable": 3, "not_processed": 5, "other": 3}
    assert [r.name for r in ROWS if r.group == "withheld"][2] == '危及"三安全一稳定"'
    assert {d.row for d in DECISIONS.values()} == set(ROW)
    assert list(APPLICANTS.values()) == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def test_applications_for_year_balance_new_and_carried_against_decided_and_carried_out(register, clock, store):
    old_open = received(register, clock, D(2025, 12, 20), applicant="business")
    old_done = received(register, clock, D(2025, 12, 1))
    clock.on(D(2025, 12, 10))
    register.decide(old_done.number, "cli:x", "granted", "已提供。")
    new_done = received(register, clock, D(2026, 3, 2), applicant="legal")
    clock.on(D(2026, 3, 10))
    register.decide(new_done.number, "cli:x", "not_processed_repeat", "重复申请。")
    clock.on(D(2026, 1, 5))
    register.decide(old_open.number, "cli:x", "unavailable_not_held", "本机关不掌握。")
    open_now = received(register, clock, D(2026, 12, 1))
    records = applications_for_year(store.reader, 2026)
    assert [r.number for r in records] == [old_open.number, new_done.number, open_now.number]
    by = {r.number: r for r in records}
    assert by[old_open.number].carried_in(2026) and by[old_open.number].row == "unavailable_not_held"
    assert by[old_open.number].column == "business"
    assert by[new_done.number].new_in(2026) and by[new_done.number].row == "not_processed_repeat"
    assert by[open_now.number].carried_out(2026) and by[open_now.number].decided_on is None
    for column in APPLICANTS:
        mine = [r for r in records if r.column == column]
        assert sum(r.new_in(2026) for r in mine) + sum(r.carried_in(2026) for r in mine) == sum(
            r.decided_in(2026) for r in mine
        ) + sum(r.carried_out(2026) for r in mine)
    (r2025,) = [r for r in applications_for_year(store.reader, 2025) if r.number == old_open.number]
    assert r2025.carried_out(2025)


def test_complaint_and_application_registers_do_not_see_each_others_numbers(register, clock, store, staffed):
    a = received(register, clock, D(2026, 11, 27))
    complaints = Complaints(store, staffed, now=clock)
    c = complaints.file(ComplaintDraft("不答复"), channel="web", chat_id="w", user_id="w", dedupe_key="c")
    assert register.lookup(c.number) is None
    assert register.lookup(a.number).application.number == a.number
    assert register.lookup(a.number[1:]).application.number == a.number  # typed without 申
    found = complaints.lookup(a.number[1:])
    assert found is None or found.complaint is None


def test_the_migration_applied_twice_is_a_no_op(store):
    migrations.apply(store.db)
    migrations.apply(store.db)
    names = [r[0] for r in store.db.execute("select name from _sqlite_migrations where name like 'm007%'")]
    assert names == ["m007_applications"]
    assert store.db["applications"].columns_dict["number"] is str


def test_the_status_look_up_recognises_both_registers(register, clock, store, staffed):
    from bot.services.conversation import look_up

    clock.on(D(2026, 11, 2))
    a = register.file(draft(), channel="telegram", chat_id=555, user_id=555, dedupe_key="s")
    complaints = Complaints(store, staffed, now=clock)
    c = complaints.file(ComplaintDraft("不答复"), channel="web", chat_id="w", user_id="w", dedupe_key="c")
    mine = look_up(complaints, a.number[1:], channel="telegram", chat_id=555, applications=register)
    assert mine.outcome == "found" and mine.application.number == a.number and mine.own
    assert "2026-11-30" in mine.text and "办理中" in mine.text
    assert look_up(complaints, c.number, applications=register).complaint.number == c.number
    digits = a.number[1:].replace("-", "")
    typo = "申" + digits[:-1] + str((int(digits[-1]) + 1) % 10)
    slip = look_up(complaints, typo, applications=register)  # staff: every number a slip away
    assert slip.outcome == "mistyped" and a.number in slip.suggestions
    # A citizen is shown only their own: a stranger's slips listed other people's numbers.
    theirs = look_up(complaints, typo, channel="telegram", chat_id=555, applications=register)
    assert theirs.outcome == "mistyped" and a.number in theirs.suggestions
    stranger = look_up(complaints, typo, channel="telegram", chat_id=999, applications=register)
    assert stranger.outcome == "mistyped_none" and a.number not in stranger.text
    c_digits = c.number.replace("-", "")
    c_typo = c_digits[:-1] + str((int(c_digits[-1]) + 1) % 10)
    assert c.number in look_up(complaints, c_typo, channel="web", chat_id="w").suggestions
    assert look_up(complaints, c_typo, channel="web", chat_id="x").outcome == "mistyped_none"
    clock.on(D(2026, 11, 10))
    register.decide(a.number, "cli:x", "granted", "已发送至您的邮箱。")
    own = look_up(complaints, a.number, channel="telegram", chat_id=555, applications=register)
    assert "已发送至您的邮箱" in own.text
    assert "已发送至您的邮箱" not in look_up(complaints, a.number, applications=register).text


def test_the_running_bot_owes_reminders_by_itself_from_eight_in_the_morning(register, clock, store, monkeypatch):
    import asyncio

    from bot.services.applications import reminding
    from bot.services.applications import service as service_module

    received(register, clock, D(2026, 11, 2))  # due 11-30
    monkeypatch.setattr(service_module, "REMIND_EVERY", 0.01)

    async def serve_a_while(at: dt.datetime) -> int:
        clock.at = at
        lifecycle = reminding(register)(None)
        await anext(lifecycle)
        await asyncio.sleep(0.1)
        with pytest.raises(StopAsyncIteration):
            await anext(lifecycle)
        return len([n for n in owed(store, "staff") if n["kind"] == "application_reminder"])

    assert asyncio.run(serve_a_while(dt.datetime(2026, 11, 30, 7, 0, tzinfo=CST))) == 0
    assert asyncio.run(serve_a_while(dt.datetime(2026, 11, 30, 8, 30, tzinfo=CST))) == 1


def test_a_notice_that_could_not_be_delivered_is_shown_to_staff(register, clock, store):
    import asyncio

    clock.on(D(2026, 9, 21))
    a = register.file(draft(), channel="telegram", chat_id=555, user_id=555, dedupe_key="f")
    clock.on(D(2026, 9, 22))
    register.request_correction(a.number, "cli:王科长", "请写明文号")
    (notice,) = register.outbox.owed("telegram", recipient="555")
    asyncio.run(register.outbox.failed(notice, "TelegramForbiddenError", retry_in=None))
    assert register.failures(register.get(a.number)) == ["TelegramForbiddenError"]


def test_a_synthetic_year_balances_in_every_column_and_uses_every_row(store, settings):
    from bench.applications_year import fill, table2

    register = Applications(store, settings)
    fill(register, 2025, 80, random.Random(3))
    counts = table2(register, 2025)
    assert {r.key for r in ROWS} <= set(counts)  # every outcome row is used
    assert counts["二"] and counts["四"]  # carried over, in and out
    for column in APPLICANTS:
        decided = sum(counts[r.key][column] for r in ROWS if r.key in counts)
        assert counts["一"][column] + counts["二"][column] == decided + counts["四"][column]


def test_the_correction_and_the_extension_are_written_notices_kept_in_the_record(register, clock):
    a = received(register, clock, D(2026, 11, 2), name="王小明")
    clock.on(D(2026, 11, 3))
    register.request_correction(a.number, "cli:王科长", "请写明文件的文号", by=D(2026, 11, 20))
    register.correct(a.number, "cli:王科长", text="安监〔2026〕12号")
    register.extend(a.number, "cli:王科长", days=10, approved_by="李主任", reason="需调取档案")
    register.decide(a.number, "cli:王科长", "granted", "已邮寄。")
    letters = register.letters(register.get(a.number))
    assert [x.kind for x in letters] == ["correction", "extension", "decision"]
    correction, extension, decision = letters
    assert "补正告知书" in correction.html and "请写明文件的文号" in correction.html and "2026-11-20" in correction.html
    due = register.get(a.number).due_on
    assert "延期答复告知书" in extension.text and "李主任" in extension.text and str(due) in extension.text
    assert "需调取档案" in extension.text
    assert "答复告知书" in decision.text and "延长10个工作日" in decision.text


APPLICATION = {
    "applicant": "person", "name": "王小明", "id_type": "居民身份证", "id_number": "370303199001011239",
    "phone": "13912345678", "description": "2009年事故统计", "form": "paper", "delivery": "post",
    "address": "张店区某路1号",
}  # fmt: skip


@pytest.mark.parametrize(
    ("changed", "field", "said"),
    [
        ({"form": "paper", "delivery": "email", "email": "w@x.cn"}, "delivery", "“纸质”，获取方式却是“电子邮件”"),
        ({"form": "inspection", "delivery": "post"}, "delivery", "“查阅”，获取方式却是“邮寄”"),
        ({"form": "electronic", "delivery": "inspect"}, "delivery", "“电子”，获取方式却是“现场查阅”"),
        ({"id_type": "统一社会信用代码", "id_number": "91370303MA3C000000"}, "id_type", "个人申请请用个人证件"),
        ({"applicant": "legal", "id_type": ORGANISATION_ID, "id_number": "123"}, "id_number", "校验码"),
        ({"applicant": "legal", "id_type": ORGANISATION_ID, "id_number": "91370303MA3C7H2K5A"}, "id_number", "校验码"),
        ({"id_number": "370303199001011238"}, "id_number", "校验码"),  # 18 digits, one mistyped
        ({"id_number": "37030319900101123"}, "id_number", "应为18位"),
        ({"phone": "abc"}, "phone", "请写手机号"),  # not "再点“下一步”", which the chat and the terminal lack
        ({"name": "7"}, "name", "请填写申请人姓名"),  # a number typed at the name step was filed
        ({"description": "跳过"}, "description", "请写明所需信息"),  # was filed as what is asked for
    ],
)
def test_choices_that_contradict_each_other_are_refused_at_their_field(changed, field, said):
    draft, problems = check_application({**APPLICATION, **changed})
    assert draft is None and said in problems[field]


@pytest.mark.parametrize(("form", "delivery"), [("paper", "fax"), ("electronic", "post"), ("inspection", "inspect")])
def test_choices_that_agree_are_accepted(form, delivery):
    assert check_application({**APPLICATION, "form": form, "delivery": delivery})[0] is not None


def test_the_chat_offers_only_the_ways_the_chosen_form_can_come(register, answerer):
    applying = ApplicationDialogue(register, answerer)
    form = ApplicationForm(step="delivery", fields={**APPLICATION, "form": "inspection"})
    assert [key for key, _ in applying._ask(form).options] == ["inspect"]
    form = ApplicationForm(step="id_type", fields={"applicant": "person"})
    assert "统一社会信用代码" not in dict(applying._ask(form).options)


def test_a_contact_asked_again_keeps_what_was_given_before(register, answerer):
    # Asked for an e-mail for delivery by e-mail, the citizen's phone was dropped.
    dialogue = ApplicationDialogue(register, answerer)
    form = ApplicationForm(step="contact", fields={**APPLICATION, "phone": "", "address": "", "email": ""})
    asyncio.run(dialogue.answer(form, "13800138000"))
    form.step = "contact"  # asked again, as the delivery chosen needs an e-mail
    asyncio.run(dialogue.answer(form, "wang@example.com"))
    assert (form.fields["phone"], form.fields["email"]) == ("13800138000", "wang@example.com")


def test_a_due_date_in_a_year_whose_holidays_are_not_known_is_told_it_may_move(register, clock):
    known = received(register, clock, D(2026, 11, 2))  # due 2026-11-30: every holiday known
    assert register.due_said(known) == "2026-11-30"
    far = received(register, clock, D(2040, 12, 17))  # due in 2041: no calendar knows it yet
    said = register.due_said(far)
    assert said.startswith(far.due_on.isoformat()) and "2041年的节假日安排尚未公布" in said
