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
from typing import Any, Protocol

from .records import Cell, CellKey, Meta, ReportWarning
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


XML_NAMESPACE = "urn:gixml:report:1"
CSV_FIELDS = ("source", "key", "table", "row", "col", "value", "unit", "line", "printed", "confidence", "method", "flags")

# Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# -- JSON ---------------------------------------------------------------------
def to_dict(report: ReportData) -> dict[str, Any]:
    """The JSON-ready report: ``format``, ``meta``, ``cells`` (flat SCHEMA keys →
    value) and ``units`` first, then status, warnings, provenance and section texts."""
    return {
        "format": report.format,
        "meta": _meta(report.meta),
        "cells": {str(key): cell.value for key, cell in report.cells.items()},
        "units": {str(key): unit for key, unit in report.units.items()},
        "status": report.status,
        "warnings": [_warning(w) for w in report.warnings],
        "provenance": {str(key): {
            "line": cell.line,
            "source": cell.source,
            "printed": cell.printed,
            "span": list(cell.span) if cell.span else None,
            "confidence": cell.confidence,
            "method": cell.method,
            "flags": list(cell.flags),
        } for key, cell in report.cells.items()},
        "tables": dict(report.table_formats),
        "sections": dict(report.sections),
        "source": report.source,
        "encoding": report.encoding,
        "gixml_version": __version__,
    }


def _meta(meta: Meta) -> dict[str, Any]:
    return {"organization": meta.organization, "year": meta.year, "published": meta.published}


def _warning(w: ReportWarning) -> dict[str, Any]:
    out: dict[str, Any] = {"code": w.code, "message": w.message, "cells": [str(k) for k in w.cells]}
    if w.left is not None or w.right is not None:
        out["left"], out["right"] = w.left, w.right
    if w.lines:
        out["lines"] = list(w.lines)
    return out


def to_json(report: ReportData, *, indent: int | None = 2) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=indent)


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
def _report_element(report: ReportData) -> ET.Element:
    root = ET.Element(
        f"{{{XML_NAMESPACE}}}report",
        {"status": report.status, "gixml_version": __version__},
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
        attrs = {"key": str(key), "row": cell.row, "col": cell.col, "method": cell.method,
                 "confidence": _number(cell.confidence)}
        if key in report.units:
            attrs["unit"] = report.units[key]
        if cell.line is not None:
            attrs["line"] = str(cell.line)
        if cell.printed is not None:
            attrs["printed"] = _clean(cell.printed)
        if cell.flags:
            attrs["flags"] = " ".join(cell.flags)
        if cell.value is None:
            attrs["null"] = "true"
        else:
            attrs["value"] = _number(cell.value)
        el = ET.SubElement(table, f"{{{XML_NAMESPACE}}}cell", attrs)
        if cell.source is not None:  # the source line as printed
            ET.SubElement(el, f"{{{XML_NAMESPACE}}}source").text = _clean(cell.source)
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
    sections = ET.SubElement(root, f"{{{XML_NAMESPACE}}}sections")
    for name, text in report.sections.items():
        ET.SubElement(sections, f"{{{XML_NAMESPACE}}}section", {"name": name}).text = _clean(text)
    return root


def to_xml(report: ReportData) -> str:
    """One report as an XML document."""
    ET.register_namespace("", XML_NAMESPACE)
    root = _report_element(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def reports_to_xml(reports: Sequence[ReportData]) -> str:
    """Several reports under one ``<reports>`` root."""
    ET.register_namespace("", XML_NAMESPACE)
    root = ET.Element(f"{{{XML_NAMESPACE}}}reports")
    for report in reports:
        root.append(_report_element(report))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- CSV: one row per cell ------------------------------------------------------
def to_rows(report: ReportData | Mapping[str, Any], *, source: str | None = None) -> list[dict[str, Any]]:
    """Long form, one row per cell (``CSV_FIELDS``), of a report or of its JSON
    dict (as a results file holds it); ``source`` replaces the report's own."""
    data = report if isinstance(report, Mapping) else to_dict(report)
    rows = []
    units = data.get("units") or {}
    provenance = data.get("provenance") or {}
    for key, value in (data.get("cells") or {}).items():
        cell = CellKey.parse(key)
        p = provenance.get(key) or {}
        rows.append({
            "source": source if source is not None else data.get("source"),
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
