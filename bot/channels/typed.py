"""How the conversation layer's prompts are said where the citizen can only type (WeChat, the
terminal): lists are numbered and answered with a number, yes and no are 1 and 0, and a few words
start, cancel and confirm. One place, so that the channels that type say the same."""

from __future__ import annotations

import re
import unicodedata

from .. import texts, tracking
from ..services.applications import numbers
from ..services.applying import Ask
from ..services.conversation import (
    AskContact,
    AskText,
    Cancelled,
    Choose,
    Conversation,
    Done,
    Form,
    Invalid,
    Limited,
    Prompt,
    Summary,
    fold,
)

CANCEL = frozenset({"取消", "退出", "/cancel"})
START = {"投诉": "投诉", "我要投诉": "投诉", "/complaint": "投诉", "举报": "举报", "我要举报": "举报"}
SUBMIT = frozenset({"1", "提交", "确认"})
DISCARD = frozenset({"0", "不提交"})
_STATUS = re.compile(r"^(?:/status|查询进度|进度查询|查进度|查询|进度)\s*[:：]?\s*(.*)$", re.DOTALL)
# A tracking number inside a sentence (我的投诉编号是20261205-002-1，进度怎么样了): its date, its
# sequence and its check digit, grouped as printed or run together, an application's with its 申.
_NUMBER_INSIDE = re.compile(r"(?<!\d)申?\s*20\d{6}\s*[-‐‑–—_.·]?\s*\d{3,5}\s*[-‐‑–—_.·]?\s*\d(?!\d)")


def numbered(values: list[str]) -> list[str]:
    return [texts.CLARIFY_CHOICE.format(number=n, title=v) for n, v in enumerate(values, 1)]


# How the form's refusals are said where the citizen replies with words and numbers.
NOT_TEXT = {
    "what": texts.WX_FORM_WHAT_TEXT_ONLY,
    "contact": texts.WX_FORM_CONTACT_TEXT_ONLY,
    "confirm": texts.WX_FORM_CONFIRM_AGAIN,
}
INVALID = {
    "too_long": texts.FORM_WHAT_TOO_LONG,
    "bad_phone": texts.WX_FORM_CONTACT_BAD_PHONE,
    "no_contact": texts.WX_FORM_CONTACT_TEXT_ONLY,
    "name_too_long": texts.FORM_NAME_TOO_LONG,
    "confirm": texts.WX_FORM_CONFIRM_AGAIN,
}


def render(prompt: Prompt) -> str:
    """A prompt of the conversation layer as plain text, lists numbered."""
    if isinstance(prompt, AskText):
        return (texts.WX_FORM_WHAT_TIPOFF if prompt.kind == "举报" else texts.WX_FORM_WHAT).format(limit=prompt.limit)
    if isinstance(prompt, Choose):  # the form's topic, after its lead if it has one
        lead = [prompt.text] if prompt.text else []
        if (suggestion := prompt.suggestion) is not None:
            lead.append(texts.WX_FORM_TOPIC_SUGGESTED.format(number=suggestion[0], topic=suggestion[1]))
        return "\n".join([*lead, texts.WX_FORM_TOPIC, *numbered([label for _, label in prompt.options])])
    if isinstance(prompt, AskContact):
        return texts.FORM_DETAIL_ADDED + "\n" + texts.WX_FORM_CONTACT if prompt.added else texts.WX_FORM_CONTACT
    if isinstance(prompt, Summary):
        return texts.WX_FORM_SUMMARY.format(
            kind=prompt.kind, topic=prompt.topic, text=prompt.text, contact=prompt.contact
        )
    if isinstance(prompt, Invalid):
        if prompt.reason == "topic":
            return "\n".join([texts.WX_FORM_TOPIC_AGAIN, *numbered([label for _, label in prompt.options])])
        said = (
            NOT_TEXT.get(prompt.step, texts.WX_FORM_CONFIRM_AGAIN)
            if prompt.reason == "not_text"
            else INVALID[prompt.reason]
        )
        return said.format(length=prompt.length, limit=prompt.limit)
    if isinstance(prompt, Done):
        filed = prompt.complaint
        return texts.WX_FILED.format(kind=filed.kind, number=filed.number, due=prompt.due)
    if isinstance(prompt, Limited):
        return prompt.text
    return texts.CANCELLED if prompt.busy else texts.NOTHING_TO_CANCEL


def status_typed(text: str) -> str | None:
    """What was typed as a tracking number, if ``text`` asks for a status; else None.

    "查询 编号" asks; "查询" alone asks how (""); so does a message that is only a number
    starting with a year (a tracking number starts with its date; a phone number cannot).
    "查询公开目录怎么用" is a question, not a look-up; a sentence with a number of that shape in
    it (我的投诉编号是…，进度怎么样了) asks for that number.
    """
    match = _STATUS.match(text)
    if match:
        rest = match.group(1).strip()
        return rest if not rest or tracking.digits_of(rest) or numbers.parse(rest) else None
    if numbers.marked(text) and numbers.parse(text) is not None:  # 申20261127-0001-7
        return text
    digits = tracking.digits_of(text)
    if len(digits) >= 8 and digits.startswith("20"):
        return text
    inside = _NUMBER_INSIDE.search(unicodedata.normalize("NFKC", text))
    return inside.group(0) if inside else None


def render_ask(ask: Ask) -> str:
    """A step of the application dialogue as plain text, its options numbered."""
    return "\n".join([ask.text, *numbered([label for _, label in ask.options])])


def form_step(conversation: Conversation, form: Form, text: str) -> Prompt | None:
    """What a line typed in the complaint form is answered with; None when it confirms the
    summary (the channel then submits, with its own key against a repeated delivery)."""
    if form.step != "confirm":
        return conversation.step(form, text)
    word = fold(text)
    if word in DISCARD:
        return Cancelled()
    if word not in SUBMIT:
        return Invalid("confirm", "confirm")
    return None
