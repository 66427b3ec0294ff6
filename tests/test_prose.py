"""The prose's figures checked against the tables (prose.py): statements found, compared, warned about."""
from __future__ import annotations

from pathlib import Path

import pytest
from test_assemble import report

import gixml

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def _with_overview(sentence: str, fmt: str = "2019") -> gixml.Report:
    text = report(fmt=fmt).replace("我镇认真贯彻落实《条例》。", "我镇认真贯彻落实《条例》。" + sentence, 1)
    assert sentence in text
    return gixml.extract_text(text, name="made.txt")


def test_statements_that_agree_are_found_with_their_line_and_raise_nothing():
    rep = _with_overview("全年共收到政府信息公开申请0件，其中予以公开0件、不予公开 0 件；行政复议0件，行政诉讼0起。")
    found = {s.what: s for s in rep.statements}
    assert set(found) == {"requests received", "granted", "denied", "administrative reviews",
                          "administrative lawsuits"}
    assert all(s.agrees for s in rep.statements)
    s = found["denied"]
    assert s.printed == "0" and s.phrase == "不予公开 0 件" and len(s.keys) == 8
    assert rep.source_lines[s.line].find("不予公开 0 件") >= 0
    assert not any(w.code == "prose_mismatch" for w in rep.warnings)
    assert rep.to_dict()["statements"][0]["agrees"] is True


def test_a_disagreement_is_a_warning_citing_the_prose_line_and_the_cells():
    rep = _with_overview("全年共收到政府信息公开申请36件。")
    (w,) = [w for w in rep.warnings if w.code == "prose_mismatch"]
    (s,) = rep.statements
    assert s.value == 36 and s.table == 0 and s.agrees is False
    assert s.line in w.lines and rep.cells["requests.new_received.total"].line in w.lines
    assert w.cells == (gixml.CellKey("requests", "new_received", "total"),)
    assert "both are reported as printed" in w.message
    assert rep.values["requests.new_received.total"] == 0  # the table is reported as printed


@pytest.mark.parametrize("sentence", [
    "2019年共收到政府信息公开申请36件。",  # another year
    "共收到政府信息公开申请36件，较上年增加5件。",  # the clause with 较 is not read; the first is
    "全区共受理政府信息公开申请36件。",  # an area's bodies together
    "计划办理行政复议36件。",
])
def test_figures_of_another_year_another_scope_or_a_comparison_are_not_read(sentence):
    rep = _with_overview(sentence)
    wrong = [s for s in rep.statements if s.value == 36]
    if "较上年" in sentence:
        assert len(wrong) == 1 and wrong[0].agrees is False  # "收到…申请36件" is its own clause
    else:
        assert not wrong


def test_table_lines_are_not_read_as_prose():
    rep = gixml.extract_text(report(), name="made.txt")
    assert rep.statements == ()


def _shared_cases():
    from gixml.training.prose_check import cases

    if not (SHARED / "corpus").is_dir():
        return []
    return list(cases(SHARED))


def test_on_the_corpus_every_statement_read_is_the_truths_figure_and_no_warning_blames_a_consistent_report():
    """Precision: each statement found on the seeds, the corpus and pdf-made restates the truth's cells
    (the figure and the cells it names are right); a prose_mismatch where the truth agrees with the prose
    (gixml misread the table) cites cells gixml itself flagged."""
    found = _shared_cases()
    if not found:
        pytest.skip("../shared is not here")
    statements = warned = 0
    for _, path, truth in found:
        rep = gixml.extract(path)
        for s in rep.statements:
            want = [truth["cells"].get(str(k)) for k in s.keys]
            if any(v is None for v in want):
                continue
            statements += 1
            assert sum(want) == s.value, (path, s)
        for w in rep.warnings:
            if w.code == "prose_mismatch":
                warned += 1
                assert any(rep.cells[k].flags for k in w.cells), (path, w.message)
    assert statements >= 100 and warned == 2


def test_an_appeal_received_is_not_an_information_request_received():
    rep = _with_overview("本机关收到行政复议申请0件，收到政府信息公开申请0件。")
    assert sorted(s.what for s in rep.statements) == ["administrative reviews", "requests received"]
