"""Load and validate the bureau's knowledge folder: the guide, the catalogue, synonyms and intents,
and the calendar's holidays.

Every problem is reported with its file, line, field and reason, all of them at once, so that a
member of staff who edits a file sees everything to fix in one run of ``gongkai knowledge check``.
The format is documented in ``knowledge/README.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import texts
from .config import OFFICE_SETTINGS

GUIDE_DIR = "guide"
CATALOGUE_FILE = "catalogue.csv"
LEXICON_FILE = "lexicon.yaml"
CALENDAR_FILE = "calendar.yaml"
_CALENDAR_FIELDS = ("holidays", "workdays")

# The only placeholders an answer may use: the bureau's own settings, whose values fill them, and
# the working days staff have to answer a complaint ({complaint_days}).
PLACEHOLDERS = frozenset(OFFICE_SETTINGS) | {"complaint_days"}
MAX_ANSWER_CHARS = 600
# A question is at most a wording staff teach (a referral's is one citizens asked); a source names a
# document or two; a keyword is a word.
MAX_QUESTION_CHARS, MAX_SOURCE_CHARS, MAX_KEYWORD_CHARS = 200, 200, 20
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A file of ours named in a source (regulations.md): the source line is shown to citizens.
_FILE_NAME = re.compile(r"[\w.-]+\.(?:md|ya?ml|txt|csv|json|py|xlsx?)\b", re.ASCII | re.IGNORECASE)
_GUIDE_FIELDS = (
    "id",
    "question",
    "alternatives",
    "keywords",
    "answer",
    "question_en",
    "answer_en",
    "source",
    "year",
    "in_force",
    "replaced_by",
    "subject",
    "refer",
    "apply_here",
    "category",
    "column",
    "documents",
)
# English answers are longer than Chinese ones for the same content.
MAX_ANSWER_EN_CHARS = 1500
MAX_QUESTION_EN_CHARS = 120  # a button's title

# Catalogue headers as portals and Excel export them, Chinese or English, mapped to our fields.
CATALOGUE_HEADERS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号", "索引", "index_no", "index", "indexno"),
    "title": ("名称", "信息名称", "标题", "title", "name"),
    "category": ("类别", "信息类别", "主题分类", "分类", "category"),
    "column": ("栏目", "所属栏目", "column", "channel"),
    "date": ("生成日期", "产生日期", "成文日期", "发文日期", "发布日期", "date"),
    "publisher": ("发布机构", "发布单位", "publisher", "agency"),
    "summary": ("内容概述", "摘要", "summary", "description"),
    "link": ("链接", "网址", "地址", "link", "url"),
}
REQUIRED_HEADERS = ("index_no", "title", "date")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a knowledge file."""

    file: str
    line: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        return f"{where}: {self.field + ': ' if self.field else ''}{self.reason}"


class KnowledgeError(Exception):
    """The knowledge folder has problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass(frozen=True)
class GuideEntry:
    """One question and answer of the disclosure guide (指南)."""

    id: str
    section: str
    question: str
    alternatives: tuple[str, ...]
    keywords: tuple[str, ...]
    answer: str
    source: str
    answer_en: str = ""  # the answer in English, for questions asked in English
    question_en: str = ""  # the question in English: its title in a list offered in English, and a phrasing
    year: int | None = None  # the year whose figures the answer gives (2009), if it is about one year
    in_force: tuple[int, int] | None = None  # the first and last year of the rules it states, if not today's
    replaced_by: str = ""  # the entry stating the rules that replaced these (old-deadline: deadline)
    # What a short question just after its answer asks of (行政复议: 要交钱不 after admin-review), if
    # not applying for information, the subject such a question is read with otherwise.
    subject: str = ""

    refer: bool = False  # not the bureau's business: the answer says who to ask instead (12345, 医保局)
    apply_here: bool = False  # the answer says how to apply: a channel adds how to apply right there
    category: str = ""  # the catalogue's category (政策法规) the entry is about: its answer lists the newest
    column: str = ""  # or the website column (重大危险源) it is about: the same
    documents: tuple[str, ...] = ()  # the index numbers of published documents its answer lists

    def states_rules_of(self, years: Iterable[int]) -> bool:
        """Whether the answer states the rules in force in one of ``years`` that are not today's
        (the 2007 Regulations' 15 days, for 2008 to 2019)."""
        return self.in_force is not None and any(self.in_force[0] <= year <= self.in_force[1] for year in years)


@dataclass(frozen=True)
class CatalogueItem:
    """One item of the disclosure catalogue (目录)."""

    index_no: str
    title: str
    category: str
    column: str
    date: str
    publisher: str
    summary: str
    link: str


@dataclass(frozen=True)
class Lexicon:
    """Words the matcher treats specially: synonyms, fillers, and the signs of a complaint."""

    synonyms: dict[str, str] = field(default_factory=dict)  # variant -> canonical, regional ones too
    regional: tuple[str, ...] = ()  # the variants of other regions' words (粤语 边度, 西南官话 啷个)
    fillers: tuple[str, ...] = ()
    greetings: tuple[str, ...] = ()
    thanks: tuple[str, ...] = ()  # a message only of these thanks: 不客气
    acknowledgements: tuple[str, ...] = ()  # a message only of these acknowledges a reply: 好的
    not_it: tuple[str, ...] = ()  # a message only of these says the last reply missed: sorry
    cancels: tuple[str, ...] = ()  # a message only of these, nothing being in progress: nothing to cancel
    complaint: tuple[str, ...] = ()
    complaint_topics: tuple[str, ...] = ()
    tipoff: tuple[str, ...] = ()
    grievance: tuple[str, ...] = ()
    hazards: tuple[str, ...] = ()
    emergencies: tuple[str, ...] = ()  # a danger happening now (着火了, 被困): 119 first, whatever else
    asking: tuple[str, ...] = ()
    requests: tuple[str, ...] = ()  # asking for information: 事故 beside 统计 is not a tip-off
    complaint_examples: tuple[str, ...] = ()  # messages that complain or report, in any words
    out_of_scope_examples: tuple[str, ...] = ()  # questions for other offices (医保, 公租房)
    places: tuple[str, ...] = ()  # the bureau's own places (张店, 淄博): another place's office is not it
    nearby_places: tuple[str, ...] = ()  # places near it whose offices are not it (博山, 济南)
    others_business: tuple[str, ...] = ()  # whom another office hears complaints of (快递, 物业)
    own_business: tuple[str, ...] = ()  # the bureau's work and domain (你们, 窗口, 答复; 厂, 消防)
    work_safety: tuple[str, ...] = ()  # the bureau's field (矿山, 特种作业): never another office's business
    injuries: tuple[str, ...] = ()  # someone hurt at work (砸伤, 手被机器绞了): a tip-off is told of 工伤 too
    everyday: tuple[str, ...] = ()  # daily life's words (我爹, 腿脚, 出差): no topic, so not unknown words
    other_years: str | None = None  # the guide entry for a year the guide has no figures for
    hazard_report: str | None = None  # the guide entry on whom to tell of a hazard (12350)
    own_cases: str | None = None  # the guide entry on following one's case: answered with one's own
    reply_deadline: str | None = None  # the one on how soon an application is answered (see lexicon.yaml)
    implied_subject: str | None = None  # what a short question without a subject is about (申请信息公开)
    tipoff_subject: str | None = None  # ... just after a tip-off told (举报: 能匿名吗)
    complaint_subject: str | None = None  # ... just after a complaint told (投诉: 多久给我回复)
    documents_subject: str | None = None  # ... just after documents were listed (公开的文件: 咋看, 能下载吗)
    # Those subjects as an English question says them (举报: reporting a safety hazard), for English
    # follow-ups (can I stay anonymous?); a subject without one is not read into them.
    english_subjects: dict[str, str] = field(default_factory=dict)
    # English words for the catalogue's Chinese terms (fireworks -> 烟花爆竹, licence -> 许可证): an
    # English question the guide cannot answer is looked up in the catalogue in its terms.
    english_terms: dict[str, str] = field(default_factory=dict)  # English words -> Chinese term


@dataclass(frozen=True)
class CalendarDays:
    """The days of ``calendar.yaml``: public holidays, and weekend days worked instead (调休).

    They override the official calendar (``services.calendar``) and fill in the years it does not
    cover yet.
    """

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()


@dataclass(frozen=True)
class Knowledge:
    """Everything the bot knows about one bureau."""

    guide: tuple[GuideEntry, ...]
    catalogue: tuple[CatalogueItem, ...]
    lexicon: Lexicon
    folder: Path
    calendar: CalendarDays = CalendarDays()
    # The knowledge before anything staff taught (see teaching.apply), where they taught something:
    # what the answers to everything else are kept as.
    base: Knowledge | None = field(default=None, compare=False, repr=False)

    @property
    def sections(self) -> list[str]:
        """The guide's sections in file order."""
        return list(dict.fromkeys(e.section for e in self.guide))

    def entry(self, entry_id: str) -> GuideEntry | None:
        return next((e for e in self.guide if e.id == entry_id), None)

    def rules_then(self, entry: GuideEntry, years: Iterable[int]) -> GuideEntry | None:
        """The entry stating the rules ``entry``'s replaced, where they were in force in one of
        ``years`` (deadline in 2015: old-deadline, the 2007 Regulations' 15 days), else None."""
        years = tuple(years)
        return next((e for e in self.guide if e.replaced_by == entry.id and e.states_rules_of(years)), None)

    def without(self, written: Callable[[str], bool]) -> Knowledge:
        """This knowledge had the wordings ``written`` picks never been written: not as an entry's
        alternative or keyword (its question stays: an entry needs one), nor as a lexicon example."""

        def kept(texts: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(t for t in texts if not written(t))

        guide = tuple(replace(e, alternatives=kept(e.alternatives), keywords=kept(e.keywords)) for e in self.guide)
        lexicon = replace(
            self.lexicon,
            complaint_examples=kept(self.lexicon.complaint_examples),
            out_of_scope_examples=kept(self.lexicon.out_of_scope_examples),
        )
        base = self.base.without(written) if self.base is not None else None
        return replace(self, guide=guide, lexicon=lexicon, base=base)


def load(folder: Path | str) -> Knowledge:
    """Load and validate a knowledge folder; raise :class:`KnowledgeError` listing every problem."""
    folder = Path(folder)
    problems: list[Problem] = []
    if not folder.is_dir():
        raise KnowledgeError([Problem(str(folder), None, None, "is not a folder")])
    guide = _load_guide(folder / GUIDE_DIR, problems)
    catalogue_path = folder / CATALOGUE_FILE
    catalogue: list[CatalogueItem] = []
    if catalogue_path.exists():
        catalogue = load_catalogue(catalogue_path, problems)
    else:
        problems.append(Problem(str(catalogue_path), None, None, "is missing"))
    lexicon = _load_lexicon(folder / LEXICON_FILE, problems)
    for key in _LEXICON_ENTRIES:
        if (wanted := getattr(lexicon, key)) and not any(e.id == wanted for e in guide):
            problems.append(Problem(str(folder / LEXICON_FILE), None, key, f"'{wanted}' is not a guide entry"))
    for entry in guide:
        if entry.replaced_by and not any(e.id == entry.replaced_by for e in guide):
            problem = f"'{entry.replaced_by}' (in {entry.id}) is not a guide entry"
            problems.append(Problem(str(folder / GUIDE_DIR), None, "replaced_by", problem))
    calendar = load_calendar(folder / CALENDAR_FILE, problems)
    if problems:
        raise KnowledgeError(problems)
    return Knowledge(tuple(guide), tuple(catalogue), lexicon, folder, calendar)


# --- YAML with line numbers -------------------------------------------------------------------


def _compose(path: Path, problems: list[Problem], *, construct: bool = True) -> tuple[Any, yaml.Node] | None:
    """A YAML file's data and its node tree (whose marks give lines); None, with the problem
    appended, if it cannot be read. Without ``construct`` the data is None: the caller reads the
    nodes' texts itself (PyYAML turns 2026-02-30 into a ValueError with no line)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        problems.append(Problem(str(path), None, None, f"is not UTF-8 ({e.reason} at byte {e.start})"))
        return None
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None and construct else None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problems.append(Problem(str(path), line, None, f"is not valid YAML: {getattr(e, 'problem', e)}"))
        return None
    if node is None:
        problems.append(Problem(str(path), None, None, "is empty"))
        return None
    for key, first, again in _repeated_keys(node):
        reason = f"repeats the key {key!r} of line {first}, which it would replace"
        problems.append(Problem(str(path), again, None, reason))
    return data, node


def _repeated_keys(node: yaml.Node) -> list[tuple[str, int, int]]:
    """Each key a mapping of the tree has twice, with the lines of its first and second use:
    PyYAML keeps the last silently (a second 这里: in the lexicon lost the first's words)."""
    repeated, nodes = [], [node]
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    line = key.start_mark.line + 1
                    if key.value in seen:
                        repeated.append((key.value, seen[key.value], line))
                    seen.setdefault(key.value, line)
                nodes.append(value)
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
    return sorted(repeated, key=lambda r: r[2])


def _mapping_lines(node: yaml.Node) -> dict[str, int]:
    """The 1-based line of each key of a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def _items(node: yaml.Node, key: str) -> list[yaml.Node]:
    for k, v in node.value if isinstance(node, yaml.MappingNode) else ():
        if k.value == key and isinstance(v, yaml.SequenceNode):
            return list(v.value)
    return []


def _load_guide(folder: Path, problems: list[Problem]) -> list[GuideEntry]:
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        problems.append(Problem(str(folder), None, None, "has no guide files (*.yaml)"))
    entries: list[GuideEntry] = []
    seen: dict[str, str] = {}
    for path in files:
        loaded = _compose(path, problems)
        if loaded is None:
            continue
        data, node = loaded
        name = str(path)
        if not isinstance(data, dict):
            problems.append(Problem(name, 1, None, "must be a mapping with 'section' and 'entries'"))
            continue
        lines = _mapping_lines(node)
        section = data.get("section")
        if not isinstance(section, str) or not section.strip():
            problems.append(Problem(name, lines.get("section", 1), "section", "must be a non-empty text"))
            continue
        raw_entries = data.get("entries")
        if not isinstance(raw_entries, list) or not raw_entries:
            problems.append(Problem(name, lines.get("entries", 1), "entries", "must be a non-empty list"))
            continue
        for raw, entry_node in zip(raw_entries, _items(node, "entries")):
            line = entry_node.start_mark.line + 1
            entry = _guide_entry(raw, section.strip(), name, line, _mapping_lines(entry_node), problems)
            if entry is None:
                continue
            if entry.id in seen:
                problems.append(Problem(name, line, "id", f"'{entry.id}' is also used in {seen[entry.id]}"))
                continue
            seen[entry.id] = f"{name}:{line}"
            entries.append(entry)
    return entries


def check_entry(raw: dict[str, Any], section: str) -> tuple[GuideEntry | None, list[Problem]]:
    """A guide entry from its fields (a form staff filled in), checked as the files are, or its
    problems (``Problem.field`` names the field), said in Chinese as the console says everything."""
    problems: list[Problem] = []
    return _guide_entry(raw, section, "", 0, {}, problems, texts.ENTRY_PROBLEMS), problems


# What is wrong with a guide entry, as `gongkai knowledge check` says it (the console's words are
# texts.ENTRY_PROBLEMS, with the same keys and fields).
ENTRY_PROBLEMS = {
    "mapping": "an entry must be a mapping",
    "unknown_field": "unknown field (expected {fields})",
    "missing": "is missing",
    "empty": "must be a non-empty text",
    "id": "'{id}' must be lower-case letters, digits and hyphens",
    "refer": "must be true or false",
    "list": "must be a list of non-empty texts",
    "phrasings": "needs at least {minimum} phrasings, has {count}",
    "answer_long": "has {count} characters; at most {limit} fit a chat message",
    "too_long": "has {count} characters; at most {limit}",
    "text": "must be a text",
    "answer_en_long": "has {count} characters; at most {limit}",
    "question_en": "must be a text of at most {limit} characters",
    "year": "must be a year such as 2009",
    "in_force": "must be the first and last year of the rules it states, such as [2008, 2019]",
    "replaced_by": "must be the id of the entry stating the rules that replaced these, beside in_force",
    "subject": "must be a few words that name what the answer is about, such as 行政复议",
    "category": "must be a catalogue category such as 政策法规",
    "column": "must be a website column of the catalogue such as 重大危险源",
    "documents": "must be a list of the catalogue's index numbers",
    "source_file": "names the file {file}; citizens read the source: name the document itself",
    "stray_brace": "has a stray brace ({error}); write braces only around a placeholder",
    "placeholder": "unknown placeholder {{{name}}} (known: {known})",
    "placeholder_format": "placeholder {{{name}}} takes no format: write it as {{{name}}}",
}


def _guide_entry(
    raw: Any,
    section: str,
    name: str,
    line: int,
    lines: dict[str, int],
    problems: list[Problem],
    say: dict[str, str] = ENTRY_PROBLEMS,
) -> GuideEntry | None:
    if not isinstance(raw, dict):
        problems.append(Problem(name, line, None, say["mapping"]))
        return None
    before = len(problems)

    def bad(key: str, reason: str) -> None:
        problems.append(Problem(name, lines.get(key, line), key, reason))

    for key in raw.keys() - set(_GUIDE_FIELDS):
        bad(str(key), say["unknown_field"].format(fields=", ".join(_GUIDE_FIELDS)))
    for key in ("id", "question", "answer", "source"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            bad(key, say["missing"] if key not in raw else say["empty"])
    entry_id = raw.get("id")
    if isinstance(entry_id, str) and entry_id and not _ID.match(entry_id):
        bad("id", say["id"].format(id=entry_id))
    refer = raw.get("refer", False)
    if not isinstance(refer, bool):
        bad("refer", say["refer"])
    apply_here = raw.get("apply_here", False)
    if not isinstance(apply_here, bool):
        bad("apply_here", say["refer"])
    lists: dict[str, tuple[str, ...]] = {}
    # A referral may be a single question staff saw asked; an answer of the guide needs wordings.
    for key, minimum in (("alternatives", 0 if refer is True else 3), ("keywords", 0)):
        value = raw.get(key, None)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            bad(key, say["missing"] if key not in raw else say["list"])
        elif len(value) < minimum:
            bad(key, say["phrasings"].format(minimum=minimum, count=len(value)))
        else:
            lists[key] = tuple(v.strip() for v in value)
    for key, limit in (("question", MAX_QUESTION_CHARS), ("source", MAX_SOURCE_CHARS)):
        value = raw.get(key)
        if isinstance(value, str) and len(value.strip()) > limit:
            bad(key, say["too_long"].format(count=len(value.strip()), limit=limit))
    for key, limit in (("alternatives", MAX_QUESTION_CHARS), ("keywords", MAX_KEYWORD_CHARS)):
        if (longest := max(map(len, lists.get(key, ())), default=0)) > limit:
            bad(key, say["too_long"].format(count=longest, limit=limit))
    source = raw.get("source")
    if isinstance(source, str) and (file := _FILE_NAME.search(source)):
        bad("source", say["source_file"].format(file=file.group(0)))
    answer = raw.get("answer")
    if isinstance(answer, str):
        for reason in _placeholder_problems(answer, say):
            bad("answer", reason)
        if len(answer.strip()) > MAX_ANSWER_CHARS:
            bad("answer", say["answer_long"].format(count=len(answer.strip()), limit=MAX_ANSWER_CHARS))
    answer_en = raw.get("answer_en", "")
    if not isinstance(answer_en, str):
        bad("answer_en", say["text"])
    else:
        for reason in _placeholder_problems(answer_en, say):
            bad("answer_en", reason)
        if len(answer_en.strip()) > MAX_ANSWER_EN_CHARS:
            bad("answer_en", say["answer_en_long"].format(count=len(answer_en.strip()), limit=MAX_ANSWER_EN_CHARS))
    question_en = raw.get("question_en", "")
    if not isinstance(question_en, str) or len(question_en.strip()) > MAX_QUESTION_EN_CHARS:
        bad("question_en", say["question_en"].format(limit=MAX_QUESTION_EN_CHARS))
        question_en = ""
    year = raw.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2100):
        bad("year", say["year"])
    in_force = raw.get("in_force")
    if in_force is not None and not (
        isinstance(in_force, list)
        and len(in_force) == 2
        and all(isinstance(y, int) and not isinstance(y, bool) and 1949 <= y <= 2100 for y in in_force)
        and in_force[0] <= in_force[1]
    ):
        bad("in_force", say["in_force"])
    replaced_by = raw.get("replaced_by", "")
    if not isinstance(replaced_by, str) or (replaced_by and not (in_force and _ID.match(replaced_by))):
        bad("replaced_by", say["replaced_by"])
    subject = raw.get("subject", "")
    if not isinstance(subject, str) or len(subject.strip()) > MAX_KEYWORD_CHARS or (subject and not subject.strip()):
        bad("subject", say["subject"])
        subject = ""
    category = raw.get("category", "")
    if not isinstance(category, str):
        bad("category", say["category"])
    column = raw.get("column", "")
    if not isinstance(column, str):
        bad("column", say["column"])
    documents = raw.get("documents", [])
    if not isinstance(documents, list) or not all(isinstance(d, str) and d.strip() for d in documents):
        bad("documents", say["documents"])
    if len(problems) > before:
        return None
    return GuideEntry(
        id=raw["id"],
        section=section,
        question=raw["question"].strip(),
        alternatives=lists["alternatives"],
        keywords=lists["keywords"],
        answer=raw["answer"].strip(),
        source=raw["source"].strip(),
        answer_en=raw.get("answer_en", "").strip(),
        question_en=question_en.strip(),
        year=year,
        in_force=(in_force[0], in_force[1]) if in_force else None,
        replaced_by=replaced_by,
        subject=subject.strip(),
        refer=refer,
        apply_here=apply_here,
        category=category.strip(),
        column=column.strip(),
        documents=tuple(d.strip() for d in documents),
    )


# A placeholder in an answer ({office_phone}), filled by ``fill``.
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(answer: str, values: Mapping[str, str]) -> str:
    """``answer`` with its placeholders filled from ``values``. Anything else in braces stays as
    written (a pointer staff typed, 请看官网{办事指南}; a format spec, {office_phone:>99999}): an
    answer is never run through ``str.format``, whose errors and specs a typo would reach."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), answer)


def _placeholder_problems(answer: str, say: dict[str, str]) -> Iterator[str]:
    if "{{" in answer or "}}" in answer:  # str.format's escapes: fill() shows them as typed
        yield say["stray_brace"].format(error="{{ }}")
        return
    try:
        fields = [(f, spec, conversion) for _, f, spec, conversion in string.Formatter().parse(answer) if f is not None]
    except ValueError as e:
        yield say["stray_brace"].format(error=e)
        return
    for name, spec, conversion in fields:
        if name not in PLACEHOLDERS:
            yield say["placeholder"].format(name=name, known=", ".join(sorted(PLACEHOLDERS)))
        elif spec or conversion:
            yield say["placeholder_format"].format(name=name)


# --- The catalogue ------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Text of a file exported by a portal or Excel: UTF-8 (with or without BOM) or GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _header_key(header: str) -> str | None:
    cleaned = re.sub(r"\s+", "", header).lower()
    return next((key for key, names in CATALOGUE_HEADERS.items() if cleaned in names), None)


def parse_date(value: str) -> str | None:
    """An ISO date (YYYY-MM-DD) from the ways exports write dates, or None."""
    value = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    # Excel and some portals append a time: 2009-05-06 00:00:00.
    head = value.split(" ", 1)[0] if " " in value else None
    return parse_date(head) if head else None


def load_catalogue(path: Path, problems: list[Problem]) -> list[CatalogueItem]:
    """Read a catalogue CSV; append every problem found to ``problems``."""
    name = str(path)
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError:
        problems.append(Problem(name, None, None, "is neither UTF-8 nor GB18030 text"))
        return []
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and (lines[skipped].startswith("#") or not lines[skipped].strip()):
        skipped += 1  # leading comment lines say what the file is (sample data, its source)
    reader = csv.reader(io.StringIO("".join(lines[skipped:])))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(name, None, None, "has no header row"))
        return []
    columns: dict[str, int] = {}
    for position, raw_header in enumerate(header):
        key = _header_key(raw_header)
        if key is None:
            continue  # extra columns a portal exports (文号, 主题分类…) are allowed and ignored
        if key in columns:
            problems.append(Problem(name, skipped + 1, raw_header, "names a field given by another column too"))
        columns[key] = position
    missing = [CATALOGUE_HEADERS[k][0] for k in REQUIRED_HEADERS if k not in columns]
    if missing:
        problems.append(Problem(name, skipped + 1, None, f"the header lacks {', '.join(missing)}"))
        return []
    items: list[CatalogueItem] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = skipped + reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        values = {key: (row[i].strip() if i < len(row) else "") for key, i in columns.items()}
        ok = True
        for key in REQUIRED_HEADERS:
            if not values[key]:
                problems.append(Problem(name, line, CATALOGUE_HEADERS[key][0], "is empty"))
                ok = False
        date = parse_date(values["date"]) if values["date"] else None
        if values["date"] and date is None:
            problems.append(Problem(name, line, CATALOGUE_HEADERS["date"][0], f"'{values['date']}' is not a date"))
            ok = False
        link = values.get("link", "")
        if link and not re.match(r"^https?://\S+$", link):
            problems.append(Problem(name, line, CATALOGUE_HEADERS["link"][0], f"'{link}' is not an http(s) address"))
            ok = False
        index_no = values["index_no"]
        if index_no in seen:
            problems.append(Problem(name, line, "索引号", f"'{index_no}' repeats line {seen[index_no]}"))
            ok = False
        if not ok:
            continue
        seen[index_no] = line
        items.append(
            CatalogueItem(
                index_no=index_no,
                title=values["title"],
                category=values.get("category", ""),
                column=values.get("column", ""),
                date=date or "",
                publisher=values.get("publisher", ""),
                summary=values.get("summary", ""),
                link=link,
            )
        )
    return items


# --- The lexicon ---------------------------------------------------------------------------------


_LEXICON_LISTS = (
    "fillers",
    "greetings",
    "thanks",
    "acknowledgements",
    "not_it",
    "cancels",
    "complaint",
    "complaint_topics",
    "tipoff",
    "grievance",
    "hazards",
    "emergencies",
    "asking",
    "requests",
    "complaint_examples",
    "out_of_scope_examples",
    "places",
    "nearby_places",
    "others_business",
    "own_business",
    "work_safety",
    "injuries",
    "everyday",
)
# The lexicon's pointers to guide entries.
_LEXICON_ENTRIES = ("other_years", "hazard_report", "own_cases", "reply_deadline")


def _load_lexicon(path: Path, problems: list[Problem]) -> Lexicon:
    if not path.exists():
        problems.append(Problem(str(path), None, None, "is missing"))
        return Lexicon()
    loaded = _compose(path, problems)
    if loaded is None:
        return Lexicon()
    data, node = loaded
    name = str(path)
    lines = _mapping_lines(node)
    if not isinstance(data, dict):
        problems.append(Problem(name, 1, None, "must be a mapping"))
        return Lexicon()
    synonyms: dict[str, str] = {}
    _read_synonyms(data, "synonyms", synonyms, name, lines, problems)
    regional = _read_synonyms(data, "regional", synonyms, name, lines, problems)
    english_terms: dict[str, str] = {}
    _read_synonyms(data, "english_terms", english_terms, name, lines, problems)
    words: dict[str, tuple[str, ...]] = {}
    for key in _LEXICON_LISTS:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.append(Problem(name, lines.get(key), key, "must be a list of words"))
            value = []
        words[key] = tuple(value)
    entries: dict[str, str | None] = {}
    for key in _LEXICON_ENTRIES:
        entries[key] = data.get(key)
        if entries[key] is not None and not isinstance(entries[key], str):
            problems.append(Problem(name, lines.get(key), key, "must be a guide entry id"))
            entries[key] = None
    subjects: dict[str, str | None] = {}
    for key in ("implied_subject", "tipoff_subject", "complaint_subject", "documents_subject"):
        subjects[key] = data.get(key)
        if subjects[key] is not None and not (isinstance(subjects[key], str) and subjects[key]):
            problems.append(Problem(name, lines.get(key), key, "must be words"))
            subjects[key] = None
    english = data.get("english_subjects") or {}
    if not isinstance(english, dict) or not all(
        isinstance(zh, str) and zh and isinstance(en, str) and en.strip() for zh, en in english.items()
    ):
        key = "english_subjects"
        problems.append(Problem(name, lines.get(key), key, "must map subjects to English words"))
        english = {}
    return Lexicon(
        english_subjects={zh: en.strip() for zh, en in english.items()},
        english_terms={en.lower(): zh for en, zh in english_terms.items()},
        implied_subject=subjects["implied_subject"],
        tipoff_subject=subjects["tipoff_subject"],
        complaint_subject=subjects["complaint_subject"],
        documents_subject=subjects["documents_subject"],
        synonyms=synonyms,
        regional=regional,
        other_years=entries["other_years"],
        hazard_report=entries["hazard_report"],
        own_cases=entries["own_cases"],
        reply_deadline=entries["reply_deadline"],
        **words,
    )


def _read_synonyms(
    data: dict[str, Any],
    key: str,
    synonyms: dict[str, str],
    name: str,
    lines: dict[str, int],
    problems: list[Problem],
) -> tuple[str, ...]:
    """Read ``key``'s ``canonical: [variants]`` into ``synonyms`` (variant -> canonical); return
    its variants."""
    raw = data.get(key) or {}
    if not isinstance(raw, dict):
        problems.append(Problem(name, lines.get(key), key, "must map a word to its variants"))
        return ()
    read: list[str] = []
    for canonical, variants in raw.items():
        if not isinstance(variants, list) or not all(isinstance(v, str) and v for v in variants):
            problems.append(Problem(name, lines.get(key), f"{key}.{canonical}", "must be a list of words"))
            continue
        for variant in variants:
            if variant in synonyms and synonyms[variant] != canonical:
                problems.append(
                    Problem(
                        name,
                        lines.get(key),
                        f"{key}.{canonical}",
                        f"'{variant}' is also a variant of '{synonyms[variant]}'",
                    )
                )
            synonyms[variant] = str(canonical)
            read.append(variant)
    return tuple(read)


# --- The calendar ----------------------------------------------------------------------------------


def load_calendar(path: Path, problems: list[Problem]) -> CalendarDays:
    """Read ``calendar.yaml`` (optional: without it the official calendar alone counts); append
    every problem found to ``problems``."""
    if not path.exists():
        return CalendarDays()
    loaded = _compose(path, problems, construct=False)
    if loaded is None:
        return CalendarDays()
    _, node = loaded
    name = str(path)
    if not isinstance(node, yaml.MappingNode):
        problems.append(
            Problem(name, node.start_mark.line + 1, None, "must be a mapping with 'holidays' and 'workdays'")
        )
        return CalendarDays()
    days: dict[str, frozenset[dt.date]] = {key: frozenset() for key in _CALENDAR_FIELDS}
    for key_node, value in node.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        if key not in _CALENDAR_FIELDS:
            problems.append(Problem(name, line, key, "unknown field (expected holidays, workdays)"))
        elif isinstance(value, yaml.SequenceNode):
            days[key] = frozenset(_calendar_dates(key, value.value, name, problems))
        elif value.tag != "tag:yaml.org,2002:null":  # "holidays:" with nothing after it is an empty list
            problems.append(Problem(name, line, key, "must be a list of dates (YYYY-MM-DD)"))
    for day in sorted(days["holidays"] & days["workdays"]):
        line = _mapping_lines(node).get("workdays")
        problems.append(Problem(name, line, "workdays", f"{day} is listed as a holiday too"))
    return CalendarDays(days["holidays"], days["workdays"])


def _calendar_dates(key: str, nodes: list[yaml.Node], name: str, problems: list[Problem]) -> Iterator[dt.date]:
    for item in nodes:
        line = item.start_mark.line + 1
        text = item.value if isinstance(item, yaml.ScalarNode) else None
        day = _iso_date(text) if text is not None else None
        if day is None:
            problems.append(Problem(name, line, key, f"'{text or '…'}' is not a date (YYYY-MM-DD)"))
        elif key == "workdays" and day.weekday() < 5:
            problems.append(Problem(name, line, key, f"{day} is a weekday: only a weekend day can be worked instead"))
        else:
            yield day


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
