"""Export: a report as a JSON-ready dict, JSON, XML (valid against ``schema/report.xsd``) or CSV rows.

One direction: these functions take a :class:`~gixml.report.Report` (anything
with its fields: :class:`ReportData`; or, for the CSV rows, a report's JSON
dict as a results file holds it), and the Report's ``to_dict``/``to_json``/
``to_xml``/``to_rows``/``to_csv`` methods call them.
A new output format is a function here (and a method on Report, if it is one
users call often).
"""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any, Literal, Protocol, get_args

from .records import Cell, CellKey, Meta, ReportWarning, Statement
from .version import __version__


class ReportData(Protocol):
    """What export reads of a report: the fields of :class:`gixml.report.Report`."""

    @property
    def source(self) -> str | None: ...
    @property
    def format(self) -> str | None: ...
    @property
    def meta(self) -> Meta: ...
    @property
    def cells(self) -> Mapping[CellKey, Cell]: ...
    @property
    def units(self) -> Mapping[CellKey, str]: ...
    @property
    def warnings(self) -> Sequence[ReportWarning]: ...
    @property
    def sections(self) -> Mapping[str, str]: ...
    @property
    def table_formats(self) -> Mapping[str, str | None]: ...
    @property
    def status(self) -> str: ...
    @property
    def encoding(self) -> str | None: ...
    @property
    def source_lines(self) -> Mapping[int, str]: ...
    @property
    def statements(self) -> Sequence[Statement]: ...


XML_NAMESPACE = "urn:gixml:report:2"
#: The long CSV's columns: the report (``source`` … ``status``, repeated on each of its rows), then the cell.
CSV_FIELDS = ("source", "organization", "year", "format", "status", "key", "table", "row", "col", "value", "unit",
              "line", "printed", "confidence", "method", "flags")

# Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# -- JSON ---------------------------------------------------------------------
#: How much of the source an output carries (``--provenance``):
#:
#: - ``full``: every cell's provenance, the text of each line a cell or a
#:   warning cites (once), and the text of the six sections;
#: - ``lines`` (the default): every cell's provenance and the cited lines' text, once;
#: - ``none``: no provenance and no text; the flags of the flagged cells only.
Provenance = Literal["full", "lines", "none"]
PROVENANCE_LEVELS: tuple[Provenance, ...] = get_args(Provenance)
#: The columns of ``provenance``, each a list in the order of ``cells``.
PROVENANCE_FIELDS = ("line", "span", "printed", "confidence", "method", "flags")


def check_provenance(level: str) -> Provenance:
    """``level`` if it is one of :data:`PROVENANCE_LEVELS`, else a ValueError naming them."""
    if level not in PROVENANCE_LEVELS:
        raise ValueError(f"unknown provenance level {level!r}; expected one of {', '.join(PROVENANCE_LEVELS)}")
    return level  # type: ignore[return-value]


def to_dict(report: ReportData, *, provenance: Provenance = "lines") -> dict[str, Any]:
    """The JSON-ready report: ``format``, ``meta``, ``cells`` (flat SCHEMA keys →
    value) and ``units`` first, then status and warnings; then, by the
    ``provenance`` level (:data:`Provenance`), the cells' provenance as columns
    in the order of ``cells`` and the cited lines' text keyed by line number
    (``lines``, ``full``), the flagged cells' flags (``none``) and the section
    texts (``full``)."""
    check_provenance(provenance)
    out: dict[str, Any] = {
        "format": report.format,
        "meta": _meta(report.meta),
        "cells": {str(key): cell.value for key, cell in report.cells.items()},
        "units": {str(key): unit for key, unit in report.units.items()},
        "status": report.status,
        "warnings": [_warning(w) for w in report.warnings],
    }
    if provenance == "none":
        out["flags"] = {str(key): list(cell.flags) for key, cell in report.cells.items() if cell.flags}
    else:
        cells = report.cells.values()
        out["provenance"] = {
            "line": [c.line for c in cells],
            "span": [list(c.span) if c.span else None for c in cells],
            "printed": [c.printed for c in cells],
            "confidence": [round(c.confidence, 4) for c in cells],
            "method": [c.method for c in cells],
            "flags": [list(c.flags) for c in cells],
        }
        out["lines"] = {str(n): text for n, text in sorted(report.source_lines.items())}
        out["statements"] = [_statement(s) for s in report.statements]
    out["tables"] = dict(report.table_formats)
    if provenance == "full":
        out["sections"] = dict(report.sections)
    out["source"] = report.source
    out["encoding"] = report.encoding
    out["provenance_level"] = provenance
    out["gixml_version"] = __version__
    return out


def cell_provenance(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """A report's JSON dict (any level) → each cell's provenance as a dict
    (``line``, ``source``, ``span``, ``printed``, ``confidence``, ``method``,
    ``flags``; what the level left out is None), keyed by cell key."""
    keys = list((data.get("cells") or {}).keys())
    columns = data.get("provenance") or {}
    lines = data.get("lines") or {}
    flags = data.get("flags") or {}
    out: dict[str, dict[str, Any]] = {}
    for n, key in enumerate(keys):
        p = {name: (columns[name][n] if name in columns else None) for name in PROVENANCE_FIELDS}
        if not columns:
            p["flags"] = flags.get(key, [])
        p["source"] = lines.get(str(p["line"])) if p["line"] is not None else None
        out[key] = p
    return out


def _meta(meta: Meta) -> dict[str, Any]:
    return {"organization": meta.organization, "year": meta.year, "published": meta.published}


def _statement(s: Statement) -> dict[str, Any]:
    return {"what": s.what, "cells": [str(k) for k in s.keys], "value": s.value, "table": s.table,
            "agrees": s.agrees, "line": s.line, "span": list(s.span), "printed": s.printed}


def _warning(w: ReportWarning) -> dict[str, Any]:
    out: dict[str, Any] = {"code": w.code, "message": w.message, "cells": [str(k) for k in w.cells]}
    if w.left is not None or w.right is not None:
        out["left"], out["right"] = w.left, w.right
    if w.lines:
        out["lines"] = list(w.lines)
    return out


def to_json(report: ReportData, *, indent: int | None = 2, provenance: Provenance = "lines") -> str:
    return json.dumps(to_dict(report, provenance=provenance), ensure_ascii=False, indent=indent)


# -- XML ----------------------------------------------------------------------
def xsd_path() -> str:
    """Path of the XSD that every ``to_xml`` output validates against."""
    return str(resources.files("gixml") / "schema" / "report.xsd")


def _clean(text: Any) -> str:
    return _XML_ILLEGAL.sub("\ufffd", str(text))


def _number(value: int | float) -> str:
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.10f}".rstrip("0").rstrip(".")
        return text
    return str(value)
def _report_element(report: ReportData, provenance: Provenance) -> ET.Element:
    check_provenance(provenance)
    root = ET.Element(
        f"{{{XML_NAMESPACE}}}report",
        {"status": report.status, "provenance": provenance, "gixml_version": __version__},
    )
    if report.format:
        root.set("format", report.format)
    if report.source:
        root.set("source", _clean(report.source))
    meta = ET.SubElement(root, f"{{{XML_NAMESPACE}}}meta")
    for name, value in _meta(report.meta).items():
        el = ET.SubElement(meta, f"{{{XML_NAMESPACE}}}{name}")
        if value is None:
            el.set("null", "true")
        else:
            el.text = _clean(value)
    tables = ET.SubElement(root, f"{{{XML_NAMESPACE}}}tables")
    by_table: dict[str, ET.Element] = {}
    for key, cell in report.cells.items():
        table = by_table.get(cell.table)
        if table is None:
            table = ET.SubElement(tables, f"{{{XML_NAMESPACE}}}table", {"name": cell.table})
            fmt = report.table_formats.get(cell.table)
            if fmt:
                table.set("format", fmt)
            by_table[cell.table] = table
        attrs = {"key": str(key), "row": cell.row, "col": cell.col}
        if key in report.units:
            attrs["unit"] = report.units[key]
        if provenance != "none":
            attrs["method"] = cell.method
            attrs["confidence"] = _number(round(cell.confidence, 4))
            if cell.line is not None:
                attrs["line"] = str(cell.line)
            if cell.span:
                attrs["start"], attrs["end"] = str(cell.span[0]), str(cell.span[1])
            if cell.printed is not None:
                attrs["printed"] = _clean(cell.printed)
        if cell.flags:
            attrs["flags"] = " ".join(cell.flags)
        if cell.value is None:
            attrs["null"] = "true"
        else:
            attrs["value"] = _number(cell.value)
        ET.SubElement(table, f"{{{XML_NAMESPACE}}}cell", attrs)
    warnings = ET.SubElement(root, f"{{{XML_NAMESPACE}}}warnings")
    for w in report.warnings:
        attrs = {"code": w.code}
        if w.left is not None:
            attrs["left"] = _number(w.left)
        if w.right is not None:
            attrs["right"] = _number(w.right)
        el = ET.SubElement(warnings, f"{{{XML_NAMESPACE}}}warning", attrs)
        ET.SubElement(el, f"{{{XML_NAMESPACE}}}message").text = _clean(w.message)
        for key in w.cells:
            ET.SubElement(el, f"{{{XML_NAMESPACE}}}cell").text = str(key)
    if provenance != "none":  # the cited lines as printed, once
        lines = ET.SubElement(root, f"{{{XML_NAMESPACE}}}lines")
        for n, text in sorted(report.source_lines.items()):
            ET.SubElement(lines, f"{{{XML_NAMESPACE}}}line", {"n": str(n)}).text = _clean(text)
    if provenance == "full":
        sections = ET.SubElement(root, f"{{{XML_NAMESPACE}}}sections")
        for name, text in report.sections.items():
            ET.SubElement(sections, f"{{{XML_NAMESPACE}}}section", {"name": name}).text = _clean(text)
    return root


def to_xml(report: ReportData, *, provenance: Provenance = "lines") -> str:
    """One report as an XML document (``provenance``: as in :func:`to_dict`)."""
    ET.register_namespace("", XML_NAMESPACE)
    root = _report_element(report, provenance)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def reports_to_xml(reports: Sequence[ReportData], *, provenance: Provenance = "lines") -> str:
    """Several reports under one ``<reports>`` root."""
    ET.register_namespace("", XML_NAMESPACE)
    root = ET.Element(f"{{{XML_NAMESPACE}}}reports")
    for report in reports:
        root.append(_report_element(report, provenance))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- CSV: one row per cell ------------------------------------------------------
def to_rows(report: ReportData | Mapping[str, Any], *, source: str | None = None) -> list[dict[str, Any]]:
    """Long form, one row per cell (``CSV_FIELDS``: the report's source,
    organization, year, format and status, then the cell), of a report or of its JSON
    dict at any provenance level (as a results file holds it; ``line``,
    ``printed``, ``confidence`` and ``method`` are empty at ``none``);
    ``source`` replaces the report's own."""
    data = report if isinstance(report, Mapping) else to_dict(report)
    rows = []
    units = data.get("units") or {}
    meta = data.get("meta") or {}
    provenance = cell_provenance(data)
    report = {"source": source if source is not None else data.get("source"),
              "organization": meta.get("organization"), "year": meta.get("year"), "format": data.get("format"),
              "status": data.get("status")}
    for key, value in (data.get("cells") or {}).items():
        cell = CellKey.parse(key)
        p = provenance[key]
        rows.append({
            **report,
            "key": key, "table": cell.table, "row": cell.row, "col": cell.col, "value": value,
            "unit": units.get(key), "line": p.get("line"), "printed": p.get("printed"),
            "confidence": p.get("confidence"), "method": p.get("method"), "flags": " ".join(p.get("flags") or ()),
        })
    return rows


def rows_to_csv(rows: Iterable[Mapping[str, Any]], *, header: bool = True) -> str:
    """Long-form rows (:func:`to_rows`) as CSV text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    if header:
        writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return out.getvalue()


def to_csv(report: ReportData, *, header: bool = True) -> str:
    return rows_to_csv(to_rows(report), header=header)
