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
    from test_assemble import report

    from gixml.pipeline import extract_document

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
    no confident wrong cell, every wrong value flagged, at least 97% of the cells right."""
    if not ocr.available():
        pytest.skip("reading scans needs the OCR extra (pip install 'gixml[ocr]')")
    from gixml.read.legacy import soffice
    if soffice() is None:
        pytest.skip("printing the report to PDF needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    pytest.importorskip("docx", reason="making the report needs python-docx (the docx extra)")
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from gixml.training.zoo.convert import soffice_convert
    from scans import scanned

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
    assert len(wrong) <= 0.03 * len(truth["cells"]), wrong  # benchmarks/scans.py measures the whole scan set


def test_runs_keep_only_the_pixels_of_long_enough_runs():
    import numpy as np

    mask = np.array([[1, 1, 1, 0, 1, 1, 1, 1, 1, 0], [0, 1, 1, 1, 1, 0, 0, 0, 0, 0]], dtype=bool)
    assert ocr._runs(mask, 4, axis=1).astype(int).tolist() == [[0, 0, 0, 0, 1, 1, 1, 1, 1, 0],
                                                                  [0, 1, 1, 1, 1, 0, 0, 0, 0, 0]]
    assert not ocr._runs(mask, 3, axis=0).any()  # no column holds three in a row


def _drawn_table(degrees: float):
    """A page with a ruled table of 4 rows × 3 columns, its first column's last two rows merged, turned."""
    import numpy as np
    from PIL import Image, ImageDraw

    image = Image.new("L", (900, 700), 255)
    draw = ImageDraw.Draw(image)
    xs, ys = [100, 400, 600, 800], [100, 160, 220, 280, 340]
    for y in ys:
        draw.line((xs[0], y, xs[-1], y), fill=0, width=2) if y != 280 else (
            draw.line((xs[1], y, xs[-1], y), fill=0, width=2))  # the merged cell has no line across it
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill=0, width=2)
    draw.text((120, 300), "x", fill=0)  # ink in the merged cell
    return np.asarray(image.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255))


@pytest.mark.parametrize("degrees", [0.0, 0.7, -1.2])
def test_a_turned_ruled_table_is_found_straight_with_its_merged_cell(degrees):
    gray = _drawn_table(degrees)
    dark = gray < ocr.DARK
    assert ocr.skew(dark, 40) == pytest.approx(-degrees, abs=0.05)
    layout = ocr.page_layout(gray, [Box(120, 110, 200, 140, "行政许可", 1.0)] * 3)
    (table,) = layout.tables
    assert len(table) == 11  # 12 cells, two of them one
    tall = [c for c in table if c[3] - c[1] > 100]
    assert len(tall) == 1 and tall[0][0] < 110


def test_boxes_in_a_ruled_table_are_its_cells_a_wrapped_label_one_field():
    tables = [[(0, 0, 300, 80), (300, 0, 400, 80), (400, 0, 500, 80), (0, 80, 300, 120), (300, 80, 400, 120),
               (400, 80, 500, 120)]]
    boxes = [Box(10, 10, 280, 35, "2、其他法律行政", 0.99), Box(10, 45, 150, 70, "法规禁止公开", 0.98),
             Box(340, 30, 360, 55, "3", 0.97), Box(440, 28, 460, 52, "0", 0.5),
             Box(10, 88, 100, 112, "3、危及", 1.0), Box(440, 88, 460, 112, "1", 1.0),
             Box(10, 200, 300, 230, "四、结转下年度", 1.0)]
    texts, spans = page_text(boxes, tables)
    assert texts == ["2、其他法律行政法规禁止公开\t3\t0", "3、危及\t\t1", "四、结转下年度"]
    assert spans[0] == ((0, 8, 0.99), (8, 14, 0.98), (15, 16, 0.97), (17, 18, 0.5))


def test_a_cell_with_ink_but_no_box_is_read_alone_and_a_blank_cell_is_not():
    import numpy as np

    image = np.full((200, 400), 255, dtype=np.uint8)
    image[40:60, 150:165] = 0  # a digit OCR's detector passed over, in the second cell
    cells = [(0, 20, 100, 80), (100, 20, 200, 80), (200, 20, 300, 80), (300, 20, 400, 80)]
    boxes = [Box(10, 35, 90, 65, "行政许可", 1.0), Box(340, 35, 360, 65, "8", 0.6)]
    layout = ocr.Layout(image, boxes, [cells], em=24.0)
    seen = []

    def recognise(cut):
        seen.append(cut.shape)
        return ("0", 0.95) if cut.shape[1] < 60 else ("", 0.0)

    out = ocr.reread_cells(layout, recognise)
    assert len(seen) == 1  # the blank third cell is not read; the fourth's box was not surer than a reread
    texts, _ = page_text(out, [cells])
    assert texts == ["行政许可\t0\t\t8"]
    image[40:60, 345:358] = 0  # the unsure box's ink: read again, and kept only if the reading is surer
    assert ocr.reread_cells(layout, lambda cut: ("0", 0.5))[:2] == boxes
    assert [b.text for b in ocr.reread_cells(layout, lambda cut: ("3", 0.7))] == ["行政许可", "3", "3"]


def test_a_lone_ring_read_alone_is_a_flagged_zero_and_a_small_dot_is_not():
    """Cut out alone, a 0 the detector passed over often comes back as 。 or .: a ring as tall as half a line
    becomes 0 below OCR_SURE (its cell flagged); a speck of the same reading stays the 。 it was read as."""
    import numpy as np

    cells = [(0, 20, 100, 80), (100, 20, 200, 80)]
    boxes = [Box(10, 35, 90, 65, "行政许可", 1.0)]
    image = np.full((200, 200), 255, dtype=np.uint8)
    image[38:60, 150:163] = 0  # a 0's ink: 22 px tall, 13 wide, with em 24
    layout = ocr.Layout(image, boxes, [cells], em=24.0)
    out = ocr.reread_cells(layout, lambda cut: ("。", 0.98))
    assert [b.text for b in out] == ["行政许可", "0"]
    assert out[1].confidence == ocr.RING_CONFIDENCE < ocr.OCR_SURE
    image[:] = 255
    image[53:59, 150:156] = 0  # a speck, 6 px: not a digit's height
    assert [b.text for b in ocr.reread_cells(layout, lambda cut: ("。", 0.98))] == ["行政许可", "。"]
    image[:] = 255
    image[45:57, 140:175] = 0  # wider than tall: a dash or a smudge, not a 0
    assert [b.text for b in ocr.reread_cells(layout, lambda cut: ("o", 0.98))] == ["行政许可", "o"]


def test_numbers_on_two_rows_of_one_tall_cell_go_each_to_its_row():
    """A ruling too faint to be found makes two value cells one: their numbers are not joined into one."""
    tables = [[(0, 0, 300, 40), (300, 0, 400, 80), (400, 0, 500, 40), (0, 40, 300, 80), (400, 40, 500, 80)]]
    boxes = [Box(10, 10, 100, 30, "行政许可", 1.0), Box(340, 10, 360, 30, "3", 1.0), Box(440, 10, 460, 30, "4", 1.0),
             Box(10, 50, 100, 70, "行政处罚", 1.0), Box(340, 50, 360, 70, "5", 1.0), Box(440, 50, 460, 70, "6", 1.0)]
    texts, _ = page_text(boxes, tables)
    assert texts == ["行政许可\t3\t4", "行政处罚\t5\t6"]
    label = [Box(10, 10, 100, 30, "三、本年", 1.0), Box(10, 50, 100, 70, "度办理结果", 1.0)]  # a tall label
    tables = [[(0, 0, 300, 80), (300, 0, 400, 40), (300, 40, 400, 80)]]
    assert page_text(label + [Box(340, 10, 360, 30, "1", 1.0)], tables)[0] == ["三、本年度办理结果\t1"]
