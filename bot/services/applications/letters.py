"""Letters to the applicant (告知书): the 补正 notice, the extension notice, and the answer letter
with the decision, the facts and the legal basis, the remedies and the office's contacts.

Rendered with Jinja2 (every value escaped) into printable HTML, and into plain text for the
applicant's chat; both are kept in the record (``application_letters``) as issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from ... import texts
from ...bidi import shown
from .types import Application, Event

if TYPE_CHECKING:
    from ...config import Settings

TEMPLATES = Path(__file__).resolve().parent / "templates"
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    finalize=shown,  # the applicant's and staff's words, without bidi controls
)


@dataclass(frozen=True)
class Letter:
    """A letter as issued."""

    id: int
    kind: str  # "correction", "extension" or "decision"
    at: str
    html: str
    text: str


def remedies(application: Application, settings: Settings) -> str:
    """The applicant's remedies: 行政复议 within 60 days, 行政诉讼 within 6 months; for a refusal
    (不予公开) review must come first (行政复议法 2023 第23条)."""
    decision = application.decision
    refused = decision is not None and decision.group == "withheld"
    template = texts.LETTER_REMEDIES_REVIEW_FIRST if refused else texts.LETTER_REMEDIES
    return template.format(review_body=settings.review_body)


KINDS = {"correction_requested": "correction", "extended": "extension", "decided": "decision"}


def render_letter(application: Application, event: Event, settings: Settings, events: list[Event]) -> tuple[str, str]:
    """The letter ``event`` calls for, as (HTML, plain text): the 补正 notice (第30条), the
    extension notice (第33条第2款) or the decision letter; ``application`` is as it stands after
    the event (its new due date)."""
    kind = KINDS[event.kind]
    contacts = settings.contacts()
    context: dict[str, object] = {
        "texts": texts,
        "kind": kind,
        "a": application,
        "event": event,
        "contacts": contacts,
        "day": event.on,
        # whom the letter is to: a person is 您, an organisation 贵单位 (not 您（单位）to both)
        "opening": texts.LETTER_OPENING.format(
            received=application.received_on,
            you="您" if application.applicant == "person" else "贵单位",
            bureau=contacts["bureau_name"],
        ),
    }
    if kind == "decision":
        decision = application.decision
        assert decision is not None
        context |= {
            "decision": decision,
            "facts": event.text or "",
            "article": event.data.get("article") or decision.article,
            "remedies": remedies(application, settings),
            "extension": next((e for e in events if e.kind == "extended"), None),
        }
    html = _ENV.get_template("letter.html").render(**context)
    text = _ENV.get_template("letter.txt").render(**context).strip()
    return html, text
