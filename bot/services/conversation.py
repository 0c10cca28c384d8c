"""The citizen's side of every dialogue, written once for every channel.

A channel translates what the citizen sent (a message, a button, a posted form) into a call
here, and renders the typed prompt that comes back: Telegram as buttons, WeChat as a numbered
list, the web as HTML, the terminal as lines. The rules (what a complaint needs, what a contact
must look like, how a tracking number is looked up, what a number typed in reply to a list means)
are here and nowhere else.

- The complaint form: ``start`` opens it, ``what``, ``topic`` and ``contact`` take a step each
  (``step`` takes any typed message at whatever step the form is), ``summary`` shows it to
  confirm, ``submit`` files it. The form's state is a plain ``Form`` (``as_dict`` and
  ``from_dict`` for a channel that keeps it elsewhere, as aiogram's FSM does).
- ``check_form``: the same rules for a form filled in at once (the web page).
- ``status``: a tracking number as typed, looked up.
- ``offer``: the complaint offered under a reply that is one; ``pick``: a choice typed as its
  number or its label; ``entry``: a guide entry chosen from a list; ``rate``: a rating.
- ``ask``: a question answered and recorded in the enquiry log (channels never see the store).
- ``forget``: the texts of a citizen's questions blanked at their request (``asks_to_forget``: the
  words that ask it, on the channels where the citizen types).

Filing and status look-ups are counted against the citizen's limits (``services.limits``): over
them, ``submit`` returns ``Limited`` and ``status`` the outcome ``limited``, with the words to say.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, ClassVar

from .. import logs, metrics, texts
from ..limits import LRU
from ..reading import wordless
from ..storage import Store
from ..textnorm import trimmed
from . import retention
from .answering import Answerer, Reply, documents_text, quoted, says_missed
from .applications import Application, Applications
from .applications import Lookup as ApplicationLookup
from .complaints import (
    KIND_TOPICS,
    KINDS,
    MAX_NAME,
    MAX_TEXT,
    RATINGS,
    TOPICS,
    Complaint,
    ComplaintError,
    Complaints,
    Draft,
    Event,
    clean_phone,
    split_contact,
    told_of,
    topics_for,
)
from .limits import Limits, keys, when

log = logging.getLogger(__name__)

# What a citizen types to have the texts of their questions deleted (``Conversation.forget``).
# Asking for one's texts to be deleted, in the words people use: 删除记录, 请删除我的聊天记录, 把我的记录
# 删掉, forget me, delete my data (a question about deletion, 会删除我的信息吗, is no request).
_DELETE = "(?:删除|删掉|删了|删|清除|清空|抹掉)"
_RECORDS = "(?:我的|我)?(?:全部|所有)?(?:的)?(?:聊天|对话|咨询|提问)?(?:记录|信息|数据|内容|消息)"
_PUNCTUATION = re.compile(r"[\s,，。.!！?？;；、~～]+$|^\s+")
FORGET = re.compile(
    rf"(?:/forget|(?:请|麻烦)?(?:你|你们)?(?:帮我|给我)?(?:{_DELETE}(?:一下|掉)?{_RECORDS}"
    rf"|把?{_RECORDS}(?:都|全)?(?:{_DELETE}|删除掉)(?:掉|了)?)(?:吧|谢谢)?"
    r"|(?:please )?(?:forget me|(?:delete|erase|remove) (?:all )?my (?:data|messages|history|chat|chats|records)))",
    re.IGNORECASE,
)
# A question is read after the answer its chat had at most this long before (see Conversation.reply_to).
FOLLOW_UP_SECONDS = 600.0
# The chats whose last answer is kept for that, at most (the least recently heard forgotten first).
FOLLOW_UP_CHATS = 10_000
# Words that mean "no contact" at the contact step, in any channel.
SKIP = frozenset({"跳过", "不留", "0"})
STEPS = ("what", "topic", "contact", "confirm")
# Longer than this, what is sent for a name without a phone number tells of the matter instead
# (not matching's STORY_MIN_CHARS, which is how long a message must be to read as a story told).
MATTER_MIN_CHARS = 20


# --- prompts: what to show next -------------------------------------------------------------------


@dataclass(frozen=True)
class AskText:
    """Ask for free text (the complaint's ``what``), at most ``limit`` characters."""

    step: str
    kind: str
    limit: int = MAX_TEXT


@dataclass(frozen=True)
class Choose:
    """Choose one of ``options`` (value, label); ``text`` is the channel-neutral lead, if any;
    ``suggested``, the value what the citizen wrote points to (窗口态度差: the staff's conduct)."""

    step: str
    options: tuple[tuple[str, str], ...]
    text: str = ""
    suggested: str = ""

    @property
    def suggestion(self) -> tuple[int, str] | None:
        """The suggested option's number (from 1) and label, if one is."""
        return next(((n, label) for n, (key, label) in enumerate(self.options, 1) if key == self.suggested), None)


@dataclass(frozen=True)
class AskContact:
    """Ask for a name and a phone number, saying why they are asked (skipping is allowed);
    ``added``: what was just sent told more of the matter, and was added to the complaint."""

    why: str = texts.CONTACT_WHY
    added: bool = False


@dataclass(frozen=True)
class Summary:
    """The complaint as it will be filed, to confirm or cancel."""

    kind: str
    topic: str  # the topic's label
    text: str
    contact: str  # name and phone, or texts.FORM_NO_CONTACT


@dataclass(frozen=True)
class Invalid:
    """What was sent does not do for ``step``; ``reason`` says why (the channel words it).

    Reasons: ``not_text`` (nothing, or not text, at the ``what`` step), ``too_long``,
    ``topic`` (not one of the topics), ``bad_phone`` (digits that are no phone number),
    ``no_contact`` (no letter, digit or phone at all: "！！" names no one), ``name_too_long``,
    ``confirm`` (neither submit nor cancel). At the ``topic`` step, ``options`` are the topics
    to choose from again.
    """

    step: str
    reason: str
    length: int = 0
    limit: int = 0
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Done:
    """The complaint is filed and committed: tell the citizen its number and due date."""

    complaint: Complaint
    due: str  # as told: the date, and whether it may move (see Complaints.due_said)


@dataclass(frozen=True)
class Limited:
    """Not filed: the citizen (or their address) has filed as many as the limits allow for now.
    ``text`` says when to try again and gives the supervision phone number (plain text)."""

    text: str


@dataclass(frozen=True)
class Cancelled:
    """The form (or the offer) was dropped; ``busy`` whether there was anything to drop."""

    busy: bool = True


Prompt = AskText | Choose | AskContact | Summary | Invalid | Done | Limited | Cancelled


@dataclass
class Form:
    """A complaint being written, one step at a time: what, topic, contact, confirm."""

    kind: str
    step: str = "what"
    text: str = ""
    topic: str = ""
    name: str = ""
    phone: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Form:
        return cls(**{k: str(data.get(k, "")) for k in ("kind", "step", "text", "topic", "name", "phone")})


@dataclass(frozen=True)
class Status:
    """A tracking number as typed, looked up.

    :param outcome: ``usage`` (nothing typed: the channel says how), ``not_a_number``, ``found``,
      ``unknown`` (a valid number no complaint has), ``mistyped`` (with ``suggestions``),
      ``mistyped_none`` or ``limited`` (too many look-ups: ``text`` says when to try again)
    :param text: what to tell the citizen (plain text; empty for ``usage``)
    :param own: whether the one asking filed it (only they see the replies)
    :param ask_rating: their complaint is closed and not rated yet
    """

    outcome: str
    typed: str
    text: str = ""
    complaint: Complaint | None = None
    own: bool = False
    events: tuple[Event, ...] = ()
    suggestions: tuple[str, ...] = ()
    ask_rating: bool = False
    application: Application | None = None  # found: an application for information, not a complaint


@dataclass(frozen=True)
class Picked:
    """A guide entry chosen from a list: its question and the answer."""

    question: str
    reply: Reply


# --- the rules ------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """``text`` with full-width digits and letters folded (an input method types ２ as easily as 2)."""
    return unicodedata.normalize("NFKC", text).strip()


def check_text(text: str | None) -> Invalid | None:
    """The complaint's text: words (not only digits, punctuation or a terminal's escape code such
    as ``[2J``), at most ``MAX_TEXT`` characters."""
    text = trimmed(text or "")
    if not text or wordless(text):
        return Invalid("what", "not_text")
    if len(text) > MAX_TEXT:
        return Invalid("what", "too_long", length=len(text), limit=MAX_TEXT)
    return None


def check_contact(name: str, phone: str, typed: str = "") -> tuple[str, str] | Invalid:
    """A name and a phone number, given apart (a form's fields) or ``typed`` on one line: both
    cleaned, or why they will not do. Giving neither is allowed; giving only punctuation is not."""
    if typed:
        name, phone = split_contact(typed)
        if not phone and any(c.isdigit() for c in fold(typed)):
            return Invalid("contact", "bad_phone")
    elif phone:
        cleaned = clean_phone(phone)
        if not cleaned:
            return Invalid("contact", "bad_phone")
        phone = cleaned
    name = trimmed(name)
    if not phone and not any(c.isalnum() for c in name) and (typed or name):
        return Invalid("contact", "no_contact")
    if len(name) > MAX_NAME:
        return Invalid("contact", "name_too_long", length=len(name), limit=MAX_NAME)
    return name, phone


def check_form(kind: str, topic: str, text: str, name: str, phone: str) -> tuple[Form, list[Invalid]]:
    """A complaint filled in at once (the web form): the form, and every rule it breaks. The
    topic must be one of the kind's (``topics_for``): a tip-off's are not a complaint's."""
    form = Form(kind if kind in KINDS else "投诉", "confirm", trimmed(text), topic, trimmed(name), trimmed(phone))
    problems = []
    if (bad := check_text(form.text)) is not None:
        problems.append(bad)
    options = topics_for(form.kind)
    if form.topic not in dict(options):
        problems.append(Invalid("topic", "topic", options=options))
    if form.name or form.phone:
        checked = check_contact(form.name, form.phone)
        if isinstance(checked, Invalid):
            problems.append(checked)
        else:
            form.name, form.phone = checked
    return form, problems


def pick(options: Sequence[tuple[str, str]], typed: str) -> str | None:
    """The value of the option ``typed`` names, by its number (from 1) or its label; else None."""
    word = fold(typed)
    if word.isdigit():
        n = int(word)
        return options[n - 1][0] if 1 <= n <= len(options) else None
    for value, label in options:
        if word == label:
            return value
    return None


def contact_line(name: str, phone: str) -> str:
    return " ".join(x for x in (name, phone) if x) or texts.FORM_NO_CONTACT


def look_up(
    complaints: Complaints,
    typed: str,
    *,
    channel: str = "",
    chat_id: str | int = "",
    applications: Applications | None = None,
) -> Status:
    """The status look-up, for every channel and the CLI: the complaint, or the application for
    information, whose number was ``typed``, as the one asking (``channel``, ``chat_id``; none
    for staff) may see it. The two registers' numbers never share their digits (see
    ``applications.numbers``), so the number alone says which register to look in."""
    typed = trimmed(typed.replace("\ufffd", ""))[:40]  # bytes that were no text (%FF%FE): not shown back
    if not typed:
        return Status("usage", typed)
    if applications is not None:
        applied = applications.lookup(typed)
        if applied is not None:
            return _application_status(applications, applied, typed, channel, chat_id)
    found = complaints.lookup(typed)
    if found is None:
        return Status("not_a_number", typed, texts.STATUS_NOT_A_NUMBER.format(typed=typed))
    complaint = found.complaint
    if complaint is not None:
        own = complaint.filed_by(channel, chat_id)
        return Status(
            "found",
            typed,
            complaints.status_text(complaint, own=own),
            complaint,
            own,
            tuple(complaints.replies(complaint)),
            ask_rating=own and complaint.status == "closed" and complaint.rating is None,
        )
    if found.typed_ok:
        return Status("unknown", typed, texts.STATUS_UNKNOWN.format(number=typed))

    def theirs(number: str) -> bool:
        return (complaint := complaints.get(number)) is not None and complaint.filed_by(channel, chat_id)

    return _mistyped(typed, found.suggestions, theirs, staff=not channel)


def _application_status(
    applications: Applications, found: ApplicationLookup, typed: str, channel: str, chat_id: str | int
) -> Status:
    application = found.application
    if application is not None:
        own = application.filed_by(channel, chat_id)
        text = applications.status_text(application, own=own)
        return Status("found", typed, text, own=own, application=application)
    if found.typed_ok:
        return Status("unknown", typed, texts.NO_SUCH_APPLICATION.format(number=typed))

    def theirs(number: str) -> bool:
        return (application := applications.get(number)) is not None and application.filed_by(channel, chat_id)

    return _mistyped(typed, found.suggestions, theirs, staff=not channel)


def _mistyped(typed: str, suggestions: tuple[str, ...], theirs: Callable[[str], bool], *, staff: bool) -> Status:
    """A number with a typing slip: the numbers one slip away that it may be, to staff all of them,
    to a citizen only their own (a stranger's slips listed other people's numbers, whose status
    anyone who has a number may read)."""
    shown = suggestions if staff else tuple(n for n in suggestions if theirs(n))
    if shown:
        text = texts.STATUS_MISTYPED.format(typed=typed, suggestions="、".join(shown))
        return Status("mistyped", typed, text, suggestions=shown)
    return Status("mistyped_none", typed, texts.STATUS_MISTYPED_NONE.format(typed=typed))


# --- the service ----------------------------------------------------------------------------------


@dataclass
class Conversation:
    """Every dialogue with a citizen, on the core services.

    :param answerer: answers questions
    :param complaints: the supervision log
    :param store: the enquiry log (only this layer records in it)
    :param applications: the register of applications for information (its numbers are looked up too)
    :param limits: how many complaints and look-ups a citizen may make (by the complaints'
      settings if None)
    """

    answerer: Answerer
    complaints: Complaints
    store: Store
    applications: Applications | None = None
    limits: Limits = field(default=None)  # type: ignore[assignment]  # set in __post_init__
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)  # how long ago the last answer was
    ratings: ClassVar[tuple[tuple[str, str], ...]] = tuple(RATINGS.items())
    # Submissions being filed, by their dedupe key: the same one sent again meanwhile (a double
    # click, parallel retries) waits for it rather than counting against the limits a second time.
    _filing: dict[str, asyncio.Future[Done | Limited]] = field(default_factory=dict, init=False, repr=False)
    # The last reply each chat had, and when (see reply_to).
    _last: LRU[tuple[str, str], tuple[float, Reply]] = field(
        default_factory=lambda: LRU(FOLLOW_UP_CHATS), init=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.limits is None:
            self.limits = Limits(self.complaints.settings)

    @property
    def contacts(self) -> dict[str, str]:
        return self.answerer.contacts

    # --- questions --------------------------------------------------------------------------------

    async def ask(self, text: str, *, channel: str, user_id: str | int | None) -> Reply:
        """The reply to a question, recorded in the enquiry log before it is returned."""
        logs.begin()
        reply = await self.reply_to(text, channel=channel, user_id=user_id)
        reply = self.with_own_cases(reply, channel=channel, chat_id=user_id)
        await self.record(reply, channel=channel, user_id=user_id)
        return reply

    async def reply_to(self, text: str, *, channel: str, user_id: str | int | None) -> Reply:
        """The reply to a question in a chat, not recorded: a short question without its subject
        (有时间限制没) is read after the answer the chat had just before (能直接上法院告不: the time
        limit for suing), within ``FOLLOW_UP_SECONDS``; a chat that is not one citizen's (no
        ``user_id``) has none."""
        if user_id is None:
            return await self.answerer.aanswer(text)
        key = (channel, str(user_id))
        held = self._last.get(key)
        now = self.clock()
        before = held[1] if held is not None and now - held[0] <= FOLLOW_UP_SECONDS else None
        reply = await self.answerer.aanswer(text, before)
        self._last[key] = (now, reply)
        return reply

    async def instead(self, missed: Reply, *, channel: str, user_id: str | int | None) -> Reply:
        """What else the question ``missed`` answered may be, which the citizen said it missed (a
        button under the answer, which holds it however long ago it was given), recorded as that
        question not answered; where nothing else is likely (see ``Answerer.instead``), the reply
        to the button's words read alone, as typed with no answer before them (ask in other words,
        or call)."""
        reply = self.answerer.instead(missed)
        if reply is None:
            reply = await self.answerer.aanswer(says_missed(missed.outcome == "clarify", missed.english)[1])
        if user_id is not None:
            self._last[(channel, str(user_id))] = (self.clock(), reply)
        await self.record(reply, channel=channel, user_id=user_id)
        return reply

    def with_own_cases(self, reply: Reply, *, channel: str, chat_id: str | int | None) -> Reply:
        """``reply``, when it answers how to follow one's case (我的投诉怎么样了), with the citizen's
        own complaints and applications filed in this chat under it, a line each: theirs, not only
        how to look one up. Asked how soon they will hear (多久有结果) with a case of their own still
        open, they are answered so, rather than with how soon an application is answered."""
        if chat_id is None:
            return reply
        own_cases = self.answerer.matcher.knowledge.lexicon.own_cases

        def on_own_cases(answered: Reply) -> bool:  # the answer on following one's case
            return answered.outcome == "answer" and own_cases is not None and answered.entry_id == own_cases

        asks_when = self.answerer.asks_when_answered(reply)
        if not (asks_when or on_own_cases(reply)):
            return reply  # only then are the chat's own cases looked up, once
        complaints = self.complaints.filed_in(channel, chat_id)
        applications = self.applications.filed_in(channel, chat_id) if self.applications is not None else []
        open_application = any(a.is_open for a in applications)
        if asks_when and (open_application or any(c.is_open for c in complaints)):
            reply = self.answerer.own_case(reply, applications=open_application) or reply
        if on_own_cases(reply) and (own := self._own_cases(complaints, applications)):  # theirs first
            reply.text = f"{own}\n\n{reply.text}"
        return reply

    @staticmethod
    def _own_cases(complaints: list[Complaint], applications: list[Application]) -> str:
        """The citizen's own cases, a line each, under their heading; empty if none."""
        lines = [
            texts.OWN_COMPLAINT.format(kind=c.kind, number=c.number, status=c.status_label, due=c.due_on)
            for c in complaints
        ] + [
            texts.OWN_APPLICATION.format(
                number=a.number, status=a.status_label, due=a.due_on or texts.APPLICATION_NO_DUE
            )
            for a in applications
        ]
        return "\n".join([texts.OWN_CASES, *lines]) if lines else ""

    async def record(self, reply: Reply, *, channel: str, user_id: str | int | None) -> None:
        """Record an answered question (a channel that sends meanwhile calls ``answer`` then this),
        and count it (``bot.metrics``) under the message's request id (``bot.logs``)."""
        logs.begin()
        metrics.question(channel, reply.outcome, reply.ms)
        await self.answerer.arecord(self.store, reply, channel=channel, user_id=user_id)

    @staticmethod
    def asks_to_forget(typed: str) -> bool:
        """Whether ``typed`` asks for the texts of one's questions to be deleted."""
        return FORGET.fullmatch(_PUNCTUATION.sub("", fold(typed))) is not None

    async def forget(self, *, channel: str, user_id: str | int | None) -> str:
        """Blank the texts of the citizen's enquiries at their request (their complaints stay:
        they are the supervision log's records); what to tell them."""
        logs.begin()
        count = await retention.Retention(self.store, self.answerer.settings).aforget(self.user_ref(channel, user_id))
        return texts.FORGET_DONE.format(count=count, **self.contacts) if count else texts.FORGET_NONE

    def user_ref(self, channel: str, user_id: str | int | None) -> str | None:
        """The anonymous reference the enquiry log keeps for a citizen."""
        return self.store.user_ref(channel, user_id)

    def entry(
        self, entry_id: str, *, english: bool = False, channel: str | None = None, user_id: str | int | None = None
    ) -> Picked | None:
        """The guide entry chosen from a list (None: the guide changed since the list was shown);
        in English when the list was offered in English. Chosen in a citizen's chat (``channel``,
        ``user_id``), it is the answer a short question after it asks of (see ``reply_to``)."""
        reply = self.answerer.answer_entry(entry_id, english=english)
        if reply is None:
            return None
        reply.chosen = True
        if channel is not None and user_id is not None:
            self._last[(channel, str(user_id))] = (self.clock(), reply)
        return Picked(reply.q, reply)

    def sections(self) -> list[str]:
        return list(self.answerer.matcher.knowledge.sections)

    def section(self, name: str) -> list[tuple[str, str]]:
        """The guide entries of a section, as (id, question)."""
        return [(e.id, e.question) for e in self.answerer.matcher.knowledge.guide if e.section == name]

    @staticmethod
    def choose_prompt(reply: Reply, contacts: dict[str, str]) -> str:
        """The line above a list of choices shown as buttons, in the language it was asked in (a
        list of one asks whether that is what was meant)."""
        if reply.missed:  # offered instead of an answer the citizen said missed
            said = texts.NOT_IT_CHOICES_BUTTONS_EN if reply.english else texts.NOT_IT_CHOICES_BUTTONS
            return said.format(question=quoted(reply.missed), **contacts)
        if len(reply.choices) == 1:
            return (texts.CLARIFY_ONE_BUTTONS_EN if reply.english else texts.CLARIFY_ONE_BUTTONS).format(**contacts)
        return (texts.CLARIFY_BUTTONS_EN if reply.english else texts.CLARIFY_BUTTONS).format(**contacts)

    @staticmethod
    def documents_under(reply: Reply) -> str:
        """What a list of choices shown as buttons says under its line: the documents near one
        asked for by name (see ``Answers``), marked rather than numbered; empty for most lists."""
        if reply.outcome != "clarify" or not reply.hits:
            return ""
        return "\n" + documents_text(reply.hits, reply.heading, numbered=False)

    @staticmethod
    def invites_to_apply(reply: Reply) -> bool:
        """Whether ``reply`` says how to apply (an entry marked ``apply_here``), so that the channel
        says how to apply right there: the web's form, the chat dialogue, which the guide, written
        for every channel, cannot name."""
        return reply.outcome == "answer" and reply.apply_here and not reply.parts and not reply.english

    @staticmethod
    def offer(reply: Reply) -> Choose | None:
        """The complaint form offered under a reply that is a complaint (file one here, or not),
        under a message too long to be a question (most likely a story to report), under a
        reply the bot is unsure of to a message that reads somewhat like a complaint, or under the
        answer to a plain question whose message reads like one."""
        if reply.outcome != "complaint" and not reply.may_complain:
            return None
        kind = "举报" if reply.tipoff else "投诉"
        if reply.english:  # the form's steps are in Chinese; the offer says so, in English
            yes, said = (
                (texts.TIPOFF_YES_EN, texts.TIPOFF_OFFER_EN)
                if reply.tipoff
                else (texts.COMPLAINT_YES_EN, texts.COMPLAINT_OFFER_EN)
            )
            no = texts.COMPLAINT_NO_EN
        else:
            yes, said = (
                (texts.TIPOFF_YES, texts.TIPOFF_OFFER) if reply.tipoff else (texts.COMPLAINT_YES, texts.COMPLAINT_OFFER)
            )
            no = texts.COMPLAINT_NO
        return Choose("offer", ((kind, yes), ("no", no)), said)

    # --- the complaint form -----------------------------------------------------------------------

    @staticmethod
    def start(kind: str) -> tuple[Form, AskText]:
        """A new form for a complaint (投诉) or a tip-off (举报)."""
        kind = kind if kind in KINDS else "投诉"
        return Form(kind), AskText("what", kind)

    def told(self, kind: str, story: str) -> tuple[Form, Prompt]:
        """A new form whose text is the message the offer was made under (``story``): the
        citizen does not tell it twice. Its next step, led by a line saying so, or what is wrong
        with the text (too long); with no story, the form as ``start`` begins it."""
        if not trimmed(story):
            return self.start(kind)
        form, _ = self.start(kind)
        prompt = self.what(form, story)
        if isinstance(prompt, Choose):
            prompt = replace(prompt, text=texts.FORM_TOLD.format(kind=form.kind))
        return form, prompt

    @staticmethod
    def hint(form: Form) -> Invalid:
        """What the form's current step expects, when something else was sent (a picture, a menu)."""
        if form.step == "topic":
            return Invalid("topic", "topic", options=topics_for(form.kind))
        return Invalid(form.step, "not_text")

    def what(self, form: Form, text: str | None) -> Prompt:
        """The complaint's text (None: something that is not text was sent)."""
        bad = check_text(text)
        if bad is not None:
            return bad
        form.text, form.step = trimmed(text or ""), "topic"
        return Choose("topic", topics_for(form.kind), suggested=told_of(form.kind, form.text) or "")

    def topic(self, form: Form, topic: str) -> Prompt:
        """The topic chosen: one of the form's kind's (a tip-off's are not a complaint's)."""
        options = topics_for(form.kind)
        if topic not in dict(options):
            return Invalid("topic", "topic", options=options)
        form.topic, form.step = topic, "contact"
        return AskContact()

    def contact(self, form: Form, typed: str | None, *, skip: bool = False) -> Prompt:
        """A name and phone typed on one line (or ``skip``, or a skip word: no contact). A long
        line without a phone number tells more of the matter (上周三去窗口交申请表，工作人员说不归
        他们管): it is added to the complaint, and the name and phone asked for again."""
        if skip or fold(typed or "") in SKIP:
            form.name, form.phone = "", ""
        else:
            checked = check_contact("", "", typed or "")
            if not isinstance(checked, Invalid) and not checked[1] and len(checked[0]) > MATTER_MIN_CHARS:
                more = f"{form.text}\n{trimmed(typed or '')}"
                if check_text(more) is None:
                    form.text = more
                    return AskContact(added=True)
            if isinstance(checked, Invalid):
                return checked
            form.name, form.phone = checked
        form.step = "confirm"
        return self.summary(form)

    def step(self, form: Form, typed: str | None) -> Prompt:
        """Any message typed at the form's current step (the channels without buttons)."""
        if form.step == "what":
            return self.what(form, typed)
        if typed is None:
            return self.hint(form)
        if form.step == "topic":
            return self.topic(form, pick(topics_for(form.kind), typed) or "")
        if form.step == "contact":
            return self.contact(form, typed)
        # At the summary, a phone sent on its own line after a name (张三, then 13800138000) is
        # the contact completed: put in, and the summary shown again to confirm.
        checked = check_contact("", "", typed)
        if not isinstance(checked, Invalid) and checked[1]:
            form.name, form.phone = checked[0] or form.name, checked[1]
            return self.summary(form)
        return Invalid("confirm", "confirm")

    @staticmethod
    def summary(form: Form) -> Summary:
        return Summary(form.kind, TOPICS.get(form.topic, ""), form.text, contact_line(form.name, form.phone))

    async def submit(
        self,
        form: Form,
        *,
        channel: str,
        chat_id: str | int,
        user_id: str | int | None,
        dedupe_key: str,
        address: str | None = None,
    ) -> Done | Limited:
        """File the complaint; the number is returned only once it is committed. The same
        ``dedupe_key`` again (a double click, a redelivered update) files nothing new and counts
        nothing. Over the citizen's limits (or the ``address``'s, on the web): ``Limited``."""
        earlier = self.complaints.filed_as(dedupe_key)
        if earlier is not None:
            return self._done(earlier)

        async def file() -> Done | Limited:
            waiting = self.limits.complaint(keys(channel, user_id, chat_id), address)
            if waiting > 0:
                log.info("complaint refused: over the limits (%s, %.0f s to wait)", channel, waiting)
                at = when(self.complaints.now(), waiting)
                return Limited(texts.COMPLAINT_LIMITED.format(at=at, **self.contacts))
            # A form begun before tip-offs had topics of their own (a 举报 under 依申请公开) is filed
            # under 其他 rather than refused: the citizen was told it would be sent.
            topic = form.topic if form.topic in KIND_TOPICS.get(form.kind, ()) else "other"
            draft = Draft(form.text, topic=topic, kind=form.kind, name=form.name, phone=form.phone)
            filed = await self.complaints.afile(
                draft, channel=channel, chat_id=chat_id, user_id=user_id, dedupe_key=dedupe_key
            )
            return self._done(filed)

        filing = self._filing.get(dedupe_key)
        if filing is None:
            logs.begin()  # the notices owed for it, and their delivery, are logged under it
            filing = asyncio.ensure_future(file())
            self._filing[dedupe_key] = filing
            filing.add_done_callback(lambda _: self._filing.pop(dedupe_key, None))
        return await asyncio.shield(filing)  # a client that hangs up does not stop the filing

    def _done(self, filed: Complaint) -> Done:
        return Done(filed, self.complaints.due_said(filed))

    # --- status and rating ------------------------------------------------------------------------

    def status(self, typed: str, *, channel: str, chat_id: str | int, address: str | None = None) -> Status:
        """The status of the complaint or application whose number was ``typed``, as the one asking
        may see it; ``limited`` when the citizen (or the ``address``) has looked up too many."""
        if typed.strip():
            refused = self.refuse_lookup(channel=channel, chat_id=chat_id, address=address)
            if refused is not None:
                return Status("limited", typed.strip()[:40], refused)
        return look_up(self.complaints, typed, channel=channel, chat_id=chat_id, applications=self.applications)

    def refuse_lookup(self, *, channel: str, chat_id: str | int, address: str | None = None) -> str | None:
        """Count a look-up of a tracking number: None if it may go ahead, else what to say."""
        waiting = self.limits.status(keys(channel, chat_id), address)
        if waiting <= 0:
            return None
        log.info("status look-up refused: over the limits (%s)", channel)
        return texts.STATUS_LIMITED.format(at=when(self.complaints.now(), waiting), **self.contacts)

    def find(self, typed: str) -> Complaint | None:
        """The complaint whose number was typed (exactly, check digit and all), or None."""
        found = self.complaints.lookup(typed) if typed.strip() else None
        return found.complaint if found else None

    async def rate(self, number: str, rating: str, *, channel: str, chat_id: str | int) -> tuple[bool, str]:
        """Rate a closed complaint: whether it was rated, and what to tell the citizen."""
        if rating not in RATINGS:
            return False, texts.RATE_CHOOSE
        try:  # a number is at most 40 characters, as every look-up reads it (it is said back)
            await self.complaints.arate(trimmed(number)[:40], rating, channel=channel, chat_id=chat_id)
        except ComplaintError as e:
            return False, str(e)
        said = texts.RATED.format(rating=RATINGS[rating])
        if rating == "unsatisfied":  # what can be done about it, not only thanks
            said += texts.RATED_UNSATISFIED.format(**self.contacts)
        return True, said
