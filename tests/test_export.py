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
    lines = {line["@n"]: line["$"] for line in decoded["lines"]["line"]}
    assert list(cells) == list(report.cells)
    for key, cell in report.cells.items():
        if cell.value is None:
            assert cells[key]["@null"] is True
        else:
            assert float(cells[key]["@value"]) == pytest.approx(cell.value)
            line = lines[cells[key]["@line"]]
            assert line == cell.source
            assert line[cells[key]["@start"]:cells[key]["@end"]] == cell.printed == cells[key]["@printed"]


@pytest.mark.parametrize("level", ["full", "lines", "none"])
def test_xml_validates_at_every_provenance_level(level: str, schema: xmlschema.XMLSchema) -> None:
    report = gixml.extract(SEEDS[3])
    xml = report.to_xml(provenance=level)
    schema.validate(xml)
    decoded = schema.to_dict(xml)
    assert decoded["@provenance"] == level
    assert ("lines" in decoded) == (level != "none")
    assert ("sections" in decoded) == (level == "full")
    some = decoded["tables"]["table"][0]["cell"][0]
    assert ("@method" in some) == (level != "none")
    flagged = [c for t in decoded["tables"]["table"] for c in t["cell"] if "@flags" in c]
    assert flagged, "003 has flagged cells: their flags are there at every level"


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
    n = list(d["cells"]).index("active.penalties.change")
    assert d["provenance"]["printed"][n] == "＋30"
    assert d["status"] == "complete"
    assert "sections" not in d and d["provenance_level"] == "lines"
    full = json.loads(gixml.extract(SEEDS[0]).to_json(provenance="full"))
    assert set(full["sections"]) == {"overview", "active", "requests", "appeals", "problems", "other"}


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_json_provenance_columns_cite_the_lines_carried_once(path: Path) -> None:
    report = gixml.extract(path)
    d = json.loads(report.to_json(indent=None))
    columns = d["provenance"]
    assert set(columns) == {"line", "span", "printed", "confidence", "method", "flags"}
    assert all(len(column) == len(d["cells"]) for column in columns.values())
    for n, (key, cell) in enumerate(report.cells.items()):
        assert columns["line"][n] == cell.line and columns["method"][n] == cell.method
        assert columns["flags"][n] == list(cell.flags)
        if cell.value is not None:
            text = d["lines"][str(cell.line)]
            start, end = columns["span"][n]
            assert text == cell.source and text[start:end] == cell.printed == columns["printed"][n]
    cited = {str(c.line) for c in report.cells.values() if c.line} | {str(n) for w in report.warnings
                                                                      for n in w.lines}
    cited |= {str(s["line"]) for s in d["statements"]}  # the prose's statements cite their lines too
    assert set(d["lines"]) == cited  # each cited line once, no other
    for s in d["statements"]:
        start, end = s["span"]
        assert d["lines"][str(s["line"])][start:end] == s["printed"] and str(s["value"]) == s["printed"]


def test_provenance_none_keeps_values_warnings_and_flags() -> None:
    report = gixml.extract(SEEDS[3])
    d = report.to_dict(provenance="none")
    assert d["cells"] == report.values
    assert "provenance" not in d and "lines" not in d and "sections" not in d
    assert d["flags"] == {k: list(c.flags) for k, c in report.cells.items() if c.flags} != {}
    assert len(d["warnings"]) == len(report.warnings)
    rows = {r["key"]: r for r in gixml.export.to_rows(d)}
    assert "undetermined" in rows["appeals.review.total"]["flags"] and rows["appeals.review.total"]["line"] is None
    with pytest.raises(ValueError, match="unknown provenance level 'some'"):
        report.to_dict(provenance="some")  # type: ignore[arg-type]


def test_the_default_json_is_lean() -> None:
    """The lines are carried once: the JSON of a report is a few times its text, not a hundred
    (a web page dumped on one line once gave 200x, each cell repeating the whole line)."""
    seed = SEEDS[1].read_text(encoding="utf-8")
    one_line = seed.replace("\n", " ")
    for text in (seed, one_line):
        report = gixml.extract_text(text)
        assert len(report.to_json(indent=None).encode()) <= 4 * len(text.encode())


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
