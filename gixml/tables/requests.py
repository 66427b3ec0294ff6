"""The 收到和处理政府信息公开申请 table: 23 rows (25 in format 2021) of seven columns.

Four readings, in order:

1. **By labels** (``rows.py``): each row label claims the values after it.
2. **Glued rows**: a row printed as digit runs is split where the row identity
   (总计 = the sum of the six applicant columns) holds; several splits are
   settled by the column identities across rows (``identities.py``), else by
   the fewest non-zero cells, with low confidence.
3. **By the form's row order** (``order.py``): rows the labels could not place
   with confidence (values printed away from their labels, blocks printed
   column by column), between rows anchored by their labels, only where the
   counts match.
4. **By matching** (``matching.py``): each line of seven values given to the
   row label just above or just below it; when that reading fills more rows or
   breaks fewer of the table's identities than the readings above, it replaces
   them (values printed above their labels, as ``pdftotext -layout`` prints tall
   cells).

The format shows in the （六） sub-rows that only format 2021 prints.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import confidence as conf
from ..forms import OTHER_SUB_ROWS, REQUEST_COLS, REQUEST_ROWS_BY_FORMAT, RESULT_ROWS
from ..lines.tokenise import Token
from ..records import LOW_CONFIDENCE, Cell, CellKey, ReportWarning
from .glued import Split, choose_by_columns, cut_tokens, is_glued, line_joins, split_row
from .identities import requests_column_checks, requests_row_ok
from .matching import Matching, adopt, choose, matchings
from .order import align, value_rows
from .rows import (
    RowRead,
    TokenStream,
    collect_rows,
    dedupe,
    drop_replaced_warnings,
    flag_after_empty,
    place,
    row_start_field,
    table_start_field,
    uniform_values,
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
        joined = _wrapped(stream, key, row, warnings) if len(row.values) > WIDTH else None
        if joined:
            cells.update(joined)
            known[key] = tuple(joined[k].value for k in ROW_KEYS[key])  # type: ignore[misc]
            continue
        placed = place(stream, "requests", row, REQUEST_COLS, warnings, ref, row_start_field(stream, row, WIDTH))
        cells.update(placed)
        if len(placed) == WIDTH and all(isinstance(c.value, int) for c in placed.values()):
            known[key] = tuple(placed[k].value for k in ROW_KEYS[key])  # type: ignore[misc]
    if ambiguous:
        _choose_by_columns(stream, rows, ambiguous, known, cells, warnings)
    flag_after_empty(rows.values(), "requests", cells, warnings)
    by_order = _read_by_order(stream, tokens, rows, cells, warnings, bool(sub_rows))
    _read_by_matching(stream, tokens, cells, warnings, bool(sub_rows))
    if table.format:
        uniform_values(stream, tokens, [k for r in REQUEST_ROWS_BY_FORMAT[table.format] for k in ROW_KEYS[r]],
                       cells, warnings)
    table.single_other = ("other" in rows and bool(rows["other"].values)) or "other" in by_order
    return table


def _wrapped(stream: TokenStream, key: str, row: RowRead, warnings: list[ReportWarning]) -> dict[CellKey, Cell]:
    """A row printing more values than columns because a narrow column wrapped
    a cell over two lines (``128`` / ``1`` for 1281): the values joined across
    the line break where 总计 = the sum of the applicant columns, when exactly
    one joining fits. Adds a ``wrapped_cells`` warning; empty when none or
    several fit."""
    joins = line_joins(row.values, WIDTH, requests_row_ok)
    if len({tuple(t.value for t in toks) for toks in joins}) != 1:
        return {}
    toks = joins[0]
    joined = [t for t in toks if t not in row.values]
    warnings.append(ReportWarning(
        "wrapped_cells", f"requests.{key}: {len(row.values)} values printed for {WIDTH} columns; "
        f"{', '.join(t.text for t in joined)} printed over two lines (a narrow column) joined where 总计 = the sum "
        "of the applicant columns", ROW_KEYS[key], lines=tuple(sorted({v.line for v in row.values}))))
    return {k: stream.cell(k, t, conf.JOINED_ACROSS_LINES, "identity") for k, t in zip(ROW_KEYS[key], toks)}


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
    from_runs: list[str] = []
    for key, row in aligned.items():
        if not row.complete or confident(key):
            continue
        labelled = row.label == key
        confidence, flags = (conf.ROW_BY_ORDER_LABELLED if labelled else conf.ROW_BY_ORDER), ()
        if not labelled and len({t.line for t in row.tokens}) > 1:
            confidence, flags = conf.ROW_BY_ORDER_FROM_RUNS, (LOW_CONFIDENCE,)
            from_runs.append(key)
        for k, tok in zip(ROW_KEYS[key], row.tokens):
            cells[k] = stream.cell(k, tok, confidence, "rule" if labelled else "order", flags)
        read.add(key)
    if read:
        drop_replaced_warnings(warnings, {k for key in read for k in ROW_KEYS[key]})
    if from_runs:
        keys = tuple(k for key in from_runs for k in ROW_KEYS[key])
        lines = tuple(sorted({t.line for key in from_runs for t in aligned[key].tokens}))
        shown = ", ".join(from_runs[:6]) + (f" and {len(from_runs) - 6} more" if len(from_runs) > 6 else "")
        warnings.append(ReportWarning(
            "order_uncertain", f"requests: {len(from_runs)} row(s) printed one value per line away from their "
            f"labels ({shown}) were placed by the form's row order; a layout that prints a table's columns in "
            "pieces can put them a row off, low confidence", keys, lines=lines))
    return read


def _table_rows(cells: dict[CellKey, Cell]) -> dict[str, tuple[int | float, ...]]:
    """The rows of ``cells`` read whole: key → values (a blank as 0, for the identities)."""
    out: dict[str, tuple[int | float, ...]] = {}
    for key, keys in ROW_KEYS.items():
        got = [cells.get(k) for k in keys]
        if all(c is not None and c.line is not None for c in got):
            out[key] = tuple(c.value or 0 for c in got)  # type: ignore[union-attr]
    return out


def _failures(rows: dict[str, tuple[int | float, ...]]) -> int:
    """How many of the table's column identities ``rows`` break."""
    checks = requests_column_checks(WIDTH, [r for r in RESULT_ROWS if r in rows])
    return sum(1 for check in checks if check(rows) is False)  # type: ignore[arg-type]


def _read_by_matching(stream: TokenStream, tokens: Sequence[Token], cells: dict[CellKey, Cell],
                      warnings: list[ReportWarning], sub_rows: bool) -> None:
    """The matching reading (``matching.py``), taken in place of the readings
    before it when it fills more rows with no more broken identities, or
    breaks fewer. Several matchings: the one breaking fewest identities, then
    the most consistent (``matching.choose``); when those still differ in a
    value, nothing changes. Updates ``cells`` and ``warnings``."""
    keys = REQUEST_ROWS_BY_FORMAT["2021" if sub_rows else "2019"]
    found = matchings(tokens, "requests", {k: (WIDTH,) for k in (*keys, "other")})
    if not found:
        return

    def failures(m: Matching) -> int:
        return _failures({k: tuple(t.value or 0 for t in v) for k, v in m.rows.items()})

    chosen = choose(found, failures)
    if chosen is None:
        return  # the identities and the layout do not single one out
    fewest = failures(chosen)
    current = _table_rows(cells)
    if not (fewest < _failures(current) or (fewest == _failures(current) and len(chosen.rows) > len(current))):
        return
    adopt(stream, chosen, lambda key, n: ROW_KEYS.get(key, ()), cells, warnings)
