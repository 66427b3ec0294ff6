"""The value prior: how likely a number is in a given cell of the 主动公开 table.

A glued digit run in a row without an identity (``行政规范性文件693665`` for
本年制发 / 本年废止 / 现行有效) can be cut in several ways that all fit the
form. The prior ranks them: for each (format, row, column) it holds the share of
cells that are 0 and a normal distribution of log10 of the other values, and
for each pair of cells of a row how often the first is at most the second.
A split's score is the sum of these log-probabilities; the best split is
taken with low confidence (``method="prior"``) and a warning lists the others.

The shipped prior (``models/value-prior/``: ``prior.json`` and its card) is
fitted by ``gixml train`` (``training/prior.py``) on the hand-checked values in
``annotations/values.tsv``, and loaded by :func:`load_value_prior`.
"""
from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ModelError

PRIOR_FILE = "prior.json"
CARD_FILE = "card.json"
#: What the prior is keyed on (format, row.column[@unit], and pairs of a row's
#: cells); bump it when that changes: a prior made for another version refuses to load.
PRIOR_VERSION = 1
#: Used for a column without fitted values: zero half the time, else around 10.
DEFAULT_COLUMN = (0.5, 1.0, 1.0)


#: A column of the prior: (format, row, column, the unit printed with the value or None).
ColumnKey = tuple[str, str, str, str | None]
#: An order between two cells of a row: (format, row, a, b), for "a <= b".
OrderKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class ValuePrior:
    """Per column, (share of zeros, mean and spread of log10 of the non-zero
    values); per pair of a row's cells, the share of rows where the first is at
    most the second."""

    columns: dict[ColumnKey, tuple[float, float, float]] = field(default_factory=dict)
    order: dict[OrderKey, float] = field(default_factory=dict)

    def log_prob(self, fmt: str, row: str, col: str, value: float, unit: str | None = None) -> float:
        """Log-probability of one cell's value (a value printed with a unit, 元 or 万元, by that unit's column)."""
        zero, mean, spread = ((unit and self.columns.get((fmt, row, col, unit)))
                              or self.columns.get((fmt, row, col, None), DEFAULT_COLUMN))
        if value == 0:
            return math.log(zero)
        x = math.log10(abs(value))
        return math.log(1 - zero) - 0.5 * ((x - mean) / spread) ** 2 - math.log(spread * math.sqrt(2 * math.pi))

    def score(self, fmt: str, row: str, cols: Sequence[str], values: Sequence[float],
              units: Sequence[str | None] = ()) -> float:
        """Log-probability of a row's values under the prior (higher is likelier):
        each cell's own, plus how usual the order between each pair of cells is."""
        units = list(units) + [None] * (len(cols) - len(units))
        total = sum(self.log_prob(fmt, row, c, v, u) for c, v, u in zip(cols, values, units))
        for (a, va), (b, vb) in itertools.permutations(zip(cols, values), 2):
            p = self.order.get((fmt, row, a, b))
            if p is not None:
                total += math.log(p if va <= vb else 1 - p)
        return total

    def to_json(self) -> dict[str, Any]:
        """``prior.json``: columns named ``FORMAT.ROW.COL[@UNIT]``, orders ``FORMAT.ROW.A<=B``, sorted."""
        columns = {f"{fmt}.{row}.{col}" + (f"@{unit}" if unit else ""): list(v)
                   for (fmt, row, col, unit), v in self.columns.items()}
        order = {f"{fmt}.{row}.{a}<={b}": p for (fmt, row, a, b), p in self.order.items()}
        return {"name": "gixml value prior", "columns": dict(sorted(columns.items())), "order": dict(sorted(order.items()))}

    @classmethod
    def from_json(cls, blob: dict[str, Any]) -> ValuePrior:
        columns: dict[ColumnKey, tuple[float, float, float]] = {}
        for name, v in blob["columns"].items():
            cell, _, unit = name.partition("@")
            fmt, row, col = cell.split(".")
            columns[(fmt, row, col, unit or None)] = (float(v[0]), float(v[1]), float(v[2]))
        order: dict[OrderKey, float] = {}
        for name, p in blob.get("order", {}).items():
            first, _, b = name.partition("<=")
            fmt, row, a = first.split(".")
            order[(fmt, row, a, b)] = float(p)
        return cls(columns, order)


def shipped_folder() -> Path:
    return Path(str(resources.files("gixml.models").joinpath("value-prior")))


def load_value_prior(folder: str | os.PathLike[str] | None = None) -> ValuePrior:
    """The value prior in ``folder`` (``prior.json`` beside its ``card.json``), or
    the shipped one; raises :class:`~gixml.errors.ModelError` if it cannot be read."""
    if folder is None:
        return _shipped()
    return _load(Path(folder))


@cache
def _shipped() -> ValuePrior:
    return _load(shipped_folder())


def _load(folder: Path) -> ValuePrior:
    path = folder / PRIOR_FILE
    try:
        card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"has no readable model card {CARD_FILE} beside it ({exc}); run `gixml train`",
                         path=str(path)) from None
    if not isinstance(card, dict) or card.get("prior_version") != PRIOR_VERSION:
        version = card.get("prior_version") if isinstance(card, dict) else None
        raise ModelError(f"was made as value prior v{version} but this gixml reads v{PRIOR_VERSION}; "
                         "retrain it with `gixml train`", path=str(path))
    try:
        return ValuePrior.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ModelError("no such value prior; run `gixml train` to make it", path=str(path)) from None
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise ModelError(f"is not a readable value prior ({type(exc).__name__}: {exc})", path=str(path)) from None
