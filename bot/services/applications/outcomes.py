"""The outcomes of an application for information, as the national yearly report counts them.

Data only, for the register (a decision is one of ``DECISIONS``) and for the yearly report's
Table 2 (收到和处理政府信息公开申请情况), which counts applications by ``APPLICANTS`` (its columns)
and by ``ROWS`` (its 三、本年度办理结果 rows, in the order of the national format, T2021).

- ``APPLICANTS``: the applicant columns, ``自然人`` then the five kinds of 法人或其他组织.
- ``GROUPS``: the six outcome groups （一）…（六） with their exact names.
- ``ROWS``: every outcome row of Table 2: its key, its group and its exact name ("" for a group
  that is one row: 予以公开, 部分公开).
- ``DECISIONS``: what staff decide, each counted in one row and grounded in an article of the
  2019 Regulations (R2019). Two decisions may share a row: an application for information that
  is already published (第36条第1项) is answered by saying where it is, counted as 予以公开, and
  one for information another agency holds (第36条第5项) as 本机关不掌握.

Which article grounds which row is the reference's reading of R2019 (regulations.md §4.4,
marked unconfirmed there); staff may name another article with a decision.
"""

from __future__ import annotations

from dataclasses import dataclass

APPLICANT_GROUP = "法人或其他组织"
APPLICANTS: dict[str, str] = {
    "person": "自然人",
    "business": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal": "法律服务机构",
    "other": "其他",
}
ORGANISATIONS = tuple(key for key in APPLICANTS if key != "person")

GROUPS: dict[str, str] = {
    "granted": "（一）予以公开",
    "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}
GROUP_NAMES = {"granted": "予以公开", "partial": "部分公开", "withheld": "不予公开", "unavailable": "无法提供"}
GROUP_NAMES |= {"not_processed": "不予处理", "other": "其他处理"}


@dataclass(frozen=True)
class Row:
    """One outcome row of Table 2."""

    key: str
    group: str  # a key of GROUPS
    name: str  # the row's exact name under its group; "" when the group is the row

    @property
    def label(self) -> str:
        """How the row is shown alone: its group's short name, and its own if the group has several."""
        return f"{GROUP_NAMES[self.group]}：{self.name}" if self.name else GROUP_NAMES[self.group]


ROWS: tuple[Row, ...] = (
    Row("granted", "granted", ""),
    Row("partial", "partial", ""),
    Row("withheld_secret", "withheld", "属于国家秘密"),
    Row("withheld_law", "withheld", "其他法律行政法规禁止公开"),
    Row("withheld_safety", "withheld", '危及"三安全一稳定"'),
    Row("withheld_third_party", "withheld", "保护第三方合法权益"),
    Row("withheld_internal", "withheld", "属于三类内部事务信息"),
    Row("withheld_process", "withheld", "属于四类过程性信息"),
    Row("withheld_enforcement", "withheld", "属于行政执法案卷"),
    Row("withheld_query", "withheld", "属于行政查询事项"),
    Row("unavailable_not_held", "unavailable", "本机关不掌握相关政府信息"),
    Row("unavailable_needs_making", "unavailable", "没有现成信息需要另行制作"),
    Row("unavailable_unclear", "unavailable", "补正后申请内容仍不明确"),
    Row("not_processed_petition", "not_processed", "信访举报投诉类申请"),
    Row("not_processed_repeat", "not_processed", "重复申请"),
    Row("not_processed_publication", "not_processed", "要求提供公开出版物"),
    Row("not_processed_excessive", "not_processed", "无正当理由大量反复申请"),
    Row("not_processed_confirm", "not_processed", "要求行政机关确认或重新出具已获取信息"),
    Row("other_no_correction", "other", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    Row("other_no_fee", "other", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    Row("other", "other", "其他"),
)
ROW = {row.key: row for row in ROWS}


@dataclass(frozen=True)
class Decision:
    """A decision staff may record: the Table 2 row it is counted in, the article that grounds
    it, and what it is called in lists and letters."""

    key: str
    row: str  # a key of ROW
    article: str  # of R2019 unless another instrument is named; "" when staff must name it
    label: str

    @property
    def group(self) -> str:
        return ROW[self.row].group


DECISIONS: dict[str, Decision] = {
    d.key: d
    for d in (
        Decision("granted", "granted", "第三十六条第（二）项", "予以公开"),
        Decision("granted_published", "granted", "第三十六条第（一）项", "已主动公开，告知获取方式"),
        Decision("partial", "partial", "第三十七条", "部分公开"),
        Decision("withheld_secret", "withheld_secret", "第十四条", "不予公开：属于国家秘密"),
        Decision("withheld_law", "withheld_law", "第十四条", "不予公开：其他法律行政法规禁止公开"),
        Decision("withheld_safety", "withheld_safety", "第十四条", "不予公开：危及“三安全一稳定”"),
        Decision("withheld_third_party", "withheld_third_party", "第十五条", "不予公开：保护第三方合法权益"),
        Decision("withheld_internal", "withheld_internal", "第十六条第一款", "不予公开：属于三类内部事务信息"),
        Decision("withheld_process", "withheld_process", "第十六条第二款", "不予公开：属于四类过程性信息"),
        Decision("withheld_enforcement", "withheld_enforcement", "第十六条第二款", "不予公开：属于行政执法案卷"),
        Decision("withheld_query", "withheld_query", "第三十六条第（七）项", "不予公开：属于行政查询事项"),
        Decision("unavailable_not_held", "unavailable_not_held", "第三十六条第（四）项", "无法提供：本机关不掌握"),
        Decision(
            "unavailable_not_ours", "unavailable_not_held", "第三十六条第（五）项", "无法提供：不属于本机关公开职责"
        ),
        Decision("unavailable_needs_making", "unavailable_needs_making", "第三十八条", "无法提供：需要另行制作"),
        Decision("unavailable_unclear", "unavailable_unclear", "第三十条", "无法提供：补正后申请内容仍不明确"),
        Decision("not_processed_petition", "not_processed_petition", "第三十九条第一款", "不予处理：信访举报投诉类"),
        Decision("not_processed_repeat", "not_processed_repeat", "第三十六条第（六）项", "不予处理：重复申请"),
        Decision(
            "not_processed_publication", "not_processed_publication", "第三十九条第二款", "不予处理：要求提供公开出版物"
        ),
        Decision(
            "not_processed_excessive", "not_processed_excessive", "第三十五条", "不予处理：无正当理由大量反复申请"
        ),
        Decision("not_processed_confirm", "not_processed_confirm", "", "不予处理：要求确认或重新出具已获取信息"),
        Decision("other_no_correction", "other_no_correction", "第三十条", "其他处理：逾期不补正"),
        Decision("other_no_fee", "other_no_fee", "第四十二条", "其他处理：逾期未缴纳信息处理费"),
        Decision("other", "other", "", "其他处理"),
    )
}
