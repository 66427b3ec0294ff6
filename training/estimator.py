"""The line classifier as a scikit-learn estimator: how it is trained, and compiled for extraction.

:class:`LineClassifier` is a scikit-learn estimator over documents (a document
is a sequence of normalised :class:`~gixml.lines.normalise.Line`): ``fit(X, y)``
with ``y`` one list of labels per document, ``predict(X)`` and
``predict_proba(X)`` one list/array per document (the convention of
sklearn-crfsuite). Inside, each non-blank line is turned into features
(``gixml/lines/features.py``: character n-grams of the digit-folded text, hashed, plus
shape, position and context features) and labelled by a multinomial logistic
regression. Blank lines are ``blank`` by definition and never reach the model.

Extraction does not use this class: :func:`compile_scorer` turns a fitted
estimator into a :class:`~gixml.lines.scorer.LinearScorer` (its feature names,
weights and hashing parameters, scored with numpy alone), and
:func:`save_model` writes that (``model.npz``) and its model card
(``card.json``) into a model folder.
"""
from __future__ import annotations

import json
import os
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from gixml.lines.features import FEATURE_VERSION, feature_parts
from gixml.lines.labels import LABEL_VERSION, LineLabel
from gixml.lines.normalise import Line
from gixml.lines.scorer import CARD_FILE, MODEL_FILE, LinearScorer
from gixml.lines.tokenise import Token, tokenise


class LineClassifier(ClassifierMixin, BaseEstimator):
    """Labels the lines of documents; see the module docstring.

    Parameters
    ----------
    C : inverse regularisation strength of the logistic regression.
    window : how many non-blank neighbours on each side give context features.
    ngram_range : character n-gram lengths of the line's text.
    n_features : size of the hashed n-gram space (the model's size grows with it).
    max_iter : iterations of the solver.
    """

    def __init__(self, C: float = 4.0, window: int = 2, ngram_range: tuple[int, int] = (1, 3),
                 n_features: int = 2**15, max_iter: int = 3000):
        self.C = C
        self.window = window
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.max_iter = max_iter

    # -- features -------------------------------------------------------
    def _hasher(self):
        from sklearn.feature_extraction.text import HashingVectorizer

        return HashingVectorizer(analyzer="char", ngram_range=self.ngram_range, n_features=self.n_features,
                                 alternate_sign=False, norm="l2", lowercase=False)

    def _matrix(self, docs: Sequence[tuple[Sequence[Line], Sequence[Sequence[Token]]]], fit: bool = False):
        from scipy.sparse import hstack

        texts: list[str] = []
        dicts: list[dict[str, Any]] = []
        index: list[list[int]] = []
        for lines, tokens in docs:
            idx, t, f = document_features(lines, tokens, window=self.window)
            index.append(idx)
            texts.extend(t)
            dicts.extend(f)
        if fit:
            from sklearn.feature_extraction import DictVectorizer

            self.vectorizer_ = DictVectorizer()
            shape = self.vectorizer_.fit_transform(dicts)
        else:
            shape = _vectorise(self.vectorizer_, dicts)
        grams = self._hasher().transform(texts)
        return hstack([shape, grams]).tocsr(), index

    @staticmethod
    def _docs(X: Sequence[Any]) -> list[tuple[Sequence[Line], Sequence[Sequence[Token]]]]:
        """Accept documents as lists of Lines, or as (lines, tokens) pairs."""
        out = []
        for doc in X:
            if isinstance(doc, tuple) and len(doc) == 2 and (not doc[0] or isinstance(doc[0][0], Line)):
                out.append(doc)
            else:
                out.append((doc, tokenise(list(doc))))
        return out

    # -- estimator API -------------------------------------------------
    def fit(self, X: Sequence[Any], y: Sequence[Sequence[str]], sample_weight: Sequence[Sequence[float]] | None = None
            ) -> "LineClassifier":
        from sklearn.linear_model import LogisticRegression

        docs = self._docs(X)
        matrix, index = self._matrix(docs, fit=True)
        targets = [str(y[d][i]) for d, idx in enumerate(index) for i in idx]
        weights = None
        if sample_weight is not None:
            weights = np.array([sample_weight[d][i] for d, idx in enumerate(index) for i in idx], dtype=float)
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter)
        self.model_.fit(matrix, targets, sample_weight=weights)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: Sequence[Any]) -> list[np.ndarray]:
        """One (n_lines × n_classes) array per document, columns in ``classes_``;
        a blank line has probability 1 for ``blank`` (a class of its own)."""
        docs = self._docs(X)
        matrix, index = self._matrix(docs)
        proba = self.model_.predict_proba(matrix) if matrix.shape[0] else np.zeros((0, len(self.classes_)))
        return per_document(docs, index, proba, self.classes_)

    def predict_lines(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]],
                      rules: Sequence[tuple[LineLabel, float]], which: Sequence[int]) -> np.ndarray:
        """Probabilities (len(which) × len(``classes_``)) for some non-blank
        lines of one document, given the rules' label of every line: the
        cascade asks only about the lines the rules are unsure of."""
        if not which:
            return np.zeros((0, len(self.classes_)))
        idx, texts, dicts = document_features(lines, tokens, window=self.window, rules=rules, only=which)
        if idx != list(which):
            raise ValueError("predict_lines: every line asked about must be non-blank, in order")
        from scipy.sparse import hstack

        matrix = hstack([_vectorise(self.vectorizer_, dicts), self._hasher().transform(texts)]).tocsr()
        return self.model_.predict_proba(matrix)

    def predict(self, X: Sequence[Any]) -> list[list[str]]:
        classes = self.all_classes_
        return [[classes[j] for j in p.argmax(axis=1)] for p in self.predict_proba(X)]

    @property
    def all_classes_(self) -> list[str]:
        """Every label: the model's classes, and ``blank``."""
        return sorted({*map(str, self.classes_), LineLabel.BLANK.value})


def per_document(docs: Sequence[tuple[Sequence[Line], Any]], index: Sequence[Sequence[int]], proba: np.ndarray,
                 classes: Sequence[Any]) -> list[np.ndarray]:
    """The probabilities of the non-blank lines (``proba``, rows in document
    order, columns in ``classes``) spread over every line of each document:
    one (n_lines × n_labels) array per document, columns in the sorted labels
    with ``blank``; a blank line has probability 1 for ``blank``."""
    labels = sorted({*map(str, classes), LineLabel.BLANK.value})
    blank = labels.index(LineLabel.BLANK.value)
    col = [labels.index(str(c)) for c in classes]
    out, pos = [], 0
    for (lines, _), idx in zip(docs, index):
        p = np.zeros((len(lines), len(labels)))
        p[:, blank] = 1.0
        if idx:
            p[idx, :] = 0.0
            p[np.ix_(idx, col)] = proba[pos:pos + len(idx)]
        pos += len(idx)
        out.append(p)
    return out


def _vectorise(vectorizer: Any, dicts: Sequence[dict[str, Any]]) -> Any:
    """``vectorizer.transform(dicts)`` for a fitted DictVectorizer, 5x faster.

    Same matrix (a test checks it): a string value ``v`` of feature ``f`` is
    the one-hot column ``f=v``, a number (or bool) is the value of column
    ``f``; names the vectorizer never saw are dropped."""
    from scipy.sparse import csr_matrix

    vocab = vectorizer.vocabulary_
    sep = vectorizer.separator
    indices: list[int] = []
    values: list[float] = []
    indptr = [0]
    for d in dicts:
        for f, v in d.items():
            if v.__class__ is str:
                j = vocab.get(f + sep + v)
                v = 1.0
            else:
                j = vocab.get(f)
            if j is not None:
                indices.append(j)
                values.append(v)
        indptr.append(len(indices))
    matrix = csr_matrix((np.array(values, dtype=vectorizer.dtype), np.array(indices, dtype=np.int32),
                         np.array(indptr, dtype=np.int32)), shape=(len(dicts), len(vocab)))
    matrix.sort_indices()
    return matrix


def document_features(lines: Sequence[Line], tokens: Sequence[Sequence[Token]], *, window: int = 2,
                      rules: Sequence[tuple[Any, float]] | None = None, only: Collection[int] | None = None
                      ) -> tuple[list[int], list[str], list[dict[str, Any]]]:
    """Features of the non-blank lines of one document, one dict per line (for
    the DictVectorizer); see :func:`gixml.lines.features.feature_parts` for the arguments."""
    idx, texts, parts = feature_parts(lines, tokens, window=window, rules=rules, only=only)
    feats = []
    for line_parts in parts:
        f: dict[str, Any] = {}
        for prefix, _, mapping in line_parts:
            f.update({prefix + name: value for name, value in mapping.items()})
        feats.append(f)
    return idx, texts, feats


# -- compiled for extraction, and saved -----------------------------------------------
def compile_scorer(model: LineClassifier) -> LinearScorer:
    """A fitted estimator as a :class:`~gixml.lines.scorer.LinearScorer`: the same probabilities."""
    lr = model.model_
    return LinearScorer([str(c) for c in model.classes_], model.vectorizer_.feature_names_, lr.coef_, lr.intercept_,
                        window=model.window, ngram_range=(model.ngram_range[0], model.ngram_range[1]),
                        n_features=model.n_features)


def save_scorer(scorer: LinearScorer, path: Path) -> Path:
    """Write a compiled model as ``model.npz`` (what :meth:`LinearScorer.load` reads)."""
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, classes=np.asarray(scorer.classes_, dtype=str),
                        feature_names=np.asarray(scorer.feature_names, dtype=str), coef=scorer.coef,
                        intercept=scorer.intercept,
                        params=np.asarray([scorer.window, *scorer.ngram_range, scorer.n_features], dtype=np.int64))
    os.replace(tmp, path)
    return path


def card_header() -> dict[str, Any]:
    """What every line-classifier card starts with: the label and feature versions the
    model was made for, and the versions of the libraries that fitted it."""
    import sklearn

    return {"label_version": LABEL_VERSION, "feature_version": FEATURE_VERSION,
            "libraries": {"scikit-learn": sklearn.__version__, "numpy": np.__version__}}


def save_model(model: LineClassifier, card: dict[str, Any], out_dir: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write the compiled model (``model.npz``) and its card (``card.json``) into
    the folder ``out_dir``; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    card = {**card_header(), **card}
    model_path = save_scorer(compile_scorer(model), out / MODEL_FILE)
    card_path = out / CARD_FILE
    tmp = card_path.with_name(CARD_FILE + ".tmp")
    tmp.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, card_path)
    return model_path, card_path
