"""The cascade: the rules where they are sure, the trained classifier elsewhere.

:class:`CascadeLabeller` is what extraction uses: the rules decide a line
where they are confident (``RuleLabeller`` confidence ≥ ``rule_threshold``),
the classifier decides the rest where it is itself sure (probability ≥
``model_threshold``; otherwise the rules' guess stands); each line records
which (``method`` "rule" or "model") and the deciding confidence. Only the
lines the rules are unsure of are shown to the classifier. A line a person
labelled in the annotations that both still get wrong is remembered in the
model's card (``reviewed_lines``, made by ``gixml train``) and keeps the
person's label: a correction made on the review page comes back as made.

:func:`default_labeller` is the cascade with the shipped model
(``models/line-classifier/``), loaded once per process; :func:`labeller_for`
builds one with another model.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Protocol

import numpy as np

from .. import confidence
from .labels import Decision, LineLabel, as_proba
from .normalise import Line
from .rules import RuleLabeller
from .scorer import load_line_classifier
from .tokenise import Token


class LineModel(Protocol):
    """A trained line classifier as the cascade uses it: the compiled
    :class:`~gixml.lines.scorer.LinearScorer`, or the scikit-learn estimator
    it is compiled from (``training/estimator.py``)."""

    classes_: Any

    def predict_lines(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]],
                      rules: Sequence[tuple[LineLabel, float]], which: Sequence[int]) -> np.ndarray:
        ...


class CascadeLabeller:
    """Rules where they are confident, the model for the rest (see the module docstring)."""

    def __init__(self, model: LineModel, rule_threshold: float = confidence.RULE_THRESHOLD,
                 model_threshold: float = confidence.MODEL_THRESHOLD,
                 reviewed: Mapping[str, str] | None = None):
        self.model = model
        self.rule_threshold = rule_threshold
        self.model_threshold = model_threshold
        self.rules = RuleLabeller()
        #: Lines a person labelled that the rules and the classifier still label otherwise (the model
        #: card's ``reviewed_lines``: stripped normalised text → label): they keep the person's label.
        self.reviewed = {text: LineLabel(label) for text, label in (reviewed or {}).items()}

    def label(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]) -> list[Decision]:
        rules = [self.rules.predict_one(line, toks) for line, toks in zip(lines, tokens)]
        unsure = [i for i, (line, (_, conf)) in enumerate(zip(lines, rules))
                  if conf < self.rule_threshold and line.text.strip()]
        proba = self.model.predict_lines(lines, tokens, rules, unsure)
        classes = [str(c) for c in self.model.classes_]
        out: list[Decision] = [(label, conf, "rule") for label, conf in rules]
        for i, p in zip(unsure, proba):
            j = int(p.argmax())
            if p[j] >= self.model_threshold:  # else a model no surer than the rules: their guess stands
                out[i] = (LineLabel(classes[j]), float(p[j]), "model")
        if self.reviewed:
            for i, line in enumerate(lines):
                label = self.reviewed.get(line.text.strip())
                if label is not None:
                    out[i] = (label, 1.0, "model")
        return out

    def predict_proba(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]) -> list[dict[LineLabel, float]]:
        return [as_proba(label, conf) for label, conf, _ in self.label(lines, tokens)]

    def predict(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]) -> list[LineLabel]:
        return [label for label, _, _ in self.label(lines, tokens)]


def labeller_for(model: str | os.PathLike[str] | None = None) -> CascadeLabeller:
    """The cascade with a model folder (or the ``model.npz`` in one); None: the shipped model."""
    scorer, card = load_line_classifier(model)
    return CascadeLabeller(scorer, rule_threshold=float(card["rule_threshold"]),
                           model_threshold=float(card["model_threshold"]), reviewed=card.get("reviewed_lines"))


@cache
def default_labeller() -> CascadeLabeller:
    """The cascade with the shipped model: one per process (the scorer's memos are shared)."""
    return labeller_for(None)
