"""Assemble: labelled lines → the cells of the three tables.

Values are placed by **labels**, never by position alone:

1. The tokens of table lines (``heading``/``label``/``number``/``row``; prose,
   furniture and page numbers are left out) are read as one stream
   (``rows.TokenStream``).
2. Each table's region runs from its section title to the next section title
   of another table (when a title is printed more than once, e.g. in a table of
   contents, the region holding most of the table's labels wins).
3. Each table is read from its region: ``active.py``, ``requests.py``,
   ``appeals.py`` (row labels claiming the values after them, ``rows.py``;
   glued digit runs, ``glued.py``; rows by the form's order, ``order.py``).
4. The format (2019 or 2021) comes from the tables; every key of that format
   gets a cell, ``null`` and ``undetermined`` where its table is printed but
   the cell could not be read.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..forms import OTHER_SUB_ROWS, REQUEST_COLS, TABLES, cell_keys
from ..lines.labels import LabelledLine
from ..lines.tokenise import Token
from ..records import UNDETERMINED, Cell, CellKey, ReportWarning
from .active import read_active
from .appeals import read_appeals
from .requests import read_requests
from .rows import TokenStream


@dataclass
class Tables:
    """What the assembler read: the format, every cell, units and warnings."""

    format: str | None
    cells: dict[CellKey, Cell]
    units: dict[CellKey, str]
    warnings: list[ReportWarning]
    table_formats: dict[str, str | None]


def absent(key: CellKey, printed: bool) -> Cell:
    """A cell with no value: ``undetermined`` when its table is printed."""
    return Cell(key, None, flags=(UNDETERMINED,) if printed else ())


def _regions(tokens: Sequence[Token]) -> dict[str, tuple[int, int] | None]:
    """Token index ranges [start, end) of each table's region."""
    sections = [i for i, t in enumerate(tokens) if t.kind == "section"]
    out: dict[str, tuple[int, int] | None] = {}
    for table in TABLES:
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


def assemble(labelled: Sequence[LabelledLine], *, year: int | None = None) -> Tables:
    """Read the three tables from the labelled lines.

    ``year`` (the year the report covers) is only used when no table shows
    which format it follows; a warning says so.
    """
    stream = TokenStream(labelled)
    tokens = stream.tokens
    warnings: list[ReportWarning] = []
    regions = _regions(tokens)

    def region(table: str) -> list[Token]:
        r = regions[table]
        return tokens[r[0]:r[1]] if r else []

    active = read_active(stream, region("active"), warnings)
    requests = read_requests(stream, region("requests"), warnings)
    appeals = read_appeals(stream, region("appeals"), warnings) if regions["appeals"] else {}

    fmt = active.format or requests.format
    if fmt is None and (appeals or year):
        fmt = "2021" if (year or 0) >= 2021 else "2019"
        warnings.append(ReportWarning("format_from_year",
                                      f"no table shows its format; format {fmt} assumed from the year {year}"))
    if active.format and requests.format == "2021" and active.format == "2019":
        warnings.append(ReportWarning("format_mixed", "the active table follows format 2019 but the requests "
                                      "table prints the 2021 （六） sub-rows; read as format 2019"))

    cells: dict[CellKey, Cell] = {}
    if fmt:
        found = {**active.cells, **requests.cells, **appeals}
        single_other = fmt == "2021" and requests.single_other
        keys = cell_keys(fmt, fees_decisions=active.fees_decisions, single_other=single_other)
        not_printed = set()
        if single_other:
            not_printed = {CellKey("requests", r, c) for r in OTHER_SUB_ROWS for c in REQUEST_COLS}
        for key in keys:
            cell = found.get(key)
            if cell is None:
                cell = absent(key, regions.get(key.table) is not None and key not in not_printed)
            cells[key] = cell
        extra = sorted(set(found) - set(keys), key=str)
        if extra:
            warnings.append(ReportWarning("cells_not_in_format", f"cells read but not part of format {fmt}: "
                                          + ", ".join(map(str, extra)), tuple(extra)))
    for table in TABLES:
        if regions[table] is None:
            warnings.append(ReportWarning("table_missing", f"{table}: the table was not found in the text"))
    table_formats = {
        "active": active.format,
        "requests": requests.format,
        "appeals": fmt if regions["appeals"] else None,
    }
    return Tables(fmt, cells, active.units, warnings, table_formats)
