"""The application for information as a chat dialogue, written once for every channel.

One question a step, in the order 第29条 lists what an application contains: who applies (a
person, or an organisation and its kind), their name, their proof of identity (type, number),
how to reach them, the information wanted, the form wanted and how to receive it; then a
summary (the identity number masked) to confirm. Each step's answer is checked by the rules of
the web form (``applications.form``). After the description two checks come before filing:

- the catalogue is searched: if the information is already published, where it is (第36条第1项),
  and the choice to apply anyway or not;
- a description that reads as a complaint or a tip-off (信访、投诉、举报) is not an application
  (第39条): the applicant is offered the complaint form instead, or to apply all the same.

Every prompt is an ``Ask``: a plain-text question and, for a choice, its options (value, label),
which a channel shows as buttons or as a numbered list answered with a number or the label.
The dialogue's state is a plain ``ApplicationForm`` (``as_dict``/``from_dict`` for a channel
that keeps it elsewhere, as aiogram's FSM does).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import texts
from ..textnorm import trimmed
from .answering import Answerer
from .applications import (
    APPLICANTS,
    DELIVERIES,
    FORMS,
    ID_TYPES,
    Application,
    ApplicationError,
    Applications,
    mask_id,
)
from .applications.form import DELIVERED, FIELDS, ORGANISATION_ID, check
from .conversation import fold, pick

START = frozenset({"/apply", "申请公开", "我要申请", "我要申请公开", "申请信息公开", "提交申请", "依申请公开"})
SKIP = frozenset({"跳过", "不留", "0"})
_EMAIL = re.compile(r"[^@\s，,；;]+@[^@\s，,；;]+\.[A-Za-z]{2,}")
# Which fields of the form each step fills, for its refusal.
STEP_FIELDS = {
    "applicant": ("applicant",),
    "name": ("name",),
    "id_type": ("id_type",),
    "id_number": ("id_number",),
    "contact": ("phone", "email", "address"),
    "description": ("description",),
    "form": ("form",),
    "delivery": ("delivery", "email", "address"),
}


@dataclass(frozen=True)
class Ask:
    """What to show next: ``text`` and, for a choice, its ``options`` (value, label)."""

    step: str
    text: str
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Applied:
    """The application is filed and committed: tell the applicant its number and due date."""

    application: Application
    text: str
    due: str  # as told: the date, and whether it may move (see Applications.due_said)


@dataclass(frozen=True)
class Confirmed:
    """The summary was confirmed: the channel calls ``submit`` with its key against a redelivery."""


@dataclass(frozen=True)
class Complaint:
    """The applicant chose to file a complaint instead (第39条): the channel opens its form."""

    kind: str = "投诉"


@dataclass(frozen=True)
class Dropped:
    """The applicant chose not to apply (the information is published, or they cancelled)."""

    text: str


Step = Ask | Applied | Confirmed | Complaint | Dropped


@dataclass
class ApplicationForm:
    """An application being written, one step at a time."""

    step: str = "applicant"
    fields: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ApplicationForm:
        fields = data.get("fields") or {}
        return cls(str(data.get("step", "applicant")), {k: str(v) for k, v in fields.items() if k in FIELDS})


class ApplicationDialogue:
    """The steps of an application typed in a chat.

    :param applications: the register
    :param answerer: for the catalogue, and to tell a complaint from an application
    """

    applicants = tuple(APPLICANTS.items())
    forms = tuple(FORMS.items())
    deliveries = tuple(DELIVERIES.items())
    id_types = tuple((t, t) for t in ID_TYPES)
    yes_no = (("yes", texts.APPLY_YES), ("no", texts.APPLY_NO))

    def __init__(self, applications: Applications, answerer: Answerer) -> None:
        self.applications = applications
        self.answerer = answerer

    def start(self) -> tuple[ApplicationForm, Ask]:
        form = ApplicationForm()
        return form, self._ask(form)

    def _ask(self, form: ApplicationForm, lead: str = "") -> Ask:
        """The question of the form's current step (after ``lead``, what was wrong, if anything)."""
        step = form.step
        said = {
            "applicant": (texts.APPLY_ASK_APPLICANT, self.applicants),
            "name": (texts.APPLY_ASK_NAME, ()),
            "id_type": (texts.APPLY_ASK_ID_TYPE, self._id_types(form)),
            "id_number": (texts.APPLY_ASK_ID_NUMBER, ()),
            "contact": (texts.APPLY_ASK_CONTACT, ()),
            "description": (texts.APPLY_ASK_DESCRIPTION, ()),
            "form": (texts.APPLY_ASK_FORM, self.forms),
            "delivery": (texts.APPLY_ASK_DELIVERY, self._deliveries(form)),
        }
        if step in said:
            text, options = said[step]
            return Ask(step, (lead + "\n" if lead else "") + text, options)
        if step == "published":
            return Ask(step, (lead + "\n" if lead else "") + self._published_text(form), self.yes_no)
        if step == "complaint":
            options = (("complaint", texts.APPLY_AS_COMPLAINT), ("apply", texts.APPLY_ANYWAY))
            return Ask(step, (lead + "\n" if lead else "") + texts.APPLY_LOOKS_LIKE_COMPLAINT, options)
        return Ask("confirm", (lead + "\n" if lead else "") + self.summary(form), self.yes_no)

    def _id_types(self, form: ApplicationForm) -> tuple[tuple[str, str], ...]:
        """The papers the applicant may show: a person, not an organisation's code."""
        person = form.fields.get("applicant") == "person"
        return tuple(t for t in self.id_types if not (person and t[0] == ORGANISATION_ID))

    def _deliveries(self, form: ApplicationForm) -> tuple[tuple[str, str], ...]:
        """The ways the chosen form of the information can reach the applicant."""
        can = DELIVERED.get(form.fields.get("form", ""), set(DELIVERIES))
        return tuple(d for d in self.deliveries if d[0] in can)

    def summary(self, form: ApplicationForm) -> str:
        f = form.fields
        contact = " ".join(x for x in (f.get("phone"), f.get("email"), f.get("address")) if x)
        return texts.APPLY_SUMMARY.format(
            applicant=APPLICANTS.get(f.get("applicant", ""), ""),
            name=f.get("name", ""),
            id_type=f.get("id_type", ""),
            id_number=mask_id(f.get("id_number", "")),
            contact=contact,
            description=f.get("description", ""),
            form=FORMS.get(f.get("form", ""), ""),
            delivery=DELIVERIES.get(f.get("delivery", ""), ""),
        )

    def _published_text(self, form: ApplicationForm) -> str:
        hits = self._published(form.fields.get("description", ""))
        lines = [texts.APPLY_PUBLISHED]
        lines += [
            texts.APPLY_PUBLISHED_ITEM.format(
                title=h["title"], index_no=h["index_no"], date=h["date"], link=h.get("link") or ""
            )
            for h in hits
        ]
        lines.append(texts.APPLY_STILL)
        return "\n".join(lines)

    def _published(self, description: str) -> list[dict[str, Any]]:
        settings = self.applications.settings
        hits = self.answerer.catalogue.search(description, limit=3).as_json()["hits"]
        return [h for h in hits if h["score"] >= settings.catalogue_answer_min_score]

    def _problem(self, form: ApplicationForm) -> str | None:
        """What is wrong with what the current step filled in, if anything."""
        fields = {**{name: "" for name in FIELDS}, **form.fields}
        _, problems = check(fields)
        for name in STEP_FIELDS.get(form.step, ()):
            if name in problems:
                return problems[name]
        return None

    async def step(self, form: ApplicationForm, typed: str | None) -> Step:
        """Any message typed at the form's current step (None: not text)."""
        text = trimmed(typed or "")
        if not text:
            return self._ask(form, texts.APPLY_TEXT_ONLY)
        step = form.step
        if step in ("applicant", "id_type", "form", "delivery", "published", "complaint", "confirm"):
            options = self._ask(form).options
            value = pick(options, text)
            if value is None:
                return self._ask(form, texts.APPLY_PICK)
            return await self.choose(form, value)
        return await self.answer(form, text)

    async def choose(self, form: ApplicationForm, value: str) -> Step:
        """An option chosen (a button pressed, or a number typed) at the form's current step."""
        step = form.step
        if step == "published":
            if value == "no":
                return Dropped(texts.APPLY_DROPPED)
            form.step = "form"
            return self._ask(form)
        if step == "complaint":
            if value == "complaint":
                return Complaint()
            return await self._after_description(form, screened=True)
        if step == "confirm":
            if value == "no":
                return Dropped(texts.CANCELLED)
            return Confirmed()  # the channel submits, with its own key against a redelivery
        if value not in dict(self._ask(form).options):
            return self._ask(form, texts.APPLY_PICK)
        form.fields[step] = value
        if step == "applicant":
            form.fields.setdefault("id_type", "居民身份证" if value == "person" else "统一社会信用代码")
        if step == "delivery":
            problem = self._problem(form)
            if problem is not None:  # e-mail wanted and none given: ask for it again
                form.step = "contact"
                return self._ask(form, problem)
            form.step = "confirm"
            return self._ask(form)
        form.step = {"applicant": "name", "id_type": "id_number", "form": "delivery"}[step]
        return self._ask(form)

    async def answer(self, form: ApplicationForm, text: str) -> Step:
        step = form.step
        if step == "contact":
            if fold(text) in SKIP:
                return self._ask(form, texts.APPLY_NO_CONTACT)
            email = _EMAIL.search(text)
            rest = text.replace(email.group(0), " ") if email else text
            name, phone = split_phone(rest)
            # Asked again (an e-mail wanted for delivery by e-mail), what the citizen gave before is
            # kept: only what this message gives is put in.
            address = name if len(name) >= 4 else ""
            given = {"email": email.group(0) if email else "", "phone": phone, "address": address}
            form.fields.update({key: value for key, value in given.items() if value})
        else:
            form.fields[step] = text
        problem = self._problem(form)
        if problem is not None:
            return self._ask(form, problem)
        if step == "description":
            return await self._after_description(form)
        if step == "contact" and form.fields.get("delivery"):
            form.step = "confirm"
            return self._ask(form)
        form.step = {"name": "id_type", "id_number": "contact", "contact": "description"}[step]
        return self._ask(form)

    async def _after_description(self, form: ApplicationForm, *, screened: bool = False) -> Ask:
        description = form.fields.get("description", "")
        if not screened and (await self.answerer.aanswer(description)).outcome == "complaint":
            form.step = "complaint"
            return self._ask(form)
        if self._published(description):
            form.step = "published"
            return self._ask(form)
        form.step = "form"
        return self._ask(form)

    async def submit(
        self, form: ApplicationForm, *, channel: str, chat_id: str | int, user_id: str | int | None, dedupe_key: str
    ) -> Step:
        """File the application; the number is returned only once it is committed."""
        draft, problems = check({**{name: "" for name in FIELDS}, **form.fields})
        if draft is None:
            form.step = "applicant"
            return self._ask(form, next(iter(problems.values())))
        filed = await self.applications.afile(
            draft, channel=channel, chat_id=chat_id, user_id=user_id, dedupe_key=dedupe_key
        )
        due = self.applications.due_said(filed)
        return Applied(filed, texts.APPLIED.format(number=filed.number, due=due), due)


CORRECT = re.compile(r"^(?:/correct(?:@\w+)?|补正)\s*[:：]?\s*(\S+)\s+(.+)$", re.DOTALL)


async def correct(
    applications: Applications, typed: str, *, channel: str, chat_id: str | int, text: str | None = None
) -> str:
    """The applicant's corrected application (第30条), sent as "补正 编号 内容" (or ``text`` with
    the number ``typed``): recorded if the application is theirs and awaits it; what to tell them."""
    if text is None:
        match = CORRECT.match(typed.strip())
        if match is None:
            return texts.APPLY_CORRECT_USAGE
        typed, text = match.group(1), match.group(2)
    found = applications.lookup(typed)
    application = found.application if found else None
    if application is None or not application.filed_by(channel, chat_id):
        return texts.APPLY_NOT_YOURS
    if application.status != "correcting":
        return texts.APPLICATION_NOT_CORRECTING.format(number=application.number)
    try:
        after = await applications.aact(application.number, "citizen", "correct", text=text.strip())
    except ApplicationError as e:
        return str(e)
    return texts.APPLICANT_CORRECTED.format(number=after.number, day=after.start_on, due=after.due_on)


def split_phone(text: str) -> tuple[str, str]:
    """The rest of a contact line, and the phone number in it."""
    from .complaints import split_contact

    return split_contact(text)
