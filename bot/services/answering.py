"""Answering a citizen's question: the outcome, the reply text, and the record in the enquiry log."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .. import texts
from ..config import Settings
from ..matching import Matcher, Query, Scored
from ..storage import Enquiry, Store
from .catalogue import CatalogueSearch

MAX_QUESTION_CHARS = 500
RECENT_REPLIES = 4096
FALLBACK_SEARCH_BUDGET = 5_000


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
    (staff see how close the bot came); ``tipoff`` marks a complaint that reports a hazard.
    """

    q: str
    outcome: str
    text: str
    entry_id: str | None = None
    score: float = 0.0
    choices: list[Choice] = field(default_factory=list)
    ms: float = 0.0
    tipoff: bool = False
    hits: list[dict[str, Any]] = field(default_factory=list)
    normalized: str = field(default="", repr=False)  # what the enquiry log records

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["normalized"]
        data["ms"] = round(self.ms, 3)
        return data


class Answerer:
    """Decides the outcome of a question from the matcher's ranking and the settings' thresholds.

    :param matcher: the indexed knowledge
    :param settings: thresholds and the office's contacts
    """

    def __init__(self, matcher: Matcher, settings: Settings) -> None:
        self.matcher = matcher
        self.settings = settings
        self.contacts = settings.contacts()
        self.catalogue = CatalogueSearch(matcher, settings)
        self._recent: OrderedDict[str, Reply] = OrderedDict()

    def answer(self, text: str) -> Reply:
        """The reply to ``text``, without recording it.

        Replies are remembered for the most recent distinct messages: a handful of questions
        (收费吗, 多久答复) make up much of what citizens send, and the answer is a pure function
        of the text while the knowledge stays the same (a reload builds a new Answerer).
        """
        started = time.perf_counter()
        reply = self._recent.get(text)
        if reply is None:
            reply = self._decide(text)
            self._recent[text] = reply
            if len(self._recent) > RECENT_REPLIES:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(text)
        return replace(
            reply, choices=list(reply.choices), hits=list(reply.hits), ms=(time.perf_counter() - started) * 1000
        )

    def forget(self) -> None:
        """Drop the remembered replies (after changing the thresholds)."""
        self._recent.clear()

    def answer_entry(self, entry_id: str, q: str = "") -> Reply | None:
        """The reply for a chosen guide entry (a clarify choice, a menu button), or None."""
        entry = self.matcher.knowledge.entry(entry_id)
        if entry is None:
            return None
        return Reply(q or entry.question, "answer", self._entry_text(entry.answer, entry.source), entry.id, 1.0)

    def ask(self, store: Store, text: str, *, channel: str, user_id: str | int | None) -> Reply:
        """Answer ``text`` and record it in the enquiry log (synchronous callers: CLI, tests)."""
        reply = self.answer(text)
        store.record_enquiry(self._enquiry(store, reply, channel, user_id))
        return reply

    async def aask(self, store: Store, text: str, *, channel: str, user_id: str | int | None) -> Reply:
        """Answer ``text`` and record it without blocking the event loop."""
        reply = self.answer(text)
        await self.arecord(store, reply, channel=channel, user_id=user_id)
        return reply

    async def arecord(self, store: Store, reply: Reply, *, channel: str, user_id: str | int | None) -> None:
        """Record an answered question in the enquiry log (a channel may send the reply meanwhile)."""
        await store.arecord_enquiry(self._enquiry(store, reply, channel, user_id))

    # --- internals ------------------------------------------------------------------------------

    def _enquiry(self, store: Store, reply: Reply, channel: str, user_id: str | int | None) -> Enquiry:
        return Enquiry(
            channel=channel,
            user_ref=store.user_ref(channel, user_id),
            text=reply.normalized,
            outcome=reply.outcome,
            entry_id=reply.entry_id,
            score=reply.score,
            latency_ms=reply.ms,
        )

    def _entry_text(self, answer: str, source: str) -> str:
        return answer.format(**self.contacts) + "\n" + texts.SOURCE.format(source=source)

    def _decide(self, text: str) -> Reply:
        if not text.strip():
            return Reply(text, "invalid", texts.EMPTY)
        if len(text) > MAX_QUESTION_CHARS:
            reply = Reply(text, "invalid", texts.TOO_LONG.format(limit=MAX_QUESTION_CHARS))
            reply.normalized = self.matcher.normalizer.normalize(text[:MAX_QUESTION_CHARS])
            return reply
        query = self.matcher.query(text)
        reply = self._reply(text, query)
        reply.normalized = query.normalized
        return reply

    def _reply(self, text: str, query: Query) -> Reply:
        s = self.settings
        ranked = self.matcher.rank(query, limit=s.clarify_choices + 1)
        best = ranked[0] if ranked else None
        top_id, top_score = (best.entry.id, best.score) if best else (None, 0.0)
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        confident = best is not None and (
            best.exact
            or (best.score >= s.answer_min_score and best.score - runner_up >= s.answer_min_margin)
            # Context in a long question ("我是开化工厂的，你们来检查时……") dilutes how much of it
            # any phrasing explains, so its scores run lower; a clear lead over the next entry
            # still tells the answer (measured on the three labelled sets: no wrong answer more).
            or (
                len(query.normalized) >= s.long_question_chars
                and best.score >= s.long_answer_min_score
                and best.score - runner_up >= s.long_answer_min_margin
            )
        )
        intent = self.matcher.intent(query)
        if intent.greeting:
            return Reply(text, "greeting", (texts.WELCOME + "\n" + texts.PRIVACY).format(**self.contacts))
        # "不满意，可以向哪投诉" is unhappy but asks a question the guide answers: answer it (or
        # offer the choices), rather than treat it as a complaint.
        if intent.complaint and not (intent.asks and best is not None and best.score >= s.clarify_min_score):
            return self._complaint(text, top_id, top_score, intent.tipoff)
        if best is None or not query.normalized:
            return self._fallback(text, query, top_id, top_score)
        if confident:
            return Reply(text, "answer", self._entry_text(best.entry.answer, best.entry.source), top_id, top_score)
        choices = [c for c in ranked[: s.clarify_choices] if c.score >= s.clarify_min_score]
        if choices:
            return self._clarify(text, choices)
        # A story the guide has nothing for, told with a grievance ("到底有没有人管") or telling of a
        # hazard without asking anything ("车间粉尘大，口罩都不发"), is someone reporting something:
        # offer the complaint way rather than an apology.
        story = intent.grievance or (intent.hazard and intent.tells)
        if story and len(query.normalized) >= s.story_min_chars:
            return self._complaint(text, top_id, top_score, intent.hazard)
        return self._fallback(text, query, top_id, top_score)

    def _complaint(self, text: str, top_id: str | None, top_score: float, tipoff: bool) -> Reply:
        body = texts.COMPLAINT + (texts.TIPOFF if tipoff else "")
        return Reply(text, "complaint", body.format(**self.contacts), top_id, top_score, tipoff=tipoff)

    def _clarify(self, text: str, choices: list[Scored]) -> Reply:
        lines = [texts.CLARIFY] + [
            texts.CLARIFY_CHOICE.format(number=n, title=c.entry.question) for n, c in enumerate(choices, 1)
        ]
        lines.append(texts.CLARIFY_NONE.format(**self.contacts))
        return Reply(
            text,
            "clarify",
            "\n".join(lines),
            choices[0].entry.id,
            choices[0].score,
            [Choice(c.entry.id, c.entry.question, c.score) for c in choices],
        )

    def _fallback(self, text: str, query: Query, top_id: str | None, top_score: float) -> Reply:
        # A question the guide cannot answer may name a published document: offer it if it
        # matches well, rather than only apologising.
        # Items that match this well share the question's rare words: a small budget finds them.
        found = self.catalogue.search_query(
            query, limit=3, min_score=self.settings.catalogue_answer_min_score, budget=FALLBACK_SEARCH_BUDGET
        )
        if found.hits:
            body = found.text(header=texts.CATALOGUE_ANSWER_HEADER)
            body += "\n" + texts.CATALOGUE_ANSWER_FOOTER.format(**self.contacts)
            return Reply(text, "catalogue", body, top_id, top_score, hits=found.as_json()["hits"])
        return Reply(text, "fallback", texts.FALLBACK.format(**self.contacts), top_id, top_score)
