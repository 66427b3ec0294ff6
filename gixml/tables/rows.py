"""Rows read by their labels: each row label claims the values that follow it.

The table readers (``active.py``, ``requests.py``, ``appeals.py``) share this:

- :class:`TokenStream` — the tokens of the report's table lines (``heading``,
  ``label``, ``number``, ``row``; prose, furniture and page numbers are left
  out), read as one stream, and :meth:`TokenStream.cell`, which makes a
  :class:`~gixml.records.Cell` from a value token: its value, its source line
  and span, its confidence and the path that read it;
- :func:`collect_rows` and :func:`dedupe` — each row label and the values that
  follow it up to the next label, one reading per row;
- :func:`place` — a row's values put into its columns: all of them when the
  count matches; as many as the table's widest row when a merged cell prints
  its value once per grid column it spans (:func:`merged_repeats`); fewer only where their tab fields show the
  columns, with low confidence; otherwise nothing, with a ``row_width`` warning.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .. import confidence as conf
from ..lines.labels import TABLE_LABELS, LabelledLine
from ..lines.tokenise import Token
from ..lines.values import header_unit
from ..records import LOW_CONFIDENCE, Cell, CellFlag, CellKey, CellMethod, ReportWarning


class TokenStream:
    """The table tokens of the report, with the labelled line of each."""

    def __init__(self, labelled: Sequence[LabelledLine]):
        self.tokens: list[Token] = []
        self.lines = {ll.line.number: ll for ll in labelled}
        for ll in labelled:
            if ll.label in TABLE_LABELS:
                self.tokens.extend(ll.tokens)

    def cell(self, key: CellKey, token: Token, confidence: float, method: CellMethod = "rule",
             flags: tuple[CellFlag, ...] = ()) -> Cell:
        """The cell ``key`` read from ``token`` by ``method``, with the path's
        ``confidence`` times its line's labelling confidence."""
        labelled = self.lines[token.line]
        line = labelled.line
        span = line.raw_span(token.start, token.end)
        if method == "rule" and labelled.method == "model":
            method = "model"  # the classifier, not the rules, decided that this line holds cells
        return Cell(key, token.value, token.unit, token.line, line.raw, line.raw[span[0]:span[1]], span,
                    round(confidence * labelled.confidence, 4), method, flags)


@dataclass
class RowRead:
    """A row label and the values that followed it."""

    key: str
    label: Token
    values: list[Token] = field(default_factory=list)
    headers: set[str] = field(default_factory=set)
    unit: str | None = None
    values_before: list[Token] = field(default_factory=list)  # unclaimed values printed just before the label
    after_empty: str | None = None  # the row printed just before, label only: these values may be its


def collect_rows(tokens: Iterable[Token], table: str, warnings: list[ReportWarning]) -> list[RowRead]:
    """Each row label of ``table`` and the values after it, up to the next label."""
    rows: list[RowRead] = []
    current: RowRead | None = None
    headers: set[str] = set()
    unit: str | None = None
    stray: list[Token] = []
    for tok in tokens:
        if tok.kind == "subtable":
            headers, unit, current = set(), None, None
        elif tok.kind == "column" and tok.table in (table, None):
            headers.add(tok.key or "")
            unit = header_unit(tok.text) or unit
        elif tok.kind == "text" and header_unit(tok.text):
            unit = header_unit(tok.text)
            if current:
                current.unit = current.unit or unit
        elif tok.kind == "row" and tok.table == table:
            previous = current
            current = RowRead(tok.key or "", tok, headers=headers, unit=unit)
            if (previous is not None and not previous.values and previous.key != current.key
                    and not (previous.key == "other" and current.key.startswith("other_"))):
                current.after_empty = previous.key
            rows.append(current)
            if stray:  # values printed before the first label they could belong to
                current.values_before = stray
                stray = []
        elif tok.kind == "group" and tok.table == table:
            current = None
        elif tok.kind == "row":  # another table's row label inside this region
            current = None
        elif tok.is_value:
            if current is not None:
                current.values.append(tok)
            else:
                stray.append(tok)
    if stray:
        warnings.append(ReportWarning(
            "stray_values", f"{table}: {len(stray)} value(s) after the last row label that belong to no row: "
            + " ".join(t.text for t in stray[:10]), lines=tuple(sorted({t.line for t in stray}))))
    return rows


def dedupe(rows: list[RowRead], table: str, warnings: list[ReportWarning]) -> dict[str, RowRead]:
    """One reading per row key: the first one that has values."""
    out: dict[str, RowRead] = {}
    for row in rows:
        if not row.values and row.values_before:
            row.values = row.values_before  # a column-wise layout printed the values before the label
        if row.key in out:
            if row.values and out[row.key].values:
                warnings.append(ReportWarning(
                    "duplicate_row", f"{table}.{row.key} is printed twice (lines {out[row.key].label.line} and "
                    f"{row.label.line}); the first is kept", lines=(out[row.key].label.line, row.label.line)))
                continue
            if not row.values:
                continue
        out[row.key] = row
    return out


def place(stream: TokenStream, table: str, row: RowRead, cols: Sequence[str], warnings: list[ReportWarning],
          ref_field: int | None, own_field: int | None = None, grid: int | None = None) -> dict[CellKey, Cell]:
    """Put a row's values into its columns, or explain why not.

    A row printing as many values as the table's ``grid`` (its widest row)
    where it has fewer columns may be merged cells repeated (:func:`merged_repeats`).

    A row printing fewer values than columns is placed by its tab fields: by
    ``ref_field``, where the table's complete rows start their values, else by
    ``own_field``, where the row's own line starts them (see :func:`table_start_field`
    and :func:`row_start_field`)."""
    keys = [CellKey(table, row.key, col) for col in cols]
    values = row.values
    non_blank = [v for v in values if v.kind == "value"]
    lines = tuple(sorted({row.label.line, *(v.line for v in values)}))
    if len(values) == len(cols):
        return {k: stream.cell(k, v, conf.ROW_EXACT) for k, v in zip(keys, values)}
    if len(non_blank) == len(cols):  # stray blank entries between the cells
        return {k: stream.cell(k, v, conf.BLANKS_DROPPED) for k, v in zip(keys, non_blank)}
    if not values:
        return {}
    merged = merged_repeats(values, len(cols)) if len(values) == grid else None
    if merged is not None:
        return {k: stream.cell(k, v, conf.MERGED_REPEATS) for k, v in zip(keys, merged)}
    printed = " ".join(v.text for v in values)
    for ref in (ref_field, own_field):
        if not (len(values) < len(cols) and ref is not None and len({v.line for v in values}) == 1):
            continue
        # Tab-separated fields say which column each value sits in.
        positions = [v.field - ref for v in values]
        if all(0 <= p < len(cols) for p in positions) and len(set(positions)) == len(positions):
            placed = {keys[p]: stream.cell(keys[p], v, conf.BY_TAB_FIELDS, flags=(LOW_CONFIDENCE,))
                      for p, v in zip(positions, values)}
            missing = [k for k in keys if k not in placed]
            warnings.append(ReportWarning(
                "row_width", f"{table}.{row.key}: {len(values)} values printed for {len(cols)} columns ({printed!r}); "
                f"placed by their tab-separated fields, {', '.join(map(str, missing))} left null",
                tuple(missing), lines=lines))
            return placed
    warnings.append(ReportWarning(
        "row_width", f"{table}.{row.key}: {len(values)} values printed for {len(cols)} columns ({printed!r}); "
        "cannot tell which value belongs to which column, cells left null", tuple(keys), lines=lines))
    return {}


#: The warnings about cells that a later reading (by the form's order, by matching) reads again.
REPLACED_WARNINGS = ("row_width", "ambiguous_row", "glued_cells", "glued_cells_ambiguous", "order_uncertain")


def drop_replaced_warnings(warnings: list[ReportWarning], replaced: set[CellKey]) -> None:
    """Remove the warnings about cells all of which a later reading has read again."""
    warnings[:] = [w for w in warnings if not (w.code in REPLACED_WARNINGS and w.cells and set(w.cells) <= replaced)]


def merged_repeats(values: Sequence[Token], width: int) -> list[Token] | None:
    """A row printing more values than it has columns because merged cells
    repeat: a cell spanning three grid columns is printed three times
    (``行政许可 2418 2418 2418`` for one column, ``14 78104.6 78104.6`` for
    two), as a Word table read cell by cell of its grid gives it, each cell
    alone on its line or in its tab field, each repeat on the line after the
    last or on the same line (only such values are read here). The values
    are cut into ``width`` runs of equal printed values, one per column; the
    first token of each run is the cell. None unless every such cut gives the
    same cells: ``5 5 3`` for two columns is 5, 3, but ``5 5 3 3`` for three
    could be 5, 5, 3 or 5, 3, 3 and is not read; ``0 0 0`` for two is 0, 0,
    but six zeros for three may be two rows, and are not read here."""
    n = len(values)
    if n <= width or not all(v.alone for v in values):
        return None
    texts = [v.text for v in values]
    runs = [0] + [i for i in range(1, n) if texts[i] != texts[i - 1]]  # where each run of equal values starts
    if any(values[i].line - values[i - 1].line > 1 for i in range(1, n) if i not in runs):
        return None  # a repeat is printed right after the cell it repeats, not lines later
    if len(runs) > width:
        return None
    if len(runs) == width:
        return [values[i] for i in runs]
    if len(runs) == 1 and n < 2 * width:  # all equal (``0 0 0`` for two columns), and not two whole rows
        return list(values[:width])
    return None


def row_start_field(stream: TokenStream, row: RowRead, width: int) -> int | None:
    """The tab field of the first column when a row's label and values share a
    line that prints exactly one field per column, empty ones included
    (``规章\\t0\\t\\t0``, as PDF and Word tables read; empty fields past the
    last column are ignored)."""
    label = row.label
    if not row.values or any(v.line != label.line for v in row.values) or label.line not in stream.lines:
        return None
    fields = stream.lines[label.line].line.text.split("\t")[label.field + 1:]
    while len(fields) > width and not fields[-1].strip():
        fields.pop()  # an empty column the format does not have (a blank header cell)
    if len(fields) != width:
        return None
    return label.field + 1


def table_start_field(rows: Iterable[RowRead], width: int) -> int | None:
    """The tab field where the first value sits in complete single-line rows."""
    starts = Counter(
        r.values[0].field for r in rows
        if len(r.values) == width and len({v.line for v in r.values}) == 1 and r.values[0].field > 0
    )
    if not starts:
        return None
    return starts.most_common(1)[0][0]


def flag_after_empty(rows: Iterable[RowRead], table: str, cells: dict[CellKey, Cell],
                     warnings: list[ReportWarning]) -> None:
    """Two row labels, then one row of values: the values may be the first
    row's. They are kept on the row they follow, with low confidence."""
    for row in rows:
        if not row.after_empty:
            continue
        keys = [k for k, c in cells.items() if k.table == table and k.row == row.key and c.value is not None]
        if not keys:
            continue
        for k in keys:
            c = cells[k]
            if LOW_CONFIDENCE not in c.flags:
                cells[k] = c.flagged(LOW_CONFIDENCE, confidence=round(c.confidence * conf.AMBIGUOUS_ROW, 4))
        warnings.append(ReportWarning(
            "ambiguous_row", f"{table}.{row.after_empty} is printed without values just before {table}.{row.key}; "
            f"the values that follow are read as {row.key}'s, low confidence", tuple(keys), lines=(row.label.line,)))


def uniform_values(stream: TokenStream, tokens: Sequence[Token], keys: Sequence[CellKey],
                   cells: dict[CellKey, Cell], warnings: list[ReportWarning]) -> list[CellKey]:
    """A table no reading could place any cell of, when its region holds
    exactly as many values as the table has cells, all the same number (a
    table of zeros whose layout was lost, as plain ``pdftotext`` prints a
    table block by block): whatever order the layout printed them in, each
    cell is that number. Each cites one of the values, in the order printed.
    Not for a table partly read: a cell left unread there may be printed
    blank, and a stray value elsewhere would fill it. Updates ``cells`` and
    ``warnings``; returns the keys read this way."""
    unread = [k for k in keys if k not in cells or cells[k].line is None]
    if len(unread) < len(keys):
        return []  # a table partly read shows its layout; a cell left unread there may be printed blank
    left = [t for t in tokens if t.is_value]
    if len(left) != len(unread) or any(t.kind != "value" for t in left) or len({t.value for t in left}) != 1:
        return []
    for k, t in zip(unread, left):
        cells[k] = stream.cell(k, t, conf.UNIFORM_VALUES, "order")
    drop_replaced_warnings(warnings, set(unread))
    table = unread[0].table
    warnings.append(ReportWarning(
        "order_lost", f"{table}: no cell could be placed by its label; the table's region holds exactly "
        f"{len(left)} values, all {left[0].text}, so each of those cells is {left[0].text} whatever order "
        "the layout printed them in", tuple(unread), lines=tuple(sorted({t.line for t in left}))))
    return unread
