"""Scanned PDFs read by OCR (read/ocr.py, the ocr extra): rows rebuilt from text boxes, confidence from OCR.

The end-to-end test needs the OCR extra (rapidocr-onnxruntime) and LibreOffice (to print a report to PDF
before it is scanned); without them it skips and says so.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_builders import build_docx

import gixml
from gixml.read import ocr
from gixml.read.document import Document
from gixml.read.ocr import Box, lines_of, page_text

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "examples" / "truth" / "fj-pingtan-2021.truth.json"


def test_boxes_on_one_row_are_one_line_of_tab_separated_cells_left_to_right():
    boxes = [Box(300, 102, 320, 120, "5", 0.99), Box(20, 100, 200, 122, "行政许可", 1.0),
             Box(400, 101, 420, 121, "7", 0.6), Box(20, 140, 120, 160, "行政处罚", 1.0), Box(300, 141, 330, 161, "12", 1.0),
             Box(20, 60, 300, 80, "第二十条第（五）项", 1.0)]
    assert [[b.text for b in line] for line in lines_of(boxes)] == [
        ["第二十条第（五）项"], ["行政许可", "5", "7"], ["行政处罚", "12"]]
    texts, spans = page_text(boxes)
    assert texts[1] == "行政许可\t5\t7"
    assert spans[1] == ((0, 4, 1.0), (5, 6, 0.99), (7, 8, 0.6))


def test_a_cell_read_from_a_box_ocr_was_unsure_of_is_flagged_never_changed():
    """The pipeline with an OCR document: confidence times the box's, low_confidence under OCR_SURE."""
    from gixml.pipeline import extract_document
    from test_assemble import report

    text = report()
    lines = text.split("\n")
    boxes = {n: ((0, len(line), 1.0),) for n, line in enumerate(lines, start=1) if line}
    at = lines.index("处理决定数量") + 1  # the first sub-table's header ends; find 行政许可's first value below
    licensing = lines.index("行政许可", at)
    boxes[licensing + 3] = ((0, len(lines[licensing + 2]), 0.5),)  # its second value (line numbers are 1-based)
    rep = extract_document(Document(text, "scan.pdf", None, "ocr", ocr=boxes, pages=1))
    cell = rep.cells["active.licensing.change"]
    assert cell.value == 0 and "low_confidence" in cell.flags and cell.confidence <= 0.5
    sure = rep.cells["active.licensing.previous"]
    assert "low_confidence" not in sure.flags
    (w,) = [w for w in rep.warnings if w.code == "read_by_ocr"]
    assert w.cells == (gixml.CellKey("active", "licensing", "change"),) and "1 cell(s)" in w.message


def test_a_scan_without_the_extra_says_how_to_read_it(monkeypatch, tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    monkeypatch.setattr(ocr, "available", lambda: False)
    monkeypatch.setattr("gixml.read.document.ocr_available", lambda: False)
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    document.save(str(path))
    with pytest.raises(gixml.UnsupportedInputError, match=r"gixml\[ocr\]"):
        gixml.extract(path)


def test_a_scanned_report_is_read_by_ocr_to_its_truth(tmp_path):
    """A corpus report printed to PDF by LibreOffice, scanned at 150 dpi with a red stamp, turned and noisy:
    no confident wrong cell, every wrong value flagged, at least 95% of the cells right."""
    if not ocr.available():
        pytest.skip("reading scans needs the OCR extra (pip install 'gixml[ocr]')")
    from gixml.read.legacy import soffice
    if soffice() is None:
        pytest.skip("printing the report to PDF needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    pytest.importorskip("docx", reason="making the report needs python-docx (the docx extra)")
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from scans import scanned

    from gixml.training.zoo.convert import soffice_convert

    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    build_docx(truth, tmp_path / "r.docx")
    soffice_convert(tmp_path / "r.docx", "pdf", tmp_path)
    pages = scanned(tmp_path / "r.pdf", 150, tmp_path / "scan.pdf", seed=1)
    rep = gixml.extract(tmp_path / "scan.pdf")
    (w,) = [w for w in rep.warnings if w.code == "read_by_ocr"]
    assert f"from {pages} scanned page(s)" in w.message
    wrong = {k: (rep.values.get(k), v) for k, v in truth["cells"].items() if rep.values.get(k) != v}
    confident_wrong = [k for k in wrong if rep.cells[gixml.CellKey.parse(k)].confidence >= 0.9]
    assert confident_wrong == []
    assert all(rep.cells[gixml.CellKey.parse(k)].flags for k in wrong if wrong[k][0] is not None)
    assert len(wrong) <= 0.05 * len(truth["cells"]), wrong  # benchmarks/scans.py measures the whole scan set
