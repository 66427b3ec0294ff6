"""JSON, XML (validated against the shipped XSD) and CSV output."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import xmlschema

import gixml
from gixml.export import reports_to_xml, xsd_path

SEEDS = sorted((Path(__file__).parent / "fixtures" / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(xsd_path())


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_xml_validates_and_round_trips(path: Path, schema: xmlschema.XMLSchema) -> None:
    report = gixml.extract(path)
    xml = report.to_xml()
    schema.validate(xml)
    decoded = schema.to_dict(xml)
    cells = {c["@key"]: c for t in decoded["tables"]["table"] for c in t["cell"]}
    assert list(cells) == list(report.cells)
    for key, cell in report.cells.items():
        if cell.value is None:
            assert cells[key]["@null"] is True
        else:
            assert float(cells[key]["@value"]) == pytest.approx(cell.value)
            assert cells[key]["source"] == cell.source


def test_several_reports_validate(schema: xmlschema.XMLSchema) -> None:
    xml = reports_to_xml([gixml.extract(p) for p in SEEDS])
    schema.validate(xml)
    assert xml.count("<report ") == len(SEEDS)


def test_xml_survives_control_characters(schema: xmlschema.XMLSchema) -> None:
    text = SEEDS[0].read_text(encoding="utf-8").replace("五、存在的主要问题及改进情况", "五、存在的主要问题及改进情况\n\x07\x1b bad\x0b")
    schema.validate(gixml.extract_text(text).to_xml())


def test_json_top_level_and_values() -> None:
    d = json.loads(gixml.extract(SEEDS[0]).to_json())
    assert list(d)[:4] == ["format", "meta", "cells", "units"]
    assert d["cells"]["active.penalties.change"] == 30
    assert d["cells"]["active.procurement.amount"] == 78104.6
    assert d["units"] == {"active.procurement.amount": "元"}
    assert d["provenance"]["active.penalties.change"]["printed"] == "＋30"
    assert d["status"] == "complete"
    assert set(d["sections"]) == {"overview", "active", "requests", "appeals", "problems", "other"}


def test_csv_long_form() -> None:
    report = gixml.extract(SEEDS[0])
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert len(rows) == len(report.cells)
    by_key = {r["key"]: r for r in rows}
    row = by_key["active.procurement.amount"]
    assert (row["table"], row["row"], row["col"], row["value"], row["unit"]) == (
        "active", "procurement", "amount", "78104.6", "元")
    assert int(row["line"]) == report.cells["active.procurement.amount"].line


def test_csv_null_is_empty() -> None:
    report = gixml.extract(SEEDS[3])  # 003 prints its appeals table without data
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(report.to_csv()))}
    assert rows["appeals.review.total"]["value"] == ""
    assert "undetermined" in rows["appeals.review.total"]["flags"]
