"""The value prior: how likely a number is in a given cell of the 主动公开 table.

A glued digit run in a row without an identity (``行政规范性文件693665`` for
本年制发 / 本年废止 / 现行有效) can be cut in several ways that all fit the
form. The prior ranks them: for each (format, row, column) it holds the share of
cells that are 0 and a normal distribution of log10 of the other values, fitted
by ``gixml train`` on the hand-checked values in ``annotations/values.tsv``,
and for each pair of cells of a row how often the first is at most the second.
A split's score is the sum of these log-probabilities; the best split is
taken with low confidence (``method="prior"``) and a warning lists the others.
"""
from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

PRIOR_FILE = "value-prior.json"
MIN_SIGMA = 0.5  # log10 units: never narrower than a factor of ~3
# Used for a column without fitted values: zero half the time, else around 10.
DEFAULT_COLUMN = (0.5, 1.0, 1.0)


@dataclass(frozen=True)
class ValuePrior:
    """(format, row.column) → (share of zeros, mean and spread of log10 of the non-zero values)."""

    columns: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    order: dict[str, float] = field(default_factory=dict)  # "fmt.row.a<=b" → share of rows where it holds

    @classmethod
    def fit(cls, records: Iterable[tuple[str, str, str, float, str]]) -> ValuePrior:
        """Fit from (report, format, "row.column", value, unit) records; negative values are left out.
        A cell printed with a unit also counts towards "row.column@unit" (元 and 万元 differ by 10⁴)."""
        by_column: dict[str, list[float]] = {}
        rows: dict[tuple[str, str, str], dict[str, float]] = {}
        for doc, fmt, cell, value, unit in records:
            if value >= 0:
                by_column.setdefault(f"{fmt}.{cell}", []).append(value)
                if unit:
                    by_column.setdefault(f"{fmt}.{cell}@{unit}", []).append(value)
                row, col = cell.split(".")
                rows.setdefault((doc, fmt, row), {})[col] = value
        columns = {}
        for key, values in sorted(by_column.items()):
            logs = [math.log10(v) for v in values if v > 0]
            zero = (len(values) - len(logs) + 1) / (len(values) + 2)  # add-one smoothing
            mean = sum(logs) / len(logs) if logs else DEFAULT_COLUMN[1]
            spread = math.sqrt(sum((x - mean) ** 2 for x in logs) / len(logs)) if logs else DEFAULT_COLUMN[2]
            columns[key] = (round(zero, 6), round(mean, 6), round(max(MIN_SIGMA, spread), 6))
        # How often one cell of a row is at most another (现行有效 ≥ 本年制发 in most reports).
        counts: dict[str, list[int]] = {}
        for (_doc, fmt, row), cells in rows.items():
            for a, b in itertools.permutations(sorted(cells), 2):
                seen = counts.setdefault(f"{fmt}.{row}.{a}<={b}", [0, 0])
                seen[0] += cells[a] <= cells[b]
                seen[1] += 1
        order = {k: round((n + 1) / (total + 2), 6) for k, (n, total) in sorted(counts.items())}
        return cls(columns, order)

    def log_prob(self, fmt: str, col: str, value: float, unit: str | None = None) -> float:
        zero, mean, spread = self.columns.get(f"{fmt}.{col}@{unit}") or self.columns.get(f"{fmt}.{col}", DEFAULT_COLUMN)
        if value == 0:
            return math.log(zero)
        x = math.log10(abs(value))
        return math.log(1 - zero) - 0.5 * ((x - mean) / spread) ** 2 - math.log(spread * math.sqrt(2 * math.pi))

    def score(self, fmt: str, row: str, cols: Sequence[str], values: Sequence[float],
              units: Sequence[str | None] = ()) -> float:
        """Log-probability of a row's values under the prior (higher is likelier):
        each cell's own, plus how usual the order between each pair of cells is."""
        units = list(units) + [None] * (len(cols) - len(units))
        total = sum(self.log_prob(fmt, f"{row}.{c}", v, u) for c, v, u in zip(cols, values, units))
        for (a, va), (b, vb) in itertools.permutations(zip(cols, values), 2):
            p = self.order.get(f"{fmt}.{row}.{a}<={b}")
            if p is not None:
                total += math.log(p if va <= vb else 1 - p)
        return total

    def to_json(self) -> dict:
        return {"name": "gixml value prior", "columns": {k: list(v) for k, v in self.columns.items()},
                "order": self.order}

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> ValuePrior:
        blob = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls({k: (float(v[0]), float(v[1]), float(v[2])) for k, v in blob["columns"].items()},
                   {k: float(v) for k, v in blob.get("order", {}).items()})


@lru_cache(maxsize=1)
def default_prior() -> ValuePrior:
    """The shipped prior (an empty one, i.e. DEFAULT_COLUMN everywhere, if it is missing)."""
    path = Path(str(resources.files("gixml.models").joinpath(PRIOR_FILE)))
    return ValuePrior.load(path) if path.exists() else ValuePrior()
