"""lines: line labels from the rules."""
from __future__ import annotations

import math

import pytest

from gixml.lines.labels import TABLE_LABELS, LabelledLine, LineLabel, as_proba, label_lines
from gixml.lines.normalise import normalise
from gixml.lines.rules import RuleLabeller
from gixml.lines.tokenise import tokenise


def label_of(raw: str) -> LineLabel:
    lines = normalise(raw)
    assert len(lines) == 1
    return RuleLabeller().predict(lines, tokenise(lines))[0]


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("", LineLabel.BLANK),
        ("\t \u3000", LineLabel.BLANK),
        ("-2-", LineLabel.NOISE),
        ("— 3 —", LineLabel.NOISE),
        ("- 2 -", LineLabel.NOISE),
        ("第 2 页", LineLabel.NOISE),
        ("当前位置:首页 > 政府信息公开年报", LineLabel.NOISE),
        ("发布时间:2021-01-26", LineLabel.NOISE),
        ("二、主动公开政府信息情况", LineLabel.HEADING),
        ("三、收到和处理政府信息公开申请情况", LineLabel.HEADING),
        ("第二十条第（一）项", LineLabel.HEADING),
        ("天津市北辰区小淀镇2020年政府信息公开工作年度报告", LineLabel.HEADING),
        ("规章\t0\t0\t0", LineLabel.ROW),
        ("\t（七）总计\t35\t0\t0\t0\t0\t0\t35", LineLabel.ROW),
        ("0", LineLabel.NUMBER),
        ("\t35", LineLabel.NUMBER),
        ("0 0 0 0 0 0 0", LineLabel.NUMBER),
        ("＋30", LineLabel.NUMBER),
        ("/", LineLabel.NUMBER),
        (
            "2020年，我镇共收到政府信息公开申请14件，因政府信息公开被申请行政复议1件，无行政诉讼。",
            LineLabel.PROSE,
        ),
        ("本年新", LineLabel.LABEL),
        ("结果维持", LineLabel.LABEL),
        ("信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量", LineLabel.LABEL),
        ("1.属于国家秘密", LineLabel.LABEL),
    ],
)
def test_rule_labels(raw, label):
    assert label_of(raw) == label


def test_prose_with_a_table_label_and_a_count_is_prose():
    raw = "本年度，本机关共办理政府信息公开行政复议案件2件，均已结案，未发生行政诉讼。"
    assert label_of(raw) == LineLabel.PROSE


TEXT = "\n".join(
    [
        "",
        "-2-",
        "二、主动公开政府信息情况",
        "规章\t0\t0\t0",
        "0",
        "2020年，我镇共收到政府信息公开申请14件，因政府信息公开被申请行政复议1件。",
        "本年新",
        "— 3 —",
    ]
)


def test_predict_proba_is_a_distribution_over_all_labels():
    lines = normalise(TEXT)
    tokens = tokenise(lines)
    labeller = RuleLabeller()
    probas = labeller.predict_proba(lines, tokens)
    predicted = labeller.predict(lines, tokens)
    assert len(probas) == len(lines)
    for proba, label in zip(probas, predicted):
        assert set(proba) == set(LineLabel)
        assert all(0.0 <= p <= 1.0 for p in proba.values())
        assert math.isclose(sum(proba.values()), 1.0, abs_tol=1e-9)
        assert max(proba, key=proba.get) == label


def test_label_lines():
    lines = normalise(TEXT)
    tokens = tokenise(lines)
    labelled = label_lines(lines, tokens, RuleLabeller())
    assert len(labelled) == len(lines)
    assert all(isinstance(ll, LabelledLine) for ll in labelled)
    assert all(ll.method == "rule" for ll in labelled)
    assert [ll.label for ll in labelled] == [
        LineLabel.BLANK,
        LineLabel.NOISE,
        LineLabel.HEADING,
        LineLabel.ROW,
        LineLabel.NUMBER,
        LineLabel.PROSE,
        LineLabel.LABEL,
        LineLabel.NOISE,
    ]
    for ll, line, toks in zip(labelled, lines, tokens):
        assert ll.line is line
        assert ll.tokens == tuple(toks)
        assert 0.0 < ll.confidence <= 1.0


def test_label_lines_uses_the_given_labeller():
    class Everything:
        """Any object that answers the Labeller interface stands in for the rules."""

        def label(self, lines, tokens):
            return [(LineLabel.PROSE, 0.7, "model") for _ in lines]

        def predict_proba(self, lines, tokens):
            return [as_proba(LineLabel.PROSE, 0.7) for _ in lines]

        def predict(self, lines, tokens):
            return [LineLabel.PROSE for _ in lines]

    lines = normalise(TEXT)
    labelled = label_lines(lines, tokenise(lines), Everything())
    assert {ll.label for ll in labelled} == {LineLabel.PROSE}
    assert {ll.method for ll in labelled} == {"model"}
    assert {ll.confidence for ll in labelled} == {0.7}


def test_table_labels_exclude_prose_and_noise():
    assert LineLabel.PROSE not in TABLE_LABELS
    assert LineLabel.NOISE not in TABLE_LABELS
    assert LineLabel.BLANK not in TABLE_LABELS
    assert {LineLabel.ROW, LineLabel.NUMBER, LineLabel.LABEL, LineLabel.HEADING} <= TABLE_LABELS
    assert str(LineLabel.ROW) == "row"
