"""lines: tokenise, the labels and values printed on a line."""
from __future__ import annotations

import pytest

from gixml.lines.normalise import normalise, normalise_line
from gixml.lines.tokenise import Token, tokenise, tokenise_line


def toks(raw: str) -> list[Token]:
    return tokenise_line(normalise_line(1, raw))


def values(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.is_value]


def labels(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.is_label]


def test_tab_row():
    tokens = toks("规章\t0\t0\t0")
    assert [t.kind for t in tokens] == ["row", "value", "value", "value"]
    assert tokens[0].key == "regulations"
    assert tokens[0].table == "active"
    assert [t.value for t in tokens[1:]] == [0, 0, 0]
    assert [t.field for t in tokens] == [0, 1, 2, 3]


def test_tab_row_with_signs_and_units():
    tokens = toks("行政处罚\t224\t＋30\t2")
    assert tokens[0].key == "penalties"
    assert [(t.value, t.text) for t in values(tokens)] == [(224, "224"), (30, "+30"), (2, "2")]
    tokens = toks("政府集中采购\t14\t78104.6元")
    assert [(t.value, t.unit) for t in values(tokens)] == [(14, None), (78104.6, "元")]


def test_glued_row_gives_one_digit_run():
    tokens = toks("一、本年新收政府信息公开申请数量801000081")
    assert [t.kind for t in tokens] == ["row", "value"]
    assert tokens[0].key == "new_received"
    assert tokens[0].table == "requests"
    assert tokens[0].text.startswith("一、")
    assert tokens[1].digits == "801000081"
    assert tokens[1].value == 801000081


def test_values_before_a_sub_row_label():
    tokens = toks("0 0 0 0 0 0 02.其他法律行政法规禁止公开")
    vals = values(tokens)
    assert len(vals) == 7
    assert all(v.value == 0 for v in vals)
    (row,) = labels(tokens)
    assert row.kind == "row"
    assert row.key == "denied_prohibited_by_law"
    assert row.text.startswith("2.")
    assert all(v.end <= row.start for v in vals)


@pytest.mark.parametrize(
    "raw",
    [
        "我镇2020年共收到政府信息公开申请",
        "2020年",
        "2020年度",
        "统计期限为2020年1月1日至2020年12月31日",
        "发布时间:2021-01-26",
        "2021年1月14日",
    ],
)
def test_years_and_dates_in_text_are_not_values(raw):
    assert values(toks(raw)) == []


def test_a_year_printed_with_a_space_is_not_a_value():
    tokens = toks("2020 年政府信息公开工作年度报告")
    assert values(tokens) == []
    assert any(t.kind == "text" and t.text == "2020" for t in tokens)


def test_column_header_with_a_unit_and_a_digit():
    tokens = toks("采购总金额（单位：万元，保留4位小数）")
    assert values(tokens) == []
    (col,) = labels(tokens)
    assert col.kind == "column"
    assert col.key == "amount"
    assert "保留4位小数" in col.text


def test_sub_row_index_is_not_a_value():
    tokens = toks("1.属于国家秘密")
    assert values(tokens) == []
    (row,) = tokens
    assert row.key == "denied_state_secret"
    assert row.text == "1.属于国家秘密"


@pytest.mark.parametrize("raw", ["（七）总计", "(七) 总计", "七、总计"])
def test_numbered_total_is_the_total_row(raw):
    (tok,) = toks(raw)
    assert (tok.kind, tok.key, tok.table) == ("row", "total", "requests")


def test_bare_total_is_a_column():
    (tok,) = toks("总计")
    assert tok.kind == "column"
    assert tok.key == "total"
    assert tok.table is None


def test_2021_other_sub_rows():
    lines = normalise(
        "（六）其他处理\n"
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\n"
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\n"
        "3.其他\n"
        "其他\n"
    )
    per_line = [labels(t) for t in tokenise(lines)]
    assert [(t.kind, t.key) for t in per_line[0]] == [("row", "other")]
    assert [(t.kind, t.key) for t in per_line[1]] == [("row", "other_no_correction")]
    assert [(t.kind, t.key) for t in per_line[2]] == [("row", "other_no_fee")]
    assert [(t.kind, t.key) for t in per_line[3]] == [("row", "other_other")]
    assert per_line[3][0].text == "3.其他"
    # 其他 alone is the applicant column 其他 (other organisations)
    assert [(t.kind, t.key, t.table) for t in per_line[4]] == [("column", "other_org", "requests")]


@pytest.mark.parametrize("raw", ["危“三安全— —稳定”", "3. 危“三安全— —稳定”", "3.危及“三安全一稳定”", '3.危及"三安全一稳定"'])
def test_three_safety_variants(raw):
    rows = [t for t in toks(raw) if t.kind == "row"]
    assert [t.key for t in rows] == ["denied_three_safety"]
    assert values(toks(raw)) == []


@pytest.mark.parametrize("raw", ["社会组织", "社会公益组织", "社会公益组 织"])
def test_social_org_column(raw):
    (tok,) = toks(raw)
    assert (tok.kind, tok.key) == ("column", "social_org")


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("结 果 维 持", "upheld"),
        ("结果纠正", "corrected"),
        ("其他结果", "other"),
        ("尚未审结", "pending"),
        ("未经复议直接起诉", "litigation_direct"),
        ("复议后起诉", "litigation_after_review"),
    ],
)
def test_appeals_columns(raw, key):
    (tok,) = toks(raw)
    assert (tok.kind, tok.key, tok.table) == ("column", key, "appeals")


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("二、主动公开政府信息情况", "active"),
        ("三、收到和处理政府信息公开申请情况", "requests"),
        ("四、政府信息公开行政复议、行政诉讼情况", "appeals"),
        ("五、存在的主要问题及改进情况", "problems"),
    ],
)
def test_section_titles(raw, key):
    (tok,) = toks(raw)
    assert (tok.kind, tok.key) == ("section", key)
    assert tok.text == raw  # the ordinal belongs to the title


def test_blank_markers_are_blank_tokens():
    tokens = toks("（一）予以公开\t/\t—\t0")
    assert [t.kind for t in tokens] == ["row", "blank", "blank", "value"]
    assert [t.value for t in tokens[1:]] == [None, None, 0]


def test_a_count_glued_after_a_label_fragment_is_a_value():
    tokens = toks("5.属于三类内部事务0")
    assert [t.kind for t in tokens] == ["row", "value"]
    assert tokens[1].value == 0


def test_token_positions_index_the_normalised_text():
    line = normalise_line(4, "\t（七）总计\t35\t0")
    for tok in tokenise_line(line):
        assert line.text[tok.start:tok.end] == tok.text
        assert tok.line == 4


def test_digit_runs_too_long_for_a_cell_stay_text():
    for run in ("1" * 5000, "-".join(["2" * 5000, "3"]), "共" + "4" * 5000):
        line = normalise_line(1, f"规章\t{run}\t0")
        tokens = tokenise_line(line)
        assert [t.text for t in tokens if t.kind == "value"] == ["0"]
        assert any(t.kind == "text" and len(t.text) >= 5000 for t in tokens)
        assert sum(t.end - t.start for t in tokens) == len(line.text) - 2  # every character but the two tabs
