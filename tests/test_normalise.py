"""lines: normalise, folding, spaces, separators and offsets."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gixml.lines.normalise import Line, fold_text, normalise, normalise_line, split_lines


def norm(raw: str) -> str:
    return normalise_line(1, raw).text


# ------------------------------------------------------------------ folding


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("＋３０", "+30"),
        ("＋30", "+30"),
        ("－１８", "-18"),
        ("\u221218", "-18"),  # minus sign
        ("０１２３４５６７８９", "0123456789"),
        ("（一）予以公开", "(一)予以公开"),
        ("采购总金额（单位：万元）", "采购总金额(单位:万元)"),
        ("７８１０４．６元", "78104.6元"),
    ],
)
def test_full_width_forms_become_ascii(raw, text):
    assert norm(raw) == text


def test_fold_text():
    assert fold_text("＋") == "+"
    assert fold_text("５") == "5"
    assert fold_text("\u00a0") == " "
    assert fold_text("\u3000") == " "
    assert fold_text("规") == "规"


@pytest.mark.parametrize("space", ["\u00a0", "\u3000", "\u2002", "\u202f"])
def test_exotic_spaces_become_plain_spaces(space):
    assert norm(f"0{space}0") == "0 0"
    assert space not in norm(f"规章{space}0{space}1")


def test_nbsp_only_line_is_empty():
    assert norm("\u00a0") == ""
    assert norm("\u3000\u3000") == ""


# ------------------------------------------------------------------ spaces


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("结 果 维 持", "结果维持"),
        ("四 无 法 提 供", "四无法提供"),
        ("自然 人", "自然人"),
        ("结\u3000果\u00a0维 持", "结果维持"),
        ("2. 其他", "2.其他"),
        ("（二） 部分公开", "(二)部分公开"),
    ],
)
def test_spaces_inside_labels_are_removed(raw, text):
    assert norm(raw) == text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("0 0 0", "0 0 0"),
        ("0  0   0", "0 0 0"),  # a run of spaces is one separator
        ("12 ３４ 5", "12 34 5"),
        ("规章 0 0 0", "规章 0 0 0"),
        ("0\u00a00\u30000", "0 0 0"),
    ],
)
def test_spaces_between_numbers_are_kept(raw, text):
    assert norm(raw) == text


def test_leading_and_trailing_spaces_are_dropped():
    assert norm("   规章   ") == "规章"
    assert norm("  35 ") == "35"


# ------------------------------------------------------------- separators


def test_tabs_are_kept():
    assert norm("规章\t0\t0\t0") == "规章\t0\t0\t0"
    assert norm("\t35") == "\t35"
    assert norm("行政复议\t\t\t行政诉讼") == "行政复议\t\t\t行政诉讼"


def test_spaces_next_to_a_tab_are_dropped():
    assert norm("规章 \t 0 \t0") == "规章\t0\t0"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("| 规章 | 0 | 0 | 0 |", "规章\t0\t0\t0"),
        ("|规章|0|0|0|", "规章\t0\t0\t0"),
        ("  | 规章 | ０ |", "规章\t0"),
        ("| 行政许可 |  | 5 |", "行政许可\t\t5"),  # an empty cell stays an empty field
    ],
)
def test_markdown_pipe_rows_become_tab_separated(raw, text):
    assert norm(raw) == text


@pytest.mark.parametrize("raw", ["|---|---|", "| --- | :---: | ---: |", "|:--|--:|", "  |------|------|  "])
def test_markdown_rules_become_empty(raw):
    assert norm(raw) == ""


def test_pipe_inside_a_line_that_is_not_a_table_row_is_kept():
    assert norm("见附表|说明") == "见附表|说明"
    assert norm("首页 | 政府信息公开 | 年度报告") == "首页|政府信息公开|年度报告"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("规章| 0| 0| 0  ", "规章\t0\t0\t0"),  # html2text: no edge pipes, two spaces for a line break
        ("一、本年新收政府信息公开申请数量| 151| 3| 0", "一、本年新收政府信息公开申请数量\t151\t3\t0"),
        ("行政事业性收费| 4166.24万元", "行政事业性收费\t4166.24万元"),
        ("行政许可| /| —", "行政许可\t/\t—"),
        ("25| 3| 8| 0| 36", "25\t3\t8\t0\t36"),
    ],
)
def test_pipe_rows_without_edge_pipes_become_tab_separated(raw, text):
    assert norm(raw) == text


@pytest.mark.parametrize("raw", ["0结 结|", "12人|说明", "5 件|"])
def test_a_pipe_row_is_told_the_same_way_before_and_after_its_spaces_go(raw):
    """Hypothesis found '0结 结|': a pipe row only once the space was dropped, so a second
    normalisation changed the text. A value cell is a number with one of the form's units."""
    once = norm(raw)
    assert norm(once) == once


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("│      规章       │      0       │      0       │", "规章\t0\t0"),  # w3m -dump
        ("├─────────────────┼──────────────┤", ""),
        ("┌───┬───┐", ""),
        ("╞═══╪═══╡", ""),
        ("│三、本年度办理   │（四）无法   ├──────────┤", "三、本年度办理\t(四)无法\t"),  # a rule in a cell: an empty field
        ("│                 │ 理  │ 供公开出版物 │   │", "\t理\t供公开出版物\t"),  # empty cells stay fields
    ],
)
def test_box_drawn_rows_become_tab_separated_and_box_rules_empty(raw, text):
    assert norm(raw) == text


# ------------------------------------------------------------------ offsets


def test_offsets_have_one_entry_per_character():
    for raw in ["结 果 维 持", "| 规章 | ０ |", "\t＋３０", "0\u00a0\u00a00", ""]:
        line = normalise_line(1, raw)
        assert len(line.offsets) == len(line.text)
        assert list(line.offsets) == sorted(line.offsets)


def test_raw_span_maps_a_label_back_to_the_printed_characters():
    line = normalise_line(7, "\t结 果 维 持\t")
    start = line.text.index("结果维持")
    a, b = line.raw_span(start, start + 4)
    assert line.raw[a:b] == "结 果 维 持"


def test_raw_span_maps_a_value_back_to_the_printed_characters():
    line = normalise_line(3, "| 行政处罚 | 224 | ＋３０ | 2 |")
    assert line.text == "行政处罚\t224\t+30\t2"
    start = line.text.index("+30")
    a, b = line.raw_span(start, start + 3)
    assert line.raw[a:b] == "＋３０"
    start = line.text.index("224")
    a, b = line.raw_span(start, start + 3)
    assert line.raw[a:b] == "224"


def test_raw_span_of_an_empty_span():
    line = normalise_line(1, "规章")
    assert line.raw_span(1, 1) == (0, 0)


def test_field_of():
    line = normalise_line(1, "规章\t0\t5\t9")
    assert line.field_of(line.text.index("规")) == 0
    assert line.field_of(line.text.index("5")) == 2
    assert line.field_of(line.text.index("9")) == 3


# -------------------------------------------------------------------- lines


def test_split_lines_on_lf_crlf_and_cr():
    assert split_lines("a\nb\r\nc\rd") == ["a", "b", "c", "d"]
    assert split_lines("a\r\n\r\nb") == ["a", "", "b"]


def test_normalise_numbers_lines_from_one_and_keeps_raw():
    lines = normalise("标题\r\n\t＋３０\r\n")
    assert [line.number for line in lines] == [1, 2, 3]
    assert [line.raw for line in lines] == ["标题", "\t＋３０", ""]
    assert [line.text for line in lines] == ["标题", "\t+30", ""]
    assert all(isinstance(line, Line) for line in lines)


# -------------------------------------------------------------- idempotence


@pytest.mark.parametrize(
    "raw",
    ["＋３０", "结 果 维 持", "0 0 0", "| 规章 | 0 | 0 |", "|---|---|", "\t（七）总计\t35", "\u3000\u3000规章\u00a00", "a | b"],
)
def test_normalisation_is_idempotent_on_examples(raw):
    once = norm(raw)
    assert norm(once) == once


_ALPHABET = list("结果维持规章予以公开自然人一二三（）、.") + list("0123456789") + list("０１２３４５６７８９")
_ALPHABET += [" ", "\u00a0", "\u3000", "\t", "|", "+", "＋"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
def test_normalisation_is_idempotent(raw):
    once = normalise_line(1, raw)
    assert len(once.offsets) == len(once.text)
    assert normalise_line(1, once.text).text == once.text


@pytest.mark.parametrize("raw", ["－－", "｜规章｜0｜0｜", "\u200b| 规章 | 0 |"])
def test_normalisation_is_idempotent_after_folding(raw):
    once = norm(raw)
    assert norm(once) == once
