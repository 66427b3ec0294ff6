"""HTML tables inside a text file → tab rows, as the web-page reader gives them.

Markdown converters write a table they cannot draw in markdown (merged cells,
``rowspan``/``colspan``) as raw HTML, one tag per line::

    <tr class="even">
    <td colspan="3"><p>一、本年新收政府信息<br />
    公开申请数量</p></td>
    <td><p>0</p></td>

Read as text, each cell would be a line of markup. Here each ``<table>`` block
of the text is read with the standard library's HTML parser: each row becomes
one line, its cells joined by tabs (a cell's lines joined, as in a web page's
table). The row is put on the line where its ``<tr>`` starts and the block's
other lines are left empty, so every line after the table keeps its number.
Text outside ``<table>`` blocks is untouched.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from .common import cell_text

_TABLE_START = re.compile(r"<table\b")


class _Rows(HTMLParser):
    """The rows of one HTML table: (line of the ``<tr>`` within the block, cell texts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[int, list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._end_cell()
            self.rows.append((self.getpos()[0], []))
        elif tag in ("td", "th"):
            self._end_cell()
            if not self.rows:
                self.rows.append((self.getpos()[0], []))
            self._cell = []
        elif tag in ("br", "p", "div") and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "tr", "table"):
            self._end_cell()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self.rows:
            self.rows[-1][1].append(cell_text("".join(self._cell)))
        self._cell = None


def read_tables_in_text(text: str) -> str:
    """``text`` with each ``<table>…</table>`` block read as tab rows (see the module docstring).

    The blocks are found by plain searches, each ``<table`` to the next
    ``</table``: linear in the text, whatever it holds (a regex with a lazy
    ``.*?`` rescans the rest of the text from every unclosed ``<table``)."""
    lower = text.lower() if "<TABLE" in text or "</TABLE" in text else text
    if "<table" not in lower or "</table" not in lower:
        return text
    out: list[str] = []
    pos = 0
    while True:
        start = lower.find("<table", pos)
        if start < 0 or not _TABLE_START.match(lower, start):
            if start < 0:
                break
            out.append(text[pos:start + 6])
            pos = start + 6
            continue
        end = lower.find("</table", start)
        if end < 0:
            break
        close = lower.find(">", end)
        close = len(text) if close < 0 else close + 1
        out.append(text[pos:start])
        out.append(_rows_of(text[start:close]))
        pos = close
    out.append(text[pos:])
    return "".join(out)


def _rows_of(block: str) -> str:
    parser = _Rows()
    parser.feed(block)
    parser.close()
    rows = [(line, "\t".join(cells)) for line, cells in parser.rows if any(cells)]
    height = block.count("\n") + 1
    lines = [line for line, _ in rows]
    if len(set(lines)) != len(lines):  # rows sharing a line (a table on one line): one line per row
        return "\n".join(row for _, row in rows)
    out = [""] * height
    for line, row in rows:
        out[line - 1] = row
    return "\n".join(out)
