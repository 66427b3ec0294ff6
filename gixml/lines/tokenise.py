"""Tokenise: each normalised line → the labels and values printed on it.

A line may hold one cell, a whole tab-separated row, or (in web dumps) a whole
table glued into one run of text. Tokenising finds, left to right:

- **labels** of the form (section titles, 第二十条 sub-tables, row labels, row
  groups, column headers, the identity note) with the patterns of
  ``forms.py``, together with the list index printed before a sub-row
  (``2.`` in ``2.其他法律行政法规禁止公开``) or an ordinal (``（三）``, ``三、``);
- **values** in the gaps between labels: numbers with an optional sign and
  unit (``+30``, ``45.82万元``), blank markers (``/``, ``—``), and glued digit
  runs (``801000081``), kept whole for the assembler to split;
- everything else as **text** (prose, fragments of broken labels); a number
  glued into text (``2020年``, ``保留4位小数``, ``2021-01-26``) stays text.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, get_args

from ..forms import (
    ALL_LABELS,
    CELL_UNIT_PATTERN,
    LABEL_FIRST_CHARACTERS,
    LabelKind,
    LabelSpec,
)
from ..records import fast_init
from .normalise import Line
from .values import MAX_DIGITS, parse_value

#: A token is one of the form's labels (:data:`~gixml.forms.LabelKind`), a
#: value (a number), a blank mark (``/``, ``—``), or other text.
TokenKind = Literal["section", "subtable", "row", "group", "column", "note", "value", "blank", "text"]
LABEL_KINDS: tuple[LabelKind, ...] = get_args(LabelKind)


def _label_matcher() -> tuple[re.Pattern[str], dict[str, LabelSpec]]:
    """One pattern for every label of the form, and the label each group names.

    At one position the first alternative that matches wins (``forms.py``
    orders them longer and more specific first). Each alternative is the
    label's pattern followed by an empty named group, so that it starts with
    its own first literal, which the regex engine checks before entering it
    (with the group around the pattern instead, a batch takes three times as
    long); ``m.lastgroup`` names the label. The lookahead on the characters
    labels start with lets the engine skip the other positions of a line at
    once: without it a batch takes 1.15× as long (``benchmarks/compare.py``,
    600 text reports, median of 4 runs, 2026-12-03).
    """
    parts, by_group = [], {}
    for n, spec in enumerate(ALL_LABELS):
        for m, pattern in enumerate(spec.patterns):
            group = f"g{n}_{m}"
            by_group[group] = spec
            parts.append(f"(?:{pattern})(?P<{group}>)")
    first = "".join(re.escape(ch) for ch in sorted(LABEL_FIRST_CHARACTERS))
    return re.compile(f"(?=[{first}])(?:{'|'.join(parts)})"), by_group


LABEL_PATTERN, LABEL_BY_GROUP = _label_matcher()

_ORDINAL_BEFORE = re.compile(r"(?:\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}[、.]?)$")
# (the lookahead lets the regex engine skip ahead to a sign or digit: 40% faster on long chunks)
_NUMBER_IN_CHUNK = re.compile(rf"(?=[\d+\-])[+-]?\d+(?:\.\d+)?(?:{CELL_UNIT_PATTERN})?")
CJK = re.compile(r"[\u3400-\u9fff]")
# A sub-heading glued after a cell: "行政事业性收费5949.09(二)主动公开…".
_ORDINAL_AFTER = re.compile(r"\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}、")
_SIGNED_RUN = re.compile(r"\d+(?:-\d+)+")
_DATE = re.compile(r"(?:19|20)\d\d-\d{1,2}(?:-\d{1,2})?")  # 2021-01-26, 2021-01
_CHUNK = re.compile(r"\S+")
_SIGNED_PIECE = re.compile(r"-?\d+")
_TOO_MANY_DIGITS = re.compile(rf"\d{{{MAX_DIGITS + 1}}}")
_VALUE_CHAR = re.compile(r"[\d/\\—–―\-_]")  # what a value or a blank mark (values.BLANK_RE) holds
_DATE_WORD = re.compile(r"^(?:年|月|日|号|时|%|个百分点)")


@fast_init
@dataclass(frozen=True, slots=True)
class Token:
    """A label or value found on a line.

    ``start``/``end`` index the line's normalised text; ``field`` is the
    tab-separated field the token starts in. ``value``/``unit`` are set for
    ``value`` tokens (``value`` is None for a ``blank``); ``digits`` keeps the
    printed digits of a value for digit-level reasoning on glued runs.
    """

    kind: TokenKind
    line: int
    start: int
    end: int
    text: str
    key: str | None = None
    table: str | None = None
    value: int | float | None = None
    unit: str | None = None
    digits: str = ""
    field: int = 0
    alone: bool = False  # the only token of its line or tab field: printed as one cell

    @property
    def is_label(self) -> bool:
        return self.kind in LABEL_KINDS

    @property
    def is_value(self) -> bool:
        return self.kind in ("value", "blank")


def _label_tokens(line: Line, field_of: Callable[[int], int], limit: int) -> list[Token]:
    """The form's labels on a line, left to right, at most ``limit`` of them."""
    text = line.text
    tokens: list[Token] = []
    prev_end = 0
    for m in LABEL_PATTERN.finditer(text):
        if len(tokens) >= limit:
            break
        spec: LabelSpec = LABEL_BY_GROUP[m.lastgroup or ""]
        start, end = m.start(), m.end()
        before = text[prev_end:start]
        if spec.index and (before.endswith(spec.index + ".") or before.endswith(spec.index + "、")):
            start -= len(spec.index) + 1
        else:
            o = _ORDINAL_BEFORE.search(before)
            if o and spec.kind in ("section", "row", "group"):
                start = prev_end + o.start()
        tokens.append(
            Token(spec.kind, line.number, start, end, text[start:end], spec.key, spec.table, field=field_of(start))
        )
        prev_end = end
    return tokens


def _gap_tokens(line: Line, start: int, end: int, field_of: Callable[[int], int], limit: int) -> list[Token]:
    """Values and text between two labels (or the line's ends); it stops once
    it holds ``limit`` tokens or more."""
    tokens: list[Token] = []
    text = line.text
    chunks = _CHUNK.finditer(text, start, end)  # (lazily: a gap may hold millions of chunks)
    after = next(chunks, None)
    while after is not None and len(tokens) < limit:
        chunk, after = after, next(chunks, None)
        c_start, c_end = chunk.start(), chunk.end()
        s = chunk.group()
        if not _VALUE_CHAR.search(s):  # no digit and no blank mark: text (most of the prose)
            tokens.append(Token("text", line.number, c_start, c_end, s, field=field_of(c_start)))
            continue
        parsed = parse_value(s)
        following = after.group() if after is not None else text[end:end + 1]
        if parsed is not None and parsed.value is not None and _DATE_WORD.match(following):
            parsed = None  # "2020 年", "1 月": a date printed with spaces
            tokens.append(Token("text", line.number, c_start, c_end, s, field=field_of(c_start)))
            continue
        if parsed is None and _SIGNED_RUN.fullmatch(s) and not _DATE.fullmatch(s):
            # "2648-18538": cells glued with a negative change among them; each "-" starts a cell
            if not _TOO_MANY_DIGITS.search(s):  # every piece is a cell
                for m in _SIGNED_PIECE.finditer(s):
                    if len(tokens) >= limit:
                        break
                    piece = parse_value(m.group())
                    tokens.append(Token("value", line.number, c_start + m.start(), c_start + m.end(), m.group(),
                                        value=piece.value, digits=piece.digits,  # type: ignore[union-attr]
                                        field=field_of(c_start + m.start())))
                continue
        if parsed is not None:
            kind: TokenKind = "blank" if parsed.value is None else "value"
            tokens.append(
                Token(kind, line.number, c_start, c_end, s, value=parsed.value, unit=parsed.unit,
                      digits=parsed.digits, field=field_of(c_start))
            )
            continue
        # A number glued to the end of a text chunk ("…事务0") or to a sub-heading
        # that follows ("5949.09(二)…") is a value; one followed by more text
        # ("2020年", "4位") or glued to a date/time separator is text.
        pos = 0
        for m in _NUMBER_IN_CHUNK.finditer(s):
            if len(tokens) >= limit:
                break
            prev = s[m.start() - 1] if m.start() > 0 else ""
            if m.end() < len(s) and not _ORDINAL_AFTER.match(s, m.end()):  # (no copy of the rest: chunks can be long)
                continue
            if prev and (prev in ".:-/%" or (prev.isascii() and prev.isalnum())):
                continue
            if m.end() == len(s) and _DATE_WORD.match(following):
                continue  # "(一)2024 年工作…": a year
            parsed = parse_value(m.group())
            if parsed is None:
                continue  # a run of digits too long to be a cell: stays text
            if m.start() > pos:
                tokens.append(Token("text", line.number, c_start + pos, c_start + m.start(), s[pos:m.start()],
                                    field=field_of(c_start + pos)))
            tokens.append(
                Token("value", line.number, c_start + m.start(), c_start + m.end(), m.group(), value=parsed.value,
                      unit=parsed.unit, digits=parsed.digits, field=field_of(c_start + m.start()))
            )
            pos = m.end()
        if pos < len(s):
            tokens.append(Token("text", line.number, c_start + pos, c_end, s[pos:], field=field_of(c_start + pos)))
    return tokens


def tokenise_line(line: Line) -> list[Token]:
    """All tokens of one line, left to right."""
    found = text_tokens(line.text)
    if line.number == 0:
        return list(found)
    return [_renumbered(t, line.number) for t in found]


def _renumbered(t: Token, number: int) -> Token:
    """A memoised token on its own line: a copy with ``line`` set."""
    return Token(t.kind, number, t.start, t.end, t.text, t.key, t.table, t.value, t.unit, t.digits, t.field, t.alone)


#: The most tokens read from one line: the longest line of the reports in
#: ``../shared`` (a whole table on one line of a web dump) holds 325. A line of a
#: million cells is no table row; tokenising it all would take minutes and
#: gigabytes, so after this many tokens the rest of the line is one ``text``
#: token (:func:`is_cut` tells), and the report warns ``long_line``.
MAX_LINE_TOKENS = 20_000


def is_cut(tokens: Sequence[Token]) -> bool:
    """Whether a line's tokens stop at :data:`MAX_LINE_TOKENS`, the rest being one text token."""
    return len(tokens) > MAX_LINE_TOKENS


def _field_finder(text: str) -> Callable[[int], int]:
    """``field_of(position)``: the tab-separated field holding a position (see :class:`_Fields`)."""
    return _Fields(text) if "\t" in text else _first_field


class _Fields:
    """The field of a position, by bisection among the line's tabs, found only
    as far as the positions asked for: counting the tabs before each token made
    a line of a million cells take hours, and listing all the tabs of a line
    whose tokens stop at :data:`MAX_LINE_TOKENS` cost memory for nothing."""

    def __init__(self, text: str):
        self.text = text
        self.tabs: list[int] = []
        self.scanned = 0  # every tab before this position is in ``tabs``

    def __call__(self, position: int) -> int:
        if position > self.scanned:
            find, tabs = self.text.find, self.tabs
            i = find("\t", self.scanned, position)
            while i != -1:
                tabs.append(i)
                i = find("\t", i + 1, position)
            self.scanned = position
        return bisect_left(self.tabs, position)


def _first_field(position: int) -> int:
    return 0


def _tokens_of_text(text: str) -> tuple[Token, ...]:
    """The tokens of a line's text, numbered line 0 (they depend on the text alone)."""
    line = Line(0, text, text, ())
    field_of = _field_finder(text)
    labels = _label_tokens(line, field_of, MAX_LINE_TOKENS)
    tokens: list[Token] = []
    pos = 0
    for label in labels:
        tokens += _gap_tokens(line, pos, label.start, field_of, MAX_LINE_TOKENS - len(tokens))
        if len(tokens) >= MAX_LINE_TOKENS:
            break
        tokens.append(label)
        pos = label.end
    else:
        tokens += _gap_tokens(line, pos, len(text), field_of, MAX_LINE_TOKENS - len(tokens))
    if len(tokens) >= MAX_LINE_TOKENS:  # the rest of the line is one text token (see MAX_LINE_TOKENS)
        tokens = tokens[:MAX_LINE_TOKENS]
        cut = tokens[-1].end
        if text[cut:].strip():
            tokens.append(Token("text", 0, cut, len(text), text[cut:], field=field_of(cut)))
    if not any(t.kind == "value" or t.kind == "blank" for t in tokens):
        return tuple(tokens)  # (prose, labels: nothing to mark as alone)
    per_field = Counter(t.field for t in tokens)
    return tuple(Token(t.kind, t.line, t.start, t.end, t.text, t.key, t.table, t.value, t.unit, t.digits, t.field, True)
                 if t.is_value and per_field[t.field] == 1 else t for t in tokens)


# Short lines repeat within and across reports (half the lines of one-cell-per-line
# layouts are a lone "0", and every report prints the form's labels), so their
# tokens are memoised: without the memo a batch takes 1.08× as long
# (``benchmarks/compare.py``, 600 text reports, median of 10 runs, 2026-12-03).
_tokens_of_short = lru_cache(maxsize=8192)(_tokens_of_text)


def text_tokens(text: str) -> tuple[Token, ...]:
    """The tokens of a text as one line numbered 0 (memoised for short texts;
    tokens are immutable)."""
    return _tokens_of_short(text) if len(text) <= 120 else _tokens_of_text(text)


def tokenise(lines: list[Line]) -> list[list[Token]]:
    """One list of tokens per line."""
    return [tokenise_line(line) for line in lines]


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))
