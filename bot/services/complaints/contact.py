"""A citizen's name and phone number: read from what they typed, masked where they are shown.

A phone number is kept in the citizen's own form (``0533-2181234``, ``0533-2181234转801``): only
white space is dropped and full-width digits folded, so that staff read the area code and the
extension as the citizen wrote them.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 40
# A mobile number, or a landline with its area code and an optional extension (转, 分机, ext, #, -).
_NUMBER = r"1[3-9]\d-?\d{4}-?\d{4}|0\d{2,3}-?\d{7,8}(?:(?:-|转|分机|ext\.?|x|#)\d{1,6})?"
_PHONE = re.compile(rf"(?<![\d-])(?:\+?86-?)?({_NUMBER})(?![\d-])", re.IGNORECASE)
_EXTENSION = re.compile(r"(?:-|转|分机|ext\.?|x|#)\d{1,6}$", re.IGNORECASE)
# What people write around their name ("我叫李四，电话…"): not part of it.
_LABELS = re.compile(r"姓名|名字|我叫|我是|联系人|联系电话|联系方式|电话|手机号?|号码")
_SPACE = re.compile(r"\s+")


_DASHES = str.maketrans("—–－", "---")  # what a Chinese input method types for a hyphen


def _fold(text: str) -> str:
    """Full-width digits and letters folded, long dashes made hyphens, white space dropped: all a
    phone number is cleaned of."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_DASHES))


def clean_phone(text: str) -> str | None:
    """``text`` (a form's phone field) as the phone number it is, in the citizen's form, or None
    when it is no mobile or landline number (``""`` stays ``""``: no number given)."""
    folded = _fold(text)
    if not folded:
        return ""
    match = _PHONE.fullmatch(folded)
    return match.group(1) if match else None


def mask_phone(phone: str) -> str:
    """``13812341234`` as ``138****1234``; a landline keeps its area code and last four digits
    (of the number, not of its extension)."""
    # An extension is cut off where one is marked (转, #) or where a landline has too many digits
    # to be one number; a mobile's own hyphens ("138-1234-5678") are no extension.
    marked = re.search(r"转|分机|ext|x|#", phone, re.IGNORECASE)
    long_landline = phone.startswith("0") and len(re.sub(r"\D", "", phone)) > 12
    main = _EXTENSION.sub("", phone) if marked or long_landline else phone
    digits = re.sub(r"\D", "", main)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def split_contact(text: str) -> tuple[str, str]:
    """A name and a phone number from one line such as "张三 13812345678"; either may be empty.
    The number is kept as typed, less its white space (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", text)
    # Spaces inside a number ("0533 2181234", "138 1234 5678") are dropped before looking for it.
    squeezed = re.sub(r"(?<=\d)[ \t]+(?=[\d-])|(?<=-)[ \t]+(?=\d)", "", text)
    match = _PHONE.search(squeezed)
    phone = match.group(1) if match else ""
    rest = (squeezed[: match.start()] + " " + squeezed[match.end() :]) if match else squeezed
    rest = _LABELS.sub(" ", rest)
    name = re.sub(r"[\s,，;；:：/、。.]+", " ", rest).strip()
    return name, phone  # a name over MAX_NAME is refused by the form's rules, not cut
