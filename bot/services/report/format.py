"""The yearly report's formats as data: sections, tables, rows and columns (regulations.md §4).

Three eras, chosen by the year reported on (``era``):

- ``R2007`` (2008–2018): the original Regulations. No national tables; the report is text in the
  sections the bureau's own 2009 report uses (the seed), with the figures written into sentences.
- ``T2019`` (2019, 2020): 国办公开办函〔2019〕60号. Tables 1–3; 其他处理 is a single row.
- ``T2021`` (2021 on): 国办公开办函〔2021〕30号. Table 1 is shorter; 其他处理 has three rows.

Every row and column has a stable ASCII key (used in the database, the CLI and CSV file names)
and the label the format prints. The outcome rows are always recorded at T2021's detail; T2019
folds the three 其他处理 rows into its one.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_YEAR = 2008  # R2007 came into force on 2008-05-01: there is no report before that year
NATIONAL_FROM = 2019  # R2019's report format (tables) from the 2019 report on
T2021_FROM = 2021


def era(year: int) -> str:
    """The report format a year is reported in: ``R2007``, ``T2019`` or ``T2021``."""
    if year < NATIONAL_FROM:
        return "R2007"
    return "T2019" if year < T2021_FROM else "T2021"


# --- sections --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One numbered section of the report; ``text`` names the staff-written text it carries, if any."""

    number: str
    title: str
    text: str | None = None


SECTIONS_NATIONAL = (
    Section("一", "总体情况", "overview"),
    Section("二", "主动公开政府信息情况"),
    Section("三", "收到和处理政府信息公开申请情况"),
    Section("四", "政府信息公开行政复议、行政诉讼情况"),
    Section("五", "存在的主要问题及改进情况", "problems"),
    Section("六", "其他需要报告的事项", "other"),
)
# The seed's own headings (张店区安监局, 2009), in its order: fees after review and litigation.
SECTIONS_R2007 = (
    Section("一", "基本情况", "overview"),
    Section("二", "政府信息主动公开情况", "proactive"),
    Section("三", "依申请公开政府信息情况", "applications"),
    Section("四", "因政府信息公开申请行政复议、提起行政诉讼情况", "reviews"),
    Section("五", "政府信息公开收费及减免情况", "fees"),
    Section("六", "存在的主要问题和改进措施", "problems"),
)

# Texts staff write for a year, by key: what each is. The old format writes the figures of 主动公开,
# 依申请公开 and 复议诉讼 into sentences itself; staff add to them.
TEXTS = {
    "intro": "开头一段（导语）",
    "overview": "总体情况 / 基本情况",
    "proactive": "主动公开：公开内容与形式（数字由系统写在第一段之后）",
    "applications": "依申请公开：补充说明（数字由系统写入）",
    "reviews": "复议诉讼：补充说明（数字由系统写入）",
    "fees": "收费及减免：说明",
    "problems": "存在的主要问题及改进情况",
    "other": "其他需要报告的事项",
}
TEXTS_OF = {
    "R2007": ("intro", "overview", "proactive", "applications", "reviews", "fees", "problems"),
    "T2019": ("intro", "overview", "problems", "other"),
    "T2021": ("intro", "overview", "problems", "other"),
}


# --- Table 2: applicants and outcomes ---------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str


# The six applicant columns, then their total. The five organisation kinds sit under one header,
# 法人或其他组织, in the printed table.
APPLICANT_COLUMNS = (
    Column("natural", "自然人"),
    Column("business", "商业企业"),
    Column("research", "科研机构"),
    Column("nonprofit", "社会公益组织"),
    Column("legal", "法律服务机构"),
    Column("other", "其他"),
)
TOTAL = Column("total", "总计")
TABLE2_COLUMNS = (*APPLICANT_COLUMNS, TOTAL)
ORGANISATION_HEADER = "法人或其他组织"


@dataclass(frozen=True)
class OutcomeGroup:
    key: str
    number: str  # （一）..（六）
    label: str


@dataclass(frozen=True)
class OutcomeRow:
    """One outcome row of Table 2: its group, its number inside the group ("" for a group of one),
    the format's label, and the article of R2019 that grounds it (regulations.md §4.4, a reading)."""

    key: str
    group: str
    number: str
    label: str
    article: str


OUTCOME_GROUPS = (
    OutcomeGroup("granted", "（一）", "予以公开"),
    OutcomeGroup("partial", "（二）", "部分公开（区分处理的，只计这一情形，不计其他情形）"),
    OutcomeGroup("withheld", "（三）", "不予公开"),
    OutcomeGroup("unable", "（四）", "无法提供"),
    OutcomeGroup("not_processed", "（五）", "不予处理"),
    OutcomeGroup("other", "（六）", "其他处理"),
)
OUTCOME_ROWS = (
    OutcomeRow("granted", "granted", "", "予以公开", "第36条第1、2项"),
    OutcomeRow("partial", "partial", "", "部分公开", "第37条"),
    OutcomeRow("withheld.secret", "withheld", "1", "属于国家秘密", "第14条"),
    OutcomeRow("withheld.law", "withheld", "2", "其他法律行政法规禁止公开", "第14条"),
    OutcomeRow("withheld.security", "withheld", "3", "危及“三安全一稳定”", "第14条"),
    OutcomeRow("withheld.third_party", "withheld", "4", "保护第三方合法权益", "第15条"),
    OutcomeRow("withheld.internal", "withheld", "5", "属于三类内部事务信息", "第16条第1款"),
    OutcomeRow("withheld.process", "withheld", "6", "属于四类过程性信息", "第16条第2款"),
    OutcomeRow("withheld.enforcement", "withheld", "7", "属于行政执法案卷", "第16条第2款"),
    OutcomeRow("withheld.query", "withheld", "8", "属于行政查询事项", "第36条第7项"),
    OutcomeRow("unable.not_held", "unable", "1", "本机关不掌握相关政府信息", "第36条第4、5项"),
    OutcomeRow("unable.needs_making", "unable", "2", "没有现成信息需要另行制作", "第38条"),
    OutcomeRow("unable.unclear", "unable", "3", "补正后申请内容仍不明确", "第30条"),
    OutcomeRow("not_processed.petition", "not_processed", "1", "信访举报投诉类申请", "第39条"),
    OutcomeRow("not_processed.repeat", "not_processed", "2", "重复申请", "第36条第6项"),
    OutcomeRow("not_processed.publication", "not_processed", "3", "要求提供公开出版物", "第39条"),
    OutcomeRow("not_processed.excessive", "not_processed", "4", "无正当理由大量反复申请", "第35条"),
    OutcomeRow("not_processed.confirm", "not_processed", "5", "要求行政机关确认或重新出具已获取信息", "第36条第6项"),
    OutcomeRow(
        "other.no_correction",
        "other",
        "1",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "第30条",
    ),
    OutcomeRow(
        "other.no_fee",
        "other",
        "2",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "第42条",
    ),
    OutcomeRow("other.other", "other", "3", "其他", ""),
)
OUTCOME_KEYS = tuple(r.key for r in OUTCOME_ROWS)
GROUP_OF = {r.key: r.group for r in OUTCOME_ROWS}

# Rows of Table 2 besides the outcomes, by key.
NEW = "new"  # 一
CARRIED_IN = "carried_in"  # 二
OUTCOME_TOTAL = "outcome_total"  # 三（七）
CARRIED_OUT = "carried_out"  # 四
_GROUP_NUMBER = {g.key: g.number for g in OUTCOME_GROUPS}
ROW_LABELS = {
    NEW: "一、本年新收政府信息公开申请数量",
    CARRIED_IN: "二、上年结转政府信息公开申请数量",
    **{
        r.key: f"三、本年度办理结果{_GROUP_NUMBER[r.group]}{r.number and r.number + '. '}{r.label}"
        for r in OUTCOME_ROWS
    },
    "other": "三、本年度办理结果（六）其他处理",  # T2019's one row for the three
    OUTCOME_TOTAL: "三、本年度办理结果（七）总计",
    CARRIED_OUT: "四、结转下年度继续办理",
}
TABLE2_ROWS = (NEW, CARRIED_IN, *OUTCOME_KEYS, OUTCOME_TOTAL, CARRIED_OUT)
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def outcome_rows(era_name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The outcome rows a format prints, as (printed row key, recorded keys it sums): T2019 prints
    one 其他处理 row for the three recorded ones."""
    rows: list[tuple[str, tuple[str, ...]]] = []
    for r in OUTCOME_ROWS:
        if era_name == "T2019" and r.group == "other":
            if r.key == "other.no_correction":
                rows.append(("other", tuple(k for k in OUTCOME_KEYS if GROUP_OF[k] == "other")))
            continue
        rows.append((r.key, (r.key,)))
    return tuple(rows)


def _by_key_or_label(value: str, keys: dict[str, str]) -> str | None:
    if value in keys:
        return value
    return next((k for k, label in keys.items() if label == value), None)


def applicant_column(value: str) -> str | None:
    """The key of an applicant column given by key (``business``) or label (商业企业); None if neither."""
    return _by_key_or_label(value.strip(), {c.key: c.label for c in APPLICANT_COLUMNS})


def outcome_row(value: str) -> str | None:
    """The key of an outcome row given by key (``withheld.secret``) or label (属于国家秘密)."""
    labels = {r.key: r.label for r in OUTCOME_ROWS} | {"partial": "部分公开"}
    return _by_key_or_label(value.strip(), labels)


# --- Table 1: proactive disclosure (staff-entered figures) -----------------------------------------


@dataclass(frozen=True)
class Table1Row:
    """A row of Table 1: its block (the article and item of R2019 it reports on), its label, and
    its cells as (key, column label). ``money`` cells hold amounts (万元), the others counts."""

    key: str
    block: str
    label: str
    cells: tuple[tuple[str, str], ...]
    money: bool = False


_ITEM_1 = "第二十条第（一）项"
_ITEM_5 = "第二十条第（五）项"
_ITEM_6 = "第二十条第（六）项"
_ITEM_8 = "第二十条第（八）项"
_ITEM_9 = "第二十条第（九）项"
_T2021_DOCS = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
_T2021_DECISIONS = (("decisions", "本年处理决定数量"),)
_T2019_DOCS = (("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total", "对外公开总数量"))
_T2019_ITEMS = (("last_year", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量"))

TABLE1 = {
    "T2021": (
        Table1Row("rules", _ITEM_1, "规章", _T2021_DOCS),
        Table1Row("normative", _ITEM_1, "行政规范性文件", _T2021_DOCS),
        Table1Row("licences", _ITEM_5, "行政许可", _T2021_DECISIONS),
        Table1Row("penalties", _ITEM_6, "行政处罚", _T2021_DECISIONS),
        Table1Row("enforcement", _ITEM_6, "行政强制", _T2021_DECISIONS),
        Table1Row("fees", _ITEM_8, "行政事业性收费", (("amount", "本年收费金额（单位：万元）"),), money=True),
    ),
    "T2019": (
        Table1Row("rules", _ITEM_1, "规章", _T2019_DOCS),
        Table1Row("normative", _ITEM_1, "规范性文件", _T2019_DOCS),
        Table1Row("licences", _ITEM_5, "行政许可", _T2019_ITEMS),
        Table1Row("services", _ITEM_5, "其他对外管理服务事项", _T2019_ITEMS),
        Table1Row("penalties", _ITEM_6, "行政处罚", _T2019_ITEMS),
        Table1Row("enforcement", _ITEM_6, "行政强制", _T2019_ITEMS),
        Table1Row("fees", _ITEM_8, "行政事业性收费", _T2019_ITEMS[:2]),
        Table1Row("procurement", _ITEM_9, "政府集中采购", (("projects", "采购项目数量"), ("amount", "采购总金额"))),
    ),
}
# 本年增/减 may be negative; every other figure is at least 0.
SIGNED_CELLS = {"change"}


# --- Table 3: administrative review and litigation ---------------------------------------------------

CASE_KINDS = (
    Column("review", "行政复议"),
    Column("direct_suit", "行政诉讼（未经复议直接起诉）"),
    Column("suit_after_review", "行政诉讼（复议后起诉）"),
)
CASE_RESULTS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
)
TABLE3_COLUMNS = (*CASE_RESULTS, Column("total", "总计"))


def case_kind(value: str) -> str | None:
    """A case kind by key or label; 复议, 直接起诉 and 复议后起诉 are understood too."""
    short = {"复议": "review", "直接起诉": "direct_suit", "复议后起诉": "suit_after_review"}
    return short.get(value.strip()) or _by_key_or_label(value.strip(), {c.key: c.label for c in CASE_KINDS})


def case_result(value: str) -> str | None:
    """A decided case's result by key or label (维持, 纠正, 其他 are understood too); never pending."""
    short = {"维持": "upheld", "纠正": "corrected", "其他": "other"}
    found = short.get(value.strip()) or _by_key_or_label(value.strip(), {c.key: c.label for c in CASE_RESULTS})
    return None if found == "pending" else found


# --- the old format's proactive figures ---------------------------------------------------------------

# The catalogue's categories, as the 2008-era guides classify information (regulations.md §6.1).
CATEGORIES = ("机构职能", "政策法规", "规划计划", "业务工作", "其他信息")
