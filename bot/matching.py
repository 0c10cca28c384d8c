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

import datetime as dt
import hashlib
import itertools
import math
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np
from rapidfuzz import fuzz

from . import ngram as ngram_module
from . import textnorm as textnorm_module
from .calibration import Calibration, Decision
from .config import Settings
from .english import EnglishWords
from .knowledge import CatalogueItem, GuideEntry, Knowledge, Lexicon
from .ngram import CHAR, CHAR_BIGRAM, CHAR_SKIP, PINYIN, PINYIN_BIGRAM, Field, NgramIndex, release_memory
from .reading import (
    BOUND_ASKED,
    CHOICE_OF_TWO,
    asking_clauses,
    asks_by_grammar,
    asks_in_english,
    asks_which_office,
    focus,
    is_english,
    listed,
    names_a_date,
    questions,
    read_years,
    without_needs_told,
    without_suppositions,
)
from .semantic import Classifier, Embedder, newest_first, save_cached
from .textnorm import BREAK, Normalizer, Slips, Units, office_named, pinyin_of, without_opener

RECALL_BETA = 2.0
# Share of the final score taken by rapidfuzz's ratio on the pinyin of the best phrasing.
FUZZ_SHARE = 0.25
# Entries that get the full score: the rest share fewer of the question's terms. They are counted
# by entry, from the best GUIDE_PHRASINGS phrasings, so that an entry with many near-identical
# phrasings (申请信息公开要多少钱, 申请信息公开要钱吗…) does not crowd out the one whose single
# phrasing has the word asked (申请信息公开要多久).
GUIDE_CANDIDATES = 16
GUIDE_PHRASINGS = 4 * GUIDE_CANDIDATES
# A question not answered is told it is another office's business (and given 12345) when the
# classifier's other-offices class has at least ELSEWHERE_KIND, or it asks which office handles
# it, and the scope model gives it under ELSEWHERE_SCOPE, or the scope model alone under
# ELSEWHERE_SURE (a preamble, 俺想问问, lowers the classifier's share): on the labelled sets'
# questions not answered, 0 of 58 in scope and 2 in 3 of the 508 out of scope (the scope model
# alone under 0.05 would take 2 in scope); asking which office, 11 more out of scope, none in scope.
ELSEWHERE_KIND = 0.5
ELSEWHERE_SCOPE = 0.2
ELSEWHERE_SURE = 0.01
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
# Catalogue indexes kept in the cache: the one in force and the one before (50 MB for 100,000 items).
CATALOGUE_CACHE_FILES = 2
MAX_PARTS = 3  # a message's questions answered part by part, at most
# Candidate entries taken from each signal before the calibrated model scores them.
CANDIDATES = 8
ANSWER_CANDIDATES = 3
# A question's focus (without its preamble) is matched too, its scores discounted by this much:
# the preamble sometimes carries the point ("我是开加油站的").
FOCUS_DISCOUNT = 0.95
FOCUS_MIN_CHARS = 4
# A message this long (normalised) that tells of a grievance or a hazard is a story: a sign that
# it reports rather than asks.
STORY_MIN_CHARS = 12
COMPLAINT, OUT_OF_SCOPE = "complaint", "none"  # what a lexicon example is
# The classifier's classes past the guide's entries (see Meaning.kinds).
KIND_COMPLAINT, KIND_ELSEWHERE = 0, 1
# A referral's share among the referrals staff taught is read against this much more: when every
# one of them is unlikely (公租房 asked where only 医保 and 护照 were taught), none of them leads.
REFERRAL_FLOOR = 0.02
# The lexical model's probability at which the words alone settle a question. On the tuning sets
# (821 questions), answers at 0.95 were never wrong nor out of scope; at its own threshold (0.86)
# 6 were wrong and 3 out of scope, which the semantic signal catches. Over every labelled set
# (4,380 messages) 0.95 settled 560 besides the exact phrasings, of which 7 were answered wrongly or
# out of scope where the whole model would not have answered them; at 0.98, 341, with 6 fewer wrong
# answers and 1 fewer out of scope over the sets, as many right (fifteenth session).
WORDS_SETTLE_AT = 0.98
# e5's cosine similarities between unrelated questions rarely fall below this.
SEMANTIC_FLOOR = 0.8
_CJK_PAIR = re.compile(r"[\u3400-\u9fff]{2,}")


def _bigrams(text: str) -> list[str]:
    """The character bigrams of the Chinese runs of a normalised text."""
    return [run[i : i + 2] for run in _CJK_PAIR.findall(text) for i in range(len(run) - 1)]


@dataclass(frozen=True)
class Scored:
    """A guide entry and how well it matches: ``score`` is the calibrated probability that it is
    the right answer; ``lexical`` and ``semantic`` are the two signals it was decided on."""

    entry: GuideEntry
    score: float
    exact: bool = False  # the question, normalised, is one of the entry's phrasings
    lexical: float = 0.0
    semantic: float = 0.0


@dataclass(frozen=True)
class Candidate:
    """A guide entry considered for a question, with the features its probability is read from."""

    owner: int
    id: str
    features: dict[str, float]
    exact: bool


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
    emergency: bool = False  # a danger happening now (着火了, 有人被困): told 119, 120, 110 first
    asks: bool = False
    tells: bool = False  # reports rather than asks, judged leniently for a long story
    greeting: bool = False
    thanks: bool = False  # only thanks or an acknowledgement (谢谢, 好的)
    thanked: bool = False  # ... thanks among them (谢谢, 好的谢谢; not 好的 alone)
    not_it: bool = False  # only that the last reply missed (不是这个, 答非所问)
    cancels: bool = False  # only 取消 or 退出, when nothing is in progress to cancel
    requests: bool = False  # asks for information (统计, 案例, 公开): 事故统计 is no tip-off
    complaint_words: bool = False  # words only a complainant uses (我要投诉, 态度差)
    complaint_topic: bool = False  # words of complaining (投诉, 举报, 不满)
    others_business: bool = False  # about another office's business only (快递员把我包裹弄丢了)
    own_business: bool = False  # names the bureau or its business (你们, 申请, 信息, 电话)
    work_safety: bool = False  # names a matter of the bureau's field (非煤矿山, 特种作业操作证)
    injured: bool = False  # tells of someone hurt (砸伤, 手被机器绞了)


@dataclass(frozen=True)
class Meaning:
    """What the semantic signal reads from a question: its embedding, its cosine similarity to
    every phrasing and every answer of the guide, and the classifier's probabilities (one per
    entry, then a complaint's, then another office's)."""

    vector: np.ndarray
    phrasings: np.ndarray
    answers: np.ndarray
    kinds: np.ndarray


@dataclass
class Query:
    """A question, normalised once and shared by every matcher."""

    text: str
    normalized: str
    units: Units
    pinyin: str = field(repr=False, default="")
    simple: str = field(repr=False, default="")  # normalised but with its fillers (吗, 请问)
    years: tuple[int, ...] = ()  # the years it names, whatever the spelling (二〇〇九年, 去年)
    english: bool = False
    read: str = field(repr=False, default="")  # the text with its years written as digits
    focus: Query | None = field(repr=False, default=None)  # without a personal preamble, if it has one
    core: Query | None = field(repr=False, default=None)  # only its clauses that ask, if others do not
    # Its embedding and what is read from it, once computed (see Matcher._meaning).
    meaning: Meaning | None = field(repr=False, default=None)
    semantic: bool = True  # decided with the semantic signal (False: the words settle it)

    @property
    def readable(self) -> bool:
        """Whether any of it reads as words: Chinese characters, typed pinyin or English (not
        asdfgh, qwerty)."""
        return self.english or bool((self.units.syllables >= 0).any())


def _f_measure(recall: np.ndarray, precision: np.ndarray, beta: float) -> np.ndarray:
    b2 = beta * beta
    denominator = b2 * precision + recall
    return np.where(denominator > 0, (1 + b2) * precision * recall / np.maximum(denominator, 1e-9), 0.0)


class Matcher:
    """The guide, the catalogue and the lexicon, indexed for matching.

    :param knowledge: what the bureau knows
    :param previous: the matcher this one replaces (a reload): its catalogue index is kept when
      the catalogue and the words that normalise it are as they were (staff taught a phrasing)
    """

    _catalogue: tuple[CatalogueItem, ...]
    _titles: list[str]
    _catalogue_index: NgramIndex
    _number_index: _NumberIndex
    _grouped: dict[str, dict[str, list[CatalogueItem]]]  # see grouped

    def __init__(
        self,
        knowledge: Knowledge,
        embedder: Embedder | None = None,
        *,
        cache_dir: Path | None = None,
        calibration: Calibration | None = None,
        previous: Matcher | None = None,
    ) -> None:
        self.knowledge = knowledge
        lexicon = knowledge.lexicon
        self.normalizer = Normalizer(lexicon.synonyms, lexicon.fillers)
        self._regional = _any_of(lexicon.regional)
        self._intent = _IntentRules(lexicon, self.normalizer.simplify)
        # The lexicon's examples word for word (a complaint staff taught): what they are is known.
        self._examples = {self.normalizer.normalize(t): OUT_OF_SCOPE for t in lexicon.out_of_scope_examples}
        self._examples |= {self.normalizer.normalize(t): COMPLAINT for t in lexicon.complaint_examples}
        elsewhere = self.normalizer.normalize_many(lexicon.out_of_scope_examples)
        self._elsewhere_index = NgramIndex([Field(elsewhere, 1.0, GUIDE_KINDS)])
        self.embedder = embedder
        self._cache_dir = cache_dir
        self._calibration = calibration or Calibration.load()
        self._build_guide(knowledge.guide)
        self._build_semantic(cache_dir)
        self._build_catalogue(knowledge.catalogue, previous, cache_dir)
        self._build_catalogue_meaning(previous, cache_dir)
        self._build_vocabulary()
        release_memory()

    @property
    def calibration(self) -> Calibration:
        """The calibrated models it decides with."""
        return self._calibration

    def use(self, calibration: Calibration) -> None:
        """Decide with ``calibration`` from now on (fitting reads features under the new model)."""
        self._calibration = calibration

    def without(self, normalized: Collection[str]) -> Matcher:
        """This matcher had the wordings that normalise to ``normalized`` never been taught (see
        :meth:`Knowledge.without`): what fitting the calibration scores a labelled question on
        that staff have since taught word for word, as the next citizen's paraphrase is scored."""
        held = set(normalized)
        knowledge = self.knowledge.without(lambda text: self.normalizer.normalize(text) in held)
        calibration = self._calibration
        return Matcher(knowledge, self.embedder, cache_dir=self._cache_dir, calibration=calibration, previous=self)

    @property
    def classifier(self) -> Classifier | None:
        """What the semantic signal reads a question as an example of (None without it)."""
        return self._classifier

    def decision(self, query: Query) -> Decision:
        """The calibrated models that decide ``query``: with the semantic signal, or on the
        lexical one alone (where the semantic signal is off, or the words settle it)."""
        return self._calibration.model(semantic=query.semantic and self._semantic is not None)

    def settled_by_words(self, query: Query) -> Query | None:
        """``query`` to be decided on the lexical signal alone, when its own calibrated model is
        sure of the answer and sees no complaint; else None (the question needs its meaning).

        Most questions are asked in the guide's words: they are answered without embedding
        them, which keeps a channel's throughput near a bare bot's.
        """
        if self._semantic is None:
            return None
        focused = replace(query.focus, semantic=False) if query.focus is not None else None
        lexical = replace(query, semantic=False, focus=focused)
        ranked = self.rank(lexical, limit=1)
        if not ranked:
            return None
        best, decision, intent = ranked[0], self.decision(lexical), self.intent(lexical)
        if not (best.exact or best.score >= WORDS_SETTLE_AT):
            return None
        # Words as close to another office's business (营业执照咋办, beside 营业执照在哪办) as to the
        # guide (营业执照 is what a company brings to apply) say nothing of which it is.
        if not best.exact and self._elsewhere_words(lexical) >= best.lexical:
            return None
        if intent.complaint or intent.grievance or intent.hazard:
            return None
        if self.complaint_probability(lexical, intent, best) >= decision.complaint.answer_at:
            return None
        return lexical

    def _elsewhere_words(self, query: Query) -> float:
        """How well the lexicon's examples of other offices' business explain ``query``'s words (the
        guide's phrasings are scored alike in :meth:`_lexical`)."""
        found = self._elsewhere_index.candidates(query.units, limit=CANDIDATES)
        if len(found.docs) == 0:
            return 0.0
        return float(_f_measure(found.query_cover, found.doc_cover, RECALL_BETA).max())

    # --- building ------------------------------------------------------------------------------

    def _build_guide(self, guide: tuple[GuideEntry, ...]) -> None:
        texts: list[str] = []
        owners: list[int] = []
        keywords: set[int] = set()  # which of the texts are keywords (see by_keyword)
        for number, entry in enumerate(guide):
            for phrasing in (entry.question, *entry.alternatives, *entry.keywords):
                texts.append(phrasing)
                owners.append(number)
            keywords.update(range(len(texts) - len(entry.keywords), len(texts)))
        # Each entry's English question is a phrasing of the semantic signal (after the others: the
        # classifier is not fitted on it) and answers word for word; not of the lexical one, whose
        # n-grams tie English too loosely ("where to apply" to "Does applying cost anything?").
        self._classified = len(texts)
        titles = [(number, entry.question_en) for number, entry in enumerate(guide) if entry.question_en]
        self._phrasings_written = texts + [title for _, title in titles]  # as written, for the semantic signal
        self._written_owner = np.array(owners + [number for number, _ in titles], dtype=np.int64)
        normalized = self.normalizer.normalize_many(texts)
        keep = [i for i, t in enumerate(normalized) if t]
        self._phrasings = [normalized[i] for i in keep]
        self._phrasing_owner = np.array([owners[i] for i in keep], dtype=np.int32)
        self._phrasing_pinyin = [pinyin_of(self.normalizer.units(t)) for t in self._phrasings]
        self._guide = guide
        self._referrals = np.array([n for n, entry in enumerate(guide) if entry.refer], dtype=np.int64)
        # Exact phrasings answer at once: staff wrote that wording for that entry. And the same
        # phrasings, one document per entry: a paraphrase often takes its words from several
        # alternatives at once, which no single phrasing shows.
        self._exact: dict[str, int] = {}
        joined: list[list[str]] = [[] for _ in guide]
        for text, owner in zip(self._phrasings, self._phrasing_owner.tolist()):
            self._exact.setdefault(text, owner)
            joined[owner].append(text)
        for (number, _), title in zip(titles, self.normalizer.normalize_many(title for _, title in titles)):
            self._exact.setdefault(title, number)
        # In English, the same words with others any question has (your fax number? for What is the
        # fax number?): see english.py.
        self._english = EnglishWords(
            (n, text) for n, e in enumerate(guide) for text in (e.question_en, *e.alternatives) if is_english(text)
        )
        self._keywords = [(owners[i], normalized[i]) for i in sorted(keywords) if normalized[i]]
        self._citing: dict[int, list[GuideEntry]] = {}
        for entry in guide:
            for article in regulation_articles(entry.source):
                self._citing.setdefault(article, []).append(entry)
        for citing in self._citing.values():  # an answer that cites it alone first: it is about it
            citing.sort(key=lambda e: len(regulation_articles(e.source)))
        self._guide_index = NgramIndex([Field(self._phrasings, 1.0, GUIDE_KINDS)])
        self._entry_index = NgramIndex([Field([BREAK.join(p) for p in joined], 1.0, GUIDE_KINDS)])

    def _build_semantic(self, cache_dir: Path | None) -> None:
        """Every phrasing of every entry embedded (as written: the model reads whole words)."""
        self._semantic: np.ndarray | None = None
        self._classifier: Classifier | None = None
        self._untaught: _Untaught | None = None
        self._complaint_examples = self._out_of_scope_examples = np.zeros((0, 1), dtype=np.float32)
        if self.embedder is None:
            return
        texts = self._phrasings_written
        lexicon = self.knowledge.lexicon
        examples, labels = _classifier_examples(self._guide, lexicon)
        vectors = self.embedder.embed_cached(examples, cache_dir)
        english = self.embedder.embed_cached(texts[self._classified :], cache_dir)  # the English questions
        self._semantic = np.concatenate([vectors[: self._classified], english])
        self._guide_rows = ~np.isin(self._written_owner, self._referrals)  # the phrasings but referrals'
        # The answers too, as the passages that answer a question (an English one among them):
        # a question worded like none of the phrasings may still be close to what answers it.
        answers = [(n, e.answer) for n, e in enumerate(self._guide)] + [
            (n, e.answer_en) for n, e in enumerate(self._guide) if e.answer_en
        ]
        self._answers = self.embedder.embed_cached([a for _, a in answers], cache_dir, passages=True)
        self._answer_owner = np.array([n for n, _ in answers], dtype=np.int64)
        self._complaint_examples = vectors[self._classified : self._classified + len(lexicon.complaint_examples)]
        self._out_of_scope_examples = vectors[self._classified + len(lexicon.complaint_examples) :]
        entries = len(self._guide)
        self._classifier = Classifier.fitted(vectors, labels, entries + 2, entries, cache_dir, examples)
        if self.knowledge.base is not None:
            embedded = dict(zip(examples, vectors))
            self._untaught = _Untaught.of(self.knowledge.base, self._guide, lexicon, embedded, cache_dir)

    def _build_vocabulary(self) -> None:
        """The character bigrams the knowledge uses anywhere: a question's bigrams outside it are
        words the bureau never speaks of (公租房, 医保, 通行证), which weigh against answering. A
        referral staff taught (公租房: the housing bureau) does not make its words the bureau's."""
        texts = [
            text
            for entry in self.knowledge.guide
            if not entry.refer
            for text in (entry.question, *entry.alternatives, *entry.keywords, entry.answer, entry.section)
        ]
        texts += [f"{i.title} {i.category} {i.column}" for i in self.knowledge.catalogue[:20_000]]
        lexicon = self.knowledge.lexicon
        texts += [*lexicon.synonyms, *lexicon.synonyms.values(), *lexicon.fillers, *lexicon.asking]
        vocabulary: set[str] = set()
        for text in self.normalizer.normalize_many(texts):
            vocabulary.update(_bigrams(text))
        self._vocabulary = frozenset(vocabulary)
        # Daily life's words (我爹, 腿脚) are left out of a question before its unknown words are
        # counted, so that neither they nor the pairs they make with their neighbours count.
        self._everyday = _any_of(w for w in self.normalizer.normalize_many(lexicon.everyday) if w)
        keep = (variant for variant in lexicon.synonyms if len(variant) == 1)  # 俺, 恁: the lexicon's
        self._slips = Slips([self.normalizer.script("\n".join(texts))], keep)

    def _build_catalogue(
        self, catalogue: tuple[CatalogueItem, ...], previous: Matcher | None = None, cache_dir: Path | None = None
    ) -> None:
        if previous is not None and previous.normalizer.same_as(self.normalizer) and previous._catalogue == catalogue:
            # Read-only once built, the index is shared: a reload after teaching does not index
            # 100,000 titles again (about 3 s).
            self._catalogue, self._titles = previous._catalogue, previous._titles
            self._catalogue_index, self._number_index = previous._catalogue_index, previous._number_index
            self._grouped = previous._grouped
            return
        self._catalogue = catalogue
        self._grouped = {}
        path = catalogue_file(catalogue, self.normalizer, cache_dir) if cache_dir is not None and catalogue else None
        if path is not None and self._read_catalogue(path):
            return
        titles = self.normalizer.normalize_many(item.title for item in catalogue)
        details = self.normalizer.normalize_many(
            f"{item.summary} {item.category} {item.column} {item.index_no}" for item in catalogue
        )
        # A title's words are indexed without its numbers, and its numbers after them, each
        # apart: a query puts a year anywhere (2012区安监局工作要点), and as characters 2012 and
        # 2021 have most in common. The numbers' own pairs still find the items that have them,
        # and _NumberIndex compares them as whole tokens. Queries are read the same way (_apart).
        joined = "\n".join(titles)
        self._titles = _without_numbers(joined).split("\n") if titles else []
        numbers = _NOT_NUMBER.sub(BREAK, joined).split("\n") if titles else []
        self._catalogue_index = NgramIndex(
            [
                Field([w + BREAK + n for w, n in zip(self._titles, numbers)], 1.0, TITLE_KINDS),
                Field(details, DETAIL_WEIGHT, DETAIL_KINDS),
            ]
        )
        self._number_index = _NumberIndex(joined, catalogue)
        if path is not None and cache_dir is not None:
            others = [f for f in newest_first(cache_dir.glob("catalogue-*.npz")) if f != path]
            titles_utf8 = np.frombuffer("\n".join(self._titles).encode(), dtype=np.uint8)
            arrays = self._catalogue_index.state("index_") | self._number_index.state() | {"titles": titles_utf8}
            save_cached(cache_dir, path, others[: CATALOGUE_CACHE_FILES - 1], **arrays)

    def _build_catalogue_meaning(self, previous: Matcher | None, cache_dir: Path | None) -> None:
        """Every catalogue item's title and summary embedded, as the passages a look-up asks for
        (see SEARCH_MEANING_SHARE); none without the semantic signal or for a catalogue too large."""
        self._catalogue_meaning: np.ndarray | None = None
        catalogue = self._catalogue
        if self.embedder is None or not catalogue or len(catalogue) > MEANING_MAX_ITEMS:
            return
        if previous is not None and previous._catalogue is catalogue and previous.embedder is self.embedder:
            self._catalogue_meaning = previous._catalogue_meaning
            return
        passages = [f"{item.title}：{item.summary}" if item.summary else item.title for item in catalogue]
        self._catalogue_meaning = self.embedder.embed_cached(passages, cache_dir, passages=True, family="catalogue")

    def _read_catalogue(self, path: Path) -> bool:
        """Take the catalogue's index from ``path``; False where there is none to read (not
        built yet, or a damaged file: it is built again)."""
        try:
            with np.load(path) as saved:
                arrays = {name: saved[name] for name in saved.files}
            index, numbers = NgramIndex.restored(arrays, "index_"), _NumberIndex.restored(arrays)
            titles = arrays["titles"].tobytes().decode().split("\n")
        except (OSError, ValueError, KeyError, EOFError, UnicodeDecodeError, zipfile.BadZipFile):
            return False
        if len(titles) != len(self._catalogue) or index.size != len(self._catalogue):
            return False
        self._catalogue_index, self._number_index, self._titles = index, numbers, titles
        return True

    def grouped(self, by: Literal["category", "column", "index_no", "index_key"]) -> dict[str, list[CatalogueItem]]:
        """The catalogue's items by category, by website column, by index number or by its
        ``_index_key`` (as a quoted one is compared), newest first: grouped when first asked for
        (a tenth of a second for 100,000 items, which every start would pay), then kept, and
        taken over by the matcher of a reload that keeps the same catalogue."""
        if by not in self._grouped:
            grouped: dict[str, list[CatalogueItem]] = {}
            for item in sorted(self._catalogue, key=lambda i: i.date, reverse=True):
                key = _index_key(item.index_no) if by == "index_key" else getattr(item, by)
                grouped.setdefault(key, []).append(item)
            self._grouped[by] = grouped
        return self._grouped[by]

    def by_index_number(self, text: str) -> list[CatalogueItem]:
        """The items whose index numbers ``text`` quotes (ZDAJ-04-2009-0048, as every hit shows it;
        typed in other case, full-width or with other separators: zdaj 04 2009 0048)."""
        quoted = {_index_key(t) for t in _INDEX_NUMBER.findall(unicodedata.normalize("NFKC", text))} - {""}
        if not quoted:
            return []
        keyed = self.grouped("index_key")
        return [item for key in sorted(quoted) for item in keyed.get(key, [])]

    # --- querying -------------------------------------------------------------------------------

    def query(self, text: str, *, today: dt.date | None = None, years: tuple[int, ...] = ()) -> Query:
        """Read and normalise ``text`` once for :meth:`rank`, :meth:`search` and :meth:`intent`.

        A slip of a pinyin input method (申请要多就, 烟花暴竹) is put right first (see
        :class:`Slips`): everything reads the question as meant; but a question that is word for
        word one of the knowledge's wordings (看病花的钱怎么报, which staff taught) is read as typed.

        :param years: the years it is read of where it names none (a part of a message, of the
          years the part before it named)
        """
        read, named = read_years(text, today)
        read = without_opener(read)  # 那要带啥材料: what the model reads and the implied subject goes before
        read = office_named(read)  # the office that handles disclosure requests: your office
        read = self._intent.without_thanks(read)  # …, thank you very much
        if years and not named:
            read = "".join(f"{year}年" for year in years) + read
        typed = self.normalizer.script(read)
        fixed = self._slips.correct(typed)
        if fixed != typed and not self.taught(self.normalizer.normalize(typed)):  # its focus too
            read = fixed
        focused = focus(read, self.asks)
        # 零九年的年报说…，那一零年有人申请了吗: the year asked of is 2010's; 2009 is told before the question
        years = tuple(y for y in named if str(y) in focused) or named or years
        query = self._query(text, read)
        query.years = years
        query.english = is_english(text)
        if focused != read and len(focused) >= FOCUS_MIN_CHARS:
            query.focus = self._query(text, focused)
            query.focus.years, query.focus.english = years, query.english
        core = asking_clauses(read, self.asks)
        if core not in (read, focused) and len(core) >= FOCUS_MIN_CHARS:
            query.core = self._query(text, core)
            query.core.years, query.core.english = years, query.english
        return query

    def _query(self, text: str, read: str) -> Query:
        simple, normalized = self.normalizer.normalize_both(read)
        units = self.normalizer.units(normalized)
        return Query(text, normalized, units, pinyin_of(units), simple, read=read)

    def asks(self, text: str) -> bool:
        """Whether a piece of a message asks something: an asking word (after synonyms: 啥 is
        什么) or a question's grammar (收不收费, 能网上办不); in English, its first word."""
        asking = self._intent.asking
        if is_english(text):
            return asks_in_english(text)
        simple = without_needs_told(self.normalizer.simplify(text))
        return bool(asking and asking.search(simple)) or asks_by_grammar(text)

    def questions(self, query: Query) -> list[Query]:
        """The separate questions of a message (at most three), each read on its own."""
        parts = questions(query.text, self.asks, MAX_PARTS)  # each part shown in the citizen's words
        return [] if len(parts) < 2 else [self.query(part) for part in parts]

    def listed(self, query: Query) -> list[Query]:
        """The things a short message lists to ask of each (办公时间和电话: see ``reading.listed``),
        each read on its own; none for a message of one thing."""
        return [self.query(thing) for thing in listed(query.text, MAX_PARTS)]

    def questions_beyond(self, query: Query) -> list[str]:
        """The questions of a message after the three it is answered on (they are named in the
        reply, to be asked again, rather than dropped without a word)."""
        return questions(query.text, self.asks, limit=None)[MAX_PARTS:]

    def of_years_before(self, parts: list[Query]) -> list[Query | None]:
        """Each part of a message read of the years a part before it named, where it names none
        itself (09年公开了多少条 有人来申请没: whether anyone applied in 2009), nor a day of its own
        (2010年1月29日发的报告在哪); None for the others."""
        dated: list[Query | None] = []
        years: tuple[int, ...] = ()
        for part in parts:
            own = part.years or names_a_date(part.text)
            dated.append(self.query(part.text, years=years) if years and not own else None)
            years = part.years or years
        return dated

    def needs_meaning(self, text: str) -> list[str]:
        """The texts to embed before ``text`` can be answered: it and its separate questions (and
        those read of a year named before them), less those the words settle (see
        :meth:`settled_by_words`), and each without its preamble."""
        if self.embedder is None:
            return []
        query = self.query(text)
        separate = self.questions(query) or self.listed(query)
        dated = [p for p in self.of_years_before(separate) if p is not None]
        parts = [p for p in (query, *separate, *dated) if self.settled_by_words(p) is None]
        shorter = [q for p in parts for q in (p.focus, p.core) if q is not None]
        return [self._meant(p) for p in parts + shorter]

    def _meant(self, query: Query) -> str:
        """The text the semantic model reads: the question as typed, or, where it has other
        regions' words (粤语 边度, 西南官话 啷个), its 普通话 reading, which the model reads best."""
        text = _PARTICLES_AT_END.sub(r"\1", query.read or query.text)
        if self._regional is not None and self._regional.search(self.normalizer.script(text)):
            return self.normalizer.standard(text)
        return text

    def _meaning(self, query: Query) -> Meaning | None:
        """What the semantic signal reads from the question, or None without it."""
        if self.embedder is None or self._semantic is None or self._classifier is None or not query.semantic:
            return None
        if query.meaning is None:
            vector = self.embedder.embed_one(self._meant(query))
            kinds = self._classifier.probabilities(vector)
            if self._untaught is not None:
                kinds = self._untaught.kinds(vector, kinds)
            query.meaning = Meaning(vector, self._semantic @ vector, self._answers @ vector, kinds)
        return query.meaning

    def rank(self, query: Query, limit: int = 5, *, in_scope: bool = False) -> list[Scored]:
        """The guide entries most likely to answer ``query``, most likely first, at most ``limit``.

        Candidates come from both signals (the best of each); each is scored by the calibrated
        model on its lexical and semantic scores, their leads over the next entry, whether the two
        agree, and how much of the question the knowledge has never seen.

        :param in_scope: score each as if the question were known to be the bureau's business (the
          entry model alone): what staff choosing an entry for a question the bot could not place
          want to compare, where the whole probability is near 0 for every entry
        """
        decision = self.decision(query)

        def probability(c: Candidate) -> float:
            if in_scope:
                return decision.entry.probability(c.features)
            return decision.probability(c.features, refer=self._guide[c.owner].refer)

        scored = [
            Scored(
                self._guide[c.owner],
                1.0 if c.exact else round(probability(c), 4),
                c.exact,
                round(c.features["lexical"], 4),
                round(c.features["semantic"], 4),
            )
            for c in self.candidates(query)
        ]
        scored.sort(key=lambda c: (c.exact, c.score), reverse=True)
        return scored[:limit]

    def candidates(self, query: Query) -> list[Candidate]:
        """The candidate entries of ``query`` with the features the calibrated model reads."""
        exact = self._exact_owner(query)
        lexical = self._lexical(query, exact)
        if query.focus is not None:
            for owner, score in self._lexical(query.focus, self._exact_owner(query.focus)).items():
                lexical[owner] = max(lexical.get(owner, 0.0), FOCUS_DISCOUNT * score)
        meaning = self._meaning(query)
        semantic = self._entry_similarity(meaning.phrasings, self._written_owner) if meaning is not None else None
        answer = self._entry_similarity(meaning.answers, self._answer_owner) if meaning is not None else None
        kinds = meaning.kinds[: len(self._guide)] if meaning is not None else None
        owners = set(sorted(lexical, key=lexical.__getitem__, reverse=True)[:CANDIDATES])
        if semantic is not None and kinds is not None:
            owners.update(np.argsort(-semantic)[:CANDIDATES].tolist())
            owners.update(np.argsort(-kinds)[:CANDIDATES].tolist())
        if answer is not None:
            owners.update(np.argsort(-answer)[:ANSWER_CANDIDATES].tolist())
        if exact is not None:
            owners.add(exact)
        if not owners:
            return []
        unknown, run = self._unknown(query.normalized)
        shared = {
            "unknown": unknown,
            "unknown_run": run,
            "length": math.log1p(len(query.normalized)),
            "english": float(query.english),
            "focus": float(query.focus is not None),
            "out_of_scope": 0.0,
            "best_lexical": max(lexical.values(), default=0.0),
            "best_semantic": float(semantic.max()) if semantic is not None else 0.0,
        }
        if meaning is not None and semantic is not None and len(self._out_of_scope_examples):
            shared["out_of_scope"] = float((self._out_of_scope_examples @ meaning.vector).max() - semantic.max())
        referrals = float(kinds[self._referrals].sum()) if kinds is not None and len(self._referrals) else 0.0
        kinds_best = [*np.sort(kinds)[::-1][:2].tolist(), 0.0, 0.0] if kinds is not None else [0.0] * 4
        kinds_top = int(np.argmax(kinds)) if kinds is not None else -1
        if meaning is not None:
            shared["best_kind"] = kinds_best[0]
            shared["kind_elsewhere"] = self.elsewhere_share(query)
        lexical_best = [*sorted(lexical.values(), reverse=True)[:2], 0.0, 0.0]
        lexical_top = max(lexical, key=lexical.__getitem__) if lexical else -1
        semantic_best = [*np.sort(semantic)[::-1][:2].tolist(), 0.0, 0.0] if semantic is not None else [0.0] * 4
        semantic_top = int(np.argmax(semantic)) if semantic is not None else -1
        answer_best = [*np.sort(answer)[::-1][:2].tolist(), 0.0, 0.0] if answer is not None else [0.0] * 4
        answer_top = int(np.argmax(answer)) if answer is not None else -1
        shared["lexical_gap"] = lexical_best[0] - lexical_best[1]
        shared["semantic_gap"] = semantic_best[0] - semantic_best[1]
        lexical_rank = {o: r for r, o in enumerate(sorted(lexical, key=lexical.__getitem__, reverse=True), 1)}
        semantic_rank = (
            {int(o): r for r, o in enumerate(np.argsort(-semantic)[: 2 * CANDIDATES], 1)}
            if semantic is not None
            else {}
        )
        found: list[Candidate] = []
        for owner in owners:
            lex = lexical.get(owner, 0.0)
            sem = float(semantic[owner]) if semantic is not None else 0.0
            features = {
                **shared,
                "lexical": lex,
                "lexical_lead": lex - lexical_best[1 if owner == lexical_top else 0],
                "semantic": sem,
                "semantic_lead": sem - semantic_best[1 if owner == semantic_top else 0],
                "agree": float(owner == lexical_top == semantic_top),
                "lexical_top": float(owner == lexical_top),
                # Both high at once: a score and a lead (what a linear model cannot express alone).
                "lexical_and_lead": min(lex, 2.5 * (lex - lexical_best[1 if owner == lexical_top else 0])),
                "semantic_and_lead": min(
                    sem - SEMANTIC_FLOOR, 4 * (sem - semantic_best[1 if owner == semantic_top else 0])
                ),
                "semantic_top": float(owner == semantic_top),
                "english_semantic": sem * float(query.english),
                "lexical_rank": 1 / lexical_rank.get(owner, 2 * CANDIDATES),
                "semantic_rank": 1 / semantic_rank.get(owner, 2 * CANDIDATES),
                "both": lex * (sem - SEMANTIC_FLOOR),
                # A year named (2009年那会儿) points to the entry with that year's facts.
                "same_year": float(self._guide[owner].year in query.years),
                "answer": float(answer[owner]) if answer is not None else 0.0,
                "answer_lead": (float(answer[owner]) - answer_best[1 if owner == answer_top else 0])
                if answer is not None
                else 0.0,
                "kind": float(kinds[owner]) if kinds is not None else 0.0,
                "kind_lead": (float(kinds[owner]) - kinds_best[1 if owner == kinds_top else 0])
                if kinds is not None
                else 0.0,
                "kind_top": float(owner == kinds_top),
            }
            if kinds is not None and self._guide[owner].refer:
                features["referral_share"] = float(kinds[owner]) / (referrals + REFERRAL_FLOOR)
            found.append(Candidate(owner, self._guide[owner].id, features, owner == exact))
        return found

    def by_keyword(self, query: Query) -> list[GuideEntry]:
        """The entries one of whose keywords holds the whole message (期限 is in 答复期限, 缴费期限,
        过期限): what a bare word typed may be about, the most asked first (those with the most
        phrasings: 申请后多久答复 before 2009年时的答复期限), then in the guide's order."""
        topic = self.topic(query)
        if not topic:
            return []
        owners = dict.fromkeys(owner for owner, keyword in self._keywords if topic in keyword)
        return sorted((self._guide[owner] for owner in owners), key=lambda e: -len(e.alternatives))

    def topic(self, query: Query) -> str:
        """What a message that names a topic is about, without the words that say it is one
        (期限问题, 关于费用的问题 -> 期限, 费用): a bare word typed, for the entries that have it."""
        topic = _TOPIC_FRAME.sub("", query.normalized)
        return topic if len(topic) >= 2 else query.normalized  # 有问题 names no topic 有

    def citing(self, article: int) -> list[GuideEntry]:
        """The guide entries whose source cites ``article`` of the regulations: those citing fewer
        articles first (about it), then in the guide's order."""
        return list(self._citing.get(article, ()))

    def taught(self, normalized: str) -> bool:
        """Whether the knowledge has the wording ``normalized`` word for word: a phrasing of an
        entry or a lexicon example."""
        return normalized in self._exact or normalized in self._examples

    def _exact_owner(self, query: Query) -> int | None:
        """The entry ``query`` words as one of its phrasings does, which answers it without the
        model: word for word, or in English with the same words."""
        exact = self._exact.get(query.normalized)
        if exact is None and query.english:
            return self._english.owner(query.read or query.text)
        return exact

    def phrased(self, query: Query) -> bool:
        """Whether ``query`` is word for word one of the guide's phrasings or keywords (12350)."""
        return query.normalized in self._exact

    def example(self, query: Query) -> str | None:
        """``COMPLAINT`` or ``OUT_OF_SCOPE`` when the message is word for word one of the lexicon's
        examples of them (the semantic signal generalises from them; this holds without it)."""
        return self._examples.get(query.normalized)

    def complaint_probability(self, query: Query, intent: Intent, best: Scored | None) -> float:
        """The calibrated probability that the message complains or reports rather than asks."""
        return self.decision(query).complaint.probability(self.complaint_features(query, intent, best))

    def complaint_features(self, query: Query, intent: Intent, best: Scored | None) -> dict[str, float]:
        """What the complaint model reads: the lexicon's signs, closeness in meaning to the
        complaint examples, and how well the guide answers the message (``best``). A referral
        staff taught answers another office's business, which says nothing of that: the guide's
        own best answer and phrasings are read instead (户口 taught as the police's business, 户口本
        给你们了 说好二十天答复 今天都第三十天了 is still a complaint)."""
        if best is not None and best.entry.refer:
            best = next((c for c in self.rank(query, limit=CANDIDATES) if not c.entry.refer), None)
        story = (intent.grievance or (intent.hazard and intent.tells)) and len(query.normalized) >= STORY_MIN_CHARS
        features: dict[str, float] = {
            "complaint_words": float(intent.complaint_words),
            "complaint_topic": float(intent.complaint_topic),
            "tipoff": float(intent.tipoff),
            "grievance": float(intent.grievance),
            "hazard": float(intent.hazard),
            "asks": float(intent.asks),
            "tells": float(intent.tells),
            "requests": float(intent.requests),
            "story": float(story),
            "best_guide": best.score if best else 0.0,
            "exact": float(bool(best and best.exact)),
            "length": math.log1p(len(query.normalized)),
            "english": float(query.english),
            "complaint_similarity": 0.0,
            "complaint_lead": 0.0,
            "kind_complaint": 0.0,
        }
        meaning = self._meaning(query)
        if meaning is not None and len(self._complaint_examples):
            closest = float((self._complaint_examples @ meaning.vector).max())
            features["complaint_similarity"] = closest
            features["complaint_lead"] = closest - float(meaning.phrasings[self._guide_rows].max())
            features["kind_complaint"] = float(meaning.kinds[len(self._guide) + KIND_COMPLAINT])
        return features

    def _lexical(self, query: Query, exact: int | None) -> dict[int, float]:
        """Each candidate entry's lexical score: its best phrasing's blend of n-gram coverage and
        fuzzy pinyin similarity, and how much of the question all its phrasings explain; 1 for
        ``exact``, the entry the question words as one of its phrasings (see _exact_owner). English
        is read as words too (:meth:`EnglishWords.scores`), the better of the two counting: as a
        stream of letters, "apply by phone possible?" scored 0 with the entry on applying by phone."""
        words = self._english.scores(query.read or query.text, RECALL_BETA) if query.english else {}
        found = self._guide_index.candidates(query.units, limit=GUIDE_PHRASINGS)
        if len(found.docs) == 0:
            return words
        lexical = _f_measure(found.query_cover, found.doc_cover, RECALL_BETA)
        best: dict[int, float] = {}
        for doc, score in zip(found.docs.tolist(), lexical.tolist()):
            fuzzy = fuzz.ratio(query.pinyin, self._phrasing_pinyin[doc]) / 100
            total = (1 - FUZZ_SHARE) * score + FUZZ_SHARE * fuzzy * score**0.5
            owner = int(self._phrasing_owner[doc])
            if total > best.get(owner, 0.0):
                best[owner] = total
        best = dict(sorted(best.items(), key=lambda item: item[1], reverse=True)[:GUIDE_CANDIDATES])  # by entry
        whole = self._entry_index.candidates(query.units, limit=GUIDE_CANDIDATES)
        support = dict(zip(whole.docs.tolist(), whole.query_cover.tolist()))
        combined = {
            owner: min(1.0, (1 - ENTRY_SHARE) * score + ENTRY_SHARE * support.get(owner, 0.0))
            for owner, score in best.items()
        }
        for owner, score in words.items():
            combined[owner] = max(combined.get(owner, 0.0), score)
        if exact is not None:
            combined[exact] = 1.0
        return combined

    def _entry_similarity(self, similarity: np.ndarray, owners: np.ndarray) -> np.ndarray:
        """Each entry's best cosine similarity to the question, over its texts (``owners``)."""
        best = np.full(len(self._guide), -1.0, dtype=np.float32)
        np.maximum.at(best, owners, similarity)
        return best

    def _unknown(self, normalized: str) -> tuple[float, float]:
        """The share of the question's character bigrams the knowledge never uses, and the
        longest run of them (a whole unknown word such as 公租房 makes a run of two or more); daily
        life's words (the lexicon's ``everyday``) are none of them."""
        pieces = self._everyday.split(normalized) if self._everyday is not None else [normalized]
        grams = [gram for piece in pieces for gram in _bigrams(piece)]
        if not grams:
            return 0.0, 0.0
        run = longest = unknown = 0
        for gram in grams:
            if gram in self._vocabulary:
                run = 0
            else:
                unknown += 1
                run += 1
                longest = max(longest, run)
        return unknown / len(grams), float(min(longest, 4))

    def search(self, query: Query, limit: int = 10, min_score: float = 0.0, budget: int = 50_000) -> list[Hit]:
        """Catalogue items for a keyword, a partial title or a description, best first.

        The question's frame (我想找, 在哪看) is left out first. A title is scored on how much of
        the query it explains, its fuzzy similarity to the query (without the numbers of
        either, wherever the query puts them), and how much of it the query covers; then on
        whether the query's numbers are the item's as whole tokens (see :class:`_NumberIndex`):
        as characters, 2012 and 2021 have most in common. A message of several clauses that finds
        nothing well as a whole (有没有典型事故案例，给员工培训用) is searched clause by clause too.

        :param budget: postings read at most (see ``NgramIndex.candidates``); a smaller one is
          enough to find only the items that match very well
        """
        numbered = self.by_index_number(query.text)
        if numbered:  # ZDAJ-04-2009-0048, 索引号ZDAJ-00-2009-0003是什么文件: that document
            return [Hit(item, 1.0) for item in numbered[:limit]]
        # A question asked in the chat, whose meaning the guide's matching read, is found by its
        # words and its meaning (a clause searched apart, below, by the whole message's); a keyword,
        # typed in the chat or searched for, by its words.
        meant = None
        if query.meaning is not None and self._catalogue_meaning is not None:
            asked = len(_HAN.findall(query.normalized)) >= MEANING_MIN_CHARS
            meant = query.meaning.vector if asked else None
        hits = self._search(query, limit, min_score, budget, meant)
        if hits and hits[0].score >= CLAUSES_BELOW:
            return hits
        # Whether the words alone found what is kept: the names in a question are searched apart
        # when they did not, whatever its meaning lifted to the cut-off.
        worded = bool(hits) and (meant is None or bool(self._search(query, 1, min_score, budget)))
        read = query.read or query.text
        # Two subjects joined (安全生产月和应急预案) are searched apart only when the whole finds
        # nothing near: 和 is in titles too (安全生产和职业健康), a typo's query finds them fairly.
        split = _CLAUSES_JOINED if not worded or hits[0].score < JOINED_BELOW else _CLAUSES
        subjects = (c for c in dict.fromkeys(split.split(read)) if self._names_a_subject(c))
        clauses = list(itertools.islice(subjects, MAX_CLAUSES))  # a long story is no look-up
        if self._names_documents(query):  # 烟花爆竹零售许可啥时候开始办: the licence's 办理指南
            # (有啥办法能快点拿到's 有啥办法 asks for a way, and names no 办法)
            names = self._licences(read) if worded else document_names(read) + self._licences(read)
            clauses += [p for p in names if p not in clauses and not _A_WAY.match(self.normalizer.normalize(p))]
        if len(clauses) < 2:
            return hits
        # A look-up with clauses of its own around the document's name (有没有典型事故案例，
        # 给员工培训用), or a question that names documents (你们公开过信息公开工作制度和发布制度吗),
        # that the whole message does not find well: each clause and each name is searched too, a
        # little below the whole message (whose numbers, in another clause, still count).
        # Each clause's best comes before more of any (安全生产月和应急预案: one of each first).
        best = {h.item.index_no: h for h in hits}
        leaders = set(itertools.islice(best, 1))
        for clause in clauses:
            found = self._search(self._query(clause, clause), limit, min_score / CLAUSE_SHARE, budget, meant)
            for hit in found:
                score = round(CLAUSE_SHARE * hit.score, 4)
                known = best.get(hit.item.index_no)
                if score >= min_score and (known is None or score > known.score):
                    best[hit.item.index_no] = Hit(hit.item, score)
            leaders.update(h.item.index_no for h in found[:1] if h.item.index_no in best)
        ranked = sorted(best.values(), key=lambda h: (h.score, h.item.date), reverse=True)
        return sorted(ranked, key=lambda h: h.item.index_no not in leaders)[:limit]

    def asks_for_a_way(self, query: Query) -> bool:
        """Whether ``query``, but for its frame, is a kind of document that is an everyday word too
        (有什么办法, 有啥规定): it asks what can be done, not for every 管理办法 of the catalogue."""
        return bool(_A_WAY.match(query.normalized))

    def _names_a_subject(self, clause: str) -> bool:
        """Whether a clause is worth searching apart: long enough, as the lexicon reads it (危化品 is
        危险化学品), and naming what is looked for beyond the frame and a kind of document (通知在哪看,
        after 企业主要负责人培训啥时候办班, would find every notice alike)."""
        normalized = self.normalizer.normalize(clause)
        core = _ENDINGS.sub("", _OPENINGS.sub("", normalized))
        return (
            len(_HAN.findall(normalized)) >= FRAMED_MIN_CHARS
            and len(_HAN.findall(_DOCUMENT_KINDS.sub("", core))) >= SUBJECT_MIN_CHARS
        )

    def elsewhere(self, query: Query) -> bool:
        """Whether ``query`` reads as another office's business (医保卡丢了咋补, 怎么申请公租房): it
        names no hazard and nothing of the bureau's field (工地安全员要考什么证 is near the bureau's
        work; 非煤矿山 and 特种作业操作证 are its own, though the guide may not answer them), and the scope
        model is sure it is no question of the bureau's, or fairly sure and the classifier takes it
        for the lexicon's examples of other offices' business or it asks which office handles it.
        False without the semantic signal, which both read."""
        found = self.candidates(query)
        intent = self.intent(query)
        if not found or "kind_elsewhere" not in found[0].features or intent.hazard or intent.work_safety:
            return False
        values = found[0].features
        scope = self.decision(query).scope.probability(values)
        if scope < ELSEWHERE_SURE:
            return True
        which = asks_which_office(query.read or query.text)  # 孩子转学需要找哪个部门
        return (values["kind_elsewhere"] >= ELSEWHERE_KIND or which) and scope < ELSEWHERE_SCOPE

    def elsewhere_share(self, query: Query) -> float:
        """How much ``query`` reads as another office's business by meaning (the classifier's share
        for the lexicon's examples of it); 0 without the semantic signal."""
        meaning = self._meaning(query)
        return float(meaning.kinds[len(self._guide) + KIND_ELSEWHERE]) if meaning is not None else 0.0

    def english_unknown(self, text: str, known: Iterable[str] = ()) -> frozenset[str]:
        """An English text's words the guide's English never uses nor ``known`` (see
        :meth:`EnglishWords.unknown`)."""
        return self._english.unknown(text, known)

    def knows_every_word(self, normalized: str) -> bool:
        """Whether the knowledge uses every character bigram of a normalised text (医保在哪交: not 医保)."""
        return not self._unknown(normalized)[0]

    def licences(self, query: Query) -> list[str]:
        """The licences ``query`` names to ask about them (see :meth:`_licences`)."""
        return self._licences(query.read or query.text)

    def _licences(self, read: str) -> list[str]:
        """The licences a question names to ask about them (烟花爆竹零售许可啥时候开始办: 烟花爆竹零售许可;
        我想办个烟花爆竹经营许可证: 烟花爆竹经营许可证), whose 办理指南 the catalogue may have; only
        names all of whose words the knowledge uses (食品经营许可证 is no 危险化学品经营许可证 less a word)."""
        names = dict.fromkeys(_licence_name(n) for n in document_names(read, _LICENCE_KINDS))
        return [n for n in names if len(n) >= FRAMED_MIN_CHARS and self.knows_every_word(self.normalizer.normalize(n))]

    def applies_for_a_licence(self, query: Query) -> bool:
        """Whether ``query`` asks how to get a licence or certificate (营业执照咋申请, 我想办个建筑施工
        许可证, 安全生产许可证在哪办), not for information about one (企业的许可证信息能申请公开吗):
        the guide's 申请 is for information, whatever licence its answers name (营业执照, as a proof
        of who applies)."""
        read = query.read or query.text
        if _ABOUT_INFORMATION.search(read):
            return False
        for name in document_names(read, _LICENCE_KINDS):
            at = read.find(name)
            before, after = read[:at], read[at + len(name) :]
            if _APPLIED_FOR.match(name) or _OBTAIN_BEFORE.search(before) or _OBTAIN_AFTER.match(after):
                return True
        return False

    def seeks_a_document(self, query: Query, *, typed: bool = False) -> bool:
        """Whether ``query`` asks for a document by its name (你们发过烟花爆竹禁放区域的通知没), or,
        ``typed``, is one's title (安全生产责任制考核办法): a name that says what it is about, beyond a
        kind of document (通知在哪看 seeks none in particular)."""
        intent = self.intent(query)
        if not (intent.asks or intent.requests or typed) or intent.complaint or intent.tipoff:
            return False
        return any(self._names_a_subject(name) for name in document_names(query.read or query.text))

    def asks_if_published(self, query: Query, intent: Intent | None = None) -> bool:
        """Whether ``query`` ends by asking whether something is published or can be found (…公开了吗,
        有公布没, 网上能查到不), whatever it names: it asks, and tells no complaint (``intent``: its
        intent, where the caller has read it already)."""
        intent = intent or self.intent(query)
        asked = _PUBLISHED_ASKED.search(query.normalized)
        return intent.asks and not (intent.complaint or intent.tipoff) and asked is not None

    def _names_documents(self, query: Query) -> bool:
        """Whether the names of documents in ``query`` are worth searching apart: it asks, and
        tells no story (a story, or a complaint, may name a document in passing)."""
        intent = self.intent(query)
        return intent.asks and not (intent.tells or intent.grievance or intent.complaint)

    def _search(
        self, query: Query, limit: int, min_score: float, budget: int, meant: np.ndarray | None = None
    ) -> list[Hit]:
        """Items for ``query`` by its words, and by ``meant``, the question's meaning, if given."""
        text = _without_frames(query.normalized)
        words = _without_numbers(text)
        if words != text:
            units = self._apart(text)
        else:
            units = query.units if text == query.normalized else self.normalizer.units(text)
        numbers = _whole_numbers(text)
        keep = max(SEARCH_CANDIDATES, limit * 3)
        # Many items differ from each other only in their numbers (a monthly report, a year's
        # plan): for a query with numbers more are read, and its numbers choose among them.
        found = self._catalogue_index.candidates(
            units, budget=budget, limit=max(SEARCH_NUMBER_CANDIDATES, keep) if words != text else keep
        )
        if len(found.docs) == 0:
            return []
        docs, recall, precision = found.docs, found.query_cover, found.doc_cover
        other = 1 - SEARCH_RECALL_SHARE - SEARCH_FUZZ_SHARE
        agree = self._number_index.agreement(numbers, docs) if numbers else np.ones(len(docs))
        if len(docs) > keep:
            # The fuzzy score is the costly one: only the best by everything else get it.
            bound = (SEARCH_RECALL_SHARE * recall + SEARCH_FUZZ_SHARE + other * precision) * agree
            best = np.argpartition(-bound, keep - 1)[:keep]
            docs, recall, precision, agree = docs[best], recall[best], precision[best], agree[best]
        scored: list[float] = []
        for doc, r, p, a in zip(docs.tolist(), recall.tolist(), precision.tolist(), agree.tolist()):
            title = self._titles[doc]
            fuzzy = fuzz.partial_ratio(words, title) / 100
            score = SEARCH_RECALL_SHARE * r + SEARCH_FUZZ_SHARE * fuzzy + other * p
            if len(title) < len(words):
                # partial_ratio is then how much of the title the query holds, in its order: a
                # title (nearly) all in a longer question is a hit, whatever else it says.
                score = max(score, SEARCH_CONTAINED * fuzzy**SEARCH_CONTAINED_POWER)
            if score < SEARCH_SUMMARY and len(words) >= SUMMARY_MIN_CHARS:
                # Words a summary holds in their order (伤亡人数: a quarter's 形势分析 counts them)
                # find its item, below a title that has them.
                summary = self._catalogue[doc].summary
                score = max(score, SEARCH_SUMMARY * (fuzz.partial_ratio(words, summary) / 100) ** SEARCH_SUMMARY_POWER)
            scored.append(score * a)
        moves = np.zeros(len(docs))
        if meant is not None and self._catalogue_meaning is not None:
            near = (self._catalogue_meaning[docs] @ meant - MEANING_FROM) / (MEANING_TO - MEANING_FROM)
            moves = SEARCH_MEANING_SHARE * (np.clip(near, 0, 1) - 0.5)
            moves = np.where((np.array(scored) < MEANING_LIFTS_FROM) & (moves > 0), 0.0, moves)
            if numbers:  # which meaning cannot read: it lifts no item without them, lowers none with them
                moves = np.where(agree < 1, np.minimum(moves, 0), np.maximum(moves, 0))
        hits: list[Hit] = []
        for doc, score, move in zip(docs.tolist(), scored, moves.tolist()):
            score = min(1.0, max(0.0, score + move))
            if score >= min_score:
                hits.append(Hit(self._catalogue[doc], round(score, 4)))
        # Ties (the same words in many titles) go to the newest item.
        hits.sort(key=lambda h: (h.score, h.item.date), reverse=True)
        return hits[:limit]

    def _apart(self, text: str) -> Units:
        """The units of ``text`` as titles are indexed: its words without its numbers (and the
        words that count them, 年, 号), then each of its numbers apart."""
        parts = [self.normalizer.units(part) for part in (_without_numbers(text), *_NUMBER.findall(text)) if part]
        gap = np.zeros(1, np.uint32), np.full(1, -1, np.int16)
        codes = [c for u in parts for c in (u.codes, gap[0])][:-1]
        syllables = [s for u in parts for s in (u.syllables, gap[1])][:-1]
        return Units(text, np.concatenate(codes), np.concatenate(syllables))

    def intent(self, query: Query) -> Intent:
        """Whether the message is a complaint or tip-off rather than a question."""
        return self._intent(query.text, query.simple)


def _classifier_examples(guide: Sequence[GuideEntry], lexicon: Lexicon) -> tuple[list[str], np.ndarray]:
    """The classifier's examples as written, and their classes: each entry's phrasings (its number),
    then the lexicon's complaint examples and its examples of other offices' business."""
    written = [(n, p) for n, entry in enumerate(guide) for p in (entry.question, *entry.alternatives, *entry.keywords)]
    texts = [p for _, p in written] + [*lexicon.complaint_examples, *lexicon.out_of_scope_examples]
    owners = [n for n, _ in written]
    kinds = [KIND_COMPLAINT] * len(lexicon.complaint_examples) + [KIND_ELSEWHERE] * len(lexicon.out_of_scope_examples)
    return texts, np.array(owners + [len(guide) + k for k in kinds], dtype=np.int64)


@dataclass(frozen=True)
class _Untaught:
    """The classifier as it was before staff taught anything, which keeps what teaching has nothing
    to do with as it was: refitted with taught classes, the softmax moves every class a little
    (企业被行政处罚了，处罚结果会公开吗 from 0.687 to 0.682, under the bar, when phrasings of other
    entries were taught).

    :param index: each of its classes' place among the classes with what was taught
    :param taught: which of those teaching added or gave examples to (a complaint's class too,
      complaints taught: the refitted class reads them)
    """

    classifier: Classifier
    index: np.ndarray
    taught: np.ndarray

    @classmethod
    def of(
        cls,
        base: Knowledge,
        guide: Sequence[GuideEntry],
        lexicon: Lexicon,
        embedded: Mapping[str, np.ndarray],
        cache_dir: Path | None,
    ) -> _Untaught:
        """``embedded``: the vectors of the examples with what was taught, which hold the base's."""
        texts, labels = _classifier_examples(base.guide, base.lexicon)
        vectors = np.stack([embedded[text] for text in texts])
        # Fitted on the same examples as before teaching, it is that classifier (from the cache).
        classifier = Classifier.fitted(vectors, labels, len(base.guide) + 2, len(base.guide), cache_dir, texts)
        where = {entry.id: n for n, entry in enumerate(guide)}
        index = [where[entry.id] for entry in base.guide] + [len(guide) + KIND_COMPLAINT, len(guide) + KIND_ELSEWHERE]
        taught = np.ones(len(guide) + 2, dtype=bool)  # new entries and referrals
        for entry in base.guide:
            taught[where[entry.id]] = entry != guide[where[entry.id]]
        taught[len(guide) + KIND_COMPLAINT] = base.lexicon.complaint_examples != lexicon.complaint_examples
        taught[len(guide) + KIND_ELSEWHERE] = base.lexicon.out_of_scope_examples != lexicon.out_of_scope_examples
        return cls(classifier, np.array(index, dtype=np.int64), taught)

    def kinds(self, vector: np.ndarray, taught: np.ndarray) -> np.ndarray:
        """One embedded question's probabilities: the taught classes' as ``taught`` (the
        classifier with what was taught) has them, the others' as the untaught classifier has them.
        (Not shared out of what the taught classes leave: a question near none of them lost a little
        to them all, 除了你们办公室，还有哪些地方能查阅 0.686 -> 0.676, under the bar. The shares may
        then sum to a little more or less than one; every feature reads them one by one.)"""
        kinds = np.where(self.taught, taught, 0.0)
        kinds[self.index] += self.classifier.probabilities(vector) * ~self.taught[self.index]
        return kinds


def catalogue_file(catalogue: tuple[CatalogueItem, ...], normalizer: Normalizer, cache_dir: Path) -> Path:
    """The file a catalogue's index is cached in, named by all it is built from: the items, the
    lexicon's synonyms and fillers, and the code that builds it (a file of another catalogue, or
    of another version of Gongkai, is never read)."""
    digest = hashlib.sha256()
    for module in (ngram_module, textnorm_module, sys.modules[__name__]):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(repr((sorted(normalizer.synonyms.items()), normalizer.fillers)).encode())
    for item in catalogue:
        digest.update(f"{item.title}\x1f{item.summary}\x1f{item.category}\x1f{item.column}\x1f".encode())
        digest.update(f"{item.index_no}\x1f{item.date}\n".encode())
    return cache_dir / f"catalogue-{digest.hexdigest()[:24]}.npz"


def build_matcher(knowledge: Knowledge, settings: Settings, previous: Matcher | None = None) -> Matcher:
    """The matcher the settings ask for: with the semantic signal where it can be loaded;
    ``previous``, the one it replaces (see :class:`Matcher`), whose embedder it keeps (the model
    does not change with the knowledge, and the questions it embedded recently stay embedded)."""
    embedder = None
    if settings.semantic:
        kept = previous.embedder if previous is not None else None
        if kept is not None and kept.engines == settings.embedding_engines:
            embedder = kept
        else:
            embedder = Embedder.load(settings.embedding_engines)
    return Matcher(knowledge, embedder, cache_dir=settings.embeddings_cache(), previous=previous)


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

        self._simplify = simplify
        self._complaint = pattern(lexicon.complaint)
        self._topic = pattern(lexicon.complaint_topics)
        self._tipoff = pattern(lexicon.tipoff)
        self._grievance = pattern(lexicon.grievance)
        self._hazards = pattern(lexicon.hazards)
        self._emergencies = pattern(lexicon.emergencies)
        self._asking = pattern(tuple(w for w in lexicon.asking if w != "?"))
        self.asking = self._asking
        # In a long message a one-character asking word (几, 谁, 哪) is as likely part of a story
        # (好几回, 谁也跑不出去): there only the longer words and a question mark count.
        self._asking_long = pattern(tuple(w for w in lexicon.asking if len(w) > 1))
        self._greeting = pattern(lexicon.greetings)
        self._thanks = pattern(lexicon.thanks)
        self._polite = pattern(lexicon.thanks + lexicon.acknowledgements)
        self._not_it = pattern(lexicon.not_it)
        self._cancels = pattern(lexicon.cancels)
        self._requests = pattern(lexicon.requests)
        self._others_business = pattern(lexicon.others_business)
        self._own_business = pattern(lexicon.own_business)
        self._work_safety = pattern(lexicon.work_safety)
        self._injuries = pattern(lexicon.injuries)
        self._question_mark = "?" in lexicon.asking

    def without_thanks(self, text: str) -> str:
        """``text`` without the thanks that close it (… Thank you very much; …？谢谢！): they say
        nothing of what is asked, yet the semantic model reads a question ended by thanks as
        something else. A message of nothing else is kept whole."""
        pieces = [p for p in _PIECE_TO_A_MARK.findall(text) if p.strip()]
        if len(pieces) < 2:  # one piece: thanks alone, kept whole, or no thanks
            return text
        kept = len(pieces)
        while kept and _only(self._polite, self._simplify(pieces[kept - 1])):
            kept -= 1
        return "".join(pieces[:kept]).strip() if 0 < kept < len(pieces) else text

    def _without_bounds_asked(self, text: str) -> str:
        """``text`` without the grievance whose bound it asks (多久不回复就算超期: 超期 asked of)."""
        for bound in BOUND_ASKED.finditer(text):
            if self._grievance and (word := self._grievance.match(text, bound.end())):
                return text[: bound.start()] + text[word.end() :]
        return text

    def __call__(self, text: str, simple: str) -> Intent:
        if _only(self._polite, simple):
            return Intent(greeting=True, thanks=True, thanked=bool(self._thanks and self._thanks.search(simple)))
        if _only(self._greeting, simple):
            return Intent(greeting=True)
        if _only(self._not_it, simple):
            return Intent(not_it=True)
        if _only(self._cancels, simple):
            return Intent(cancels=True)
        # Asked by its words (啥, 怎么), a question mark, its grammar (能告你们不, 收不收费; in English,
        # its first word: will i get a reward), or wanted (我想办个…).
        marked = (
            self._question_mark
            and ("?" in text or "？" in text)
            or asks_by_grammar(text)
            or asks_in_english(text)
            or bool(_WANTS.search(simple))
            or bool(_COUNT_ASKED.search(simple))
        )
        needs_aside = without_needs_told(simple)  # 我需要…: a need told asks nothing
        asks = bool(self._asking and self._asking.search(needs_aside)) or marked
        asking = self._asking if len(simple) < LONG_MESSAGE else self._asking_long
        tells = not (bool(asking and asking.search(needs_aside)) or marked)
        tipoff = bool(self._tipoff and self._tipoff.search(simple))
        # What a question supposes (不给公开的话咋办, 要是一直不答复找谁) is not what happened.
        told = without_suppositions(text) if asks else text
        told = simple if told == text else self._simplify(told)
        strong = bool(self._complaint and self._complaint.search(told))
        topic = bool(self._topic and self._topic.search(simple))
        # 到底 asks harder in a choice between two (到底是15个工作日还是20个): no grievance there; nor
        # is one whose bound is asked (多久不回复就算超期).
        pressed = self._without_bounds_asked(_CHOICE_STRESSED.sub("", simple))
        grievance = bool(self._grievance and self._grievance.search(pressed))
        hazard = tipoff or bool(self._hazards and self._hazards.search(simple))
        requests = bool(self._requests and self._requests.search(simple)) or bool(_ASKS_FOR_A_DOCUMENT.search(simple))
        # Told as happening now (着火了), not as what happened once (去年那家厂着火了，公开了吗) nor
        # asked about (透水事故的调查报告在哪看).
        emergency = bool(self._emergencies and self._emergencies.search(simple)) and not (
            requests or _BEFORE_NOW.search(simple)
        )
        own = bool(self._own_business and self._own_business.search(simple))
        return Intent(
            complaint=strong or ((topic or tipoff) and not asks),
            tipoff=tipoff,
            grievance=grievance,
            hazard=hazard,
            emergency=emergency,
            asks=asks,
            tells=tells,
            requests=requests,
            complaint_words=strong,
            complaint_topic=topic,
            others_business=not hazard
            and bool(self._others_business and self._others_business.search(simple))
            and not own,
            own_business=own,
            work_safety=bool(self._work_safety and self._work_safety.search(simple)),
            injured=bool(self._injuries and self._injuries.search(simple)),
        )


# Applying for something (a licence, information): wanting to is asking; before a licence's name
# it is no part of the name.
_APPLYING = "办理|申办|申请|申领"
# Wanting a service asks for it, as a question does (我想办个烟花爆竹经营许可证, 我要申请公开…), and
# so does wanting to open a business (我想开个烟花爆竹批发店: what it takes): no story told, whatever
# hazard it names.
_WANTS = re.compile(
    f"(?:想|要|准备|打算)(?:{_APPLYING}|办个|办一个|办张|开个|开一个|开家|开一家|开办|咨询|了解一下|查一下|查查|问问|问一下|看看)"
)


# A danger told of as past (去年那家厂着火了, 2009年): no emergency now, whatever its words.
_BEFORE_NOW = re.compile(
    r"\d+年|去年|前年|上个?月|上周|上礼拜|上星期|上次|那次|那年|以前|之前|曾经|当时|年前|前几年"
    r"|last (?:year|month|week)"
)
# 到底, 究竟 before a choice between two (到底是…还是…): a question pressed, not a grievance.
_CHOICE_STRESSED = re.compile(rf"(?:到底|究竟)(?={CHOICE_OF_TWO})")


# A count asked (出了几起事故, 有几家企业): 几 before a measure word of things counted, not of
# people or times (来了几个人, 打了几次: a story's), nor 好几 (好几起).
_COUNT_ASKED = re.compile(r"(?<![好这那十几])几[件条家份起项宗]")


# A piece of a message up to a comma or a full stop, with the marks and spaces after it (a web
# address is cut at its dots too, into pieces that are never thanks).
_PIECE_TO_A_MARK = re.compile(r"[^。！!？?；;，,\n.]*(?:[。！!？?；;，,\n.]+\s*|$)")

# What may stand beside a greeting, thanks or 不是这个 without making a question of it: particles,
# interjections and whom it is said to (你答非所问, 不是这个啊, 好的呀).
_ASIDES = re.compile(r"[\s啊呀吧啦嘛呢哦噢哈嗯唉哎你您]+")


def _only(words: re.Pattern[str] | None, simple: str) -> bool:
    """Whether ``simple`` is made only of ``words`` (and asides)."""
    return bool(simple and words and words.search(simple) and not _ASIDES.sub("", words.sub("", simple)))


# --- catalogue search: question frames and numbers ---

# Candidate items rescored per search (at least; three times the hits asked for when more), and
# read for a query with numbers, whose numbers then choose which are rescored.
SEARCH_CANDIDATES = 50
SEARCH_NUMBER_CANDIDATES = 200
# A title wholly in a longer query scores at least this much (above the cut-offs of a search
# and of a guide question's catalogue answer, below a good match, so that it never outranks
# one), times how much of it the query holds to this power: only a title nearly all there gains.
SEARCH_CONTAINED = 0.65
SEARCH_CONTAINED_POWER = 4
# A query's words all in an item's summary score this much (above a search's cut-off and, only
# when the summary holds them all, a chat look-up's; below a title wholly in the query), times how
# much of them it holds to this power; a query of fewer characters than this is matched on titles.
# Measured: no labelled set's answer moved; the synthetic bench's top-1 68.8% -> 68.7%.
SEARCH_SUMMARY = 0.6
SEARCH_SUMMARY_POWER = 4
SUMMARY_MIN_CHARS = 3
# A question whose meaning was read (asked in the chat) moves each item its words found by up to
# half this much either way, by how close the item's title and summary are to it in meaning: from
# a cosine of MEANING_FROM or less (down by half) to MEANING_TO or more (up by half). Meaning alone
# finds nothing: it lifts only an item the words found at least this well (MEANING_LIFTS_FROM: not
# a 元宵节 notice for 禁放区域的通知, whose words score 0.19), and reads only a question of at least
# MEANING_MIN_CHARS characters (a keyword's cosines are low to every passage: 伤亡人数 would lose
# the 形势分析 whose summary counts them). Only a catalogue of at most MEANING_MAX_ITEMS is
# embedded (once, then cached; about 3 ms an item); a larger one is searched by its words alone.
# Fitted on the readable labelled sets' 103 look-ups: the right item first and above a search's
# cut-off 57 -> 66, above the chat's 44 -> 61, and fewer of their 1,796 other questions finding
# any item above a search's cut-off, 89 -> 64.
SEARCH_MEANING_SHARE = 0.3
MEANING_FROM, MEANING_TO = 0.88, 0.92
MEANING_LIFTS_FROM = 0.4
MEANING_MIN_CHARS = 6
MEANING_MAX_ITEMS = 5_000
# Share of a hit's score that depends on its numbers agreeing with the query's; the credit of a
# number that is the item's (its year, in its index number) but not in its title, and of a
# number (not a year) that the item does not have: 15 may be a count the title leaves out.
NUMBER_SHARE = 0.3
NUMBER_UNTITLED = 0.8
NUMBER_UNSAID = 0.4

# How citizens frame a question about a document, as normalised (the lexicon's fillers such as
# 请问, 一下, 吗, 的 are already gone): words before the document's name and after it. They are
# cut only at the ends of the query, so a title that happens to contain one keeps it.
SEARCH_OPENINGS = (
    "我想找", "我想要", "我想看", "我想查", "我想下载", "我要找", "我要查", "我要看", "想找", "想查", "想看看", "想看",
    "我想看看", "我要看看", "我想查查", "我要查查", "我想找找", "我要找找", "想查查", "想找找",
    "帮我查查", "帮我查", "帮我找找", "帮我找", "帮忙查查", "帮忙查", "帮忙找找", "帮忙找", "麻烦", "请帮我", "请帮忙",
    "能不能", "能否", "可不可以", "可以", "有没有", "是否有", "有个文件叫", "有个文件", "有一个", "有个", "我记得",
    "记得", "好像", "你们", "那个", "这个", "那份", "这份", "一份", "一个", "查找", "查询", "查查", "找找", "看看",
    "请问", "你好", "您好", "想了解一下", "想了解", "了解一下", "我想问下", "想问下", "想问问", "听说", "发过", "出过",
    "发布过", "公开过", "公布过", "有没有发", "有没有出", "给我发一下", "给我发下", "帮我发一下", "帮我发下",
    "发我一下", "发一下", "发下", "发我", "发一份", "给我一份", "给我", "都有哪些", "有哪些", "都有什么", "有什么",
    "哪些", "帮我搜", "帮忙搜", "搜索", "搜", "查关于", "找关于",
    "关于",  # 有没有关于…的文件: 关于 holds no title's words
)  # fmt: skip
SEARCH_ENDINGS = (
    "在哪里能看到", "在哪里可以看到", "在哪能看到", "在哪可以看到", "在哪里看", "在哪看", "在哪里找", "在哪找",
    "在哪里", "在哪儿", "在哪", "哪里能看到", "哪里可以看到", "哪里能找到", "哪里有", "去哪里下载", "去哪下载",
    "去哪里看", "去哪看", "去哪找", "怎么下载", "怎么查", "怎么找不到了", "怎么找不到", "找不到了", "找不到",
    "网上能查到", "网上能找到", "网上有没有", "网上有", "能查到", "能找到", "查得到", "有没有", "有么", "有",
    "能发我", "发给我", "发我一下", "发我", "发一下", "发下", "发过来", "发一份", "给我一份", "给我看看", "全文",
    "原文", "链接", "这个文件", "那个文件", "这份文件", "文件", "谢谢", "多谢",
    # asked whether it was published (公开了没, 你们网站上有没, 发过文件没有): pieces that compose
    "公开了没有", "公开了没", "公开过没", "公开过", "公开了", "有公开", "公布了没有", "公布了没", "公布过", "公布了",
    "有公布", "发过文件没有", "发过文件没", "发过没有", "发过没", "发过", "出过", "能查到不", "能看到", "能在网上看到",
    "在网上看到", "在网站上", "网站上", "网上", "你们", "有没", "没有", "没", "了", "都有哪些", "有哪些", "都有什么",
    "有什么", "相关", "方面", "什么", "哪些",  # 你们公开了啥文件 (啥 read as 什么)
)  # fmt: skip
# What a document's title ends with (办理指南, 实施方案, 检查情况通报): a message that ends so,
# and asks nothing, names a document, even where its words are a hazard's (烟花爆竹经营许可指南).
DOCUMENT_KINDS = (
    "指南", "通知", "办法", "规定", "方案", "预案", "通报", "报告", "意见", "决定", "名单", "目录", "要点",
    "总结", "计划", "细则", "制度", "标准", "公告", "公示", "条例", "批复", "规划", "汇编",
)  # fmt: skip
# Words that say a message names a topic: 关于…, …问题, …事情, …方面 (not …事: 办事 is a word, and
# 的 is gone from the normalised text).
_TOPIC_FRAME = re.compile(r"^关于|(?:的|这块的?|方面的?)?(?:问题|事情|事儿)$|(?:这块|方面)$")
# Kinds of documents that are everyday words too, asked of alone: 有什么办法 asks for a way, not a 办法.
_A_WAY = re.compile("^(?:还有|有没有|有)?(?:什么|别的|其他|其它|哪些)?好?(?:办法|规定|意见|标准)(?:吗|呢|没有|没|不)?$")
_DOCUMENT_KIND = re.compile("(?:" + "|".join(DOCUMENT_KINDS) + ")$")


_CITED = re.compile(r"第([0-9、，,和及]+)条")


def _any_of(words: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for any of ``words`` as written, the longest first (so 冇得 is found, not 冇);
    None for no words."""
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def regulation_articles(source: str) -> list[int]:
    """The articles of the regulations in force (《条例》, 2019) a guide entry's source cites: 第28、29条
    of its 《条例》 part; not the old regulations' (2007) nor another law's."""
    articles: list[int] = []
    for part in re.split(r"[；;]", source):
        if "条例" in part and "旧" not in part and "2007" not in part:
            articles += [int(n) for cited in _CITED.findall(part) for n in re.findall(r"[0-9]+", cited)]
    return list(dict.fromkeys(articles))


def about_a_licence(title: str) -> bool:
    """Whether a catalogue item's title is about a licence (烟花爆竹经营（零售）许可办理指南)."""
    return bool(_LICENCE_KINDS.search(title))


def names_a_document(normalized: str) -> bool:
    """Whether a (normalised) message ends as a document's title does."""
    return bool(_DOCUMENT_KIND.search(normalized))


_DOCUMENT_KINDS = re.compile("|".join(DOCUMENT_KINDS))
# What a licence's name ends with: the catalogue's 办理指南 are about them (烟花爆竹经营（零售）许可).
_LICENCE_KINDS = re.compile("许可证|许可|资格证|操作证|证书|执照|备案|审批")
# Applying for it, before a licence's name: 办, 我想办个, 咋申请.
# Getting a licence, said before its name (办, 申请个), anywhere (咱们厂要办危险化学品经营许可证) or at
# the start, with the wish to (我想办个烟花爆竹经营许可证).
_GETTING = re.compile(f"(?:{_APPLYING}|办|领|考)(?:个|一个|张|一张|下来)?")
_APPLIED_FOR = re.compile(f"^(?:我|俺|咱)?(?:想|要|准备|打算|怎么|怎样|咋|如何|去哪)?{_GETTING.pattern}")


def _licence_name(name: str) -> str:
    """A licence's name without the wish to get it said before it (我想办个烟花爆竹零售许可, 咱们厂要办
    危险化学品经营许可证: the licence alone)."""
    rest = _GETTING.split(name)[-1]
    return rest if len(rest) >= FRAMED_MIN_CHARS else _APPLIED_FOR.sub("", name)


# Getting a licence, before its name (申请个, 补办) or after it (咋申请, 在哪办, 到期了怎么换).
_OBTAIN = f"(?:{_APPLYING}|补办|补领|换领|办|领|考|换|补|注销|延续|延期|年检|年审)"
_OBTAIN_BEFORE = re.compile(f"{_OBTAIN}(?:个|一个|张|一张|下来)?$")
_OBTAIN_AFTER = re.compile(
    r"(?:到期了|过期了|丢了|快到期了)?[，,\s]?(?:要|该|得|需要|应该)?(?:咋|怎么|怎样|如何|在哪|去哪|到哪|哪里|在哪里|找谁)?"
    rf"(?:儿|里)?(?:才能|能|去|来)?{_OBTAIN}"
)
# Information or a disclosure asked for: a licence named in it is what the information is about.
_ABOUT_INFORMATION = re.compile("信息|公开|资料|记录|名单|档案|结果|公示")
# What stands between the names of two documents, or between a name and the rest of a question.
_BETWEEN_NAMES = re.compile(r"[,，、;；。！!?？\s和及与或]")
MAX_NAMES = 3
# Words that ask whether a document was issued. In the middle of its name they, 有没有 and 是否有
# are the question's frame, not the name; before a kind of document (今年有没有发烟花爆竹经营的通知,
# 发过隐患排查的方案没; not 有没有发现, 出过事) they ask for information, whatever hazard is named,
# as the lexicon's ``requests`` words do.
_ISSUED = ("有没有发", "有没有出", "发过", "出过", "公开过", "公布过")
_ASKED_IN_NAME = re.compile("|".join((*_ISSUED[:2], "有没有", "是否有", *_ISSUED[2:])))
_PUBLISHED_ASKED = re.compile(
    "(?:(?<![不未])(?<!不想|不愿|不肯|不敢)(?:公开|公布|发布|通报)[了过]?|(?:网上|网站上)(?:能|可以)?(?:查到|找到|看到)?|(?:能|可以)(?:查到|找到|看到|查))"
    "(?:没有|没|不|吗|么|呢)?$"
)
_ASKS_FOR_A_DOCUMENT = re.compile(
    "(?:" + "|".join(_ISSUED) + ")(?![现生事])[^，,。；;！!?？]{0,24}(?:" + "|".join(DOCUMENT_KINDS) + ")"
)


def document_names(text: str, kinds: re.Pattern[str] = _DOCUMENT_KINDS) -> list[str]:
    """The names of documents ``text`` holds (…工作制度和发布制度, 春节期间…管理的通知): each
    up to a kind of document, from the nearest break before it, and from the nearest 的 too where
    that leaves a name of its own (自己的信息公开工作制度); at most ``MAX_NAMES``, each at least
    ``FRAMED_MIN_CHARS`` long."""
    names: list[str] = []
    for match in kinds.finditer(text):
        before = [m.end() for m in _BETWEEN_NAMES.finditer(text, 0, match.start())]
        name = text[before[-1] if before else 0 : match.end()]
        # Without the question's frame: 你们发过关于…的通知, 过年前有没有发烟花爆竹经营的通知.
        unframed = _ASKED_IN_NAME.split(_OPENINGS.sub("", name))[-1]
        for candidate in (unframed, name.rsplit("的", 1)[-1]):
            if len(_HAN.findall(candidate)) >= FRAMED_MIN_CHARS and candidate not in names:
                names.append(candidate)
    return names[:MAX_NAMES]


_OPENINGS = re.compile("^(?:" + "|".join(sorted(SEARCH_OPENINGS, key=len, reverse=True)) + ")+")
_ENDINGS = re.compile("(?:" + "|".join(sorted(SEARCH_ENDINGS, key=len, reverse=True)) + ")+$")
# A query this short is left as it is: 有没有 alone, or 文件, is what the citizen means.
FRAMED_MIN_CHARS = 4
# The clauses of a message (at punctuation, spaces and 和, 还有), each also searched on its own at this
# share of its score: the whole message's hits stay ahead of a clause's as good.
# An index number as a catalogue prints it (ZDAJ-04-2009-0048; 11370303004351164E/2009-00048):
# letters and digits in runs, with a digit, joined by separators or not.
_INDEX_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]+(?:[-_/. ]+[0-9A-Za-z]+)+(?![0-9A-Za-z])")


def _index_key(number: str) -> str:
    """An index number as it is compared: its letters and digits, in capitals; "" when it is too
    short or has no digit to be one (a word, a year)."""
    key = re.sub(r"[^0-9A-Z]", "", number.upper())
    return key if len(key) >= 8 and any(c.isdigit() for c in key) and not key.isdigit() else ""


_CLAUSES = re.compile(r"[,，、;；。！!?？\s]+")
_CLAUSES_JOINED = re.compile(r"[,，、;；。！!?？\s]+|(?:以及|还有|和|及|跟|或者)")
JOINED_BELOW = 0.5
CLAUSE_SHARE = 0.9
CLAUSES_BELOW = 0.75  # only when the whole message's best hit is below this
MAX_CLAUSES = 4
SUBJECT_MIN_CHARS = 2  # a clause searched apart names a subject of at least this many characters
_HAN = re.compile(r"[\u4e00-\u9fff]")  # typed pinyin's words are no clauses
_NUMBER = re.compile(r"[0-9]+")
_NOT_NUMBER = re.compile(r"[^0-9\n]+")
# A number with the word it counts in a title (2012年度, 15号) is compared apart from the words.
_NUMBER_WORD = re.compile(r"[0-9][0-9 ]*(?:年度|年|月份|月|日|号)?")
# Numbers are compared by value (0015 is 15), on at most their last 18 digits (an int64).
_NUMBER_DIGITS = 18
_YEARS = (1900, 2100)
_CUT_YEARS = (1949, 2101)  # the years a number cut short may be the end of


# The particles a spoken question ends with (咋申请啊, 能查到不呀): no meaning of their own, yet they
# move the semantic model's reading (申请公开信息啊 read as a complaint).
_PARTICLES_AT_END = re.compile(r"[啊呀呢吧嘛哦噢哈啦咧嘞]+([\s？?！!。.～~]*)$")


def _without_frames(normalized: str) -> str:
    """``normalized`` without the question's frame: 我想找那个关于…通知在哪看 -> 关于…通知."""
    if len(normalized) < FRAMED_MIN_CHARS:
        return normalized
    core = _ENDINGS.sub("", _OPENINGS.sub("", normalized))
    return core if len(core) >= FRAMED_MIN_CHARS // 2 else normalized


def _whole_numbers(text: str) -> tuple[tuple[int, ...], ...]:
    """The whole numbers of a normalised query by value (2012 and 15 in 张安监发2012 15号), each
    as the values it may stand for: itself, or for a year cut short at the start of the query
    (5年, 016年度: a piece of 2015年, 2016年度), every year it may be the end of."""
    numbers = []
    for m in _NUMBER.finditer(text):
        if m.start() == 0 and len(m.group()) < 4 and text[m.end() : m.end() + 1] == "年":
            modulus = 10 ** len(m.group())
            numbers.append(tuple(y for y in range(*_CUT_YEARS) if y % modulus == int(m.group())))
        else:
            numbers.append((int(m.group()[-_NUMBER_DIGITS:]),))
    return tuple(dict.fromkeys(numbers))


def _without_numbers(text: str) -> str:
    """``text`` without its numbers and the words that count them: 关于2012年2月份全区… -> 关于全区…"""
    return _NUMBER_WORD.sub("", text)


class _NumberIndex:
    """The whole numbers of each catalogue item, as posting lists by value, and how far an
    item's numbers agree with a query's.

    A query's number counts in full for an item whose title has it, ``NUMBER_UNTITLED`` for one
    that has it elsewhere (its index number, its date's year: a title often leaves the year
    out). A year the item does not have counts nothing, since an item of another year is
    another document (2012 is not 2021, whatever their characters share); another number
    counts ``NUMBER_UNSAID``.

    :param titles: the normalised titles, one a line
    :param catalogue: the items, in the same order
    """

    def __init__(self, titles: str, catalogue: tuple[CatalogueItem, ...]) -> None:
        self.titled = _NumberPostings(titles)
        self.owned = _NumberPostings("\n".join(f"{i.index_no} {i.date[:4]}" for i in catalogue))
        self.dated = np.zeros(len(catalogue), bool)
        self.dated[self.owned.year_docs] = True
        self.dated[self.titled.year_docs] = True

    def state(self) -> dict[str, np.ndarray]:
        """The built index as arrays, to be saved and :meth:`restored`."""
        return {"numbers_dated": self.dated} | self.titled.state("numbers_titled_") | self.owned.state("numbers_owned_")

    @classmethod
    def restored(cls, arrays: Mapping[str, np.ndarray]) -> _NumberIndex:
        index = cls.__new__(cls)
        index.dated = arrays["numbers_dated"]
        index.titled = _NumberPostings.restored(arrays, "numbers_titled_")
        index.owned = _NumberPostings.restored(arrays, "numbers_owned_")
        return index

    def agreement(self, numbers: tuple[tuple[int, ...], ...], docs: np.ndarray) -> np.ndarray:
        """For each of ``docs``, a factor of its score: 1 when its title has all of ``numbers``
        (each one of the values it may stand for, see ``_whole_numbers``)."""
        credit = np.zeros(len(docs))
        for values in numbers:
            titled = np.zeros(len(docs), bool)
            owned = np.zeros(len(docs), bool)
            for value in values:
                titled |= self.titled.has(value, docs)
                owned |= self.owned.has(value, docs)
            elsewhere = np.where(owned, NUMBER_UNTITLED, 0.0)
            if not all(_YEARS[0] <= value <= _YEARS[1] for value in values):
                elsewhere = np.maximum(elsewhere, NUMBER_UNSAID)
            else:
                elsewhere = np.where(self.dated[docs], elsewhere, NUMBER_UNSAID)
            credit += np.where(titled, 1.0, elsewhere)
        return 1 - NUMBER_SHARE * (1 - credit / len(numbers))


class _NumberPostings:
    """For each whole number of some texts (one a line), the lines that have it.

    Built in one pass of numpy over all of them: a regular expression per item takes a tenth
    of a second for 100,000 items.
    """

    def __init__(self, text: str) -> None:
        raw = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        codes = raw - np.uint32(ord("0"))
        digit = codes < 10  # what is below "0" wraps around
        edges = np.diff(digit.view(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        at = np.flatnonzero(digit)
        place = ends[np.searchsorted(starts, at, side="right") - 1] - 1 - at  # 0: a number's last digit
        powers = 10 ** np.arange(_NUMBER_DIGITS, dtype=np.int64)
        digits = codes[at].astype(np.int64) * powers[np.minimum(place, _NUMBER_DIGITS - 1)]
        worth = np.where(place < _NUMBER_DIGITS, digits, 0)
        values = np.add.reduceat(worth, np.searchsorted(at, starts)) if len(at) else np.zeros(0, np.int64)
        owners = np.searchsorted(np.flatnonzero(raw == ord("\n")), starts)  # the line of each number
        year = (values >= _YEARS[0]) & (values <= _YEARS[1]) & (ends - starts == 4)
        self.year_docs = owners[year]
        order = np.lexsort((owners, values))
        values, owners = values[order], owners[order]
        if len(values):
            fresh = np.r_[True, (values[1:] != values[:-1]) | (owners[1:] != owners[:-1])]
            values, owners = values[fresh], owners[fresh]
        first = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if len(values) else np.zeros(0, np.int64)
        self.values = values[first]
        self.offsets = np.r_[first, len(values)].astype(np.int64)
        self.docs = owners.astype(np.int32)

    _SAVED = ("values", "offsets", "docs", "year_docs")

    def state(self, prefix: str) -> dict[str, np.ndarray]:
        return {prefix + name: getattr(self, name) for name in self._SAVED}

    @classmethod
    def restored(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> _NumberPostings:
        postings = cls.__new__(cls)
        for name in cls._SAVED:
            setattr(postings, name, arrays[prefix + name])
        return postings

    def has(self, value: int, docs: np.ndarray) -> np.ndarray:
        """Which of ``docs`` have the number ``value``."""
        k = int(np.searchsorted(self.values, value))
        if k == len(self.values) or self.values[k] != value:
            return np.zeros(len(docs), bool)
        postings = self.docs[self.offsets[k] : self.offsets[k + 1]]
        where = np.minimum(np.searchsorted(postings, docs), len(postings) - 1)
        return postings[where] == docs
