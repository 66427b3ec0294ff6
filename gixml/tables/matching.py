"""Rows matched to the labels beside them, for values printed above (or below) their label.

A PDF table whose cells are taller than their text prints each row's values on
their own line, and text extractors put that line where its height falls:
below the row label, or above it (``pdftotext -layout`` and pdfplumber put the
digits, set a little higher than the Chinese text, on the line before)::

    0 0 0                     ← 规章's values
    规章
    2 0 2                     ← 行政规范性文件's
    行政规范性文件

Read by labels (each label claiming the values after it, ``rows.py``), every
row gets the values of the row below it: confident wrong numbers. Here the
table is read as a matching instead:

1. **Items.** The region's lines in order: row labels of the table, and value
   lines holding exactly as many values as the row they could belong to has
   columns. Values on a label's own line belong to it (anchored). A
   ``第二十条`` sub-table title is a wall: no value crosses it. Any other
   value line (a row printed over several lines, glued digits, a cell per line)
   means the layout is not one this reading is for: it gives up.
2. **Matchings.** Each value line that is not anchored goes to the label just
   before it or just after it, each label taking at most one. Every matching
   that gives values to the most labels is listed.
3. **Choice** (:func:`choose`). One matching: it is the reading. Several: the
   table's identities choose, then the side of their labels the value lines
   sit on most consistently; matchings that still differ in a value leave the
   table to the other readings.

The table readers compare this reading with the label reading and keep the one
that fills more rows or breaks fewer identities (``requests.py``, ``active.py``).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .. import confidence as conf
from ..lines.tokenise import Token
from ..records import Cell, CellKey, ReportWarning
from .rows import TokenStream, drop_replaced_warnings

#: The most matchings explored before giving up (a region with long runs of
#: value lines between labels has many; real tables have one or two).
MAX_STEPS = 20_000


@dataclass(frozen=True)
class Matching:
    """One reading of a table region: each row key → the value tokens given to it."""

    rows: dict[str, tuple[Token, ...]]
    anchored: frozenset[str]  # rows whose values share their label's line
    above: int = 0  # value lines given to the label after them
    below: int = 0  # value lines given to the label before them

    @property
    def consistency(self) -> int:
        """How many value lines sit on the side of their label that most do."""
        return max(self.above, self.below)


class _Search:
    """The matchings that give values to the most labels, by depth-first search
    (a class, not a closure: a recursive closure is a reference cycle, and
    extraction makes none)."""

    def __init__(self, loose: list[int], options: list[list[str]]):
        self.loose, self.options = loose, options
        self.best: list[dict[str, int]] = []
        self.best_size = -1
        self.steps = 0

    def walk(self, k: int, taken: dict[str, int]) -> bool:
        """Extend ``taken`` from the k-th loose value line on; False when the search is too long."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            return False
        if len(taken) + (len(self.loose) - k) < self.best_size:
            return True  # cannot reach the best any more
        if k == len(self.loose):
            if len(taken) > self.best_size:
                self.best.clear()
                self.best_size = len(taken)
            if len(taken) == self.best_size:
                self.best.append(dict(taken))
            return True
        for key in self.options[k]:
            if key not in taken:
                taken[key] = self.loose[k]
                if not self.walk(k + 1, taken):
                    return False
                del taken[key]
        return self.walk(k + 1, taken)  # or the line belongs to no row (a stray)


@dataclass
class _Item:
    line: int
    values: tuple[Token, ...] = ()
    key: str | None = None  # a row label (with its anchored values, if any)
    wall: bool = False  # a sub-table title: nothing is matched across it


def _items(tokens: Sequence[Token], table: str, widths: Mapping[str, Sequence[int]]) -> list[_Item] | None:
    """The region as labels, value lines and walls, in order; None when a line breaks the pattern."""
    by_line: dict[int, list[Token]] = {}
    for tok in tokens:
        by_line.setdefault(tok.line, []).append(tok)
    items: list[_Item] = []
    all_widths = {w for counts in widths.values() for w in counts}
    for line, toks in by_line.items():
        values = tuple(t for t in toks if t.is_value)
        labels = [t for t in toks if t.kind == "row" and t.table == table]
        if any(t.kind == "subtable" for t in toks):
            if values:
                return None
            items.append(_Item(line, wall=True))
        if not labels:
            if values:
                if len(values) not in all_widths:
                    return None
                items.append(_Item(line, values))
            continue
        for tok in labels[:-1]:
            items.append(_Item(line, key=tok.key))
        last = labels[-1]
        if values and (len(values) not in widths.get(last.key or "", ()) or values[0].start < last.end):
            return None  # values before the label on its line, or not a row's width
        items.append(_Item(line, values, key=last.key))
    keys = [i.key for i in items if i.key]
    if len(keys) != len(set(keys)):
        return None  # a row printed twice: the label reading's dedupe decides
    return items


def matchings(tokens: Sequence[Token], table: str, widths: Mapping[str, Sequence[int]]) -> list[Matching] | None:
    """Every matching that gives values to the most labels (see the module
    docstring); None when the region is not this layout or has too many.

    ``widths`` maps each row key to the value counts it may print."""
    items = _items(tokens, table, widths)
    if items is None:
        return None
    anchored = frozenset(i.key for i in items if i.key and i.values)
    loose = [n for n, i in enumerate(items) if not i.key and not i.wall]
    # The labels each loose value line may go to: the nearest label before and after it, no wall between.
    options: list[list[str]] = []
    for n in loose:
        near: list[str] = []
        for step in (-1, 1):
            m = n + step
            while 0 <= m < len(items) and not items[m].wall and not items[m].key:
                m += step
            if 0 <= m < len(items) and not items[m].wall:
                key = items[m].key
                if key and key not in anchored and len(items[n].values) in widths.get(key, ()):
                    near.append(key)
        options.append(near)
    search = _Search(loose, options)
    if not search.walk(0, {}):
        return None
    best = search.best
    out: list[Matching] = []
    seen: set[tuple[tuple[str, int], ...]] = set()
    for taken in best:
        signature = tuple(sorted(taken.items()))
        if signature in seen:
            continue
        seen.add(signature)
        rows = {i.key: i.values for i in items if i.key and i.values}
        rows.update({key: items[n].values for key, n in taken.items()})
        label_at = {i.key: n for n, i in enumerate(items) if i.key}
        above = sum(1 for key, n in taken.items() if label_at[key] > n)
        out.append(Matching(rows, anchored, above, len(taken) - above))
    return out


def choose(found: Sequence[Matching], failures: Callable[[Matching], int] | None = None) -> Matching | None:
    """The matching to read: the one breaking fewest identities (``failures``),
    then the one whose value lines sit most consistently on one side of their
    labels (a layout prints them all above, or all below). None when
    matchings that differ in a value remain."""
    if not found:
        return None
    candidates = list(found)
    if failures is not None:
        counts = [failures(m) for m in candidates]
        candidates = [m for m, n in zip(candidates, counts) if n == min(counts)]
    most = max(m.consistency for m in candidates)
    candidates = [m for m in candidates if m.consistency == most]
    values = {tuple((k, tuple(t.text for t in v)) for k, v in sorted(m.rows.items())) for m in candidates}
    return candidates[0] if len(values) == 1 else None


def adopt(stream: TokenStream, chosen: Matching, keys_of: Callable[[str, int], Sequence[CellKey]],
          cells: dict[CellKey, Cell], warnings: list[ReportWarning]) -> set[CellKey]:
    """Put ``chosen`` into ``cells`` in place of what other readings put there.

    ``keys_of(row, n)`` gives the cell keys of a row printing ``n`` values.
    Rows whose values share their label's line are read as the label reading
    reads them (``method="rule"``); the others by the matching
    (``method="order"``). A row the matching left without values loses the
    cells another reading gave it from values the matching gives elsewhere.
    The warnings about replaced cells go. Returns the keys replaced."""
    def span(tok: Token) -> tuple[int, int]:
        return stream.lines[tok.line].line.raw_span(tok.start, tok.end)

    used = {(t.line, span(t)) for toks in chosen.rows.values() for t in toks}
    replaced: set[CellKey] = set()
    for row, toks in chosen.rows.items():
        keys = list(keys_of(row, len(toks)))
        if all(k in cells and (cells[k].line, cells[k].span) == (t.line, span(t)) for k, t in zip(keys, toks)):
            continue  # read so already
        anchored = row in chosen.anchored
        for k, tok in zip(keys, toks):
            cells[k] = stream.cell(k, tok, conf.ROW_EXACT if anchored else conf.ROW_BY_MATCHING,
                                   "rule" if anchored else "order")
        replaced.update(keys)
    for k in [k for k, c in cells.items() if k.row not in chosen.rows and (c.line, c.span) in used]:
        for other in [o for o in cells if o.table == k.table and o.row == k.row]:
            del cells[other]  # this row's values were another row's: it is not read
            replaced.add(other)
    if replaced:
        drop_replaced_warnings(warnings, replaced)
    return replaced
