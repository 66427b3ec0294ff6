"""Does a sequence model over lines beat the window features on unseen converters?

    python -m gixml.training.zoo.sequence --train-zoo zoo-train/ --test-zoo zoo/ [--converter NAME ...]

:class:`NeighbourLabelClassifier` is the shipped :class:`LineClassifier` with
its neighbours' *predicted labels* as features (stacking, the cheap cousin of a
CRF): a first model labels every line; a second sees the line's features plus
the first model's probabilities for it and for its ``window`` non-blank
neighbours on each side. The first model's probabilities on the training lines
are out-of-fold (``folds`` splits by document), so that the second learns how
far to trust them on text it has not seen.

The comparison runs leave-one-converter-out (``loco.py``) with both estimators
and prints each one's macro-F1, alone and in the cascade extraction runs.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from gixml.lines.labels import LineLabel

from ..estimator import LineClassifier, per_document


class NeighbourLabelClassifier(ClassifierMixin, BaseEstimator):
    """See the module docstring. Parameters: ``params`` of the two
    :class:`LineClassifier` stages, the ``window`` of neighbours whose
    predicted labels are features, the ``folds`` of the out-of-fold predictions."""

    def __init__(self, params: dict[str, Any] | None = None, window: int = 2, folds: int = 3):
        self.params = params
        self.window = window
        self.folds = folds

    def _stage1(self, docs: Sequence[Any]) -> list[np.ndarray]:
        return self.first_.predict_proba(docs)

    def _neighbours(self, proba: np.ndarray, idx: Sequence[int]) -> np.ndarray:
        """For each non-blank line (``idx``): its own stage-1 probabilities and its neighbours'."""
        p = proba[list(idx)] if len(idx) else np.zeros((0, proba.shape[1]))
        n, k = p.shape
        blocks = [p]
        for offset in [o for o in range(-self.window, self.window + 1) if o]:
            shifted = np.zeros((n, k + 1))
            for i in range(n):
                j = i + offset
                if 0 <= j < n:
                    shifted[i, :k] = p[j]
                else:
                    shifted[i, k] = 1.0  # no neighbour there
            blocks.append(shifted)
        return np.hstack(blocks)

    def fit(self, X: Sequence[Any], y: Sequence[Sequence[str]], sample_weight: Sequence[Sequence[float]] | None = None
            ) -> NeighbourLabelClassifier:
        from scipy.sparse import csr_matrix, hstack
        from sklearn.linear_model import LogisticRegression

        params = dict(self.params or {})
        docs = LineClassifier._docs(X)
        oof: list[np.ndarray | None] = [None] * len(docs)
        for f in range(self.folds):
            train = [i for i in range(len(docs)) if i % self.folds != f]
            test = [i for i in range(len(docs)) if i % self.folds == f]
            m = LineClassifier(**params).fit([docs[i] for i in train], [y[i] for i in train],
                                             sample_weight=[sample_weight[i] for i in train] if sample_weight else None)
            for i, p in zip(test, m.predict_proba([docs[i] for i in test])):
                oof[i] = p
        self.first_ = LineClassifier(**params).fit(docs, y, sample_weight=sample_weight)
        self.second_ = LineClassifier(**params)
        matrix, index = self.second_._matrix(docs, fit=True)
        extra = np.vstack([self._neighbours(p, idx) for p, idx in zip(oof, index) if p is not None])
        targets = [str(y[d][i]) for d, idx in enumerate(index) for i in idx]
        weights = (np.array([sample_weight[d][i] for d, idx in enumerate(index) for i in idx], dtype=float)
                   if sample_weight is not None else None)
        self.model_ = LogisticRegression(C=self.second_.C, max_iter=self.second_.max_iter)
        self.model_.fit(hstack([matrix, csr_matrix(extra)]).tocsr(), targets, sample_weight=weights)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: Sequence[Any]) -> list[np.ndarray]:
        from scipy.sparse import csr_matrix, hstack

        docs = LineClassifier._docs(X)
        first = self._stage1(docs)
        matrix, index = self.second_._matrix(docs)
        extra = np.vstack([self._neighbours(p, idx) for p, idx in zip(first, index)])
        proba = self.model_.predict_proba(hstack([matrix, csr_matrix(extra)]).tocsr())
        return per_document(docs, index, proba, self.classes_)

    def predict(self, X: Sequence[Any]) -> list[list[str]]:
        classes = sorted({*map(str, self.classes_), LineLabel.BLANK.value})
        return [[classes[j] for j in p.argmax(axis=1)] for p in self.predict_proba(X)]

    def predict_lines(self, lines: Sequence[Any], tokens: Sequence[Any], rules: Sequence[Any],
                      which: Sequence[int]) -> np.ndarray:
        """The cascade's question (see ``LineClassifier.predict_lines``), asked of the second stage."""
        if not which:
            return np.zeros((0, len(self.classes_)))
        p = self.predict_proba([(lines, tokens)])[0]
        classes = sorted({*map(str, self.classes_), LineLabel.BLANK.value})
        return p[np.ix_(list(which), [classes.index(str(c)) for c in self.classes_])]


KINDS = ("window", "neighbours")


def compare(train_zoo: Path, test_zoo: Path, converters: Sequence[str], per_style: int, jobs: int,
            kinds: Sequence[str] = KINDS) -> list[tuple[str, str, dict[str, Any]]]:
    from joblib import Parallel, delayed

    work = [(c, kind) for c in converters for kind in kinds]
    results = Parallel(n_jobs=jobs)(delayed(_held_out)(c, kind, train_zoo, test_zoo, per_style) for c, kind in work)
    return [(c, kind, r) for (c, kind), r in zip(work, results)]


def _held_out(converter: str, kind: str, train_zoo: Path, test_zoo: Path, per_style: int) -> dict[str, Any]:
    from gixml.training import train as training

    from . import loco

    if kind == "window":
        return loco.held_out(converter, train_zoo, test_zoo, per_style)
    original = training.LineClassifier
    training.LineClassifier = lambda **params: NeighbourLabelClassifier(params)  # type: ignore[assignment,misc]
    try:
        return loco.held_out(converter, train_zoo, test_zoo, per_style)
    finally:
        training.LineClassifier = original  # type: ignore[misc]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train-zoo", type=Path, required=True)
    ap.add_argument("--test-zoo", type=Path, required=True)
    ap.add_argument("--converter", action="append", required=True)
    ap.add_argument("--per-style", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--kind", action="append", choices=KINDS,
                    help="only these estimators (default both; loco.py's figures are the window's)")
    args = ap.parse_args(argv)
    print("| converter left out | features | test values | lines | model: macro-F1 | cascade: macro-F1 | "
          "cascade: right |\n| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for converter, kind, r in compare(args.train_zoo, args.test_zoo, args.converter, args.per_style, args.jobs,
                                      args.kind or KINDS):
        for part, s in sorted(r["parts"].items()):
            print(f"| {converter} | {kind} | {part} | {s['lines']} | {s['model'][0]:.3f} | {s['cascade'][0]:.3f} | "
                  f"{s['cascade'][1]:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
