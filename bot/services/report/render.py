"""The report as printable HTML (Jinja2, every value escaped) and its tables as CSV."""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ... import texts
from ...bidi import shown
from ...spreadsheet import neutral
from . import format as fmt
from .report import Report
from .tables import Case, Table1, Table2, row_label, table2_rows

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSS = (TEMPLATES / "report.css").read_text(encoding="utf-8")
# For a Content-Security-Policy that allows this one inline style block and nothing else.
CSS_HASH = "sha256-" + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")


def number(value: Decimal | int | None) -> str:
    """A figure as printed: blank if not entered, no trailing zeros (0.5, 12)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return str(value)


def paragraphs(text: str, placeholder: bool = False) -> Markup:
    """Staff-written text as paragraphs, one per line, escaped."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return Markup(f'<p class="empty">{escape(texts.REPORT_NO_TEXT)}</p>') if placeholder else Markup("")
    return Markup("\n").join(Markup("<p>{}</p>").format(line) for line in lines)


def cn_date(iso: str) -> str:
    """2010-01-29 as 2010年1月29日."""
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def table1_blocks(table: Table1) -> list[tuple[str, list[fmt.Table1Row]]]:
    blocks: dict[str, list[fmt.Table1Row]] = {}
    for row in table.rows:
        blocks.setdefault(row.block, []).append(row)
    return list(blocks.items())


def table1_width(table: Table1) -> int:
    return max((len(r.cells) for r in table.rows), default=1)


@functools.cache
def table2_layout(era: str) -> list[tuple[list[tuple[str, int, int]], str]]:
    """Table 2's rows as the format draws them: per row, its header cells (text, rowspan, colspan)
    and the row's key. 三 spans its outcome rows; a group of several rows spans them too."""
    groups = {g.key: g for g in fmt.OUTCOME_GROUPS}
    outcome_keys = [k for k, _ in fmt.outcome_rows(era)]
    layout: list[tuple[list[tuple[str, int, int]], str]] = [
        ([(fmt.ROW_LABELS[fmt.NEW], 1, 3)], fmt.NEW),
        ([(fmt.ROW_LABELS[fmt.CARRIED_IN], 1, 3)], fmt.CARRIED_IN),
    ]
    by_key = {r.key: r for r in fmt.OUTCOME_ROWS}
    seen: set[str] = set()
    for n, key in enumerate(outcome_keys):
        heads: list[tuple[str, int, int]] = []
        if n == 0:
            heads.append(("三、本年度办理结果", len(outcome_keys) + 1, 1))
        row = by_key.get(key)
        group = groups[row.group if row else "other"]
        members = [k for k in outcome_keys if (by_key[k].group if k in by_key else "other") == group.key]
        if len(members) == 1:
            heads.append((group.number + group.label, 1, 2))
        else:
            if group.key not in seen:
                heads.append((group.number + group.label, len(members), 1))
            heads.append((f"{row.number}. {row.label}" if row else group.label, 1, 1))
        seen.add(group.key)
        layout.append((heads, key))
    layout.append(([("（七）总计", 1, 2)], fmt.OUTCOME_TOTAL))
    layout.append(([(fmt.ROW_LABELS[fmt.CARRIED_OUT], 1, 3)], fmt.CARRIED_OUT))
    return layout


def _group_total(table: Table2, group: str) -> int:
    keys = [k for k, recorded in fmt.outcome_rows(table.era) if fmt.GROUP_OF.get(recorded[0]) == group]
    return sum(table.get(k, fmt.TOTAL.key) for k in keys)


def _results(table: Any, kind: str) -> str:
    """The results of one kind of case that occurred: 结果维持1件，尚未审结2件."""
    return "，".join(f"{c.label}{table.get(kind, c.key)}件" for c in fmt.CASE_RESULTS if table.get(kind, c.key))


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=shown,  # what staff typed (a section's text), without bidi controls
    )
    env.globals.update(
        css=Markup(CSS),  # our own file, not to be escaped: the CSP allows exactly its hash
        number=number,
        money=number,
        paragraphs=paragraphs,
        cn_date=cn_date,
        table1_blocks=table1_blocks,
        table1_width=table1_width,
        table2_layout=table2_layout,
        group_total=_group_total,
        results=_results,
        categories=fmt.CATEGORIES,
        groups=fmt.OUTCOME_GROUPS,
        columns=fmt.TABLE2_COLUMNS,
        organisation=fmt.ORGANISATION_HEADER,
        balance_note=fmt.BALANCE_NOTE,
        kinds=fmt.CASE_KINDS,
        t3_columns=fmt.TABLE3_COLUMNS,
    )
    return env


def render_html(report: Report, *, css_href: str | None = None) -> str:
    """The report as one printable HTML page, its style inline (or linked from ``css_href``).

    Refuses (:class:`ReportRefused`) a report that breaks the format's rules.
    """
    return _environment().get_template("report.html").render(r=report.checked(), css_href=css_href)


# --- CSV ---------------------------------------------------------------------------------------------


def _csv(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel on Chinese Windows reads UTF-8 only with a BOM
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutral(c) for c in row])
    return out.getvalue()


def _table1_rows(table: Table1) -> Iterable[list[object]]:
    yield ["项目", "信息内容", "指标", "数值"]
    for row in table.rows:
        for key, label in row.cells:
            yield [row.block, row.label, label, number(table.values.get(f"{row.key}.{key}"))]


def _table2_rows(table: Table2) -> Iterable[list[object]]:
    yield ["", *(c.label for c in fmt.TABLE2_COLUMNS)]
    for row in table2_rows(table.era):
        yield [row_label(row), *(table.get(row, c.key) for c in fmt.TABLE2_COLUMNS)]


def _table3_rows(report: Report) -> Iterable[list[object]]:
    yield ["", *(c.label for c in fmt.TABLE3_COLUMNS)]
    for kind in fmt.CASE_KINDS:
        yield [kind.label, *(report.table3.get(kind.key, c.key) for c in fmt.TABLE3_COLUMNS)]


def _proactive_rows(report: Report) -> Iterable[list[object]]:
    p = report.proactive
    yield ["类别", "条数", "占总数比例（%）", "目录中本年生成条数"]
    if p is not None:
        for c in fmt.CATEGORIES:
            yield [c, p.counts[c], p.percents[c], report.catalogue.get(c, 0)]
        yield ["合计", p.total, "100", sum(report.catalogue.values())]


def cases_csv(cases: Iterable[Case]) -> str:
    """The register of review and litigation cases, one a row (what staff wrote included)."""
    kinds = {k.key: k.label for k in fmt.CASE_KINDS}
    results = {c.key: c.label for c in fmt.CASE_RESULTS}
    rows: list[list[object]] = [["编号", "类别", "立案日期", "案由", "结果", "审结日期"]]
    for c in cases:
        rows.append(
            [
                c.number,
                kinds.get(c.kind, c.kind),
                c.filed_on.isoformat(),
                c.subject,
                results.get(c.result or "pending", ""),
                c.decided_on.isoformat() if c.decided_on else "",
            ]
        )
    return _csv(rows)


def csv_tables(report: Report) -> dict[str, str]:
    """Each table of the report as CSV text (UTF-8 with a BOM), by file name: ``table1.csv`` (or
    ``proactive.csv`` before 2019), ``table2.csv``, ``table3.csv``. Refuses a report that breaks
    the format's rules, as the HTML does."""
    report.checked()
    tables: dict[str, str] = {}
    if report.table1 is not None:
        tables["table1.csv"] = _csv(_table1_rows(report.table1))
    if report.proactive is not None:
        tables["proactive.csv"] = _csv(_proactive_rows(report))
    tables["table2.csv"] = _csv(_table2_rows(report.table2))
    tables["table3.csv"] = _csv(_table3_rows(report))
    return tables
