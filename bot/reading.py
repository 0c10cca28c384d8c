"""Reading what citizens write, before matching: years in every form, the parts of a message
that ask something, and whether it is written in English.

Pure functions of the text (and of today's date for 去年), used by the matcher on questions only.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

from .textnorm import THEN_OPENS, split_pinyin

_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}  # fmt: skip
_UNITS = {"千": 1000, "百": 100, "十": 10}
_NUMERALS = "".join(_DIGITS)
# 二〇〇九年, 二零一八年度 (digit by digit); 两千零九年, 两千一十八年 (with 千, 百, 十); 零九年 (two digits).
_CHINESE_YEAR = re.compile(rf"[{_NUMERALS}千百十]{{2,6}}(?=年)")
# 09年 is 2009; 20年了 and 12年前 are durations, not years.
_SHORT_YEAR = re.compile(r"(?<![0-9])([0-9]{2})(?=年(?![了代级前后内多以来间]))")
_FULL_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
_DATE = re.compile(r"[0-9]{4}年(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})月")
_VERSION = re.compile(r"[0-9]{4}年?(?:那|的)?新?(?:版|修订|修正|修改|颁布|施行|出台|条例|新规|规定)")
_FULL_WIDTH_DIGIT = str.maketrans("０１２３４５６７８９", "0123456789")
_RELATIVE = {"今年": 0, "去年": -1, "上一年": -1, "前年": -2, "大前年": -3, "明年": 1}
# 今年七十多了, 今年六十岁: someone's age, not a year asked about.
_RELATIVE_RE = re.compile(
    "(" + "|".join(sorted(_RELATIVE, key=len, reverse=True)) + r")(?![0-9一二三四五六七八九十几]+多?(?:岁|了))"
)

# The same in English: last year, the year before last, this year (not "last reporting year").
_RELATIVE_EN = {"this": 0, "last": -1, "past": -1, "previous": -1, "year before last": -2}
_RELATIVE_EN_RE = re.compile(
    r"\b(?:the\s+)?(?:(this|last|past|previous) year|(year before last))\b(?!s)", re.IGNORECASE
)

# Where one question ends and the next begins: question marks, semicolons, full stops, and line
# breaks; commas and spaces only split when both sides ask something (see ``questions``).
_HARD_BREAK = re.compile(r"[?？;；。！!\n]+")
_SENTENCE = re.compile(rf"(.*?)({_HARD_BREAK.pattern}|$)", re.S)
# A sentence that opens with 这 or 那 (not 这里, 那边: a place; nor 那 as "then", 那得先交材料吗: a
# question asked on) asks of what was said before it.
_OF_WHAT_WAS_SAID = re.compile(rf"(?!{THEN_OPENS})[这那](?![里儿边])")
# A piece between commas and spaces, or ended by 吗 where one typed on without a pause (能邮寄申请吗寄哪个地址).
_PIECE = re.compile(r"(?:[^,，、\s吗]|吗(?=$|[,，、\s]))+吗?|吗")
# What supposes a case (要是你们不给公开, 一直不答复的话) rather than tells one.
_SUPPOSING = "如果|要是|假如|假设|假若|倘若|若是|万一|一旦"
_SUPPOSED = re.compile(rf"(?:{_SUPPOSING})[^，。？！；,.?!;\s]*|[^，。？！；,.?!;\s]*的话")
# A clause that sets a condition (看到哪个厂子有隐患，该打啥电话) asks nothing of its own: its 哪个 is
# "whichever", and its question is the clause after it.
_CONDITION = re.compile(rf"^(?:{_SUPPOSING}|看到|看见|发现|遇到|碰到|碰上|遇上)")
# A bare "can it be done?" after a clause (检查合格没，能查不) asks about that clause: no question
# of its own to answer.
_FOLLOW_UP = re.compile(
    r"(?:能|可以|可不可以|能不能|能否|行|中)(?:查|看|给|要|办|申请|问)?(?:不|吗|么|没|没有|啊|呀|嘛)?"
)
# A piece that only asks, naming nothing ("行不行啊，我是外地的能申请吗", "还赶趟不，过了两个月还能复议吗")
# is no question of its own: it asks the question beside it again.
_BARE_ASK = re.compile(
    r"(?:那|那么|这|这个|这事|那我|我)?(?:还)?"
    r"(?:行不行|中不中|成不成|可不可以|能不能|咋整|咋办|咋弄|怎么办|怎么弄|怎么整|赶趟|来得及|来不来得及)"
    r"[不吗么嘛啊呀呢哈啦了]*"
)
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CODE = re.compile(r"[<>{}=;|\\]")
# Common English words that are never pinyin syllables: one of them makes a Latin message English.
_ENGLISH_HINTS = frozenset(
    (  # noqa: SIM905 (a list of 60 one-word strings reads worse)
        "the is are do does can how what where when who which why i my we you your it for to of and or in on "
        "with apply application information government fee fees free cost pay report office phone address "
        "hours email complaint appeal review court deadline days please hello thanks thank"
    ).split()
)


# Words that start another question of the same message (另外你们电话多少, 顺便问下…, also).
ANOTHER_QUESTION = re.compile(
    r"\s*(?:另外|还有|此外|再问|顺便|另问|再一个|also\b|and also\b|another question)",
    re.IGNORECASE,
)


# A choice's number as typed: 2, ２, 2. or 2）; 第二个, 第2条, 选2, 选第三个, 2号 (a numeral alone, 二, is a
# number only with 第, 选 or a measure word).
_CHOICE_NUMBER = re.compile(
    r"(?:(?:我)?选(?:择)?)?(?:第)?([0-9]{1,2}|[一二三四五六七八九十])(?:个|条|项|号|种)?[.。、)）吧啊呀]?"
)


# A message that only asks what an article says (第42条, 条例第四十二条, 第42条是什么意思).
_ARTICLE_ASKED = re.compile(
    r"(?:《?(?:政府信息公开)?条例》?)?第\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*条"
    r"(?:是什么|是啥|说的是什么|说的啥|讲的是什么|讲的啥|讲什么|是什么意思|什么意思|啥意思)?[?？。.!！]*"
)


def article_asked(text: str) -> int | None:
    """The article of the regulations a message only asks about (第42条, 条例第42条, 第42条是什么意思),
    or None. A channel reads 第2条 as a pick from the list it just showed before asking this."""
    found = _ARTICLE_ASKED.fullmatch(unicodedata.normalize("NFKC", text).strip())
    return _small(found.group(1)) or None if found else None


def choice_number(text: str) -> int | None:
    """The number of a choice ``text`` picks from a numbered list, or None when it is not one."""
    typed = unicodedata.normalize("NFKC", text).strip()
    found = _CHOICE_NUMBER.fullmatch(typed)
    if found is None:
        return None
    digits = found.group(1)
    if not digits.isdigit() and typed == digits:  # 二 alone: a word, not a pick
        return None
    return int(digits) if digits.isdigit() else _DIGITS.get(digits, 10)


def read_years(text: str, today: dt.date | None = None) -> tuple[str, tuple[int, ...]]:
    """The text with every year written as four Arabic digits, and the years it names.

    二〇〇九年, 两千零九年, 零九年 and 09年 become 2009年; 去年 and 前年 become the year they mean
    (today's year minus one or two), as do last year and the year before last in English, so the
    matcher sees the same token for every spelling.
    """
    today = today or dt.date.today()
    text = text.translate(_FULL_WIDTH_DIGIT)
    text = _CHINESE_YEAR.sub(lambda m: _chinese_year(m.group()) or m.group(), text)
    text = _SHORT_YEAR.sub(lambda m: ("20" if int(m.group(1)) <= 50 else "19") + m.group(1), text)
    text = _RELATIVE_RE.sub(lambda m: f"{today.year + _RELATIVE[m.group(1)]}年", text)
    text = _RELATIVE_EN_RE.sub(lambda m: f"{today.year + _RELATIVE_EN[(m[1] or m[2]).lower()]}", text)
    text = _YEAR_ALONE.sub(r"\1年", text)  # 2018 typed alone asks of the year, as 2018年 does
    # A year in a full date (2010年1月29日: the day a report came out) names a day, and a year that
    # names a law's version (07年那版, 2019年修订的条例, 一九年新条例) the law: neither is a year asked about.
    named = _FULL_YEAR.findall(_VERSION.sub("", _DATE.sub("", text)))
    years = tuple(dict.fromkeys(int(y) for y in named if 1949 <= int(y) <= today.year + 1))
    return text, years


_YEAR_ALONE = re.compile(r"^\s*((?:19|20)[0-9]{2})\s*[?？]?\s*$")


# A day named (10月8日, 十月八号, 2026年10月8号, 2026-10-08), in a text whose years are read.
_SMALL = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
_DAY = re.compile(
    rf"(?:([0-9]{{4}})年)?({_SMALL})月份?({_SMALL})[日号]|([0-9]{{4}})[-/.]([0-9]{{1,2}})[-/.]([0-9]{{1,2}})"
)


# Asking for a year's figures (2018年收到多少申请, how many requests in 2018), or whether something
# happened that year (2018年有人申请复议过吗), rather than naming a year in passing to ask about
# the rules (2019年以后还收费吗, 2020年交的申请多少天内答复: how many days is a time limit, not a
# count). An accident's report (事故调查报告) is no year's figures.
_FIGURES = re.compile(
    r"多少(?![天日]|个?工作日|个?月|时间)|几(?:[件条次家份起项宗]|个(?!工作日|月|小时))"
    r"|数量|总数|统计|数据|数字|情况|年报|年度报告|(?<!调查|事故)报告|有人.{0,10}过|过[吗没么]"
    r"|how many|how much|number of|statistic|figure|(?<!investigation )report|were there|did anyone|has anyone"
    r"|was anyone",
    re.IGNORECASE,
)


def names_a_date(text: str) -> bool:
    """Whether ``text`` names a month or a day with its year (2010年1月29日发的报告): a year of its
    own, though not one asked about (see :func:`read_years`)."""
    return _DATE.search(text.translate(_FULL_WIDTH_DIGIT)) is not None


def asks_for_figures(text: str) -> bool:
    """Whether ``text`` asks for figures (how many, a year's report) rather than about a rule."""
    return _FIGURES.search(text) is not None


# Asking a time limit (多久答复, 几个工作日, 期限是多少, how long): a rule, whatever year it names.
_TIME_LIMIT = re.compile(
    r"多久|多长时间|多少天|几天|(?:几|多少)个?工作日|期限|时限|how long|deadline|how many (?:working )?days",
    re.IGNORECASE,
)


def asks_time_limit(text: str) -> bool:
    """Whether ``text`` asks a time limit (2009年申请多久答复), which no year's figures answer."""
    return _TIME_LIMIT.search(text) is not None


# Asking when, or whether, an answer comes (多久有结果, 有回音没, 啥时候给答复, when will I hear back):
# what a question about one's own case asks.
_OF_A_REPLY = re.compile(
    rf"{_TIME_LIMIT.pattern}|什么时候|啥时候|几时|何时|哪天|结果|回音|回复|答复|回信|进展|进度|"
    r"\bwhen\b|how soon|hear back|get back|answer|reply|respon|result|progress|status|update",
    re.IGNORECASE,
)


def asks_of_a_reply(text: str) -> bool:
    """Whether ``text`` asks when, or whether, an answer comes (多久有结果, 有回音没, when will I hear
    back); will I get a reward does not."""
    return _OF_A_REPLY.search(text) is not None


# Asking when a year's report comes out (去年的年报啥时候出, 2018年度报告什么时候公布的, 出了没).
_REPORT_WHEN = re.compile(
    r"(?:年报|年度报告|工作报告).*?(?:什么时候|啥时候|几时|哪天|何时|多会儿|出了没|出来没|公布了没|发布了没|出了吗|出来了吗)"
)


def asks_when_reported(text: str) -> bool:
    """Whether ``text`` (its years read) asks when a year's annual report is published."""
    return _REPORT_WHEN.search(text) is not None


# A year that starts a period: 2019年以后, 2021年起, 从2015年开始, since 2019.
_PERIOD = re.compile(r"[0-9]{4}年?(?:以后|以来|之后|起|开始|后)|(?:since|after|from) [0-9]{4}", re.IGNORECASE)


def starts_a_period(text: str) -> bool:
    """Whether ``text`` (its years read) names a year as the start of a period."""
    return _PERIOD.search(text) is not None


# A yes-or-no question (能网上申请吗, 可不可以邮寄, 是否收费, can I apply online) and a question
# that asks what, where or how (去哪交, 有什么区别, how do I apply): a reply's 可以。 or Yes.
# answers the first and only puzzles the second.
_YES_OR_NO = re.compile(
    r"[吗嘛么麽][?？!！。~～\s]*$|是否|能否|可否|有无|了没"
    r"|^(?:can|could|may|is|are|do|does|did|will|would|should|must|have|has)\b",
    re.IGNORECASE,
)
_OPEN = re.compile(
    r"什么|啥|哪|怎么|怎样|怎么样|咋|如何|多少|多久|多长|几[天个次份种号点]|谁|为何|区别|不同|差别"
    r"|\b(?:what|where|how|when|which|who|whom|why)\b",
    re.IGNORECASE,
)


def asks_yes_or_no(text: str) -> bool:
    """Whether a yes or a no may answer ``text``: it has the form of such a question (吗, X不X and
    the rest of :func:`asks_by_grammar`, 是否, can I) or asks no what, where or how (那网上呢),
    unlike 去哪交 and how do I apply."""
    return asks_by_grammar(text) or bool(_YES_OR_NO.search(text.strip())) or not _OPEN.search(text)


# Only a year, after a question that named another (那2010年呢, 去年的情况呢, and 2010?): the
# question before, asked of this year. Read with its years as digits.
_YEAR_AGAIN = re.compile(
    r"^(?:那|那么|还有|那你们)?(?:(?:19|20)[0-9]{2}年?度?(?:[、和跟与及,，到至-])?)+的?(?:情况|数字|数据|呢|怎么样|咋样|又?如何)*"
    r"[?？!！。.\s]*$|^(?:and|what about|how about)(?: in)? (?:19|20)[0-9]{2}[?？.\s]*$",
    re.IGNORECASE,
)


def asks_of_another_year(read: str) -> bool:
    """Whether ``read`` (a message with its years as digits) names only a year (那2010年呢)."""
    return _YEAR_AGAIN.match(read.strip()) is not None


_A_YEAR_NAMED = re.compile(_FULL_YEAR.pattern + "年?度?")

# Only now, after a question that named a year (2009年收费吗, then 那现在呢, and now?): that question
# asked of today. Read with its years as digits.
_NOW_AGAIN = re.compile(
    r"^(?:那|那么|那你们)?(?:现在|如今|目前|眼下|现行的?|今天)(?:的|呢|规定|怎么样|咋样|又?如何)*[?？!！。.\s]*$"
    r"|^(?:and|what about|how about) (?:now|today|these days)[?？.\s]*$",
    re.IGNORECASE,
)
# A year named and how a sentence says it was then: 2009年那会儿, in 2009, 2009's.
_THEN = re.compile(
    r"(?:\bin )?" + _FULL_YEAR.pattern + r"(?:年度?|'s)?(?:那会儿?|那时候?|的时候|时候|时)?[,，]?\s*",
    re.IGNORECASE,
)


def asks_of_now(read: str) -> bool:
    """Whether ``read`` asks only of now (那现在呢, and now?)."""
    return _NOW_AGAIN.match(read.strip()) is not None


def asked_of_now(read: str) -> str:
    """``read`` (its years as digits) without the years it names, and how it says it was then:
    2009年那会儿申请要交钱吗 -> 申请要交钱吗, In 2009, how long... -> how long...."""
    return _THEN.sub("", read).strip()


def years_said(years: Iterable[int], english: bool = False) -> str:
    """Years as a sentence says them: 2009年、2010年, or 2009, 2010."""
    return ", ".join(map(str, years)) if english else "、".join(f"{year}年" for year in years)


def asked_of_years(read: str, years: tuple[int, ...]) -> str:
    """``read`` (its years as digits) asked of ``years`` instead of the first year it names:
    2009年收到多少申请 of 2010, 2010年收到多少申请; one that names none, of them: 年度报告在哪看 of
    2015, 2015年的年度报告在哪看."""
    said = years_said(years)
    if _A_YEAR_NAMED.search(read) is None:
        return f"{said}的{read}"
    return _A_YEAR_NAMED.sub(said, read, count=1)


# A catalogue search asked for by its command: /search, /SEARCH, 搜索, then a space, a tab or a colon.
_SEARCH = re.compile(r"^(?:/search|搜索)(?:[\s:：]+(.*)|$)", re.IGNORECASE | re.DOTALL)


def search_typed(text: str) -> str | None:
    """The keywords of a search asked for by its command ("" for the bare command), else None
    ("搜索功能怎么用" is a question)."""
    match = _SEARCH.match(text.strip())
    return (match.group(1) or "").strip() if match else None


# Asking whom to turn to, said the same way in either question: 找谁, 找哪个, 谁管.
_WHOM = r"找谁|找哪|谁管"
_WHOM_TO_TELL = re.compile(
    rf"电话|号码|{_WHOM}|打哪|打什么|打啥|向谁|跟谁|报警|(?:哪|哪里|哪儿|怎么|咋|如何|怎样)(?:去)?(?:举报|反映|报告)"
    r"|who (?:do|should|can|to) (?:i )?(?:call|contact|tell|report)|(?:where|how) (?:do|should|can) i report"
    r"|number to call|hotline",
    re.IGNORECASE,
)


# Where work is done: a hazard there is the bureau's to hear of (a gas leak at home is the gas
# company's, and 119's).
_WORKPLACE = re.compile(
    r"厂|车间|工地|矿|作坊|仓库|库房|企业|公司|单位|店|站|工程|施工|生产"
    r"|factory|plant|workplace|work site|construction|warehouse|mine|workshop|company|shop",
    re.IGNORECASE,
)


# Asking which office handles something (该找哪个部门, 归谁管, which department).
_WHICH_OFFICE = re.compile(
    rf"(?:哪个|哪一个|哪|什么|啥)(?:部门|单位|机关|机构)|{_WHOM}|归哪|谁负责"
    r"|which (?:office|department|agency|authority)|who (?:handles|is responsible|deals with)",
    re.IGNORECASE,
)


def asks_which_office(text: str) -> bool:
    """Whether ``text`` asks which office handles something (该找哪个部门, 归谁管, which department)."""
    return bool(_WHICH_OFFICE.search(text))


def asks_whom_to_tell(text: str) -> bool:
    """Whether ``text`` asks whom to call or where to report (该打什么电话, 去哪举报, who do I call)."""
    return bool(_WHOM_TO_TELL.search(text))


def at_a_workplace(text: str) -> bool:
    """Whether ``text`` names a place where work is done (厂, 工地, 作坊, factory)."""
    return bool(_WORKPLACE.search(text))


def read_day(text: str, today: dt.date) -> dt.date | None:
    """The first calendar day ``text`` names, or None. ``text`` has its years read
    (:func:`read_years`); a day without a year is the latest such day not after a month from
    ``today`` (a citizen tells of a day passed, or about to come)."""
    for match in _DAY.finditer(text):
        year, month, day = (match.group(1), match.group(2), match.group(3)) if match.group(2) else match.group(4, 5, 6)
        try:
            found = dt.date(int(year) if year else today.year, _small(month), _small(day))
        except ValueError:  # 2月30日, 13月
            continue
        if not year and found > today + dt.timedelta(days=31):
            try:
                found = found.replace(year=found.year - 1)
            except ValueError:  # 2月29日 of a year that has none
                continue
        return found
    return None


def _small(numerals: str) -> int:
    """8, 八 or 二十八 as the number (at most 99); 0, which no month or day is, for what is no
    number (十十, 二八十)."""
    if numerals.isdigit():
        return int(numerals)
    tens, ten, ones = numerals.partition("十")
    if not ten:
        return _DIGITS[numerals] if len(numerals) == 1 else 0
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return 0
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def _chinese_year(numerals: str) -> str | None:
    """二〇〇九 or 两千零九 as "2009"; 零九 as "2009"; None for what is not a year (三十)."""
    if not any(unit in numerals for unit in _UNITS):
        if len(numerals) == 4:
            return "".join(str(_DIGITS[c]) for c in numerals)
        if len(numerals) == 2:
            value = _DIGITS[numerals[0]] * 10 + _DIGITS[numerals[1]]
            return str((2000 if value <= 50 else 1900) + value)
        return None
    value, digit = 0, None
    for c in numerals:
        if c in _UNITS:
            value += (1 if digit is None else digit) * _UNITS[c]
            digit = None
        else:
            digit = _DIGITS[c] or None if c in "〇零○" else _DIGITS[c]
    value += digit or 0
    return str(value) if 1949 <= value <= 2100 else None


def latin_words(text: str) -> list[str]:
    """The words of ``text`` in Latin letters, lower-cased, an apostrophe kept inside one (don't)."""
    return [w.lower() for w in _LATIN_WORD.findall(text)]


def in_latin_letters(text: str) -> bool:
    """Written in Latin letters and no Chinese (hello, good morning, shenqing)."""
    return bool(_LATIN_WORD.search(text)) and not _CJK.search(text)


def is_english(text: str) -> bool:
    """Written in English: no Chinese characters, and Latin words that are not typed pinyin (a
    common English word among them, or most of them no pinyin at all)."""
    if _CJK.search(text) or _CODE.search(text):  # markup or code pasted (<script>, {{7*7}}) is no English
        return False
    words = latin_words(text)
    if len(words) < 2:
        return False
    if any(w in _ENGLISH_HINTS for w in words):
        return True
    # Mostly words no pinyin input method types (select from staff, lorem ipsum): another language,
    # read as English rather than matched syllable by syllable against the guide.
    return sum(split_pinyin(w) is None for w in words) * 2 > len(words)


_LETTERS = re.compile(r"[^\W\d_]+")
_VOWEL = re.compile(r"[aeiouyv]", re.IGNORECASE)
_HELD_KEY = re.compile(r"(.)\1\1", re.IGNORECASE)
LONGEST_WORD = 25
LONGEST_ABBREVIATION = 4
# A keyboard's row swept (qwerty, asdf, zxcv) or six consonants running (asdkjfh: no English word
# has them, strengths five; pinyin has at most four, shengchan's ngch).
_MASHED = re.compile(
    r"qwert|werty|ertyu|rtyui|tyuio|yuiop|asdf|sdfg|dfgh|fghj|ghjk|hjkl|zxcv|xcvb|cvbn|vbnm|[bcdfghjklmnpqrstvwxz]{6}",
    re.IGNORECASE,
)


# A word: a Chinese character, or two letters running (English, typed pinyin).
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W\d_]{2,}")


def wordless(text: str) -> bool:
    """Whether ``text`` has no word: digits (a phone number, 110, 31m, 5G, a terminal's stray
    escape code ``[31m``), punctuation (？？？), emoji, a stray letter. Nothing the guide could
    answer, however its digits match a deadline's, a fee's or a hotline's."""
    return not _WORD.search(text)


def gibberish(text: str) -> bool:
    """Latin letters that make no word, and nothing else to read (no Chinese, no digit): every run
    of letters a key held down (AAAA, www), a keyboard's row swept (qwertyuiop), longer than an
    abbreviation without a vowel (sdfghjk, but GB/T and PDF are read), or longer than a word (500
    A's) and no pinyin either; or such a run beside a few short ones (asdkjfh qwe zxc)."""
    if any(c.isdigit() for c in text):
        return False
    runs = _LETTERS.findall(text)
    if not runs or not all(r.isascii() for r in runs):
        return False
    # (asdkjfh qwe zxc: the longest mashed, the rest no longer than an abbreviation)
    longest = max(runs, key=len)
    return not any(_word_like(r) for r in runs) or (
        not _word_like(longest) and all(len(r) <= LONGEST_ABBREVIATION - 1 for r in runs if r is not longest)
    )


def _word_like(run: str) -> bool:
    return (
        (len(run) <= LONGEST_ABBREVIATION or bool(_VOWEL.search(run)))
        and not _HELD_KEY.search(run)
        and not _MASHED.search(run)
        and (len(run) <= LONGEST_WORD or split_pinyin(run.lower()) is not None)
    )


# What ends a clause (punctuation or a space), a character within one, and a clause's end.
_CLAUSE_MARK = r"[，,。！!；;\s]"
_IN_CLAUSE = r"[^，,。！!；;\s]"
_CLAUSE_END = rf"(?:$|{_CLAUSE_MARK})"
# Where a grievance begins, asked (多久不回复就算超期, 超过几天算逾期): a bound, not a grievance told.
BOUND_ASKED = re.compile(
    r"(?:多久|多长时间|多少天|几天|几个(?:工作)?日|什么时候|啥时候|什么情况|啥情况|哪些情况|怎样|怎么样)"
    rf"{_IN_CLAUSE}*?(?:就|才)?算(?:是)?"
)
# A choice between two: 是…还是 within a clause (还是 alone is "still": 还是没人接).
CHOICE_OF_TWO = rf"是{_IN_CLAUSE}{{1,12}}还是"


# Chinese asks by grammar as well as by words: 收不收费, 公布不公布, 能复议不, 交了没, 行否, and so a clause
# that ends in 不 or 没 (能网上办不 我在外地), but not in 也没, 还没, 都不 (what did not happen).
_A_NOT_A = re.compile(
    rf"(\w\w?)[不没]\1|[不没否][?？]?$|吗[?？]?{_CLAUSE_END}"
    # and before a final particle (要得不嘛, 行不撒: 西南官话 and others)
    rf"|(?<![也还都就])[不没否][嘛撒呀啊哇]?[?？]?(?:$|(?={_CLAUSE_MARK}))"
    # and a clause that ends in 没有 after 过 or 了 (公开过没有, 罚过款没有, 交了没有): a question,
    # where 也没有, 都没有 and 不过…没有 tell
    rf"|(?:(?<!不)过{_IN_CLAUSE}{{0,2}}|了)(?<![也都还就])没有[嘛呀啊哇]?[?？]?{_CLAUSE_END}"
    # and a choice between two (到底是15个工作日还是20个, 是打电话还是去现场)
    rf"|{CHOICE_OF_TWO}"
)
# What about, or what if: a clause that ends in 呢 (那我要两百多页的复印件呢, 要是超期了还不回复呢), 那
# as "then", not "that" (那个厂子天天半夜干活呢 tells).
_WHAT_IF = re.compile(
    rf"(?:^|{_CLAUSE_MARK})(?:那(?![个家边里些儿天时种样位次回会阵])|那么|{_SUPPOSING}){_IN_CLAUSE}{{1,16}}呢[?？]?{_CLAUSE_END}"
)


# What about X (期限呢, 那网上呢, 费用呢): a few words and 呢, nothing else asking.
_WHAT_ABOUT = re.compile(r"^\W*那?\w{1,6}呢\W*$")


def asks_what_about(text: str) -> bool:
    """Whether ``text`` is only a few words and 呢 (期限呢, 那网上呢): it asks what about them, of
    what was asked before it."""
    return bool(_WHAT_ABOUT.match(text.strip()))


def asks_by_grammar(text: str) -> bool:
    """An A-not-A question (收不收费), or a clause that ends in 不, 没 or 否 (能网上办不) or in 吗 (in a
    long story, where a lone 哪 or 谁 may be part of it, …也能找你们要资料吗 still asks), or supposes
    and ends in 呢 (那我要两百多页的复印件呢; a few words and 呢, 那2010年呢, ask only of what came
    before: see :func:`asks_what_about`)."""
    text = text.strip()
    return bool(_A_NOT_A.search(text) or (_WHAT_IF.search(text) and not asks_what_about(text)))


# English asks by its first word (where is, can I, do you); one sentence may ask two things
# joined by "and" before the second one's first word (what's your address and are you open).
_ENGLISH_OPENER = (
    r"(?:what(?:'?s)?|where(?:'?s)?|when|how|who|which|why|is|are|am|was|do|does|did|can|could|will|"
    r"would|should|may|must|shall|have|has|is there|are there)\b"
)
# A greeting or an address before the question (Hi, how do I apply; Dear Sir, can I…) is no part of it.
_ENGLISH_HAIL = (
    r"(?:(?:hi|hello|hey|dear\s+\w+|good\s+(?:morning|afternoon|evening)|excuse\s+me|sorry|"
    r"thanks|thank\s+you)(?:\s+(?:there|sir|madam|all))?(?:\s*[,!.:]\s*|\s+))?"
)
# A preposition may go before the question word (By what date…, In which column…, Within how many days…).
_ENGLISH_PREPOSITION = (
    r"(?:(?:by|in|on|at|from|to|for|with|until|within|of)\s+(?=(?:what|which|when|where|whom|how)\b))?"
)
_ENGLISH_ASKS = re.compile(
    rf"^\s*{_ENGLISH_HAIL}(?:and\s+|also\s+|please\s+|so\s+)?{_ENGLISH_PREPOSITION}{_ENGLISH_OPENER}", re.IGNORECASE
)
# Where a second question begins: after "and", a comma (By what date is it published, what must it
# contain) or a full stop, before a word that can only ask there. where, when, who, which and why
# begin a relative or indirect clause as well (the guide, which can be downloaded; asking me when it
# was inspected), and ask only with a verb and its subject after them.
_ENGLISH_COMMA_OPENER = (
    r"(?:what(?:'?s)?|how|is|are|do|does|did|can|could|will|would|should|may|must|(?:where|when|who|which|why)'?s|"
    r"(?:where|when|who|which|why)\s+(?:do|does|did|can|could|is|are|should|will|would|must|may)\s+"
    r"(?:i|you|we|they|it|he|she|the|my|your|our|this|that|these|those))\b"
)
# A full stop ends a sentence, whatever follows (a story told before the question: I live near a plant. Can I…).
_ENGLISH_NEXT = re.compile(
    rf"(?:,?\s+(?:and|also|plus)\s+|,\s*|(?<=[a-z\d)])\.\s+)(?={_ENGLISH_COMMA_OPENER})|(?<=[a-z\d)])\.\s+(?=[A-Z])",
    re.IGNORECASE,
)
# What is asked of two things at once (what are your office hours and phone number): the question's
# head asked of each.
_ENGLISH_OF_TWO = re.compile(
    r"^\s*(?P<head>(?:what|where|who|when)(?:'s|\s+is|\s+are)\s+(?:(?:your|the|our|my)\s+)?)"
    r"(?P<first>[^,]+?),?\s+and\s+(?:(?:your|the|our|my)\s+)?(?P<second>[^,]+?)[?.!]*\s*$",
    re.IGNORECASE,
)


# A need told (我需要原始记录做分析, 我们需要一份): 需要 after who needs it tells, where 需要什么, 需要带
# 身份证吗 ask by their other words.
_NEED_TOLD = re.compile(r"(?<=[我们俺咱])需要")


def without_needs_told(text: str) -> str:
    """``text`` without the 需要 of a need told (我需要…): what its asking words are looked for in."""
    return _NEED_TOLD.sub("", text)


def supposes(text: str) -> bool:
    """Whether ``text`` supposes a case (如果…, 要是…, …的话)."""
    return bool(_SUPPOSED.search(text))


def without_suppositions(text: str) -> str:
    """``text`` without the cases it supposes (不给公开的话咋办 -> 咋办): to the end of the clause
    after 如果/要是/万一…, and a clause that ends in 的话."""
    return _SUPPOSED.sub(" ", text)


def asks_in_english(text: str) -> bool:
    """Whether an English sentence asks, by its first word."""
    return bool(_ENGLISH_ASKS.match(text))


def questions(text: str, asks: Callable[[str], bool], limit: int | None = 3) -> list[str]:
    """The separate questions of a message, at most ``limit`` (None: all; one: it asks one thing).

    A message is cut at question marks, full stops and semicolons; a part is cut again at commas
    and spaces where two or more of its pieces ask something of their own ("去哪申请 要带啥材料
    能网上办不"); a sentence ended by a question mark asks, whatever its words (身份证要原件还是复印件？),
    unless it asks of what was told before it (这也涉密？). A piece that asks nothing goes with the
    question after it (a preamble: "我爸在厂里被砸伤了，俺能申请不，要带啥证件"), or, at the end,
    with the one before; so does a condition ("看到哪个厂子有隐患，该打啥电话": its 哪个 is
    "whichever") unless it asks by its ending
    ("要是不会上网能写信不"), and a bare follow-up ("…检查合格没，能查不") stays with its clause.
    In English, a message is cut at an "and", a comma or a full stop that begins a second question
    (see :func:`_english_questions`), and a question asked of two things (what are your office
    hours and phone number) is asked of each.
    """
    parts: list[str] = []
    asked: set[str] = set()
    for chunk, marked in _sentences(text):
        if not _CJK.search(chunk):
            english = [q for p in _english_questions(chunk, asks) for q in _of_two(p)]
            parts.extend(english or [chunk])
            asked.update(english)  # each asks, though a story may go before it (If my request is rejected, …)
            continue
        spans = _spans(chunk)
        own = [asks_on_its_own(chunk[start:end], asks) for start, end in spans]
        if sum(own) < 2:
            parts.append(chunk)
        else:
            start = spans[0][0]
            ends = [end for (_, end), asking in zip(spans, own) if asking]
            ends[-1] = spans[-1][1]  # what follows the last question goes with it
            for end in ends:
                parts.append(chunk[start:end])
                start = next((s for s, _ in spans if s >= end), end)
        # The citizen's own question mark says it asks (身份证要原件还是复印件？), unless it asks of
        # what was said before it (…对方说涉密。这也涉密？): no question of its own.
        if marked and not _OF_WHAT_WAS_SAID.match(parts[-1]):
            asked.add(parts[-1])
    asking = _with_bare_asks_joined([p for p in parts if p in asked or asks(p)])
    return asking[:limit] if len(asking) > 1 else [text]  # [:None] is all


# Things a short message lists to ask of each (办公时间和电话, 申请表、收费标准, office hours + phone
# number): joined by 和, 跟, 及, 以及, 还有, 、, + or &; in English, by "and" or a comma. Whether each
# is a question of its own the guide answers is the matcher's to say (身份证、户口本要带吗 lists two
# things of one question).
_LISTED = re.compile(r"\s*(?:以及|还有|和|跟|及|、|[+＋&])\s*")
# In English, a comma lists too (in Chinese it ends a clause: 我寄过去的申请，从哪天算收到).
_LISTED_EN = re.compile(r"\s*(?:,|\band\b|[+&])\s*", re.IGNORECASE)
# What asks one question of all the things listed (公司和个人都能申请吗, 复议和诉讼有啥区别, 哪个先).
_OF_ALL = re.compile(r"都|区别|差别|不同|一样|哪个|还是|同时|一起|\b(?:both|difference|differ|same|or|which)\b", re.I)
LISTED_MAX_CHARS = 20  # Han characters; a Latin message, words (a list is short)
# The number a citizen types before a question (1. 2、 一、 （3） ②), which numbers it and lists nothing:
# 请问：一、答复期限多久, 1.办公时间和电话.
NUMBERED = r"(?:[(（]?[0-9一二三四五六七八九十]{1,2}[)）.、．](?![0-9])|[①-⑩])"
_BEFORE_NUMBER = r"[:：,，;；\s]"  # what a number follows, where it does not open the message
_NUMBER = re.compile(rf"(^|{_BEFORE_NUMBER}){NUMBERED}")


# The numbers of things listed one after another (1办公时间 2传真号 3邮箱, 1.地址 2.电话, ①地址②电话):
# a number as questions are numbered, or a bare 1, 2, 3 in turn before the thing.
_ITEM = re.compile(rf"[①-⑩]|(?:^|(?<={_BEFORE_NUMBER}))(?:{NUMBERED}|([1-9])(?=[\u3400-\u9fff]))")


def _numbered(text: str) -> list[str]:
    """The things ``text`` numbers, without their numbers (what goes before the first, 问三个事：,
    names none of them), or [] where it numbers fewer than two."""
    marks = list(_ITEM.finditer(text))
    bare = [m.group(1) for m in marks if m.group(1)]
    if len(marks) < 2 or (bare and bare != [str(n) for n in range(1, len(marks) + 1)]):
        return []
    ends = [m.start() for m in marks[1:]] + [len(text)]
    things = [text[m.end() : end].strip(" ,，;；:：?？。.!！") for m, end in zip(marks, ends)]
    return things if all(things) else []


def asks_of_it(thing: str) -> bool:
    """Whether a thing a message lists asks something of it (目录多久更新一次, 电话分别是多少, 能网上办不),
    by a question word or a question's form, rather than only names it (电话, 地址: the lexicon's
    asking words, which a question may be made of alone)."""
    thing = thing.strip()
    return bool(_OPEN.search(thing) or _YES_OR_NO.search(thing)) or asks_by_grammar(thing)


def listed(text: str, limit: int = 3) -> list[str]:
    """The two to ``limit`` things a short message lists, each as typed (less a number before the
    message or a clause of it), or [] where it lists none or is too long to be a list."""
    numbered = _numbered(text)
    text = _NUMBER.sub(r"\1", text.strip()).strip().rstrip("?？。.!！ ")
    chinese = _CJK.search(text) is not None
    size = len(_CJK.findall(text)) if chinese else len(_LATIN_WORD.findall(text))
    if size > LISTED_MAX_CHARS or (_OF_ALL.search(text) and not numbered):
        return []
    things = numbered or [t for t in (_LISTED if chinese else _LISTED_EN).split(text) if t.strip()]
    if not 2 <= len(things) <= limit or any(len(_CJK.findall(t)) < 2 and len(t.strip()) < 3 for t in things):
        return []
    # In 2009, how long did…: a sentence with what it is said of before it, not a list.
    if not chinese and any(asks_in_english(t) for t in things[1:]):
        return []
    return things


# A case an English question is asked of (If my request is rejected, what can I do).
_ENGLISH_CASE = re.compile(r"\s*(?:if|when|unless|in case|once|after|before|since|because|as|even if)\b", re.I)


def _english_questions(sentence: str, asks: Callable[[str], bool]) -> list[str]:
    """An English sentence cut where a second question begins; a case that asks nothing goes with
    the question after it (If my request is rejected, what can I do: the case is what is asked of),
    and a story is left out (I teach next to a fireworks shop. How do I apply: the question's own
    words are what the guide answers); [] where no piece asks."""
    pieces, told = [], ""
    for piece in filter(None, _ENGLISH_NEXT.split(sentence)):
        if asks(piece):
            pieces.append(told + piece)
            told = ""
        elif _ENGLISH_CASE.match(piece):
            told += piece + ", "
    if told and pieces:  # what follows the last question goes with it
        pieces[-1] += ", " + told.rstrip(", ")
    return pieces  # none where nothing asks


def _of_two(sentence: str) -> list[str]:
    """An English question asked of two things (what's your address and phone number) as two."""
    match = _ENGLISH_OF_TWO.match(sentence)
    if match is None:
        return [sentence]
    head = match["head"]
    # what's, as one says it of one thing or of several (what are your … phone number reads wrong)
    again = re.sub(r"^(\s*\w+)(?:'s|\s+is|\s+are)", r"\1's", head)
    return [head + match["first"], again + match["second"]]


def _sentences(text: str) -> list[tuple[str, bool]]:
    """The sentences of a message (cut at ``_HARD_BREAK``), each with whether a question mark ends it."""
    found = []
    for match in _SENTENCE.finditer(text):
        if sentence := match.group(1).strip():
            found.append((sentence, "?" in match.group(2) or "？" in match.group(2)))
    return found


def _with_bare_asks_joined(parts: list[str]) -> list[str]:
    """The parts, one that only asks (行不行啊？) joined to the question after it, or, at the end,
    to the one before."""
    joined: list[str] = []
    bare = ""
    for part in parts:
        if _BARE_ASK.fullmatch(part.strip()):
            bare += part.strip() + " "
        else:
            joined.append(bare + part)
            bare = ""
    if bare and joined:
        joined[-1] += " " + bare.strip()
    return joined or [bare.strip()]


def clauses(text: str) -> list[str]:
    """The clauses of a message, in order: its sentences, cut again at commas and spaces (a bare
    follow-up, 能查不, kept with the clause before it); an English sentence is one clause."""
    found: list[str] = []
    for chunk, _ in _sentences(text):
        found += [chunk[start:end] for start, end in _spans(chunk)] if _CJK.search(chunk) else [chunk]
    return found


def _spans(chunk: str) -> list[tuple[int, int]]:
    """Where a sentence's pieces between commas and spaces are, a bare follow-up joined to the
    piece before it, as typed (its comma or space kept)."""
    spans = [m.span() for m in _PIECE.finditer(chunk)]
    for n in range(len(spans) - 1, 0, -1):
        if _FOLLOW_UP.fullmatch(chunk, *spans[n]):
            spans[n - 1 : n + 1] = [(spans[n - 1][0], spans[n][1])]
    return spans


def asks_on_its_own(piece: str, asks: Callable[[str], bool]) -> bool:
    """Whether a piece between commas is a question of its own (see :func:`questions`)."""
    if len(piece) < 3 or not asks(piece) or _BARE_ASK.fullmatch(piece):
        return False
    return not _CONDITION.match(piece) or asks_by_grammar(piece) or piece.endswith(("吗", "么", "呢"))


# Places across China whose offices citizens may confuse with the bureau's: the provinces, their
# capitals and the other large cities. The bureau's own places and its neighbours (its city's other
# districts, its province's cities) are knowledge: the lexicon's ``places`` and ``nearby_places``.
_PLACES = (  # noqa: SIM905 (a list of 67 two- to four-character names reads worse)
    "北京 天津 上海 重庆 河北 山西 内蒙古 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 "
    "广东 广西 海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 香港 澳门 台湾 "
    "石家庄 太原 呼和浩特 沈阳 长春 哈尔滨 南京 杭州 合肥 福州 南昌 郑州 武汉 长沙 广州 南宁 海口 "
    "成都 贵阳 昆明 拉萨 西安 兰州 西宁 银川 乌鲁木齐 大连 青岛 宁波 厦门 深圳 苏州 无锡"
).split()


def of_another_place(text: str, places: tuple[str, ...], nearby: tuple[str, ...] = ()) -> bool:
    """Whether ``text`` asks about an office of another place (济南市安监局电话多少, 北京市的应急管理局
    在哪; not 我是济南的你们局: the bureau asked by a citizen from there). ``places`` are the
    bureau's own (a message that names one of them is about the bureau), ``nearby`` other places
    near it (博山区安监局) besides the country's provinces and large cities."""
    if not places or any(place in text for place in places):
        return False
    return _placed_office(nearby).search(text) is not None


@functools.cache
def _placed_office(nearby: tuple[str, ...]) -> re.Pattern[str]:
    names = sorted({*_PLACES, *nearby}, key=len, reverse=True)
    return re.compile(
        # 香港人 is a citizen from there, and 政府信息 the information asked for, not an office.
        "(?:"
        + "|".join(map(re.escape, names))
        + r")(?!人)(?:省|市|区|县)?[^\W你您贵咱我本]{0,6}?(?:局|厅|政府(?!信息))"
    )


def asking_clauses(text: str, asks: Callable[[str], bool]) -> str:
    """The clauses of a message that ask something (申请要交钱不？我刚毕业工资低 -> 申请要交钱不),
    or the message itself where every clause asks or none does."""
    said = clauses(text)
    kept = [c for c in said if asks(c) and not _BARE_ASK.fullmatch(c)]
    if not kept or len(kept) == len(said):
        return text
    return ("，" if _CJK.search(text) else ", ").join(kept)


def focus(text: str, asks: Callable[[str], bool]) -> str:
    """The clauses of a long message from the first that asks something (more than 行不行啊): a
    personal preamble ("我们是开加油站的，") dilutes how much of the message any phrasing explains."""
    english = not _CJK.search(text)  # whose clauses end at punctuation only, not at every space
    clauses = [c.strip() for c in re.split(r"[,;.!?]+" if english else r"[,，;；。！!\s]+", text) if c.strip()]
    if len(clauses) < 2:
        return text
    for i, clause in enumerate(clauses):
        if asks(clause) and not _BARE_ASK.fullmatch(clause):
            return (", " if english else "，").join(clauses[i:]) if i else text
    return clauses[-1]
