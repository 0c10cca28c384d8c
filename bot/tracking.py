"""Complaint tracking numbers: the day, a sequence and a check digit, e.g. ``20261127-007-3``.

Made to be read aloud on the phone and typed back from a note: digits only, in three groups. The
check digit is Damm's, which catches every single wrong digit and every swap of two neighbouring
digits (Luhn misses 09/90). A number is never reused: the sequence counts up within its day and
complaints are never deleted.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .bidi import BIDI_CONTROLS

# Damm's totally anti-symmetric quasigroup of order 10.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
SEQUENCE_DIGITS = 3  # at least; the 1000th complaint of a day simply has four
SHORTEST = 8 + SEQUENCE_DIGITS + 1
_PREFIX = re.compile(r"^\s*(?:投诉|举报)?(?:编号|单号|号码|no\.?)?\s*[:：#]?", re.IGNORECASE)
# What may stand between a number's groups as typed, and the invisible formatting a paste may bring
# (zero-width spaces, U+FEFF, the bidi controls).
_SEPARATORS = re.compile(rf"[\s\-‐‑‒–—―_.·/、，,\u200b-\u200f\u2060-\u2064\ufeff{BIDI_CONTROLS}]+")


def check_digit(digits: str) -> int:
    """Damm's check digit of a string of digits."""
    interim = 0
    for d in digits:
        interim = _DAMM[interim][ord(d) - 48]
    return interim


def is_valid(digits: str) -> bool:
    """Whether ``digits`` (check digit last) passes the check."""
    return check_digit(digits) == 0


def make(day: dt.date, sequence: int) -> str:
    """The number of the ``sequence``-th complaint (from 1) of ``day``, formatted."""
    body = f"{day:%Y%m%d}{sequence:0{SEQUENCE_DIGITS}d}"
    return format_number(body + str(check_digit(body)))


def format_number(digits: str) -> str:
    """``2026112700073`` as ``20261127-007-3``: the day, the sequence, the check digit."""
    return f"{digits[:8]}-{digits[8:-1]}-{digits[-1]}"


@dataclass(frozen=True)
class Parsed:
    """What a citizen typed as a tracking number.

    ``number`` is the formatted number when the digits pass the check; otherwise ``suggestions``
    are the valid numbers one typing slip away (one digit wrong, two neighbours swapped, one
    digit missing or doubled), for the caller to keep those that exist.
    """

    number: str | None
    suggestions: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.number is not None


def digits_of(text: str) -> str:
    """The digits of a typed number: full-width digits folded, separators and spaces dropped.

    Returns "" when ``text`` holds anything but digits and separators.
    """
    text = _SEPARATORS.sub("", _PREFIX.sub("", unicodedata.normalize("NFKC", text)))
    return text if text.isascii() and text.isdigit() else ""


def parse(text: str) -> Parsed | None:
    """The tracking number in ``text``, or None if it does not look like one at all."""
    digits = digits_of(text)
    if not SHORTEST - 1 <= len(digits) <= SHORTEST + 2:
        return None
    if is_valid(digits) and _plausible(digits):
        return Parsed(format_number(digits))
    found = sorted({format_number(c) for c in _slips(digits) if is_valid(c) and _plausible(c)})
    return Parsed(None, tuple(found))


def _plausible(digits: str) -> bool:
    if len(digits) < SHORTEST:
        return False
    try:
        day = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        if day.year < 2000:
            return False
    except ValueError:
        return False
    return int(digits[8:-1]) > 0


def _slips(digits: str) -> Iterator[str]:
    """Every string one typing slip away from ``digits``."""
    n = len(digits)
    for i in range(n):
        for d in "0123456789":
            if d != digits[i]:
                yield digits[:i] + d + digits[i + 1 :]  # one digit wrong
        yield digits[:i] + digits[i + 1 :]  # one digit doubled or stray
        if i + 1 < n:
            yield digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]  # neighbours swapped
    for i in range(n + 1):
        for d in "0123456789":
            yield digits[:i] + d + digits[i:]  # one digit missing
