"""Splitting glued digit runs: never a digit invented or dropped."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import gixml
from gixml.tables.glued import candidate_splits, choose_by_columns
from gixml.tables.identities import appeals_ok, requests_row_ok


def test_unique_split_by_row_identity() -> None:
    assert candidate_splits(["801000081"], 7, requests_row_ok) == [(80, 1, 0, 0, 0, 0, 81)]


def test_leading_zero_is_its_own_cell() -> None:
    assert candidate_splits(["000"], 3) == [(0, 0, 0)]
    assert candidate_splits(["0000000"], 7, requests_row_ok) == [(0,) * 7]


def test_ambiguous_row_has_every_reading() -> None:
    got = candidate_splits(["220000022"], 7, requests_row_ok)
    assert (22, 0, 0, 0, 0, 0, 22) in got and (2, 20, 0, 0, 0, 0, 22) in got


def test_printed_separators_stay_cut_points() -> None:
    assert candidate_splits(["19", "1", "000020"], 7, requests_row_ok) == [(19, 1, 0, 0, 0, 0, 20)]


def test_appeals_fifteen_digits() -> None:
    assert candidate_splits(["110024001510102"], 15, appeals_ok) == [(1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2)]


def test_column_identities_settle_ambiguous_rows() -> None:
    fixed = {"new_received": (22, 0, 0, 0, 0, 0, 22), "carried_over": (0,) * 7, "carried_forward": (0,) * 7}
    ambiguous = {"total": candidate_splits(["220000022"], 7, requests_row_ok)}

    def balance(t: dict, c: int) -> bool:
        return t["new_received"][c] + t["carried_over"][c] == t["total"][c] + t["carried_forward"][c]

    checks = [lambda t, c=c: balance(t, c) for c in range(7)]
    choice, unique = choose_by_columns(ambiguous, fixed, checks)
    assert unique and choice["total"] == (22, 0, 0, 0, 0, 0, 22)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=300), min_size=6, max_size=6))
def test_true_split_is_always_a_candidate(six: list[int]) -> None:
    row = tuple(six) + (sum(six),)
    glued = "".join(map(str, row))
    got = candidate_splits([glued], 7, requests_row_ok)
    assert row in got
    assert all("".join(map(str, s)) == glued for s in got)  # same digits, same order


def test_glued_report_cells_cite_their_digits() -> None:
    text = "\n".join([
        "三、收到和处理政府信息公开申请情况",
        "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他",
        "一、本年新收政府信息公开申请数量801000081二、上年结转政府信息公开申请数量0000000",
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计110024001510102",
        "五、存在的主要问题及改进情况",
    ])
    report = gixml.extract_text(text)
    cell = report.cells["requests.new_received.natural_person"]
    assert (cell.value, cell.printed, cell.method) == (80, "80", "identity")
    assert report.cells["requests.new_received.total"].value == 81
    assert report.cells["appeals.litigation_direct.total"].value == 5
    line = text.split("\n")[cell.line - 1]
    assert line[cell.span[0]:cell.span[1]] == "80"


def test_a_run_alone_on_its_line_that_cannot_be_one_cell_is_split() -> None:
    """A web page whose text glues the appeals table's fifteen cells prints them
    alone on a line: a run of 17 digits (or one with a leading zero) is no one
    cell, so it is cut where the three identities hold (low confidence when
    several cuts fit), not left null."""
    text = ("测试区2021年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n"
            "行政复议行政诉讼\n结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉\n"
            "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计\n{}\n五、存在的主要问题\n")
    glued = gixml.extract_text(text.format("11002400151010"))  # 14 digits: one cell too few for 15 → unreadable
    assert all(v is None for k, v in glued.values.items() if k.startswith("appeals."))
    rep = gixml.extract_text(text.format("110024001510102"))
    got = [rep.values[f"appeals.{r}.{c}"] for r in ("review", "litigation_direct", "litigation_after_review")
           for c in ("upheld", "corrected", "other", "pending", "total")]
    assert got == [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]
    zeros = gixml.extract_text(text.format("0" * 15))
    assert [v for k, v in zeros.values.items() if k.startswith("appeals.")] == [0] * 15


def test_a_short_run_alone_on_its_line_stays_one_cell() -> None:
    from gixml.lines.tokenise import Token
    from gixml.tables.glued import _splittable
    assert not _splittable(Token("value", 1, 0, 3, "801", value=801, digits="801", alone=True))
    assert _splittable(Token("value", 1, 0, 3, "801", value=801, digits="801", alone=False))
    assert _splittable(Token("value", 1, 0, 3, "007", value=7, digits="007", alone=True))


def test_cells_a_narrow_column_wrapped_over_two_lines_are_joined_where_the_identities_hold() -> None:
    """pypdf prints the appeals table's narrow columns with 12 as '1' then '2' on the next line."""
    text = ("测试区2020年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n"
            "行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n未经复议直接起诉 复议后起诉\n"
            "0 1\n2\n9 0 2\n1\n1 2 0 0 3 3 6 0 1 1\n0\n五、存在的主要问题及改进情况\n")
    rep = gixml.extract_text(text)
    got = [c.value for k, c in rep.cells.items() if k.table == "appeals"]
    assert got == [0, 12, 9, 0, 21, 1, 2, 0, 0, 3, 3, 6, 0, 1, 10]
    [warning] = [w for w in rep.warnings if w.code == "wrapped_cells"]
    assert "12, 21, 10" in warning.message
    assert all(c.flags == () and c.method == "identity" for k, c in rep.cells.items() if k.table == "appeals")


def test_joins_never_start_a_cell_with_zero_and_need_the_identities() -> None:
    from gixml.lines.tokenise import Token
    from gixml.tables.glued import line_joins

    def tok(line: int, text: str) -> Token:
        return Token("value", line, 0, len(text), text, value=int(text), digits=text)

    # 0 | 5 5 on two lines, for two cells: '05' is no cell, so only 0+5 | 5 … fails the check below
    values = [tok(1, "0"), tok(2, "5"), tok(2, "5")]
    assert line_joins(values, 2, lambda s: True) == []
    values = [tok(1, "1"), tok(2, "2"), tok(2, "12")]
    assert [[t.value for t in j] for j in line_joins(values, 2, lambda s: s[0] == s[1])] == [[12, 12]]
    assert line_joins(values, 2, lambda s: s[0] != s[1]) == []


def test_appeals_values_printed_between_their_headers_are_flagged_unless_each_block_follows_its_title() -> None:
    """pdfminer prints the third group's five values in the middle of the headers: the identities
    hold in any order of the groups, so such values are low confidence. Three blocks, each after
    its own title (a markdown page), are in the form's order."""
    head = "测试区2020年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n"
    cols = "结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n"
    scrambled = (head + "行政复议\n" + cols + "行政诉讼\n未经复议直接起诉\n复议后起诉\n0 0 0 2 2\n" + cols + cols
                 + "1 5 0 0 6 0 9 0 3 12\n五、存在的主要问题及改进情况\n")
    rep = gixml.extract_text(scrambled)
    cells = [c for k, c in rep.cells.items() if k.table == "appeals"]
    assert all("low_confidence" in c.flags and c.confidence < 0.7 for c in cells)
    assert any(w.code == "order_uncertain" for w in rep.warnings)
    blocks = (head + "行政复议\n" + cols + "1 5 0 0 6\n行政诉讼（未经复议直接起诉）\n" + cols + "0 9 0 3 12\n"
              "行政诉讼（复议后起诉）\n" + cols + "0 0 0 2 2\n五、存在的主要问题及改进情况\n")
    rep = gixml.extract_text(blocks)
    assert [c.value for k, c in rep.cells.items() if k.table == "appeals"] == [1, 5, 0, 0, 6, 0, 9, 0, 3, 12, 0, 0, 0, 2, 2]
    assert all(c.flags == () for k, c in rep.cells.items() if k.table == "appeals")
