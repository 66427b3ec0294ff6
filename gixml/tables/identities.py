"""The identities the form demands (勾稽关系), and the check of a report against them.

- ``requests`` rows: ``total`` = the sum of the six applicant columns;
- ``requests`` columns: (七)总计 = the sum of the result rows;
- ``requests`` columns: 一 + 二 = (七)总计 + 四 (the form's printed note);
- ``appeals`` rows: ``total`` = 维持 + 纠正 + 其他 + 尚未审结.

:func:`validate` checks a report: a printed number is never changed. Each
identity that fails becomes a :class:`~gixml.records.ReportWarning` with both
sides and the cells involved, and those cells get the ``failed_identity`` flag
and a lower confidence (``confidence.IN_FAILED_IDENTITY``).
An identity touching a null cell cannot be evaluated and is skipped.

The same identities, over one row's values or over a table of candidate rows,
choose between the splits of glued digits (``glued.py``): :func:`requests_row_ok`,
:func:`appeals_ok` and :func:`requests_column_checks`.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from .. import confidence as conf
from ..forms import APPEAL_COLS, APPEAL_ROWS, APPLICANT_COLS, REQUEST_COLS, RESULT_ROWS
from ..records import FAILED_IDENTITY, LOW_CONFIDENCE, UNDETERMINED, Cell, CellKey, ReportWarning

IdentityName = Literal["requests_row_total", "requests_results_total", "requests_balance", "appeals_row_total"]


@dataclass(frozen=True)
class Identity:
    """``sum(left) == sum(right)`` over cells; ``name`` says which rule."""

    name: IdentityName
    left: tuple[CellKey, ...]
    right: tuple[CellKey, ...]
    description: str


@cache
def identities(keys: tuple[CellKey, ...]) -> tuple[Identity, ...]:
    """Every identity that applies to a report with these cells (data: made
    once per set of keys, i.e. per variant of the form)."""
    present = set(keys)
    out: list[Identity] = []
    for row in [k.row for k in keys if k.table == "requests" and k.col == "total"]:
        out.append(Identity("requests_row_total", (CellKey("requests", row, "total"),),
                            tuple(CellKey("requests", row, c) for c in APPLICANT_COLS),
                            f"requests.{row}: 总计 = sum of the six applicant columns"))
    result_rows = [r for r in RESULT_ROWS if CellKey("requests", r, "total") in present]
    for col in REQUEST_COLS:
        if CellKey("requests", "total", col) in present:
            out.append(Identity("requests_results_total", (CellKey("requests", "total", col),),
                                tuple(CellKey("requests", r, col) for r in result_rows),
                                f"requests column {col}: (七)总计 = sum of the result rows"))
        balance = [CellKey("requests", r, col) for r in ("new_received", "carried_over", "total", "carried_forward")]
        if all(k in present for k in balance):
            out.append(Identity("requests_balance", tuple(balance[:2]), tuple(balance[2:]),
                                f"requests column {col}: 一 + 二 = (七)总计 + 四"))
    for row in APPEAL_ROWS:
        if CellKey("appeals", row, "total") in present:
            out.append(Identity("appeals_row_total", (CellKey("appeals", row, "total"),),
                                tuple(CellKey("appeals", row, c) for c in APPEAL_COLS[:4]),
                                f"appeals.{row}: 总计 = 维持 + 纠正 + 其他 + 尚未审结"))
    return tuple(out)


def _sum(values: Sequence[int | float]) -> int | float:
    total = sum(values)
    return round(total, 6) if isinstance(total, float) else total


def check(values: Mapping[CellKey, int | float | None], identity: Identity,
          unknown: frozenset[CellKey] = frozenset()) -> tuple[int | float, int | float] | None:
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


def validate(cells: Mapping[CellKey, Cell]) -> tuple[dict[CellKey, Cell], list[ReportWarning]]:
    """Check every identity: the cells of failed ones flagged, one warning each;
    then flag the rows beside a row left undetermined (:func:`flag_beside_undetermined`)."""
    values = {k: c.value for k, c in cells.items()}
    unknown = frozenset(k for k, c in cells.items() if c.value is None and UNDETERMINED in c.flags)
    warnings: list[ReportWarning] = []
    failed: set[CellKey] = set()
    for identity in identities(tuple(cells)):
        sides = check(values, identity, unknown)
        if sides is None:
            continue
        left, right = sides
        if math.isclose(left, right, rel_tol=0, abs_tol=1e-6):
            continue
        involved = tuple(k for k in identity.left + identity.right if values.get(k) is not None)
        failed.update(involved)
        warnings.append(ReportWarning(
            "identity", f"{identity.description}: {left} ≠ {right} as printed", involved, left=left, right=right,
            lines=tuple(sorted({line for k in involved if (line := cells[k].line)}))))
    out = {k: (c.flagged(FAILED_IDENTITY, confidence=round(c.confidence * conf.IN_FAILED_IDENTITY, 4))
               if k in failed and FAILED_IDENTITY not in c.flags else c)
           for k, c in cells.items()}
    out, beside = flag_beside_undetermined(out)
    return out, warnings + beside


def flag_beside_undetermined(cells: Mapping[CellKey, Cell]) -> tuple[dict[CellKey, Cell], list[ReportWarning]]:
    """A row printed but left ``undetermined`` makes its neighbours doubtful.

    When a layout loses a row (a label wrapped around its values, a page break
    inside a label), its values are most often read into the row before or
    after it, and the row itself is left undetermined. The identities cannot
    catch that: the one row they would need is unknown. So the values read
    into the rows beside an undetermined row (in the form's order, in the same
    table) are flagged ``low_confidence``, one warning per undetermined row.
    On the converter zoo this flags three in four of the wrong cells that had
    no flag, for 1% of the right ones (``training/ZOO.md``).
    """
    rows: dict[tuple[str, str], list[CellKey]] = {}
    for key in cells:
        rows.setdefault((key.table, key.row), []).append(key)
    order = list(rows)
    flagged: set[CellKey] = set()
    warnings: list[ReportWarning] = []
    for i, row in enumerate(order):
        if not all(cells[k].value is None and UNDETERMINED in cells[k].flags for k in rows[row]):
            continue
        beside = [k for j in (i - 1, i + 1) if 0 <= j < len(order) and order[j][0] == row[0]
                  for k in rows[order[j]] if cells[k].value is not None and LOW_CONFIDENCE not in cells[k].flags]
        if beside:
            flagged.update(beside)
            warnings.append(ReportWarning(
                "beside_undetermined", f"{row[0]}.{row[1]} is printed but was not read: the values read into the "
                f"rows beside it may be its own, one row off; flagged low_confidence", tuple(beside),
                lines=tuple(sorted({line for k in beside if (line := cells[k].line)}))))
    return {k: (c.flagged(LOW_CONFIDENCE, confidence=round(c.confidence * conf.BESIDE_UNDETERMINED, 4))
                if k in flagged else c) for k, c in cells.items()}, warnings


# -- the same identities over candidate values (choosing a split of glued digits) ------------
_APPLICANTS = len(APPLICANT_COLS)  # a requests row: the applicant columns, then 总计
_RESULTS = len(APPEAL_COLS) - 1  # an appeals group: the results, then 总计
_GROUPS = tuple(range(0, len(APPEAL_ROWS) * len(APPEAL_COLS), len(APPEAL_COLS)))  # where each group starts


def requests_row_ok(row: Sequence[int | float]) -> bool:
    """A requests row's seven values: 总计 = the sum of the six applicant columns."""
    return sum(row[:_APPLICANTS]) == row[_APPLICANTS]


def appeals_held(values: Sequence[int]) -> int:
    """How many of the three groups (复议, 直接起诉, 复议后起诉) of the appeals
    table's fifteen values have 总计 = the sum of the four results."""
    return sum(sum(values[i:i + _RESULTS]) == values[i + _RESULTS] for i in _GROUPS)


def appeals_gap(values: Sequence[int]) -> int:
    """How far the appeals table's three 总计 are, in all, from the sums of their results."""
    return sum(abs(sum(values[i:i + _RESULTS]) - values[i + _RESULTS]) for i in _GROUPS)


def appeals_ok(values: Sequence[int]) -> bool:
    return appeals_held(values) == 3


RowsCheck = Callable[[Mapping[str, Sequence[int]]], "bool | None"]


def requests_column_checks(width: int, result_rows: Sequence[str]) -> list[RowsCheck]:
    """The requests table's column identities, each a check over {row: its values}
    (None when the rows it needs are not all there)."""
    checks: list[RowsCheck] = []
    for c in range(width):
        def results_total(t: Mapping[str, Sequence[int]], c: int = c) -> bool | None:
            if "total" not in t:
                return None
            present = [t[r][c] for r in result_rows if r in t]
            return bool(present) and sum(present) == t["total"][c]

        def balance(t: Mapping[str, Sequence[int]], c: int = c) -> bool | None:
            if not all(r in t for r in ("new_received", "carried_over", "total", "carried_forward")):
                return None
            return t["new_received"][c] + t["carried_over"][c] == t["total"][c] + t["carried_forward"][c]

        checks += [results_total, balance]
    return checks
