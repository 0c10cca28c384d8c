"""What the register holds: drafts, applications, their events, and the labels of each."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from ... import texts
from .outcomes import APPLICANTS, DECISIONS, Decision

# How an application arrived, and which day is its day of receipt (第31条).
VIAS: dict[str, str] = {
    "in_person": "当面提交",
    "signed_post": "邮寄（需签收）",
    "post": "平常信函",
    "fax": "传真",
    "email": "电子邮件",
    "internet": "网上申请",
}
RECEIPT_RULES: dict[str, str] = {
    "in_person": "提交之日",
    "signed_post": "签收之日",
    "post": "与申请人确认之日",
    "fax": "双方确认之日",
    "email": "双方确认之日",
    "internet": "双方确认之日",
}
ID_TYPES = ("居民身份证", "护照", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "统一社会信用代码", "其他证件")
FORMS: dict[str, str] = {"paper": "纸质", "electronic": "电子", "inspection": "查阅"}
DELIVERIES: dict[str, str] = {
    "post": "邮寄",
    "email": "电子邮件",
    "collect": "当面领取",
    "online": "网上获取",
    "fax": "传真",
    "inspect": "现场查阅",
}
STATUSES: dict[str, str] = {
    "open": "办理中",
    "correcting": "待补正",
    "paused": "征求意见中（不计时）",
    "decided": "已答复",
}
EVENTS: dict[str, str] = {
    "received": "收到申请",
    "correction_requested": "补正告知",
    "corrected": "收到补正",
    "extended": "延期答复",
    "paused": "征求意见（中止计时）",
    "resumed": "恢复计时",
    "decided": "答复",
    "noted": "备注",
    "reminded": "期限提醒",
}
MAX_TEXT = 2000
MAX_NAME = 100
MAX_FIELD = 200


class ApplicationError(Exception):
    """An action the application's state or the law does not allow; the message is for the person acting."""


@dataclass(frozen=True)
class Draft:
    """An application as the applicant gave it (第29条), before it is registered.

    :param applicant: a key of ``APPLICANTS`` (自然人, or the kind of organisation)
    :param name: the person's or the organisation's name
    :param id_type: one of ``ID_TYPES``; ``id_number`` its number (shown masked everywhere)
    :param contact: a phone number, an e-mail or a postal address: at least one way to reach them
    :param description: the information wanted: its title, document number or a description
    :param form: a key of ``FORMS``; ``delivery`` a key of ``DELIVERIES``
    """

    applicant: str
    name: str
    id_type: str
    id_number: str
    phone: str
    description: str
    form: str
    delivery: str
    email: str = ""
    address: str = ""
    contact_person: str = ""

    def __post_init__(self) -> None:
        if self.applicant not in APPLICANTS:
            raise ValueError(f"unknown applicant kind {self.applicant!r}")
        if self.form not in FORMS:
            raise ValueError(f"unknown form {self.form!r}")
        if self.delivery not in DELIVERIES:
            raise ValueError(f"unknown delivery {self.delivery!r}")
        if self.id_type not in ID_TYPES:
            raise ValueError(f"unknown identity document {self.id_type!r}")
        for field in ("name", "id_number", "description"):
            if not getattr(self, field).strip():
                raise ValueError(f"an application needs {field}")
        if not (self.phone.strip() or self.email.strip() or self.address.strip()):
            raise ValueError("an application needs a way to reach the applicant")


def mask_id(number: str) -> str:
    """An identity number as it is shown: ``370303199001011234`` as ``370***********1234``."""
    number = number.strip()
    if len(number) <= 6:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_name(name: str) -> str:
    return name[:1] + "*" * min(len(name) - 1, 2) if name else ""


@dataclass(frozen=True)
class Event:
    """One change in an application's life: who recorded it and when (``at``), and the day it
    takes effect in law (``on``: the day a corrected application arrived, a letter was sent)."""

    id: int
    at: str
    kind: str
    actor: str
    on: str
    text: str | None
    data: dict[str, Any]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Event:
        return cls(
            row["id"],
            row["at"],
            row["kind"],
            row["actor"],
            row["on_date"],
            row["text"],
            json.loads(row["data"] or "{}"),
        )

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.on)

    @property
    def label(self) -> str:
        return EVENTS[self.kind]


@dataclass(frozen=True)
class Pause:
    """A consultation that stops the clock (第32条 a third party, 第34条 another agency): the
    working days after ``start`` up to ``end`` (or ``limit``, 15 working days, if it is later or
    the consultation has not ended) are not counted."""

    party_kind: str  # "third_party" or "agency"
    party: str
    start: dt.date
    end: dt.date | None
    limit: dt.date

    @property
    def counted_end(self) -> dt.date:
        return min(self.end, self.limit) if self.end else self.limit


@dataclass(frozen=True)
class Application:
    """An application as filed, and its state now, folded from its events (``clock.fold``).

    :param due_on: when the answer is due (None while a correction is awaited)
    :param correction_notice_by: the last day a 补正 notice may be sent (7 working days)
    :param correction_by: the day the applicant was given to correct it by
    """

    id: int
    number: str
    applicant: str
    name: str
    id_type: str
    id_number: str
    phone: str
    email: str
    address: str
    contact_person: str
    description: str  # as corrected, if it was
    described: str  # as first asked: what the 补正 notice was about, kept for any dispute
    form: str
    delivery: str
    via: str
    channel: str
    chat_id: str | None
    received_on: dt.date
    created_at: str
    status: str
    start_on: dt.date  # the day the 20 working days run from (receipt, or the corrected application)
    due_on: dt.date | None
    correction_notice_by: dt.date
    correction_by: dt.date | None
    extension: int
    pause: Pause | None  # the consultation under way, if any
    decision: Decision | None
    decided_on: dt.date | None
    overdue: bool
    correction_requested: bool  # the one 补正 notice was sent
    correction_lapsed: bool  # the day given to correct it has passed: close it as 其他处理 (第30条)

    @property
    def applicant_label(self) -> str:
        return APPLICANTS[self.applicant]

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def status_label(self) -> str:
        label = STATUSES[self.status]
        return texts.STATUS_OVERDUE.format(status=label) if self.overdue else label

    @property
    def form_label(self) -> str:
        return FORMS[self.form]

    @property
    def delivery_label(self) -> str:
        return DELIVERIES[self.delivery]

    @property
    def via_label(self) -> str:
        return VIAS[self.via]

    @property
    def is_open(self) -> bool:
        return self.status != "decided"

    def filed_by(self, channel: str, chat_id: str | int) -> bool:
        return self.channel == channel and self.chat_id is not None and self.chat_id == str(chat_id)


DECISION_KEYS = tuple(DECISIONS)
