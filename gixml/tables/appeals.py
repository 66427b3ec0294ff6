"""The 行政复议、行政诉讼 table: one data row of fifteen values after its column headers.

The fifteen are 行政复议, 未经复议直接起诉 and 复议后起诉, each as 结果维持,
结果纠正, 其他结果, 尚未审结 and 总计. Printed as glued digits, they are split
where each group's 总计 is the sum of its four results; a report that breaks
one of the three identities keeps the splits that break only that one. More
values than cells, from a column too narrow for its numbers (``1`` / ``2`` for
12), are joined across line breaks where the identities hold (``glued.line_joins``).
"""
from __future__ import annotations

from collections.abc import Sequence

from .. import confidence as conf
from ..forms import APPEAL_COLS, APPEAL_ROWS
from ..lines.tokenise import Token
from ..records import LOW_CONFIDENCE, Cell, CellKey, ReportWarning
from .glued import cut_tokens, fewest_nonzero, is_glued, line_joins, split_row
from .identities import appeals_gap, appeals_held, appeals_ok
from .rows import TokenStream

KEYS = [CellKey("appeals", row, col) for row in APPEAL_ROWS for col in APPEAL_COLS]


def read_appeals(stream: TokenStream, tokens: Sequence[Token], warnings: list[ReportWarning]) -> dict[CellKey, Cell]:
    """The appeals table's cells from the tokens of its region.

    Values printed between the column headers (a converter that prints the
    table's blocks out of order, as pdfminer does) may not be in the form's
    order, and the identities cannot tell: a group of five is a group of five
    wherever it is printed. Such cells are flagged low confidence."""
    first_header = next((i for i, t in enumerate(tokens) if t.kind == "column" and t.table == "appeals"), 0)
    after = tokens[first_header:]
    values = [t for t in after if t.is_value]
    cells = _read(stream, values, warnings)
    if cells and not _in_order(after):
        cells = {k: c.flagged(LOW_CONFIDENCE, confidence=round(c.confidence * conf.BETWEEN_HEADERS, 4))
                 if LOW_CONFIDENCE not in c.flags else c for k, c in cells.items()}
        warnings.append(ReportWarning(
            "order_uncertain", "appeals: values are printed between the table's column headers, so they may not "
            "be in the form's order (the identities hold in any order of the three groups); low confidence",
            tuple(cells), lines=tuple(sorted({v.line for v in values}))))
    return cells


def _in_order(tokens: Sequence[Token]) -> bool:
    """Whether the values can be trusted to follow the form's order: every
    column header comes before the first value, or the table is printed as
    three blocks (a group's title, its headers, its five values) in the form's
    order, each value after its own group's title."""
    first_value = next((i for i, t in enumerate(tokens) if t.is_value), len(tokens))
    if not any(t.kind == "column" and t.table == "appeals" for t in tokens[first_value:]):
        return True
    group = -1  # the group whose title was printed last
    n = 0  # values so far
    for t in tokens:
        if t.kind == "column" and t.key in APPEAL_ROWS:
            group = APPEAL_ROWS.index(t.key)
        elif t.is_value:
            if n // len(APPEAL_COLS) != group:
                return False
            n += 1
    return n == len(KEYS)


def _read(stream: TokenStream, values: list[Token], warnings: list[ReportWarning]) -> dict[CellKey, Cell]:
    non_blank = [v for v in values if v.kind == "value"]
    lines = tuple(sorted({v.line for v in values}))
    if not values:
        warnings.append(ReportWarning("table_without_data", "appeals: the table is printed without any values; "
                                      "its cells are null", tuple(KEYS)))
        return {}
    if len(values) == len(KEYS):
        return {k: stream.cell(k, v, conf.TABLE_EXACT) for k, v in zip(KEYS, values)}
    if len(non_blank) == len(KEYS):
        return {k: stream.cell(k, v, conf.BLANKS_DROPPED) for k, v in zip(KEYS, non_blank)}
    if is_glued(values, len(KEYS)):
        candidates = split_row(values, len(KEYS), appeals_ok)
        what = "fit the row identities"
        if not candidates:  # the report breaks an identity: keep the splits that break only one
            held = {s: appeals_held(s) for s in split_row(values, len(KEYS))}
            candidates = [s for s, n in held.items() if n == len(APPEAL_ROWS) - 1]
            what = (f"fit {len(APPEAL_ROWS) - 1} of the {len(APPEAL_ROWS)} row identities (none fits all; the one "
                    "missing its total by the least is preferred)")
        if candidates:
            split = min(candidates, key=lambda s: (appeals_gap(s), fewest_nonzero(s)))
            unique = len(candidates) == 1 and appeals_ok(split)
            if not unique:
                warnings.append(ReportWarning(
                    "glued_cells_ambiguous", f"appeals: {len(candidates)} splits of the glued digits {what}; chose "
                    f"{split} by the prior (fewest non-zero cells), low confidence", tuple(KEYS), lines=lines))
            return {k: stream.cell(k, t, conf.ONLY_SPLIT if unique else conf.SPLIT_BY_FEWEST, "identity",
                                   () if unique else (LOW_CONFIDENCE,))
                    for k, t in zip(KEYS, cut_tokens(values, split))}
    joins = line_joins(values, len(KEYS), appeals_ok)
    if joins:  # a narrow column wrapped multi-digit cells over two lines
        cells = min(joins, key=lambda toks: fewest_nonzero([t.value or 0 for t in toks]))
        # sure only when one joining fits and the values are one block of lines (a row wrapped in place;
        # values scattered between other lines may be out of the form's order, and the identities hold by chance)
        unique = len({tuple(t.value for t in toks) for toks in joins}) == 1 and lines[-1] - lines[0] + 1 == len(lines)
        joined = [t for t in cells if t not in values]
        warnings.append(ReportWarning(
            "wrapped_cells", f"appeals: {len(values)} values printed for {len(KEYS)} cells; "
            f"{', '.join(t.text for t in joined)} printed over two lines (a narrow column) were joined where the "
            "three identities hold" + ("" if unique else f"; {len(joins)} way(s) to join fit, or the values are "
                                       "scattered over the page: chose the one with the fewest non-zero cells, low "
                                       "confidence"), tuple(KEYS), lines=lines))
        return {k: stream.cell(k, t, conf.JOINED_ACROSS_LINES if unique else conf.SPLIT_BY_FEWEST, "identity",
                               () if unique else (LOW_CONFIDENCE,)) for k, t in zip(KEYS, cells)}
    warnings.append(ReportWarning(
        "row_width", f"appeals: {len(values)} values printed for {len(KEYS)} cells "
        f"({' '.join(v.text for v in values[:20])}); cells left null", tuple(KEYS), lines=lines))
    return {}
