"""The report's tables computed from plain data, and the report's own rules checked on them.

Pure: no I/O. Table 2 is computed from :class:`ApplicationRecord` (whatever register holds the
applications maps its rows to these), Table 3 from :class:`Case`, Table 1 from figures staff enter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ... import texts
from . import format as fmt


class ReportError(Exception):
    """The report cannot be made: bad input (a record, a figure), said in one line."""


@dataclass(frozen=True)
class CheckFailure:
    """One cell that breaks one of the report's rules: where it is, and what is wrong."""

    table: str
    row: str
    column: str
    problem: str

    def __str__(self) -> str:
        return texts.REPORT_CELL.format(table=self.table, row=self.row, column=self.column, problem=self.problem)


class ReportRefused(ReportError):
    """The report breaks its own rules; ``failures`` names every cell."""

    def __init__(self, failures: list[CheckFailure]) -> None:
        self.failures = failures
        super().__init__("\n".join(map(str, failures)))


# --- Table 2 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationRecord:
    """One application for information, as the yearly report counts it.

    :param applicant_column: the applicant's column of Table 2, by key (``natural``, ``business``,
      ``research``, ``nonprofit``, ``legal``, ``other``) or label (自然人, 商业企业, ...)
    :param received: the date of receipt (R2019 第31条)
    :param decided: the date it was answered or closed; None while it is open
    :param outcome_row: the outcome row of Table 2 it was closed under, by key
      (``withheld.secret``) or label (属于国家秘密); None while open
    """

    applicant_column: str
    received: dt.date
    decided: dt.date | None = None
    outcome_row: str | None = None


@dataclass
class Table2:
    """收到和处理政府信息公开申请情况: ``cells[row][column]``, rows and columns by key, the
    outcome rows as the year's format prints them (``rows``)."""

    year: int
    era: str
    cells: dict[str, dict[str, int]]
    source: str = "register"  # or "entered": figures typed in by staff

    @property
    def rows(self) -> tuple[str, ...]:
        return table2_rows(self.era)

    def get(self, row: str, column: str) -> int:
        return self.cells.get(row, {}).get(column, 0)


def table2_rows(era: str) -> tuple[str, ...]:
    """Table 2's rows in a format, by key, in printed order."""
    return (fmt.NEW, fmt.CARRIED_IN, *(k for k, _ in fmt.outcome_rows(era)), fmt.OUTCOME_TOTAL, fmt.CARRIED_OUT)


def row_label(row: str) -> str:
    return fmt.ROW_LABELS.get(row, row)


def _empty(era: str) -> dict[str, dict[str, int]]:
    return {row: {c.key: 0 for c in fmt.TABLE2_COLUMNS} for row in table2_rows(era)}


def compute_table2(records: Iterable[ApplicationRecord], year: int) -> Table2:
    """Table 2 of ``year`` from every application the register holds (others are ignored).

    An application counts if it was received in the year (一) or received earlier and still open on
    1 January (二). One decided within the year is counted in its outcome row (三); one still open
    on 31 December is carried to the next year (四). Raises :class:`ReportError` naming the first
    record that cannot be counted (an unknown column or outcome, a decision before receipt or
    without an outcome).
    """
    era = fmt.era(year)
    printed = {recorded: row for row, recorded_keys in fmt.outcome_rows(era) for recorded in recorded_keys}
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cells = _empty(era)
    for number, r in enumerate(records, 1):
        column = fmt.applicant_column(r.applicant_column)
        if column is None:
            raise ReportError(
                texts.REPORT_BAD_RECORD.format(
                    number=number,
                    problem=texts.REPORT_BAD_COLUMN.format(
                        value=r.applicant_column, choices="、".join(c.label for c in fmt.APPLICANT_COLUMNS)
                    ),
                )
            )
        if r.decided is not None and r.decided < r.received:
            raise ReportError(texts.REPORT_BAD_RECORD.format(number=number, problem=texts.REPORT_DECIDED_BEFORE))
        if r.received > end or (r.decided is not None and r.decided < start):
            continue  # another year's
        outcome = None
        if r.decided is not None and r.decided <= end:
            outcome = fmt.outcome_row(r.outcome_row or "")
            if outcome is None:
                raise ReportError(
                    texts.REPORT_BAD_RECORD.format(
                        number=number, problem=texts.REPORT_BAD_OUTCOME.format(value=r.outcome_row or "")
                    )
                )
        rows = [fmt.NEW if r.received >= start else fmt.CARRIED_IN]
        rows += [printed[outcome], fmt.OUTCOME_TOTAL] if outcome else [fmt.CARRIED_OUT]
        for row in rows:
            cells[row][column] += 1
            cells[row][fmt.TOTAL.key] += 1
    return Table2(year, era, cells)


def entered_table2(year: int, figures: Mapping[str, str]) -> Table2 | None:
    """Table 2 as staff typed it in (``t2.<row>.<column>`` figures), for a year the register does
    not hold; None if no cell was entered. Cells not entered are 0."""
    era = fmt.era(year)
    entered = {k: v for k, v in figures.items() if k.startswith("t2.")}
    if not entered:
        return None
    cells = _empty(era)
    for key, value in entered.items():
        _, row, column = (key.split(".", 2) + ["", ""])[:3]
        if row not in cells or column not in cells[row]:
            raise ReportError(texts.REPORT_UNKNOWN_KEY.format(key=key))
        cells[row][column] = parse_count(key, value)
    return Table2(year, era, cells, source="entered")


def check_table2(table: Table2) -> list[CheckFailure]:
    """Every cell of Table 2 that breaks the format's rules: a count below 0; an applicant row
    whose 总计 is not the sum of the six columns; an outcome total that is not the sum of the
    outcome rows; a column where 一 + 二 differs from 三 + 四."""
    name = texts.REPORT_TABLE2
    failures: list[CheckFailure] = []
    labels = {c.key: c.label for c in fmt.TABLE2_COLUMNS}
    outcome_keys = [k for k, _ in fmt.outcome_rows(table.era)]
    for row in table.rows:
        for column in labels:
            if table.get(row, column) < 0:
                failures.append(CheckFailure(name, row_label(row), labels[column], texts.REPORT_NEGATIVE))
        expected = sum(table.get(row, c.key) for c in fmt.APPLICANT_COLUMNS)
        if table.get(row, fmt.TOTAL.key) != expected:
            failures.append(
                CheckFailure(
                    name,
                    row_label(row),
                    fmt.TOTAL.label,
                    texts.REPORT_NOT_SUM.format(
                        expected=expected, what=texts.REPORT_SUM_COLUMNS, actual=table.get(row, fmt.TOTAL.key)
                    ),
                )
            )
    for column, label in labels.items():
        expected = sum(table.get(row, column) for row in outcome_keys)
        total = table.get(fmt.OUTCOME_TOTAL, column)
        if total != expected:
            failures.append(
                CheckFailure(
                    name,
                    row_label(fmt.OUTCOME_TOTAL),
                    label,
                    texts.REPORT_NOT_SUM.format(expected=expected, what=texts.REPORT_SUM_OUTCOMES, actual=total),
                )
            )
        new, carried_in = table.get(fmt.NEW, column), table.get(fmt.CARRIED_IN, column)
        carried_out = table.get(fmt.CARRIED_OUT, column)
        if new + carried_in != total + carried_out:
            failures.append(
                CheckFailure(
                    name,
                    row_label(fmt.CARRIED_OUT),
                    label,
                    texts.REPORT_UNBALANCED.format(
                        new=new, carried_in=carried_in, total=total, carried_out=carried_out
                    ),
                )
            )
    return failures


# --- Table 3 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A case of administrative review or litigation about the bureau's disclosure work.

    :param kind: ``review``, ``direct_suit`` or ``suit_after_review``
    :param filed_on: the day the case was filed (accepted by the review body or the court)
    :param result: ``upheld``, ``corrected`` or ``other`` once decided; None while pending
    :param decided_on: the day of the decision or judgment; None while pending
    """

    number: str
    kind: str
    filed_on: dt.date
    subject: str = ""
    result: str | None = None
    decided_on: dt.date | None = None


@dataclass
class Table3:
    """政府信息公开行政复议、行政诉讼情况: ``cells[kind][column]``."""

    year: int
    cells: dict[str, dict[str, int]]

    def get(self, kind: str, column: str) -> int:
        return self.cells.get(kind, {}).get(column, 0)

    @property
    def total(self) -> int:
        return sum(self.get(k.key, "total") for k in fmt.CASE_KINDS)


def compute_table3(cases: Iterable[Case], year: int) -> Table3:
    """Table 3 of ``year``: the cases filed in the year and those filed earlier still pending on
    1 January; each in its result's column if decided within the year, else 尚未审结."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cells = {k.key: {c.key: 0 for c in fmt.TABLE3_COLUMNS} for k in fmt.CASE_KINDS}
    for case in cases:
        if case.filed_on > end or (case.decided_on is not None and case.decided_on < start):
            continue
        decided = case.decided_on is not None and case.decided_on <= end and case.result is not None
        column = case.result if decided and case.result else "pending"
        cells[case.kind][column] += 1
        cells[case.kind]["total"] += 1
    return Table3(year, cells)


def check_table3(table: Table3) -> list[CheckFailure]:
    """Every kind of case whose 总计 is not 维持 + 纠正 + 其他 + 尚未审结, or with a count below 0."""
    failures = []
    for kind in fmt.CASE_KINDS:
        for column in fmt.TABLE3_COLUMNS:
            if table.get(kind.key, column.key) < 0:
                failures.append(CheckFailure(texts.REPORT_TABLE3, kind.label, column.label, texts.REPORT_NEGATIVE))
        expected = sum(table.get(kind.key, c.key) for c in fmt.CASE_RESULTS)
        if table.get(kind.key, "total") != expected:
            failures.append(
                CheckFailure(
                    texts.REPORT_TABLE3,
                    kind.label,
                    "总计",
                    texts.REPORT_NOT_SUM.format(
                        expected=expected, what=texts.REPORT_SUM_RESULTS, actual=table.get(kind.key, "total")
                    ),
                )
            )
    return failures


# --- Table 1 ---------------------------------------------------------------------------------------


@dataclass
class Table1:
    """主动公开政府信息情况: the figures staff entered, by ``<row>.<cell>`` key (None: not entered)."""

    era: str
    values: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def rows(self) -> tuple[fmt.Table1Row, ...]:
        return fmt.TABLE1.get(self.era, ())

    def missing(self) -> list[str]:
        return [
            f"{r.label}·{label}"
            for r in self.rows
            for key, label in r.cells
            if self.values.get(f"{r.key}.{key}") is None
        ]


def table1_keys(era: str) -> dict[str, tuple[fmt.Table1Row, str, str]]:
    """Every figure of Table 1 in a format: ``t1.<row>.<cell>`` -> (row, cell key, column label)."""
    return {f"t1.{r.key}.{key}": (r, key, label) for r in fmt.TABLE1.get(era, ()) for key, label in r.cells}


def compute_table1(year: int, figures: Mapping[str, str]) -> Table1:
    """Table 1 of ``year`` from the entered figures; raises :class:`ReportError` on a figure that is
    not a number of the right kind (a count: a whole number; 本年增/减 may be negative)."""
    table = Table1(fmt.era(year))
    for key, (row, cell, _) in table1_keys(table.era).items():
        value = figures.get(key)
        if value is None or value == "":
            table.values[f"{row.key}.{cell}"] = None
        elif row.money or cell == "amount":
            table.values[f"{row.key}.{cell}"] = parse_amount(key, value)
        else:
            table.values[f"{row.key}.{cell}"] = Decimal(parse_count(key, value, signed=cell in fmt.SIGNED_CELLS))
    return table


# The most a count of the report may be: past 2**63 SQLite would keep it as a float, rounded.
MAX_COUNT = 10**12


def parse_count(key: str, value: str, *, signed: bool = False) -> int:
    """A whole number entered for ``key``; below 0 only if ``signed``."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ReportError(texts.REPORT_NOT_A_COUNT.format(key=key, value=value)) from None
    if (number < 0 and not signed) or abs(number) > MAX_COUNT:
        raise ReportError(texts.REPORT_NOT_A_COUNT.format(key=key, value=value))
    return number


def parse_amount(key: str, value: str) -> Decimal:
    """An amount of money (at least 0, at most 4 decimals) entered for ``key``."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ReportError(texts.REPORT_NOT_AN_AMOUNT.format(key=key, value=value)) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.0001")):
        raise ReportError(texts.REPORT_NOT_AN_AMOUNT.format(key=key, value=value))
    return amount


# --- the old format's proactive figures ----------------------------------------------------------------


@dataclass
class Proactive:
    """主动公开 in the old format: the count per catalogue category and its share of the total.

    ``percents`` are as printed: the published report's own where it gave them (kept as written,
    since a report's percentages are not always one rounding of its counts), else computed to one
    decimal. ``catalogue`` holds the catalogue's counts of the year, shown beside them.
    """

    total: int
    counts: dict[str, int]
    percents: dict[str, str]
    catalogue: dict[str, int]
    source: str  # "entered" or "catalogue"


def percent(count: int, total: int) -> str:
    """``count`` as a percentage of ``total`` to one decimal, without a trailing .0 (13, 8.1)."""
    if total == 0:
        return "0"
    value = (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"))
    return format(value.normalize(), "f")


def compute_proactive(year: int, figures: Mapping[str, str], catalogue: Mapping[str, int]) -> Proactive:
    """The old format's proactive figures: the entered ones (``proactive.<category>``, optionally
    ``proactive.<category>.percent`` and ``proactive.total``) if any, else the catalogue's."""
    entered = {c: figures[f"proactive.{c}"] for c in fmt.CATEGORIES if f"proactive.{c}" in figures}
    if entered:
        counts = {c: parse_count(f"proactive.{c}", figures.get(f"proactive.{c}", "0")) for c in fmt.CATEGORIES}
        source = "entered"
    else:
        counts = {c: catalogue.get(c, 0) for c in fmt.CATEGORIES}
        source = "catalogue"
    total = sum(counts.values())
    if "proactive.total" in figures:
        total = parse_count("proactive.total", figures["proactive.total"])
    percents = {c: figures.get(f"proactive.{c}.percent") or percent(counts[c], total) for c in fmt.CATEGORIES}
    return Proactive(total, counts, {c: p.rstrip("%％") for c, p in percents.items()}, dict(catalogue), source)


def check_proactive(p: Proactive) -> list[CheckFailure]:
    """The categories must add up to the total, and a printed percentage must be its count's share
    to the precision it is written in (13 for 13.01%, 3.2 for 3.25%: off by less than one unit of
    its last digit)."""
    name = texts.REPORT_PROACTIVE
    failures = []
    if sum(p.counts.values()) != p.total:
        failures.append(
            CheckFailure(
                name,
                texts.REPORT_PROACTIVE_TOTAL,
                texts.REPORT_PROACTIVE_COUNT,
                texts.REPORT_NOT_SUM.format(
                    expected=sum(p.counts.values()), what=texts.REPORT_SUM_CATEGORIES, actual=p.total
                ),
            )
        )
    for category in fmt.CATEGORIES:
        written = p.percents[category]
        try:
            value = Decimal(written)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            failures.append(
                CheckFailure(
                    name,
                    category,
                    texts.REPORT_PROACTIVE_SHARE,
                    texts.REPORT_BAD_PERCENT.format(written=written, exact="—"),
                )
            )
            continue
        exact = Decimal(p.counts[category]) * 100 / Decimal(p.total) if p.total else Decimal(0)
        exponent = value.as_tuple().exponent
        unit = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)  # 1 for "13", 0.1 for "3.2"
        if abs(value - exact) >= unit:
            failures.append(
                CheckFailure(
                    name,
                    category,
                    texts.REPORT_PROACTIVE_SHARE,
                    texts.REPORT_BAD_PERCENT.format(written=written, exact=f"{exact:.2f}"),
                )
            )
    return failures
