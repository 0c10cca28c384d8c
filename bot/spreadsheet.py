"""Cells of the CSV files staff open in a spreadsheet (the complaints' 台账, the yearly report's tables).

A cell starting with one of ``FORMULA_STARTS`` is read by Excel, LibreOffice and Google Sheets as a
formula (tab and carriage return too: some strip them first and read what follows). A citizen's
text such as "=HYPERLINK(...)" must stay text: a leading apostrophe makes it so, and shows as
nothing in the spreadsheet (OWASP's advice on CSV injection).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(cell: object) -> object:
    """``cell`` as a spreadsheet cell that cannot be a formula (numbers are left as they are)."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
