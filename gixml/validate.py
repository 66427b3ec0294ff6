"""Stage 6 — validate: check the identities the form demands (勾稽关系).

A printed number is never changed here. Each identity that fails becomes a
:class:`ReportWarning` with both sides and the cells involved, and those cells
get the ``failed_identity`` flag. An identity touching a null cell cannot be
evaluated and is skipped.

- ``requests`` rows: ``total`` = the sum of the six applicant columns;
- ``requests`` columns: (七)总计 = the sum of the result rows;
- ``requests`` columns: 一 + 二 = (七)总计 + 四 (the form's printed note);
- ``appeals`` rows: ``total`` = 维持 + 纠正 + 其他 + 尚未审结.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .report import FAILED_IDENTITY, UNDETERMINED, Cell, ReportWarning
from .templates import APPEAL_COLS, APPEAL_ROWS, APPLICANT_COLS, REQUEST_COLS, RESULT_ROWS


@dataclass(frozen=True)
class Identity:
    """``sum(left) == sum(right)`` over cell keys; ``name`` says which rule."""

    name: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    description: str


def identities(keys: Sequence[str]) -> list[Identity]:
    """Every identity that applies to a report with these cell keys."""
    present = set(keys)
    out: list[Identity] = []
    rows = [k.split(".")[1] for k in keys if k.startswith("requests.") and k.endswith(".total")]
    for row in rows:
        out.append(
            Identity(
                "requests_row_total",
                (f"requests.{row}.total",),
                tuple(f"requests.{row}.{c}" for c in APPLICANT_COLS),
                f"requests.{row}: 总计 = sum of the six applicant columns",
            )
        )
    result_rows = [r for r in RESULT_ROWS if f"requests.{r}.total" in present]
    for col in REQUEST_COLS:
        if f"requests.total.{col}" in present:
            out.append(
                Identity(
                    "requests_results_total",
                    (f"requests.total.{col}",),
                    tuple(f"requests.{r}.{col}" for r in result_rows),
                    f"requests column {col}: (七)总计 = sum of the result rows",
                )
            )
        if all(f"requests.{r}.{col}" in present for r in ("new_received", "carried_over", "total", "carried_forward")):
            out.append(
                Identity(
                    "requests_balance",
                    (f"requests.new_received.{col}", f"requests.carried_over.{col}"),
                    (f"requests.total.{col}", f"requests.carried_forward.{col}"),
                    f"requests column {col}: 一 + 二 = (七)总计 + 四",
                )
            )
    for row in APPEAL_ROWS:
        if f"appeals.{row}.total" in present:
            out.append(
                Identity(
                    "appeals_row_total",
                    (f"appeals.{row}.total",),
                    tuple(f"appeals.{row}.{c}" for c in APPEAL_COLS[:4]),
                    f"appeals.{row}: 总计 = 维持 + 纠正 + 其他 + 尚未审结",
                )
            )
    return out


@lru_cache(maxsize=64)
def _identities_of(keys: tuple[str, ...]) -> tuple[Identity, ...]:
    """:func:`identities`, memoised: reports of one format have the same keys."""
    return tuple(identities(keys))


def _sum(values: Sequence[int | float]) -> int | float:
    total = sum(values)
    return round(total, 6) if isinstance(total, float) else total


def check(
    values: Mapping[str, int | float | None], identity: Identity, unknown: frozenset[str] = frozenset()
) -> tuple[int | float, int | float] | None:
    """The two sides of an identity, or None when it cannot be evaluated.

    It cannot when a cell it needs is ``unknown`` (printed but unread) or, outside
    the results total, null. In the results total a null result row that is not
    unknown counts as not printed (a format 2021 report may print a single
    （六）其他处理 row instead of its three sub-rows).
    """
    if any(k in unknown for k in identity.left + identity.right):
        return None
    lv = [values.get(k) for k in identity.left]
    rv = [values.get(k) for k in identity.right]
    if any(v is None for v in lv):
        return None
    if identity.name == "requests_results_total":
        rv = [v for v in rv if v is not None]
        if not rv:
            return None
    elif any(v is None for v in rv):
        return None
    return _sum(lv), _sum(rv)  # type: ignore[arg-type]


def validate(cells: Mapping[str, Cell]) -> tuple[dict[str, Cell], list[ReportWarning]]:
    """Stage entry point: flag the cells of failed identities; one warning each."""
    values = {k: c.value for k, c in cells.items()}
    unknown = frozenset(k for k, c in cells.items() if c.value is None and UNDETERMINED in c.flags)
    warnings: list[ReportWarning] = []
    failed: set[str] = set()
    for identity in _identities_of(tuple(cells)):
        sides = check(values, identity, unknown)
        if sides is None:
            continue
        left, right = sides
        if math.isclose(left, right, rel_tol=0, abs_tol=1e-6):
            continue
        involved = tuple(k for k in identity.left + identity.right if values.get(k) is not None)
        failed.update(involved)
        warnings.append(
            ReportWarning(
                "identity",
                f"{identity.description}: {left} ≠ {right} as printed",
                involved,
                left=left,
                right=right,
                lines=tuple(sorted({cells[k].line for k in involved if cells[k].line})),
            )
        )
    out = {
        k: (c.flagged(FAILED_IDENTITY) if k in failed and FAILED_IDENTITY not in c.flags else c)
        for k, c in cells.items()
    }
    return out, warnings
