"""Labels for free: each line a converter printed, labelled from what was rendered.

We rendered every piece of a zoo document ourselves (``render.py``): the
headings, the prose sentences, the web page's furniture and the signature,
every label and header cell of the tables, every value. A converted line is
labelled by the pieces it is made of, following ``annotations/GUIDELINES.md``:

- nothing, or only a markdown rule (``|---|``, ``---``): ``blank``;
- furniture (a web page's, a running head, a page number) or the signature: ``noise``;
- a heading, or part of one (a title wrapped over lines): ``heading``;
- part of a prose sentence: ``prose``;
- table label or header cells (or fragments of one, down to one character
  in a table's region) with no value: ``label``; values alone: ``number``;
  labels and values together: ``row``.

A line no reading explains (a converter's own words, text mangled beyond
recognition) gets ``None`` and stays out of training; :func:`coverage` counts
them.

:func:`value_cells` then gives every value token of the table lines its cell
key: a table's value tokens, in the order the converter printed them, are
matched with the values rendered, read row by row or column by column. Only a
table whose printed values are exactly those, in one of these orders, gets
keys (a value read in any other order, or lost, leaves its whole table
without keys: a key is never guessed). Lines are compared with their spaces, tabs, pipes and markdown marks
removed, and full-width forms folded, so that a converter's layout does not
matter, only what it printed.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from gixml.lines.labels import LineLabel
from gixml.lines.normalise import fold_text

from .render import FOOTER, NAV, Block, grid

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")  # HTML a converter passed through (pandoc's markdown keeps complex tables)
_BOX = re.compile("[\u2500-\u257f]")  # box-drawing characters (w3m draws table rules with them)
_DROP = re.compile(r"[\s|*#>`_\\[\]]+")
_RULE = re.compile(r"^[-:=+|\s]*$")
_CHUNK = re.compile(r"[^\s|\u2500-\u257f]+")
_VALUE = re.compile(r"^(?:[+\-]?\d+(?:\.\d+)?|/|—|－|-)+$")
_TABLE_START = "二、主动公开政府信息情况"
_TABLE_END = "五、存在的主要问题及改进情况"


def compact(text: str) -> str:
    return _DROP.sub("", _markup_out(fold_text(text))).replace("－", "-")


def _markup_out(text: str) -> str:
    return _BOX.sub(" ", _TAG.sub(" ", text))


@dataclass
class Pieces:
    """What a document was rendered from, compacted, by the label it gives a line."""

    headings: list[str]
    titles: list[str]  # the 第二十条 sub-table titles: headings printed in a table
    prose: list[str]
    noise: list[str]
    labels: list[str]  # table titles, headers and row labels, whole and by wrapped part
    pages: list[re.Pattern[str]] = field(default_factory=list)  # page numbers, compacted

    def page_number(self, c: str) -> bool:
        return any(p.fullmatch(c) for p in self.pages)

    def in_title(self, c: str) -> bool:
        return any(c in t for t in self.titles)

    def in_label(self, c: str) -> bool:
        """Part of a table label or header that is not a sub-table title."""
        return any(c in label for label in self.labels if label not in self.titles)

    @classmethod
    def of(cls, blocks: Sequence[Block]) -> Pieces:
        headings, titles, prose, noise, labels = [], [], [], [compact(NAV), compact(FOOTER)], []
        pages = []
        for block in blocks:
            if block.kind == "furniture":
                noise.append(compact(block.text))
                pattern = "".join(r"\d+" if part in ("{n}", "{m}") else re.escape(compact(part))
                                  for part in re.split(r"(\{[nm]\})", block.pages))
                pages.append(re.compile(pattern))
            elif block.kind == "heading":
                headings.append(compact(block.text))
            elif block.kind == "prose":
                prose.append(compact(block.text))
            elif block.kind == "signature":
                noise += [compact(t) for t in block.text.split("\n")]
            else:
                for row in block.rows:
                    for cell in row:
                        if cell.role == "title":
                            titles.append(compact(cell.text))
                        if cell.role in ("title", "header", "label") and cell.text:
                            labels.append(compact(cell.text))
                            labels += [compact(part) for part in cell.text.split("\n") if "\n" in cell.text]
        labels = sorted({x for x in labels if x}, key=len, reverse=True)
        return cls([h for h in headings if h] + titles, titles, [p for p in prose if p], [n for n in noise if n],
                   labels, pages)


def _strip_labels(line: str, labels: Sequence[str]) -> tuple[str, bool]:
    """``line`` with every label piece taken out, longest first; whether any was."""
    found = False
    for label in labels:
        if label in line:
            line = line.replace(label, " ")
            found = True
    return line.replace(" ", ""), found


def label_line(text: str, pieces: Pieces, in_table: bool) -> LineLabel | None:
    """The label of one converted line (see the module docstring), or None."""
    if _RULE.match(_markup_out(text)):
        return LineLabel.BLANK  # nothing, a markdown rule, box-drawing rules, HTML tags alone
    c = compact(text)
    if not c:
        return LineLabel.BLANK
    if pieces.page_number(c):
        return LineLabel.NOISE
    if _VALUE.match(c):  # values alone: cells in a table; outside one, a fragment nobody can place
        return LineLabel.NUMBER if in_table else None
    if c in pieces.noise or (len(c) >= 4 and any(c in n for n in pieces.noise[:2])):
        return LineLabel.NOISE
    if c in pieces.headings:
        return LineLabel.HEADING
    if not in_table:
        if any(c in h for h in pieces.headings):
            return LineLabel.HEADING
        if any(c in p for p in pieces.prose):
            return LineLabel.PROSE
        if len(c) >= 4 and any(c in n for n in pieces.noise):
            return LineLabel.NOISE
    kinds = {_chunk_kind(compact(chunk), pieces) for chunk in _CHUNK.findall(_markup_out(fold_text(text)))}
    kinds.discard("")
    if kinds and None not in kinds and kinds != {"either"}:  # (alone, a fragment both hold: unknown)
        if kinds == {"value"}:
            return LineLabel.NUMBER
        if "value" in kinds:
            return LineLabel.ROW
        if "label" in kinds:
            return LineLabel.LABEL
        return LineLabel.HEADING if "title" in kinds else None
    rest, had_label = _strip_labels(c, pieces.labels)
    if not rest:
        return LineLabel.LABEL if had_label else None
    if _VALUE.match(rest):
        return LineLabel.ROW if had_label else LineLabel.NUMBER
    if in_table and not had_label and pieces.in_title(c):
        # a fragment of a sub-table title; one a label holds too ("项") could be either
        return None if pieces.in_label(c) else LineLabel.HEADING
    if in_table and not had_label and any(c in label for label in pieces.labels):
        return LineLabel.LABEL  # a fragment of a label (wrapped, or a character per line)
    if any(c in p for p in pieces.prose):
        return LineLabel.PROSE
    return None


def _chunk_kind(chunk: str, pieces: Pieces) -> str | None:
    """What one space-separated chunk of a table line is: a value, part of a
    sub-table title or of a label, nothing (``""``), or unknown (None)."""
    if not chunk:
        return ""
    if _VALUE.match(chunk):
        return "value"
    if pieces.in_title(chunk):
        return "either" if pieces.in_label(chunk) else "title"  # (a fragment both hold could be either)
    if any(chunk in label for label in pieces.labels):
        return "label"
    return None


def label_lines(text: str, blocks: Sequence[Block]) -> list[LineLabel | None]:
    """A label (or None) for every line of a converted text."""
    pieces = Pieces.of(blocks)
    start, end = compact(_TABLE_START), compact(_TABLE_END)
    out: list[LineLabel | None] = []
    in_table = False
    previous: LineLabel | None = None  # the last non-blank line's label
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        c = compact(line)
        if c == start:
            in_table = True
        elif c == end:
            in_table = False
        # a table is also where the lines before were table lines (python-docx prints
        # the tables after all the paragraphs)
        label = label_line(line, pieces, in_table or previous in _TABLE_LINES)
        out.append(label)
        if label is not LineLabel.BLANK:
            previous = label
    return out


_TABLE_LINES = (LineLabel.LABEL, LineLabel.NUMBER, LineLabel.ROW)


def coverage(labels: Sequence[LineLabel | None]) -> float:
    """The share of non-blank lines that got a label."""
    shown = [x for x in labels if x is not LineLabel.BLANK]
    return sum(x is not None for x in shown) / len(shown) if shown else 1.0


_VALUE_TOKEN = re.compile(r"[^\s|\u2500-\u257f]+")
#: Where each table's values are printed: from its section title to the next.
_TABLE_SECTIONS = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                   "五、存在的主要问题及改进情况")


def _rendered(block: Block, by: str) -> list[tuple[str, str]]:
    """A table's printed values (compacted text, key), row by row or column by column."""
    placed = grid(block)
    order = [(r, c) for r in range(len(placed)) for c in range(block.width)] if by == "row" else \
        [(r, c) for c in range(block.width) for r in range(len(placed))]
    out = []
    for r, c in order:
        cell, corner = placed[r][c]
        if corner and cell.key and cell.role in ("value", "blank") and compact(cell.text):
            out.append((compact(cell.text), cell.key))
    return out


def value_cells(text: str, labels: Sequence[LineLabel | None], blocks: Sequence[Block]
                ) -> list[list[tuple[int, int, str]] | None]:
    """Per line, ``(start, end, key)`` of each value token it prints (offsets in
    the line), ``[]`` for a line with none, ``None`` where the keys are not
    known (see the module docstring)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[list[tuple[int, int, str]] | None] = [[] for _ in lines]
    tables = [b for b in blocks if b.kind == "table"]
    starts = {compact(t): i for i, t in enumerate(_TABLE_SECTIONS)}
    section = -1
    printed: list[list[tuple[int, int, int, str]]] = [[] for _ in tables]  # (line, start, end, value)
    for n, (line, label) in enumerate(zip(lines, labels)):
        c = compact(line)
        if c in starts:
            section = starts[c]
            continue
        if label not in (LineLabel.NUMBER, LineLabel.ROW) or not 0 <= section < len(tables):
            continue
        plain = _BOX.sub(" ", _TAG.sub(lambda m: " " * len(m.group()), fold_text(line)))  # (offsets kept)
        for m in _VALUE_TOKEN.finditer(plain):
            token = compact(m.group())
            if _VALUE.fullmatch(token):
                printed[section].append((n, m.start(), m.end(), token))
    for table, values in zip(tables, printed):
        got = [v for *_, v in values]
        for by in ("row", "column"):
            rendered = _rendered(table, by)
            if got == [v for v, _ in rendered]:
                for (n, start, end, _), (_, key) in zip(values, rendered):
                    cells = out[n]
                    if cells is not None:
                        cells.append((start, end, key))
                break
        else:
            for n, *_ in values:
                out[n] = None
    return out
