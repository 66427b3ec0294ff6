"""Normalise: text → lines whose characters every later step can trust.

Each :class:`Line` keeps the raw text as printed (for citation) and a
normalised text in which

- full-width letters, digits and signs are ASCII (``＋３０`` → ``+30``,
  ``（一）`` → ``(一)``), and the minus sign is ``-``;
- NBSP, ideographic and other exotic spaces are plain spaces;
- spaces between two non-alphanumeric characters are removed, which mends
  labels broken by spaces (``结 果 维 持`` → ``结果维持``, ``2. 其他`` → ``2.其他``)
  while keeping the spaces that separate numbers (``0 0 0``) and blank marks
  (``39 8 0 / / 0 47`` is seven cells);
- cell separators are tabs: a tab stays a tab, and so does a pipe in a table
  row, with edge pipes (``| 规章 | 0 |``, markdown) or without (``规章| 0| 0``,
  as html2text prints; such a row has a number or blank mark in a cell of its
  own, so ``见附表|说明`` stays text), and a box-drawn row (``│ 规章 │ 0 │``,
  as ``w3m -dump`` prints; its junctions ``├ ┼ ┤`` separate cells too);
  markdown rules (``|---|``) and box-drawn rules (``├───┼───┤``) become empty.

``offsets[i]`` is the index in ``raw`` of normalised character ``i``, so any
span found later maps back to the printed characters.
"""
from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..forms import CELL_UNIT_PATTERN
from ..records import fast_init

_SPACES = {"\u00a0", "\u3000", "\u2002", "\u2003", "\u2009", "\u200b", "\u202f", "\u205f", "\ufeff", "\u2007", "\u2008"}
_FOLD = {
    "\u2212": "-",  # minus sign
    "\uff0d": "-",
    "\u00b7": ".",  # middle dot sometimes printed for a decimal point
    "\uff0e": ".",
    "\u3001": "、",
}
# Box drawing (a text browser's table, ``w3m -dump``): the lines between cells
# (│ ┃ ║ and the junctions ├ ┼ ┤ …) are cell separators, the horizontal rules
# (─ ━ ═) are space, one character for one. A line of nothing else is a rule.
_BOX_LINES = "│┃║┆┇┊┋╎╏"
_BOX_RULES = "─━═┄┅┈┉╌╍"
_BOX = {
    **{ch: "|" for ch in _BOX_LINES},
    **{chr(code): "|" for code in range(0x250C, 0x254C)},  # corners and junctions: ┌ ┐ └ ┘ ├ ┤ ┬ ┴ ┼ …
    **{chr(code): "|" for code in range(0x2552, 0x256D)},  # the double-line ones: ╒ … ╬
    **{ch: " " for ch in _BOX_RULES},
}
_BOX_CHARS = frozenset(_BOX)
_RULE_CELL = re.compile(r":?-{2,}:?")
_NUMERIC = re.compile(r"[0-9A-Za-z]")
# A cell of a pipe row without edge pipes: a number (with decimals or a unit) or a blank mark.
_VALUE_CELL = re.compile(rf"[+-]?\d+(?:\.\d+)?(?:{CELL_UNIT_PATTERN})?|[/\\—–―\-_]{{1,3}}")


@fast_init
@dataclass(frozen=True, slots=True)
class Line:
    """One line of the report: its 1-based number, raw text and normalised text."""

    number: int
    raw: str
    text: str
    offsets: Sequence[int]  # a range when nothing moved, else a compact array

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` back to ``raw``."""
        if start >= end or not self.offsets:
            return (0, 0)
        return (self.offsets[start], self.offsets[end - 1] + 1)

    def field_of(self, position: int) -> int:
        """Which tab-separated field of ``text`` holds ``position`` (0-based)."""
        return self.text.count("\t", 0, position)


# Unicode's space separators (category Zs; a test checks the list against unicodedata).
_ZS = "\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_FOLD_TABLE = {
    **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},  # full-width ASCII block
    **{ord(ch): to for ch, to in _FOLD.items()},
    **{ord(ch): " " for ch in _ZS},
    **{ord(ch): " " for ch in _SPACES},
    **{ord(ch): to for ch, to in _BOX.items()},
}
_SPACE_RUN = re.compile(" +")


def fold_text(text: str) -> str:
    """Fold each character: full-width ASCII to ASCII, exotic spaces to a space
    (one character for one, so offsets are unchanged)."""
    if len(text) > 100:  # where numpy overtakes str.translate
        return _fold_long(text)
    return text.translate(_FOLD_TABLE)


# Every BMP code point → its folded code point, for _fold_long.
_FOLD_ARRAY = np.arange(0x10000, dtype=np.uint32)
for _code, _to in _FOLD_TABLE.items():
    _FOLD_ARRAY[_code] = ord(_to)


def _fold_long(text: str) -> str:
    """:func:`fold_text` of a long text, in numpy: a lookup in a 64K table of
    code points is fifteen times faster than ``str.translate`` with a dict (a
    test compares the two). Long texts are web dumps printed on one line, and
    the whole report, which ``meta.py`` folds at once. Measured on the whole
    batch (``benchmarks/compare.py``, 600 text reports, median of 6 runs,
    2026-12-03): with ``str.translate`` alone a batch takes 1.09× as long."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if int(codes.max()) >= 0x10000:  # beyond the BMP: nothing to fold there
        folded = np.where(codes < 0x10000, _FOLD_ARRAY[np.minimum(codes, 0xFFFF)], codes)
    else:
        folded = _FOLD_ARRAY[codes]
    return folded.tobytes().decode("utf-32-le", "surrogatepass")


def is_markdown_rule(text: str) -> bool:
    """Whether a line is a markdown table's rule: cells of ``---`` (``:---:``)
    between pipes, at least one pipe, ``|---|---|``, ``---|---``, ``|---``; a
    lone ``--`` is a blank cell. (Split, not one regex: its runs of optional
    spaces backtracked, and a line of 20,000 spaces took five seconds.)"""
    s = text.strip()
    if "|" not in s or "--" not in s:
        return False
    lead = s.startswith("|")
    body = s[1:] if lead else s
    if body.endswith("|"):
        body = body[:-1]
    cells = body.split("|")
    if len(cells) < 2 and not lead:
        return False
    return all(_RULE_CELL.fullmatch(cell.strip()) for cell in cells)


def _is_box_rule(raw: str) -> bool:
    """A line drawn with box-drawing characters and nothing else (``├────┼────┤``)."""
    return any(ch in _BOX_CHARS for ch in raw) and all(ch in _BOX_CHARS or ch.isspace() for ch in raw)


def _is_pipe_row(text: str) -> bool:
    """A table row whose cells pipes separate, without edge pipes (``规章| 0| 0``):
    a pipe and a cell that is a value."""
    return "|" in text and any(_VALUE_CELL.fullmatch(cell.replace(" ", "")) for cell in text.split("|"))


#: The characters of a blank cell's mark (``values.BLANK_RE``): a space between two
#: of them separates two blank cells (``0 / / 0`` is four cells, ``0 // 0`` three).
_BLANK_MARKS = frozenset("/\\—–―-_")


def _is_word(ch: str) -> bool:
    return bool(_NUMERIC.match(ch))


def normalise_line(number: int, raw: str) -> Line:
    """Normalise one raw line (see the module docstring)."""
    text, offsets = _normalise_text(raw)
    return Line(number, raw, text, offsets)


def _normalise_text(raw: str) -> tuple[str, Sequence[int]]:
    """A raw line's normalised text and offsets."""
    folded = fold_text(raw)  # one character for one: offsets unchanged
    if " " not in folded and "|" not in folded and "\r" not in folded and "\n" not in folded:
        return folded, range(len(raw))  # nothing to drop or to turn into a separator: most lines
    if is_markdown_rule(folded) or _is_box_rule(raw):
        return "", range(0)
    pipe_row = folded.strip().startswith("|") or _is_pipe_row(folded)
    if pipe_row:
        folded = folded.replace("|", "\t")
    base: Sequence[int]
    if "\r" in folded or "\n" in folded:
        base = [i for i, ch in enumerate(folded) if ch not in "\r\n"]
        folded = folded.replace("\r", "").replace("\n", "")
    else:
        base = range(len(folded))
    # Drop spaces between two characters that are not letters or digits, and at
    # a field's edges; a run of spaces between numbers becomes one space.
    parts: list[str] = []
    dropped: list[tuple[int, int]] = []  # spans of ``folded`` left out
    pos = 0
    n = len(folded)
    for m in _SPACE_RUN.finditer(folded):
        i, j = m.span()
        parts.append(folded[pos:i])
        pos = j
        left = folded[i - 1] if i > 0 else ""
        right = folded[j] if j < n else ""
        if left in ("", "\t") or right in ("", "\t") or (
                not _is_word(left) and not _is_word(right) and not (left in _BLANK_MARKS and right in _BLANK_MARKS)):
            dropped.append((i, j))
            continue
        parts.append(" ")
        if j - i > 1:
            dropped.append((i + 1, j))
    parts.append(folded[pos:])
    text = "".join(parts)
    if not dropped and isinstance(base, range):
        offsets: Sequence[int] = base
    else:
        offsets = _kept(base, n, dropped)
    if pipe_row:  # a pipe row may start and end with a pipe: drop the edge pipes (an empty cell stays a field)
        lead = 1 if text.startswith("\t") else 0
        trail = 1 if len(text) > lead and text.endswith("\t") else 0
        text = text[lead:len(text) - trail]
        offsets = offsets[lead:lead + len(text)]
    if len(offsets) == len(raw) and (not offsets or offsets[-1] == len(raw) - 1):
        return text, range(len(raw))  # one for one (offsets only grow): no copy
    return text, offsets if isinstance(offsets, array) else array("q", offsets)


def _kept(base: Sequence[int], n: int, dropped: list[tuple[int, int]]) -> "array[int]":
    """``base`` (the raw index of each of ``n`` characters) without the dropped spans."""
    out: list[int] = []
    pos = 0
    for i, j in dropped:
        out += base[pos:i]
        pos = j
    out += base[pos:n]
    return array("q", out)


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF and lone CR."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def normalise(text: str) -> list[Line]:
    """The report's text → its normalised lines."""
    return [normalise_line(n, raw) for n, raw in enumerate(split_lines(text), start=1)]
