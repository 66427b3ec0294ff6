"""The 主动公开 table: which format it follows, and each row's cells.

The format shows in the column headers (本年新制作数量 … in 2019, 本年制发件数
… in 2021) or the rows only one format has; failing both, in the width of the
行政许可 row. Each row's columns come from the format (``forms.py``; the
2019 行政事业性收费 row adds 处理决定数量 when its sub-table prints it).

The table has no identity, so a glued digit run (``行政规范性文件693665``) is
cut by its only possible split, or else by the value prior (``prior.py``),
with low confidence and a warning naming the other splits.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import confidence as conf
from ..forms import ACTIVE_COLUMNS, ACTIVE_COLUMNS_BY_ROW, FORMATS
from ..lines.tokenise import Token
from ..records import LOW_CONFIDENCE, Cell, CellKey, ReportWarning
from .glued import cut_tokens, is_glued, not_one_cell, split_row
from .matching import adopt, choose, matchings
from .prior import load_value_prior
from .rows import RowRead, TokenStream, collect_rows, dedupe, flag_after_empty, place, row_start_field

#: The column headers only one format prints.
HEADERS_OF_FORMAT = {fmt: {spec.key for spec in ACTIVE_COLUMNS if spec.formats == (fmt,)} for fmt in FORMATS}


@dataclass
class ActiveTable:
    """What was read of the active table."""

    format: str | None = None
    cells: dict[CellKey, Cell] = field(default_factory=dict)
    units: dict[CellKey, str] = field(default_factory=dict)  # the unit stated for an amount
    fees_decisions: bool = False  # format 2019 with the 行政事业性收费 row's 处理决定数量 column


def read_active(stream: TokenStream, tokens: Sequence[Token], warnings: list[ReportWarning]) -> ActiveTable:
    """The active table from the tokens of its region."""
    rows = dedupe(collect_rows(tokens, "active", warnings), "active", warnings)
    headers = {t.key for t in tokens if t.kind == "column" and t.table == "active"}
    score19 = len(headers & HEADERS_OF_FORMAT["2019"]) + sum(k in rows for k in ("other_services", "procurement"))
    score21 = len(headers & HEADERS_OF_FORMAT["2021"])
    fmt: str | None = None
    if score19 > score21:
        fmt = "2019"
    elif score21 > score19:
        fmt = "2021"
    elif "licensing" in rows and rows["licensing"].values:
        fmt = "2019" if len(rows["licensing"].values) >= 3 else "2021"
    if fmt is None:
        return ActiveTable()
    table = ActiveTable(fmt)
    for key, row in rows.items():
        cols = ACTIVE_COLUMNS_BY_ROW[fmt].get(key)
        if cols is None:
            warnings.append(ReportWarning("row_not_in_format", f"active.{key} is printed but is not a row of "
                                          f"format {fmt}", lines=(row.label.line,)))
            continue
        if key == "fees" and fmt == "2019" and ("decisions" in row.headers or len(row.values) == 3):
            cols = cols + ("decisions",)
            table.fees_decisions = True
        if is_glued(row.values, len(cols), tail_ok=True):
            placed = _place_glued(stream, row, cols, fmt, warnings)
        else:
            grid = max(len(c) for c in ACTIVE_COLUMNS_BY_ROW[fmt].values())
            placed = place(stream, "active", row, cols, warnings, None, row_start_field(stream, row, len(cols)), grid)
        table.cells.update(placed)
        for k, cell in placed.items():
            if k.col == "amount":
                unit = cell.unit or row.unit
                if unit:
                    table.units[k] = unit
    flag_after_empty(rows.values(), "active", table.cells, warnings)
    _read_by_matching(stream, tokens, rows, table, warnings)
    return table


def _read_by_matching(stream: TokenStream, tokens: Sequence[Token], rows: dict[str, RowRead], table: ActiveTable,
                      warnings: list[ReportWarning]) -> None:
    """The matching reading (``matching.py``: each line of values given to the
    row label just above or below it), taken in place of the label reading
    when it is the only one and fills more rows. The table has no identity to
    choose between matchings."""
    fmt = table.format or ""
    columns = ACTIVE_COLUMNS_BY_ROW[fmt]
    widths = {key: (len(cols),) for key, cols in columns.items()}
    if fmt == "2019":
        widths["fees"] = (2, 3)  # with the 处理决定数量 column some reports print
    found = matchings(tokens, "active", widths)
    chosen = choose(found) if found else None
    if chosen is None:
        return
    whole = {row for row, cols in columns.items()
             if all(CellKey("active", row, c) in table.cells for c in cols)}
    if len(chosen.rows) <= len(whole):
        return

    def keys_of(row: str, n: int) -> list[CellKey]:
        cols = columns[row] + (("decisions",) if row == "fees" and n == 3 else ())
        return [CellKey("active", row, c) for c in cols]

    if len(chosen.rows.get("fees", ())) == 3:
        table.fees_decisions = True
    adopt(stream, chosen, keys_of, table.cells, warnings)
    for k in [k for k in table.units if k not in table.cells]:
        del table.units[k]
    for row in chosen.rows:
        amount = CellKey("active", row, "amount")
        if amount in table.cells:
            unit = table.cells[amount].unit or (rows[row].unit if row in rows else None)
            if unit:
                table.units[amount] = unit


def _place_glued(stream: TokenStream, row: RowRead, cols: Sequence[str], fmt: str,
                 warnings: list[ReportWarning]) -> dict[CellKey, Cell]:
    """A glued row: its only split, or else the split the value prior finds likeliest, with low confidence."""
    candidates = split_row(row.values, len(cols))
    keys = [CellKey("active", row.key, col) for col in cols]
    first = row.values[0]
    sure = (first.line == row.label.line and first.start == row.label.end) or any(not_one_cell(v) for v in row.values)
    if len(candidates) == 1 and sure:
        return {k: stream.cell(k, t, conf.ONLY_SPLIT, "identity") for k, t in zip(keys, cut_tokens(row.values,
                                                                                                     candidates[0]))}
    if len(candidates) == 1:  # '行政强制 126': printed apart from its label, maybe one cell whose neighbours are elsewhere
        warnings.append(ReportWarning(
            "glued_cells_ambiguous", f"active.{row.key}: the digits {row.values[0].text!r} printed apart from the "
            f"label were cut into {len(cols)} cells, the only cut; but the table has no identity to confirm that "
            "they are several cells glued, not one whose neighbours are printed elsewhere: low confidence",
            tuple(keys), lines=(first.line,)))
        return {k: stream.cell(k, t, conf.SPLIT_BY_PRIOR, "identity", (LOW_CONFIDENCE,))
                for k, t in zip(keys, cut_tokens(row.values, candidates[0]))}
    printed = " ".join(v.text for v in row.values)
    lines = tuple(sorted({v.line for v in row.values}))
    if not candidates:
        warnings.append(ReportWarning(
            "glued_cells", f"active.{row.key}: the digits {printed!r} cannot be cut into {len(cols)} cells; "
            "cells left null", tuple(keys), lines=lines))
        return {}
    prior = load_value_prior()
    units = [None] * (len(cols) - 1) + [row.values[-1].unit or row.unit]
    readings = [cut_tokens(row.values, s) for s in candidates]
    readings.sort(key=lambda parts: -prior.score(fmt, row.key, cols, [t.value or 0 for t in parts], units))
    shown = ["/".join(t.text for t in parts) for parts in readings[:4]]
    warnings.append(ReportWarning(
        "glued_cells_ambiguous",
        f"active.{row.key}: the digits {printed!r} hold {len(cols)} cells glued together and {len(candidates)} ways "
        f"to cut them fit the form; took {shown[0]} as the likeliest by the value prior "
        f"(next: {', '.join(shown[1:])}), low confidence", tuple(keys), lines=lines))
    return {k: stream.cell(k, t, conf.SPLIT_BY_PRIOR, "prior", (LOW_CONFIDENCE,)) for k, t in zip(keys, readings[0])}
