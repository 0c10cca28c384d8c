"""What staff may enter for a year's report, by key, and how each value is checked."""

from __future__ import annotations

import datetime as dt

from ... import texts
from . import format as fmt
from .tables import ReportError, parse_amount, parse_count, table1_keys, table2_rows

TEXT_LIMIT = 5000


def entry_keys(year: int) -> dict[str, str]:
    """Every key that may be entered for ``year``, with what it is (in the year's format)."""
    era = fmt.era(year)
    keys = {"date": "成文日期（YYYY-MM-DD）"}
    keys |= {f"text.{k}": fmt.TEXTS[k] for k in fmt.TEXTS_OF[era]}
    if era == "R2007":
        keys |= {f"proactive.{c}": f"主动公开·{c}（条）" for c in fmt.CATEGORIES}
        keys |= {f"proactive.{c}.percent": f"主动公开·{c}占总数比例（%，不填则按条数计算）" for c in fmt.CATEGORIES}
        keys["proactive.total"] = "主动公开合计（条，不填则为各类之和）"
        keys["fees.collected"] = "收取费用（元）"
        keys["fees.waived"] = "减免费用（件）"
    else:
        keys |= {k: f"表一·{row.label}·{label}" for k, (row, _, label) in table1_keys(era).items()}
    columns = {c.key: c.label for c in fmt.TABLE2_COLUMNS}
    for row in table2_rows(era):
        label = fmt.ROW_LABELS[row]
        keys |= {f"t2.{row}.{c}": f"表二（手工录入）·{label}·{columns[c]}" for c in columns}
    return keys


def checked(year: int, key: str, value: str) -> str:
    """``value`` for ``key`` as it is stored (trimmed), or :class:`ReportError` saying what is wrong,
    of the field as the form labels it (表一·规章·本年制发件数, not t1.rules.issued)."""
    keys = entry_keys(year)
    if key not in keys:
        raise ReportError(texts.REPORT_UNKNOWN_KEY.format(key=key))
    label, value = keys[key], value.strip()
    if key.startswith("text."):
        if len(value) > TEXT_LIMIT:
            raise ReportError(texts.REPORT_TOO_LONG.format(key=label, limit=TEXT_LIMIT))
        return value
    if value == "":
        return value  # clears the figure
    if key == "date":
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ReportError(texts.REPORT_NOT_A_DATE.format(key=label, value=value)) from None
    if key.endswith(".amount") or key == "fees.collected":
        return str(parse_amount(label, value))
    if key.endswith(".percent"):
        return str(parse_amount(label, value.rstrip("%％")))
    return str(parse_count(label, value, signed=key.endswith(".change")))
