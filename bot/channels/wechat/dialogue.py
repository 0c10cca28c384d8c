"""The conversation with a citizen on WeChat: what each message or event is answered with.

WeChat has no buttons under a message: where Telegram shows buttons, the citizen is shown a
numbered list and replies with the number. What the bot is waiting for from each citizen (a
numbered choice, a step of the complaint form, a rating) is kept per OpenID in ``Sessions``.

The steps and their rules are the conversation layer's (``services.conversation``); this module
keeps each citizen's place in them and words the prompts as numbered lists.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from ... import texts
from ...limits import LRU, RateLimit
from ...reading import choice_number
from ...services.answering import Reply
from ...services.applying import (
    CORRECT,
    ApplicationDialogue,
    ApplicationForm,
    Applied,
    Ask,
    Complaint,
    Confirmed,
    Dropped,
    correct,
)
from ...services.applying import START as APPLY
from ...services.complaints import RATINGS
from ...services.conversation import Cancelled, Conversation, Done, Form, fold, pick
from ...services.outbox import Notice
from ..typed import CANCEL, START, form_step, numbered, render, render_ask, status_typed
from . import menu
from .protocol import Incoming

log = logging.getLogger(__name__)
CHANNEL = "wechat"

PROMPT_TTL = 30 * 60.0  # a numbered list can be answered for half an hour
FORM_TTL = 2 * 3600.0  # a complaint form left alone this long is dropped
RATING_TTL = 7 * 86400.0  # a closed complaint can be rated for a week after it is delivered
MAX_SESSIONS = 20_000

HELP = frozenset({"帮助", "help", "/help", "?", "？", "菜单"})
UNSUPPORTED = frozenset({"image", "voice", "video", "shortvideo", "location", "link", "file"})


# --- what the bot is waiting for ------------------------------------------------------------------


@dataclass
class Listed:
    """A numbered list the citizen was shown, to answer with a number.

    :param kind: "entries" (guide entry ids), "sections" (section names), "asks" (the questions
      an answer points to: a number asks it) or "offer" (the complaint kind offered, and the
      message it was offered under, which becomes the form's text: 1 files one, 0 declines)
    :param told: under a list of entries, the complaint kind offered with it and the message
      (the kind's word, 投诉, files that message)
    :param english: entries offered in English: the one picked is answered in English
    """

    kind: str
    values: tuple[str, ...]
    at: float
    told: tuple[str, str] | None = None
    english: bool = False


@dataclass
class Session:
    """What the bot is waiting for from one citizen."""

    form: Form | None = None
    form_at: float = 0.0
    prompt: Listed | None = None
    rating: str | None = None  # the closed complaint the citizen was asked to rate
    rating_at: float = 0.0
    application: ApplicationForm | None = None  # an application for information being written
    application_at: float = 0.0


class Sessions:
    """Every citizen's ``Session``, in memory: at most ``size`` (the least recently seen go
    first), each part forgotten when it is older than its TTL. Lost on a restart, like the
    Telegram channel's form state.

    :param clock: monotonic seconds (a test passes a fake)
    """

    def __init__(self, size: int = MAX_SESSIONS, clock: Callable[[], float] = time.monotonic) -> None:
        self._sessions: LRU[str, Session] = LRU(size)
        self.clock = clock

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, openid: str) -> Session:
        """The session of ``openid``, with what has expired dropped."""
        session = self._sessions.setdefault(openid, Session())
        now = self.clock()
        if session.form is not None and now - session.form_at > FORM_TTL:
            session.form = None
        if session.prompt is not None and now - session.prompt.at > PROMPT_TTL:
            session.prompt = None
        if session.rating is not None and now - session.rating_at > RATING_TTL:
            session.rating = None
        if session.application is not None and now - session.application_at > FORM_TTL:
            session.application = None
        return session

    def ask_rating(self, openid: str, number: str) -> None:
        """The citizen has just been asked to rate complaint ``number``."""
        session = self.get(openid)
        session.rating, session.rating_at = number, self.clock()


class Turns:
    """One message at a time per citizen: a form's next step must see the state its last one set."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def __call__(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks[key] if key in self._locks else (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]  # no one waits: the dict holds only citizens being served
            else:
                self._locks[key] = (lock, users - 1)


# --- rendering ------------------------------------------------------------------------------------


def rating_prompt() -> str:
    return texts.WX_RATE.format(choices="，".join(f"{n} {label}" for n, label in enumerate(RATINGS.values(), 1)))


def citizen_message(notice: Notice) -> str:
    """What the citizen is told of a staff reply or a closing (a closing asks for a rating)."""
    return notice.text + ("\n" + rating_prompt() if notice.kind == "closed" else "")


# --- the conversation -----------------------------------------------------------------------------


class Dialogue:
    """Turns each message or event from a citizen into the text to answer with (None: nothing).

    :param conversation: the dialogues' steps and rules, on the core services
    :param sessions: what the bot waits for from each citizen (shared with the outbox sender,
      which asks for ratings)
    :param limit: a citizen's questions answered a minute (``wechat_rate_limit``)
    :param sending: whether an outbox sender runs (without one nothing can be sent but the HTTP reply)
    """

    def __init__(self, conversation: Conversation, sessions: Sessions, limit: RateLimit, sending: bool = False) -> None:
        self.conversation = conversation
        self.sessions = sessions
        self.limit = limit
        self._turns = Turns()
        self._sending = sending
        self.applying = (
            ApplicationDialogue(conversation.applications, conversation.answerer)
            if conversation.applications is not None
            else None
        )

    @property
    def contacts(self) -> dict[str, str]:
        return self.conversation.contacts

    async def handle(self, message: Incoming) -> str | None:
        """The reply to ``message``, after whatever it does (a question recorded, a complaint filed)."""
        async with self._turns(message.openid):
            # A citizen who writes can be written to for 48 hours: what could not reach them
            # before (a staff reply days later) is owed again.
            if self._sending:
                await self.conversation.complaints.outbox.requeue(CHANNEL, message.openid)
            # A voice message WeChat heard (the account's 语音识别 on) is answered as its text: many
            # who cannot type (the old, the busy) speak.
            if message.msg_type == "text" or (message.msg_type == "voice" and message.content.strip()):
                return await self._text(message)
            if message.msg_type == "event":
                return await self._event(message)
            session = self.sessions.get(message.openid)
            if session.form is not None:
                return render(self.conversation.hint(session.form))
            log.info("wechat %s: %s not supported", message.ref, message.msg_type)
            return texts.WX_NON_TEXT

    # --- events -----------------------------------------------------------------------------------

    async def _event(self, message: Incoming) -> str | None:
        if message.event == "subscribe":
            log.info("wechat %s: welcome", message.ref)
            return (texts.WELCOME + "\n" + texts.PRIVACY).format(**self.contacts) + "\n" + texts.WX_MENU_HINT
        if message.event == "click":
            return self._click(message)
        # unsubscribe, VIEW (a menu link), SCAN, LOCATION, template results: nothing to say.
        return None

    def _click(self, message: Incoming) -> str:
        key = message.event_key
        session = self.sessions.get(message.openid)
        log.info("wechat %s: menu %s", message.ref, key if not key.startswith(menu.SECTION) else "section")
        if key == menu.STATUS:
            return texts.WX_STATUS_USAGE
        if key == menu.CONTACT:
            return texts.CONTACT.format(**self.contacts)
        if session.form is not None:  # the form takes numbers: a numbered list now would confuse them
            hint = render(self.conversation.hint(session.form))
            return texts.WX_FORM_BUSY.format(kind=session.form.kind) + "\n" + hint
        if key in (menu.COMPLAINT, menu.TIPOFF):
            return self._start_form(session, "举报" if key == menu.TIPOFF else "投诉")
        section = menu.section_of(self.conversation.sections(), key)
        if section is not None:
            return self._section(session, section)
        return self._sections(session)  # 全部栏目, or a section the guide no longer has

    def _sections(self, session: Session) -> str:
        names = self.conversation.sections()
        session.prompt = Listed("sections", tuple(names), self.sessions.clock())
        return "\n".join([texts.WX_GUIDE_SECTIONS, *numbered(names)])

    def _section(self, session: Session, section: str) -> str:
        entries = self.conversation.section(section)
        session.prompt = Listed("entries", tuple(i for i, _ in entries), self.sessions.clock())
        return "\n".join([texts.WX_GUIDE_SECTION.format(section=section), *numbered([q for _, q in entries])])

    # --- text -------------------------------------------------------------------------------------

    async def _text(self, message: Incoming) -> str:
        text = message.content.strip()
        word = fold(text).lower()
        session = self.sessions.get(message.openid)
        if word in CANCEL:
            busy = session.form is not None or (session.prompt is not None and session.prompt.kind == "offer")
            busy = busy or session.application is not None
            session.form = session.prompt = session.application = None
            return render(Cancelled(busy))
        if session.form is not None:
            return await self._form(message, session, text)
        if session.application is not None:
            return await self._apply(message, session, text)
        if self.applying is not None and word in APPLY:
            session.application, ask = self.applying.start()
            session.application_at, session.prompt = self.sessions.clock(), None
            return render_ask(ask)
        if self.applying is not None and CORRECT.match(text):
            return await correct(self.applying.applications, text, channel=CHANNEL, chat_id=message.openid)
        number = choice_number(word)
        if number is not None or (word in RATINGS.values() and session.rating is not None):
            return await self._number(message, session, word if number is None else str(number))
        if session.prompt is not None and session.prompt.kind == "offer":
            session.prompt = None  # the offer was a yes or no to the message before: this is neither
        if word in START:
            told = session.prompt.told if session.prompt is not None else None
            return self._start_form(session, START[word], told[1] if told and told[0] == START[word] else "")
        if word in HELP:
            return texts.WX_HELP
        if self.conversation.asks_to_forget(word):
            log.info("wechat %s: forget", message.ref)
            return await self.conversation.forget(channel=CHANNEL, user_id=message.openid)
        typed = status_typed(text)
        if typed is not None:
            return self._status(message, typed)
        return await self._question(message, session, text)

    async def _question(self, message: Incoming, session: Session, text: str) -> str:
        # Questions are what costs (each one new is embedded): a citizen's are limited a minute, the
        # steps of a form and the menus are not.
        if not self.limit.allow(message.openid):
            log.info("wechat %s: over the limit, not answered", message.ref)
            return texts.WX_THROTTLED  # (not recorded: nothing was asked of the bot)
        reply = await self.conversation.ask(text, channel=CHANNEL, user_id=message.openid)
        log.info("wechat %s: %s %s", message.ref, reply.outcome, reply.entry_id or "-")
        return self._render(session, reply)

    def _render(self, session: Session, reply: Reply) -> str:
        now = self.sessions.clock()
        offer = self.conversation.offer(reply)
        if reply.outcome == "clarify":
            # The core's clarify text is already the numbered list (CLARIFY + CLARIFY_CHOICE).
            ids = tuple(c.id for c in reply.choices)
            if offer is None:
                session.prompt = Listed("entries", ids, now, english=reply.english)
                return reply.text
            kind = offer.options[0][0]
            session.prompt = Listed("entries", ids, now, told=(kind, reply.q), english=reply.english)
            word = texts.WX_OFFER_WORD_EN if reply.english else texts.WX_OFFER_WORD
            return reply.text + "\n\n" + offer.text + "\n" + word.format(kind=kind)
        if offer is not None:
            # WeChat's yes and no are 1 and 0 (the form's confirm step says the same).
            kind = offer.options[0][0]
            session.prompt = Listed("offer", (kind, reply.q), now)
            said = texts.WX_OFFER_EN if reply.english else texts.WX_OFFER
            return reply.text + "\n\n" + offer.text + "\n" + said.format(kind=kind)
        return self._with_asks(session, self._answer_text(reply), reply.asks)

    def _answer_text(self, reply: Reply) -> str:
        """An answer's text; one on how to apply says how to apply here."""
        if self.applying is not None and self.conversation.invites_to_apply(reply):
            return reply.text + "\n\n" + texts.WX_APPLY_HERE
        return reply.text

    def _with_asks(self, session: Session, text: str, asks: list[str]) -> str:
        """An answer and, when it points to other questions (可问“…”), those as a numbered list:
        a passive reply cannot hold a link, and a bare number is quicker to send than the words."""
        if not asks:
            session.prompt = None  # an answer with no list: a number sent next picks nothing older
            return text
        session.prompt = Listed("asks", tuple(asks), self.sessions.clock())
        return "\n".join([text, "", texts.WX_ASKS, *numbered(asks)])

    async def _number(self, message: Incoming, session: Session, word: str) -> str:
        """A number (or a rating's name) answering the latest numbered question the bot asked."""
        prompt = session.prompt
        rating_first = session.rating is not None and (prompt is None or session.rating_at >= prompt.at)
        if rating_first or word in RATINGS.values():
            rating = pick(Conversation.ratings, word)
            if rating is not None:
                return await self._rate(message, session, rating)
            if prompt is None:
                return rating_prompt()
        if prompt is None:
            return texts.CHOICE_GONE
        n = int(word)
        if prompt.kind == "offer":
            if n not in (0, 1):
                return texts.WX_OFFER.format(kind=prompt.values[0])
            session.prompt = None
            return self._start_form(session, *prompt.values) if n == 1 else texts.WX_DECLINED
        value = pick([(v, v) for v in prompt.values], word)
        if value is None:
            return texts.CHAT_CHOICE_GONE
        # The list stays open: a citizen browsing a section may read several of its answers.
        prompt.at = self.sessions.clock()
        if prompt.kind == "sections":
            return self._section(session, value)
        if prompt.kind == "asks":  # a question an answer pointed to, asked by its number
            session.prompt = None
            return value + "\n" + await self._question(message, session, value)
        picked = self.conversation.entry(value, english=prompt.english, channel=CHANNEL, user_id=message.openid)
        if picked is None:  # the guide changed since the list was shown
            return texts.CHOICE_GONE
        log.info("wechat %s: picked %s", message.ref, value)
        # Its pointers (可问“…”) stay words here: numbering them would close the list being browsed.
        return picked.question + "\n" + self._answer_text(picked.reply)

    async def _rate(self, message: Incoming, session: Session, rating: str) -> str:
        number = session.rating or ""
        session.rating = None
        return (await self.conversation.rate(number, rating, channel=CHANNEL, chat_id=message.openid))[1]

    # --- status -----------------------------------------------------------------------------------

    def _status(self, message: Incoming, typed: str) -> str:
        status = self.conversation.status(typed, channel=CHANNEL, chat_id=message.openid)
        if status.outcome == "usage":
            return texts.WX_STATUS_USAGE
        log.info("wechat %s: status look-up", message.ref)
        if status.ask_rating and status.complaint is not None:
            # A rating request missed (a restart, a week gone by) is asked again here.
            self.sessions.ask_rating(message.openid, status.complaint.number)
            return status.text + "\n" + rating_prompt()
        return status.text

    # --- the complaint form -----------------------------------------------------------------------

    def _start_form(self, session: Session, kind: str, told: str = "") -> str:
        """A new complaint form; ``told``, the message it was offered under, is its text."""
        session.form, prompt = self.conversation.told(kind, told)
        session.form_at = self.sessions.clock()
        session.prompt = None
        return render(prompt)

    async def _apply(self, message: Incoming, session: Session, text: str) -> str:
        """A message in the application dialogue; a complaint chosen instead opens the complaint
        form with the description as its text (第39条)."""
        applying, form = self.applying, session.application
        assert applying is not None and form is not None
        session.application_at = self.sessions.clock()
        said = await applying.step(form, text)
        if isinstance(said, Confirmed):
            # The same confirming message delivered again (WeChat retries) files nothing new.
            key = f"{CHANNEL}:{message.openid}:application:{message.msg_id or message.create_time}"
            said = await applying.submit(
                form, channel=CHANNEL, chat_id=message.openid, user_id=message.openid, dedupe_key=key
            )
        if isinstance(said, Ask):
            return render_ask(said)
        session.application = None
        if isinstance(said, Complaint):
            session.form, prompt = self.conversation.told(said.kind, form.fields.get("description", ""))
            session.form_at = self.sessions.clock()
            return render(prompt)
        if isinstance(said, Applied):  # told as WeChat's citizens look it up: 查询 编号, not /status
            filed = said.application
            log.info("wechat %s: applied %s", message.ref, filed.number)
            return texts.WX_APPLIED.format(number=filed.number, due=said.due)
        return said.text if isinstance(said, Dropped) else ""

    async def _form(self, message: Incoming, session: Session, text: str) -> str:
        form = session.form
        assert form is not None
        session.form_at = self.sessions.clock()
        prompt = form_step(self.conversation, form, text)
        if prompt is not None:
            if isinstance(prompt, Cancelled):
                session.form = None
            return render(prompt)
        # The same confirming message delivered again (WeChat retries) files nothing new.
        key = f"{CHANNEL}:{message.openid}:{message.msg_id or message.create_time}"
        done = await self.conversation.submit(
            form, channel=CHANNEL, chat_id=message.openid, user_id=message.openid, dedupe_key=key
        )
        session.form = None
        if isinstance(done, Done):
            log.info("wechat %s: filed %s", message.ref, done.complaint.number)
        return render(done)
