"""The trained line classifier at extraction time: a :class:`LinearScorer`, and its one loader.

The classifier is trained as a scikit-learn estimator (``training/estimator.py``)
and compiled by ``gixml train`` to its feature names, weights and hashing
parameters: ``models/line-classifier/model.npz``, beside its model card
``card.json`` (label and feature versions, library versions, training data,
scores). :class:`LinearScorer` scores lines with numpy alone: the estimator's
probabilities (a test compares them) without importing scikit-learn or scipy,
and loading it unpickles nothing (``numpy.load(allow_pickle=False)``).
:func:`load_line_classifier` checks the card before trusting the weights.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .features import FEATURE_VERSION, feature_parts
from .labels import LABEL_VERSION, LineLabel
from .ngrams import hashed_ngrams_matrix
from .normalise import Line
from .tokenise import Token

MODEL_FILE = "model.npz"
CARD_FILE = "card.json"


class LinearScorer:
    """A trained line classifier as numbers: feature names, hashing parameters,
    weights. ``predict_lines`` gives the probabilities of the scikit-learn
    estimator it was compiled from (``training/estimator.py``), without
    scikit-learn.

    The columns of each part of a line's features (``features.FeaturePart``)
    are memoised by the part's key: lines and their neighbourhoods repeat
    within and across reports. Without the memo a batch takes 1.17× as long
    (``benchmarks/compare.py``, 600 text reports, median of 6 runs, 2026-12-03).
    """

    def __init__(self, classes: Sequence[str], feature_names: Sequence[str], coef: np.ndarray,
                 intercept: np.ndarray, *, window: int, ngram_range: tuple[int, int], n_features: int):
        self.classes_ = np.asarray(classes)
        self.feature_names = list(feature_names)
        self.vocabulary = {name: j for j, name in enumerate(self.feature_names)}
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.window = int(window)
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.n_features = int(n_features)
        if self.coef.shape != (len(self.classes_), len(self.feature_names) + self.n_features):
            raise ValueError(f"weights of shape {self.coef.shape} do not fit {len(self.classes_)} classes and "
                             f"{len(self.feature_names)} + {self.n_features} features")
        self._weights = np.ascontiguousarray(self.coef.T)  # one row per feature column
        # (prefix, part key) → the part's columns, values, and where its floats go (see features.FeaturePart)
        self._parts_memo: dict[tuple[str, Any], tuple[list[int], list[float], list[tuple[int, int]]]] = {}

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "LinearScorer":
        with np.load(path, allow_pickle=False) as data:
            window, low, high, n_features = (int(x) for x in data["params"])
            return cls(data["classes"].tolist(), data["feature_names"].tolist(), data["coef"], data["intercept"],
                       window=window, ngram_range=(low, high), n_features=n_features)

    def predict_lines(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]],
                      rules: Sequence[tuple[LineLabel, float]], which: Sequence[int]) -> np.ndarray:
        """Probabilities (len(which) × len(``classes_``)) for some non-blank lines."""
        if not which:
            return np.zeros((0, len(self.classes_)))
        idx, texts, parts = feature_parts(lines, tokens, window=self.window, rules=rules, only=which)
        if idx != list(which):
            raise ValueError("predict_lines: every line asked about must be non-blank, in order")
        cols: list[int] = []
        vals: list[float] = []
        firsts: list[int] = []
        memo = self._parts_memo  # see the class docstring
        for line_parts in parts:
            firsts.append(len(cols))
            for prefix, key, mapping in line_parts:
                found = memo.get((prefix, key))
                if found is None:
                    if len(memo) > 20_000:
                        memo.clear()
                    found = memo[(prefix, key)] = self._columns_of(prefix, mapping)
                part_cols, base, floats = found
                cols += part_cols
                if floats:  # the float values of this part, where its key has a placeholder
                    values = list(mapping.values())
                    part_vals = list(base)
                    for at, k in floats:
                        part_vals[at] = values[k]
                    vals += part_vals
                else:
                    vals += base
        scores = np.zeros((len(idx), len(self.classes_)))
        if cols:
            weighted = self._weights[cols] * np.asarray(vals, dtype=np.float64)[:, None]
            ends = firsts[1:] + [len(cols)]
            filled = [r for r in range(len(firsts)) if firsts[r] < ends[r]]
            scores[filled] = np.add.reduceat(weighted, [firsts[r] for r in filled], axis=0)
        scores += self._ngram_scores(texts)
        scores += self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def _columns_of(self, prefix: str, mapping: dict[str, Any]
                    ) -> tuple[list[int], list[float], list[tuple[int, int]]]:
        """The columns and values of one part of a line's features (the
        DictVectorizer's: ``name=value`` for a string, ``name`` for a number),
        and [(position in the columns, index of a float feature in the part)]."""
        get = self.vocabulary.get
        cols: list[int] = []
        vals: list[float] = []
        floats: list[tuple[int, int]] = []
        for k, (f, v) in enumerate(mapping.items()):
            is_float = v.__class__ is float
            if v.__class__ is str:
                j = get(prefix + f + "=" + v)
                v = 1.0
            else:
                j = get(prefix + f)
            if j is not None:
                if is_float:
                    floats.append((len(cols), k))
                cols.append(j)
                vals.append(float(v))
        return cols, vals, floats

    def _ngram_scores(self, texts: Sequence[str]) -> np.ndarray:
        """The n-gram part of each text's scores."""
        out = np.zeros((len(texts), len(self.classes_)))
        rows, cols, vals = hashed_ngrams_matrix(texts, self.ngram_range, self.n_features)
        if len(rows):
            weighted = self._weights[len(self.feature_names) + cols] * vals[:, None]
            firsts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
            out[rows[firsts]] = np.add.reduceat(weighted, firsts, axis=0)
        return out


def shipped_folder() -> Path:
    """``models/line-classifier/`` as installed."""
    return Path(str(resources.files("gixml.models").joinpath("line-classifier")))


def check_card(card: dict[str, Any], path: str) -> None:
    """Refuse a model made for another label set or other features."""
    if card.get("label_version") != LABEL_VERSION:
        raise ModelError(f"was trained with label set v{card.get('label_version')} but this gixml uses "
                         f"v{LABEL_VERSION}; retrain it with `gixml train`", path=path)
    if card.get("feature_version") != FEATURE_VERSION:
        raise ModelError(f"was trained with feature set v{card.get('feature_version')} but this gixml computes "
                         f"v{FEATURE_VERSION}; retrain it with `gixml train`", path=path)
    missing = [k for k in ("labels", "rule_threshold", "model_threshold") if k not in card]
    if missing:
        raise ModelError(f"has a model card without {', '.join(missing)}; retrain it with `gixml train`", path=path)


def load_line_classifier(model: str | os.PathLike[str] | None = None) -> tuple[LinearScorer, dict[str, Any]]:
    """The line classifier in a model folder (``model.npz`` and ``card.json``;
    the ``model.npz`` itself, or the folder ``gixml train --out`` wrote, which
    holds it in ``line-classifier/``, may be named instead), or the shipped one
    (None, loaded once per process); raises :class:`~gixml.errors.ModelError`."""
    if model is None:
        return _shipped()
    path = Path(model)
    if path.is_dir() and not (path / MODEL_FILE).exists() and (path / "line-classifier" / MODEL_FILE).exists():
        path = path / "line-classifier"
    return _load(path / MODEL_FILE if path.is_dir() else path)


@cache
def _shipped() -> tuple[LinearScorer, dict[str, Any]]:
    return _load(shipped_folder() / MODEL_FILE)


def _load(path: Path) -> tuple[LinearScorer, dict[str, Any]]:
    if not path.is_file():
        raise ModelError("no such model file; run `gixml train` to make it", path=str(path))
    card_path = path.with_name(CARD_FILE)
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"has no readable model card {CARD_FILE} beside it ({exc}); run `gixml train`",
                         path=str(path)) from None
    if not isinstance(card, dict):
        raise ModelError(f"has a model card {CARD_FILE} that is not a JSON object; run `gixml train`", path=str(path))
    check_card(card, str(path))
    try:
        scorer = LinearScorer.load(path)
    except Exception as exc:  # a truncated or foreign file
        raise ModelError(f"is not a readable gixml model ({type(exc).__name__}: {exc})", path=str(path)) from None
    if not {str(c) for c in scorer.classes_} <= set(card["labels"]):
        raise ModelError("does not match its model card (other labels); run `gixml train`", path=str(path))
    return scorer, card
