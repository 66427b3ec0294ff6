"""Features of a line for the line classifier, with its context.

Each non-blank line becomes

- **text**: the line's normalised text with every digit written as ``0`` (so
  ``2023`` and ``1136`` look alike), for character n-grams;
- **shape** (a dict of named numbers and flags): length, share of digits,
  CJK characters and punctuation, counts of the tokens ``tokenise`` found
  (values, blanks, glued runs, each kind of table label, text), sentence marks,
  tabs, leading ordinals, page-number and web-furniture patterns, the
  :class:`~gixml.labels.RuleLabeller`'s label and confidence;
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
from collections.abc import Sequence
from typing import Any

from .labels import _FURNITURE, _PAGE_NUMBER, _SENTENCE, RuleLabeller
from .normalise import Line
from .tokenise import _CJK, Token

FEATURE_VERSION = 1

_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[，。；：、！？,.;:()（）《》“”\"'\-—/|]")
_ORDINAL = re.compile(r"^\s*(?:\(?[一二三四五六七八九十]{1,3}[)、.]|\d{1,2}[.、)]|（)")
_YEAR = re.compile(r"(?:19|20)\d\d\s*年")
_SECTION_ORDER = ("overview", "active", "requests", "appeals", "problems", "other")
_CONTEXT_KEYS = ("rule", "has_value", "has_label", "has_text", "sentence", "len", "cjk_share", "section_title", "n_values")


def _bin(n: float, edges: Sequence[float]) -> int:
    for i, edge in enumerate(edges):
        if n <= edge:
            return i
    return len(edges)


def line_shape(line: Line, tokens: Sequence[Token], rule: tuple[str, float]) -> dict[str, Any]:
    """The shape features of one line (its text alone)."""
    text = line.text.strip()
    n = max(len(text), 1)
    kinds: dict[str, int] = {}
    for t in tokens:
        kinds[t.kind] = kinds.get(t.kind, 0) + 1
    values = [t for t in tokens if t.kind == "value"]
    glued = sum(1 for t in values if len(t.text) >= 5 and t.text.isdigit() and not t.alone)
    label_chars = sum(t.end - t.start for t in tokens if t.is_label)
    text_chars = sum(t.end - t.start for t in tokens if t.kind == "text")
    f: dict[str, Any] = {
        "rule": rule[0],
        "rule_conf": rule[1],
        "len": _bin(len(text), (1, 2, 4, 8, 12, 16, 24, 32, 48, 80)),
        "digit_share": len(_DIGIT.findall(text)) / n,
        "cjk_share": len(_CJK.findall(text)) / n,
        "punct_share": len(_PUNCT.findall(text)) / n,
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
        "sentence": bool(_SENTENCE.search(text)),
        "ends_sentence": text.endswith(("。", ";", "；")),
        "ends_comma": text.endswith((",", "，", "、")),
        "tabs": _bin(line.text.count("\t"), (0, 1, 3, 6)),
        "spaces": _bin(text.count(" "), (0, 1, 3, 6)),
        "ordinal": bool(_ORDINAL.match(text)),
        "year": bool(_YEAR.search(text)),
        "page_number": bool(_PAGE_NUMBER.match(text)),
        "furniture": bool(_FURNITURE.search(text)),
        "one_char": len(text) == 1,
        "ascii_only": text.isascii(),
    }
    return f


def digits_as_zero(text: str) -> str:
    return _DIGIT.sub("0", text.strip())


def document_features(lines: Sequence[Line], tokens: Sequence[Sequence[Token]], *, window: int = 2
                      ) -> tuple[list[int], list[str], list[dict[str, Any]]]:
    """Features of the non-blank lines of one document.

    Returns (indices of the non-blank lines, their digit-folded texts, their
    feature dicts with position and context)."""
    rules = RuleLabeller()
    idx = [i for i, line in enumerate(lines) if line.text.strip()]
    shapes: list[dict[str, Any]] = []
    texts: list[str] = []
    section = "none"
    since_section = 0
    for i in idx:
        toks = tokens[i]
        label, conf = rules.predict_one(lines[i], toks)
        shape = line_shape(lines[i], toks, (label.value, conf))
        for t in toks:
            if t.kind == "section" and t.key in _SECTION_ORDER:
                section, since_section = t.key, 0
        shape["section"] = section
        shape["since_section"] = _bin(since_section, (0, 1, 2, 4, 8, 16, 32, 64))
        since_section += 1
        shapes.append(shape)
        texts.append(digits_as_zero(lines[i].text))
    n = len(idx)
    feats: list[dict[str, Any]] = []
    for k, i in enumerate(idx):
        f = dict(shapes[k])
        f["position"] = _bin(k / max(n, 1), (0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98))
        f["blank_before"] = k > 0 and idx[k - 1] != i - 1
        f["blank_after"] = k + 1 < n and idx[k + 1] != i + 1
        for d in range(1, window + 1):
            for sign, name in ((-1, "p"), (1, "n")):
                j = k + sign * d
                if 0 <= j < n:
                    for key in _CONTEXT_KEYS:
                        f[f"{name}{d}:{key}"] = shapes[j][key]
                else:
                    f[f"{name}{d}:edge"] = True
        if k > 0:
            f["p1:text"] = texts[k - 1][:6]
        if k + 1 < n:
            f["n1:text"] = texts[k + 1][:6]
        feats.append(f)
    return idx, texts, feats
