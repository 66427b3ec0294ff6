"""Rows read by the form's order (order.py) and glued cells settled by the value prior (prior.py)."""
from __future__ import annotations

import random

import pytest
from gixml.training.prior import fit_prior, leave_one_report_out, save_prior
from test_assemble import REQUEST_HEADER, active_table, report, request_rows

import gixml
from gixml.errors import ModelError
from gixml.forms import REQUEST_COLS, REQUEST_ROWS_BY_FORMAT
from gixml.lines.normalise import normalise_line
from gixml.lines.tokenise import Token, tokenise_line
from gixml.records import LOW_CONFIDENCE, CellKey
from gixml.tables.order import ValueRow, align, value_rows
from gixml.tables.prior import PRIOR_VERSION, load_value_prior

KEYS_2019 = REQUEST_ROWS_BY_FORMAT["2019"]


def consistent_rows(seed: int) -> dict[str, list[int]]:
    """Every request row with distinct, identity-satisfying values (so a row read in the wrong place shows)."""
    rng = random.Random(seed)
    rows = {}
    for key in KEYS_2019:
        six = [rng.randint(0, 40), rng.randint(0, 5), 0, 0, rng.randint(0, 3), 0]
        rows[key] = six + [sum(six)]
    return rows


def requests_section(lines: list[str]) -> list[str]:
    return ["三、收到和处理政府信息公开申请情况", ""] + REQUEST_HEADER + [""] + lines


def row_of(rep: gixml.Report, key: str) -> list:
    return [rep.values[f"requests.{key}.{c}"] for c in REQUEST_COLS]


# ------------------------------------------------------------ order.py alone


def _row(line: int, label: str | None = None) -> ValueRow:
    return ValueRow(tuple(Token("value", line, i, i + 1, "0", value=0) for i in range(7)), label)


def test_align_fills_a_gap_whose_count_matches_the_form():
    keys = ("a", "b", "c", "d")
    rows = [_row(1, "a"), _row(2), _row(3), _row(4, "d")]
    got = align(rows, keys, {})
    assert got is not None and {k: r.tokens[0].line for k, r in got.items()} == {"a": 1, "b": 2, "c": 3, "d": 4}


def test_align_leaves_a_gap_whose_count_does_not_match():
    keys = ("a", "b", "c", "d")
    got = align([_row(1, "a"), _row(2), _row(4, "d")], keys, {})
    assert got is not None and set(got) == {"a", "d"}


def test_align_refuses_anchors_out_of_the_form_order():
    assert align([_row(1, "c"), _row(2, "a")], ("a", "b", "c"), {}) is None


def test_value_rows_reads_a_block_printed_column_by_column():
    # two rows (1..6 → 21 and 10,0,0,0,0,0 → 10) printed as seven columns of two values
    rows = [[1, 2, 3, 4, 5, 6, 21], [10, 0, 0, 0, 0, 0, 10]]
    text: list[str] = []
    for c in range(7):
        for r in rows:
            text.append(str(r[c]))
        text.append("")
    tokens = [t for n, raw in enumerate(text, 1) for t in tokenise_line(normalise_line(n, raw))]
    got = value_rows(tokens, "requests", 7, lambda v: sum(v[:6]) == v[6])
    assert [[t.value for t in r.tokens] for r in got] == rows


# ------------------------------------------------------------ end to end


def test_rows_printed_apart_from_their_labels_are_read_in_the_form_order():
    """A PDF→Markdown layout: all labels first, then the value rows without labels."""
    values = consistent_rows(1)
    labels = [lab for _, labs in request_rows("2019") for lab in labs]
    rows = ["\t".join(map(str, values[k])) for k in KEYS_2019]
    rep = gixml.extract_text(report(requests=requests_section(labels + [""] + rows)))
    for key in KEYS_2019:
        assert row_of(rep, key) == values[key], key
    cell = rep.cells["requests.denied_third_party.total"]
    assert cell.method == "order" and cell.printed == str(values["denied_third_party"][6])


def test_label_less_rows_between_labelled_rows_fill_the_gaps():
    values = consistent_rows(2)
    lines = []
    for n, (key, labs) in enumerate(request_rows("2019")):
        row = "\t".join(map(str, values[key]))
        lines += labs[:-1] + ([f"{labs[-1]}\t{row}"] if n % 3 == 0 else [row])  # every third row keeps its label
    rep = gixml.extract_text(report(requests=requests_section(lines)))
    for key in KEYS_2019:
        assert row_of(rep, key) == values[key], key
    assert rep.cells["requests.new_received.total"].method == "rule"
    assert rep.cells["requests.carried_over.total"].method == "order"


def test_a_table_printed_column_by_column_is_read_back():
    """plain pdftotext: each cell on its own line, a block of rows printed column by column."""
    values = consistent_rows(3)
    block = KEYS_2019[4:12]  # the eight 不予公开 rows
    lines = []
    for key, labs in request_rows("2019"):
        if key in block:
            continue
        lines += labs + [""] + [x for v in values[key] for x in (str(v), "")]
    at = lines.index("（四）无法提供")
    column_wise = [x for c in range(7) for x in [*(str(values[k][c]) for k in block), ""]]
    lines[at:at] = column_wise + ["（三）不予公开"] + [lab for k, labs in request_rows("2019") if k in block for lab in labs[-1:]]
    rep = gixml.extract_text(report(requests=requests_section(lines)))
    for key in KEYS_2019:
        assert row_of(rep, key) == values[key], key
    # a block read from one-value lines by the form's order could be a row off: said, and flagged
    [warning] = [w for w in rep.warnings if w.code == "order_uncertain"]
    assert set(block) <= {k.row for k in warning.cells}
    for key in block:
        cell = rep.cells[f"requests.{key}.total"]
        assert cell.method == "order" and "low_confidence" in cell.flags and cell.confidence < 0.7


def test_rows_that_do_not_match_the_form_count_are_not_guessed():
    """One label-less row too few between two labelled rows: the gap is left as the labels read it."""
    values = consistent_rows(4)
    lines = []
    for key, labs in request_rows("2019"):
        row = "\t".join(map(str, values[key]))
        if key == "denied_three_safety":
            continue  # neither its label nor its values are printed
        lines += labs[:-1] + ([f"{labs[-1]}\t{row}"] if key in ("granted", "rejected_complaint") else [row])
    rep = gixml.extract_text(report(requests=requests_section(lines)))
    wrong = [k for k in KEYS_2019 if row_of(rep, k) != values[k] and all(v is not None for v in row_of(rep, k))
             and not any(rep.cells[f"requests.{k}.{c}"].flags for c in REQUEST_COLS)]
    assert wrong == []


# ------------------------------------------------------------ the value prior


def test_prior_fit_score_and_round_trip(tmp_path):
    records = [(f"d{i}", "2021", CellKey("active", "normative_documents", col), v, "")
               for i, (a, b, c) in enumerate([(60, 3, 600), (80, 50, 700), (5, 6, 15), (3, 1, 23), (0, 0, 8)])
               for col, v in zip(("issued", "repealed", "in_force"), (a, b, c))]
    prior = fit_prior(records)
    cols = ("issued", "repealed", "in_force")
    assert prior.score("2021", "normative_documents", cols, (69, 3, 665)) > \
        prior.score("2021", "normative_documents", cols, (69, 36, 65))
    assert prior.order[("2021", "normative_documents", "issued", "in_force")] > 0.5
    save_prior(prior, {"name": "test", "prior_version": PRIOR_VERSION}, tmp_path / "prior")
    assert load_value_prior(tmp_path / "prior") == prior
    (tmp_path / "prior" / "prior.json").write_text("{", encoding="utf-8")
    with pytest.raises(ModelError, match="prior.json: is not a readable value prior"):
        load_value_prior(tmp_path / "prior")
    (tmp_path / "prior" / "card.json").write_text('{"prior_version": 0}', encoding="utf-8")
    with pytest.raises(ModelError, match="value prior v0 .* retrain"):
        load_value_prior(tmp_path / "prior")
    (tmp_path / "prior" / "card.json").unlink()
    with pytest.raises(ModelError, match="no readable model card"):
        load_value_prior(tmp_path / "prior")


def test_the_prior_is_scored_on_the_cuts_of_rows_it_did_not_see():
    rows = [(60, 3, 600), (80, 50, 700), (5, 6, 15), (3, 1, 23), (0, 0, 8), (12, 2, 140), (7, 0, 66)]
    records = [(f"d{i}", "2021", CellKey("active", "normative_documents", col), v, "") for i, row in enumerate(rows)
               for col, v in zip(("issued", "repealed", "in_force"), row)]
    score = leave_one_report_out(records)
    assert score["rows"] == len(rows)
    assert 0 < score["rows_with_several_cuts"] <= len(rows)  # "008" has a single cut, 0/0/8
    assert score["printed_cut_ranked_first"] <= score["rows_with_several_cuts"]


def test_the_shipped_prior_has_a_card_with_its_data_and_score():
    import json

    from gixml.tables.prior import shipped_folder

    card = json.loads((shipped_folder() / "card.json").read_text(encoding="utf-8"))
    assert card["training_data"]["values"] > 100
    assert card["metrics"]["leave_one_report_out"]["share_ranked_first"] > 0.5
    assert load_value_prior().columns


def _active_2021_with(row_line: str) -> str:
    lines = active_table(fmt="2021")
    at = lines.index("行政规范性文件")
    lines[at:at + 4] = [row_line, ""]
    return report(fmt="2021", active=lines, requests=None)


def test_a_glued_row_without_identity_is_cut_by_the_prior_with_low_confidence():
    rep = gixml.extract_text(_active_2021_with("行政规范性文件693665"))
    cells = [rep.cells[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")]
    assert "".join(c.printed for c in cells) == "693665"  # no digit invented or dropped
    assert all(c.method == "prior" and LOW_CONFIDENCE in c.flags for c in cells)
    warning = next(w for w in rep.warnings if w.code == "glued_cells_ambiguous")
    assert "active.normative_documents.issued" in map(str, warning.cells) and "next:" in warning.message


def test_a_glued_run_keeps_its_decimals_and_unit_on_the_last_cell():
    lines = active_table(fmt="2019")
    at = lines.index("政府集中采购")
    lines[at:at + 3] = ["政府集中采购13575394432.52元", ""]
    rep = gixml.extract_text(report(fmt="2019", active=lines))
    projects, amount = rep.cells["active.procurement.projects"], rep.cells["active.procurement.amount"]
    assert projects.printed + amount.printed == "13575394432.52元"
    assert isinstance(projects.value, int) and str(amount.value).endswith(".52") and amount.unit == "元"


def test_a_glued_run_with_a_minus_gives_one_negative_cell():
    lines = active_table(fmt="2019")
    at = lines.index("行政处罚")
    lines[at:at + 4] = ["行政处罚2648-18538", ""]
    rep = gixml.extract_text(report(fmt="2019", active=lines))
    cells = [rep.cells[f"active.penalties.{c}"] for c in ("previous", "change", "decisions")]
    assert "".join(c.printed for c in cells) == "2648-18538"
    assert sum(1 for c in cells if c.value is not None and c.value < 0) == 1


# ------------------------------------------------------------ appeals, tokens, regions


def test_glued_appeals_that_break_one_identity_keep_the_nearest_split_and_say_so():
    text = report(appeals=["四、政府信息公开行政复议、行政诉讼情况",
                           "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
                           "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计00202000001324015"])
    rep = gixml.extract_text(text)
    got = [rep.values[f"appeals.{r}.{c}"] for r in ("review", "litigation_direct", "litigation_after_review")
           for c in ("upheld", "corrected", "other", "pending", "total")]
    assert got == [0, 0, 2, 0, 2, 0, 0, 0, 0, 0, 13, 2, 4, 0, 15]
    assert LOW_CONFIDENCE in rep.cells["appeals.review.total"].flags
    assert any(w.code == "identity" and "appeals.litigation_after_review.total" in map(str, w.cells) for w in rep.warnings)


@pytest.mark.parametrize("raw, values", [
    ("行政事业性收费5949.09(二)主动公开政府信息的主要类别", [5949.09]),
    ("行政处罚2648-18538", [2648, -18538]),
    ("行政处罚2021-01-26", []),  # a date stays text
])
def test_values_glued_to_a_sub_heading_or_a_minus(raw, values):
    tokens = tokenise_line(normalise_line(1, raw))
    assert [t.value for t in tokens if t.kind == "value"] == values


def test_a_table_caption_repeating_the_section_title_does_not_split_the_table():
    lines = active_table(fmt="2021")
    at = lines.index("第二十条第（五）项")
    lines[at:at] = ["表二：主动公开政府信息情况"]
    rep = gixml.extract_text(report(fmt="2021", active=lines))
    assert rep.values["active.normative_documents.in_force"] == 0
    assert rep.values["active.licensing.decisions"] == 0
    assert all(c.value is not None for k, c in rep.cells.items() if k.startswith("active."))


def test_cells_read_by_order_and_by_the_prior_export_to_valid_xml():
    import xmlschema

    from gixml.export import xsd_path

    values = consistent_rows(5)
    labels = [lab for _, labs in request_rows("2019") for lab in labs]
    rows = ["\t".join(map(str, values[k])) for k in KEYS_2019]
    lines = active_table(fmt="2019")
    at = lines.index("政府集中采购")
    lines[at:at + 3] = ["政府集中采购13575394432.52元", ""]
    rep = gixml.extract_text(report(active=lines, requests=requests_section(labels + [""] + rows)))
    assert {"order", "prior"} <= {c.method for c in rep.cells.values()}
    xmlschema.XMLSchema(xsd_path()).validate(rep.to_xml())


def test_a_run_printed_apart_from_its_label_is_cut_only_with_low_confidence():
    """'行政强制126' is three cells glued; '行政强制 126' (pdfminer, its neighbours printed elsewhere) may be one
    cell. The only cut is still given, flagged; '规章 000' (a leading zero) is certainly three cells."""
    def enforcement(printed: str):
        lines = [printed if line.startswith("行政强制") else line for line in active_table(layout="tabs")]
        rep = gixml.extract_text(report(active=lines))
        return [rep.cells[f"active.enforcement.{c}"] for c in ("previous", "change", "decisions")]

    glued = enforcement("行政强制126")
    assert [c.value for c in glued] == [1, 2, 6] and all(c.flags == () for c in glued)
    apart = enforcement("行政强制 126")
    assert [c.value for c in apart] == [1, 2, 6] and all("low_confidence" in c.flags for c in apart)
    zeros = enforcement("行政强制 000")
    assert [c.value for c in zeros] == [0, 0, 0] and all(c.flags == () for c in zeros)


def _zeros_with_labels_apart(n_rows: int, per_line: int) -> list[str]:
    """The requests table as a layout that lost its order prints it: every label, then the zeros in
    blocks of ``per_line`` a line, with blank lines and a page number between the blocks."""
    labels = [lab for _, labs in request_rows("2019") for lab in labs]
    zeros = ["0"] * (n_rows * len(REQUEST_COLS))
    blocks = [" ".join(zeros[i:i + per_line]) for i in range(0, len(zeros), per_line)]
    return labels + [""] + blocks[: len(blocks) // 2] + ["", "-2-", ""] + blocks[len(blocks) // 2:]


def test_a_table_of_zeros_whose_order_is_lost_reads_as_zeros_whatever_the_order():
    rep = gixml.extract_text(report(requests=requests_section(_zeros_with_labels_apart(len(KEYS_2019), 5))))
    cells = [c for k, c in rep.cells.items() if k.startswith("requests.")]
    assert len(cells) == len(KEYS_2019) * len(REQUEST_COLS)
    assert all(c.value == 0 and c.method == "order" and c.line is not None for c in cells)
    assert any(w.code == "order_lost" for w in rep.warnings)
    assert not any(w.code == "row_width" and w.cells and w.cells[0].startswith("requests.") for w in rep.warnings)


def test_a_table_of_zeros_with_one_value_too_few_or_one_other_value_is_not_filled():
    lines = _zeros_with_labels_apart(len(KEYS_2019), 5)
    assert lines[-1] == "0"  # 161 zeros, five a line
    short = lines[:-1]  # one zero missing: a blank cell somewhere
    one_other = lines[:-1] + ["3"]
    for variant in (short, one_other):
        rep = gixml.extract_text(report(requests=requests_section(variant)))
        assert not any(w.code == "order_lost" for w in rep.warnings)
        assert all(c.method != "order" or c.flags for k, c in rep.cells.items() if k.startswith("requests."))


def test_a_partly_read_table_is_not_filled_by_its_leftover_values():
    """One row read by its label with a blank cell, and one stray value elsewhere: that value is not the
    blank cell's (the region's values are not the table's cells one for one)."""
    values = {k: ["0"] * 7 for k in KEYS_2019}
    lines = []
    for key, labs in request_rows("2019"):
        row = values[key] if key != "carried_forward" else ["1", "0", "0", "0", "0", "0"]
        lines += labs[:-1] + [labs[-1] + "\t" + "\t".join(row) + ("\t" if key == "carried_forward" else "")]
    lines += ["注：1"]
    rep = gixml.extract_text(report(requests=requests_section(lines)))
    assert rep.values["requests.carried_forward.total"] is None
    assert not any(w.code == "order_lost" for w in rep.warnings)


def test_a_request_row_whose_last_cell_wraps_to_the_next_line_is_joined_by_the_row_identity():
    values = {k: [0] * 7 for k in KEYS_2019}
    for key in ("new_received", "granted", "total"):  # every identity holds
        values[key] = [122, 243, 120, 324, 0, 472, 1281]
    lines = []
    for key, labs in request_rows("2019"):
        printed = " ".join(map(str, values[key]))
        if key == "new_received":
            printed = printed[:-1] + "\n1"
        lines += labs + printed.split("\n")
    rep = gixml.extract_text(report(requests=requests_section(lines)))
    assert row_of(rep, "new_received") == values["new_received"]
    cell = rep.cells["requests.new_received.total"]
    assert cell.method == "identity" and cell.printed == "128" and not cell.flags
    assert any(w.code == "wrapped_cells" for w in rep.warnings)
