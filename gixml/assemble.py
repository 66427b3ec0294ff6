"""Stage 5 — assemble: labelled lines → the cells of the three tables.

Values are placed by **labels**, never by position alone:

1. The tokens of table lines (``heading``/``label``/``number``/``row``; prose,
   furniture and page numbers are left out) are read as one stream.
2. Each table's region runs from its section title to the next section title
   of another table (when a title is printed more than once, e.g. in a table of
   contents, the region holding most of the table's labels wins).
3. In ``active`` and ``requests`` each row label claims the values that follow
   it up to the next label; the row's columns come from the format (and, for
   行政事业性收费, from the sub-table's header). In ``appeals`` the fifteen
   values of the single data row follow the headers.
4. A row whose count of values matches its columns is placed with the rules
   (``method="rule"``). A row with fewer values is placed only where the
   tab-separated fields show which column each value sits in, with low
   confidence; otherwise its cells stay null with a warning. A glued digit
   run is never split here (see ``split.py`` for that step).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .labels import TABLE_LABELS, LabelledLine
from .order import align, value_rows
from .report import LOW_CONFIDENCE, UNDETERMINED, Cell, ReportWarning
from .split import appeals_gap, appeals_held, appeals_ok, candidate_splits, choose_by_columns, prior_key, requests_row_ok
from .templates import (
    ACTIVE_COLUMNS_BY_ROW,
    APPEAL_COLS,
    APPEAL_ROWS,
    REQUEST_COLS,
    REQUEST_ROWS_BY_FORMAT,
    RESULT_ROWS,
    cell_keys,
)
from .tokenise import Token
from .values import header_unit, parse_value

FORMAT_2019_COLUMNS = {"new_made", "new_published", "total_published", "previous", "change", "projects", "amount", "decisions"}
FORMAT_2021_COLUMNS = {"issued", "repealed", "in_force", "fee_amount", "decisions_2021"}
SPLITTABLE_ROWS = {"other"}


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


@dataclass
class Tables:
    """What the assembler read: the format, every cell, units and warnings."""

    format: str | None
    cells: dict[str, Cell]
    units: dict[str, str]
    warnings: list[ReportWarning]
    table_formats: dict[str, str | None]
    regions: dict[str, tuple[int, int] | None]


@lru_cache(maxsize=2048)
def _absent(key: str, printed: bool) -> Cell:
    """A cell with no value: ``undetermined`` when its table is printed (cells
    are immutable, so reports share these)."""
    return Cell(key, None, flags=(UNDETERMINED,) if printed else ())


class _Stream:
    """The table tokens of the report, with the source line of each."""

    def __init__(self, labelled: Sequence[LabelledLine]):
        self.tokens: list[Token] = []
        self.lines = {ll.line.number: ll for ll in labelled}
        for ll in labelled:
            if ll.label in TABLE_LABELS:
                self.tokens.extend(ll.tokens)

    def cell(self, key: str, token: Token, confidence: float, method: str = "rule", flags: tuple[str, ...] = ()) -> Cell:
        labelled = self.lines[token.line]
        line = labelled.line
        span = line.raw_span(token.start, token.end)
        if method == "rule" and labelled.method == "model":
            method = "model"  # the classifier, not the rules, decided that this line holds cells
        return Cell(key, token.value, token.unit, token.line, line.raw, line.raw[span[0]:span[1]], span,
                    round(confidence * labelled.confidence, 4), method, flags)


def _run(tok: Token, tail_ok: bool) -> str | None:
    """The digits a value token offers for splitting: a plain digit run, or (for
    the last value of a row whose last column may carry decimals and a unit,
    ``13575394432.52元``) the integer digits before the decimals and unit."""
    if tok.kind != "value":
        return None
    if tok.text.isdigit():
        return tok.text
    if tok.text[:1] == "-" and tok.text[1:].isdigit():  # its first cell is negative
        return tok.text[1:]
    if tail_ok and tok.digits and tok.text[:1].isdigit():
        return tok.digits.split(".")[0]
    return None


def _glued(values: Sequence[Token], width: int, tail_ok: bool = False) -> bool:
    """Plain digit runs (no sign; a unit or decimals only at the very end, when
    ``tail_ok``), fewer tokens than cells, and at least one run glued to a label
    or to other text (so it may hold several cells); a value filling its own
    line or tab field is one cell."""
    runs = [_run(v, tail_ok and i == len(values) - 1) for i, v in enumerate(values)]
    return (
        0 < len(values) < width
        and all(r is not None for r in runs)
        and sum(len(r or "") for r in runs) >= width
        and any(_splittable(v) for v in values)
    )


def _splittable(tok: Token) -> bool:
    return len(tok.text) > 1 and not tok.alone


def _split_row(values: Sequence[Token], width: int, check=None) -> list[tuple[int, ...]]:
    runs = [_run(v, i == len(values) - 1) or "" for i, v in enumerate(values)]
    return candidate_splits(runs, width, check, [_splittable(v) for v in values])


def _parts(values: Sequence[Token], split: Sequence[int]) -> list[Token]:
    """The tokens of each cell of a split, cut out of the glued runs that hold
    them. A run printed with a minus (``-18538``) gives a negative first cell;
    the row's last cell keeps the decimals and unit printed after its run."""
    out: list[Token] = []
    queue = list(values)
    tok, pos = queue.pop(0), 0
    for n, value in enumerate(split):
        if pos >= len(_run(tok, True) or ""):
            tok, pos = queue.pop(0), 0
        offset = 1 if tok.text[:1] == "-" else 0
        start = tok.start + offset + pos
        end = start + len(str(value))
        number: int | float = value
        unit = None
        if offset and pos == 0:
            start, number = start - 1, -value
        if n == len(split) - 1 and end < tok.end:  # "…432" + ".52元"
            end = tok.end
        text = tok.text[start - tok.start:end - tok.start]
        if end == tok.end and not text.lstrip("-").isdigit():
            parsed = parse_value(text)
            if parsed is not None and parsed.value is not None:
                number, unit = parsed.value, parsed.unit
        out.append(Token("value", tok.line, start, end, text, value=number, unit=unit, digits=text.lstrip("-"),
                         field=tok.field))
        pos += len(str(value))
    return out


def _regions(tokens: Sequence[Token]) -> dict[str, tuple[int, int] | None]:
    """Token index ranges [start, end) of each table's region."""
    sections = [i for i, t in enumerate(tokens) if t.kind == "section"]
    out: dict[str, tuple[int, int] | None] = {}
    for table in ("active", "requests", "appeals"):
        best, best_score = None, 0
        for n, i in enumerate(sections):
            if tokens[i].key != table or (n > 0 and tokens[sections[n - 1]].key == table):
                continue
            m = n  # the title printed again right away (a table caption under the section title): one region
            while m + 1 < len(sections) and tokens[sections[m + 1]].key == table:
                m += 1
            end = sections[m + 1] if m + 1 < len(sections) else len(tokens)
            score = sum(1 for t in tokens[i + 1:end] if t.table == table and t.is_label)
            score += sum(1 for t in tokens[i + 1:end] if t.is_value) // 8
            if score > 0 and score >= best_score:
                best, best_score = (i + 1, end), score
        if best is None:
            best = _fallback_region(tokens, table, sections)
        out[table] = best
    return out


def _fallback_region(tokens: Sequence[Token], table: str, sections: list[int]) -> tuple[int, int] | None:
    """Without a section title: from the table's first label to the next section
    title or the first label of another table's rows."""
    own = [i for i, t in enumerate(tokens) if t.table == table and t.kind in ("row", "group")]
    if table == "appeals":
        own = [i for i, t in enumerate(tokens) if t.table == "appeals" and t.kind == "column"]
    if not own:
        return None
    start = own[0]
    end = len(tokens)
    for i in range(start + 1, len(tokens)):
        t = tokens[i]
        if t.kind == "section" or (t.kind in ("row", "group") and t.table not in (table, None)):
            end = i
            break
    return (start, end)


def _place(
    stream: _Stream,
    table: str,
    row: RowRead,
    cols: Sequence[str],
    warnings: list[ReportWarning],
    ref_field: int | None,
    own_field: int | None = None,
) -> dict[str, Cell]:
    """Put a row's values into its columns, or explain why not.

    A row printing fewer values than columns is placed by its tab fields: by
    ``ref_field``, where the table's complete rows start their values, else by
    ``own_field``, where the row's own line starts them (see ``_own_fields``)."""
    keys = [f"{table}.{row.key}.{col}" for col in cols]
    values = row.values
    non_blank = [v for v in values if v.kind == "value"]
    lines = tuple(sorted({row.label.line, *(v.line for v in values)}))
    if len(values) == len(cols):
        return {k: stream.cell(k, v, 0.97) for k, v in zip(keys, values)}
    if len(non_blank) == len(cols):  # stray blank entries between the cells
        return {k: stream.cell(k, v, 0.9) for k, v in zip(keys, non_blank)}
    if not values:
        return {}
    printed = " ".join(v.text for v in values)
    for ref in (ref_field, own_field):
        if not (len(values) < len(cols) and ref is not None and len({v.line for v in values}) == 1):
            continue
        # Tab-separated fields say which column each value sits in.
        positions = [v.field - ref for v in values]
        if all(0 <= p < len(cols) for p in positions) and len(set(positions)) == len(positions):
            placed = {keys[p]: stream.cell(keys[p], v, 0.6, flags=(LOW_CONFIDENCE,)) for p, v in zip(positions, values)}
            missing = [k for k in keys if k not in placed]
            warnings.append(
                ReportWarning(
                    "row_width",
                    f"{table}.{row.key}: {len(values)} values printed for {len(cols)} columns ({printed!r}); "
                    f"placed by their tab-separated fields, {', '.join(missing)} left null",
                    tuple(missing),
                    lines=lines,
                )
            )
            return placed
    warnings.append(
        ReportWarning(
            "row_width",
            f"{table}.{row.key}: {len(values)} values printed for {len(cols)} columns ({printed!r}); "
            "cannot tell which value belongs to which column, cells left null",
            tuple(keys),
            lines=lines,
        )
    )
    return {}


def _collect_rows(tokens: Iterable[Token], table: str, warnings: list[ReportWarning]) -> list[RowRead]:
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
        warnings.append(
            ReportWarning(
                "stray_values",
                f"{table}: {len(stray)} value(s) after the last row label that belong to no row: "
                + " ".join(t.text for t in stray[:10]),
                lines=tuple(sorted({t.line for t in stray})),
            )
        )
    return rows


def _dedupe(rows: list[RowRead], table: str, warnings: list[ReportWarning]) -> dict[str, RowRead]:
    """One reading per row key: the first one that has values."""
    out: dict[str, RowRead] = {}
    for row in rows:
        if not row.values and row.values_before:
            row.values = row.values_before  # a column-wise layout printed the values before the label
        if row.key in out:
            if row.values and out[row.key].values:
                warnings.append(
                    ReportWarning(
                        "duplicate_row",
                        f"{table}.{row.key} is printed twice (lines {out[row.key].label.line} and {row.label.line}); "
                        "the first is kept",
                        lines=(out[row.key].label.line, row.label.line),
                    )
                )
                continue
            if not row.values:
                continue
        out[row.key] = row
    return out


def _own_fields(stream: _Stream, row: RowRead, width: int) -> int | None:
    """The tab field of the first column when a row's label and values share a
    line that prints exactly one field per column, empty ones included
    (``规章\t0\t\t0``, as PDF and Word tables read; empty fields past the
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


def _reference_field(rows: Iterable[RowRead], width: int) -> int | None:
    """The tab field where the first value sits in complete single-line rows."""
    starts = Counter(
        r.values[0].field for r in rows
        if len(r.values) == width and len({v.line for v in r.values}) == 1 and r.values[0].field > 0
    )
    if not starts:
        return None
    return starts.most_common(1)[0][0]


def _flag_after_empty(rows: Iterable[RowRead], table: str, cells: dict[str, Cell],
                      warnings: list[ReportWarning]) -> None:
    """Two row labels, then one row of values: the values may be the first
    row's. They are kept on the row they follow, with low confidence."""
    for row in rows:
        if not row.after_empty:
            continue
        keys = [k for k, c in cells.items() if k.startswith(f"{table}.{row.key}.") and c.value is not None]
        if not keys:
            continue
        for k in keys:
            c = cells[k]
            if LOW_CONFIDENCE not in c.flags:
                cells[k] = c.flagged(LOW_CONFIDENCE, confidence=round(c.confidence * 0.5, 4))
        warnings.append(ReportWarning(
            "ambiguous_row",
            f"{table}.{row.after_empty} is printed without values just before {table}.{row.key}; the values "
            f"that follow are read as {row.key}'s, low confidence", tuple(keys), lines=(row.label.line,)))


def _active(stream: _Stream, tokens: Sequence[Token], warnings: list[ReportWarning]) -> tuple[str | None, dict[str, Cell], dict[str, str], bool]:
    rows = _dedupe(_collect_rows(tokens, "active", warnings), "active", warnings)
    headers = {t.key for t in tokens if t.kind == "column" and t.table == "active"}
    score19 = len(headers & FORMAT_2019_COLUMNS) + sum(k in rows for k in ("other_services", "procurement"))
    score21 = len(headers & FORMAT_2021_COLUMNS)
    fmt: str | None = None
    if score19 > score21:
        fmt = "2019"
    elif score21 > score19:
        fmt = "2021"
    elif "licensing" in rows and rows["licensing"].values:
        fmt = "2019" if len(rows["licensing"].values) >= 3 else "2021"
    if fmt is None:
        return None, {}, {}, False
    cells: dict[str, Cell] = {}
    units: dict[str, str] = {}
    fees_decisions = False
    for key, row in rows.items():
        cols = ACTIVE_COLUMNS_BY_ROW[fmt].get(key)
        if cols is None:
            warnings.append(
                ReportWarning("row_not_in_format", f"active.{key} is printed but is not a row of format {fmt}",
                              lines=(row.label.line,))
            )
            continue
        if key == "fees" and fmt == "2019" and ("decisions" in row.headers or len(row.values) == 3):
            cols = cols + ("decisions",)
            fees_decisions = True
        if _glued(row.values, len(cols), tail_ok=True):
            placed = _place_glued(stream, "active", row, cols, fmt, warnings)
        else:
            placed = _place(stream, "active", row, cols, warnings, None, _own_fields(stream, row, len(cols)))
        cells.update(placed)
        for k, cell in placed.items():
            if k.endswith(".amount"):
                unit = cell.unit or row.unit
                if unit:
                    units[k] = unit
    _flag_after_empty(rows.values(), "active", cells, warnings)
    return fmt, cells, units, fees_decisions


def _place_glued(stream: _Stream, table: str, row: RowRead, cols: Sequence[str], fmt: str,
                 warnings: list[ReportWarning]) -> dict[str, Cell]:
    """A row without an identity: a glued run's only split, or else the split
    the value prior (``prior.py``) finds likeliest, with low confidence."""
    candidates = _split_row(row.values, len(cols))
    keys = [f"{table}.{row.key}.{col}" for col in cols]
    if len(candidates) == 1:
        return {k: stream.cell(k, t, 0.9, "identity") for k, t in zip(keys, _parts(row.values, candidates[0]))}
    printed = " ".join(v.text for v in row.values)
    lines = tuple(sorted({v.line for v in row.values}))
    if not candidates:
        warnings.append(ReportWarning(
            "glued_cells", f"{table}.{row.key}: the digits {printed!r} cannot be cut into {len(cols)} cells; "
            "cells left null", tuple(keys), lines=lines))
        return {}
    from .prior import default_prior

    prior = default_prior()
    units = [None] * (len(cols) - 1) + [row.values[-1].unit or row.unit]
    readings = [_parts(row.values, s) for s in candidates]
    readings.sort(key=lambda parts: -prior.score(fmt, row.key, cols, [t.value or 0 for t in parts], units))
    shown = ["/".join(t.text for t in parts) for parts in readings[:4]]
    warnings.append(ReportWarning(
        "glued_cells_ambiguous",
        f"{table}.{row.key}: the digits {printed!r} hold {len(cols)} cells glued together and {len(candidates)} ways "
        f"to cut them fit the form; took {shown[0]} as the likeliest by the value prior "
        f"(next: {', '.join(shown[1:])}), low confidence", tuple(keys), lines=lines))
    return {k: stream.cell(k, t, 0.4, "prior", (LOW_CONFIDENCE,)) for k, t in zip(keys, readings[0])}


def _column_checks(width: int, result_rows: Sequence[str]) -> list:
    """The requests table's column identities as checks over {row: 7 values}."""
    checks = []
    for c in range(width):
        def results_total(t: dict, c: int = c) -> bool | None:
            if "total" not in t:
                return None
            present = [t[r][c] for r in result_rows if r in t]
            return bool(present) and sum(present) == t["total"][c]

        def balance(t: dict, c: int = c) -> bool | None:
            if not all(r in t for r in ("new_received", "carried_over", "total", "carried_forward")):
                return None
            return t["new_received"][c] + t["carried_over"][c] == t["total"][c] + t["carried_forward"][c]

        checks += [results_total, balance]
    return checks


def _requests(stream: _Stream, tokens: Sequence[Token], warnings: list[ReportWarning]) -> tuple[str | None, dict[str, Cell], bool]:
    rows = _dedupe(_collect_rows(tokens, "requests", warnings), "requests", warnings)
    sub_rows = [k for k in ("other_no_correction", "other_no_fee", "other_other") if k in rows]
    fmt = "2021" if sub_rows else ("2019" if rows else None)
    single_other = "other" in rows and bool(rows["other"].values)
    ref = _reference_field(rows.values(), len(REQUEST_COLS))
    width = len(REQUEST_COLS)
    cells: dict[str, Cell] = {}
    known: dict[str, tuple[int, ...]] = {}
    ambiguous: dict[str, list[tuple[int, ...]]] = {}
    for key, row in rows.items():
        if _glued(row.values, width):
            candidates = _split_row(row.values, width, requests_row_ok)
            if len(candidates) == 1:
                known[key] = candidates[0]
                cells.update({f"requests.{key}.{col}": stream.cell(f"requests.{key}.{col}", t, 0.9, "identity")
                              for col, t in zip(REQUEST_COLS, _parts(row.values, candidates[0]))})
            elif candidates:
                ambiguous[key] = candidates
            else:
                warnings.append(ReportWarning(
                    "glued_cells",
                    f"requests.{key}: no split of the digits {' '.join(v.text for v in row.values)!r} into "
                    f"{width} cells gives 总计 = the sum of the applicant columns; cells left null",
                    tuple(f"requests.{key}.{c}" for c in REQUEST_COLS), lines=(row.label.line,)))
            continue
        placed = _place(stream, "requests", row, REQUEST_COLS, warnings, ref, _own_fields(stream, row, width))
        cells.update(placed)
        if len(placed) == width and all(isinstance(c.value, int) for c in placed.values()):
            known[key] = tuple(placed[f"requests.{key}.{col}"].value for col in REQUEST_COLS)  # type: ignore[misc]
    if ambiguous:
        result_rows = [r for r in RESULT_ROWS if r in rows]
        choice, unique = choose_by_columns(ambiguous, known, _column_checks(width, result_rows))
        for key, split in choice.items():
            flags = () if unique else (LOW_CONFIDENCE,)
            confidence = 0.85 if unique else 0.5
            cells.update({f"requests.{key}.{col}": stream.cell(f"requests.{key}.{col}", t, confidence, "identity", flags)
                          for col, t in zip(REQUEST_COLS, _parts(rows[key].values, split))})
            if not unique:
                warnings.append(ReportWarning(
                    "glued_cells_ambiguous",
                    f"requests.{key}: {len(ambiguous[key])} splits of the glued digits fit the row identity and the "
                    f"column identities do not single one out; chose {split} by the prior (fewest non-zero cells), "
                    "low confidence",
                    tuple(f"requests.{key}.{c}" for c in REQUEST_COLS), lines=(rows[key].label.line,)))
    _flag_after_empty(rows.values(), "requests", cells, warnings)
    by_order = _requests_by_order(stream, tokens, rows, cells, warnings, bool(sub_rows))
    single_other = single_other or "other" in by_order
    return fmt, cells, single_other


def _requests_by_order(stream: _Stream, tokens: Sequence[Token], rows: dict[str, RowRead], cells: dict[str, Cell],
                       warnings: list[ReportWarning], sub_rows: bool) -> set[str]:
    """Rows the label reading could not place with confidence, read by the
    form's row order (``order.py``). Updates ``cells`` and ``warnings``; returns
    the rows read this way."""
    width = len(REQUEST_COLS)

    def confident(key: str) -> bool:
        got = [cells.get(f"requests.{key}.{col}") for col in REQUEST_COLS]
        return all(c is not None and LOW_CONFIDENCE not in c.flags for c in got)

    known = {k: tuple(r.values) for k, r in rows.items() if len(r.values) == width and confident(k)}
    keys = REQUEST_ROWS_BY_FORMAT["2021" if sub_rows else "2019"]
    aligned = align(value_rows(tokens, "requests", width, requests_row_ok), keys, known)
    if not aligned:
        return set()
    read: set[str] = set()
    for key, row in aligned.items():
        if not row.complete or confident(key):
            continue
        labelled = row.label == key
        for col, tok in zip(REQUEST_COLS, row.tokens):
            k = f"requests.{key}.{col}"
            cells[k] = stream.cell(k, tok, 0.95 if labelled else 0.85, "rule" if labelled else "order")
        read.add(key)
    if read:
        replaced = {f"requests.{key}.{col}" for key in read for col in REQUEST_COLS}
        warnings[:] = [w for w in warnings if not (
            w.code in ("row_width", "ambiguous_row", "glued_cells", "glued_cells_ambiguous")
            and w.cells and set(w.cells) <= replaced)]
    return read


def _appeals(stream: _Stream, tokens: Sequence[Token], warnings: list[ReportWarning]) -> dict[str, Cell]:
    keys = [f"appeals.{row}.{col}" for row in APPEAL_ROWS for col in APPEAL_COLS]
    first_header = next((i for i, t in enumerate(tokens) if t.kind == "column" and t.table == "appeals"), 0)
    values = [t for t in tokens[first_header:] if t.is_value]
    non_blank = [v for v in values if v.kind == "value"]
    lines = tuple(sorted({v.line for v in values}))
    if not values:
        warnings.append(
            ReportWarning("table_without_data", "appeals: the table is printed without any values; its cells are null",
                          tuple(keys))
        )
        return {}
    if len(values) == len(keys):
        return {k: stream.cell(k, v, 0.95) for k, v in zip(keys, values)}
    if len(non_blank) == len(keys):
        return {k: stream.cell(k, v, 0.9) for k, v in zip(keys, non_blank)}
    if _glued(values, len(keys)):
        candidates = _split_row(values, len(keys), appeals_ok)
        what = "fit the row identities"
        if not candidates:  # the report breaks an identity: keep the splits that break only one
            held = {s: appeals_held(s) for s in _split_row(values, len(keys))}
            candidates = [s for s, n in held.items() if n == len(APPEAL_ROWS) - 1]
            what = (f"fit {len(APPEAL_ROWS) - 1} of the {len(APPEAL_ROWS)} row identities (none fits all; the one "
                    "missing its total by the least is preferred)")
        if candidates:
            split = min(candidates, key=lambda s: (appeals_gap(s), prior_key(s)))
            unique = len(candidates) == 1 and appeals_ok(split)
            if not unique:
                warnings.append(ReportWarning(
                    "glued_cells_ambiguous",
                    f"appeals: {len(candidates)} splits of the glued digits {what}; chose {split} "
                    "by the prior (fewest non-zero cells), low confidence", tuple(keys), lines=lines))
            return {k: stream.cell(k, t, 0.9 if unique else 0.5, "identity", () if unique else (LOW_CONFIDENCE,))
                    for k, t in zip(keys, _parts(values, split))}
    warnings.append(
        ReportWarning(
            "row_width",
            f"appeals: {len(values)} values printed for {len(keys)} cells "
            f"({' '.join(v.text for v in values[:20])}); cells left null",
            tuple(keys),
            lines=lines,
        )
    )
    return {}


def assemble(labelled: Sequence[LabelledLine], *, year: int | None = None) -> Tables:
    """Stage entry point: read the three tables from the labelled lines.

    ``year`` (the year the report covers) is only used when no table shows
    which format it follows; a warning says so.
    """
    stream = _Stream(labelled)
    tokens = stream.tokens
    warnings: list[ReportWarning] = []
    regions = _regions(tokens)

    def region(table: str) -> list[Token]:
        r = regions[table]
        return tokens[r[0]:r[1]] if r else []

    fmt_active, cells_a, units, fees_decisions = _active(stream, region("active"), warnings)
    fmt_requests, cells_r, single_other = _requests(stream, region("requests"), warnings)
    cells_p = _appeals(stream, region("appeals"), warnings) if regions["appeals"] else {}

    fmt = fmt_active or fmt_requests
    if fmt is None and (cells_p or year):
        fmt = "2021" if (year or 0) >= 2021 else "2019"
        warnings.append(
            ReportWarning("format_from_year", f"no table shows its format; format {fmt} assumed from the year {year}")
        )
    if fmt_active and fmt_requests == "2021" and fmt_active == "2019":
        warnings.append(ReportWarning("format_mixed", "the active table follows format 2019 but the requests "
                                      "table prints the 2021 （六） sub-rows; read as format 2019"))

    cells: dict[str, Cell] = {}
    if fmt:
        found = {**cells_a, **cells_r, **cells_p}
        keys = cell_keys(fmt, fees_decisions=fees_decisions, single_other=(fmt == "2021" and single_other))
        not_printed = set()
        if fmt == "2021" and single_other:
            not_printed = {f"requests.{r}.{c}" for r in ("other_no_correction", "other_no_fee", "other_other") for c in REQUEST_COLS}
        for key in keys:
            cell = found.get(key)
            if cell is None:
                printed = regions.get(key.split(".")[0]) is not None and key not in not_printed
                cell = _absent(key, printed)
            cells[key] = cell
        extra = sorted(set(found) - set(keys))
        if extra:
            warnings.append(ReportWarning("cells_not_in_format", f"cells read but not part of format {fmt}: "
                                          + ", ".join(extra), tuple(extra)))
    for table in ("active", "requests", "appeals"):
        if regions[table] is None:
            warnings.append(ReportWarning("table_missing", f"{table}: the table was not found in the text"))
    table_formats = {
        "active": fmt_active,
        "requests": fmt_requests,
        "appeals": fmt if regions["appeals"] else None,
    }
    line_regions = {
        t: ((tokens[r[0] - 1].line if r[0] > 0 else tokens[0].line), tokens[r[1] - 1].line) if r and r[1] > r[0] else None
        for t, r in regions.items()
    }
    return Tables(fmt, cells, units, warnings, table_formats, line_regions)

