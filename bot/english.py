"""English questions worded with the words of an entry's English question.

An entry's phrasing typed word for word is answered at once, without the model; in English that
almost never happens ("your fax number?" for "What is the fax number?"), and the n-gram index,
which reads text as a stream of letters, ties "fax number" to the phone number as closely as to
the fax. Here English is read as words: each reduced to its stem (Snowball's English stemmer:
fees and fee, published and publish are one), the words any question has (what, is, your) left
out, and a slip of a word the knowledge uses (adress, comercial) read as that word. A question
with exactly the words of one entry's English question or phrasing asks what it asks.
"""

from __future__ import annotations

from collections.abc import Iterable

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

    def owner(self, text: str) -> int | None:
        """The entry one of whose English texts has exactly ``text``'s words, if only one has."""
        return self._owner.get(self.words(text))
