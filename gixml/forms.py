"""The two national report formats, as data: tables, rows, columns, keys and the labels they print.

Everything gixml knows about the form lives here, shared by the stages: the
line stage finds the labels (``ALL_LABELS``), the table stage fills the grid
(``ACTIVE_COLUMNS_BY_ROW``, ``REQUEST_ROWS_BY_FORMAT`` …) and the identities
check it. The canonical keys are SCHEMA.md's ``TABLE.ROW.COL`` (:func:`cell_keys`).

Formats: ``2019`` (国办公开办函〔2019〕60号) and ``2021`` (国办公开办函〔2021〕30号).

Label patterns are regular expressions over *normalised* text (see
``lines/normalise.py``: full-width forms folded to ASCII, spaces inside Chinese
text removed), so ``（一）`` is written ``\\(一\\)`` and ``结 果 维 持`` is ``结果维持``.
A new row label, or a new way a report prints one, is a pattern added here.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from .records import CellKey

FORMATS = ("2019", "2021")
TABLES = ("active", "requests", "appeals")
#: The six sections of a report, in order.
SECTION_KEYS = ("overview", "active", "requests", "appeals", "problems", "other")

#: What a printed label names: a report section title, the 第二十条第（x）项 line
#: over a part of the active table, a table row, a row-group label that carries
#: no values (（三）不予公开), a column header, or the form's printed note on
#: the identities.
LabelKind = Literal["section", "subtable", "row", "group", "column", "note"]


@dataclass(frozen=True)
class LabelSpec:
    """One printed label: what it names (:data:`LabelKind`, key, table) and the patterns that find it."""

    kind: LabelKind
    key: str
    table: str | None
    patterns: tuple[str, ...]
    index: str | None = None  # the list index printed before a sub-row ("1" in "1.属于国家秘密")
    formats: tuple[str, ...] = FORMATS


# A trailing parenthetical that belongs to the label before it, e.g.
# 部分公开（区分处理的，只计这一情形，不计其他情形） or 采购总金额（单位：万元）.
PAREN = r"(?:\((?:(?!\s\d|\d\s)[^()\t]){0,40}\)?)?"  # never across a tab or a spaced number

SECTIONS = (
    LabelSpec("section", "overview", None, (r"总体情况",)),
    LabelSpec("section", "active", "active", (r"主动公开政府信息(?:的)?情况",)),
    LabelSpec("section", "requests", "requests", (r"收到和处理政府信息公开申请(?:的)?情况",)),
    LabelSpec(
        "section",
        "appeals",
        "appeals",
        (
            r"政府信息公开行政法?复议[、,和及与]?(?:提起)?行政诉讼(?:的)?情况",
            r"因?政府信息公开(?:申请|被申请)?行政法?复议[、,和及与]?(?:提起)?行政诉讼(?:的)?情况",
        ),
    ),
    LabelSpec("section", "problems", None, (r"(?:政府信息公开工作)?存在的主要问题及改进情况", r"主要问题及改进(?:措施|情况)")),
    LabelSpec("section", "other", None, (r"其他需要报告的事项",)),
)

SUBTABLE = LabelSpec("subtable", "article20", "active", (r"第二十条第?\(?[一二三四五六七八九十]{1,3}\)?项",))

ACTIVE_ROWS = (
    LabelSpec("row", "regulations", "active", (r"规章",)),
    LabelSpec("row", "normative_documents", "active", (r"行政规范性文件", r"规范性文件")),
    LabelSpec("row", "licensing", "active", (r"行政许可",)),
    LabelSpec("row", "other_services", "active", (r"其他对外管理服务事项",), formats=("2019",)),
    LabelSpec("row", "penalties", "active", (r"行政处罚",)),
    LabelSpec("row", "enforcement", "active", (r"行政强制",)),
    LabelSpec("row", "fees", "active", (r"行政事业性收费",)),
    LabelSpec("row", "procurement", "active", (r"政府集中采购",), formats=("2019",)),
)

ACTIVE_COLUMNS = (
    LabelSpec("column", "info", "active", (r"信息内容",)),
    # format 2019
    LabelSpec("column", "new_made", "active", (r"(?:本年新)?制作数量",), formats=("2019",)),
    LabelSpec("column", "new_published", "active", (r"(?:本年新)?公开数量",), formats=("2019",)),
    LabelSpec("column", "total_published", "active", (r"对外公开总数量",), formats=("2019",)),
    LabelSpec("column", "previous", "active", (r"上一年项目数量",), formats=("2019",)),
    LabelSpec("column", "change", "active", (r"本年增[/]?减?",), formats=("2019",)),
    LabelSpec("column", "projects", "active", (r"采购项目数量",), formats=("2019",)),
    LabelSpec("column", "amount", "active", (r"采购总金额" + PAREN,), formats=("2019",)),
    # format 2021
    LabelSpec("column", "issued", "active", (r"本年制发件数",), formats=("2021",)),
    LabelSpec("column", "repealed", "active", (r"本年废止件数",), formats=("2021",)),
    LabelSpec("column", "in_force", "active", (r"现行有效件数",), formats=("2021",)),
    LabelSpec("column", "fee_amount", "active", (r"本年收费金额" + PAREN,), formats=("2021",)),
    # both: 处理决定数量 (2019, three-column rows) / 本年处理决定数量 (2021)
    LabelSpec("column", "decisions_2021", "active", (r"本年处理决定数量",), formats=("2021",)),
    LabelSpec("column", "decisions", "active", (r"处理决定数量",), formats=("2019",)),
)

REQUEST_ROWS = (
    LabelSpec("row", "new_received", "requests", (r"本年新收(?:政府信息公开)?申请(?:数量)?",)),
    LabelSpec("row", "carried_over", "requests", (r"上年结转(?:政府信息公开)?申请(?:数量)?",)),
    LabelSpec("group", "results", "requests", (r"本年度办理结果",)),
    LabelSpec("row", "granted", "requests", (r"予以公开",)),
    LabelSpec("row", "partially_granted", "requests", (r"部分公开" + PAREN,)),
    LabelSpec("group", "denied", "requests", (r"不予公开",)),
    LabelSpec("row", "denied_state_secret", "requests", (r"属于?国家秘密",), index="1"),
    LabelSpec(
        "row",
        "denied_prohibited_by_law",
        "requests",
        (r"其他法律行政法规禁止公开", r"法律行政法规禁止公开", r"其他法律行政.{0,3}禁?止公开"),
        index="2",
    ),
    LabelSpec("row", "denied_three_safety", "requests", (r"危及?[\"“”]?三安全.{0,4}稳定[\"“”]?",), index="3"),
    LabelSpec("row", "denied_third_party", "requests", (r"保护第三方合法权益", r"第三方合法权益"), index="4"),
    LabelSpec("row", "denied_internal_affairs", "requests", (r"属于?三类内部事务(?:信息)?",), index="5"),
    LabelSpec("row", "denied_process_info", "requests", (r"属于?四类过程性信息",), index="6"),
    LabelSpec("row", "denied_enforcement_file", "requests", (r"属于?行政执法案卷",), index="7"),
    LabelSpec("row", "denied_admin_query", "requests", (r"属于?行政查询事项",), index="8"),
    LabelSpec("group", "unavailable", "requests", (r"无法提供",)),
    LabelSpec("row", "unavailable_not_held", "requests", (r"本机关不掌握相关政府信息", r"不掌握相关政府信息"), index="1"),
    LabelSpec("row", "unavailable_needs_creation", "requests", (r"没有现成信息需要另行制作", r"没有现成信息"), index="2"),
    LabelSpec("row", "unavailable_unclear", "requests", (r"补正后申请内容仍不明确", r"申请内容仍不明确"), index="3"),
    LabelSpec("group", "rejected", "requests", (r"不予处理",)),
    LabelSpec("row", "rejected_complaint", "requests", (r"信访举报投诉类?申请", r"信访举报投诉"), index="1"),
    LabelSpec("row", "rejected_duplicate", "requests", (r"重复申请",), index="2"),
    LabelSpec("row", "rejected_publication", "requests", (r"要求提供公开出版物", r"公开出版物"), index="3"),
    LabelSpec("row", "rejected_excessive", "requests", (r"无正当理由大量反复申请", r"大量反复申请"), index="4"),
    LabelSpec(
        "row",
        "rejected_confirmation",
        "requests",
        (r"要求行政机关确认或重新出具已获取信息", r"确认或重新出具(?:已获取信息)?"),
        index="5",
    ),
    # （六）其他处理: a row of its own in format 2019 (and in 2021 reports that print
    # it as one row); a group label over the three sub-rows in format 2021.
    LabelSpec("row", "other", "requests", (r"其他处理",)),
    LabelSpec(
        "row",
        "other_no_correction",
        "requests",
        (r"申请人无正当理由逾期不补正[^0-9]{0,30}?(?:政府信息公开申请|申请)", r"逾期不补正?"),
        index="1",
        formats=("2021",),
    ),
    LabelSpec(
        "row",
        "other_no_fee",
        "requests",
        (r"申请人逾期未按收费通知要求缴纳费用[^0-9]{0,30}?(?:政府信息公开申请|申请)", r"逾期未按收费通知", r"缴纳费用"),
        index="2",
        formats=("2021",),
    ),
    LabelSpec("row", "other_other", "requests", (r"(?<=3[.、])其他(?![处结法对])",), index="3", formats=("2021",)),
    LabelSpec("row", "total", "requests", (r"(?:\(七\)|七[、.])总计",)),
    LabelSpec("row", "carried_forward", "requests", (r"结转下年度继续办理",)),
)

REQUEST_COLUMNS = (
    LabelSpec("note", "identity_note", "requests", (r"\(?本列数据的?勾稽关系为?[^()]{0,40}\)?",)),
    LabelSpec("column", "applicants", "requests", (r"申请人情况",)),
    LabelSpec("column", "natural_person", "requests", (r"自然人",)),
    LabelSpec("column", "organisations", "requests", (r"法人或其他组织",)),
    LabelSpec("column", "commercial", "requests", (r"商业企业",)),
    LabelSpec("column", "research", "requests", (r"科研机构",)),
    LabelSpec("column", "social_org", "requests", (r"社会公益组织", r"社会组织")),
    LabelSpec("column", "legal_service", "requests", (r"法律服务机构",)),
)

APPEAL_COLUMNS = (
    LabelSpec("column", "review", "appeals", (r"行政复议",)),
    LabelSpec("column", "litigation", "appeals", (r"行政诉讼",)),
    LabelSpec("column", "litigation_direct", "appeals", (r"未经复议直接起诉",)),
    LabelSpec("column", "litigation_after_review", "appeals", (r"复议后起诉",)),
    LabelSpec("column", "upheld", "appeals", (r"结果维持",)),
    LabelSpec("column", "corrected", "appeals", (r"结果纠正",)),
    LabelSpec("column", "other", "appeals", (r"其他结果",)),
    LabelSpec("column", "pending", "appeals", (r"尚未审结",)),
)

# Short labels shared by several tables; tried last so that longer labels win.
GENERIC_COLUMNS = (
    LabelSpec("column", "total", None, (r"总计",)),
    LabelSpec("column", "other_org", "requests", (r"其他",)),
)

# Order matters: at one position the first pattern that matches wins, so longer
# and more specific labels come first.
ALL_LABELS: tuple[LabelSpec, ...] = (
    SECTIONS
    + (SUBTABLE,)
    + REQUEST_COLUMNS[:1]
    + ACTIVE_ROWS[1:4]  # 行政规范性文件/规范性文件, 行政许可, 其他对外管理服务事项 before 规章 & 其他
    + ACTIVE_ROWS[:1]
    + ACTIVE_ROWS[4:]
    + ACTIVE_COLUMNS
    + REQUEST_ROWS
    + REQUEST_COLUMNS[1:]
    + APPEAL_COLUMNS
    + GENERIC_COLUMNS
)

#: Every label starts with one of these characters (``tests/test_fast_paths.py``
#: checks it against the patterns above: add the first character of a new
#: pattern here). The tokeniser's label matcher looks ahead for them.
LABEL_FIRST_CHARACTERS = "(七上不主予保信公其制危商因处复大存对尚属总收政无未本没法现申确社科第结缴自行补要规逾部采重"


# ---------------------------------------------------------------- the formats

ACTIVE_COLUMNS_BY_ROW: dict[str, dict[str, tuple[str, ...]]] = {
    "2019": {
        "regulations": ("new_made", "new_published", "total_published"),
        "normative_documents": ("new_made", "new_published", "total_published"),
        "licensing": ("previous", "change", "decisions"),
        "other_services": ("previous", "change", "decisions"),
        "penalties": ("previous", "change", "decisions"),
        "enforcement": ("previous", "change", "decisions"),
        "fees": ("previous", "change"),  # some reports add "decisions"
        "procurement": ("projects", "amount"),
    },
    "2021": {
        "regulations": ("issued", "repealed", "in_force"),
        "normative_documents": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "penalties": ("decisions",),
        "enforcement": ("decisions",),
        "fees": ("amount",),
    },
}

REQUEST_COLS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")
APPLICANT_COLS = REQUEST_COLS[:6]

REQUEST_ROWS_BY_FORMAT: dict[str, tuple[str, ...]] = {
    "2019": (
        "new_received", "carried_over", "granted", "partially_granted",
        "denied_state_secret", "denied_prohibited_by_law", "denied_three_safety", "denied_third_party",
        "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_admin_query",
        "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear",
        "rejected_complaint", "rejected_duplicate", "rejected_publication", "rejected_excessive",
        "rejected_confirmation", "other", "total", "carried_forward",
    ),
}
#: The three sub-rows of （六）其他处理 that format 2021 prints instead of one row.
OTHER_SUB_ROWS = ("other_no_correction", "other_no_fee", "other_other")
REQUEST_ROWS_BY_FORMAT["2021"] = tuple(
    r for row in REQUEST_ROWS_BY_FORMAT["2019"] for r in (OTHER_SUB_ROWS if row == "other" else (row,))
)
# The rows whose sum is (七)总计: every result row.
RESULT_ROWS = tuple(
    r for r in REQUEST_ROWS_BY_FORMAT["2021"] if r not in ("new_received", "carried_over", "total", "carried_forward")
) + ("other",)

APPEAL_ROWS = ("review", "litigation_direct", "litigation_after_review")
APPEAL_COLS = ("upheld", "corrected", "other", "pending", "total")

# Units a cell may carry after its number ("2笔", "984361元", "45.82万元").
CELL_UNITS = ("万元", "元", "笔", "件", "个", "项", "条", "次", "家")
#: The units as a regex alternation, longest first (万元 before 元).
CELL_UNIT_PATTERN = "|".join(sorted(CELL_UNITS, key=len, reverse=True))


@cache
def cell_keys(fmt: str, *, fees_decisions: bool = False, single_other: bool = False) -> tuple[CellKey, ...]:
    """Every key of a format, in SCHEMA.md order (data: made once per variant).

    ``fees_decisions`` adds ``active.fees.decisions`` (format 2019 reports that
    print the column); ``single_other`` adds the ``requests.other.*`` row to a
    format 2021 report that prints （六）其他处理 as one row.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    keys: list[CellKey] = []
    for row, cols in ACTIVE_COLUMNS_BY_ROW[fmt].items():
        if row == "fees" and fmt == "2019" and fees_decisions:
            cols = cols + ("decisions",)
        keys += [CellKey("active", row, col) for col in cols]
    for row in REQUEST_ROWS_BY_FORMAT[fmt]:
        keys += [CellKey("requests", row, col) for col in REQUEST_COLS]
        if row == "other_other" and single_other:
            keys += [CellKey("requests", "other", col) for col in REQUEST_COLS]
    for row in APPEAL_ROWS:
        keys += [CellKey("appeals", row, col) for col in APPEAL_COLS]
    return tuple(keys)
