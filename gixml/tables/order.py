"""Rows read by the form's order, for values printed away from their labels.

Some converters keep every value row of a table but move the labels: a
PDF→Markdown conversion prints label-less rows between labelled ones, a
pdfplumber text centres a label a line above or below its values, and plain
``pdftotext`` prints one cell per line, sometimes a whole block of the table
column by column. Reading by labels (``rows.py``) then leaves rows null or
gives a row two rows' values. The form's row order settles it:

1. **Value rows.** The values of the table's region are cut into rows of the
   table's width: a line holding exactly ``width`` values is a row; runs of
   one-value lines are read either as ``width`` consecutive runs of the same
   length ``n`` (a block printed column by column: ``n`` rows, transposed; with
   ``n = 1`` simply a row printed one cell per line) or as one run of
   ``width`` (a row printed down the page). Where both readings are possible
   the row identity (总计 = the sum of the applicant columns) decides. A
   value that fits no row is a stray and is left out.
2. **Anchors.** A row whose values share a line with a row label, or that the
   label reading already placed with confidence, is anchored to that row.
   Anchors must follow the form's order; if they do not, nothing is read here.
3. **Gaps.** Between two anchors, the unanchored rows are given the form's rows
   in order — only when their counts are equal. Otherwise the gap is left to
   the label reading.

The caller decides which of these readings replace the label reading (only
rows the label reading could not place with confidence).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..lines.tokenise import Token


@dataclass(frozen=True)
class ValueRow:
    """``width`` values read as one row of the table, in column order."""

    tokens: tuple[Token, ...]
    label: str | None = None  # the row label printed on the row's first line
    complete: bool = True  # False: a labelled line with a different count of values (a slot, not read)


def _lines(tokens: Sequence[Token], table: str) -> list[tuple[int, list[Token], str | None]]:
    """(line, value tokens, key of a row label on the line) for each line with values or a row label."""
    out: list[tuple[int, list[Token], str | None]] = []
    for tok in tokens:
        if not out or out[-1][0] != tok.line:
            out.append((tok.line, [], None))
        line, values, label = out[-1]
        if tok.is_value:
            values.append(tok)
        elif tok.kind == "row" and tok.table == table and label is None:
            out[-1] = (line, values, tok.key)
    return [item for item in out if item[1] or item[2]]


def _number(tok: Token) -> int | float:
    return tok.value if tok.value is not None else 0


def _rows_ok(rows: Sequence[Sequence[Token]], check: Callable[[Sequence[int | float]], bool] | None) -> bool:
    return check is None or all(check([_number(t) for t in row]) for row in rows)


def _read_runs(runs: list[list[Token]], width: int, check) -> tuple[list[ValueRow], list[Token]]:
    """Rows from runs of one-value lines (see the module docstring); returns rows and strays."""
    rows: list[ValueRow] = []
    strays: list[Token] = []
    j = 0
    while j < len(runs):
        size = len(runs[j])
        readings: list[tuple[int, list[list[Token]]]] = []  # (runs used, rows)
        block = runs[j:j + width]
        if len(block) == width and all(len(r) == size for r in block):
            readings.append((width, [[block[c][r] for c in range(width)] for r in range(size)]))
        if size % width == 0:
            run = runs[j]
            readings.append((1, [run[k:k + width] for k in range(0, size, width)]))
        passing = [r for r in readings if _rows_ok(r[1], check)]
        chosen = passing[0] if passing else (readings[0] if readings else None)
        if len(passing) > 1 and any(
            [[t.value for t in row] for row in p[1]] != [[t.value for t in row] for row in passing[0][1]]
            for p in passing[1:]
        ):
            chosen = None  # two readings fit and differ: leave the run to the labels
        if chosen is None:
            strays.extend(runs[j])
            j += 1
            continue
        used, read = chosen
        rows.extend(ValueRow(tuple(r)) for r in read)
        j += used
    return rows, strays


def value_rows(tokens: Sequence[Token], table: str, width: int,
               check: Callable[[Sequence[int | float]], bool] | None = None) -> list[ValueRow]:
    """The region's values cut into rows of ``width`` (step 1)."""
    rows: list[ValueRow] = []
    runs: list[list[Token]] = []
    last_line = None

    def flush() -> None:
        if runs:
            read, _ = _read_runs(runs, width, check)
            rows.extend(read)
            runs.clear()

    for line, values, label in _lines(tokens, table):
        if len(values) == 1 and label is None:
            if runs and last_line == line - 1:
                runs[-1].append(values[0])
            else:
                runs.append([values[0]])
            last_line = line
            continue
        if not values:  # a label line between runs: runs may go on past it
            continue
        flush()
        last_line = None
        if len(values) == width:
            rows.append(ValueRow(tuple(values), label))
        elif len(values) % width == 0 and _rows_ok([values[k:k + width] for k in range(0, len(values), width)], check):
            rows.extend(ValueRow(tuple(values[k:k + width]), label if k == 0 else None)
                        for k in range(0, len(values), width))
        else:
            rows.append(ValueRow(tuple(values), label, complete=False))
    flush()
    return rows


def align(rows: Sequence[ValueRow], keys: Sequence[str], known: Mapping[str, tuple[Token, ...]]) -> dict[str, ValueRow] | None:
    """Give the value rows the form's row keys (steps 2 and 3).

    ``known`` holds the rows the label reading placed with confidence (key →
    its tokens). Returns key → row for every row placed, anchored or by order,
    or None when the anchors contradict the form's order.
    """
    index = {k: i for i, k in enumerate(keys)}
    by_tokens = {tuple((t.line, t.start) for t in toks): k for k, toks in known.items()}
    anchors: list[int | None] = []
    for row in rows:
        key = row.label if row.label in index else by_tokens.get(tuple((t.line, t.start) for t in row.tokens))
        anchors.append(index[key] if key is not None and key in index else None)
    placed = [(n, a) for n, a in enumerate(anchors) if a is not None]
    if any(b[1] <= a[1] for a, b in zip(placed, placed[1:])):
        return None
    out: dict[str, ValueRow] = {}
    bounds = [(-1, -1), *placed, (len(rows), len(keys))]
    for (row_a, key_a), (row_b, key_b) in zip(bounds, bounds[1:]):
        if row_b < len(rows):
            out[keys[key_b]] = rows[row_b]
        gap_rows = rows[row_a + 1:row_b]
        gap_keys = keys[key_a + 1:key_b]
        if gap_rows and len(gap_rows) == len(gap_keys):
            out.update(zip(gap_keys, gap_rows))
    return out
