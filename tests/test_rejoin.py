"""lines: broken table labels are joined; rows and prose are never merged."""
from __future__ import annotations

from gixml.lines.labels import LabelledLine, LineLabel, label_lines
from gixml.lines.normalise import normalise
from gixml.lines.rejoin import MAX_JOINED_CHARS, rejoin
from gixml.lines.rules import RuleLabeller
from gixml.lines.tokenise import tokenise
from gixml.pipeline import extract_text


def joined(text: str, labels: list[LineLabel] | None = None) -> list[LabelledLine]:
    lines = normalise(text)
    tokens = tokenise(lines)
    if labels is None:
        labelled = label_lines(lines, tokens, RuleLabeller())
    else:
        labelled = [LabelledLine(l, tuple(t), lab, 1.0, "rule") for l, t, lab in zip(lines, tokens, labels)]
    return rejoin(labelled)


def rows(labelled: list[LabelledLine]) -> list[str]:
    return [t.key for ll in labelled for t in ll.tokens if t.kind == "row"]


def test_a_label_wrapped_with_values_on_its_last_line():
    out = joined("一、本年新收政府信\n息公开申请数量 5 0 0 0 0 0 5")
    assert rows(out) == ["new_received"]
    values = [t for t in out[0].tokens if t.is_value]
    assert [v.line for v in values] == [2] * 7  # values keep their own line for citation


def test_a_label_wrapped_with_values_on_its_first_line():
    out = joined("2.其他法律行政 1 0 0 0 0 0 1\n法规禁止公开\n3.危及“\n三安全一稳\n定” 0 0 0 0 0 0 0")
    assert rows(out) == ["denied_prohibited_by_law", "denied_three_safety"]
    first = [t.text for t in out[0].tokens if t.is_value]
    assert first == ["1", "0", "0", "0", "0", "0", "1"]


def test_a_group_label_printed_one_character_per_line():
    out = joined("三\n、\n本\n年\n度\n办\n理\n结\n果\n（一）予以公开 2 0 0 0 0 0 2")
    kinds = [(t.kind, t.key) for ll in out for t in ll.tokens if t.is_label]
    assert kinds == [("group", "results"), ("row", "granted")]


def test_two_rows_are_never_merged_into_one():
    out = joined("（二）部分公开（区分处理的，只计这一情\n形，不计其他情形） 1 0 0 0 0 0 1\n"
                 "（三）不予公开\n1.属于国家秘密 0 0 0 0 0 0 0")
    assert rows(out) == ["partially_granted", "denied_state_secret"]


def test_lines_labelled_prose_are_not_joined_to_a_table_label():
    text = "一、本年新收政府信\n息公开申请数量 5 0 0 0 0 0 5"
    out = joined(text, [LineLabel.PROSE, LineLabel.ROW])
    assert rows(out) == []


def test_a_wrapped_table_reads_right_end_to_end():
    text = ("三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信\n息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n"
            "二、上年结转政府\n信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n")
    report = extract_text(text)
    assert report.values["requests.new_received.natural_person"] == 3
    assert report.cells["requests.new_received.natural_person"].line == 3
    assert report.values["requests.carried_over.total"] == 0


def test_labels_wrapped_side_by_side_in_a_box_drawn_table_are_joined_column_by_column():
    """``w3m -dump`` draws a table with box lines; a group label and a row label
    that both wrap sit side by side, with the row's values on the first line.
    Joined line by line they interleave (``（五）不予处3.要求提理供…``) and the
    values go to the next row; joined field by field they read whole."""
    text = ("│ │ 2.重复申请 │ 0 │ 0 │ 0 │ 0 │ 0 │ 0 │ 0 │\n"
            "├─┼──────────┼───┼───┼───┼───┼───┼───┼───┤\n"
            "│ （五）不予处 │ 3.要求提 │ 69 │ 0 │ 0 │ 1 │ 90 │ 0 │ 160 │\n"
            "│ 理 │ 供公开出版物 │ │ │ │ │ │ │ │\n"
            "├─┼──────────┼───┼───┼───┼───┼───┼───┼───┤\n"
            "│ │ 4.无正当理 │ 0 │ 67 │ 64 │ 7 │ 7 │ 0 │ 145 │\n"
            "│ │ 由大量反复申请 │ │ │ │ │ │ │ │\n")
    out = joined(text)
    assert rows(out) == ["rejected_duplicate", "rejected_publication", "rejected_excessive"]
    publication = next(ll for ll in out if any(t.key == "rejected_publication" for t in ll.tokens))
    assert [t.text for t in publication.tokens if t.is_value] == ["69", "0", "0", "1", "90", "0", "160"]
    assert publication.line.number == 3


def test_a_label_wrapped_around_its_row_printed_a_value_per_line():
    """Plain pdftotext: the label's first characters share a line with the row's first values, the
    rest of the row follows a value per line, then the rest of the label. Joined, label and values
    stay together; read apart, every row got the next row's values."""
    text = "\n".join(["3.要 113 41", "0", "1", "3", "0", "158", "求提", "供公", "开出", "版物",
                      "4.无 0", "0", "0", "0", "0", "0", "0", "正当", "理由", "大量", "反复", "申请"])
    out = joined(text)
    assert rows(out) == ["rejected_publication", "rejected_excessive"]
    publication = next(ll for ll in out if any(t.key == "rejected_publication" for t in ll.tokens))
    assert [t.text for t in publication.tokens if t.is_value] == ["113", "41", "0", "1", "3", "0", "158"]


def test_a_run_of_values_never_crosses_a_section_title():
    text = "政府集中\n采购\n三、收到和处理政府信息公开申请情况\n\n1092\n\n22"
    out = joined(text)
    assert rows(out) == ["procurement"]
    [procurement] = [ll for ll in out if any(t.key == "procurement" for t in ll.tokens)]
    assert not any(t.is_value for t in procurement.tokens)
    assert [t.text for t in out[4].tokens] == ["1092"] and [t.text for t in out[6].tokens] == ["22"]


def test_a_group_label_and_a_row_label_interleaved_by_two_narrow_columns_are_read_apart():
    """pypdf reads two narrow label columns line by line: （四 ）无 法提 | 1.本 机关 不掌 … 供 握相 关政 府信 息."""
    text = "\n".join(["（四", "）无", "法提", "1.本", "机关", "不掌 0 0 0 4 1 0 5", "供 握相", "关政", "府信", "息"])
    out = joined(text)
    assert rows(out) == ["unavailable_not_held"]
    [ll] = [ll for ll in out if any(t.kind == "row" for t in ll.tokens)]
    assert [t.key for t in ll.tokens if t.kind == "group"] == ["unavailable"]
    assert [t.text for t in ll.tokens if t.is_value] == ["0", "0", "0", "4", "1", "0", "5"]


def test_a_group_label_printed_whole_is_not_untangled():
    from gixml.lines.rejoin import _untangled
    from gixml.lines.tokenise import text_tokens
    text = "(四)无法提供1.本机关不掌握相关"  # side by side: the plain reading's (and no row label is left)
    assert _untangled(text, text_tokens(text)) == text_tokens(text)


def test_a_label_wrapped_two_characters_a_line_starting_with_a_column_header_word():
    """其他 is the requests table's column header, and the start of 其他对外管理服务事项 wrapped in a
    narrow column (pdftotext -raw); and a run never crosses the next sub-table's title."""
    text = "\n".join(["其他", "对外", "管理", "服务", "事项", "10 7 105", "第二十条第（六）项", "信息", "内容",
                      "行政", "处罚", "2648 -18 538"])
    stream = [t.key or t.text for ll in joined(text) for t in ll.tokens if t.kind in ("row", "value", "subtable")]
    assert stream == ["other_services", "10", "7", "105", "article20", "penalties", "2648", "-18", "538"]


def test_a_run_longer_than_any_broken_label_is_not_joined():
    """A wrap is joined across lines of a few characters; a line of thousands is no piece of a label, and is
    not read again for each line the window adds (a 100,000-character line made that take seconds)."""
    wrapped = "一、本年新收政府信\n息公开申请数量 5 0 0 0 0 0 5"
    assert rows(joined(wrapped)) == ["new_received"]
    long_first = "某" * MAX_JOINED_CHARS + "一、本年新收政府信\n息公开申请数量 5 0 0 0 0 0 5"
    assert rows(joined(long_first, [LineLabel.LABEL, LineLabel.ROW])) == []
    assert rows(joined("某" * 100 + wrapped, [LineLabel.LABEL, LineLabel.ROW])) == ["new_received"]
