"""The yearly report of one year, assembled from its inputs, and the service that gathers them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ... import texts
from ...config import Settings
from ...knowledge import CatalogueItem, Knowledge
from ...storage import Store
from . import format as fmt
from .entries import checked
from .register import ReportData
from .tables import (
    ApplicationRecord,
    Case,
    CheckFailure,
    Proactive,
    ReportError,
    ReportRefused,
    Table1,
    Table2,
    Table3,
    check_proactive,
    check_table2,
    check_table3,
    compute_proactive,
    compute_table1,
    compute_table2,
    compute_table3,
    entered_table2,
    parse_amount,
    parse_count,
)
from .yearfile import load_year

# What the register of applications gives the report: every application it holds that may count in
# a year (received by its end), as plain records. Wired in app.py; none until a register exists.
ApplicationSource = Callable[[int], Iterable[ApplicationRecord]]


@dataclass
class Report:
    """Everything one year's report prints, and what its checks found.

    :param failures: cells that break the format's rules; a report with any is not printed
    :param warnings: what staff should know but does not stop printing (a figure not entered yet)
    """

    year: int
    era: str
    bureau: str
    self_name: str
    entries: dict[str, str]
    table2: Table2
    table3: Table3
    catalogue: dict[str, int]
    table1: Table1 | None = None
    proactive: Proactive | None = None
    fees_collected: Decimal | None = None
    fees_waived: int | None = None
    failures: list[CheckFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def sections(self) -> tuple[fmt.Section, ...]:
        return fmt.SECTIONS_R2007 if self.era == "R2007" else fmt.SECTIONS_NATIONAL

    @property
    def title(self) -> str:
        return f"{self.bureau}{self.year}年度政府信息公开工作报告"

    @property
    def date(self) -> str:
        return self.entries.get("date", "")

    def text(self, name: str) -> str:
        return self.entries.get(f"text.{name}", "")

    def checked(self) -> Report:
        """This report, or :class:`ReportRefused` naming every cell that breaks the rules."""
        if self.failures:
            raise ReportRefused(self.failures)
        return self


def catalogue_counts(items: Iterable[CatalogueItem], year: int) -> dict[str, int]:
    """How many catalogue items were created in ``year``, per category (the five first, in order)."""
    counted = Counter(i.category or "（未分类）" for i in items if i.date.startswith(f"{year}-"))
    return {c: counted.pop(c, 0) for c in fmt.CATEGORIES} | dict(counted)


def build_report(
    year: int,
    *,
    entries: Mapping[str, str],
    records: Iterable[ApplicationRecord],
    cases: Iterable[Case],
    catalogue: Mapping[str, int],
    bureau: str,
    self_name: str,
) -> Report:
    """The report of ``year`` from its inputs, with every check run (see ``Report.failures``).

    Table 2 comes from ``records``, unless staff typed it in (``t2.*`` entries) for a year the
    register does not cover. Raises :class:`ReportError` on an input that cannot be counted.
    """
    era = fmt.era(year)
    records = list(records)
    table2 = compute_table2(records, year)
    entered = entered_table2(year, entries)
    warnings = []
    if entered is not None:
        counted = table2.get(fmt.NEW, fmt.TOTAL.key) + table2.get(fmt.CARRIED_IN, fmt.TOTAL.key)
        if counted:
            warnings.append(texts.REPORT_ENTERED_TABLE2.format(count=counted))
        table2 = entered
    report = Report(year, era, bureau, self_name, dict(entries), table2, compute_table3(cases, year), dict(catalogue))
    report.warnings = warnings
    report.failures = check_table2(table2) + check_table3(report.table3)
    if era == "R2007":
        report.proactive = compute_proactive(year, entries, catalogue)
        report.failures += check_proactive(report.proactive)
        if report.proactive.source == "entered":
            for category in fmt.CATEGORIES:
                entered_count, listed = report.proactive.counts[category], catalogue.get(category, 0)
                if entered_count != listed:
                    report.warnings.append(
                        texts.REPORT_CATALOGUE_DIFFERS.format(
                            category=category, entered=entered_count, catalogue=listed
                        )
                    )
        if entries.get("fees.collected"):
            report.fees_collected = parse_amount("fees.collected", entries["fees.collected"])
        if entries.get("fees.waived"):
            report.fees_waived = parse_count("fees.waived", entries["fees.waived"])
    else:
        report.table1 = compute_table1(year, entries)
        missing = report.table1.missing()
        if missing:
            report.warnings.append(texts.REPORT_MISSING.format(cells="、".join(missing)))
    # The narrative sections a report cannot do without (the old format's others only add to figures).
    unwritten = [s.title for s in report.sections if s.text in ("overview", "problems") and not report.text(s.text)]
    if unwritten:
        report.warnings.append(texts.REPORT_TEXTS_MISSING.format(sections="、".join(unwritten)))
    return report


def carry_over_differences(previous: Table2, table: Table2) -> str | None:
    """What the previous year's Table 2 carried out and this year's carries in, where they differ
    (a year typed in beside a year counted from the register); None if they agree."""
    cells = [
        texts.REPORT_CARRY_CELL.format(
            column=c.label,
            carried_out=previous.get(fmt.CARRIED_OUT, c.key),
            carried_in=table.get(fmt.CARRIED_IN, c.key),
        )
        for c in fmt.TABLE2_COLUMNS
        if previous.get(fmt.CARRIED_OUT, c.key) != table.get(fmt.CARRIED_IN, c.key)
    ]
    return texts.REPORT_CARRY_DIFFERS.format(previous=previous.year, cells="；".join(cells)) if cells else None


class Reports:
    """The yearly report on the configured database and knowledge.

    :param knowledge: the knowledge, or a function giving the one in force (a reload swaps it)
    :param applications: the register of applications' records for a year (none: no register yet)
    :param now: the current time (aware), for the year that may be reported on and the record
    """

    def __init__(
        self,
        store: Store,
        knowledge: Knowledge | Callable[[], Knowledge],
        settings: Settings,
        applications: ApplicationSource | None = None,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._knowledge = knowledge
        self.settings = settings
        self.applications = applications or (lambda year: ())
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self.data = ReportData(store, self._now)

    @property
    def knowledge(self) -> Knowledge:
        """The knowledge in force: its folder (``reports/<year>.yaml``) and its catalogue."""
        return self._knowledge if isinstance(self._knowledge, Knowledge) else self._knowledge()

    def years(self) -> range:
        """The years a report can be made for: from 2008 to this one."""
        return range(fmt.FIRST_YEAR, self._now().year + 1)

    def today(self) -> dt.date:
        return self._now().date()

    def check_year(self, year: int) -> int:
        if year not in self.years():
            raise ReportError(texts.REPORT_NO_YEAR.format(year=year))
        return year

    def entries(self, year: int) -> dict[str, str]:
        """The year's entries: ``reports/<year>.yaml`` of the knowledge folder, overridden key by
        key by what staff entered in the database (a value they cleared is gone)."""
        merged = load_year(self.knowledge.folder, year) | self.data.entries(year)
        return {k: v for k, v in merged.items() if v != ""}

    def enter(self, year: int, values: Mapping[str, str], actor: str) -> int:
        """Record the ``values`` that differ from the year's entries now; how many were recorded."""
        self.check_year(year)
        current = self.entries(year)
        changed = {k: v for k, v in values.items() if checked(year, k, v) != current.get(k, "")}
        return self.data.enter(year, changed, actor)

    def build(self, year: int, records: Iterable[ApplicationRecord] | None = None) -> Report:
        """The report of ``year``; Table 2 from ``records`` if given, else from the register."""
        self.check_year(year)
        records = list(self.applications(year) if records is None else records)
        report = build_report(
            year,
            entries=self.entries(year),
            records=records,
            cases=self.data.cases(),
            catalogue=catalogue_counts(self.knowledge.catalogue, year),
            bureau=self.settings.bureau_name,
            self_name=self.settings.report_self_name,
        )
        # Counted from the same records, the carry-over agrees by construction; a previous year
        # typed in (its report published before the register) may not.
        if year - 1 >= fmt.FIRST_YEAR:
            previous = entered_table2(year - 1, self.entries(year - 1))
            if previous is not None or report.table2.source == "entered":
                previous = previous or compute_table2(records, year - 1)
                differs = carry_over_differences(previous, report.table2)
                if differs:
                    report.warnings.append(differs)
        return report
