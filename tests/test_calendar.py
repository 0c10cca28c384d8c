"""Working days on the official calendar, with calendar.yaml's overrides, on real holidays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import cli as cli_module
from bot.knowledge import CalendarDays, KnowledgeError, Problem, load, load_calendar
from bot.services import calendar as calendar_module
from bot.services.calendar import WorkCalendar

from .conftest import KNOWLEDGE

D = dt.date


@pytest.fixture
def official() -> WorkCalendar:
    return WorkCalendar()


def calendar_of(path: Path, text: str) -> tuple[CalendarDays, list[Problem]]:
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return load_calendar(path, problems), problems


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 13), True),  # the Friday before Spring Festival
        (D(2026, 2, 14), True),  # a Saturday worked instead (调休)
        (D(2026, 2, 16), False),  # Spring Festival, a Monday
        (D(2026, 2, 23), False),  # its last day, a Monday
        (D(2026, 2, 28), True),  # the second Saturday worked instead
        (D(2026, 9, 20), True),  # a Sunday worked for National Day
        (D(2026, 10, 1), False),  # National Day
        (D(2026, 10, 7), False),
        (D(2026, 10, 10), True),  # a Saturday worked for National Day
        (D(2026, 10, 11), False),  # an ordinary Sunday
        (D(2026, 12, 1), True),  # an ordinary Tuesday
    ],
)
def test_official_holidays_and_make_up_days(official, day, working):
    assert official.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # the 调休 Saturday counts
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # Spring Festival does not
        (D(2026, 2, 12), 15, D(2026, 3, 11)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # National Day does not
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # the Saturday after it does
        (D(2026, 11, 27), 15, D(2026, 12, 18)),  # no holiday in between: weekends only
    ],
)
def test_working_days_after(official, start, days, due):
    assert official.working_days_after(start, days) == due


def test_the_file_overrides_the_official_calendar_and_fills_in_a_year(tmp_path):
    days, problems = calendar_of(
        tmp_path / "calendar.yaml",
        "holidays: [2026-12-01, 2099-01-01]\nworkdays: ['2099-01-03']\n",
    )
    assert problems == []
    calendar = WorkCalendar(days)
    assert not calendar.is_working_day(D(2026, 12, 1))  # a local holiday on a Tuesday
    assert not calendar.is_working_day(D(2099, 1, 1))
    assert calendar.is_working_day(D(2099, 1, 3))  # a Saturday worked instead
    assert calendar.uncovered_years(D(2099, 3, 1), D(2100, 3, 1)) == [2100]


def test_a_year_the_package_does_not_know_keeps_the_days_the_law_fixes():
    # A year whose notice the package does not carry yet (2027 in chinesecalendar 1.11, when an
    # application received in December is due in January): its weekends and the holidays the law
    # fixes on the solar calendar are off; its lunar festivals and 调休 come with the notice.
    calendar = WorkCalendar()
    assert 2099 not in calendar_module.OFFICIAL_YEARS
    for holiday in (D(2099, 1, 1), D(2099, 5, 1), D(2099, 10, 1)):  # a Thursday, a Friday, a Thursday
        assert not calendar.is_working_day(holiday), holiday
    assert calendar.working_days_after(D(2098, 12, 31), 1) == D(2099, 1, 2)
    assert calendar.working_days_after(D(2099, 4, 30), 1) == D(2099, 5, 4)
    assert calendar.uncovered_years(D(2099, 1, 1), D(2099, 12, 31)) == [2099]  # still warned of


def test_without_a_file_the_official_calendar_counts(tmp_path):
    problems: list[Problem] = []
    assert load_calendar(tmp_path / "missing.yaml", problems) == CalendarDays() and problems == []
    assert not WorkCalendar().is_working_day(D(2026, 10, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("holidays:\n  - 2026-10-01\n  - 2026-13-01\n", ":3: holidays: '2026-13-01' is not a date (YYYY-MM-DD)"),
        ("holidays: []\nworkdays: [2026-10-12]\n", ":2: workdays: 2026-10-12 is a weekday"),
        ("holidays: [2026-10-10]\nworkdays: [2026-10-10]\n", ":2: workdays: 2026-10-10 is listed as a holiday too"),
        ("holiday: [2026-10-01]\n", ":1: holiday: unknown field"),
        ("holidays: 2026-10-01\n", ":1: holidays: must be a list of dates"),
        ("- 2026-10-01\n", ":1: must be a mapping"),
        ("holidays: [2026-10-01\n", "is not valid YAML"),
    ],
)
def test_a_bad_calendar_is_reported_with_file_and_line(folder, text, expected):
    (folder / "calendar.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load(folder)
    assert [str(p) for p in info.value.problems if expected in str(p)] != []
    assert all(p.file == str(folder / "calendar.yaml") for p in info.value.problems)


def test_the_shipped_calendar_loads(knowledge):
    assert knowledge.calendar == load_calendar(KNOWLEDGE / "calendar.yaml", [])


def test_knowledge_check_refuses_a_bad_date(folder):
    (folder / "calendar.yaml").write_text("holidays: [2026-02-30]\n", encoding="utf-8")
    result = CliRunner().invoke(cli_module.cli, ["knowledge", "check", str(folder)])
    assert result.exit_code == 1
    assert f"{folder / 'calendar.yaml'}:1: holidays: '2026-02-30' is not a date" in result.output
    assert "Traceback" not in result.output


def test_knowledge_check_warns_of_the_next_twelve_months_not_covered(folder, monkeypatch):
    monkeypatch.setattr(calendar_module, "OFFICIAL_YEARS", frozenset({2004}))
    this_year = dt.date.today().year
    (folder / "calendar.yaml").write_text(f"holidays: [{this_year}-01-01]\n", encoding="utf-8")
    result = CliRunner().invoke(cli_module.cli, ["knowledge", "check", str(folder)])
    assert result.exit_code == 0 and result.output.startswith("OK: ")
    assert f"Warning: the public holidays of {this_year + 1} are not known" in result.output
    assert f"of {this_year} are" not in result.output

    (folder / "calendar.yaml").write_text(f"holidays: [{this_year}-01-01, {this_year + 1}-01-01]\n", encoding="utf-8")
    assert "Warning" not in CliRunner().invoke(cli_module.cli, ["knowledge", "check", str(folder)]).output


def test_run_refuses_a_bad_calendar_in_one_line(folder, tmp_path, monkeypatch):
    # It used to be read only when complaints were set up, and `gongkai run` died with a traceback.
    monkeypatch.setenv("GONGKAI_DB", str(tmp_path / "g.db"))
    (folder / "calendar.yaml").write_text("holidays:\n  - 2026-10-1x\n", encoding="utf-8")
    result = CliRunner().invoke(cli_module.cli, ["run", "--knowledge", str(folder)])
    assert result.exit_code == 1
    assert f"{folder / 'calendar.yaml'}:2: holidays: '2026-10-1x' is not a date" in result.output
    assert "Traceback" not in result.output


def test_a_due_date_into_a_year_whose_holidays_are_not_known_is_told_it_may_move():
    calendar = WorkCalendar()
    assert calendar.due_said(dt.date(2026, 11, 2), dt.date(2026, 11, 23)) == "2026-11-23"
    said = calendar.due_said(dt.date(2040, 12, 20), dt.date(2041, 1, 10))
    assert said.startswith("2041-01-10") and "2040年、2041年的节假日安排尚未公布" in said
