"""English questions worded with the words of an entry's English question.

An entry's phrasing typed word for word is answered at once, without the model; in English that
almost never happens ("your fax number?" for "What is the fax number?"), and the n-gram index,
which reads text as a stream of letters, ties "fax number" to the phone number as closely as to
the fax. Here English is read as words: each reduced to its stem (Snowball's English stemmer:
fees and fee, published and publish are one), the words any question has (what, is, your) left
out, and a slip of a word the knowledge uses (adress, comercial) read as that word. A question
with exactly the words of one entry's English question or phrasing asks what it asks; one with
some of them is as close to it as the words it shares, each weighed by how few entries use it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

import snowballstemmer
from rapidfuzz import fuzz, process

from .reading import latin_words

# Words that ask or address rather than name what is asked (and their forms without an apostrophe).
STOPWORDS = frozenset(
    (  # noqa: SIM905 (a list of 100 one-word strings reads worse)
        "a about am an and any are as at be been being by can could did do does doing for from get "
        "got had has have having he her here him his how i if in into is it its just let me might my "
        "of on or our please she should so some such than that the their them then there these they "
        "this those to too up very was we were what when where which while who whom why will with "
        "would you your yours hello hi dear sir madam maam thanks thank ok okay want need know tell "
        "like whats hows wheres whos whens thats im ive id"
    ).split()
)
TYPO_MIN_LENGTH = 5  # shorter words are not corrected: a slip there makes another word (fee, see)
TYPO_SCORE = 85
MIN_WORDS = 2  # one word alone (call: "how can I call you") is too little to say what is asked


class EnglishWords:
    """The entries' English texts as sets of words, to find the one a question words the same.

    :param texts: (owner, text) pairs; an owner is an entry's number
    """

    def __init__(self, texts: Iterable[tuple[int, str]]) -> None:
        self._stemmer = snowballstemmer.stemmer("english")
        owners: dict[frozenset[str], set[int]] = {}
        for owner, text in texts:
            words = self._stems(text)
            if len(words) >= MIN_WORDS:
                owners.setdefault(words, set()).add(owner)
        self._owner = {words: next(iter(o)) for words, o in owners.items() if len(o) == 1}
        self._known_words = {word for words in owners for word in words}
        self._vocabulary = sorted(self._known_words)
        # A word weighs by how few entries use it (fax decides, number hardly counts); a word the
        # knowledge never uses (passport) weighs most, as one the question asks that none answers.
        using: dict[str, set[int]] = {}
        for words, o in owners.items():
            for word in words:
                using.setdefault(word, set()).update(o)
        entries = len(set().union(*owners.values())) if owners else 1
        self._weight = {word: math.log(1 + entries / len(o)) for word, o in using.items()}
        self._unseen = math.log(1 + entries)
        self._texts = [(words, o, self._weighed(words)) for words, o in owners.items()]

    def _weighed(self, words: Iterable[str]) -> float:
        return sum(self._weight.get(word, self._unseen) for word in words)

    def scores(self, text: str, beta: float) -> dict[int, float]:
        """How closely ``text``'s words match each entry's English texts: for each entry its best
        text's F-measure (recall weighed ``beta`` times, as the n-gram score weighs it) over the
        words they share, each weighed as above; entries sharing fewer than ``MIN_WORDS`` words
        with it are left out (one word says too little of what is asked, as for :meth:`owner`)."""
        asked = self.words(text)
        if len(asked) < MIN_WORDS:
            return {}
        whole = self._weighed(asked)
        best: dict[int, float] = {}
        for words, owners, weight in self._texts:
            common = asked & words
            if len(common) < MIN_WORDS:
                continue
            shared = self._weighed(common)
            recall, precision = shared / whole, shared / weight
            score = (1 + beta**2) * precision * recall / (beta**2 * precision + recall)
            for owner in owners:
                best[owner] = max(best.get(owner, 0.0), score)
        return best

    def _stems(self, text: str) -> frozenset[str]:
        typed = (w.replace("'", "") for w in latin_words(text))
        return frozenset(self._stemmer.stemWords([w for w in typed if w not in STOPWORDS]))

    def words(self, text: str) -> frozenset[str]:
        """The stems of ``text``'s words, less those any question has, a slip of a word the
        knowledge uses read as it."""
        return frozenset(self._known(word) for word in self._stems(text))

    def _known(self, word: str) -> str:
        """``word``, or the knowledge's word it is a slip of (adress: address)."""
        if len(word) < TYPO_MIN_LENGTH or word in self._known_words:
            return word
        nearest = process.extractOne(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
        return nearest[0] if nearest else word

    def unknown(self, text: str, known: Iterable[str] = ()) -> frozenset[str]:
        """``text``'s words (stems) that none of the entries' English texts uses, nor ``known``'s
        words (air pollution: not the bureau's business)."""
        return self.words(text) - self._known_words - self._stems(" ".join(known))

    def owner(self, text: str) -> int | None:
        """The entry one of whose English texts has exactly ``text``'s words, if only one has."""
        return self._owner.get(self.words(text))


def chinese_terms(text: str, terms: Mapping[str, str]) -> list[str]:
    """The Chinese terms ``text``'s English words stand for (``terms``: English words -> Chinese
    term, the lexicon's ``english_terms``), in the order they are said, each once; longer words
    first (hazardous chemicals before chemicals)."""
    if not terms:
        return []
    words = sorted(terms, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    said = [terms[m.group(0).lower()] for m in pattern.finditer(text)]
    return list(dict.fromkeys(said))
