"""A citizen's name and phone number: read from what they typed, masked where they are shown."""

from __future__ import annotations

import re

MAX_NAME = 40
_PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8})(?!\d)")
# What people write around their name ("我叫李四，电话…"): not part of it.
_LABELS = re.compile(r"姓名|名字|我叫|我是|联系人|联系电话|联系方式|电话|手机号?|号码")


def mask_phone(phone: str) -> str:
    """``13812341234`` as ``138****1234``; a landline keeps its area code and last four digits."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def split_contact(text: str) -> tuple[str, str]:
    """A name and a phone number from one line such as "张三 13812345678"; either may be empty."""
    match = _PHONE.search(text)
    phone = re.sub(r"[\s-]", "", match.group(1)) if match else ""
    rest = (text[: match.start()] + " " + text[match.end() :]) if match else text
    rest = _LABELS.sub(" ", rest)
    name = re.sub(r"[\s,，;；:：/、。.]+", " ", rest).strip()
    return name, phone  # a name over MAX_NAME is refused by the form's rules, not cut
