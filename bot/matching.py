"""Matching, a pure function of (knowledge, text): which guide entry answers a question, which
catalogue items fit a search, and whether a message is a complaint. No I/O; built once at start-up.

How a guide entry is scored: every phrasing of it (its question, alternatives and keywords) is a
document of an n-gram index. A question's similarity to a phrasing is the F-measure of two
coverages weighted by term rarity: how much of the question the phrasing explains (recall,
weighted ``RECALL_BETA`` times more: a citizen's question is short and every word of it counts),
and how much of the phrasing the question covers (precision). A word the guide never uses (护照
in 申请护照) explains nothing and keeps recall low, which is what keeps near misses out. Each
phrasing's score is blended with rapidfuzz's ratio on the pinyin, which forgives a character typed
wrong, and the entry's best with how much of the question all its phrasings together explain (a
paraphrase often borrows words from several).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from .knowledge import CatalogueItem, GuideEntry, Knowledge, Lexicon
from .ngram import CHAR, CHAR_BIGRAM, CHAR_SKIP, PINYIN, PINYIN_BIGRAM, Field, NgramIndex, release_memory
from .textnorm import BREAK, Normalizer, Units, pinyin_of

RECALL_BETA = 2.0
# Share of the final score taken by rapidfuzz's ratio on the pinyin of the best phrasing.
FUZZ_SHARE = 0.25
# Phrasings (and entries) that get the full score: the rest share fewer of the question's terms.
GUIDE_CANDIDATES = 16
# Share of an entry's score taken by how much of the question all its phrasings together explain.
ENTRY_SHARE = 0.5
# A catalogue hit's score: how much of the query its title explains, its fuzzy similarity to the
# title (partial titles score high), and a little of how much of the title the query covers.
SEARCH_RECALL_SHARE = 0.6
SEARCH_FUZZ_SHARE = 0.3
# Phrasings are read with every kind of term: the guide is small, so the cost is nothing.
GUIDE_KINDS = (CHAR, CHAR_BIGRAM, CHAR_SKIP, PINYIN, PINYIN_BIGRAM)
TITLE_KINDS = (CHAR_BIGRAM, CHAR_SKIP, PINYIN_BIGRAM)
DETAIL_KINDS = (CHAR_BIGRAM,)
DETAIL_WEIGHT = 0.5


@dataclass(frozen=True)
class Scored:
    """A guide entry and how well it matches, from 0 to 1."""

    entry: GuideEntry
    score: float
    exact: bool = False  # the question, normalised, is one of the entry's phrasings


@dataclass(frozen=True)
class Hit:
    """A catalogue item and how well it matches a search, from 0 to 1."""

    item: CatalogueItem
    score: float


@dataclass(frozen=True)
class Intent:
    """Whether a message is a complaint, names a work-safety hazard, asks something, or only greets."""

    complaint: bool = False
    tipoff: bool = False
    grievance: bool = False
    hazard: bool = False
    asks: bool = False
    tells: bool = False  # reports rather than asks, judged leniently for a long story
    greeting: bool = False


@dataclass
class Query:
    """A question, normalised once and shared by every matcher."""

    text: str
    normalized: str
    units: Units
    pinyin: str = field(repr=False, default="")
    simple: str = field(repr=False, default="")  # normalised but with its fillers (吗, 请问)


def _f_measure(recall: np.ndarray, precision: np.ndarray, beta: float) -> np.ndarray:
    b2 = beta * beta
    denominator = b2 * precision + recall
    return np.where(denominator > 0, (1 + b2) * precision * recall / np.maximum(denominator, 1e-9), 0.0)


class Matcher:
    """The guide, the catalogue and the lexicon, indexed for matching.

    :param knowledge: what the bureau knows
    """

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        lexicon = knowledge.lexicon
        self.normalizer = Normalizer(lexicon.synonyms, lexicon.fillers)
        self._intent = _IntentRules(lexicon, self.normalizer.simplify)
        self._build_guide(knowledge.guide)
        self._build_catalogue(knowledge.catalogue)
        release_memory()

    # --- building ------------------------------------------------------------------------------

    def _build_guide(self, guide: tuple[GuideEntry, ...]) -> None:
        texts: list[str] = []
        owners: list[int] = []
        for number, entry in enumerate(guide):
            for phrasing in (entry.question, *entry.alternatives, *entry.keywords):
                texts.append(phrasing)
                owners.append(number)
        normalized = self.normalizer.normalize_many(texts)
        keep = [i for i, t in enumerate(normalized) if t]
        self._phrasings = [normalized[i] for i in keep]
        self._phrasing_owner = np.array([owners[i] for i in keep], dtype=np.int32)
        self._phrasing_pinyin = [pinyin_of(self.normalizer.units(t)) for t in self._phrasings]
        self._guide = guide
        # Exact phrasings answer at once: staff wrote that wording for that entry. And the same
        # phrasings, one document per entry: a paraphrase often takes its words from several
        # alternatives at once, which no single phrasing shows.
        self._exact: dict[str, int] = {}
        joined: list[list[str]] = [[] for _ in guide]
        for text, owner in zip(self._phrasings, self._phrasing_owner.tolist()):
            self._exact.setdefault(text, owner)
            joined[owner].append(text)
        self._guide_index = NgramIndex([Field(self._phrasings, 1.0, GUIDE_KINDS)])
        self._entry_index = NgramIndex([Field([BREAK.join(p) for p in joined], 1.0, GUIDE_KINDS)])

    def _build_catalogue(self, catalogue: tuple[CatalogueItem, ...]) -> None:
        titles = self.normalizer.normalize_many(item.title for item in catalogue)
        details = self.normalizer.normalize_many(
            f"{item.summary} {item.category} {item.column} {item.index_no}" for item in catalogue
        )
        self._catalogue = catalogue
        self._titles = titles
        self._catalogue_index = NgramIndex(
            [Field(titles, 1.0, TITLE_KINDS), Field(details, DETAIL_WEIGHT, DETAIL_KINDS)]
        )

    # --- querying -------------------------------------------------------------------------------

    def query(self, text: str) -> Query:
        """Normalise ``text`` once for :meth:`rank`, :meth:`search` and :meth:`intent`."""
        simple, normalized = self.normalizer.normalize_both(text)
        units = self.normalizer.units(normalized)
        return Query(text, normalized, units, pinyin_of(units), simple)

    def rank(self, query: Query, limit: int = 5) -> list[Scored]:
        """The guide entries that best answer ``query``, best first, at most ``limit``."""
        found = self._guide_index.candidates(query.units, limit=GUIDE_CANDIDATES)
        if len(found.docs) == 0:
            return []
        lexical = _f_measure(found.query_cover, found.doc_cover, RECALL_BETA)
        best: dict[int, float] = {}
        for doc, score in zip(found.docs.tolist(), lexical.tolist()):
            fuzzy = fuzz.ratio(query.pinyin, self._phrasing_pinyin[doc]) / 100
            total = (1 - FUZZ_SHARE) * score + FUZZ_SHARE * fuzzy * score**0.5
            owner = int(self._phrasing_owner[doc])
            if total > best.get(owner, 0.0):
                best[owner] = total
        whole = self._entry_index.candidates(query.units, limit=GUIDE_CANDIDATES)
        support = dict(zip(whole.docs.tolist(), whole.query_cover.tolist()))
        combined = {
            owner: (1 - ENTRY_SHARE) * score + ENTRY_SHARE * support.get(owner, 0.0) for owner, score in best.items()
        }
        exact = self._exact.get(query.normalized)
        if exact is not None:
            combined[exact] = max(combined.get(exact, 0.0), 1.0)
        ranked = sorted(combined.items(), key=lambda kv: (kv[0] == exact, kv[1]), reverse=True)[:limit]
        return [Scored(self._guide[i], round(min(s, 1.0), 4), i == exact) for i, s in ranked]

    def search(self, query: Query, limit: int = 10, min_score: float = 0.0, budget: int = 50_000) -> list[Hit]:
        """Catalogue items for a keyword, a partial title or a description, best first.

        :param budget: postings read at most (see ``NgramIndex.candidates``); a smaller one is
          enough to find only the items that match very well
        """
        found = self._catalogue_index.candidates(query.units, budget=budget, limit=max(50, limit * 3))
        if len(found.docs) == 0:
            return []
        hits: list[Hit] = []
        for doc, recall, precision in zip(found.docs.tolist(), found.query_cover.tolist(), found.doc_cover.tolist()):
            fuzzy = fuzz.partial_ratio(query.normalized, self._titles[doc]) / 100
            score = (
                SEARCH_RECALL_SHARE * recall
                + SEARCH_FUZZ_SHARE * fuzzy
                + (1 - SEARCH_RECALL_SHARE - SEARCH_FUZZ_SHARE) * precision
            )
            if score >= min_score:
                hits.append(Hit(self._catalogue[doc], round(score, 4)))
        # Ties (the same words in many titles) go to the newest item.
        hits.sort(key=lambda h: (h.score, h.item.date), reverse=True)
        return hits[:limit]

    def intent(self, query: Query) -> Intent:
        """Whether the message is a complaint or tip-off rather than a question."""
        return self._intent(query.text, query.simple)


GAP = ".{0,6}"
LONG_MESSAGE = 20


class _IntentRules:
    """Complaint and tip-off recognition from the lexicon's word lists.

    A message is a complaint when it uses a word that only a complainant uses (我要投诉, 态度差,
    超期未答复); or a word of complaining or of a hazard (投诉, 举报, 隐患, 事故) without asking
    anything, because "投诉电话多少" and "安全隐患去哪举报" are questions the guide answers.

    ``grievance`` and ``hazard`` mark the softer signs (到底有没有人管, 走过场; 漏气, 脚手架): the
    Answerer treats such a message as a complaint only when it is a story the guide has nothing for.
    """

    def __init__(self, lexicon: Lexicon, simplify: Callable[[str], str]) -> None:
        def pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
            # The words are normalised the way messages are, so 資訊 and full-width forms match;
            # "…" in a word stands for up to GAP characters (态度…差 matches 态度特别差).
            forms = sorted(
                {GAP.join(re.escape(simplify(part) or part) for part in w.split("…")) for w in words},
                key=len,
                reverse=True,
            )
            return re.compile("|".join(forms)) if forms else None

        self._complaint = pattern(lexicon.complaint)
        self._topic = pattern(lexicon.complaint_topics)
        self._tipoff = pattern(lexicon.tipoff)
        self._grievance = pattern(lexicon.grievance)
        self._hazards = pattern(lexicon.hazards)
        self._asking = pattern(tuple(w for w in lexicon.asking if w != "?"))
        # In a long message a one-character asking word (几, 谁, 哪) is as likely part of a story
        # (好几回, 谁也跑不出去): there only the longer words and a question mark count.
        self._asking_long = pattern(tuple(w for w in lexicon.asking if len(w) > 1))
        self._greeting = pattern(lexicon.greetings)
        self._question_mark = "?" in lexicon.asking

    def __call__(self, text: str, simple: str) -> Intent:
        if simple and self._greeting and not self._greeting.sub("", simple).replace(" ", ""):
            return Intent(greeting=True)
        marked = self._question_mark and ("?" in text or "？" in text)
        asks = bool(self._asking and self._asking.search(simple)) or marked
        asking = self._asking if len(simple) < LONG_MESSAGE else self._asking_long
        tells = not (bool(asking and asking.search(simple)) or marked)
        tipoff = bool(self._tipoff and self._tipoff.search(simple))
        strong = bool(self._complaint and self._complaint.search(simple))
        topic = bool(self._topic and self._topic.search(simple))
        grievance = bool(self._grievance and self._grievance.search(simple))
        return Intent(
            complaint=strong or ((topic or tipoff) and not asks),
            tipoff=tipoff,
            grievance=grievance,
            hazard=tipoff or bool(self._hazards and self._hazards.search(simple)),
            asks=asks,
            tells=tells,
        )
