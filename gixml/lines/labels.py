"""Line labels: the vocabulary, the labelled line, and the one interface every labeller answers.

One vocabulary (:class:`LineLabel`, versioned by ``LABEL_VERSION``) and one
interface (:class:`Labeller`): ``label(lines, tokens)`` gives each line a
:data:`Decision` (its label, how sure, and which method decided), and the
scikit-learn-style ``predict`` / ``predict_proba`` follow from it. The rules
(``rules.py``) and the rules-then-model cascade (``cascade.py``) both answer
it, so one can stand in for the other.

The table stage only reads tokens from lines labelled ``heading``, ``label``,
``number`` or ``row``: prose (with its years and counts), page furniture and
page numbers never reach a table.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Literal, Protocol

from ..records import fast_init
from .normalise import Line
from .tokenise import Token

LABEL_VERSION = 1


class LineLabel(str, Enum):
    """What a line is. ``row`` is a line holding a table label and its values."""

    BLANK = "blank"  # nothing printed
    HEADING = "heading"  # report title, section title, 第二十条 sub-table title
    LABEL = "label"  # row or column label of a table, or a fragment of one
    NUMBER = "number"  # one or more cell values and nothing else
    ROW = "row"  # a table label followed by values on the same line
    PROSE = "prose"  # running text
    NOISE = "noise"  # page numbers, running titles, site furniture, signatures

    def __str__(self) -> str:
        return self.value


TABLE_LABELS = frozenset({LineLabel.HEADING, LineLabel.LABEL, LineLabel.NUMBER, LineLabel.ROW})

#: Who decided a line's label: the rules, or the trained classifier.
LabelMethod = Literal["rule", "model"]


#: A labeller's answer for one line: (label, confidence, the method that decided).
Decision = tuple[LineLabel, float, LabelMethod]


@fast_init
@dataclass(frozen=True, slots=True)
class LabelledLine:
    """A line, its tokens, its label, how sure the labeller is, and which method decided."""

    line: Line
    tokens: tuple[Token, ...]
    label: LineLabel
    confidence: float
    method: LabelMethod


class Labeller(Protocol):
    """What labels lines: the rules, the cascade, or your own."""

    def label(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]) -> list[Decision]:
        ...

    def predict(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]) -> list[LineLabel]:
        ...

    def predict_proba(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]) -> list[dict[LineLabel, float]]:
        ...


def as_proba(label: LineLabel, confidence: float) -> dict[LineLabel, float]:
    """A decision as probabilities: ``confidence`` for its label, the rest shared by the others."""
    rest = (1.0 - confidence) / (len(LineLabel) - 1)
    return {lab: (confidence if lab is label else rest) for lab in LineLabel}


def label_lines(lines: Sequence[Line], tokens: Sequence[Sequence[Token]], labeller: Labeller) -> list[LabelledLine]:
    """Label every line: each line with its tokens, its label, the confidence and the method that decided."""
    return [LabelledLine(line, tuple(toks), label, round(float(confidence), 4), method)
            for line, toks, (label, confidence, method) in zip(lines, tokens, labeller.label(lines, tokens))]
