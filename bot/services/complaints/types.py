"""What the supervision log holds: drafts, complaints, their events, and the labels of each."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ... import texts
from .contact import mask_phone

STATUSES = {"new": "待受理", "accepted": "已受理", "replied": "已答复", "closed": "已办结", "reopened": "重新办理"}
TOPICS = {
    "application": "依申请公开的答复",
    "proactive": "主动公开",
    "conduct": "工作人员作风",
    "hazard": "安全隐患",
    "illegal": "违法生产经营",
    "coverup": "事故瞒报",
    "other": "其他",
}
KINDS = ("投诉", "举报")
# The topics each kind offers: a complaint is about the bureau's disclosure work, a tip-off
# (举报) about a hazard or an offence, which the disclosure topics do not fit. The one definition
# for every channel's form and for the rule a filed complaint is checked against.
KIND_TOPICS = {
    "投诉": ("application", "proactive", "conduct", "other"),
    "举报": ("hazard", "illegal", "coverup", "other"),
}


# The topic a form offered under a message starts at, until the citizen picks another: a tip-off
# is offered under a hazard told.
TOLD_TOPIC = {"投诉": "other", "举报": "hazard"}
# ... or the topic the message tells of, the first that fits: 窗口态度差 is the staff's conduct,
# 申请两个月没答复 a reply, 一直瞒报 an accident covered up, 无证生产 an unlicensed business.
_TOLD_OF = {
    "投诉": (
        ("conduct", re.compile(r"态度|脸色|不耐烦|爱答不理|推诿|推脱|踢皮球|刁难|敷衍|扯皮|骂人|吼|凶巴巴|摔")),
        ("application", re.compile(r"申请|答复|回复|逾期|超期|不给公开|拒绝公开|不予公开|没音信|没消息")),
        ("proactive", re.compile(r"网站|主动公开|没公开|没公布|没更新|不更新|公示|目录|栏目")),
    ),
    "举报": (
        ("coverup", re.compile(r"瞒报|隐瞒|谎报|迟报|漏报|捂着|私了|不上报|没上报|压下")),
        ("illegal", re.compile(r"无证|没证|没有证|无照|没执照|非法|违法|黑作坊|没有许可|没许可|超范围")),
    ),
}


def told_of(kind: str, text: str) -> str | None:
    """The topic of ``kind`` that ``text`` tells of, if its words say one."""
    return next((topic for topic, words in _TOLD_OF.get(kind, ()) if words.search(text)), None)


def told_topic(kind: str, text: str) -> str:
    """The topic a form of ``kind`` offered under ``text`` starts at: the one the text tells of,
    else the kind's ``TOLD_TOPIC``."""
    return told_of(kind, text) or TOLD_TOPIC.get(kind, "other")


def topics_for(kind: str) -> tuple[tuple[str, str], ...]:
    """The topics a complaint of ``kind`` may be filed under, as (key, label), in the order shown."""
    return tuple((key, TOPICS[key]) for key in KIND_TOPICS.get(kind, KIND_TOPICS["投诉"]))


RATINGS = {"satisfied": "满意", "fair": "基本满意", "unsatisfied": "不满意"}
EVENTS = {
    "created": "提交",
    "accepted": "受理",
    "replied": "答复",
    "noted": "备注",
    "closed": "办结",
    "reopened": "重新办理",
    "rated": "评价",
    "erased": "删除联系方式",
}
MAX_TEXT = 2000
STAFF = "staff"  # the outbox recipient that means "the channel's staff group"
# Events the citizen is told of, through the outbox.
TOLD = frozenset({"replied", "closed"})


class ComplaintError(Exception):
    """An action that the complaint's state does not allow; the message is for the person acting."""


@dataclass(frozen=True)
class Draft:
    """A complaint as the citizen wrote it, before it is filed."""

    text: str
    topic: str = "other"
    kind: str = "投诉"
    name: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a complaint needs a text")
        if self.topic not in TOPICS:
            raise ValueError(f"unknown topic {self.topic!r}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.topic not in KIND_TOPICS[self.kind]:
            raise ValueError(f"topic {self.topic!r} is not one of a {self.kind}'s")


@dataclass(frozen=True)
class Complaint:
    id: int
    number: str
    kind: str
    topic: str
    text: str
    name: str
    phone: str
    channel: str
    chat_id: str | None
    status: str
    created_at: str
    updated_at: str
    due_on: str
    rating: str | None
    overdue: bool

    @classmethod
    def from_row(cls, row: dict[str, Any], today: dt.date) -> Complaint:
        return cls(
            id=row["id"],
            number=row["number"],
            kind=row["kind"],
            topic=row["topic"],
            text=row["text"],
            name=row["name"] or "",
            phone=row["phone"] or "",
            channel=row["channel"],
            chat_id=row["chat_id"],
            status=row["status"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            due_on=row["due_on"],
            rating=row["rating"],
            overdue=row["status"] != "closed" and row["due_on"] < today.isoformat(),
        )

    @property
    def filed_at(self) -> str:
        """When it was filed, to the minute, as people read it: ``2026-11-27 15:00``."""
        return self.created_at[:16].replace("T", " ")

    @property
    def status_label(self) -> str:
        label = STATUSES[self.status]
        return texts.STATUS_OVERDUE.format(status=label) if self.overdue else label

    @property
    def is_open(self) -> bool:
        return self.status != "closed"

    @property
    def topic_label(self) -> str:
        return TOPICS[self.topic]

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def filed_by(self, channel: str, chat_id: str | int) -> bool:
        """Whether the chat ``chat_id`` of ``channel`` filed this complaint (and may see replies)."""
        return self.channel == channel and self.chat_id == str(chat_id)

    @property
    def masked_name(self) -> str:
        return self.name[:1] + "*" * min(len(self.name) - 1, 2) if self.name else ""


@dataclass(frozen=True)
class Event:
    id: int
    at: str
    kind: str
    actor: str
    text: str | None

    @property
    def label(self) -> str:
        return EVENTS[self.kind]

    @property
    def by_staff(self) -> bool:
        return self.actor not in ("citizen", "system")


@dataclass(frozen=True)
class Lookup:
    """A tracking number as typed, looked up: the complaint, or what went wrong and what was meant."""

    complaint: Complaint | None
    typed_ok: bool  # the number passed its check digit
    suggestions: tuple[str, ...] = ()  # existing numbers one typing slip away


def citizen_notice(complaint: Complaint, kind: str, event: Event | None) -> str:
    """What the citizen is told (plain text) of a staff reply or the closing."""
    words = event.text if event and event.text else ""
    if kind == "closed":
        note = texts.CITIZEN_CLOSING_NOTE.format(text=words) if words else ""
        return texts.CITIZEN_CLOSED.format(kind=complaint.kind, number=complaint.number, text=note)
    return texts.CITIZEN_REPLIED.format(kind=complaint.kind, number=complaint.number, text=words)
