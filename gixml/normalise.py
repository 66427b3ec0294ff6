"""Stage 2 — normalise: text → lines whose characters every later stage can trust.

Each :class:`Line` keeps the raw text as printed (for citation) and a
normalised text in which

- full-width letters, digits and signs are ASCII (``＋３０`` → ``+30``,
  ``（一）`` → ``(一)``), and the minus sign is ``-``;
- NBSP, ideographic and other exotic spaces are plain spaces;
- spaces between two non-alphanumeric characters are removed, which mends
  labels broken by spaces (``结 果 维 持`` → ``结果维持``, ``2. 其他`` → ``2.其他``)
  while keeping the spaces that separate numbers (``0 0 0``);
- cell separators are tabs: a tab stays a tab, and so does a markdown pipe in a
  table row (``| 规章 | 0 |``); markdown rules (``|---|``) become empty.

``offsets[i]`` is the index in ``raw`` of normalised character ``i``, so any
span found later maps back to the printed characters.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SPACES = {"\u00a0", "\u3000", "\u2002", "\u2003", "\u2009", "\u200b", "\u202f", "\u205f", "\ufeff", "\u2007", "\u2008"}
_FOLD = {
    "\u2212": "-",  # minus sign
    "\uff0d": "-",
    "\u00b7": ".",  # middle dot sometimes printed for a decimal point
    "\uff0e": ".",
    "\u3001": "、",
}
# a markdown rule has at least one pipe: "|---|---|", "---|---" (a lone "--" is a blank cell)
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)+\|?\s*$|^\s*\|\s*:?-{2,}:?\s*\|?\s*$")
_NUMERIC = re.compile(r"[0-9A-Za-z]")


@dataclass(frozen=True)
class Line:
    """One line of the report: its 1-based number, raw text and normalised text."""

    number: int
    raw: str
    text: str
    offsets: tuple[int, ...]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` back to ``raw``."""
        if start >= end or not self.offsets:
            return (0, 0)
        return (self.offsets[start], self.offsets[end - 1] + 1)

    def field_of(self, position: int) -> int:
        """Which tab-separated field of ``text`` holds ``position`` (0-based)."""
        return self.text.count("\t", 0, position)


def fold_char(ch: str) -> str:
    """Fold one character: full-width ASCII to ASCII, exotic spaces to a space."""
    if ch in _SPACES:
        return " "
    if ch in _FOLD:
        return _FOLD[ch]
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII block
        return chr(code - 0xFEE0)
    if unicodedata.category(ch) == "Zs":
        return " "
    return ch


def _is_word(ch: str) -> bool:
    return bool(_NUMERIC.match(ch))


def normalise_line(number: int, raw: str) -> Line:
    """Normalise one raw line (see the module docstring)."""
    folded = "".join(fold_char(c) for c in raw)
    if _MD_RULE.match(folded):
        return Line(number, raw, "", ())
    chars: list[str] = []
    offsets: list[int] = []
    pipe_row = folded.strip().startswith("|")
    for i, ch in enumerate(raw):
        ch = fold_char(ch)
        if pipe_row and ch == "|":
            ch = "\t"
        elif ch == "\r" or ch == "\n":
            continue
        chars.append(ch)
        offsets.append(i)
    # Drop spaces between two characters that are not letters or digits.
    out_chars: list[str] = []
    out_offsets: list[int] = []
    n = len(chars)
    i = 0
    while i < n:
        ch = chars[i]
        if ch == " ":
            j = i
            while j < n and chars[j] == " ":
                j += 1
            left = out_chars[-1] if out_chars else ""
            right = chars[j] if j < n else ""
            if left in ("", "\t") or right in ("", "\t"):
                i = j  # spaces at a field edge carry nothing
                continue
            if not _is_word(left) and not _is_word(right):
                i = j
                continue
            out_chars.append(" ")
            out_offsets.append(offsets[i])
            i = j
            continue
        out_chars.append(ch)
        out_offsets.append(offsets[i])
        i += 1
    if pipe_row:  # a markdown row starts and ends with a pipe: drop the outer empty fields
        while out_chars and out_chars[0] == "\t":
            out_chars.pop(0)
            out_offsets.pop(0)
        while out_chars and out_chars[-1] == "\t":
            out_chars.pop()
            out_offsets.pop()
    return Line(number, raw, "".join(out_chars), tuple(out_offsets))


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF and lone CR."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def normalise(text: str) -> list[Line]:
    """Stage entry point: the report's text → its normalised lines."""
    return [normalise_line(n, raw) for n, raw in enumerate(split_lines(text), start=1)]
