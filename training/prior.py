"""Fit the value prior (``gixml/tables/prior.py``) on hand-checked values, score it, and save it with its card.

The data is ``annotations/values.tsv``: one line (doc, format, key, value,
unit) per cell of the 主动公开 table of the seeds and of the corpus reports
that may be copied (``collect_values.py`` rebuilds it).

The score is what the prior is for: cutting a glued digit run of one row of
the active table. For each report left out in turn, the prior is fitted on the
others; each of the left-out report's rows whose values are plain
non-negative integers is glued into one digit run, every cut of that run into
the row's cells is listed (``glued.candidate_splits``) and, where there is
more than one, the cut the prior ranks first is compared with the printed
values.
"""
from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from gixml.errors import AnnotationError
from gixml.records import CellKey
from gixml.tables.glued import candidate_splits
from gixml.tables.prior import CARD_FILE, DEFAULT_COLUMN, PRIOR_FILE, PRIOR_VERSION, ColumnKey, OrderKey, ValuePrior

from .annotations import sha256_of

MIN_SIGMA = 0.5  # log10 units: a column's spread is never narrower than a factor of ~3

#: One hand-checked value: (report, format, its cell, value, unit printed with it or "").
ValueRecord = tuple[str, str, CellKey, float, str]


def fit_prior(records: Iterable[ValueRecord]) -> ValuePrior:
    """Fit from value records; negative values are left out. A cell printed with
    a unit also counts towards that unit's column (元 and 万元 differ by 10⁴)."""
    by_column: dict[ColumnKey, list[float]] = {}
    rows: dict[tuple[str, str, str], dict[str, float]] = {}
    for doc, fmt, key, value, unit in records:
        if value >= 0:
            by_column.setdefault((fmt, key.row, key.col, None), []).append(value)
            if unit:
                by_column.setdefault((fmt, key.row, key.col, unit), []).append(value)
            rows.setdefault((doc, fmt, key.row), {})[key.col] = value
    columns = {}
    for column, values in by_column.items():
        logs = [math.log10(v) for v in values if v > 0]
        zero = (len(values) - len(logs) + 1) / (len(values) + 2)  # add-one smoothing
        mean = sum(logs) / len(logs) if logs else DEFAULT_COLUMN[1]
        spread = math.sqrt(sum((x - mean) ** 2 for x in logs) / len(logs)) if logs else DEFAULT_COLUMN[2]
        columns[column] = (round(zero, 6), round(mean, 6), round(max(MIN_SIGMA, spread), 6))
    # How often one cell of a row is at most another (现行有效 ≥ 本年制发 in most reports).
    counts: dict[OrderKey, list[int]] = {}
    for (_doc, fmt, row), cells in rows.items():
        for a, b in itertools.permutations(sorted(cells), 2):
            seen = counts.setdefault((fmt, row, a, b), [0, 0])
            seen[0] += cells[a] <= cells[b]
            seen[1] += 1
    order = {k: round((n + 1) / (total + 2), 6) for k, (n, total) in counts.items()}
    return ValuePrior(columns, order)


def read_values(path: Path) -> list[ValueRecord]:
    """The records of ``values.tsv`` (doc, format, key, value, unit per line)."""
    records: list[ValueRecord] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:], start=2):
        if not line.strip():
            continue
        try:
            doc, fmt, key, value, unit = line.split("\t")
            records.append((doc, fmt, CellKey.parse(key), float(value), unit))
        except ValueError:
            raise AnnotationError(f"line {n} is not doc, format, TABLE.ROW.COL key, value, unit separated by tabs",
                                  path=str(path)) from None
    return records


def leave_one_report_out(records: Sequence[ValueRecord]) -> dict[str, Any]:
    """How often the prior, fitted without a report, picks that report's printed
    values among the cuts of each of its rows glued into one digit run (scored
    as extraction scores them: the row's last cell with the unit printed with it)."""
    by_row: dict[tuple[str, str, str], list[tuple[str, float, str]]] = {}
    for doc, fmt, key, value, unit in records:
        by_row.setdefault((doc, fmt, key.row), []).append((key.col, value, unit))
    rows = glued = right = 0
    fitted: dict[str, ValuePrior] = {}
    for (doc, fmt, row), cells in sorted(by_row.items()):
        values = [v for _, v, _ in cells]
        if len(cells) < 2 or any(v < 0 or v != int(v) for v in values):
            continue
        rows += 1
        printed = tuple(int(v) for v in values)
        splits = candidate_splits(["".join(map(str, printed))], len(printed))
        if len(splits) < 2:
            continue
        glued += 1
        if doc not in fitted:
            fitted[doc] = fit_prior(r for r in records if r[0] != doc)
        cols = [c for c, _, _ in cells]
        units = [None] * (len(cells) - 1) + [cells[-1][2] or None]
        best = max(splits, key=lambda s: fitted[doc].score(fmt, row, cols, s, units))
        right += best == printed
    return {"rows": rows, "rows_with_several_cuts": glued, "printed_cut_ranked_first": right,
            "share_ranked_first": round(right / glued, 4) if glued else None}


def save_prior(prior: ValuePrior, card: dict[str, Any], out_dir: Path) -> Path:
    """Write ``prior.json`` and its ``card.json`` into the folder ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, blob, indent in ((PRIOR_FILE, prior.to_json(), 1), (CARD_FILE, card, 2)):
        tmp = out_dir / f"{name}.tmp"
        tmp.write_text(json.dumps(blob, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")
        os.replace(tmp, out_dir / name)
    return out_dir / PRIOR_FILE


def train_prior(values: Path, out_dir: Path) -> dict[str, Any]:
    """Fit, score and save the value prior from ``values.tsv``; returns its card."""
    records = read_values(values)
    card = {
        "name": "gixml value prior",
        "prior_version": PRIOR_VERSION,
        "libraries": "none: plain Python arithmetic (math), the same on every version",
        "model": "per (format, row.column): share of zeros and a normal of log10 of the non-zero values; "
                 "per pair of a row's cells: how often the first is at most the second",
        "params": {"min_sigma": MIN_SIGMA, "smoothing": "add-one"},
        "training_data": {
            "file": values.name,
            "sha256": sha256_of(values),
            "values": len(records),
            "reports": len({r[0] for r in records}),
        },
        "metrics": {"leave_one_report_out": leave_one_report_out(records)},
    }
    save_prior(fit_prior(records), card, out_dir)
    return card
