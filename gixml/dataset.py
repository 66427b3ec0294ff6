"""From reports to a dataset: one row per report, one column per cell key.

The last stage of the data flow, beside ``export.py`` (which writes one
report): this one writes many, as researchers build a panel of bodies and
years. It takes reports (:class:`~gixml.report.Report`), batch results
(:class:`~gixml.batch.BatchResult`), the records of a results file (as
``gixml batch`` writes them) or the path of such a file, and gives

- :func:`wide_rows`: plain dicts, one per report: :data:`META_COLUMNS`, then one
  column per cell key of both national formats (:func:`key_columns`), with
  the cross-year check (:func:`cross_year`: a body's 上年结转 against its
  结转下年度 of the year before);
- :func:`to_frame`: the same as a pandas DataFrame with nullable dtypes
  (``Int64`` counts, ``Float64`` amounts, ``string`` text, dates as
  ``datetime64``), so a blank cell (``<NA>``) stays distinct from 0;
- :func:`write_table`: CSV (standard library), Parquet (pyarrow) or Excel
  (openpyxl), by the output's suffix.

pandas, pyarrow and openpyxl are the ``data`` extra (``pip install
'gixml[data]'``); CSV needs none of them.
"""
from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from .errors import MissingDependencyError, UnsupportedInputError
from .export import cell_provenance
from .forms import FORMATS, cell_keys

if TYPE_CHECKING:
    import pandas

#: The columns before the cells: where the report came from, what it is, how it went.
#: ``status`` is the report's (``complete``, ``partial``, ``not_a_report``) or ``error``
#: for an input that could not be read (``error`` then says why). ``warnings`` counts the
#: report's warnings; ``failed_identity``, ``low_confidence`` and ``undetermined`` count
#: its cells carrying each flag; ``prose_mismatch`` the figures its prose states that its
#: table does not give (``prose.py``).
META_COLUMNS = ("path", "sha256", "organization", "year", "published", "format", "status", "error",
                "warnings", "failed_identity", "low_confidence", "undetermined", "prose_mismatch",
                "previous_year", "cross_year_mismatches", "cross_year_detail")
#: ``None``: every key of both formats; ``"exact"``: the keys both formats share (``crosswalk.py``);
#: ``"approximate"``: those and the close ones.
Comparable = Literal["exact", "approximate"] | None
#: The columns of the cross-year check (:func:`cross_year`): the year of the same body's report for the year
#: before, when the table holds exactly one; how many of its carried-over cells disagree; which.
CROSS_YEAR_COLUMNS = META_COLUMNS[-3:]
#: The cells that hold amounts of money (floats); every other cell is a count.
AMOUNT_KEYS = ("active.procurement.amount", "active.fees.amount")
#: The output suffixes :func:`write_table` knows.
TABLE_SUFFIXES = (".csv", ".parquet", ".xlsx")
_FLAGS = ("failed_identity", "low_confidence", "undetermined")


@cache
def key_columns() -> tuple[str, ...]:
    """Every cell key of both formats, each once: format 2019's keys (with the
    optional ``active.fees.decisions``), then the keys only format 2021 has,
    each in SCHEMA.md order. A report fills the keys of its own format; the
    others stay null."""
    keys = [str(k) for k in cell_keys("2019", fees_decisions=True)]
    seen = set(keys)
    for fmt in FORMATS[1:]:
        keys += [k for k in map(str, cell_keys(fmt, single_other=True)) if k not in seen]
        seen.update(keys)
    return tuple(keys)


def columns(comparable: Comparable = None) -> tuple[str, ...]:
    """The wide table's columns: :data:`META_COLUMNS`, then :func:`key_columns`,
    or with ``comparable`` (``"exact"`` or ``"approximate"``) the comparable keys
    of ``crosswalk.py``."""
    if comparable is None:
        return META_COLUMNS + key_columns()
    from .crosswalk import comparable_keys

    return META_COLUMNS + comparable_keys(approximate=_approximate(comparable))


def _approximate(comparable: Comparable) -> bool:
    if comparable not in ("exact", "approximate"):
        raise ValueError(f"comparable is 'exact' or 'approximate' (or None for every key), not {comparable!r}")
    return comparable == "approximate"


def records(items: Iterable[Any] | str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Each item as a results-file record (``path``, ``sha256``, ``status``,
    ``report`` as its JSON dict, ``error``). A path is read as a results file,
    the last record of each input kept."""
    if isinstance(items, (str, os.PathLike)):
        from .batch import latest_records

        yield from latest_records(os.fspath(items))
        return
    for item in items:
        if isinstance(item, Mapping):
            if "cells" in item:  # a report's JSON dict
                yield {"path": item.get("source"), "sha256": None, "report": item}
            else:
                yield dict(item)
        elif hasattr(item, "to_record"):  # a BatchResult
            yield item.to_record(provenance="none")
        elif hasattr(item, "to_dict"):  # a Report
            report = item.to_dict(provenance="none")
            yield {"path": report.get("source"), "sha256": None, "report": report}
        else:
            raise TypeError(f"cannot make a dataset row of {type(item).__name__}: expected a Report, a BatchResult, "
                            "a results-file record or the path of a results file")


def wide_row(record: Mapping[str, Any], comparable: Comparable = None) -> dict[str, Any]:
    """One results-file record as a row of the wide table (a blank cell is None,
    never 0); with ``comparable``, in the comparable keys (:func:`columns`)."""
    report = record.get("report") or {}
    meta = report.get("meta") or {}
    cells = report.get("cells") or {}
    counts = review_counts(report) if report else {}
    failed = not report
    row: dict[str, Any] = {
        "path": record.get("path"), "sha256": record.get("sha256"),
        "organization": meta.get("organization"), "year": meta.get("year"), "published": meta.get("published"),
        "format": report.get("format"), "status": "error" if failed else report.get("status"),
        "error": record.get("error") if failed else None,
        "warnings": None if failed else len(report.get("warnings") or ()),
    }
    for name in REVIEW_COUNTS:
        row[name] = counts.get(name)
    row.update(dict.fromkeys(CROSS_YEAR_COLUMNS))  # filled by wide_rows, which sees every report
    if comparable is None:
        for key in key_columns():
            row[key] = cells.get(key)
    else:
        from .crosswalk import comparable as to_comparable

        row.update(to_comparable(cells, report.get("format"), approximate=_approximate(comparable)))
    return row


#: What a reader should look at in a report, most pressing first: cells left undetermined, cells in a
#: failed identity, low-confidence cells, and figures the prose states that the table does not give.
REVIEW_COUNTS = ("undetermined", "failed_identity", "low_confidence", "prose_mismatch")


def review_counts(report: Mapping[str, Any]) -> dict[str, int]:
    """How many cells of a report's JSON carry each flag, and how many ``prose_mismatch`` warnings it has
    (:data:`REVIEW_COUNTS`): the wide table's columns and the order of ``gixml review``'s index."""
    flags = [f for p in cell_provenance(report).values() for f in (p.get("flags") or ())]
    counts = {flag: flags.count(flag) for flag in _FLAGS}
    counts["prose_mismatch"] = sum(1 for w in report.get("warnings") or () if w.get("code") == "prose_mismatch")
    return counts


def wide_rows(items: Iterable[Any] | str | os.PathLike[str], comparable: Comparable = None
              ) -> list[dict[str, Any]]:
    """The wide table's rows (:func:`columns`), one per report (see :func:`records` for ``items``),
    with the cross-year check (:func:`cross_year`) filled in."""
    rows, checked = [], []
    for record in records(items):
        rows.append(wide_row(record, comparable))
        checked.append(_year_cells(record))
    for row, (previous, mismatches) in zip(rows, cross_year(checked)):
        row["previous_year"] = previous
        row["cross_year_mismatches"] = None if previous is None else len(mismatches)
        row["cross_year_detail"] = "; ".join(mismatches) or None
    return rows


# -- across years ---------------------------------------------------------------
#: The 2019 active table's rows whose 上一年项目数量 (``previous``) should be the year before's
#: ``previous`` + 本年增/减 (``change``).
ITEM_ROWS = ("licensing", "other_services", "penalties", "enforcement", "fees")


def organization_key(name: str | None) -> str | None:
    """A body's name as the cross-year check matches it: Unicode NFKC (full-width
    letters and digits folded), every space and punctuation mark removed. Nothing
    else: ``某县人民政府`` and ``某县人民政府办公室`` are two bodies. Within a batch,
    :func:`same_bodies` also matches a name printed with and without the areas
    above it (``洪泽区人民政府``, ``淮安市洪泽区人民政府``)."""
    if not name:
        return None
    import unicodedata

    folded = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in folded if not (ch.isspace() or unicodedata.category(ch).startswith("P"))) or None


#: The areas above a body that a report may print before its name, or leave out: provinces, regions,
#: cities, prefectures, leagues, counties, districts, banners (淮安市 of 淮安市洪泽区人民政府), one or more,
#: each of 2-9 characters.
_AREAS_ABOVE = re.compile(r"(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|自治州|州|地区|盟|县|区|旗))+")
#: A name that begins with an area of its own (a county, district, city, banner, township …), as a name
#: left without the areas above it must: not 人民政府 or 教育局 alone.
_OWN_AREA = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:区|县|市|旗|州|镇|乡|街道)[\u4e00-\u9fff]")


def same_bodies(keys: Iterable[str | None]) -> dict[str, str]:
    """Which body keys (:func:`organization_key`) of one batch name one body: a
    key that is another key with the areas above it left out (``洪泽区人民政府``
    and ``淮安市洪泽区人民政府``) maps to the longest such key, when those keys
    name one body, each the next with areas left out (with
    ``南京市鼓楼区人民政府`` and ``福州市鼓楼区人民政府`` both present,
    ``鼓楼区人民政府`` is matched to neither). Every other key maps to itself."""
    names = sorted({k for k in keys if k})
    out = {k: k for k in names}
    below: dict[str, list[str]] = {}  # a name with areas above it left out → the names it is left out of
    for name in names:
        for cut in range(2, len(name) - 1):
            if _AREAS_ABOVE.fullmatch(name, 0, cut):
                below.setdefault(name[cut:], []).append(name)
    for short in names:
        if not _OWN_AREA.match(short):
            continue
        longer = below.get(short, [])
        longest = max(longer, key=len, default=None)
        if longest is not None and all(longest.endswith(k) for k in longer):  # one body, named at several depths
            out[short] = longest
    return out


def _year_cells(record: Mapping[str, Any]) -> tuple[str | None, int | None, str | None, dict[str, Any]]:
    """What the cross-year check needs of a record: the body's key, the year, the format, the cells."""
    report = record.get("report") or {}
    meta = report.get("meta") or {}
    year = meta.get("year")
    return organization_key(meta.get("organization")), year if isinstance(year, int) else None, \
        report.get("format"), report.get("cells") or {}


def cross_year(reports: list[tuple[str | None, int | None, str | None, Mapping[str, Any]]]
               ) -> list[tuple[int | None, list[str]]]:
    """For each report (body key, year, format, cells), the same body's report
    for the year before (bodies matched by :func:`same_bodies`), when the batch
    holds exactly one report of each, and the disagreements between them:

    - 二、上年结转 (``requests.carried_over.*``) against the year before's
      四、结转下年度继续办理 (``requests.carried_forward.*``), column by column;
    - in two format 2019 reports, 上一年项目数量 (``active.ROW.previous``) against
      the year before's ``previous`` + 本年增/减 (``change``).

    A blank cell on either side is not compared. Returns (the previous year or
    None, the disagreements as text) per report, in order."""
    from collections import Counter

    from .forms import REQUEST_COLS

    body = same_bodies(org for org, _, _, _ in reports)
    reports = [(body.get(org or "") or org, year, fmt, cells) for org, year, fmt, cells in reports]
    count = Counter((org, year) for org, year, _, _ in reports if org and year)
    index = {(org, year): i for i, (org, year, _, _) in enumerate(reports) if org and year and count[org, year] == 1}
    out: list[tuple[int | None, list[str]]] = []
    for org, year, fmt, cells in reports:
        j = index.get((org, year - 1)) if org and year and count[org, year] == 1 else None
        if j is None:
            out.append((None, []))
            continue
        _, before, fmt_before, old = reports[j]
        found = []
        for col in REQUEST_COLS:
            now, then = cells.get(f"requests.carried_over.{col}"), old.get(f"requests.carried_forward.{col}")
            if now is not None and then is not None and now != then:
                found.append(f"requests.carried_over.{col} is {now}, but {before}'s requests.carried_forward.{col} "
                             f"is {then}")
        if fmt == fmt_before == "2019":
            for row in ITEM_ROWS:
                now, prev, change = (cells.get(f"active.{row}.previous"), old.get(f"active.{row}.previous"),
                                     old.get(f"active.{row}.change"))
                if None not in (now, prev, change) and now != prev + change:
                    found.append(f"active.{row}.previous is {now}, but {before}'s previous + change is "
                                 f"{prev} + {change} = {prev + change}")
        out.append((before, found))
    return out


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:
        raise MissingDependencyError("a DataFrame, Parquet or Excel table needs pandas: pip install 'gixml[data]'"
                                     ) from e
    return pandas


def to_frame(items: Iterable[Any] | str | os.PathLike[str], *, comparable: Comparable = None) -> pandas.DataFrame:
    """The wide table as a pandas DataFrame, one row per report: text columns
    as ``string``, ``year`` and every count as nullable ``Int64``, amounts as
    ``Float64``, ``published`` as ``datetime64``. A blank cell is ``<NA>``, not
    0. ``items``: reports, batch results, results-file records, or the path of
    a results file. ``comparable`` (``"exact"``, ``"approximate"``): the cells
    in the keys both national formats share (``crosswalk.py``), so that a
    body's series runs across 2021. Needs the ``data`` extra."""
    pd = _pandas()
    names = columns(comparable)
    frame = pd.DataFrame(list(wide_rows(items, comparable)), columns=list(names))
    for name in ("path", "sha256", "organization", "format", "status", "error"):
        frame[name] = frame[name].astype("string")
    frame["published"] = pd.to_datetime(frame["published"], errors="coerce", format="%Y-%m-%d")
    frame["cross_year_detail"] = frame["cross_year_detail"].astype("string")
    for name in ("year", "warnings", *REVIEW_COUNTS, "previous_year", "cross_year_mismatches", *names[len(META_COLUMNS):]):
        frame[name] = _numbers(pd, frame[name], amount=name in AMOUNT_KEYS)
    return frame


def _numbers(pd: Any, column: Any, *, amount: bool) -> Any:
    """``Int64``, or ``Float64`` for an amount or a count printed with decimals."""
    values = [v for v in column if v is not None and v == v]
    if amount or any(isinstance(v, float) and not v.is_integer() for v in values):
        return column.astype("Float64")
    return column.astype("Int64")


def write_table(items: Iterable[Any] | str | os.PathLike[str], out: str | os.PathLike[str], *,
                comparable: Comparable = None) -> int:
    """Write the wide table to ``out`` (``.csv``, ``.parquet`` or ``.xlsx``, by
    its suffix), atomically: a run stopped halfway leaves any earlier file
    whole. Returns the number of rows. CSV writes a blank cell as an empty
    field and 0 as ``0``; Parquet and Excel keep it null. ``comparable``: as
    :func:`to_frame`."""
    out = os.fspath(out)
    suffix = os.path.splitext(out)[1].lower()
    if suffix not in TABLE_SUFFIXES:
        raise UnsupportedInputError(f"{out}: a table is written as {', '.join(TABLE_SUFFIXES)}, not {suffix or 'a file without suffix'!r}")
    tmp = f"{out}.{os.getpid()}.tmp{suffix}"
    try:
        if suffix == ".csv":
            n = _write_csv(items, tmp, comparable)
        else:
            frame = to_frame(items, comparable=comparable)
            n = len(frame)
            if suffix == ".parquet":
                _need("pyarrow", "Parquet")
                frame.to_parquet(tmp, index=False)
            else:
                _need("openpyxl", "Excel")
                frame["published"] = frame["published"].dt.date
                frame.to_excel(tmp, index=False, sheet_name="reports")
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return n


def _need(module: str, what: str) -> None:
    try:
        __import__(module)
    except ImportError as e:
        raise MissingDependencyError(f"writing {what} needs {module}: pip install 'gixml[data]'") from e


def _write_csv(items: Iterable[Any] | str | os.PathLike[str], path: str, comparable: Comparable) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns(comparable), lineterminator="\n")
        writer.writeheader()
        for row in wide_rows(items, comparable):
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
            n += 1
    return n


def cross_year_summary(items: Iterable[Any] | str | os.PathLike[str], *, show: int = 10) -> list[str]:
    """The cross-year check of a batch in a few lines: the pairs of consecutive
    years found and, for up to ``show`` reports, their disagreements."""
    reports, paths = [], []
    for record in records(items):
        reports.append(_year_cells(record))
        paths.append(record.get("path"))
    checked = cross_year(reports)
    pairs = [(path, year, found) for path, (org, year, _, _), (before, found) in zip(paths, reports, checked)
             if before is not None]
    if not pairs:
        return []
    bad = [p for p in pairs if p[2]]
    lines = [f"across years: {len(pairs)} report(s) with the same body's report of the year before; "
             f"{len(bad)} disagree with it"]
    for path, year, found in bad[:show]:
        lines.append(f"  {path} ({year}): " + "; ".join(found))
    if len(bad) > show:
        lines.append(f"  … and {len(bad) - show} more (gixml table shows them all, column cross_year_detail)")
    return lines
