"""The 收到和处理政府信息公开申请 table: 23 rows (25 in format 2021) of seven columns.

Three readings, in order:

1. **By labels** (``rows.py``): each row label claims the values after it.
2. **Glued rows**: a row printed as digit runs is split where the row identity
   (总计 = the sum of the six applicant columns) holds; several splits are
   settled by the column identities across rows (``identities.py``), else by
   the fewest non-zero cells, with low confidence.
3. **By the form's row order** (``order.py``): rows the labels could not place
   with confidence (values printed away from their labels, blocks printed
   column by column), between rows anchored by their labels, only where the
   counts match.

The format shows in the （六） sub-rows that only format 2021 prints.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import confidence as conf
from ..forms import OTHER_SUB_ROWS, REQUEST_COLS, REQUEST_ROWS_BY_FORMAT, RESULT_ROWS
from ..lines.tokenise import Token
from ..records import LOW_CONFIDENCE, Cell, CellKey, ReportWarning
from .glued import Split, choose_by_columns, cut_tokens, is_glued, split_row
from .identities import requests_column_checks, requests_row_ok
from .order import align, value_rows
from .rows import (
    RowRead,
    TokenStream,
    collect_rows,
    dedupe,
    flag_after_empty,
    place,
    row_start_field,
    table_start_field,
)

WIDTH = len(REQUEST_COLS)
#: The keys of each row of the table (both formats).
ROW_KEYS = {row: tuple(CellKey("requests", row, col) for col in REQUEST_COLS)
            for row in (*REQUEST_ROWS_BY_FORMAT["2021"], "other")}


@dataclass
class RequestsTable:
    """What was read of the requests table."""

    format: str | None = None
    cells: dict[CellKey, Cell] = field(default_factory=dict)
    single_other: bool = False  # （六）其他处理 printed as one row (in a format 2021 report)


def read_requests(stream: TokenStream, tokens: Sequence[Token], warnings: list[ReportWarning]) -> RequestsTable:
    """The requests table from the tokens of its region."""
    rows = dedupe(collect_rows(tokens, "requests", warnings), "requests", warnings)
    sub_rows = [k for k in OTHER_SUB_ROWS if k in rows]
    table = RequestsTable("2021" if sub_rows else ("2019" if rows else None))
    cells = table.cells
    ref = table_start_field(rows.values(), WIDTH)
    known: dict[str, Split] = {}
    ambiguous: dict[str, list[Split]] = {}
    for key, row in rows.items():
        if is_glued(row.values, WIDTH):
            candidates = split_row(row.values, WIDTH, requests_row_ok)
            if len(candidates) == 1:
                known[key] = candidates[0]
                cells.update({k: stream.cell(k, t, conf.ONLY_SPLIT, "identity")
                              for k, t in zip(ROW_KEYS[key], cut_tokens(row.values, candidates[0]))})
            elif candidates:
                ambiguous[key] = candidates
            else:
                warnings.append(ReportWarning(
                    "glued_cells", f"requests.{key}: no split of the digits {' '.join(v.text for v in row.values)!r} "
                    f"into {WIDTH} cells gives 总计 = the sum of the applicant columns; cells left null",
                    ROW_KEYS[key], lines=(row.label.line,)))
            continue
        placed = place(stream, "requests", row, REQUEST_COLS, warnings, ref, row_start_field(stream, row, WIDTH))
        cells.update(placed)
        if len(placed) == WIDTH and all(isinstance(c.value, int) for c in placed.values()):
            known[key] = tuple(placed[k].value for k in ROW_KEYS[key])  # type: ignore[misc]
    if ambiguous:
        _choose_by_columns(stream, rows, ambiguous, known, cells, warnings)
    flag_after_empty(rows.values(), "requests", cells, warnings)
    by_order = _read_by_order(stream, tokens, rows, cells, warnings, bool(sub_rows))
    table.single_other = ("other" in rows and bool(rows["other"].values)) or "other" in by_order
    return table


def _choose_by_columns(stream: TokenStream, rows: dict[str, RowRead], ambiguous: dict[str, list[Split]],
                       known: dict[str, Split], cells: dict[CellKey, Cell], warnings: list[ReportWarning]) -> None:
    """Glued rows with several splits: the choice under which most column identities hold."""
    result_rows = [r for r in RESULT_ROWS if r in rows]
    choice, unique = choose_by_columns(ambiguous, known, requests_column_checks(WIDTH, result_rows))
    for key, split in choice.items():
        flags = () if unique else (LOW_CONFIDENCE,)
        confidence = conf.SPLIT_BY_COLUMNS if unique else conf.SPLIT_BY_FEWEST
        cells.update({k: stream.cell(k, t, confidence, "identity", flags)
                      for k, t in zip(ROW_KEYS[key], cut_tokens(rows[key].values, split))})
        if not unique:
            warnings.append(ReportWarning(
                "glued_cells_ambiguous",
                f"requests.{key}: {len(ambiguous[key])} splits of the glued digits fit the row identity and the "
                f"column identities do not single one out; chose {split} by the prior (fewest non-zero cells), "
                "low confidence", ROW_KEYS[key], lines=(rows[key].label.line,)))


def _read_by_order(stream: TokenStream, tokens: Sequence[Token], rows: dict[str, RowRead],
                   cells: dict[CellKey, Cell], warnings: list[ReportWarning], sub_rows: bool) -> set[str]:
    """Rows the label reading could not place with confidence, read by the
    form's row order (``order.py``). Updates ``cells`` and ``warnings``; returns
    the rows read this way."""

    def confident(key: str) -> bool:
        got = [cells.get(k) for k in ROW_KEYS[key]]
        return all(c is not None and LOW_CONFIDENCE not in c.flags for c in got)

    known = {k: tuple(r.values) for k, r in rows.items() if len(r.values) == WIDTH and confident(k)}
    keys = REQUEST_ROWS_BY_FORMAT["2021" if sub_rows else "2019"]
    aligned = align(value_rows(tokens, "requests", WIDTH, requests_row_ok), keys, known)
    if not aligned:
        return set()
    read: set[str] = set()
    for key, row in aligned.items():
        if not row.complete or confident(key):
            continue
        labelled = row.label == key
        for k, tok in zip(ROW_KEYS[key], row.tokens):
            cells[k] = stream.cell(k, tok, conf.ROW_BY_ORDER_LABELLED if labelled else conf.ROW_BY_ORDER,
                                   "rule" if labelled else "order")
        read.add(key)
    if read:
        replaced = {k for key in read for k in ROW_KEYS[key]}
        warnings[:] = [w for w in warnings if not (
            w.code in ("row_width", "ambiguous_row", "glued_cells", "glued_cells_ambiguous")
            and w.cells and set(w.cells) <= replaced)]
    return read
