"""Features of a line for the line classifier, with its context.

Each non-blank line becomes

- **text**: the line's normalised text with every digit written as ``0`` (so
  ``2023`` and ``1136`` look alike), for character n-grams;
- **shape** (a dict of named numbers and flags): length, share of digits,
  CJK characters and punctuation, counts of the tokens ``tokenise`` found
  (values, blanks, glued runs, each kind of table label, text), sentence marks,
  tabs, leading ordinals, page-number and web-furniture patterns, the
  :class:`~gixml.lines.rules.RuleLabeller`'s label and confidence;
- **position**: where the line sits in the document and in which of the six
  sections (from the last section title seen), and how far from it;
- **context**: a small set of shape features of the previous and next
  non-blank lines (``window`` on each side), prefixed ``p1:``, ``n2:``…, and
  whether blank lines separate them.

Bump ``FEATURE_VERSION`` whenever the features change: a model trained on other
features refuses to load.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Sequence
from typing import Any

from ..forms import SECTION_KEYS
from .normalise import Line
from .rules import PAGE_NUMBER, SENTENCE, RuleLabeller, is_furniture
from .tokenise import CJK, LABEL_KINDS, Token

FEATURE_VERSION = 2  # 2: the rules are sure of a lone 0 (page numbers start at 1) and of plain sentences

#: The classifier reads the n-grams of a line's first this many characters.
#: No line of the reports in ``../shared`` is longer than 17,000 characters (a
#: whole table on one line of a web dump), so no model's training sees the cap;
#: it keeps a line of megabytes from costing more than it tells.
MAX_CLASSIFIED_CHARS = 50_000

_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
_PUNCTS = re.compile(r"[，。；：、！？,.;:()（）《》“”\"'\-—/|]+")
_CJKS = re.compile(CJK.pattern + "+")
_ORDINAL = re.compile(r"^\s*(?:\(?[一二三四五六七八九十]{1,3}[)、.]|\d{1,2}[.、)]|（)")
_YEAR = re.compile(r"(?:19|20)\d\d\s*年")
_CONTEXT_KEYS = ("rule", "has_value", "has_label", "has_text", "sentence", "len", "cjk_share", "section_title", "n_values")


def _bin(n: float, edges: Sequence[float]) -> int:
    """The index of the first edge ``n`` does not exceed (``len(edges)`` past the last)."""
    return bisect_left(edges, n)


def _count(runs: re.Pattern[str], text: str) -> int:
    """How many characters of ``text`` the one-character class ``runs`` (``[…]+``)
    matches: summed over runs, far fewer matches than characters."""
    return sum(map(len, runs.findall(text)))


def line_shape(line: Line, tokens: Sequence[Token], rule: tuple[str, float]) -> dict[str, Any]:
    """The shape features of one line (its text alone)."""
    text = line.text.strip()
    n = max(len(text), 1)
    kinds: dict[str, int] = {}
    glued = label_chars = text_chars = 0
    for t in tokens:  # one pass: counts per kind, glued runs, characters in labels and in text
        kind = t.kind
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "text":
            text_chars += t.end - t.start
        elif kind in LABEL_KINDS:
            label_chars += t.end - t.start
        elif kind == "value" and len(t.text) >= 5 and not t.alone and t.text.isdigit():
            glued += 1
    f: dict[str, Any] = {
        "rule": rule[0],
        "rule_conf": rule[1],
        "len": _bin(len(text), (1, 2, 4, 8, 12, 16, 24, 32, 48, 80)),
        "digit_share": _count(_DIGITS, text) / n,
        "cjk_share": _count(_CJKS, text) / n,
        "punct_share": _count(_PUNCTS, text) / n,
        "n_values": _bin(kinds.get("value", 0), (0, 1, 2, 3, 5, 8)),
        "n_blanks": _bin(kinds.get("blank", 0), (0, 1, 3)),
        "glued": glued > 0,
        "has_value": bool(kinds.get("value") or kinds.get("blank")),
        "has_label": label_chars > 0,
        "has_text": text_chars > 0,
        "label_share": label_chars / n,
        "text_share": text_chars / n,
        "section_title": bool(kinds.get("section")),
        "subtable": bool(kinds.get("subtable")),
        "n_rows": _bin(kinds.get("row", 0) + kinds.get("group", 0), (0, 1, 2)),
        "n_columns": _bin(kinds.get("column", 0), (0, 1, 2)),
        "note": bool(kinds.get("note")),
        "sentence": bool(SENTENCE.search(text)),
        "ends_sentence": text.endswith(("。", ";", "；")),
        "ends_comma": text.endswith((",", "，", "、")),
        "tabs": _bin(line.text.count("\t"), (0, 1, 3, 6)),
        "spaces": _bin(text.count(" "), (0, 1, 3, 6)),
        "ordinal": bool(_ORDINAL.match(text)),
        "year": bool(_YEAR.search(text)),
        "page_number": bool(PAGE_NUMBER.match(text)),
        "furniture": is_furniture(text),
        "one_char": len(text) == 1,
        "ascii_only": text.isascii(),
    }
    return f


#: A part's memo key: its names and its values other than floats (see
#: :func:`feature_parts`); floats are this placeholder.
_ANY_FLOAT = object()


def part_key(tag: str, mapping: dict[str, Any]) -> tuple[Any, ...]:
    """``(tag, values with floats as a placeholder)``: parts of the same tag
    have the same names in the same order, so two parts with equal keys have
    the same columns, and differ at most in their float values."""
    return (tag, tuple([_ANY_FLOAT if v.__class__ is float else v for v in mapping.values()]))


Shaped = tuple[tuple[Any, ...], dict[str, Any], tuple[Any, ...], dict[str, Any]]


def _shaped(line: Line, tokens: Sequence[Token], rule: str, conf: float) -> Shaped:
    """(key, :func:`line_shape`, key, context part) of a line."""
    shape = line_shape(line, tokens, (rule, conf))
    context = {c: shape[c] for c in _CONTEXT_KEYS}
    return part_key("shape", shape), shape, part_key("context", context), context


def context_shape(line: Line, tokens: Sequence[Token], rule: str) -> dict[str, Any]:
    """The part of :func:`line_shape` a neighbour contributes (``_CONTEXT_KEYS``,
    in that order), computed without the rest (a test compares the two)."""
    text = line.text.strip()
    n = max(len(text), 1)
    has_value = has_label = has_text = section_title = False
    n_values = 0
    for t in tokens:
        kind = t.kind
        if kind == "value":
            n_values += 1
            has_value = True
        elif kind == "blank":
            has_value = True
        elif kind == "text":
            has_text = has_text or t.end > t.start
        elif kind in LABEL_KINDS:
            has_label = has_label or t.end > t.start
            section_title = section_title or kind == "section"
    return {
        "rule": rule,
        "has_value": has_value,
        "has_label": has_label,
        "has_text": has_text,
        "sentence": bool(SENTENCE.search(text)),
        "len": _bin(len(text), (1, 2, 4, 8, 12, 16, 24, 32, 48, 80)),
        "cjk_share": _count(_CJKS, text) / n,
        "section_title": section_title,
        "n_values": _bin(n_values, (0, 1, 2, 3, 5, 8)),
    }


def digits_as_zero(text: str) -> str:
    return _DIGIT.sub("0", text.strip())


#: One part of a line's features: (name prefix, memo key, name → value). A
#: line's features are the union of its parts, each name prefixed. Parts with
#: equal prefixes and keys have the same names and the same values but floats
#: (see :func:`part_key`): their columns can be memoised by key.
FeaturePart = tuple[str, Any, dict[str, Any]]


def feature_parts(lines: Sequence[Line], tokens: Sequence[Sequence[Token]], *, window: int = 2,
                  rules: Sequence[tuple[Any, float]] | None = None, only: Collection[int] | None = None
                  ) -> tuple[list[int], list[str], list[list[FeaturePart]]]:
    """The features of the non-blank lines of one document, in parts.

    Returns (indices of the non-blank lines, their digit-folded texts, their
    feature parts): the line's own shape (prefix ``""``), its position and
    section (``""``), the first characters of the lines around it (``""``),
    and the context shape of each neighbour (``p1:``, ``n2:``…), each with
    its memo key (see ``FeaturePart``).
    ``rules`` gives the :class:`~gixml.lines.rules.RuleLabeller`'s (label,
    confidence) of every line when the caller has it already; ``only`` limits
    the result to those line indices (their context still comes from every line)."""
    if rules is None:
        labeller = RuleLabeller()
        rules = [labeller.predict_one(line, toks) if line.text.strip() else (None, 0.0)
                 for line, toks in zip(lines, tokens)]
    idx = [i for i, line in enumerate(lines) if line.text.strip()]
    n = len(idx)
    wanted = None if only is None else set(only)
    # Shapes of the lines asked about and of their neighbours only.
    reach = max(window, 1)
    needed = range(n) if wanted is None else sorted({
        j for k, i in enumerate(idx) if i in wanted for j in range(max(k - reach, 0), min(k + reach + 1, n))})
    shapes: dict[int, Any] = {}  # k → (key, shape, key, context part); shape and its key None for a neighbour only
    sections: list[tuple[str, int]] = []
    section = "none"
    since_section = 0
    for i in idx:
        for t in tokens[i]:
            if t.kind == "section" and t.key in SECTION_KEYS:
                section, since_section = t.key, 0
        sections.append((section, since_section))
        since_section += 1
    for k in needed:
        i = idx[k]
        label, conf = rules[i]
        if wanted is not None and i not in wanted:  # only a neighbour: its context part alone
            neighbour = context_shape(lines[i], tokens[i], label.value)
            shapes[k] = (None, None, part_key("context", neighbour), neighbour)
        else:
            shapes[k] = _shaped(lines[i], tokens[i], label.value, conf)
    out_idx: list[int] = []
    out_texts: list[str] = []
    out: list[list[FeaturePart]] = []
    for k, i in enumerate(idx):
        if wanted is not None and i not in wanted:
            continue
        key, shape, _, _ = shapes[k]
        section, since = sections[k]
        position: dict[str, Any] = {
            "section": section,
            "since_section": _bin(since, (0, 1, 2, 4, 8, 16, 32, 64)),
            "position": _bin(k / max(n, 1), (0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98)),
            "blank_before": k > 0 and idx[k - 1] != i - 1,
            "blank_after": k + 1 < n and idx[k + 1] != i + 1,
        }
        context: list[FeaturePart] = []
        for d in range(1, window + 1):
            for sign, name in ((-1, "p"), (1, "n")):
                j = k + sign * d
                if 0 <= j < n:
                    context.append((f"{name}{d}:", shapes[j][2], shapes[j][3]))
                else:
                    position[f"{name}{d}:edge"] = True
        around: dict[str, Any] = {}  # the first characters of the neighbouring lines
        if k > 0:
            around["p1:text"] = _DIGIT.sub("0", lines[idx[k - 1]].text.strip()[:6])
        if k + 1 < n:
            around["n1:text"] = _DIGIT.sub("0", lines[idx[k + 1]].text.strip()[:6])
        parts: list[FeaturePart] = [("", key, shape), ("", ("position", *position.items()), position)]
        if around:
            parts.append(("", ("around", *around.items()), around))
        out.append(parts + context)
        out_idx.append(i)
        out_texts.append(digits_as_zero(lines[i].text[:MAX_CLASSIFIED_CHARS]))
    return out_idx, out_texts, out
