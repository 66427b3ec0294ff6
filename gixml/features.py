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
from functools import lru_cache
from collections.abc import Collection, Sequence
from typing import Any

from .labels import _FURNITURE, _PAGE_NUMBER, _SENTENCE, RuleLabeller
from .normalise import Line
from .tokenise import _CJK, Token

FEATURE_VERSION = 2  # 2: the rules are sure of a lone 0 (page numbers start at 1) and of plain sentences

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


_SHAPES: dict[tuple[str, str, float], tuple[dict[str, Any], dict[str, Any]]] = {}


def _short_shape(line: Line, tokens: Sequence[Token], rule: str, conf: float
                 ) -> tuple[dict[str, Any], dict[str, Any]]:
    """:func:`line_shape` and its context part, memoised by the line's text
    (its tokens and rule follow from it). Callers must not change them."""
    key = (line.text, rule, conf)
    found = _SHAPES.get(key)
    if found is None:
        if len(_SHAPES) >= 8192:
            _SHAPES.clear()
        shape = line_shape(line, tokens, (rule, conf))
        found = _SHAPES[key] = (shape, {c: shape[c] for c in _CONTEXT_KEYS})
    return found


def digits_as_zero(text: str) -> str:
    return _DIGIT.sub("0", text.strip())


#: One part of a line's features: (name prefix, memo key or None, name → value).
#: A line's features are the union of its parts, each name prefixed.
FeaturePart = tuple[str, Any, dict[str, Any]]


def feature_parts(lines: Sequence[Line], tokens: Sequence[Sequence[Token]], *, window: int = 2,
                  rules: Sequence[tuple[Any, float]] | None = None, only: Collection[int] | None = None
                  ) -> tuple[list[int], list[str], list[list[FeaturePart]]]:
    """The features of the non-blank lines of one document, in parts.

    Returns (indices of the non-blank lines, their digit-folded texts, their
    feature parts): the line's own shape (prefix ``""``), its position and
    section (``""``), and the context shape of each neighbour (``p1:``,
    ``n2:``…). A part whose key is not None is the same for every line with
    that key (a short line's text and rule), so a consumer may memoise it.
    ``rules`` gives the :class:`~gixml.labels.RuleLabeller`'s (label,
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
    shapes: dict[int, tuple[Any, dict[str, Any], dict[str, Any]]] = {}  # k → (key, shape, context)
    texts: dict[int, str] = {}
    sections: list[tuple[str, int]] = []
    section = "none"
    since_section = 0
    for i in idx:
        for t in tokens[i]:
            if t.kind == "section" and t.key in _SECTION_ORDER:
                section, since_section = t.key, 0
        sections.append((section, since_section))
        since_section += 1
    for k in needed:
        i = idx[k]
        label, conf = rules[i]
        if len(lines[i].text) <= 120:  # short lines repeat (a lone 0, a label): memoised by text
            key: Any = (lines[i].text, label.value, conf)
            shapes[k] = (key, *_short_shape(lines[i], tokens[i], label.value, conf))
        else:
            shape = line_shape(lines[i], tokens[i], (label.value, conf))
            shapes[k] = (None, shape, {c: shape[c] for c in _CONTEXT_KEYS})
        texts[k] = digits_as_zero(lines[i].text)
    out_idx: list[int] = []
    out_texts: list[str] = []
    out: list[list[FeaturePart]] = []
    for k, i in enumerate(idx):
        if wanted is not None and i not in wanted:
            continue
        key, shape, _ = shapes[k]
        extras: dict[str, Any] = {
            "section": sections[k][0],
            "since_section": _bin(sections[k][1], (0, 1, 2, 4, 8, 16, 32, 64)),
            "position": _bin(k / max(n, 1), (0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98)),
            "blank_before": k > 0 and idx[k - 1] != i - 1,
            "blank_after": k + 1 < n and idx[k + 1] != i + 1,
        }
        parts: list[FeaturePart] = [("", key, shape), ("", None, extras)]
        for d in range(1, window + 1):
            for sign, name in ((-1, "p"), (1, "n")):
                j = k + sign * d
                if 0 <= j < n:
                    parts.append((f"{name}{d}:", shapes[j][0], shapes[j][2]))
                else:
                    extras[f"{name}{d}:edge"] = True
        if k > 0:
            extras["p1:text"] = texts[k - 1][:6]
        if k + 1 < n:
            extras["n1:text"] = texts[k + 1][:6]
        out.append(parts)
        out_idx.append(i)
        out_texts.append(texts[k])
    return out_idx, out_texts, out


def document_features(lines: Sequence[Line], tokens: Sequence[Sequence[Token]], *, window: int = 2,
                      rules: Sequence[tuple[Any, float]] | None = None, only: Collection[int] | None = None
                      ) -> tuple[list[int], list[str], list[dict[str, Any]]]:
    """Features of the non-blank lines of one document, one dict per line (for
    the DictVectorizer); see :func:`feature_parts` for the arguments."""
    idx, texts, parts = feature_parts(lines, tokens, window=window, rules=rules, only=only)
    feats = []
    for line_parts in parts:
        f: dict[str, Any] = {}
        for prefix, _, mapping in line_parts:
            if prefix:
                f.update(zip(_prefixed(prefix, tuple(mapping)), mapping.values()))
            else:
                f.update(mapping)
        feats.append(f)
    return idx, texts, feats


@lru_cache(maxsize=64)
def _prefixed(prefix: str, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(prefix + name for name in names)


# -- hashed character n-grams, without scikit-learn -------------------------
# The same numbers as scikit-learn's HashingVectorizer(analyzer="char",
# alternate_sign=False, norm="l2", lowercase=False) — a test compares them —
# so that extraction needs neither scikit-learn nor scipy (1 s and 150 MB per
# process saved), computed for all the lines of a document at once in numpy.
_WHITE_SPACES = re.compile(r"\s\s+")


def murmurhash3_32(data: bytes) -> int:
    """MurmurHash3 x86 32-bit of ``data``, seed 0, signed (as ``sklearn.utils.murmurhash3_32``)."""
    return murmurhash3_32_many([data])[0]


def _murmurhash3_words(words: Any, lens: Any) -> Any:
    """MurmurHash3 x86 32-bit (seed 0) of byte strings given as rows of
    little-endian uint32 words, zero-padded, with their byte lengths; int32."""
    import numpy as np

    c1, c2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)

    def rotl(x: Any, r: int) -> Any:
        return (x << np.uint32(r)) | (x >> np.uint32(32 - r))

    n, width = words.shape
    h = np.zeros(n, dtype=np.uint32)
    blocks = lens // 4
    for b in range(width):
        k = rotl(words[:, b] * c1, 15) * c2
        mixed = rotl(h ^ k, 13) * np.uint32(5) + np.uint32(0xE6546B64)
        h = np.where(blocks > b, mixed, h)
    k = rotl(words[np.arange(n), np.minimum(blocks, width - 1)] * c1, 15) * c2  # the zero-padded tail bytes
    h = np.where(lens % 4 > 0, h ^ k, h)
    h ^= lens.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def murmurhash3_32_many(items: Sequence[bytes]) -> list[int]:
    """:func:`murmurhash3_32` of many byte strings at once, with numpy."""
    import numpy as np

    if not items:
        return []
    lens = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
    width = max(4, int(-(-int(lens.max()) // 4) * 4))
    buf = b"".join(item.ljust(width, b"\0") for item in items)
    words = np.frombuffer(buf, dtype="<u4").reshape(len(items), width // 4).astype(np.uint32)
    return _murmurhash3_words(words, lens).tolist()


def hashed_ngrams_matrix(texts: Sequence[str], ngram_range: tuple[int, int], n_features: int
                         ) -> tuple[Any, Any, Any]:
    """The texts' character n-grams, counted, hashed and L2-normalised, as
    (text index, column, value) arrays sorted by text then column: the non-zero
    entries of ``HashingVectorizer.transform(texts)``. All in numpy: the
    n-grams are slices of the texts' UTF-8 bytes."""
    import numpy as np

    low, high = ngram_range
    data = bytearray()
    starts, ends, owners = [], [], []
    for t, text in enumerate(texts):
        text = _WHITE_SPACES.sub(" ", text)
        if not text:
            continue
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        sizes = 1 + (codes >= 0x80).astype(np.int64) + (codes >= 0x800) + (codes >= 0x10000)
        offsets = len(data) + np.concatenate(([0], np.cumsum(sizes)))
        data += text.encode("utf-8", "surrogatepass")
        for n in range(low, min(high, len(codes)) + 1):
            starts.append(offsets[:len(codes) - n + 1])
            ends.append(offsets[n:])
            owners.append(np.full(len(codes) - n + 1, t, dtype=np.int64))
    if not starts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    start, end, owner = np.concatenate(starts), np.concatenate(ends), np.concatenate(owners)
    lens = end - start
    width = max(4, int(-(-int(lens.max()) // 4) * 4))
    raw = np.frombuffer(bytes(data) + b"\0" * width, dtype=np.uint8)
    pick = start[:, None] + np.arange(width)[None, :]
    grams = np.where(pick < end[:, None], raw[np.minimum(pick, len(raw) - 1)], 0).astype(np.uint8)
    words = np.ascontiguousarray(grams).view("<u4").astype(np.uint32)
    h = _murmurhash3_words(words, lens).astype(np.int64)
    cols = np.where(h == -2147483648, (2147483647 - (n_features - 1)) % n_features, np.abs(h) % n_features)
    keys, counts = np.unique(owner * n_features + cols, return_counts=True)
    rows, cols = keys // n_features, keys % n_features
    values = counts.astype(np.float64)
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(texts)))
    return rows, cols, values / norms[rows]
