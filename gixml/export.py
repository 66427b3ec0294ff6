"""Stage 7 — export: a report as JSON (``Report.to_json``), XML (valid against the
shipped ``schema/report.xsd``) or long-form CSV (one row per cell)."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

from . import __version__
from .report import Report

XML_NAMESPACE = "urn:gixml:report:1"
CSV_FIELDS = ("source", "key", "table", "row", "col", "value", "unit", "line", "printed", "confidence", "method", "flags")

# Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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


def _report_element(report: Report) -> ET.Element:
    root = ET.Element(
        f"{{{XML_NAMESPACE}}}report",
        {"status": report.status, "gixml_version": __version__},
    )
    if report.format:
        root.set("format", report.format)
    if report.source:
        root.set("source", _clean(report.source))
    meta = ET.SubElement(root, f"{{{XML_NAMESPACE}}}meta")
    for name, value in report.meta.to_dict().items():
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
        attrs = {"key": key, "row": cell.row, "col": cell.col, "method": cell.method,
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
            ET.SubElement(el, f"{{{XML_NAMESPACE}}}cell").text = key
    sections = ET.SubElement(root, f"{{{XML_NAMESPACE}}}sections")
    for name, text in report.sections.items():
        ET.SubElement(sections, f"{{{XML_NAMESPACE}}}section", {"name": name}).text = _clean(text)
    return root


def report_to_xml(report: Report) -> str:
    """One report as an XML document."""
    ET.register_namespace("", XML_NAMESPACE)
    root = _report_element(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def reports_to_xml(reports: Sequence[Report]) -> str:
    """Several reports under one ``<reports>`` root."""
    ET.register_namespace("", XML_NAMESPACE)
    root = ET.Element(f"{{{XML_NAMESPACE}}}reports")
    for report in reports:
        root.append(_report_element(report))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def record_rows(report: dict[str, Any], *, source: str | None = None) -> list[dict[str, Any]]:
    """The CSV rows of a report's JSON dict (as ``Report.to_rows`` gives for the
    Report): one per cell, in the dict's order."""
    rows = []
    units = report.get("units") or {}
    provenance = report.get("provenance") or {}
    for key, value in (report.get("cells") or {}).items():
        table, row, col = key.split(".")
        p = provenance.get(key) or {}
        rows.append({
            "source": source if source is not None else report.get("source"),
            "key": key, "table": table, "row": row, "col": col, "value": value, "unit": units.get(key),
            "line": p.get("line"), "printed": p.get("printed"), "confidence": p.get("confidence"),
            "method": p.get("method"), "flags": " ".join(p.get("flags") or ()),
        })
    return rows


def rows_to_csv(rows: Iterable[dict[str, Any]], *, header: bool = True) -> str:
    """Long-form rows (``Report.to_rows()``) as CSV text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    if header:
        writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return out.getvalue()
