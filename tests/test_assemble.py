"""tables: assemble, end to end on small hand-written reports.

The reports are built here from their parts (no fixture files): the active
table, the requests table and the appeals table, each one cell per line (as in
tests/fixtures/seeds/000_*.txt) or as tab rows (as in 002_*.txt).
"""
from __future__ import annotations

import pytest

import gixml
from gixml.forms import APPEAL_COLS, APPEAL_ROWS, REQUEST_COLS, cell_keys
from gixml.records import UNDETERMINED

# ---------------------------------------------------------------- the builder

ZEROS7 = ["0"] * 7

REQUEST_HEADER = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "总计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
]

# (row key, the label lines printed before its values; the last one is the row's own label)
REQUEST_ROWS_2019 = [
    ("new_received", ["一、本年新收政府信息公开申请数量"]),
    ("carried_over", ["二、上年结转政府信息公开申请数量"]),
    ("granted", ["三、本年度办理结果", "（一）予以公开"]),
    ("partially_granted", ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]),
    ("denied_state_secret", ["（三）不予公开", "1.属于国家秘密"]),
    ("denied_prohibited_by_law", ["2.其他法律行政法规禁止公开"]),
    ("denied_three_safety", ["3.危及“三安全一稳定”"]),
    ("denied_third_party", ["4.保护第三方合法权益"]),
    ("denied_internal_affairs", ["5.属于三类内部事务信息"]),
    ("denied_process_info", ["6.属于四类过程性信息"]),
    ("denied_enforcement_file", ["7.属于行政执法案卷"]),
    ("denied_admin_query", ["8.属于行政查询事项"]),
    ("unavailable_not_held", ["（四）无法提供", "1.本机关不掌握相关政府信息"]),
    ("unavailable_needs_creation", ["2.没有现成信息需要另行制作"]),
    ("unavailable_unclear", ["3.补正后申请内容仍不明确"]),
    ("rejected_complaint", ["（五）不予处理", "1.信访举报投诉类申请"]),
    ("rejected_duplicate", ["2.重复申请"]),
    ("rejected_publication", ["3.要求提供公开出版物"]),
    ("rejected_excessive", ["4.无正当理由大量反复申请"]),
    ("rejected_confirmation", ["5.要求行政机关确认或重新出具已获取信息"]),
    ("other", ["（六）其他处理"]),
    ("total", ["（七）总计"]),
    ("carried_forward", ["四、结转下年度继续办理"]),
]
OTHER_SUB_ROWS_2021 = [
    ("other_no_correction", ["（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]),
    ("other_no_fee", ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"]),
    ("other_other", ["3.其他"]),
]


def request_rows(fmt: str = "2019", *, single_other: bool = False) -> list[tuple[str, list[str]]]:
    rows: list[tuple[str, list[str]]] = []
    for key, labels in REQUEST_ROWS_2019:
        if key == "other" and fmt == "2021" and not single_other:
            rows += OTHER_SUB_ROWS_2021
        else:
            rows.append((key, labels))
    return rows


def requests_table(
    values: dict[str, list[str]] | None = None,
    *,
    fmt: str = "2019",
    layout: str = "cells",
    single_other: bool = False,
) -> list[str]:
    """The requests section; ``values`` maps a row key to its printed cells (default seven 0s)."""
    values = values or {}
    lines = ["三、收到和处理政府信息公开申请情况", ""] + REQUEST_HEADER + [""]
    for key, labels in request_rows(fmt, single_other=single_other):
        cells = values.get(key, ZEROS7)
        if layout == "tabs":
            lines += labels[:-1] + ["\t".join([labels[-1], *cells])]
        else:
            lines += labels + list(cells) + [""]
    return lines


ACTIVE_2019 = [
    ("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
     [("regulations", "规章"), ("normative_documents", "规范性文件")]),
    ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
     [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
    ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
     [("penalties", "行政处罚"), ("enforcement", "行政强制")]),
    ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"], [("fees", "行政事业性收费")]),
    ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"], [("procurement", "政府集中采购")]),
]
ACTIVE_2021 = [
    ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
     [("regulations", "规章"), ("normative_documents", "行政规范性文件")]),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [("licensing", "行政许可")]),
    ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], [("penalties", "行政处罚"), ("enforcement", "行政强制")]),
    ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], [("fees", "行政事业性收费")]),
]


def active_table(
    values: dict[str, list[str]] | None = None,
    *,
    fmt: str = "2019",
    layout: str = "cells",
    headers: dict[str, list[str]] | None = None,
) -> list[str]:
    """The active section; ``headers`` replaces a sub-table's header (keyed by its 第二十条 line)."""
    values, headers = values or {}, headers or {}
    lines = ["二、主动公开政府信息情况", ""]
    for subtable, head, rows in ACTIVE_2019 if fmt == "2019" else ACTIVE_2021:
        head = headers.get(subtable, head)
        lines += [subtable] + (["\t".join(head)] if layout == "tabs" else head) + [""]
        for key, label in rows:
            cells = values.get(key, ["0"] * (len(head) - 1))
            lines += ["\t".join([label, *cells])] if layout == "tabs" else [label, *cells, ""]
    return lines


APPEALS_HEADER = (
    ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]
    + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
)


def appeals_table(values: list[str] | None = None, *, before: list[str] = (), after: list[str] = ()) -> list[str]:
    """The appeals section: header cells one per line, then the 15 values (default 0s)."""
    values = ["0"] * 15 if values is None else values
    return ["四、政府信息公开行政复议、行政诉讼情况", "", *before, *APPEALS_HEADER, "", *values, "", *after]


def report(
    *,
    fmt: str = "2019",
    active: list[str] | None = None,
    requests: list[str] | None = None,
    appeals: list[str] | None = None,
) -> str:
    year = 2020 if fmt == "2019" else 2022
    head = [f"测试镇人民政府{year}年政府信息公开工作年度报告", "", "一、总体情况", f"{year}年，我镇认真贯彻落实《条例》。", ""]
    body = (
        (active if active is not None else active_table(fmt=fmt))
        + [""]
        + (requests if requests is not None else requests_table(fmt=fmt))
        + [""]
        + (appeals if appeals is not None else appeals_table())
    )
    tail = ["", "五、存在的主要问题及改进情况", "宣传力度有待提高。", "六、其他需要报告的事项", "无。", "",
            "测试镇人民政府", f"{year + 1}年1月10日"]
    return "\n".join(head + body + tail) + "\n"


def codes(rep: gixml.Report) -> list[str]:
    return [w.code for w in rep.warnings]


def row_values(rep: gixml.Report, table: str, row: str, cols=REQUEST_COLS) -> list:
    return [rep.values[f"{table}.{row}.{c}"] for c in cols]


# A consistent set of request rows: 3 new requests, 2 granted, 1 partially granted.
CONSISTENT = {
    "new_received": ["2", "1", "0", "0", "0", "0", "3"],
    "granted": ["1", "1", "0", "0", "0", "0", "2"],
    "partially_granted": ["1", "0", "0", "0", "0", "0", "1"],
    "total": ["2", "1", "0", "0", "0", "0", "3"],
}


# ------------------------------------------------------------- the baseline


@pytest.mark.parametrize("layout", ["cells", "tabs"])
def test_synthetic_2019_report_reads_completely(layout):
    text = report(active=active_table(layout=layout), requests=requests_table(CONSISTENT, layout=layout))
    rep = gixml.extract_text(text)
    assert rep.format == "2019"
    assert list(rep.cells) == list(map(str, cell_keys("2019")))
    assert rep.status == "complete"
    assert rep.warnings == ()
    assert row_values(rep, "requests", "new_received") == [2, 1, 0, 0, 0, 0, 3]
    assert row_values(rep, "requests", "partially_granted") == [1, 0, 0, 0, 0, 0, 1]
    assert all(v == 0 for k, v in rep.values.items() if k.startswith(("active.", "appeals.")))
    assert rep.meta.organization == "测试镇人民政府"
    assert rep.meta.year == 2020
    assert rep.meta.published == "2021-01-10"


def test_cell_provenance_points_at_the_printed_line():
    text = report(requests=requests_table(CONSISTENT))
    lines = text.splitlines()
    rep = gixml.extract_text(text)
    for key, cell in rep.cells.items():
        assert cell.value is not None
        assert cell.source == lines[cell.line - 1], key
        assert cell.printed == lines[cell.line - 1].strip(), key
    label_line = lines.index("一、本年新收政府信息公开申请数量") + 1
    assert [rep.cells[f"requests.new_received.{c}"].line for c in REQUEST_COLS] == list(
        range(label_line + 1, label_line + 8)
    )


# ------------------------------------------------------------ (a) format 2021


@pytest.mark.parametrize("layout", ["cells", "tabs"])
def test_a_2021_report(layout):
    active = active_table(
        {"regulations": ["1", "0", "5"], "licensing": ["12"], "penalties": ["3"], "fees": ["12.5"]},
        fmt="2021",
        layout=layout,
    )
    rep = gixml.extract_text(report(fmt="2021", active=active, requests=requests_table(fmt="2021", layout=layout)))
    assert rep.format == "2021"
    assert list(rep.cells) == list(map(str, cell_keys("2021")))
    assert rep.units == {"active.fees.amount": "万元"}
    assert rep.values["active.regulations.issued"] == 1
    assert rep.values["active.regulations.repealed"] == 0
    assert rep.values["active.regulations.in_force"] == 5
    assert rep.values["active.licensing.decisions"] == 12
    assert rep.values["active.penalties.decisions"] == 3
    assert rep.values["active.enforcement.decisions"] == 0
    assert rep.values["active.fees.amount"] == 12.5
    assert isinstance(rep.values["active.fees.amount"], float)
    for key in ("active.other_services.previous", "active.procurement.amount", "requests.other.total"):
        assert key not in rep.cells
    assert all(rep.values[f"requests.{r}.total"] == 0 for r in ("other_no_correction", "other_no_fee", "other_other"))
    assert rep.table_formats["active"] == "2021"
    assert rep.table_formats["requests"] == "2021"
    assert rep.warnings == ()


# ----------------------------------------------- (b) 2019 fees with decisions


FEES_WITH_DECISIONS = {"第二十条第（八）项": ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]}


@pytest.mark.parametrize("layout", ["cells", "tabs"])
def test_b_2019_fees_with_decisions_column(layout):
    active = active_table({"fees": ["4", "-1", "7"]}, headers=FEES_WITH_DECISIONS, layout=layout)
    rep = gixml.extract_text(report(active=active))
    assert rep.format == "2019"
    assert list(rep.cells) == list(map(str, cell_keys("2019", fees_decisions=True)))
    assert rep.values["active.fees.previous"] == 4
    assert rep.values["active.fees.change"] == -1
    assert rep.values["active.fees.decisions"] == 7
    assert rep.warnings == ()


@pytest.mark.parametrize("layout", ["cells", "tabs"])
def test_b_2019_fees_without_decisions_column(layout):
    rep = gixml.extract_text(report(active=active_table({"fees": ["4", "-1"]}, layout=layout)))
    assert rep.format == "2019"
    assert "active.fees.decisions" not in rep.cells
    assert list(rep.cells) == list(map(str, cell_keys("2019")))
    assert (rep.values["active.fees.previous"], rep.values["active.fees.change"]) == (4, -1)


# ------------------------------------------------------- (c) a missing value


def test_c_missing_value_leaves_the_row_null_and_does_not_shift_the_next():
    values = dict(CONSISTENT, granted=["1", "1", "0", "0", "0", "2"])  # six cells for seven columns
    rep = gixml.extract_text(report(requests=requests_table(values)))
    granted = [f"requests.granted.{c}" for c in REQUEST_COLS]
    assert all(rep.values[k] is None for k in granted)
    assert all(UNDETERMINED in rep.cells[k].flags for k in granted)
    (warning,) = [w for w in rep.warnings if w.code == "row_width"]
    assert set(map(str, warning.cells)) == set(granted)
    # the next rows are read as printed
    assert row_values(rep, "requests", "partially_granted") == [1, 0, 0, 0, 0, 0, 1]
    assert row_values(rep, "requests", "denied_state_secret") == [0] * 7
    assert row_values(rep, "requests", "total") == [2, 1, 0, 0, 0, 0, 3]
    assert rep.status == "partial"


def test_c_missing_value_in_the_last_row_does_not_reach_the_appeals_table():
    values = dict(CONSISTENT, carried_forward=["0", "0", "0", "0", "0", "0"])
    appeals = ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "2", "2"]
    rep = gixml.extract_text(report(requests=requests_table(values), appeals=appeals_table(appeals)))
    assert row_values(rep, "requests", "carried_forward") == [None] * 7
    assert "row_width" in codes(rep)
    assert row_values(rep, "appeals", "review", APPEAL_COLS) == [1, 0, 0, 0, 1]
    assert row_values(rep, "appeals", "litigation_after_review", APPEAL_COLS) == [0, 0, 0, 2, 2]


@pytest.mark.parametrize("layout", ["cells", "tabs"])
def test_c_missing_value_with_multi_digit_cells_is_not_re_split(layout):
    values = {
        "new_received": ["10", "0", "1", "0", "0", "2"],  # 总计 (13) not printed
        "granted": ["10", "0", "1", "0", "0", "2", "13"],
        "total": ["10", "0", "1", "0", "0", "2", "13"],
    }
    rep = gixml.extract_text(report(requests=requests_table(values, layout=layout)))
    new = row_values(rep, "requests", "new_received")
    # a printed 10 is never read as 1 and 0, a total that is not printed is never invented
    assert new[:6] in ([10, 0, 1, 0, 0, 2], [None] * 6)
    assert new[6] is None
    assert row_values(rep, "requests", "granted") == [10, 0, 1, 0, 0, 2, 13]


# ------------------------------------------------------ (d) a page number


@pytest.mark.parametrize("page", ["- 2 -", "— 3 —", "-2-", "第 2 页"])
@pytest.mark.parametrize("where", ["between_rows", "inside_a_row"])
def test_d_page_number_inside_the_requests_table_shifts_nothing(page, where):
    lines = requests_table(CONSISTENT)
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    i = lines.index(label)
    if where == "inside_a_row":
        i = lines.index(label) + 4  # after the third value of the row
    lines = lines[:i] + ["", page, ""] + lines[i:]
    rep = gixml.extract_text(report(requests=lines))
    assert row_values(rep, "requests", "granted") == [1, 1, 0, 0, 0, 0, 2]
    assert row_values(rep, "requests", "partially_granted") == [1, 0, 0, 0, 0, 0, 1]
    assert row_values(rep, "requests", "denied_state_secret") == [0] * 7
    assert row_values(rep, "requests", "total") == [2, 1, 0, 0, 0, 0, 3]
    assert rep.warnings == ()


# ------------------------------------------------- (e) prose in the appeals


APPEALS_VALUES = ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "2", "2"]


@pytest.mark.parametrize(
    "prose",
    [
        "2020年，本机关共发生政府信息公开行政复议1件，行政诉讼2件。",
        "2020 年，本机关未发生因政府信息公开引起的行政复议、行政诉讼。",
        "本机关2020年度收到行政复议申请1件，无行政诉讼。",
    ],
)
@pytest.mark.parametrize("where", ["before", "after"])
def test_e_year_in_prose_in_the_appeals_section_is_not_a_value(prose, where):
    appeals = appeals_table(APPEALS_VALUES, **{where: [prose]})
    rep = gixml.extract_text(report(appeals=appeals))
    assert row_values(rep, "appeals", "review", APPEAL_COLS) == [1, 0, 0, 0, 1]
    assert row_values(rep, "appeals", "litigation_direct", APPEAL_COLS) == [0, 0, 0, 0, 0]
    assert row_values(rep, "appeals", "litigation_after_review", APPEAL_COLS) == [0, 0, 0, 2, 2]
    assert not any(v == 2020 for v in rep.values.values())
    assert rep.warnings == ()


def test_e_count_at_the_end_of_a_wrapped_prose_line_is_not_a_value():
    prose = ["2020年，我镇因政府信息公开被申请行政复议1件", "，无行政诉讼案件。"]
    rep = gixml.extract_text(report(appeals=appeals_table(APPEALS_VALUES, before=prose)))
    assert row_values(rep, "appeals", "review", APPEAL_COLS) == [1, 0, 0, 0, 1]
    assert row_values(rep, "appeals", "litigation_after_review", APPEAL_COLS) == [0, 0, 0, 2, 2]


# --------------------------------------------------- (f) headers, no data


def test_f_appeals_printed_as_headers_only():
    rep = gixml.extract_text(report(appeals=appeals_table([])))
    keys = [f"appeals.{r}.{c}" for r in APPEAL_ROWS for c in APPEAL_COLS]
    assert len(keys) == 15
    assert all(rep.values[k] is None for k in keys)
    assert all(UNDETERMINED in rep.cells[k].flags for k in keys)
    (warning,) = [w for w in rep.warnings if w.code == "table_without_data"]
    assert set(map(str, warning.cells)) == set(keys)
    # the other tables are unaffected
    assert rep.values["requests.total.total"] == 0
    assert rep.values["active.regulations.new_made"] == 0
    assert rep.status == "partial"


def test_f_appeals_headers_and_a_rule_line_only():
    rep = gixml.extract_text(report(appeals=appeals_table(["------\t------"])))
    assert all(rep.values[f"appeals.{r}.{c}"] is None for r in APPEAL_ROWS for c in APPEAL_COLS)
    assert "table_without_data" in codes(rep)


# -------------------------------------------- (g) 2021 with one （六） row


@pytest.mark.parametrize("layout", ["cells", "tabs"])
def test_g_2021_report_printing_a_single_other_row(layout):
    values = {
        "new_received": ["1", "0", "0", "0", "0", "1", "2"],
        "other": ["1", "0", "0", "0", "0", "0", "1"],
        "granted": ["0", "0", "0", "0", "0", "1", "1"],
        "total": ["1", "0", "0", "0", "0", "1", "2"],
    }
    requests = requests_table(values, fmt="2021", layout=layout, single_other=True)
    rep = gixml.extract_text(report(fmt="2021", requests=requests))
    assert rep.format == "2021"
    assert list(rep.cells) == list(map(str, cell_keys("2021", single_other=True)))
    assert row_values(rep, "requests", "other") == [1, 0, 0, 0, 0, 0, 1]
    for row in ("other_no_correction", "other_no_fee", "other_other"):
        for col in REQUEST_COLS:
            cell = rep.cells[f"requests.{row}.{col}"]
            assert cell.value is None
            assert UNDETERMINED not in cell.flags  # not printed, not unread
    assert rep.warnings == ()  # the results total counts the single row
    assert rep.status == "complete"


def test_g_2021_report_printing_the_three_other_rows_has_no_single_row():
    values = {
        "new_received": ["2", "0", "0", "0", "0", "0", "2"],
        "other_no_fee": ["1", "0", "0", "0", "0", "0", "1"],
        "other_other": ["1", "0", "0", "0", "0", "0", "1"],
        "total": ["2", "0", "0", "0", "0", "0", "2"],
    }
    rep = gixml.extract_text(report(fmt="2021", requests=requests_table(values, fmt="2021")))
    assert "requests.other.total" not in rep.cells
    assert row_values(rep, "requests", "other_no_fee") == [1, 0, 0, 0, 0, 0, 1]
    assert row_values(rep, "requests", "other_other") == [1, 0, 0, 0, 0, 0, 1]
    assert row_values(rep, "requests", "other_no_correction") == [0] * 7
    assert rep.warnings == ()


# ------------------------------------------------------- (h) 0 and null


@pytest.mark.parametrize("layout", ["cells", "tabs"])
@pytest.mark.parametrize("blank", ["/", "—", "-", "－"])
def test_h_zero_and_null_stay_apart(layout, blank):
    values = dict(CONSISTENT, denied_state_secret=[blank, "0", "0", "0", "0", "0", "0"])
    rep = gixml.extract_text(report(requests=requests_table(values, layout=layout)))
    out = rep.to_dict()["cells"]
    assert out["requests.denied_state_secret.natural_person"] is None
    assert rep.cells["requests.denied_state_secret.natural_person"].printed == blank
    assert out["requests.denied_state_secret.commercial"] == 0
    assert out["requests.denied_state_secret.commercial"] is not None
    assert out["requests.denied_state_secret.total"] == 0
    assert "row_width" not in codes(rep)


def test_h_double_dash_cell_on_its_own_line_is_a_blank():
    values = dict(CONSISTENT, denied_state_secret=["--", "0", "0", "0", "0", "0", "0"])
    rep = gixml.extract_text(report(requests=requests_table(values)))
    assert rep.values["requests.denied_state_secret.natural_person"] is None
    assert row_values(rep, "requests", "denied_state_secret")[1:] == [0] * 6


# ------------------------------------------------ converters' layouts (issue 17)


def test_i_merged_cells_repeated_per_grid_column_are_one_cell():
    """A Word table read cell by cell of its grid (python-docx) prints a merged
    cell once per grid column it spans: 行政许可 2418 2418 2418 is one value."""
    values = {"licensing": ["2418"] * 3, "penalties": ["644"] * 3, "enforcement": ["64"] * 3,
              "fees": ["4166.24"] * 3}
    head = {"第二十条第（五）项": ["信息内容"] + ["本年处理决定数量"] * 3,
            "第二十条第（六）项": ["信息内容"] + ["本年处理决定数量"] * 3,
            "第二十条第（八）项": ["信息内容"] + ["本年收费金额（单位：万元）"] * 3}
    rep = gixml.extract_text(report(fmt="2021", active=active_table(values, fmt="2021", headers=head)))
    assert rep.values["active.licensing.decisions"] == 2418
    assert rep.values["active.penalties.decisions"] == 644
    assert rep.values["active.fees.amount"] == 4166.24
    assert rep.cells[gixml.CellKey.parse("active.licensing.decisions")].flags == ()
    assert "row_width" not in codes(rep)


def test_i_values_under_their_own_column_headers_are_not_read_as_repeats():
    """pdftotext prints a row's values each after its column header: ``0`` · 本年增/减 · ``0``
    · 采购项目数量 · ``2``. The two 0s are separated by a line, so they are not one merged cell."""
    values = {"procurement": ["0", "本年增/减", "0", "2"]}
    rep = gixml.extract_text(report(active=active_table(values)))
    assert rep.values["active.procurement.projects"] is None
    assert "row_width" in codes(rep)


def _values_above_labels(rows: list[tuple[str, list[str]]], values: dict[str, list[str]], width: int) -> list[str]:
    """Each row's values on the line above its (last) label line, as pdftotext -layout prints tall cells."""
    lines: list[str] = []
    for key, labels in rows:
        lines += labels[:-1] + [" ".join(values.get(key, ["0"] * width)), labels[-1]]
    return lines


def test_j_values_printed_above_their_labels_are_matched_to_the_label_below():
    """Read by labels, every row would get the values of the row below it (confident wrong
    numbers, and the last row none); matched to the label beside them, the identities hold."""
    values = {**CONSISTENT, "new_received": ["3", "1", "0", "0", "0", "0", "4"], "carried_forward": ["1", "0", "0", "0", "0", "0", "1"]}
    requests = ["三、收到和处理政府信息公开申请情况", ""] + REQUEST_HEADER + _values_above_labels(request_rows(), values, 7)
    active_values = {"regulations": ["1", "2", "3"], "normative_documents": ["4", "5", "6"]}
    active = ["二、主动公开政府信息情况"]
    for subtable, head, rows in ACTIVE_2019:
        active += [subtable, " ".join(head)]
        active += _values_above_labels([(k, [label]) for k, label in rows], active_values, len(head) - 1)
    rep = gixml.extract_text(report(active=active, requests=requests))
    for key, want in values.items():
        assert row_values(rep, "requests", key) == [int(v) for v in want], key
    assert row_values(rep, "requests", "carried_over") == [0] * 7
    assert [rep.values[f"active.regulations.{c}"] for c in ("new_made", "new_published", "total_published")] == [1, 2, 3]
    assert [rep.values[f"active.normative_documents.{c}"] for c in ("new_made", "new_published", "total_published")] == [4, 5, 6]
    assert "identity" not in codes(rep)
    cell = rep.cells[gixml.CellKey.parse("requests.new_received.total")]
    assert cell.method == "order" and cell.flags == () and cell.printed == "4"


def test_j_values_printed_below_their_labels_stay_read_by_labels():
    values = {**CONSISTENT}
    lines = ["三、收到和处理政府信息公开申请情况", ""] + REQUEST_HEADER
    for key, labels in request_rows():
        lines += labels + [" ".join(values.get(key, ZEROS7))]
    rep = gixml.extract_text(report(requests=lines))
    for key, want in values.items():
        assert row_values(rep, "requests", key) == [int(v) for v in want], key
    assert rep.cells[gixml.CellKey.parse("requests.new_received.total")].method == "rule"


def test_j_a_value_line_between_two_labels_that_no_identity_settles_is_not_moved():
    """规章 · 1 2 3 · 行政规范性文件 · (no more values): the line may be either row's. No identity
    covers the active table, so it stays where the label reading put it: on 规章."""
    active = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 本年新制作数量 本年新公开数量 对外公开总数量",
              "规章", "1 2 3", "规范性文件"]
    rep = gixml.extract_text(report(active=active))
    assert [rep.values[f"active.regulations.{c}"] for c in ("new_made", "new_published", "total_published")] == [1, 2, 3]
    assert rep.values["active.normative_documents.new_made"] is None


def test_k_a_converter_placeholder_for_a_dropped_table_is_named_in_the_warning():
    """pandoc's plain text writes '[TABLE]' for a table with merged cells: the cells are not in the text."""
    text = report(requests=["三、收到和处理政府信息公开申请情况", "", "[TABLE]", ""])
    rep = gixml.extract_text(text)
    [warning] = [w for w in rep.warnings if w.code in ("table_missing", "table_without_data")]
    line = text.split("\n").index("[TABLE]") + 1
    assert "[TABLE]" in warning.message and line in warning.lines
    assert rep.status == "partial"
