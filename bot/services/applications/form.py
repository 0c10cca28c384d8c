"""What an application must contain (第29条), checked once for every way of filling it in: the web
form, the chat dialogue, the staff console and the CLI."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ... import texts
from ...textnorm import trimmed
from ..complaints.contact import split_contact
from .outcomes import APPLICANTS
from .types import DELIVERIES, FORMS, ID_TYPES, MAX_FIELD, MAX_NAME, MAX_TEXT, Draft

FIELDS = (
    "applicant",
    "name",
    "contact_person",
    "id_type",
    "id_number",
    "phone",
    "email",
    "address",
    "description",
    "form",
    "delivery",
)
# What a citizen sends to pass a step (the contact step takes them): no information described.
NOT_A_DESCRIPTION = frozenset({"跳过", "不留", "无", "没有", "不知道", "skip"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID = re.compile(r"\d{17}[\dX]")  # its shape; the last character checks the others
ORGANISATION_ID = "统一社会信用代码"  # an organisation's: a person applies with their own papers
# GB 32100-2015: 18 characters of these 31 (no I, O, S, V, Z), the last checking the others.
_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# The ways each form of the information can reach the applicant (a file on a disc may be posted
# or collected; paper may be faxed; what is inspected is inspected on site).
DELIVERED = {
    "paper": {"post", "collect", "fax"},
    "electronic": {"email", "online", "post", "collect"},
    "inspection": {"inspect"},
}


def resident_id_ok(number: str) -> bool:
    """Whether ``number`` is a well-formed 18-digit resident identity number (GB 11643 check code)."""
    number = number.strip().upper()
    if not _RESIDENT_ID.fullmatch(number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17]


def credit_code_ok(code: str) -> bool:
    """Whether ``code`` is a well-formed unified social credit code (GB 32100-2015 check character)."""
    code = code.strip().upper()
    if len(code) != 18 or any(c not in _CODE_CHARACTERS for c in code):
        return False
    total = sum(_CODE_CHARACTERS.index(c) * w for c, w in zip(code[:17], _CODE_WEIGHTS, strict=True))
    return _CODE_CHARACTERS[-total % 31] == code[17]


def check(fields: Mapping[str, str]) -> tuple[Draft | None, dict[str, str]]:
    """An application filled in at once: the draft, or None and what is wrong with each field
    (field name to the sentence to show)."""
    got = {name: trimmed(str(fields.get(name, "") or "")) for name in FIELDS}
    problems: dict[str, str] = {}
    if got["applicant"] not in APPLICANTS:
        problems["applicant"] = texts.APPLY_BAD_APPLICANT
    if not any(c.isalpha() for c in got["name"]):  # 7, or nothing: no one's name
        problems["name"] = texts.APPLY_NO_NAME
    elif len(got["name"]) > MAX_NAME:
        problems["name"] = texts.APPLY_TOO_LONG.format(limit=MAX_NAME)
    if got["id_type"] not in ID_TYPES:
        problems["id_type"] = texts.APPLY_BAD_ID_TYPE
    if not got["id_number"]:
        problems["id_number"] = texts.APPLY_NO_ID
    elif got["id_type"] == "居民身份证" and not resident_id_ok(got["id_number"]):
        well_formed = _RESIDENT_ID.fullmatch(got["id_number"].upper())
        problems["id_number"] = texts.APPLY_BAD_ID_CHECK if well_formed else texts.APPLY_BAD_ID
    elif got["id_type"] == ORGANISATION_ID and not credit_code_ok(got["id_number"]):
        problems["id_number"] = texts.APPLY_BAD_CREDIT_CODE
    elif len(got["id_number"]) > MAX_FIELD:
        problems["id_number"] = texts.APPLY_TOO_LONG.format(limit=MAX_FIELD)
    if got["phone"]:
        phone = split_contact(got["phone"])[1]
        if not phone:
            problems["phone"] = texts.APPLY_BAD_PHONE
        got["phone"] = phone
    if got["email"] and not _EMAIL.match(got["email"]):
        problems["email"] = texts.APPLY_BAD_EMAIL
    if not (got["phone"] or got["email"] or got["address"]) and "phone" not in problems:
        problems["phone"] = texts.APPLY_NO_CONTACT
    if len(got["address"]) > MAX_FIELD:
        problems["address"] = texts.APPLY_TOO_LONG.format(limit=MAX_FIELD)
    if len([c for c in got["description"] if c.isalpha()]) < 2 or got["description"] in NOT_A_DESCRIPTION:
        problems["description"] = texts.APPLY_NO_DESCRIPTION  # nothing, or 跳过 typed at that step
    elif len(got["description"]) > MAX_TEXT:
        problems["description"] = texts.FORM_WHAT_TOO_LONG.format(length=len(got["description"]), limit=MAX_TEXT)
    if got["form"] not in FORMS:
        problems["form"] = texts.APPLY_BAD_FORM
    if got["delivery"] not in DELIVERIES:
        problems["delivery"] = texts.APPLY_BAD_DELIVERY
    if got["form"] in FORMS and got["delivery"] in DELIVERIES and got["delivery"] not in DELIVERED[got["form"]]:
        problems["delivery"] = texts.APPLY_FORM_NOT_DELIVERY.format(
            form=FORMS[got["form"]], delivery=DELIVERIES[got["delivery"]]
        )
    if got["applicant"] == "person" and got["id_type"] == ORGANISATION_ID:
        problems["id_type"] = texts.APPLY_PERSON_NOT_CODE
    if got["delivery"] == "email" and not got["email"] and "email" not in problems:
        problems["email"] = texts.APPLY_EMAIL_FOR_DELIVERY
    if got["delivery"] == "post" and not got["address"]:
        problems["address"] = texts.APPLY_ADDRESS_FOR_DELIVERY
    if problems:
        return None, problems
    if got["id_type"] in ("居民身份证", ORGANISATION_ID):
        got["id_number"] = got["id_number"].upper()
    return Draft(**got), {}
