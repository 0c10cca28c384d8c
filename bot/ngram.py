"""A character and pinyin n-gram index, built and queried with numpy.

Chinese is not written in words, so the index's terms are n-grams of units (see ``textnorm``):
character bigrams (the backbone), character skip-bigrams (a typo breaks two bigrams but leaves
the skip-bigram around it), pinyin bigrams (a homophone typo, or a question typed in pinyin,
keeps its sound) and, for short documents, single characters and syllables.

Everything is built for a whole corpus at once as arrays of 64-bit keys: one key per
(field, kind, n-gram), shifted left to hold the document number, so that one sort yields the
posting lists. For 100,000 catalogue items that takes under two seconds (bench/speed.py), where a
per-token Python loop takes many times longer.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .textnorm import Units, corpus_units

# Kinds of term, with their weight relative to a character bigram. A character bigram says the
# most; a syllable alone says little (many characters share one); the others are in between.
CHAR = 1
CHAR_BIGRAM = 2
CHAR_SKIP = 3
PINYIN = 4
PINYIN_BIGRAM = 5
KIND_WEIGHT = np.array([0.0, 0.4, 1.0, 0.5, 0.2, 0.8, 0.0, 0.0], dtype=np.float64)
_CHAR_KINDS = (CHAR, CHAR_BIGRAM, CHAR_SKIP)

_DOC_BITS = 24  # up to 16.7 million documents
_KIND_SHIFT = 36  # a payload is at most two 18-bit code points
_FIELD_SHIFT = 39
MAX_DOCS = 1 << _DOC_BITS
MAX_FIELDS = 2  # the field is a pair's top bit (_FIELD_SHIFT + _DOC_BITS = 63)
SMALL_VOCAB = 100_000
PARALLEL_MIN_DOCS = 10_000  # a corpus this large has its fields' terms sorted on threads of their own
POOL = 8_000
_KIND_WEIGHTS = KIND_WEIGHT.tolist()
_PAIRS = {CHAR_BIGRAM: (18, CHAR), CHAR_SKIP: (18, CHAR), PINYIN_BIGRAM: (10, PINYIN)}


def release_memory() -> None:
    """Give the C heap's free pages back to the system after a build (glibc's malloc_trim).

    Building a large index frees far more than it keeps, and glibc holds on to freed pages: for
    100,000 items that is about 70 MB of resident memory that nothing uses. Elsewhere, nothing.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass(frozen=True)
class Field:
    """One indexed text field: its texts (one per document), weight and the kinds of terms used."""

    texts: list[str]
    weight: float = 1.0
    kinds: tuple[int, ...] = (CHAR_BIGRAM, CHAR_SKIP, PINYIN_BIGRAM)


def _keys(
    codes: np.ndarray, syllables: np.ndarray, doc: np.ndarray, kinds: tuple[int, ...], field: int
) -> tuple[np.ndarray, np.ndarray]:
    """The (key, document) pairs of every term of the given kinds in a run of units."""
    keys: list[np.ndarray] = []
    docs: list[np.ndarray] = []
    c = codes.astype(np.uint64)
    s = syllables.astype(np.int64)
    has_char = codes > 0
    has_syllable = syllables >= 0

    def add(kind: int, mask: np.ndarray, payload: np.ndarray, owner: np.ndarray) -> None:
        head = np.uint64((field << (_FIELD_SHIFT - _KIND_SHIFT)) | kind) << np.uint64(_KIND_SHIFT)
        keys.append(payload[mask].astype(np.uint64) | head)
        docs.append(owner[mask])

    same1 = doc[:-1] == doc[1:]
    same2 = doc[:-2] == doc[2:]
    if CHAR in kinds:
        add(CHAR, has_char, c, doc)
    if CHAR_BIGRAM in kinds:
        add(CHAR_BIGRAM, has_char[:-1] & has_char[1:] & same1, (c[:-1] << np.uint64(18)) | c[1:], doc[:-1])
    if CHAR_SKIP in kinds:
        add(CHAR_SKIP, has_char[:-2] & has_char[2:] & same2, (c[:-2] << np.uint64(18)) | c[2:], doc[:-2])
    if PINYIN in kinds:
        add(PINYIN, has_syllable, s, doc)
    if PINYIN_BIGRAM in kinds:
        add(PINYIN_BIGRAM, has_syllable[:-1] & has_syllable[1:] & same1, (s[:-1] << 10) | s[1:], doc[:-1])
    if not keys:
        return np.zeros(0, np.uint64), np.zeros(0, np.int32)
    return np.concatenate(keys), np.concatenate(docs).astype(np.int32)


def _pairs(number: int, field: Field) -> np.ndarray:
    """The (key, document) pairs of one field's terms as 64-bit integers, to be sorted (by hand:
    numpy 2's np.unique hashes integers, which on millions of keys is many times slower than a
    sort and takes far more memory)."""
    codes, syllables, doc = corpus_units(field.texts)
    keys, docs = _keys(codes, syllables, doc, field.kinds, number)
    return (keys << np.uint64(_DOC_BITS)) | docs.astype(np.uint64)


def _query_keys(codes: list[int], syllables: list[int], kinds: tuple[int, ...], field: int) -> set[int]:
    """The keys of one query's terms, as ``_keys`` makes them, in plain Python (a query is short)."""
    keys: set[int] = set()
    head = [((field << (_FIELD_SHIFT - _KIND_SHIFT)) | kind) << _KIND_SHIFT for kind in range(8)]
    if CHAR in kinds:
        h = head[CHAR]
        keys.update(h | c for c in codes if c)
    if CHAR_BIGRAM in kinds:
        h = head[CHAR_BIGRAM]
        keys.update(h | a << 18 | b for a, b in zip(codes, codes[1:]) if a and b)
    if CHAR_SKIP in kinds:
        h = head[CHAR_SKIP]
        keys.update(h | a << 18 | b for a, b in zip(codes, codes[2:]) if a and b)
    if PINYIN in kinds:
        h = head[PINYIN]
        keys.update(h | s for s in syllables if s >= 0)
    if PINYIN_BIGRAM in kinds:
        h = head[PINYIN_BIGRAM]
        keys.update(h | a << 10 | b for a, b in zip(syllables, syllables[1:]) if a >= 0 and b >= 0)
    return keys


@dataclass
class Candidates:
    """Documents that share terms with a query, with how much of the query and of each they cover.

    ``query_cover`` is the share of the query's term weight found in the document (its recall);
    ``doc_cover`` the share of the document's first-field term weight found in the query.
    """

    docs: np.ndarray
    query_cover: np.ndarray
    doc_cover: np.ndarray


class NgramIndex:
    """Posting lists of n-gram terms over one or more fields of a corpus.

    :param fields: the fields to index, each with one text per document (already normalised);
      the first field is the one a document's own weight (``doc_cover``) is measured on
    """

    def __init__(self, fields: list[Field]) -> None:
        self.size = len(fields[0].texts)
        if self.size >= MAX_DOCS:
            raise ValueError(f"at most {MAX_DOCS - 1} documents can be indexed")
        if len(fields) > MAX_FIELDS:  # a third field's number would not fit above a pair's key
            raise ValueError(f"at most {MAX_FIELDS} fields can be indexed")
        self.fields = [(f.weight, f.kinds) for f in fields]
        # A field's keys are above every key of the fields before it, so the fields' pairs sorted
        # apart and joined are sorted. Where the corpus is large (a catalogue) each is sorted on a
        # thread of its own: numpy sorts in place without the GIL, so the second field's sort runs
        # beside the first one's, on the other core. (Only the sort: arrays made on other threads
        # come from glibc's arenas for them, which keep about 80 MB after the build.)
        pairs = [_pairs(number, field) for number, field in enumerate(fields)]
        if self.size >= PARALLEL_MIN_DOCS and len(pairs) > 1:
            with ThreadPoolExecutor(max_workers=len(pairs), thread_name_prefix="gongkai-index") as pool:
                list(pool.map(np.ndarray.sort, pairs))
        else:
            for field_pairs in pairs:
                field_pairs.sort()
        combined = np.concatenate(pairs) if pairs else np.zeros(0, np.uint64)
        del pairs
        if len(combined):
            combined = combined[np.r_[True, combined[1:] != combined[:-1]]]
        keys = combined >> np.uint64(_DOC_BITS)
        self.postings = (combined & np.uint64(MAX_DOCS - 1)).astype(np.int32)
        del combined
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
        self.vocab = keys[starts]
        self.offsets = np.r_[starts, len(keys)].astype(np.int64)
        df = np.diff(self.offsets)
        # BM25's idf, never negative; a term no document has gets the highest value.
        self.idf = np.log1p((self.size - df + 0.5) / (df + 0.5))
        self.unknown_idf = math.log1p((self.size + 0.5) / 0.5)
        kind = ((self.vocab >> np.uint64(_KIND_SHIFT)) & np.uint64(7)).astype(np.int64)
        field = (self.vocab >> np.uint64(_FIELD_SHIFT)).astype(np.int64)
        self.weight = self.idf * KIND_WEIGHT[kind]
        # Each document's own weight on the first field, split into characters and sounds, so
        # that a question typed in pinyin is measured against the sounds alone.
        first = field == 0
        is_char = np.isin(kind, _CHAR_KINDS)
        owner = self.postings
        per_term = np.repeat(self.weight, df)
        term_first = np.repeat(first, df)
        term_char = np.repeat(is_char, df)
        self.doc_char = np.bincount(owner[term_first & term_char], per_term[term_first & term_char], self.size)
        self.doc_sound = np.bincount(owner[term_first & ~term_char], per_term[term_first & ~term_char], self.size)
        self._lookups()

    def _lookups(self) -> None:
        # A small index (the guide) finds a query's terms with a dict: for a short query, numpy's
        # per-call cost is most of the time. A large one (a catalogue) searches the sorted keys.
        self._small = len(self.vocab) <= SMALL_VOCAB
        if self._small:
            self._term = dict(zip(self.vocab.tolist(), range(len(self.vocab))))
            self._idf = self.idf.tolist()
            self._gain = self.weight.tolist()

    _SAVED = ("postings", "vocab", "offsets", "idf", "weight", "doc_char", "doc_sound")

    def state(self, prefix: str) -> dict[str, np.ndarray]:
        """The built index as arrays named with ``prefix``, to be saved and :meth:`restored`."""
        fields = np.array([[w, *k, *[0] * (8 - len(k))] for w, k in self.fields], dtype=np.float64)
        scalars = np.array([self.size, self.unknown_idf], dtype=np.float64)
        return {prefix + name: getattr(self, name) for name in self._SAVED} | {
            prefix + "fields": fields,
            prefix + "scalars": scalars,
        }

    @classmethod
    def restored(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> NgramIndex:
        """The index whose :meth:`state` ``arrays`` are, as it was built."""
        index = cls.__new__(cls)
        for name in cls._SAVED:
            setattr(index, name, arrays[prefix + name])
        size, index.unknown_idf = arrays[prefix + "scalars"].tolist()
        index.size = int(size)
        index.fields = [(float(w), tuple(int(k) for k in kinds if k)) for w, *kinds in arrays[prefix + "fields"]]
        index._lookups()
        return index

    def _unseen_idf(self, keys: np.ndarray, kind: np.ndarray) -> np.ndarray:
        """How telling a term is that no document has: a pair counts as the mean of its halves.

        An unseen pair of common characters (久给 in 多久给答复) says little; an unseen pair of
        rare ones (护照 in 申请护照) says that the question is about something the corpus lacks.
        Halves are looked up as single characters or syllables when the first field has them.
        """
        payload = keys & np.uint64((1 << _KIND_SHIFT) - 1)
        pair = np.isin(kind, (CHAR_BIGRAM, CHAR_SKIP, PINYIN_BIGRAM))
        is_sound = kind == PINYIN_BIGRAM
        bits = np.where(is_sound, 10, 18).astype(np.uint64)
        mask = (np.uint64(1) << bits) - np.uint64(1)
        single = np.where(is_sound, PINYIN, CHAR).astype(np.uint64)
        halves = [(payload >> bits) & mask, payload & mask]
        total = np.zeros(len(keys))
        for half in halves:
            half_key = (single << np.uint64(_KIND_SHIFT)) | half
            where = np.searchsorted(self.vocab, half_key)
            where[where == len(self.vocab)] = 0
            found = (self.vocab[where] == half_key) if len(self.vocab) else np.zeros(len(keys), bool)
            total += np.where(found, self.idf[where], self.unknown_idf)
        return np.where(pair, total / 2, self.unknown_idf)

    def candidates(self, units: Units, *, budget: int = 50_000, limit: int = 200) -> Candidates:
        """The documents that share most with ``units``, at most ``limit`` of them.

        :param budget: how many postings to read at most; the rarest terms are read first, and the
          commonest (安全 in a work-safety catalogue) are skipped once the budget is spent, which
          bounds a query's time on a large corpus without changing which documents come first
        """
        empty = Candidates(np.zeros(0, np.int32), np.zeros(0), np.zeros(0))
        if len(units) == 0 or self.size == 0:
            return empty
        if self._small:
            return self._small_candidates(units, budget, limit) or empty
        doc = np.zeros(len(units), np.int32)
        query_weight = 0.0
        found_terms: list[np.ndarray] = []
        found_gain: list[np.ndarray] = []
        for number, (field_weight, kinds) in enumerate(self.fields):
            keys, _ = _keys(units.codes, units.syllables, doc, kinds, number)
            keys = np.unique(keys)
            where = np.searchsorted(self.vocab, keys)
            where[where == len(self.vocab)] = 0
            hit = self.vocab[where] == keys if len(self.vocab) else np.zeros(len(keys), bool)
            if number == 0:
                kind = ((keys >> np.uint64(_KIND_SHIFT)) & np.uint64(7)).astype(np.int64)
                idf = np.where(hit, self.idf[where], self._unseen_idf(keys, kind))
                query_weight = float((idf * KIND_WEIGHT[kind]).sum())
            found_terms.append(where[hit])
            found_gain.append(self.weight[where[hit]] * field_weight)
        if query_weight <= 0:
            return empty
        typed_in_chars = float(np.count_nonzero(units.codes)) / len(units)
        return self._score(
            np.concatenate(found_terms), np.concatenate(found_gain), query_weight, typed_in_chars, budget, limit
        )

    def _score(
        self, terms: np.ndarray, gains: np.ndarray, query_weight: float, typed_in_chars: float, budget: int, limit: int
    ) -> Candidates:
        """Add up the gains of the query's terms per document, rarest terms first, within the budget.

        The documents ranked are those of the rarest terms' first ``POOL`` postings: a document
        that shares none of the query's rarer terms is not among the best, and leaving it out
        keeps the selection small on a large corpus.
        """
        if len(terms) == 0:
            return Candidates(np.zeros(0, np.int32), np.zeros(0), np.zeros(0))
        lengths = self.offsets[terms + 1] - self.offsets[terms]
        order = np.argsort(lengths, kind="stable")
        within = np.cumsum(lengths[order]) <= budget
        within[:3] = True
        chosen = order[within]
        owners = np.concatenate([self.postings[self.offsets[t] : self.offsets[t + 1]] for t in terms[chosen].tolist()])
        matched = np.bincount(owners, np.repeat(gains[chosen], lengths[chosen]), self.size)
        if self.size <= POOL:
            docs = np.flatnonzero(matched)
        else:
            docs = np.sort(owners[:POOL])  # sorted and deduplicated by hand (see __init__)
            docs = docs[np.r_[True, docs[1:] != docs[:-1]]]
        if len(docs) > limit:
            # A tiny offset by position breaks ties, without which argpartition is slow on scores
            # that take few distinct values (which term weights make common).
            ranked = matched[docs] + docs * (1e-9 / self.size)
            docs = docs[np.argpartition(ranked, -limit)[-limit:]]
        got = matched[docs]
        own = self.doc_char[docs] * typed_in_chars + self.doc_sound[docs]
        return Candidates(
            docs.astype(np.int32),
            np.minimum(got / query_weight, 1.0),
            np.minimum(got / np.maximum(own, 1e-9), 1.0),
        )

    def _small_candidates(self, units: Units, budget: int, limit: int) -> Candidates | None:
        """``candidates`` for a small index, in plain Python; the same figures as the array path."""
        codes = units.codes.tolist()
        syllables = units.syllables.tolist()
        query_weight = 0.0
        gains: dict[int, float] = {}
        for number, (field_weight, kinds) in enumerate(self.fields):
            for key in _query_keys(codes, syllables, kinds, number):
                term = self._term.get(key)
                if number == 0:
                    idf = self._idf[term] if term is not None else self._unseen_one(key)
                    query_weight += idf * _KIND_WEIGHTS[(key >> _KIND_SHIFT) & 7]
                if term is not None:
                    gains[term] = gains.get(term, 0.0) + self._gain[term] * field_weight
        if query_weight <= 0 or not gains:
            return None
        typed_in_chars = sum(1 for c in codes if c) / len(codes)
        terms = np.fromiter(gains.keys(), dtype=np.int64, count=len(gains))
        values = np.fromiter(gains.values(), dtype=np.float64, count=len(gains))
        return self._score(terms, values, query_weight, typed_in_chars, budget, limit)

    def _unseen_one(self, key: int) -> float:
        """``_unseen_idf`` for one key."""
        kind = (key >> _KIND_SHIFT) & 7
        if kind not in _PAIRS:
            return self.unknown_idf
        bits, single = _PAIRS[kind]
        payload = key & ((1 << _KIND_SHIFT) - 1)
        total = 0.0
        for half in (payload >> bits, payload & ((1 << bits) - 1)):
            term = self._term.get(single << _KIND_SHIFT | half)
            total += self._idf[term] if term is not None else self.unknown_idf
        return total / 2
