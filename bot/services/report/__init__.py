"""The yearly disclosure report (年度报告) in the national format, or the old one before 2019."""

from .format import era
from .register import ReportData
from .render import csv_tables, render_html
from .report import ApplicationSource, Report, Reports, build_report, catalogue_counts
from .tables import (
    ApplicationRecord,
    Case,
    CheckFailure,
    ReportError,
    ReportRefused,
    Table2,
    Table3,
    check_table2,
    check_table3,
    compute_table2,
    compute_table3,
)

__all__ = [
    "ApplicationRecord",
    "ApplicationSource",
    "Case",
    "CheckFailure",
    "Report",
    "ReportData",
    "ReportError",
    "ReportRefused",
    "Reports",
    "Table2",
    "Table3",
    "build_report",
    "catalogue_counts",
    "check_table2",
    "check_table3",
    "compute_table2",
    "compute_table3",
    "csv_tables",
    "era",
    "render_html",
]
