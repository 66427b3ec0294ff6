"""Stage 4b — classify lines: the rules where they are sure, the trained model elsewhere.

:class:`CascadeLabeller` is what :func:`gixml.extract` uses: the rules decide a
line where they are confident (``RuleLabeller`` confidence ≥
``rule_threshold``), the model decides the rest where it is itself sure
(probability ≥ ``model_threshold``; otherwise the rules' guess stands); each
line records which (``method`` "rule" or "model") and the deciding confidence.
Only the lines the rules are unsure of are shown to the model.

The model at extraction time is a :class:`LinearScorer`: the trained
:class:`~gixml.estimator.LineClassifier` (a scikit-learn estimator) compiled
to its vocabulary, weights and hashing parameters, saved as
``line-classifier.npz`` next to the estimator by ``gixml train``, and scored
with numpy alone. It gives the estimator's probabilities (a test compares
them) without importing scikit-learn or scipy, which halves the memory of a
worker process and takes a second off its start; and loading it unpickles
nothing. The shipped model (``gixml/models/``) is loaded lazily, once, by
:func:`default_labeller`, which checks the model card's versions first.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError
from .features import FEATURE_VERSION, feature_parts, hashed_ngrams_matrix
from .labels import LABEL_VERSION, LineLabel, RuleLabeller
from .normalise import Line
from .tokenise import Token

MODEL_NAME = "line-classifier.joblib"
CARD_NAME = "line-classifier.json"
SCORER_NAME = "line-classifier.npz"


class LinearScorer:
    """A trained line classifier as numbers: feature names, hashing parameters,
    weights. ``predict_lines`` is :meth:`LineClassifier.predict_lines
    <gixml.estimator.LineClassifier.predict_lines>` without scikit-learn."""

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
        self._memo: dict[str, np.ndarray] = {}  # short text → the scores of its n-grams
        # (prefix, part key) → the part's columns, values, and where its floats go (see features.FeaturePart)
        self._parts_memo: dict[tuple[str, Any], tuple[list[int], list[float], list[tuple[int, int]]]] = {}

    @classmethod
    def from_estimator(cls, model: Any) -> "LinearScorer":
        """Compile a fitted :class:`~gixml.estimator.LineClassifier`."""
        lr = model.model_
        return cls([str(c) for c in model.classes_], model.vectorizer_.feature_names_, lr.coef_, lr.intercept_,
                   window=model.window, ngram_range=tuple(model.ngram_range), n_features=model.n_features)

    def save(self, path: str | os.PathLike[str]) -> Path:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(tmp, classes=np.asarray(self.classes_, dtype=str),
                            feature_names=np.asarray(self.feature_names, dtype=str), coef=self.coef,
                            intercept=self.intercept,
                            params=np.asarray([self.window, *self.ngram_range, self.n_features], dtype=np.int64))
        os.replace(tmp, path)
        return path

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
        memo = self._parts_memo
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
        """The n-gram part of each text's scores. Short texts (a lone ``00``, a
        label) repeat from report to report: their part is memoised."""
        out = np.zeros((len(texts), len(self.classes_)))
        memo = self._memo
        todo = [k for k, text in enumerate(texts) if len(text) > 40 or text not in memo]
        if todo:
            rows, cols, vals = hashed_ngrams_matrix([texts[k] for k in todo], self.ngram_range, self.n_features)
            part = np.zeros((len(todo), len(self.classes_)))
            if len(rows):
                weighted = self._weights[len(self.feature_names) + cols] * vals[:, None]
                firsts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
                part[rows[firsts]] = np.add.reduceat(weighted, firsts, axis=0)
            if len(memo) > 5_000:
                memo.clear()
            for k, row in zip(todo, part):
                out[k] = row
                if len(texts[k]) <= 40:
                    memo[texts[k]] = row
        for k, text in enumerate(texts):
            if len(text) <= 40 and text in memo:
                out[k] = memo[text]
        return out


class CascadeLabeller:
    """Rules where they are confident, the model for the rest (see module docstring).

    ``model`` is a :class:`LinearScorer` or a fitted
    :class:`~gixml.estimator.LineClassifier`: anything with ``classes_`` and
    ``predict_lines``."""

    def __init__(self, model: Any, rule_threshold: float = 0.9, model_threshold: float = 0.8):
        self.model = model
        self.rule_threshold = rule_threshold
        self.model_threshold = model_threshold
        self.rules = RuleLabeller()
        self._seen: dict[str, tuple[LineLabel, float]] = {}  # short line text → the rules' label

    def label(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]
              ) -> list[tuple[LineLabel, float, str]]:
        seen = self._seen  # the rules read a line's text alone, and lines repeat within and across reports
        rules = []
        for line, toks in zip(lines, tokens):
            rule = seen.get(line.text)
            if rule is None:
                rule = self.rules.predict_one(line, toks)
                if len(line.text) <= 120:
                    if len(seen) > 20_000:
                        seen.clear()
                    seen[line.text] = rule
            rules.append(rule)
        unsure = [i for i, (line, (_, conf)) in enumerate(zip(lines, rules))
                  if conf < self.rule_threshold and line.text.strip()]
        proba = self.model.predict_lines(lines, tokens, rules, unsure)
        classes = [str(c) for c in self.model.classes_]
        out = [(label, conf, "rule") for label, conf in rules]
        for i, p in zip(unsure, proba):
            j = int(p.argmax())
            if p[j] >= self.model_threshold:  # else a model no surer than the rules: their guess stands
                out[i] = (LineLabel(classes[j]), float(p[j]), "model")
        return out

    def predict_proba(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]) -> list[dict[LineLabel, float]]:
        out = []
        for label, conf, _ in self.label(lines, tokens):
            rest = (1.0 - conf) / (len(LineLabel) - 1)
            out.append({lab: (conf if lab is label else rest) for lab in LineLabel})
        return out

    def predict(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]) -> list[LineLabel]:
        return [label for label, _, _ in self.label(lines, tokens)]


# -- the shipped model ---------------------------------------------------
def default_model_path() -> Path:
    """The shipped estimator (``.joblib``); the scorer and the card sit next to it."""
    return Path(str(resources.files("gixml.models").joinpath(MODEL_NAME)))


def check_card(card: dict[str, Any], path: str) -> None:
    """Refuse a model made for another label set or other features."""
    if card.get("label_version") != LABEL_VERSION:
        raise ModelError(f"was trained with label set v{card.get('label_version')} but this gixml uses "
                         f"v{LABEL_VERSION}; retrain it with `gixml train`", path=path)
    if card.get("feature_version") != FEATURE_VERSION:
        raise ModelError(f"was trained with feature set v{card.get('feature_version')} but this gixml computes "
                         f"v{FEATURE_VERSION}; retrain it with `gixml train`", path=path)


def load_scorer(path: str | os.PathLike[str] | None = None) -> tuple[LinearScorer, dict[str, Any]]:
    """Load a compiled model (``.npz``) and the card beside it; raises :class:`ModelError`."""
    if path is None:
        return _load_default_scorer()
    return _load_scorer(str(path))


@lru_cache(maxsize=1)
def _load_default_scorer() -> tuple[LinearScorer, dict[str, Any]]:
    return _load_scorer(str(default_model_path().with_name(SCORER_NAME)))


def _load_scorer(path: str) -> tuple[LinearScorer, dict[str, Any]]:
    if not os.path.isfile(path):
        raise ModelError("no such model file; run `gixml train` to make it", path=path)
    card_path = os.path.join(os.path.dirname(path), CARD_NAME)
    try:
        with open(card_path, encoding="utf-8") as handle:
            card = json.load(handle)
    except (OSError, ValueError) as exc:
        raise ModelError(f"has no readable model card {CARD_NAME} beside it ({exc}); run `gixml train`",
                         path=path) from None
    check_card(card, path)
    try:
        scorer = LinearScorer.load(path)
    except Exception as exc:  # a truncated or foreign file
        raise ModelError(f"is not a readable gixml model ({type(exc).__name__}: {exc})", path=path) from None
    if not {str(c) for c in scorer.classes_} <= set(card.get("labels", [])):
        raise ModelError("does not match its model card (other labels); run `gixml train`", path=path)
    return scorer, card


def labeller_for(path: str | os.PathLike[str] | None = None) -> CascadeLabeller:
    """The cascade with a model: the shipped one, a compiled ``.npz`` or an estimator ``.joblib``."""
    if path is not None and str(path).endswith(".joblib"):
        from .estimator import load_model

        model, card = load_model(path)
    else:
        model, card = load_scorer(path)
    return CascadeLabeller(model, rule_threshold=float(card.get("rule_threshold", 0.9)),
                           model_threshold=float(card.get("model_threshold", 0.8)))


@lru_cache(maxsize=1)
def default_labeller() -> CascadeLabeller:
    """The cascade with the shipped model: one per process (its memos are shared)."""
    return labeller_for(None)


def __getattr__(name: str) -> Any:
    # The estimator side (scikit-learn) is imported only when asked for.
    if name in ("LineClassifier", "load_model", "save_model", "library_versions"):
        from . import estimator

        return getattr(estimator, name)
    raise AttributeError(f"module 'gixml.classify' has no attribute {name!r}")
