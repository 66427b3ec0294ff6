"""Rejoin: mend table labels that the layout broke over several lines.

PDF text wraps long row labels (``一、本年新收政府信`` / ``息公开申请数量 69 23 …``),
sometimes one character per line (``三`` / ``、`` / ``本`` …), with the values on
the first, the last or a middle line. Line by line, no fragment matches a label
of the form, so its values would go to the wrong row.

Among the lines the labeller calls table lines (``label``/``row``; this is where
the classifier matters: a short fragment of prose such as ``2024 年，`` must
not be glued to a table label), each run of consecutive lines holding
unrecognised text is tried: the fragments (the line text without its values)
are concatenated and tokenised again, and the lines are joined when that finds
more of the form's labels than the lines did apart. A joined run holds at most
one row label (with the group labels above it) and the values of at most one
line, or of one row printed a value per line, so two rows are never merged. The joined label tokens
then come first, followed by the values of the joined lines in their printed
order; every value keeps its own line and offsets, so citations are unchanged.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..forms import ALL_LABELS
from .labels import LabelledLine, LineLabel
from .tokenise import Token, has_cjk, text_tokens

WINDOW = 12  # lines a broken label may span (one character per line: 三、本年度办理结果)
#: The longest text a joined run may read as one: a broken label's pieces are short cells and rows (a whole
#: requests row with its label is under 200 characters). A longer run is no broken label, and reading it
#: again for each line the window adds would cost its length twelve times over (a 100,000-character line).
MAX_JOINED_CHARS = 2_000
_JOINABLE = {LineLabel.LABEL, LineLabel.ROW}


def _fields(ll: LabelledLine) -> list[str]:
    """The line's tab fields without their values (and without spaces)."""
    text = ll.line.text
    out, pos = [], 0
    for t in ll.tokens:
        if t.is_value:
            out.append(text[pos:t.start])
            pos = t.end
    out.append(text[pos:])
    return "".join(out).replace(" ", "").split("\t")


def _label_chars(tokens: Sequence[Token]) -> int:
    return sum(t.end - t.start for t in tokens if t.is_label)


_LOOSE = _JOINABLE | {LineLabel.NUMBER}


def _has_loose_text(ll: LabelledLine) -> bool:
    """Whether a run may start at this line: it holds text no label claimed, or it is
    a short label alone (``其他``, the requests table's column, wrapping 其他对外管理服务事项)."""
    if ll.label not in _LOOSE:
        return False
    if any(t.kind == "text" and has_cjk(t.text) for t in ll.tokens):
        return True
    return len(ll.tokens) == 1 and ll.tokens[0].kind == "column" and len(ll.line.text.strip()) <= 2


def _joined_read(run: Sequence[LabelledLine]) -> tuple[Sequence[Token], list[tuple[int, int]]]:
    """The tokens of the run's fragments read as one text (numbered line 0), and
    where each fragment starts in that text: (offset, index of its line in the run).

    Lines cut into the same number of tab fields (a table whose cells wrap, as
    a text browser draws it) are joined column by column: each field's
    fragments in order, then the next field's, so that a group label and a row
    label wrapped side by side (``（五）不予处 │ 3.要求提`` over ``理 │ 供公开出版物``)
    are read whole. Other lines are joined line by line."""
    fields = [_fields(ll) for ll in run]
    width = len(fields[0])
    if width > 1 and all(len(f) == width for f in fields):
        parts = [(k, f[c]) for c in range(width) for k, f in enumerate(fields)]
    else:
        parts = [(k, "".join(f)) for k, f in enumerate(fields)]
    starts, pos = [], 0
    for k, part in parts:
        starts.append((pos, k))
        pos += len(part)
    text = "".join(part for _, part in parts)
    tokens = text_tokens(text)
    if any(t.kind == "row" for t in tokens):
        return tokens, starts
    return _untangled(text, tokens), starts


#: The group labels printed beside their rows' labels (三、本年度办理结果, （四）无法提供 …), as printed.
GROUP_TEXTS = tuple(p for spec in ALL_LABELS if spec.kind == "group" for p in spec.patterns if re.escape(p) == p)
_ORDINAL_CHARS = frozenset("()（）一二三四五六七八九十、")


def _untangled(text: str, tokens: Sequence[Token]) -> Sequence[Token]:
    """A group label and a row label wrapped in two narrow columns, read line
    by line, interleave: ``（四`` ``）无`` ``法提`` ``1.本`` ``机关`` ``不掌`` ``供``
    ``握相`` ``关政`` ``府信`` ``息`` gives ``(四)无法提1.本机关不掌供握相关政府信息``,
    which holds neither label. When a group label's characters are found in
    order (not side by side: that the plain reading finds) and what is left,
    without them and the ordinal before them, holds a row label, the two are
    read apart: the group label and the tokens of what is left, at the
    offsets of the text they came from. Otherwise the plain reading stands."""
    for group in GROUP_TEXTS:
        at = _in_order(text, group)
        if at is None or at[-1] - at[0] + 1 == len(group):
            continue
        taken = set(at)
        ordinal = at[0]
        while ordinal > 0 and text[ordinal - 1] in _ORDINAL_CHARS:  # the (四) printed before it
            ordinal -= 1
            taken.add(ordinal)
        for i in range(at[0], len(text)):  # the ordinal's closing bracket, wrapped after its first characters
            if text[i] in ")）" and i not in taken:
                taken.add(i)
                break
        kept = [i for i in range(len(text)) if i not in taken]
        rest = text_tokens("".join(text[i] for i in kept))
        if not any(t.kind == "row" for t in rest):
            continue
        label = next(t for t in text_tokens(group) if t.kind == "group")
        # each token at the offset of its first character, as long as it is (the gain counts label characters)
        moved = [replace(t, start=kept[t.start], end=kept[t.start] + t.end - t.start) for t in rest]
        return [replace(label, start=at[0], end=at[0] + len(group)), *moved]
    return tokens


def _in_order(text: str, chars: str) -> list[int] | None:
    """Where the characters of ``chars`` are found in ``text`` in order (each as early as it can), or None."""
    out, pos = [], 0
    for ch in chars:
        pos = text.find(ch, pos)
        if pos < 0:
            return None
        out.append(pos)
        pos += 1
    return out


def _joined_tokens(run: Sequence[LabelledLine]) -> tuple[list[Token], int]:
    """Label tokens of the run's fragments read as one text (each mapped to the
    line its label starts on), and how many label characters that finds."""
    tokens, starts = _joined_read(run)
    out = []
    for t in tokens:
        if not t.is_label:
            continue
        k = max(((pos, k) for pos, k in starts if pos <= t.start), default=starts[0])[1]
        out.append(replace(t, line=run[k].line.number, start=0, end=0, field=0))
    return out, _label_chars(tokens)


#: The most values one row prints (the requests table's seven columns).
MAX_ROW_VALUES = 7


def _one_per_line(out: Sequence[LabelledLine], table: Sequence[int], n: int, m: int, values: int) -> bool:
    """Whether the run's values are one row printed a value per line (plain
    pdftotext: ``3.要 113 41`` / ``0`` / ``1`` … / ``求提`` / ``供公``…): at most a
    row's worth, on consecutive lines (nothing else printed between: not a
    section title), every line after the first holding one value or none."""
    return values <= MAX_ROW_VALUES and all(
        table[k] == table[k - 1] + 1 and sum(1 for t in out[table[k]].tokens if t.is_value) <= 1
        for k in range(n + 1, m + 1))


def rejoin(labelled: Sequence[LabelledLine]) -> list[LabelledLine]:
    """The labelled lines with broken table labels joined.

    A joined run's first line carries the joined labels and all the run's
    values; the other lines of the run keep their text but lose their tokens."""
    out = list(labelled)
    table = [i for i, ll in enumerate(out) if ll.label in _JOINABLE or ll.label is LineLabel.NUMBER]
    n = 0
    while n < len(table):
        i = table[n]
        if not _has_loose_text(out[i]):
            n += 1
            continue
        best_gain, best_end = 0, n
        length = len(out[i].line.text)
        apart = _label_chars(out[i].tokens)
        value_lines = int(any(t.is_value for t in out[i].tokens))
        values = sum(1 for t in out[i].tokens if t.is_value)
        for m in range(n + 1, min(n + WINDOW, len(table))):
            j = table[m]
            here = sum(1 for t in out[j].tokens if t.is_value)
            value_lines += here > 0
            values += here
            if (j - table[m - 1] > 3 or any(out[b].label is LineLabel.HEADING for b in range(table[m - 1] + 1, j))
                    or (value_lines > 1 and not _one_per_line(out, table, n, m, values))):
                break  # a gap, a title, or a second row's values: one label cannot run on past them
            length += len(out[j].line.text)
            if length > MAX_JOINED_CHARS:
                break  # no broken label is this long (see MAX_JOINED_CHARS)
            apart += _label_chars(out[j].tokens)
            joined, _ = _joined_read([out[table[k]] for k in range(n, m + 1)])
            together = _label_chars(joined)
            if sum(1 for t in joined if t.kind == "row") > 1:
                break  # two rows' labels: each keeps its own values
            gain = together - apart
            if gain > best_gain:  # strictly: the shortest run that finds the most
                best_gain, best_end = gain, m
        if best_end == n:
            n += 1
            continue
        run = [out[table[k]] for k in range(n, best_end + 1)]
        labels, _ = _joined_tokens(run)
        values = [t for ll in run for t in ll.tokens if t.is_value]
        # labels printed after the run's last joined label (none, usually) stay in place
        out[table[n]] = replace(run[0], tokens=tuple(labels + values))
        for k in range(n + 1, best_end + 1):
            out[table[k]] = replace(out[table[k]], tokens=())
        n = best_end + 1
    return out
