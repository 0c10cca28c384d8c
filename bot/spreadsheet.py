"""Cells of the CSV files staff open in a spreadsheet (the complaints' 台账, the yearly report's tables).

A cell starting with one of ``FORMULA_STARTS`` is read by Excel, LibreOffice and Google Sheets as a
formula (tab and carriage return too: some strip them first and read what follows). A citizen's
text such as "=HYPERLINK(...)" must stay text: a leading apostrophe makes it so, and shows as
nothing in the spreadsheet (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import re

from .bidi import without_bidi

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(cell: object) -> object:
    """``cell`` as a spreadsheet cell that cannot be a formula, nor reorder what it shows with
    bidi controls (numbers are left as they are)."""
    if not isinstance(cell, str):
        return cell
    cell = without_bidi(cell)
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


# Digits first, then digits, dashes, spaces and brackets: a phone number, an index number.
_DIGITS_AS_TEXT = re.compile(r"\d[\d\- ()]*")


def digits_as_text(cell: str) -> str:
    """``cell``, a code made of digits (a phone number), as a cell Excel keeps as text: a leading
    tab, which shows as nothing, where a spreadsheet would read a number (13812345678 becomes
    1.38E+10, 05332181234 loses its 0). With the tab stripped, what is left starts with a digit
    and holds no formula; anything else is made ``neutral``."""
    return "\t" + cell if _DIGITS_AS_TEXT.fullmatch(cell) else str(neutral(cell))
