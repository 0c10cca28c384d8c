"""Answering a citizen's question: the outcome, the reply text, and the record in the enquiry log."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import time
import zoneinfo
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from itertools import zip_longest
from typing import Any

from .. import texts
from ..config import MAX_EMBEDDING_ENGINES, Settings
from ..english import chinese_terms
from ..knowledge import GuideEntry, Knowledge, fill
from ..limits import LRU
from ..matching import (
    COMPLAINT,
    ELSEWHERE_KIND,
    OUT_OF_SCOPE,
    Intent,
    Matcher,
    Query,
    Scored,
    about_a_licence,
    names_a_document,
)
from ..reading import (
    ANOTHER_QUESTION,
    NUMBERED,
    article_asked,
    asked_of_now,
    asked_of_years,
    asks_for_figures,
    asks_of_a_reply,
    asks_of_another_year,
    asks_of_it,
    asks_of_now,
    asks_on_its_own,
    asks_time_limit,
    asks_what_about,
    asks_when_reported,
    asks_whom_to_tell,
    asks_yes_or_no,
    at_a_workplace,
    choice_number,
    clauses,
    gibberish,
    in_latin_letters,
    is_english,
    of_another_place,
    read_day,
    read_years,
    search_typed,
    starts_a_period,
    supposes,
    wordless,
    years_said,
)
from ..semantic import NotEmbedded, from_memory
from ..storage import Enquiry, Store
from ..textnorm import THEN_OPENS, blank, readable
from .calendar import WorkCalendar
from .catalogue import MAX_QUERY_CHARS, CatalogueSearch, as_hit
from .complaints.types import MAX_TEXT as MAX_COMPLAINT_CHARS

MAX_QUESTION_CHARS = 500
# A question this short (normalised) may be read with the lexicon's implied subject (要带啥材料).
IMPLIED_MAX_CHARS = 14
IMPLIED_MAX_WORDS = 8  # ... and as many words of an English one
# The Chinese an English question's terms must come to for it to be looked up in the catalogue in
# them: 许可证 (licence) alone names no document, 应急预案 (emergency plan) does.
ENGLISH_TERMS_MIN_CHARS = 4
# The entries about when a reply is due: asked with the day an application was received, their
# answer also says which day that is (《条例》第33条: 20 working days, extended by at most 20).
RECKONED = frozenset({"deadline", "working-days", "extension", "overdue"})
REPLY_WORKING_DAYS = 20
# The first year whose annual report was due by 31 January (《条例》2019年修订 第49条); the reports of
# the years before were due by 31 March (2007年《条例》第31条).
NEW_REPORT_RULES = 2019
RECENT_REPLIES = 4096
FALLBACK_SEARCH_BUDGET = 5_000
# A document asked for that the catalogue has nothing like at the chat's bar: the items down to this
# score are shown as maybe what is meant (0.3: a title that shares the subject's words).
NEAR_DOCUMENT_MIN_SCORE = 0.3
# A document named by its year (2010年的安全生产工作要点) is of other years when, the year aside, the
# catalogue names it this much better than anything the year matches (the 2010年元旦 notice).
OTHER_YEARS_MARGIN = 0.2
# Readings a question's answer may need embedded beyond those known beforehand (Matcher.needs_meaning),
# each on the embedding threads in a round of its own; past them (never seen), the rest is embedded
# while answering.
MAX_EMBEDDING_ROUNDS = 4
# The threads that embed questions for every channel, as many at once as the embedder has engines
# (a thread beyond them waits for one to be free).
_EMBEDDING_THREADS = ThreadPoolExecutor(max_workers=MAX_EMBEDDING_ENGINES, thread_name_prefix="gongkai-embed")
# A message that names a complaint's topic and asks something is answered when its best entry
# reaches this share of the answering confidence ("不满意，可以向哪投诉"); one in a complainant's
# own words (不给公开) when the guide answers it outright ("哪些信息不给公开").
ASKING_SHARE = 0.5
# A message the bot cannot place is offered the complaint form (not taken for a complaint) from
# this share of the complaint model's threshold: a complaint told as a bare fact (网站上挂的电话是
# 空号) often reads as one only somewhat, and the offer costs a question nothing.
OFFER_SHARE = 0.3
# A message this short (normalised) that asks nothing is a bare word typed (期限, 复议).
KEYWORD_MAX_CHARS = 4
# A message this short that asks nothing, reports nothing (非法储存) and names what the catalogue
# has is a look-up (零九年春节烟花爆竹安全管理), although its words are a hazard's or a complaint's topic.
LOOKUP_MAX_CHARS = 16
# A question quoted back to the citizen (您问的“…”) is cut after this many characters.
QUOTED_MAX_CHARS = 40
# An entry offered when the citizen said the answer missed is at least this likely (by the entry
# model alone). Of the labelled sets' 43 questions of one part answered wrongly, the right entry is
# among those offered for 23 (24 offering the next three whatever their likelihood); of all 1,778
# answers, 417 have nothing so likely to offer and are only asked to be put in other words.
NOT_IT_MIN_SCORE = 0.001
# A message whose preamble or story is set aside (see Answers._focused) reads as another office's business
# below this share: 0.01–0.03 for 老板天天让加班，申请公开的信息收费不, 0.07 and more for 快递丢件了，
# 投诉电话多少 and the like on the tuning sets.
FOCUS_ELSEWHERE = 0.05
# A complaint is answered besides at most this many questions it also asks (three parts in all).
MAX_BESIDES = 2
# The lexical score at which an entry's words name a thing listed (指南 in 指南和目录多久更新一次).
NAMES_THE_FIRST = 0.5
HIT_FIELDS = ("title", "index_no", "date", "category")
# What a part of a message may be told on its own: an answer, or the documents looked up.
ACCEPTED = ("answer", "catalogue")
# An answer about one of the catalogue's categories lists this many of its newest documents.
CATEGORY_DOCUMENTS = 5
# Applying for information, said in a question's own words (申请信息公开要多久, 申请政府信息要几天):
# the subject every question here has, which says nothing of what is asked.
SUBJECT_SAID = re.compile(r"(?:依申请|申请)(?:政府)?信息(?:公开)?|(?:政府)?信息公开(?:的)?申请|申请公开(?:政府)?信息")
SUBJECT_SAID_EN = re.compile(r"\b(?:information|disclos\w*)\b", re.IGNORECASE)
# A year's (or a month's, or a quarter's) documents asked for, that aside (2008年有什么文件 -> 有什么文件;
# 2009年12月的文件; 今年第三季度发了哪些文件).
_YEAR_MONTH = re.compile(r"(\d{4})年度?(?:(\d{1,2})月份?|的?第?([1-4一二三四])季度)?")
_QUARTERS = "一二三四"
_YEAR_DOCUMENTS = re.compile(
    r"(?:我想看看?|我要看|想看看?|我想要|有没有)?(?:你们|本局|贵局|安监局)?(?:单位|局里)?(?:都|一共|总共)?(?:"
    r"(?:有|发了?|发布了?|出了|公开了?|印发了?)?(?:什么|哪些|啥)?(?:公开)?文件(?:目录|清单|列表)?"
    r"(?:有哪些|有什么|有啥|都有啥|吗|呢)?"
    # 今年公开了啥, 去年都发布了哪些信息: what was published then, asked in other words
    r"|(?:发了?|发布了?|出了|公开了?|印发了?)(?:什么|哪些|啥)(?:信息|东西|内容)?(?:呢|啊)?)"
)
# A part's own number as the citizen typed it, which the reply numbers anew, and the 请问 before it
# (请问：一、申请要交钱不).
_ENUMERATED = re.compile(rf"^(?:请问[:：,，]?\s*)?{NUMBERED}\s*")
# An answer's opening yes or no (可以。, 一般不能。, 可以，但有限制。, Yes.), said to a question that
# asked one.
_VERDICT = re.compile(
    r"^(?:一般|原则上)?(?:可以|不可以|能|不能|有|没有|会|不会|要|不要|需要|不需要|是的|不是)(?:，[^，。]{1,6})?。"
    r"|^(?:Yes|No)(?:, [^,.]{1,20})?\.\s*"
)
# A guide answer's pointer to another question: 可问“什么是信息处理费”, 可以问我“…”, 直接问我“…”,
# 请问“联系方式”. Only wordings to ask: a "见“延期”" names a part of the guide rather than a question
# (and "监督和救济", asked as one, reads as a complaint).
POINTER = re.compile(r"(?:(?:可以?|请|直接|不妨)问我?|ask me )“([^“”\n]{2,40})”")


def pointers(text: str) -> list[str]:
    """The questions a reply's ``text`` points the citizen to ask next, in order, each once."""
    return list(dict.fromkeys(m.group(1).strip() for m in POINTER.finditer(text)))


def pieces(text: str, asks: list[str]) -> list[tuple[str, str | None]]:
    """``text`` cut at its pointers to the questions ``asks``: (text, None) for plain text and
    (“wording”, question) for a pointer's wording in its quotes (the quotes go with the button a
    channel makes of it, not onto lines of their own). The pieces joined give ``text`` back."""
    out: list[tuple[str, str | None]] = []
    at = 0
    for match in POINTER.finditer(text):
        question = match.group(1).strip()
        if question not in asks:
            continue
        start, end = match.start(1) - 1, match.end(1) + 1  # with its quotes
        out += [(text[at:start], None), (text[start:end], question)]
        at = end
    out.append((text[at:], None))
    return [(piece, ask) for piece, ask in out if piece]


@dataclass(frozen=True)
class Part:
    """One question of a message that asked several, and how it was answered."""

    q: str
    outcome: str
    entry_id: str | None
    score: float
    documents: tuple[str, ...] = ()  # a look-up's: the index numbers of the documents found


@dataclass(frozen=True)
class Choice:
    """A guide entry offered to the citizen to pick."""

    id: str
    title: str
    score: float


@dataclass
class Reply:
    """What the bot says to a question, channel-agnostic. ``text`` is plain text.

    ``entry_id`` and ``score`` are the best guide entry's even when it was not answered outright
    (staff see how close the bot came); ``tipoff`` marks a complaint that reports a hazard;
    ``may_complain`` a reply that is no complaint but has the complaint form offered under it, as
    a complaint has: the bot is not sure of a message that reads somewhat like one, the message
    is too long for a question (most likely a story to report), or a plain question it answers
    reads like one too.
    """

    q: str
    outcome: str
    text: str
    entry_id: str | None = None
    score: float = 0.0
    choices: list[Choice] = field(default_factory=list)
    ms: float = 0.0
    tipoff: bool = False
    may_complain: bool = False
    hits: list[dict[str, Any]] = field(default_factory=list)
    heading: str = ""  # the line above the documents (hits): found, none of the year asked, or published
    parts: list[Part] = field(default_factory=list)  # a message with several questions
    english: bool = False  # asked in English: a choice picked from it is answered in English
    asks: list[str] = field(default_factory=list)  # questions the answer points to (``pointers``)
    apply_here: bool = False  # answered with an entry on how to apply (its ``apply_here``)
    implied: bool = False  # answered as a question about the implied subject (申请信息公开), unsaid
    missed: str = ""  # a list offered instead of the answer to this question, which the citizen said missed
    missed_entries: list[str] = field(default_factory=list)  # ... what was answered or offered it then
    chosen: bool = False  # an entry the citizen chose (from a list, a menu), no question of theirs answered
    about: str = ""  # what a short question after it asks of, if not the implied subject (举报 after a tip-off)
    read: str = field(default="", repr=False)  # the question as answered, where not in its own words alone
    normalized: str = field(default="", repr=False)  # what the enquiry log records

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["normalized"], data["read"]
        data["ms"] = round(self.ms, 3)
        return data


class Answerer:
    """Answers citizens' questions from the knowledge in force, which a reload replaces while it
    serves: each question is answered wholly from one version, the old or the new.

    :param matcher: the indexed knowledge
    :param settings: thresholds and the office's contacts
    """

    def __init__(self, matcher: Matcher, settings: Settings) -> None:
        self.settings = settings
        self.contacts = settings.contacts()
        self.current = Answers(matcher, settings, self.contacts)

    @property
    def matcher(self) -> Matcher:
        return self.current.matcher

    @property
    def catalogue(self) -> CatalogueSearch:
        return self.current.catalogue

    def swap(self, matcher: Matcher) -> None:
        """Answer from ``matcher`` (a reloaded knowledge, fully built) from the next question on."""
        self.current = Answers(matcher, self.settings, self.contacts)

    def answer(self, text: str, before: Reply | None = None) -> Reply:
        """The reply to ``text``, without recording it; ``before``: the reply the citizen had just
        before in the same chat, whose subject a short question after it may ask of (see
        :meth:`Answers.answer`)."""
        return self.current.answer(readable(text), before)

    async def aanswer(self, text: str, before: Reply | None = None) -> Reply:
        """``answer`` for the event loop: what a question not answered recently needs embedded
        (not what its words settle) is embedded on an embedding thread first (milliseconds of C
        code that releases the GIL), then the question is answered here."""
        text = readable(text)
        answers = self.current
        embedder = answers.matcher.embedder
        if embedder is None or len(text) > MAX_QUESTION_CHARS or answers.remembers(text, before):
            return self.answer(text, before)
        pending = answers.matcher.needs_meaning(text)
        for _ in range(MAX_EMBEDDING_ROUNDS):
            if pending:
                await asyncio.get_running_loop().run_in_executor(_EMBEDDING_THREADS, embedder.remember, pending)
            # By the knowledge in force now (a reload meanwhile: the new one, whose embedder is the
            # same); a reading the answer turns out to need (要带啥材料 read as 申请信息公开要带啥材料,
            # when the question alone is unsure) is embedded on a thread too, and the question
            # answered again.
            with from_memory():
                try:
                    return self.answer(text, before)
                except NotEmbedded as missing:
                    pending = [missing.text]
        return self.answer(text, before)

    def forget(self) -> None:
        """Drop the remembered replies (after changing the thresholds)."""
        self.current = Answers(self.matcher, self.settings, self.contacts)

    def answer_entry(self, entry_id: str, q: str = "", *, english: bool = False) -> Reply | None:
        """The reply for a chosen guide entry (a clarify choice, a menu button), or None; in
        English for a choice offered in English."""
        return self.current.answer_entry(entry_id, q, english=english)

    def instead(self, missed: Reply) -> Reply | None:
        """See :meth:`Answers.instead`: what else the question ``missed`` answered may be."""
        return self.current.instead(missed)

    def asks_when_answered(self, reply: Reply) -> bool:
        """See :meth:`Answers.asks_when_answered`."""
        return self.current.asks_when_answered(reply)

    def own_case(self, reply: Reply, *, applications: bool = False) -> Reply | None:
        """See :meth:`Answers.own_case`."""
        return self.current.own_case(reply, applications=applications)

    def ask(self, store: Store, text: str, *, channel: str, user_id: str | int | None) -> Reply:
        """Answer ``text`` and record it in the enquiry log (synchronous callers: CLI, tests)."""
        reply = self.answer(text)
        store.record_enquiry(_enquiry(store, reply, channel, user_id))
        return reply

    async def aask(self, store: Store, text: str, *, channel: str, user_id: str | int | None) -> Reply:
        """Answer ``text`` and record it without blocking the event loop."""
        reply = await self.aanswer(text)
        await self.arecord(store, reply, channel=channel, user_id=user_id)
        return reply

    async def arecord(self, store: Store, reply: Reply, *, channel: str, user_id: str | int | None) -> None:
        """Record an answered question in the enquiry log (a channel may send the reply meanwhile).

        Waits for the commit at most ``record_wait_seconds``: the answer never waits longer on its
        record, nor fails with it (the store keeps what it could not write yet, or logs it as lost).
        """
        enquiry = _enquiry(store, reply, channel, user_id)
        await store.arecord_enquiry(enquiry, wait=self.settings.record_wait_seconds)


def title(entry: GuideEntry, english: bool = False) -> str:
    """An entry's question as a choice's title: in English where it has one and one is wanted."""
    return entry.question_en if english and entry.question_en else entry.question


def documents_text(hits: list[dict[str, Any]], header: str, *, numbered: bool = True) -> str:
    """The documents under ``header``, numbered, or marked with a bullet where the numbers are the
    choices' above them (a reply of 1 picks the first choice, not a document)."""
    lines = [header]
    for number, hit in enumerate(hits, 1):
        link = f"\n   {hit['link']}" if hit.get("link") else ""
        fields = {k: hit[k] for k in HIT_FIELDS}
        lines.append(texts.SEARCH_HIT.format(mark=f"{number}." if numbered else "•", link=link, **fields))
    return "\n".join(lines)


def documents_footer(reply: Reply) -> str:
    """What to do if the documents ``reply`` lists are not it (a look-up's, in its language), or,
    under documents only near what was asked for, that the catalogue has none such."""
    if reply.outcome == "fallback":
        return texts.FALLBACK_DOCUMENT_NEAR
    return texts.CATALOGUE_ANSWER_FOOTER_EN if reply.english else texts.CATALOGUE_ANSWER_FOOTER


def missable(reply: Reply) -> bool:
    """Whether the citizen may say ``reply`` missed and be offered what else the question may be:
    an answer to a question of one part, not an entry they chose themselves; or a list of what it
    may be (都不是), not itself offered instead of an answer said to miss."""
    if reply.parts or reply.chosen:
        return False
    return (reply.outcome == "answer" and bool(reply.entry_id)) or (
        reply.outcome == "clarify" and bool(reply.choices) and not reply.missed
    )


def says_missed(listed: bool, english: bool) -> tuple[str, str]:
    """The button under a :func:`missable` reply that says it missed, and what the citizen is shown
    saying with it: under an answer 没答到我问的？ (不是我要问的), under a list 都不是; in English
    for an English one."""
    if listed:
        return (texts.NONE_BUTTON_EN, texts.NONE_SAYS_EN) if english else (texts.NONE_BUTTON, texts.NONE_SAYS)
    return (texts.MISSED_BUTTON_EN, texts.MISSED_SAYS_EN) if english else (texts.MISSED_BUTTON, texts.MISSED_SAYS)


def quoted(question: str, most: int = QUOTED_MAX_CHARS) -> str:
    """A question as a reply quotes it back: on one line, cut at ``most`` characters."""
    said = " ".join(question.split())
    return said if len(said) <= most else said[:most] + "…"


# What of the reply before a message its reply depends on (see _context): a key of the replies kept.
Context = tuple[str, str, str, bool, bool, str]


def _context(before: Reply | None) -> Context | None:
    """What of the reply before a message its reply depends on: its question and entry (and, for
    what else it may be if said to miss, how it was read, its language, whether it was chosen). An
    answer or a complaint (a tip-off: 打哪个电话 after it asks for its line) gives a subject to ask of,
    documents found a year (那2010年呢 after 2009年有什么文件), a list only what else it may be (都不是);
    a not-sure reply nothing."""
    if before is None or before.parts:
        return None
    answered = before.outcome == "answer" and bool(before.entry_id)
    if before.outcome in ("complaint", "catalogue") or answered or missable(before):
        return before.q, before.entry_id or "", before.read, before.english, before.chosen, before.about
    return None


def _rules_then(ranked: list[Scored], knowledge: Knowledge, years: tuple[int, ...]) -> list[Scored]:
    """``ranked``, each entry on today's rules whose earlier rules were in force in one of ``years``
    in the place of the entry stating those (deadline, asked of 2015: old-deadline), once each."""
    found: dict[str, Scored] = {}
    for scored in ranked:
        then = knowledge.rules_then(scored.entry, years)
        scored = replace(scored, entry=then) if then is not None else scored
        found.setdefault(scored.entry.id, scored)
    return list(found.values())


def _offering(reply: Reply, offer: str | None) -> Reply:
    """``reply``, an unsure one, with the complaint form offered under it when ``offer`` says which
    (投诉, or 举报 for a hazard told): the message reads somewhat like a complaint."""
    reply.tipoff, reply.may_complain = offer == "举报", offer is not None
    return reply


def _joined(replies: list[Reply]) -> list[Reply]:
    """The parts of a message, a part that asks more of what the part before it was answered
    with joined to it (几点下班 周六有人没: both the office hours), so that one answer is given
    once: answered with the same entry, or unsure of it and offering it first."""
    joined = [replies[0]]
    for reply in replies[1:]:
        before = joined[-1]
        if before.outcome == "answer" and not before.parts and before.entry_id is not None:
            same = reply.outcome == "answer" and reply.entry_id == before.entry_id
            unsure_of_it = reply.outcome == "clarify" and reply.choices[0].id == before.entry_id
            if same or unsure_of_it:
                joined[-1] = replace(before, q=f"{before.q.strip()} {reply.q.strip()}")
                continue
        joined.append(reply)
    return joined


def _enquiry(store: Store, reply: Reply, channel: str, user_id: str | int | None) -> Enquiry:
    return Enquiry(
        channel=channel,
        user_ref=store.user_ref(channel, user_id),
        text=reply.normalized,
        typed=reply.q.strip()[:MAX_QUESTION_CHARS],
        missed=",".join(reply.missed_entries),
        outcome=reply.outcome,
        entry_id=reply.entry_id,
        score=reply.score,
        latency_ms=reply.ms,
    )


# 那 or 然后 opening a question asks on of the one before (被拒了能复议吗 那要多久出结果: how long
# review takes).
_LEANS_ON_BEFORE = re.compile(rf"\s*{THEN_OPENS}")


def _typed(text: str) -> int:
    """How many characters a message has, its spaces and punctuation aside."""
    return sum(ch.isalnum() for ch in text)


def _typed_words(query: Query) -> int:
    """How many characters a message has, its spaces, punctuation and the years it names aside (a
    title's year, 2009年张店区安全生产监督检查计划, makes it no longer than the title)."""
    return _typed(_without_years(query) if query.years else query.text)


def _titled(query: Query) -> bool:
    """Whether a message is short and ends as a document's title does (液化气站 隐患 整改方案)."""
    return names_a_document(query.normalized) and _typed_words(query) <= LOOKUP_MAX_CHARS


def _without_years(query: Query) -> str:
    """The question without the years it names (2010年安全生产月活动方案 -> 安全生产月活动方案)."""
    years = "|".join(str(y) for y in query.years)
    return re.sub(rf"(?:{years})\s*(?:年度|年)?", "", query.read or query.text)


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（周{texts.WEEKDAYS[day.weekday()]}）"


class Answers:
    """The outcome of each question under one version of the knowledge (``Answerer.current``).

    Replies are remembered for the most recent distinct messages: a handful of questions
    (收费吗, 多久答复) make up much of what citizens send, and the answer is a pure function of the
    text while the knowledge stays the same (a reload makes new ``Answers``).
    """

    def __init__(self, matcher: Matcher, settings: Settings, contacts: dict[str, str]) -> None:
        self.matcher = matcher
        self.settings = settings
        self.contacts = contacts
        self.catalogue = CatalogueSearch(matcher, settings)
        # Keyed by the day too: 去年 and a day without its year (10月8日) are read against today.
        # And by the answer before it, for a short question asked in the next message (see answer).
        self._recent: LRU[tuple[dt.date, str, Context | None], Reply] = LRU(RECENT_REPLIES)
        self._years = {e.year for e in matcher.knowledge.guide if e.year}
        self.calendar = WorkCalendar(matcher.knowledge.calendar)
        self.zone = zoneinfo.ZoneInfo(settings.timezone)

    def remembers(self, text: str, before: Reply | None = None) -> bool:
        return (self._today(), text, _context(before)) in self._recent

    def answer(self, text: str, before: Reply | None = None) -> Reply:
        """The reply to ``text``; ``before``, the answer the citizen had just before in the same
        chat: a short question without its subject (有时间限制没, after 能直接上法院告不) that is not
        answered on its own, or only as a question about applying (the time limit for publishing
        what is applied for), asks of that answer's subject, as a part of one message asks of the
        part before it."""
        started = time.perf_counter()
        context = _context(before)
        key = (self._today(), text, context)
        reply = self._recent.get(key)
        if reply is None:
            reply = self._decide(text) if context is None else self._after(text, self.answer(text), before)
            self._recent[key] = reply
        return replace(
            reply,
            choices=list(reply.choices),
            hits=list(reply.hits),
            parts=list(reply.parts),
            asks=list(reply.asks),
            ms=(time.perf_counter() - started) * 1000,
        )

    def answer_entry(self, entry_id: str, q: str = "", *, english: bool = False) -> Reply | None:
        entry = self.matcher.knowledge.entry(entry_id)
        if entry is None:
            return None
        reply = self._entry_reply(q or title(entry, english), entry, 1.0, english)
        reply.asks, reply.english = pointers(reply.text), english
        return self._with_documents(reply, entry, english)

    def asks_when_answered(self, reply: Reply) -> bool:
        """Whether ``reply`` answers, or offers first, how soon an application is answered (the
        lexicon's ``reply_deadline``), where an answer on following one's case could be given."""
        lexicon = self.matcher.knowledge.lexicon
        if lexicon.own_cases is None or reply.outcome not in ("answer", "clarify") or reply.parts:
            return False
        best = reply.choices[0].id if reply.outcome == "clarify" else reply.entry_id
        return best is not None and best == lexicon.reply_deadline

    def own_case(self, reply: Reply, *, applications: bool = False) -> Reply | None:
        """The answer on following one's case (the lexicon's ``own_cases`` entry: how long a
        complaint takes, where one's own are listed) where ``reply`` asks when it is answered (see
        :meth:`asks_when_answered`) of a complaint: a question that names it (投诉多久有结果), or
        one that does not say of what (多久有结果, 什么时候给我回复) asked after a complaint told or
        with one's own case still open; one that says 申请 only of one's own application
        (``applications``). Else None."""
        lexicon = self.matcher.knowledge.lexicon
        if lexicon.own_cases is None or not self.asks_when_answered(reply):
            return None
        # (offered the reply deadline, unsure, a question that names no answer nor a time asks
        # something else: will I get a reward? after a tip-off)
        if reply.outcome == "clarify" and not asks_of_a_reply(reply.q):
            return None
        if "申请" in self.matcher.normalizer.standard(reply.q) and not applications:
            return None
        english = reply.english or is_english(reply.q)
        own = self.answer_entry(lexicon.own_cases, reply.q, english=english)
        if own is None:
            return None
        takes = texts.COMPLAINT_TAKES_EN if english else texts.COMPLAINT_TAKES
        text = takes.format(**self.contacts) + "\n" + own.text
        return replace(own, text=text, score=reply.score, ms=reply.ms, normalized=reply.normalized)

    # --- internals ------------------------------------------------------------------------------

    def _decide(self, text: str) -> Reply:
        if blank(text):  # nothing typed, or nothing that shows (a zero-width space, a NUL)
            return Reply(text, "invalid", texts.EMPTY)
        if (article := article_asked(text)) is not None:  # 条例第42条: the answers that cite it
            return self._article(text, article)
        if keywords := search_typed(text):  # /search 安全生产月 where no channel reads it first (gongkai ask)
            return self._searched(text, keywords)
        if choice_number(text) is not None:  # a choice's number (2, 第二个), with no choices offered now
            return Reply(text, "invalid", texts.NO_CHOICES)
        if gibberish(text):  # AAAA, xxxxxxxx: no question to match, whatever its letters are near
            return Reply(text, "invalid", texts.NO_SENSE)
        if wordless(text):  # a phone number, 110, ？？？: no question, unless a year (2009) or a phrasing (12350)
            if not any(c.isdigit() for c in text):
                return Reply(text, "invalid", texts.NO_WORDS)
            head = self.matcher.query(text[:MAX_QUESTION_CHARS], today=self._today())
            if not (head.years or self.matcher.phrased(head)):
                return Reply(text, "invalid", texts.ONLY_DIGITS)
        if len(text) > MAX_QUESTION_CHARS:
            # Most likely a story to report (the channels offer the complaint form with it): one
            # that tells of a hazard, and asks for no document about it, is offered as a tip-off,
            # and told of 12350.
            head = self.matcher.query(text[:MAX_QUESTION_CHARS])
            intent = self.matcher.intent(head)
            hazard = intent.hazard and not intent.requests
            body = texts.TOO_LONG.format(limit=MAX_QUESTION_CHARS) + (texts.TIPOFF if hazard else "")
            if len(text) > MAX_COMPLAINT_CHARS:  # too long to be filed as it is: not offered, then refused
                reply = Reply(text, "invalid", body + "\n" + texts.TOO_LONG_TO_FILE.format(limit=MAX_COMPLAINT_CHARS))
            else:
                reply = _offering(Reply(text, "invalid", body), "举报" if hazard else "投诉")
            reply.normalized = head.normalized
            return reply
        query = self.matcher.query(text, today=self._today())
        intent = self.matcher.intent(query)
        reply = self._reply(text, query, intent)
        if query.english and reply.outcome == "fallback":
            reply = self._in_chinese_terms(text, query, reply) or reply
        if reply.outcome == "complaint":
            reply = self._besides_complaint(reply)
        elif intent.complaint_topic and not intent.others_business and (own := self.own_case(reply)) is not None:
            reply = own  # 投诉多久有结果: how long a complaint takes, not an application
        if intent.emergency:  # 有人被困在厂房里了: 119 before anything else
            reply.text = (texts.EMERGENCY_EN if query.english else texts.EMERGENCY) + "\n" + reply.text
        reply.normalized, reply.english = query.normalized, query.english
        if reply.outcome == "answer":  # the guide's pointers, parsed here once for every channel
            reply.asks = pointers(reply.text)
        return reply

    def _reply(self, text: str, query: Query, intent: Intent) -> Reply:
        if intent.thanks:  # thanks are answered 不客气; an acknowledgement (好的, ok) 好的
            said = (texts.THANKS_EN, texts.THANKS) if intent.thanked else (texts.NOTED_EN, texts.NOTED)
            english = query.english or (intent.thanked and in_latin_letters(text))  # thanks, thx (not ok)
            return Reply(text, "greeting", said[0 if english else 1].format(**self.contacts))
        if intent.not_it:
            return Reply(text, "greeting", (texts.NOT_IT_EN if query.english else texts.NOT_IT).format(**self.contacts))
        if intent.cancels:  # a channel's form or offer would have been cancelled before this
            english = query.english or (in_latin_letters(text) and not text.lstrip().startswith("/"))  # cancel
            return Reply(text, "greeting", texts.NOTHING_TO_CANCEL_EN if english else texts.NOTHING_TO_CANCEL)
        if intent.greeting:
            # hello, good morning: the welcome says, in English too, that English is understood
            latin = in_latin_letters(text) and not text.lstrip().startswith("/")
            welcome = texts.WELCOME + "\n" + texts.PRIVACY
            if latin:  # and what it says, in English
                welcome += "\n\n" + texts.WELCOME_EN + "\n" + texts.PRIVACY_EN
            return Reply(text, "greeting", welcome.format(**self.contacts))
        parts = self.matcher.questions(query)
        if parts:
            dated = self.matcher.of_years_before(parts)
            asked: list[Reply] = []
            for part, of_year in zip(parts, dated):
                asked.append(self._part(part, of_year, asked[-1] if asked else None))
            replies = _joined(asked)
            if len(replies) == 1:  # one question, asked in several sentences
                return replace(replies[0], q=text)
            # Part by part when the parts are questions for the guide (or look-ups of documents beside
            # one: 有没有安全生产月的通知？申请收费吗); a part it cannot place
            # ("养狗要办证吗 在哪办") makes the message one question again, decided as a whole.
            outcomes = {r.outcome for r in replies}
            if "answer" in outcomes and outcomes <= {"answer", "clarify", "catalogue"}:
                return self._several(text, replies, self.matcher.questions_beyond(query))
            whole = self._single(text, query, intent)
            confirmed = self._confirmed(whole, replies)
            if confirmed is not None:
                return self._several(text, confirmed, self.matcher.questions_beyond(query))
            if whole.outcome == "fallback" and self._each_its_own(replies):
                return self._several(text, replies, self.matcher.questions_beyond(query))
            if whole.outcome != "clarify" or not outcomes <= {"answer", "clarify", "fallback"}:
                return whole
            # The whole no surer than its parts: the parts answered and the others said to be
            # unsure, rather than one list for one part; or, where no part is sure, one list
            # with each part's likeliest entries, the first of every part before the second of
            # any ("要带啥材料 多久答复" offers both).
            if "answer" in outcomes:
                return self._several(text, replies, self.matcher.questions_beyond(query))
            ranked = [r.choices for r in replies]
            offered = list({c.id: c for rank in zip_longest(*ranked) for c in rank if c}.values())
            if not offered:
                return whole
            return self._clarify(text, offered[: max(self.settings.clarify_choices, len(replies))])
        whole = self._single(text, query, intent)
        return self._things_listed(text, query, whole) or whole

    def _things_listed(self, text: str, query: Query, whole: Reply) -> Reply | None:
        """A short message that lists things to ask of each (办公时间和电话, office hours + phone
        number), each answered outright with an entry of its own: answered part by part, unless the
        whole was answered with an entry none of them is (复议和诉讼: the entry on which comes
        first). None for a message of one question (身份证、户口本要带吗: both of one entry)."""
        if whole.outcome not in ("answer", "clarify", "fallback"):
            return None
        things = self.matcher.listed(query)
        if not things:
            return None
        replies = [self._single(thing.text, thing, self.matcher.intent(thing)) for thing in things]
        answered = [r.entry_id for r in replies if r.outcome == "answer"]
        if len(set(answered)) < len(replies) or (whole.outcome == "answer" and whole.entry_id not in answered):
            return None
        # What the last thing asks, the first not, may be asked of them all (指南和目录多久更新一次):
        # so it is where the whole is answered as the last thing is, with an entry whose words name
        # the first too (指南: update-frequency's do; 地址和电话多少: office-phone's do not name 地址).
        last_asks = asks_of_it(things[-1].text) and not asks_of_it(things[0].text)  # not 电话: names it
        if whole.outcome == "answer" and whole.entry_id == answered[-1] and last_asks:
            first = self.matcher.candidates(things[0])
            if any(c.id == whole.entry_id and c.features["lexical"] >= NAMES_THE_FIRST for c in first):
                return None
        return self._several(text, replies)

    def _part(self, part: Query, dated: Query | None, before: Reply | None) -> Reply:
        """One of a message's questions, ``before`` the reply to the one before it; one that names no
        year, and is not answered on its own or is answered with another year's figures, is
        answered of the year a part before it named, where that finds the year's figures (09年公开了
        多少条 有人来申请没) or that the year's are not held (2018年公开了多少条？收了多少费？)."""
        intent = self.matcher.intent(part)
        reply = self._single(part.text, part, intent, before=before)
        # 办护照要带啥证件 多久能拿到: how long a passport takes, not an application for information
        # (申请信息公开要钱吗, 你们电话多少 name the bureau's business, whatever was asked before)
        if (
            before is not None
            and self._subjectless(part, intent)
            and not intent.own_business
            and self._of_another_office(before)
        ):
            return self._fallback(part.text, part, reply.entry_id, reply.score)
        # 应急预案公开吗 在哪里看: a short question without its subject, unsure on its own, that read
        # after the question before is answered as that one was asks more of it: the same question
        # (joined to it, see _joined), not a guess at another entry's. So does one answered only with
        # the subject implied where it names none of it (去年出了几起事故 网上有没有: not applying
        # online), where the question before comes first for it read after it.
        subject = self.matcher.knowledge.lexicon.implied_subject
        guessed = bool(subject and reply.implied and subject[:2] not in (part.read or part.text))
        # One opening with 那 or 然后 (那要多久出结果) asks of it even where answered on its own, if the
        # question before makes it surer (not 那能给我一部分吗: partial disclosure either way).
        unsure = reply.outcome in ("clarify", "fallback") or guessed
        leans = bool(_LEANS_ON_BEFORE.match(part.text))
        if (
            before is not None
            and before.outcome == "answer"
            and (unsure or leans)
            and self._subjectless(part, intent, dated=True, said_before=leans)
        ):
            after = self._read_after(part.text, part.read or part.text, before)
            if (
                after.entry_id == before.entry_id
                and (after.outcome == "answer" or guessed)
                and (unsure or after.score > reply.score)
            ):
                return replace(before, q=part.text)
        if dated is None:
            return reply
        if reply.outcome == "answer":  # answered, unless with another year's figures (2018年…？收了多少费)
            answered = self.matcher.knowledge.entry(reply.entry_id or "")
            if answered is None or not answered.year or answered.year in dated.years:
                return reply
        again = self._single(part.text, dated, self.matcher.intent(dated))
        entry = self.matcher.knowledge.entry(again.entry_id or "")
        if again.outcome != "answer" or entry is None:
            return reply
        # (a year named in a story, 砖厂去年被停产整顿 整改完了没, asks for no year's figures)
        held = entry.year in dated.years
        not_held = entry.id == self.matcher.knowledge.lexicon.other_years and asks_for_figures(part.read)
        return again if held or not_held else reply

    def _single(
        self, text: str, query: Query, intent: Intent, *, implied: bool = True, before: Reply | None = None
    ) -> Reply:
        s = self.settings
        query = self.matcher.settled_by_words(query) or query
        decision = self.matcher.decision(query)
        ranked = self.matcher.rank(query, limit=s.clarify_choices + 1)
        best = ranked[0] if ranked else None
        top_id, top_score = (best.entry.id, best.score) if best else (None, 0.0)
        example = self.matcher.example(query) if not (best and best.exact) else None
        if example == COMPLAINT:  # word for word a complaint staff taught (or the lexicon's)
            return self._complaint(text, query, top_id, top_score, intent)
        if (listed := self._of_year(text, query, top_id, top_score)) is not None:
            return listed
        # A document quoted by its index number (索引号ZDAJ-00-2009-0003是什么文件): that document.
        if not (intent.complaint or intent.grievance) and (numbered := self.matcher.by_index_number(query.text)):
            hits = [as_hit(item, 1.0) for item in numbered[: s.search_limit]]
            return self._catalogue(text, query, hits, top_id, top_score)
        # A referral answers at a lower bar than the guide (see calibration.REFER_AT): likelier than
        # not another office's business, which says nothing of whether a story told is a complaint.
        guide_at = s.answer_min_confidence or decision.answer_at
        answer_at = s.answer_min_confidence or (decision.refer_at if best and best.entry.refer else guide_at)
        # Word for word an example of another office's business (申请公租房需要什么条件) is not
        # answered, unless by the pointer to that office staff taught for its like.
        if example == OUT_OF_SCOPE and not (best and best.entry.refer and best.score >= answer_at):
            return self._fallback(text, query, top_id, top_score)
        clarify_at = s.clarify_min_confidence or decision.clarify_at
        confident = best is not None and (best.exact or best.score >= answer_at)
        if not confident and implied and (reread := self._implied(text, query, intent, ranked, before)) is not None:
            return reread
        way = intent.asks and self.matcher.asks_for_a_way(query)  # 有什么办法: no 管理办法 listed
        hits = self._documents(query) if query.normalized and not way else []
        # A licence named (烟花爆竹经营许可证需要啥手续) is what its 办理指南 is about, however the
        # question around it is worded: a licence's document found tells where it is.
        licence = bool(hits) and bool(self.matcher.licences(query))

        def strong_of(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [
                h
                for h in found
                if h["score"] >= s.catalogue_with_answer_min_score or (licence and about_a_licence(h["title"]))
            ]

        strong = strong_of(hits)
        # 2010年安全生产月活动方案: the catalogue's of other years, said so
        other_documents = self._of_other_years(query, hits) if query.years else None
        of_other_years = other_documents is not None
        hits = other_documents if other_documents is not None else hits
        # A complaint or tip-off is recognised by the lexicon's rules or, in other words, by the
        # calibrated complaint model (on those signs and the meaning: "申请三个月了没音信").
        # "不满意，可以向哪投诉" asks a question the guide answers; a message that names an
        # accident to ask for what was published about it (事故统计) is no tip-off, nor a story
        # that ends asking whether something is published (…处罚结果网上能看到不); a document's
        # title typed (隐患排查治理通知) is a look-up, whatever words it has; and a question that is
        # word for word one of the guide's phrasings (啥样的信息不给公开) is what staff wrote it for
        # ("我要投诉" asks nothing: it is offered the form).
        asking_for_information = (
            (intent.requests and intent.hazard) or self.matcher.asks_if_published(query, intent)
        ) and not (intent.complaint_words or intent.grievance)
        short = _typed_words(query) <= LOOKUP_MAX_CHARS
        looked_up = names_a_document(query.normalized) or (short and not intent.tipoff)
        typed_a_title = False
        if not (intent.asks or intent.complaint_words or intent.grievance):
            # (a title typed is known by its words: a story's meaning may be near a document's; a
            # short one naming a hazard's topic by what a search for it shows, 烟花爆竹批发, though
            # one of its words is no title's)
            bar = s.search_min_score if looked_up and intent.hazard else None
            worded = (
                hits
                if of_other_years or (query.meaning is None and bar is None)
                else self._documents(replace(query, meaning=None), bar)
            )
            typed_a_title = bool(strong_of(worded) or (worded and looked_up))
        # A short message that ends as a document's title does (液化气站 隐患 整改方案) reads as a
        # look-up even when the catalogue has no such document: the rules do not file it for its
        # words; the model still files what it tells (老板不让看安全生产责任制度).
        titled = _titled(query)
        written = best is not None and best.exact and intent.asks
        offer: str | None = None  # the complaint form offered under an unsure reply: 投诉 or 举报
        spared = False  # a plain question answered although it reads like a complaint
        # A hazard told, or whom to tell of one asked (家里燃气漏气了打什么电话), is told the hotlines
        # before a not-sure reply; a question that only names one (特种作业操作证怎么办) is not.
        read = query.read or query.text
        told = intent.hazard and (intent.tells or asks_whom_to_tell(read))
        if not (asking_for_information or typed_a_title or written):
            answered = (
                intent.asks
                and best is not None
                and best.score >= guide_at * (1.0 if intent.complaint_words else ASKING_SHARE)
            )
            # A story told (a grievance, a hazard) is one of the model's signs, not a rule of its own:
            # as a rule it took 5 of the labelled sets' other messages that the model does not, for 2
            # complaints the model misses (which are still offered the form).
            by_rules = not titled and intent.complaint and not answered
            complaint = self.matcher.complaint_probability(query, intent, best)
            taken = by_rules or complaint >= decision.complaint.answer_at
            # A plain question the guide answers outright (周末能交申请不 平时上班请不了假) is answered,
            # however much the rest reads like a complaint: the form is offered under the answer.
            plain = (
                best is not None
                and (best.exact or best.score >= guide_at)
                and intent.asks
                and not (intent.complaint_words or intent.grievance or intent.tells)
            )
            spared = taken and plain
            if taken and not plain:
                if intent.others_business:  # 快递员把我包裹弄丢了: pointed to 12345, the form still offered
                    body = texts.OTHER_OFFICE.format(**self.contacts)
                    return _offering(Reply(text, "fallback", body, top_id, top_score), "投诉")
                return self._complaint(text, query, top_id, top_score, intent)
            # (a licence asked about, whose 办理指南 is found, tells nothing: 烟花爆竹经营许可证咋办)
            asks_a_licence = licence and not (intent.tells or intent.grievance)
            if complaint >= decision.complaint.answer_at * OFFER_SHARE and not asks_a_licence:
                offer = "举报" if intent.hazard else "投诉"
        if best is None or not query.normalized:
            return self._fallback(text, query, top_id, top_score, offer, told)
        # 济南市安监局电话多少: another place's office, whose contacts are not the bureau's to give.
        lexicon = self.matcher.knowledge.lexicon
        if of_another_place(read, lexicon.places, lexicon.nearby_places) and not best.exact:
            body = texts.OTHER_PLACE.format(**self.contacts)
            return _offering(Reply(text, "fallback", body, top_id, top_score), offer)
        # 营业执照咋申请: a licence asked how to get, which no 办理指南 of the catalogue is for, is no
        # question about applying for information, whatever licence the guide's answers name (a
        # referral staff taught for it, to the office that issues it, decides as any other).
        if not (best.exact or best.entry.refer) and self.matcher.applies_for_a_licence(query):
            if not hits:
                return self._fallback(text, query, top_id, top_score, offer, told)
            # 咱们厂要办危险化学品经营许可证，咋办: its 办理指南, not how to look up an enterprise's
            if guides := [h for h in hits if about_a_licence(h["title"])]:
                return self._catalogue(text, query, guides, top_id, top_score, offer, of_other_years)
        # 家附近的工厂煤气泄漏了，该打什么电话: a hazard at a workplace named and whom to tell asked
        # is told 12350 (and 119 for one happening now), however unsure the bot is of the other words.
        if not confident and intent.hazard and asks_whom_to_tell(read) and at_a_workplace(read):
            report = self.matcher.knowledge.entry(lexicon.hazard_report or "")
            if report is not None:
                return self._entry_reply(text, report, top_score, query.english)
        # A keyword or a document's title typed in the chat (安全生产月, 应急预案) gets the
        # documents, unless it is word for word one of the guide's phrasings (收费); a year in
        # it (2008年安全生产工作总结) names the document, not the figures asked for.
        if hits and not intent.asks and (strong or not confident) and not best.exact:
            return self._catalogue(text, query, hits, top_id, top_score, offer, of_other_years)
        if not confident and (focused := self._focused(query, ranked, answer_at)) is not None:
            best, confident = focused, True
            top_id, top_score = best.entry.id, best.score
        if (
            query.years
            and best.entry.year
            and not best.entry.in_force
            and asks_time_limit(read)
            and not starts_a_period(read)
        ):
            # 2009年申请信息公开要多久答复: a time limit asked of a year is no year's figures (2009年没有
            # 受理申请) but that year's rule; one among the likeliest that states it (the 2007
            # Regulations' 15 days) is the answer, its doubt having come from the figures' lead.
            rules = [c for c in ranked[:3] if c.entry.states_rules_of(query.years)]
            ranked = rules + [c for c in ranked if not c.entry.year]
            if not ranked:
                return self._fallback(text, query, top_id, top_score, offer, told)
            best = ranked[0]
            top_id, top_score = best.entry.id, best.score
            confident = best.exact or best.score >= answer_at or bool(rules)
        if query.years and not (starts_a_period(read) or asks_for_figures(read)):
            # 2015年申请要钱吗: the rules in force in 2015 (the 2007 Regulations' fees), not today's
            ranked = _rules_then(ranked, self.matcher.knowledge, query.years)
            best = ranked[0]
            top_id = best.entry.id
        if query.years and self._years and not set(query.years) & self._years and not best.entry.refer:
            # A year the guide has no figures for: asked for its figures, the citizen is told where
            # they are published; named in passing (2019年以后还收费吗), the rules are what is
            # asked, and no other year's figures answer it.
            if of_other_years and not confident and hits and hits[0]["score"] >= s.catalogue_with_answer_min_score:
                # 有没有2010年的安全生产工作要点: a document of another year named, not the year's figures
                return self._catalogue(text, query, hits, top_id, top_score, offer, of_other_years)
            # 2008年那会儿多久答复: the rules then in force (the 2007 Regulations'), not that year's figures
            then = best.entry.states_rules_of(query.years) and not asks_for_figures(read)
            other_years = self._other_years(text, query, ranked) if best.score >= clarify_at and not then else None
            if other_years is not None:
                return other_years
            ranked = [c for c in ranked if not c.entry.year or c.entry.states_rules_of(query.years)]
            if not ranked:
                return self._fallback(text, query, top_id, top_score, offer, told)
            best = ranked[0]
            top_id, top_score = best.entry.id, best.score
            confident = best.exact or best.score >= answer_at
        if confident:
            not_held = self._years_not_held(query, best.entry)
            reply = self._entry_reply(text, best.entry, top_score, query.english, not_held)
            received = read_day(read, self._today()) if best.entry.id in RECKONED else None
            if received is not None and not query.english:
                reply.text += "\n" + self._reckoned(received)
            # Documents it names are listed under the answer only when it asks for some (想看看,
            # 在哪下载), names one, or is a bare look-up (目录): 办公室在哪 names no 局办公室工作职责.
            seeks = (
                intent.requests
                or licence
                or (looked_up and not intent.asks)
                or self.matcher.seeks_a_document(query, typed=True)
            )
            named = strong if seeks else []
            reply = self._with_documents(reply, best.entry, query.english, named)
            return _offering(reply, offer) if spared else reply
        if strong:  # a licence named: its documents, not the training courses that share its words
            return self._catalogue(text, query, strong if licence else hits, top_id, top_score, offer, of_other_years)
        # Another office's business staff taught (公租房: the housing bureau) is answered or not at
        # all: offered in a list, it would put 公租房 to whoever asks about the weather.
        guide = [c for c in ranked if not c.entry.refer]
        if guide and guide[0].score >= clarify_at and query.readable:  # asdfgh is no question to guess at
            # A list of one is no choice: the next entries come along if they are half as likely.
            # A bare word typed (期限) is what the entries that have it in a keyword are about, the
            # most asked first: the model's guesses at two characters (旧条例期限) come after them.
            english = query.english
            choices = [Choice(c.entry.id, title(c.entry, english), c.score) for c in guide if c.score >= clarify_at / 2]
            if len(self.matcher.topic(query)) <= KEYWORD_MAX_CHARS and not intent.asks:
                scores = {c.entry.id: c.score for c in ranked}
                held = [
                    Choice(e.id, title(e, english), scores.get(e.id, 0.0))
                    for e in self.matcher.by_keyword(query)
                    if not e.refer
                ]
                choices = list({c.id: c for c in [*held, *choices]}.values())
            reply = self._clarify(text, choices[: s.clarify_choices], query.english, offer)
            # A document asked for by its name (烟花爆竹零售点审批结果在哪公示) while the guide is unsure:
            # the catalogue's nearest items are shown under the choices, as a not-sure reply shows them;
            # so are those a search shows for a question whether something is published, whatever it
            # names (对加油站安全检查的结果，这个公开了吗).
            by_name = self.matcher.seeks_a_document(query)
            if not query.english and (by_name or self.matcher.asks_if_published(query, intent)):
                near = self._documents(query, NEAR_DOCUMENT_MIN_SCORE if by_name else s.search_min_score)
                if near:
                    reply.hits, reply.heading = near, texts.CLARIFY_DOCUMENTS_HEADER
                    reply.text += "\n" + documents_text(near, reply.heading, numbered=False)
            return reply
        if not hits and query.normalized and self.matcher.seeks_a_document(query):
            # A document named (特种作业培训的通知在哪看 啥时候考试) that the guide knows nothing of: the
            # items a search for it shows, though the words around the name lower their score.
            hits = self._documents(query, self.settings.search_min_score)
        if hits:
            return self._catalogue(text, query, hits, top_id, top_score, offer, of_other_years)
        # A bare word typed (申请) that the guide's keywords hold, however unsure the model is of
        # what about it is asked: the entries it may be about, the most asked first (谁可以申请,
        # 怎么申请 ...).
        if len(self.matcher.topic(query)) <= KEYWORD_MAX_CHARS and not intent.asks and query.readable:
            scores = {c.entry.id: c.score for c in ranked}
            keyed = [e for e in self.matcher.by_keyword(query) if not e.refer][: s.clarify_choices]
            if keyed:
                choices = [Choice(e.id, title(e, query.english), scores.get(e.id, 0.0)) for e in keyed]
                return self._clarify(text, choices, query.english, offer)
        return self._fallback(text, query, top_id, top_score, offer, told)

    def _focused(self, query: Query, ranked: list[Scored], answer_at: float) -> Scored | None:
        """The entry that answers the question without its preamble (老板天天让加班，申请公开的信息
        收费不), or without the story around it (能邮寄申请不 俺在青岛干活回不来), outright, when the
        whole message is not answered: the story's words (老板, 加班) say nothing of what is asked,
        yet weigh as words the bureau never uses. Only the entry the whole message ranks first too,
        never a referral, and only where the whole message does not read as another office's
        business (快递丢件了，投诉电话多少: whose complaint line is asked)."""
        shorter = [q for q in (query.focus, query.core) if q is not None]
        if not shorter or not ranked or self.matcher.elsewhere_share(query) >= FOCUS_ELSEWHERE:
            return None
        supposed = supposes(query.read or query.text)
        for part in shorter:
            if supposed and not supposes(part.read or ""):
                continue  # 如果我要的东西你们没有，会怎么答复我: the case supposed is what is asked
            for best in self.matcher.rank(part, limit=1):
                answered = best.exact or best.score >= answer_at
                if answered and best.entry.id == ranked[0].entry.id and not best.entry.refer:
                    return best
        return None

    def _of_another_office(self, reply: Reply) -> bool:
        """Whether ``reply`` left unanswered a question the classifier takes for another office's
        business (as it takes the lexicon's examples of it): what a short question asked after it
        (多久能拿到) is about."""
        if reply.outcome == "answer":
            return False
        return self.matcher.elsewhere_share(self.matcher.query(reply.q)) >= ELSEWHERE_KIND

    def _after(self, text: str, reply: Reply, before: Reply | None) -> Reply:
        """``reply``, to ``text`` on its own, or the reply to it read after ``before`` (see
        :meth:`answer`)."""
        if before is None:
            return reply
        if again := self._year_again(text, before) or self._now_again(text, before):
            return again
        # After a complaint or tip-off told (or a question asked of it, or answered with an entry
        # on it: where to report), what is asked is of it: 多久有结果 is how long a complaint takes,
        # 能匿名吗 whether one may report anonymously; after an answer on another subject (行政复议),
        # 要交钱不 is whether that costs anything.
        lexicon = self.matcher.knowledge.lexicon
        reported = bool(before.about) and before.about in (lexicon.tipoff_subject, lexicon.complaint_subject)
        if reported and (own := self.own_case(reply)) is not None:
            return replace(own, about=before.about)
        if (instead := self._instead(text, reply, before)) is not None:
            return instead
        if before.outcome == "clarify":  # a list gives nothing else to ask of
            return reply
        unsure = reply.outcome in ("clarify", "fallback") or reply.implied
        # Documents found (or a question asked of them answered): only what the question alone is
        # unsure of asks of them; a licence whose 办理指南 was found, what alone is about applying.
        found = before.outcome == "catalogue" or before.about == lexicon.documents_subject
        licence = before.outcome == "catalogue" and before.about not in ("", lexicon.documents_subject)
        of_subject = bool(before.about) and not found
        if reply.parts or not (unsure or of_subject or licence):
            return reply
        query = self.matcher.query(text, today=self._today())
        intent = self.matcher.intent(query)
        if licence and (again := self._licence_again(text, query, intent, reply, before)) is not None:
            return again
        # What about X, answered on its own with another entry (那网上呢 after 去哪交申请: applying
        # online): X takes the place of what was asked, which reading the two together would repeat.
        if asks_what_about(text) and reply.outcome == "answer" and reply.entry_id != before.entry_id:
            return reply
        # Of documents listed, what the question alone is not sure of asks of them (咋看, 能下载不); 要多久
        # asks of applying as ever (公开的文件要多久 is nothing a citizen asks).
        if (
            before.about
            and (of_subject or reply.outcome != "answer")
            and reply.outcome != "complaint"
            and self._subjectless(query, intent, said_before=True)
            and (of_it := self._of_subject(text, query, before.about, offered=unsure)) is not None
        ):
            return of_it
        if not unsure or found or not self._subjectless(query, intent):
            return reply  # documents found: only a year, or what is done with them, asks of them
        asked = self._asked_after(text, query.read or query.text, before, again=True)
        if asked is None:
            return reply
        asked.normalized, asked.english, asked.asks = query.normalized, query.english, pointers(asked.text)
        return asked

    def _of_subject(self, text: str, query: Query, about: str, *, offered: bool) -> Reply | None:
        """A short question without its subject just after a reply that gives one (``about``: 举报
        after a tip-off told, or a question asked of it; 公开的文件 after documents listed) asks of it
        (能匿名吗, 找谁; 咋看, 能下载不): read with ``about`` before it (举报能匿名吗), where that is
        answered, or, ``offered`` (the question alone being unsure), offered choices. Alone, 能匿名吗
        is asked of applying, which may not be anonymous; 怎么申请信息公开 names its own subject, and
        is answered as ever (举报怎么申请信息公开 is unsure)."""
        read = query.read or query.text
        if self._names_applying(query):  # 怎么申请信息公开 says a subject of its own: read alone
            return None
        if query.english:  # as English says the subject: reporting a safety hazard: can I stay anonymous?
            english = self.matcher.knowledge.lexicon.english_subjects.get(about)
            if english is None:
                return None
            reading = f"{english}: {query.text}"
        elif about[-2:] in self.matcher.normalizer.standard(read):  # 复议完还不服能告吗 names it
            return None
        else:
            reading = about + read
        reply = self._decide(reading)
        if reply.outcome not in (("answer", "clarify") if offered else ("answer",)) or reply.parts:
            return None
        # (the subject of the entry it is answered with, if it says one: 复议找谁申请 after a tip-off)
        return replace(reply, q=text, normalized=query.normalized, read=reply.q, about=reply.about or about)

    def _names_applying(self, query: Query) -> bool:
        """Whether ``query`` names applying for information (怎么申请信息公开, how do I request
        information?), in any of its wordings."""
        if query.english:
            return SUBJECT_SAID_EN.search(query.text) is not None
        return SUBJECT_SAID.search(self.matcher.normalizer.standard(query.read or query.text)) is not None

    def _licence_again(self, text: str, query: Query, intent: Intent, reply: Reply, before: Reply) -> Reply | None:
        """After a licence's 办理指南 found (``before.about``: the licence), a short question without a
        subject of its own that alone is unsure, or answered as a question about applying for
        information (its entry's question says 申请: 多长时间能办下来, 收费吗, 要带啥材料, 去哪儿办), asks
        of the licence: its 办理指南 again, which says what it takes, how long, what it costs and
        where. One that names applying for information (怎么申请信息公开), or asks what has nothing to
        do with applying (你们电话多少), is answered as ever."""
        guides = [hit for hit in before.hits if about_a_licence(hit["title"])]
        if not guides or reply.outcome == "complaint" or self._names_applying(query):
            return None
        if not self._subjectless(query, intent, said_before=True):
            return None
        entry = self.matcher.knowledge.entry(reply.entry_id or "") if reply.outcome == "answer" else None
        if entry is not None and not reply.implied and "申请" not in entry.question:
            return None
        heading = texts.ENGLISH_LICENCE_GUIDE if query.english else texts.LICENCE_GUIDE.format(licence=before.about)
        found = self._catalogue(
            text, query, guides, before.entry_id, before.score, heading=heading, english=query.english
        )
        return replace(found, about=before.about, normalized=query.normalized)

    def _instead(self, text: str, reply: Reply, before: Reply) -> Reply | None:
        """Only that the answer before missed (不是这个, 答非所问, that's not what I asked): what else
        that question may be (see :meth:`instead`), rather than only a request to put it in other
        words."""
        if reply.outcome != "greeting" or not missable(before):
            return None
        return self.instead(before) if self.matcher.intent(self.matcher.query(text)).not_it else None

    def instead(self, missed: Reply) -> Reply | None:
        """The question ``missed`` answered, which the citizen said it missed, offered as a list of
        the entries likeliest after the one answered, or after those it offered (都不是 under a list):
        for half of the labelled sets' questions answered wrongly, or offered a list without the
        right entry, the right one is among them; ranked as it was read (after the question before
        it, or with the implied subject); recorded as that question not answered, it waits in the
        staff's queue of questions to teach. None where it may not be said to miss (see
        :func:`missable`) or no other entry is likely enough to offer."""
        if not missable(missed):
            return None
        asked = self.matcher.query(missed.read or missed.q, today=self._today())
        # By the entry model alone: the citizen said what was asked is not that entry, not that it
        # is none of the bureau's business.
        shown = {c.id for c in missed.choices} if missed.outcome == "clarify" else {missed.entry_id}
        ranked = self.matcher.rank(asked, limit=2 * self.settings.clarify_choices + len(shown), in_scope=True)
        others = [c for c in ranked if c.entry.id not in shown and not c.entry.refer and c.score >= NOT_IT_MIN_SCORE][
            : self.settings.clarify_choices
        ]
        if not others:
            return None
        english = missed.english
        choices = [Choice(c.entry.id, title(c.entry, english), c.score) for c in others]
        offered = self._clarify(missed.q, choices, english, missed=missed.q)
        # Logged in the question's own words (有时间限制没), not as it was read after the one before.
        own = missed.normalized or (asked if not missed.read else self.matcher.query(missed.q)).normalized
        offered.normalized, offered.english, offered.missed_entries = own, english, sorted(i for i in shown if i)
        return offered

    def _year_again(self, text: str, before: Reply) -> Reply | None:
        """Only a year (那2010年呢, 去年的呢), after the answer or the documents found for a question
        that named another (2009年收到多少申请, 2009年有什么文件): that question asked of this year,
        whose figures the guide may not have (said so) rather than the catalogue's documents that
        name it; after an answer to a question that named none (年度报告在哪看, then 2015年的呢), that
        question asked of a year whose figures are not held (a year held is found by its own
        entries: 2009年的呢, the 2009 report), rather than the year alone, which names nothing else."""
        read, years = read_years(text, self._today())
        if not (years and before.outcome in ("answer", "catalogue") and asks_of_another_year(read)):
            return None
        said, named = read_years(before.read or before.q, self._today())  # (那2015年呢 read as asked)
        unheld = before.outcome == "answer" and not set(years) & self._years
        # (申请多久答复, then 那零九年呢: the rules then in force, not the 2009 report)
        answered = self.matcher.knowledge.entry(before.entry_id or "") if before.outcome == "answer" else None
        then = answered is not None and self.matcher.knowledge.rules_then(answered, years) is not None
        if set(years) == set(named) or not (named or unheld or then):
            return None
        asked = asked_of_years(said, years)
        return replace(self._decide(asked), q=text, read=asked)

    def _now_again(self, text: str, before: Reply) -> Reply | None:
        """Only now (那现在呢, and now?) after a question that named a year (零九年那会儿申请要交钱吗,
        answered or offered a list): that question without its year, where an entry of today's
        rules answers it (free), not one of a year's figures or of a past period's rules."""
        read, _ = read_years(text, self._today())
        if before.outcome not in ("answer", "clarify") or not asks_of_now(read):
            return None
        said, named = read_years(before.read or before.q, self._today())
        if not named:
            return None
        reply = self._decide(asked_of_now(said))
        entry = self.matcher.knowledge.entry(reply.entry_id or "")
        if reply.outcome != "answer" or entry is None or entry.year or entry.in_force:
            return None
        return replace(reply, q=text, read=reply.q)

    def _subjectless(self, query: Query, intent: Intent, *, dated: bool = False, said_before: bool = False) -> bool:
        """Whether ``query`` is a short question that does not say what it is about (要带啥材料,
        多久能有结果, 有时间限制没): not one with a word the knowledge never uses (医保在哪交), a year,
        a complaint's or a hazard's words, complaining named (怎么投诉 asks how to complain, not
        whether an application can be one), or English; with ``dated``, one with a year may be
        (今年的出了没); with ``said_before``, the subject said just before (a tip-off's, documents
        listed), one with words the knowledge never uses, a complaint's or a hazard's may be (会不会泄露
        我的名字, 能下载不), and so may a short English one (can I stay anonymous?)."""
        if query.english:
            short = said_before and 0 < len(query.normalized.split()) <= IMPLIED_MAX_WORDS
        else:
            short = 0 < len(query.normalized) <= IMPLIED_MAX_CHARS
        return (
            (intent.asks or asks_what_about(query.text))
            and short
            and not ((query.years and not dated) or intent.grievance)
            and (said_before or not (intent.complaint or intent.complaint_topic or intent.hazard))
            and (said_before or self.matcher.knows_every_word(query.normalized))
        )

    def _implied(
        self, text: str, query: Query, intent: Intent, ranked: list[Scored], before: Reply | None = None
    ) -> Reply | None:
        """A short question without its subject (see :meth:`_subjectless`), read with the lexicon's
        ``implied_subject`` (申请信息公开) before it, when that is answered outright by one of the
        entries ``ranked`` first for the question alone: said to a disclosure office, it is what
        such a question is about. One that says its subject (申请信息公开要多长时间) is read without
        it, the same way: whole, it is nearer 申请信息公开要钱不 than anything about the deadline;
        then with it said as the lexicon says it (申请公开政府信息要多少工作日 as 申请信息公开…).
        Asked after another question of the same message (``before``, its reply), it is first read
        after that question (see :meth:`_asked_after`)."""
        subject = self.matcher.knowledge.lexicon.implied_subject
        if before is not None and query.years and self._subjectless(query, intent, dated=True):
            # 今年的出了没 after 年度报告啥时候出: a year asked of the question before's subject
            return self._asked_after(text, query.read or query.text, before)
        if not (subject and self._subjectless(query, intent)):
            return None
        read = query.read or query.text
        # said in the guide's words and script too: 申請資訊公開要幾耐 as 申请信息公开要多久
        standard = self.matcher.normalizer.standard(read)
        said = SUBJECT_SAID.search(standard)
        if before is not None and not said and (asked := self._asked_after(text, read, before)) is not None:
            return asked
        readings = [subject + read]
        if said:  # and then said as the lexicon says it: 申请公开政府信息要多少工作日, 申请信息公开要多少工作日
            rest = standard[: said.start()] + standard[said.end() :]
            readings = [rest] + ([subject + rest] if subject + rest != standard else [])
        for reading in readings:
            reread = self.matcher.query(reading)
            if not reread.normalized:
                continue
            reply = self._single(text, reread, self.matcher.intent(reread), implied=False)
            if reply.outcome == "answer" and reply.entry_id in {c.entry.id for c in ranked}:
                if not said:
                    reply.text = texts.IMPLIED.format(subject=subject) + "\n" + reply.text
                    reply.implied = True
                reply.read = reading
                return reply
        return None

    def _asked_after(self, text: str, read: str, before: Reply, *, again: bool = False) -> Reply | None:
        """A short question without its subject asked after another question of the same message
        (``before``, its reply: 能直接上法院告不 有时间限制没) asks of that question's subject: read after
        it, where that is answered outright by another entry than the question before was (the
        time limit for suing, not how soon information is published); one answered as the
        question before was (补正是啥意思 补完多久给答复) would be lost to it, and is not; ``again``:
        it is (a question in the next message: 怎么申请行政复议, then 期限呢, is answered with the
        entry on review again rather than with the deadline for a reply)."""
        reply = self._read_after(text, read, before)
        if reply.outcome != "answer" or (reply.entry_id == before.entry_id and not again):
            return None
        # A case supposed (要是不给我呢 after 申请后多久答复) is something new to the question before,
        # not more of it: that question's answer again would not answer it.
        return None if reply.entry_id == before.entry_id and supposes(read) else reply

    def _read_after(self, text: str, read: str, before: Reply) -> Reply:
        """``text`` (``read`` as the matcher reads it) read after the question ``before`` answered."""
        joined = self.matcher.query(before.q + "，" + read)
        reply = self._single(text, joined, self.matcher.intent(joined), implied=False)
        reply.read = joined.read or joined.text
        return reply

    def _today(self) -> dt.date:
        return dt.datetime.now(self.zone).date()

    def _reckoned(self, received: dt.date) -> str:
        """The day a reply to an application received on ``received`` is due, and with the
        longest extension (《条例》第33条: 20 working days, and at most 20 more)."""
        due = self.calendar.working_days_after(received, REPLY_WORKING_DAYS)
        extended = self.calendar.working_days_after(due, REPLY_WORKING_DAYS)
        reckoned = texts.RECKONED.format(received=_day(received), due=_day(due), extended=_day(extended))
        unknown = self.calendar.uncovered_years(received, extended)  # its notice not known yet
        if unknown:
            reckoned += texts.RECKONED_UNKNOWN_YEARS.format(years="、".join(f"{year}年" for year in unknown))
        return reckoned

    def _entry_reply(self, text: str, entry: GuideEntry, score: float, english: bool, before: str = "") -> Reply:
        if english:
            body = entry.answer_en or texts.ENGLISH_INTRO + "\n" + entry.answer
            source = texts.SOURCE_EN.format(source=entry.source)
        else:
            body, source = entry.answer, texts.SOURCE.format(source=entry.source)
        if not asks_yes_or_no(text):  # 去哪交: not 可以。请到……
            body = _VERDICT.sub("", body, count=1)
        reply = Reply(text, "answer", before + fill(body, self.contacts) + "\n" + source, entry.id, score)
        reply.apply_here, reply.about = entry.apply_here, entry.subject
        return reply

    def _other_years(self, text: str, query: Query, ranked: list[Scored]) -> Reply | None:
        """A question about a year the guide has no figures for ("2018年收到多少申请") is told which
        years it has, and where each year's figures are published, rather than given 2009's.

        The year's figures are what is asked when the entry on where they are published is ranked
        first, when a year's figures are ranked first (2017年有没有人申请过) or among the first
        three and figures are asked for (2019年复议了几件); not when the year only starts a period
        whose rules are asked about (2019年以后还收费吗)."""
        entry = self.matcher.knowledge.entry(self.matcher.knowledge.lexicon.other_years or "")
        if entry is None:
            return None
        read = query.read or query.text
        if not (
            ranked[0].entry.id == entry.id
            or (asks_for_figures(read) and any(c.entry.year for c in ranked[:3]))
            or (ranked[0].entry.year is not None and not starts_a_period(read))
        ):
            return None
        template = texts.YEAR_NOT_HELD_EN if query.english else texts.YEAR_NOT_HELD
        before = template.format(
            asked=years_said(query.years, query.english), held=years_said(sorted(self._years), query.english)
        )
        if not query.english and (coming := max(query.years)) >= self._today().year:  # 今年的年度报告
            before = texts.YEAR_NOT_DUE.format(year=coming, by=coming + 1) + before
        elif not query.english and asks_when_reported(read):  # 去年的年报啥时候出: when it was due
            due = texts.YEAR_DUE if coming >= NEW_REPORT_RULES else texts.YEAR_DUE_OLD_RULES
            before = due.format(year=coming, by=coming + 1) + before
        return self._entry_reply(text, entry, ranked[0].score, query.english, before + "\n")

    def _years_not_held(self, query: Query, entry: GuideEntry) -> str:
        """Said before a year's figures (2009年的) answering a question that names another year too,
        whose figures are not held (2009年主动公开了多少条 2010年的呢): that they are not, and where
        each year's are; else nothing (nor for a year the answer speaks of: 2009年度报告是2010年哪天发布的)."""
        unheld = [year for year in query.years if year not in self._years and f"{year}年" not in entry.answer]
        where = self.matcher.knowledge.entry(self.matcher.knowledge.lexicon.other_years or "")
        if not (entry.year in query.years and unheld and where):
            return ""
        template = texts.YEAR_PARTLY_HELD_EN if query.english else texts.YEAR_PARTLY_HELD
        said = template.format(
            asked=years_said(unheld, query.english),
            held=years_said([entry.year], query.english),
            where=title(where, query.english),
        )
        return said + "\n"

    def _of_year(self, text: str, query: Query, top_id: str | None, top_score: float) -> Reply | None:
        """A year's or a month's documents asked for and nothing else (2009年有什么文件, 你们去年发了
        哪些文件, 2009年12月的文件): the catalogue's published then, newest first, with how many there
        are; of a time it has none of, said so, with the years it has and, for a year, those whose
        title names it (张店区2008年安全生产工作总结, published in 2009). None if the message asks more."""
        found = _YEAR_MONTH.search(query.normalized)
        rest = query.normalized[: found.start()] + query.normalized[found.end() :] if found else ""
        if found is None or not _YEAR_DOCUMENTS.fullmatch(rest) or not 1 <= int(found.group(2) or 1) <= 12:
            return None
        year, month, catalogue = found.group(1), found.group(2), self.catalogue.browse()
        if quarter := found.group(3):
            number = int(quarter) if quarter.isdigit() else _QUARTERS.index(quarter) + 1
            months, when = list(range(3 * number - 2, 3 * number + 1)), f"{year}年第{_QUARTERS[number - 1]}季度"
        else:
            months, when = ([int(month)], f"{year}年{int(month)}月") if month else ([], f"{year}年")
        days = [f"{year}-{m:02d}" for m in months] or [year]
        items = [i for i in catalogue if i.date.startswith(tuple(days))]
        if items:
            heading = texts.YEAR_DOCUMENTS.format(when=when, count=len(items))
        else:
            held = "、".join(sorted({i.date[:4] for i in catalogue}))
            heading = texts.YEAR_NO_DOCUMENTS.format(when=when, held=held)
            items = [] if months else [i for i in catalogue if f"{year}年" in i.title]
            if not items:
                body = heading + texts.YEAR_NOT_IN_CATALOGUE.format(**self.contacts)
                return Reply(text, "fallback", body, top_id, top_score)
            heading += texts.YEAR_IN_TITLES.format(year=year)
        hits = [as_hit(i, None) for i in items[:CATEGORY_DOCUMENTS]]
        return self._catalogue(text, query, hits, top_id, top_score, heading=heading)

    def _of_other_years(self, query: Query, hits: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        """The catalogue's documents of other years, when the document a question names by year is
        of other years only (``hits``, what it finds with the year, are none), or the year-less
        question names one well that is of another year, far better than what the year alone matches
        (2010年的安全生产工作要点 is the 2009 工作要点's kind, not the 2010年元旦 notice); else None."""
        plain = self._documents(self.matcher.query(_without_years(query)))
        if not hits:
            return plain
        if not plain or plain[0]["score"] < self.settings.catalogue_with_answer_min_score:
            return None
        other = not any(str(year) in plain[0]["title"] for year in query.years)
        return plain if other and plain[0]["score"] - hits[0]["score"] >= OTHER_YEARS_MARGIN else None

    def _documents(self, query: Query, min_score: float | None = None) -> list[dict[str, Any]]:
        """Catalogue items that match the question well (a document named, a keyword typed)."""
        cutoff = self.settings.catalogue_answer_min_score if min_score is None else min_score
        found = self.catalogue.search_query(query, limit=3, min_score=cutoff, budget=FALLBACK_SEARCH_BUDGET)
        return found.as_json()["hits"]

    def _with_documents(
        self, reply: Reply, entry: GuideEntry, english: bool, named: list[dict[str, Any]] | None = None
    ) -> Reply:
        """``reply``, an answer with ``entry``, with the documents it lists under it: a question that
        names published documents (``named``) is told where they are, not only how to apply; an
        entry about documents of its own (局领导分工), a category (政策法规类公开了多少) or a column lists
        them first, and then any other the question names."""
        named = named or []
        if named and not entry.documents:
            reply.hits, reply.heading = named, texts.CATALOGUE_WITH_ANSWER_HEADER
        else:
            listed, heading = self._listed(entry, english)
            shown = {h["index_no"] for h in listed}
            reply.hits, reply.heading = listed + [h for h in named if h["index_no"] not in shown], heading
        if reply.hits:
            reply.text += "\n" + documents_text(reply.hits, reply.heading)
            # what is asked next of an answer listing documents (能下载不) asks of them
            reply.about = reply.about or self.matcher.knowledge.lexicon.documents_subject or ""
        return reply

    def _listed(self, entry: GuideEntry, english: bool) -> tuple[list[dict[str, Any]], str]:
        """The documents an entry's answer lists, as hits (a listing has no score), and the line
        above them: those it names (局领导分工: 领导班子成员及分工), or the newest of the category
        (政策法规类公开了多少) or website column (重大危险源) it is about; none for most entries."""
        if entry.documents:
            header = texts.DOCUMENTS_HEADER_EN if english else texts.DOCUMENTS_HEADER
            return [as_hit(item, None) for item in self.catalogue.items(entry.documents)], header
        if not (entry.category or entry.column):
            return [], ""
        items, count = self.catalogue.newest(
            CATEGORY_DOCUMENTS, category=entry.category or None, column=entry.column or None
        )
        if english:
            header = texts.CATEGORY_HEADER_ALL_EN if count == len(items) else texts.CATEGORY_HEADER_EN
        else:
            header = texts.CATEGORY_HEADER_ALL if count == len(items) else texts.CATEGORY_HEADER
        if entry.category:
            listing = entry.category if english else texts.CATEGORY_NAME.format(category=entry.category)
        else:
            listing = entry.column if english else texts.COLUMN_NAME.format(column=entry.column)
        return [as_hit(item, None) for item in items], header.format(listing=listing, count=count, shown=len(items))

    def _catalogue(
        self,
        text: str,
        query: Query,
        hits: list[dict[str, Any]],
        top_id: str | None,
        top_score: float,
        offer: str | None = None,
        of_other_years: bool = False,
        heading: str = texts.SEARCH_HEADER,
        english: bool = False,
    ) -> Reply:
        if of_other_years:
            heading = texts.SEARCH_OTHER_YEARS.format(asked="、".join(f"{y}年" for y in query.years))
        reply = Reply(text, "catalogue", "", top_id, top_score, hits=hits, heading=heading, english=english)
        reply.text = documents_text(hits, heading) + "\n" + documents_footer(reply).format(**self.contacts)
        # What is asked next is of the documents (咋看), or of the licence whose 办理指南 was found
        # (要准备啥材料, 多久能批下来 after 危险化学品经营许可证咋办: its guide again, not applying for information).
        licences = self.matcher.licences(query) if any(about_a_licence(h["title"]) for h in hits) else []
        reply.about = licences[0] if licences else self.matcher.knowledge.lexicon.documents_subject or ""
        return _offering(reply, offer)

    def _in_chinese_terms(self, text: str, query: Query, reply: Reply) -> Reply | None:
        """An English question the guide cannot answer (``reply``), looked up in the catalogue in
        the Chinese terms its words stand for (how do I get a fireworks retail licence: 烟花爆竹, 零售,
        许可证, whose 办理指南 the catalogue holds): the documents found, under an English line; None
        where none is; or a question with a word neither the guide's English nor the terms use (a
        food business licence: not the bureau's, whose licences' guides the catalogue holds), or
        another office's business."""
        glossary = self.matcher.knowledge.lexicon.english_terms
        terms = "".join(chinese_terms(query.text, glossary))
        if (
            len(terms) < ENGLISH_TERMS_MIN_CHARS
            or self.matcher.english_unknown(query.text, glossary)
            or self.matcher.elsewhere(query)
        ):
            return None
        reading = self.matcher.query(terms)
        hits = self._documents(reading)
        if not hits:
            return None
        licence = about_a_licence(hits[0]["title"])
        heading = texts.ENGLISH_LICENCE_GUIDE if licence else texts.ENGLISH_DOCUMENTS
        return self._catalogue(text, reading, hits, reply.entry_id, reply.score, heading=heading, english=True)

    def _searched(self, text: str, keywords: str) -> Reply:
        """The catalogue's documents for ``keywords`` searched for by the command, or none found said so."""
        keywords = keywords[:MAX_QUERY_CHARS]  # as the catalogue's own search reads them
        query = self.matcher.query(keywords)
        hits = self.catalogue.search_query(query).as_json()["hits"]
        if not hits:
            return Reply(text, "fallback", texts.SEARCH_NONE.format(q=keywords))
        return self._catalogue(text, query, hits, None, 0.0)

    def _confirmed(self, whole: Reply, replies: list[Reply]) -> list[Reply] | None:
        """The parts, when the message as a whole was answered with what one part asks and the
        others ask something else ("主动公开都有啥 多久挂出来" answered, as a whole, on how soon
        things are published): that part answered, the others as they were, so that no question
        is silently dropped. None when the whole is to be kept."""
        outcomes = {r.outcome for r in replies}
        if whole.outcome != "answer" or whole.parts or not outcomes <= {"answer", "clarify", "fallback"}:
            return None
        mine = [n for n, r in enumerate(replies) if r.outcome != "fallback" and r.entry_id == whole.entry_id]
        entry = self.matcher.knowledge.entry(whole.entry_id or "")
        if len(mine) != 1 or entry is None:
            return None
        [n] = mine
        if replies[n].outcome != "answer":
            part = replies[n]
            replies = [*replies]
            replies[n] = self._entry_reply(part.q, entry, whole.score, is_english(part.q))
        return replies

    def _each_its_own(self, replies: list[Reply]) -> bool:
        """Whether a message the guide cannot place as a whole holds, after its first question, one
        answered outright that names applying for information (电动车上牌去哪办？申请信息公开要钱吗) or
        is said to be another (另外, 还有, 顺便问下) and says its own subject (特种作业证咋复审？另外你们
        信息公开的电话是多少): that one is answered and the others said to be unsure, rather than the
        whole message. Without either, a question after another is as likely about it (电信宽带怎么
        收费，客服电话多少: not the bureau's phone; 养狗要办证吗 在哪办). So is one said to be another
        that names the bureau's field, however short (还有你们安监局的年报在哪看)."""
        if not {r.outcome for r in replies} <= {"answer", "clarify", "fallback", "catalogue"}:
            return False
        answered = [self.matcher.query(r.q) for r in replies[1:] if r.outcome == "answer"]
        return bool(answered) and all(
            SUBJECT_SAID.search(q.read or q.text) or (ANOTHER_QUESTION.match(q.text) and self._says_subject(q))
            for q in answered
        )

    def _says_subject(self, query: Query) -> bool:
        """Whether a question says what it is about: it is not short and subjectless (see
        :meth:`_subjectless`), or it names the bureau's field (你们安监局的年报在哪看)."""
        intent = self.matcher.intent(query)
        return intent.work_safety or not self._subjectless(query, intent)

    def _several(self, text: str, replies: list[Reply], beyond: Sequence[str] = ()) -> Reply:
        """A message with several questions, answered part by part, each labelled; the questions
        ``beyond`` the parts answered are named, to be asked again."""
        english = is_english(text)
        intro, maybe, unsure, more = (
            (texts.MULTI_INTRO_EN, texts.MULTI_PART_MAYBE_EN, texts.MULTI_PART_UNSURE_EN, texts.MULTI_MORE_EN)
            if english
            else (texts.MULTI_INTRO, texts.MULTI_PART_MAYBE, texts.MULTI_PART_UNSURE, texts.MULTI_MORE)
        )
        lines = [intro.format(count=len(replies))]
        for number, part in enumerate(replies, 1):
            if part.outcome == "catalogue":  # the documents looked up, without what to do if not them
                body = documents_text(part.hits, part.heading)
            elif part.outcome == "answer":
                body = part.text
            elif part.choices:
                body = maybe.format(title=part.choices[0].title, **self.contacts)
            else:
                body = unsure.format(**self.contacts)
            question = _ENUMERATED.sub("", part.q.strip()) or part.q.strip()  # 【1】申请要钱吗, not 【1】1.申请要钱吗
            lines.append(texts.MULTI_PART.format(number=number, question=question, answer=body))
        if beyond:
            lines.append(more.format(count=len(replies), questions="；".join(q.strip() for q in beyond)))
        first = next(r for r in replies if r.outcome == "answer")
        # The documents the parts' answers list (in their text too): no heading, as no one list
        # follows the whole text.
        hits = {h["index_no"]: h for r in replies if r.outcome in ACCEPTED for h in r.hits}
        parts = [
            Part(
                r.q,
                r.outcome,
                r.entry_id if r.outcome == "answer" else None,
                r.score,
                tuple(h["index_no"] for h in r.hits) if r.outcome == "catalogue" else (),
            )
            for r in replies
        ]
        body = "\n\n".join(lines)
        return Reply(text, "answer", body, first.entry_id, first.score, parts=parts, hits=list(hits.values()))

    def _besides_complaint(self, complaint: Reply) -> Reply:
        """A complaint that also asks what the guide answers (那个窗口的人态度太差了，另外申请咋交) is
        answered that too, after what to do about the complaint, rather than the question dropped
        for it."""
        said = clauses(complaint.q)
        if len(said) < 2:
            return complaint
        answers: dict[int, Reply] = {}
        for n, clause in enumerate(said):
            reply = self._asked_besides(clause) if len(answers) < MAX_BESIDES else None
            if reply is not None:
                answers[n] = reply
        if not answers or len(answers) == len(said):  # no clause left to complain: kept as it was
            return complaint
        also = texts.ALSO_ASKED_EN if is_english(complaint.q) else texts.ALSO_ASKED
        text = complaint.text + "".join(
            "\n\n" + also.format(question=r.q.strip(), answer=r.text) for r in answers.values()
        )
        # The parts in the message's order, the complaint where its first clause is.
        complained_at = next(n for n in range(len(said)) if n not in answers)
        parts = [
            Part(r.q, "answer", r.entry_id, r.score)
            if (r := answers.get(n))
            else Part(complaint.q, "complaint", None, complaint.score)
            for n in sorted([*answers, complained_at])
        ]
        return replace(complaint, text=text, parts=parts)

    def _asked_besides(self, clause: str) -> Reply | None:
        """The answer to a clause of a complaint that asks, on its own, what the guide answers
        outright; None for one that complains or reports itself (去哪投诉: the complaint's reply
        already says where to turn)."""
        if not asks_on_its_own(clause, self.matcher.asks):
            return None
        query = self.matcher.query(clause, today=self._today())
        intent = self.matcher.intent(query)
        if intent.complaint_topic or intent.complaint_words or intent.grievance or intent.hazard:
            return None
        reply = self._single(clause, query, intent)
        return reply if reply.outcome == "answer" else None

    def _complaint(self, text: str, query: Query, top_id: str | None, top_score: float, intent: Intent) -> Reply:
        """The reply to a complaint, or to a tip-off (a hazard told, or a danger happening now: where
        to report it first)."""
        tipoff = intent.hazard or intent.emergency
        if tipoff:
            body = texts.TIPOFF_REPLY_EN if query.english else texts.TIPOFF_REPLY
        else:
            body = texts.COMPLAINT_EN if query.english else texts.COMPLAINT
            # 我要举报, of nothing named (not the office's staff, nor a hazard): it may be either.
            if "举报" in query.normalized and not intent.own_business:
                body += texts.TIPOFF
        if intent.injured:  # 手被机器绞了 厂里说私了: the injured worker's own rights, beside the report
            body += texts.INJURED_EN if query.english else texts.INJURED
        lexicon = self.matcher.knowledge.lexicon
        about = (lexicon.tipoff_subject if tipoff else lexicon.complaint_subject) or ""
        return Reply(text, "complaint", body.format(**self.contacts), top_id, top_score, tipoff=tipoff, about=about)

    def _article(self, text: str, article: int) -> Reply:
        """An article of the regulations asked about alone (第42条): the guide's answers that cite
        it to choose from, or, where none does, the not-sure reply."""
        cited = self.matcher.citing(article)[: self.settings.clarify_choices]
        if not cited:
            return Reply(text, "fallback", texts.ARTICLE_NOT_CITED.format(article=article, **self.contacts))
        reply = self._clarify(text, [Choice(e.id, title(e, False), 1.0) for e in cited])
        reply.text = texts.ARTICLE_CITED.format(article=article) + "\n" + reply.text
        return reply

    def _clarify(
        self, text: str, choices: list[Choice], english: bool = False, offer: str | None = None, missed: str = ""
    ) -> Reply:
        """A list of choices; ``missed``: offered instead of the answer to that question, which the
        citizen said missed (see :meth:`_instead`)."""
        if missed:
            ask = (texts.NOT_IT_CHOICES_EN if english else texts.NOT_IT_CHOICES).format(question=quoted(missed))
            none = texts.NOT_IT_NONE_EN if english else texts.NOT_IT_NONE
        elif len(choices) == 1:  # a list of one asks whether that is what was meant
            ask, none = (
                (texts.CLARIFY_ONE_EN, texts.CLARIFY_ONE_NONE_EN)
                if english
                else (texts.CLARIFY_ONE, texts.CLARIFY_ONE_NONE)
            )
        else:
            ask, none = (texts.CLARIFY_EN, texts.CLARIFY_NONE_EN) if english else (texts.CLARIFY, texts.CLARIFY_NONE)
        lines = [ask] + [texts.CLARIFY_CHOICE.format(number=n, title=c.title) for n, c in enumerate(choices, 1)]
        lines.append(none.format(**self.contacts))
        reply = Reply(text, "clarify", "\n".join(lines), choices[0].id, choices[0].score, list(choices), missed=missed)
        return _offering(reply, offer)

    def _fallback(
        self,
        text: str,
        query: Query,
        top_id: str | None,
        top_score: float,
        offer: str | None = None,
        told: bool = False,
    ) -> Reply:
        """Not sure what the message asks, or, where it reads as another office's business and
        neither of these holds, told so with 12345; a document asked for by name is told the
        catalogue has none such, and how to apply; ``offer``: the form (投诉 or 举报) offered under
        it; ``told``: it tells of a hazard or asks whom to tell (家里燃气漏气了打什么电话), and is told
        12350 and 119 first."""
        body = texts.FALLBACK_EN if query.english else texts.FALLBACK
        near: list[dict[str, Any]] = []
        if not (told or offer) and self.matcher.elsewhere(query):
            body = texts.OTHER_BUSINESS_EN if query.english else texts.OTHER_BUSINESS
        elif not (told or query.english) and self.matcher.seeks_a_document(query, typed=_titled(query)):
            # The catalogue has nothing that matches well; what is near is shown, rather than
            # "there is no such document" said of one it lists (国庆安全的通知: 关于做好国庆期间安全生产
            # 工作的通知, at 0.32).
            near = self._documents(query, NEAR_DOCUMENT_MIN_SCORE)
            body = texts.FALLBACK_DOCUMENT_NEAR if near else texts.FALLBACK_DOCUMENT
        if told:
            body = (texts.TIPOFF_EN if query.english else texts.TIPOFF).strip() + "\n" + body
        body = body.format(**self.contacts)
        if near:
            body = documents_text(near, texts.NEAR_DOCUMENTS_HEADER) + "\n" + body
        reply = Reply(text, "fallback", body, top_id, top_score)
        reply.hits, reply.heading = near, texts.NEAR_DOCUMENTS_HEADER if near else ""
        return _offering(reply, offer)
