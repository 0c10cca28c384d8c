"""Register numbers of applications: the complaint numbers' scheme, never to be confused with one.

``申20261127-0007-3``: the day of filing, the sequence and Damm's check digit, as a complaint's
``20261127-007-3`` (``bot.tracking``), with two differences that keep them apart for good. The
prefix 申 (申请) is printed; and the sequence is written with a leading 0 (``0007``, ``01000``), a
shape no complaint number has: a complaint's sequence has three digits below 1000 and no
leading zero above. So the digits alone, typed without the prefix, still say which register a
number belongs to, and the status look-up recognises both.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ... import tracking
from ...tracking import Parsed

PREFIX = "申"
# What people write before a number: 申请编号：, 依申请公开 No. ..., or only 申.
_LABEL = re.compile(
    r"^\s*(?:政府信息公开|依申请公开|信息公开)?(?:申请)?(?:登记)?(?:编号|单号|号码|号|no\.?)?\s*[:：#]?\s*(申)?",
    re.IGNORECASE,
)
SHORTEST = 8 + 4 + 1


def make(day: dt.date, sequence: int) -> str:
    """The number of the ``sequence``-th application (from 1) of ``day``, formatted."""
    body = f"{day:%Y%m%d}0{sequence:03d}"
    return PREFIX + tracking.format_number(body + str(tracking.check_digit(body)))


def shaped(digits: str) -> bool:
    """Whether ``digits`` have an application number's shape (the sequence's leading 0)."""
    return len(digits) >= SHORTEST and digits[8] == "0"


def marked(text: str) -> bool:
    """Whether ``text`` says it is an application's number (申, 申请编号 ...)."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text.startswith(PREFIX) or bool(re.match(r"^(?:政府信息公开|依申请公开|信息公开)?申请", text))


def parse(text: str) -> Parsed | None:
    """The application number in ``text``; None if it does not look like one (a complaint's
    number, words). A number that fails its check comes with the valid ones a slip away."""
    text = unicodedata.normalize("NFKC", text)
    label = _LABEL.match(text)
    rest = text[label.end() :] if label else text
    digits = tracking.digits_of(rest)
    if not digits or not (marked(text) or shaped(digits)):
        return None
    if not SHORTEST - 1 <= len(digits) <= SHORTEST + 2:
        return None
    if tracking.is_valid(digits) and _plausible(digits):
        return Parsed(PREFIX + tracking.format_number(digits))
    found = {PREFIX + tracking.format_number(c) for c in tracking._slips(digits)}
    return Parsed(None, tuple(sorted(n for n in found if _plausible(_digits(n)) and tracking.is_valid(_digits(n)))))


def _digits(number: str) -> str:
    return number.removeprefix(PREFIX).replace("-", "")


def _plausible(digits: str) -> bool:
    if not shaped(digits):
        return False
    try:
        day = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return day.year >= 2000 and int(digits[8:-1]) > 0
