"""Hashed character n-grams of many texts at once, in numpy: the line classifier's text features.

The same numbers as scikit-learn's ``HashingVectorizer(analyzer="char",
alternate_sign=False, norm="l2", lowercase=False)`` (a test compares them), so
that extraction needs neither scikit-learn nor scipy: a worker process needs
40 MB instead of 200 and starts a second sooner, and scoring through
``scorer.py`` makes a batch 1.17× faster than the scikit-learn estimator
(``benchmarks/compare.py``, 600 text reports, median of 4 runs, 2026-12-03).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

_WHITE_SPACES = re.compile(r"\s\s+")


def _murmurhash3_words(words: Any, lens: Any) -> Any:
    """MurmurHash3 x86 32-bit (seed 0) of byte strings given as rows of
    little-endian uint32 words, zero-padded, with their byte lengths; int32."""
    n, width = words.shape
    k = words * np.uint32(0xCC9E2D51)  # every word mixed at once: the blocks and the zero-padded tail alike
    k = (k << np.uint32(15)) | (k >> np.uint32(17))
    k *= np.uint32(0x1B873593)
    h = np.zeros(n, dtype=np.uint32)
    blocks = lens // 4
    for b in range(width):
        mixed = h ^ k[:, b]
        mixed = (mixed << np.uint32(13)) | (mixed >> np.uint32(19))
        mixed = mixed * np.uint32(5) + np.uint32(0xE6546B64)
        h = np.where(blocks > b, mixed, h)
    tail = k[np.arange(n), np.minimum(blocks, width - 1)]  # the last, partial word (its padding is zeros)
    h = np.where(lens % 4 > 0, h ^ tail, h)
    h ^= lens.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def murmurhash3_32_many(items: Sequence[bytes]) -> list[int]:
    """MurmurHash3 x86 32-bit (seed 0, signed, as ``sklearn.utils.murmurhash3_32``) of many byte strings at
    once, with numpy: the hash :func:`hashed_ngrams_matrix` uses, as a function a test can compare."""
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
    low, high = ngram_range
    cleaned = [_WHITE_SPACES.sub(" ", text) for text in texts]
    joined = "".join(cleaned)
    if not joined:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    # All texts at once: their code points, each character's text, and the
    # UTF-8 byte offset of every character in the joined UTF-8 bytes.
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    owner_of = np.repeat(np.arange(len(cleaned), dtype=np.int64),
                         np.fromiter(map(len, cleaned), dtype=np.int64, count=len(cleaned)))
    sizes = 1 + (codes >= 0x80).astype(np.int64) + (codes >= 0x800) + (codes >= 0x10000)
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    data = joined.encode("utf-8", "surrogatepass")
    starts, ends, owners = [], [], []
    total = len(codes)
    for n in range(low, high + 1):
        if n > total:
            break
        same = owner_of[:total - n + 1] == owner_of[n - 1:]  # the n-gram stays inside one text
        starts.append(offsets[:total - n + 1][same])
        ends.append(offsets[n:][same])
        owners.append(owner_of[:total - n + 1][same])
    start, end, owner = np.concatenate(starts), np.concatenate(ends), np.concatenate(owners)
    if not len(start):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    lens = end - start
    width = max(4, int(-(-int(lens.max()) // 4) * 4))
    padded = data + b"\0" * width
    windows = np.ndarray((len(data) + 1, width), dtype=np.uint8, buffer=padded, strides=(1, 1))
    grams = windows[start]  # each n-gram's bytes and what follows them ...
    grams[np.arange(width)[None, :] >= lens[:, None]] = 0  # ... zero-padded
    words = grams.view("<u4").astype(np.uint32)
    h = _murmurhash3_words(words, lens).astype(np.int64)
    cols = np.where(h == -2147483648, (2147483647 - (n_features - 1)) % n_features, np.abs(h) % n_features)
    keys = owner * n_features + cols
    if len(texts) * n_features < 2**31:
        keys = keys.astype(np.int32)  # sorts twice as fast
    keys.sort()
    firsts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))  # np.unique, with less overhead
    counts = np.diff(np.append(firsts, len(keys)))
    keys = keys[firsts].astype(np.int64)
    rows, cols = keys // n_features, keys % n_features
    values = counts.astype(np.float64)
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(texts)))
    return rows, cols, values / norms[rows]

