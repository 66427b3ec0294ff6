"""The two PDF engines (issue 20): pdfium (``read/pdf_fast.py``) gives pdfplumber's text, or hands the file to it."""
from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from gixml.errors import ConfigurationError, UnreadableFileError
from gixml.read.pdf import NoTextLayer, read_pdf

pytest.importorskip("pypdfium2")
pytest.importorskip("pdfplumber")

from gixml.read import pdf_fast  # needs the two libraries above

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SHARED_PDFS = sorted(SHARED.rglob("*.pdf")) if SHARED.is_dir() else []


def made_pdf(content: bytes, *, font: bool = True) -> bytes:
    """A one-page PDF written by hand: ``content`` as its content stream, with /F1 a TrueType font (Arial, not
    embedded) that has what the pdfium engine needs (Widths, a descriptor, a ToUnicode map of ASCII)."""
    tounicode = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /A def "
                 b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <20> <7E> <0020> endbfrange "
                 b"endcmap CMapName currentdict /CMap defineresource pop end end")
    widths = b" ".join(b"600" for _ in range(32, 127))
    stream = zlib.compress(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
         + (b" /Resources << /Font << /F1 5 0 R >> >> >>" if font else b" >>")),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 32 /LastChar 126 /Widths [" + widths
        + b"] /FontDescriptor 6 0 R /ToUnicode 7 0 R >>",
        (b"<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [-665 -325 2000 1006] /ItalicAngle 0 "
         b"/Ascent 905 /Descent -212 /CapHeight 716 /StemV 80 >>"),
        b"<< /Length %d >>\nstream\n" % len(tounicode) + tounicode + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


#: A line of text above a ruled table of two rows and two columns, with a number in each cell.
TABLE = (b"BT /F1 12 Tf 72 760 Td (Information disclosure 2024) Tj ET\n"
         b"0.5 w 72 600 m 372 600 l S 72 650 m 372 650 l S 72 700 m 372 700 l S\n"
         b"72 600 m 72 700 l S 222 600 m 222 700 l S 372 600 m 372 700 l S\n"
         b"BT /F1 10 Tf 80 680 Td (Requests) Tj 150 0 Td (12) Tj ET\n"
         b"BT /F1 10 Tf 80 630 Td (Answered) Tj 150 0 Td [(1) -20 (0)] TJ ET\n")


def both(data: bytes) -> tuple[str, str]:
    return read_pdf(data, engine="pdfplumber"), read_pdf(data, engine="pdfium")


def test_a_made_pdf_is_read_by_pdfium_the_same_as_by_pdfplumber():
    data = made_pdf(TABLE)
    texts, chars = pdf_fast.page_texts(data)  # read by the fast path, not handed over
    assert chars > 0
    old, new = both(data)
    assert new == old == "\n".join(texts) + "\n"
    assert "Requests\t12" in old and "Answered\t10" in old


@pytest.mark.parametrize("op", [b"150 Tz", b"2 Tc", b"3 Ts", b"1.5 Tw"])
def test_text_state_the_fast_path_does_not_reproduce_falls_back_to_pdfplumber(op):
    data = made_pdf(TABLE.replace(b"BT /F1 10 Tf", b"BT /F1 10 Tf " + op, 1))
    with pytest.raises(pdf_fast.Unsupported):
        pdf_fast.page_texts(data)
    old, new = both(data)
    assert new == old


@pytest.mark.parametrize(("change", "fast"), [
    ((b" /ToUnicode 7 0 R", b""), False),
    ((b"/Widths [600 600", b"/Widths [600.5 600"), False),
    ((b"/Subtype /TrueType", b"/Subtype /MMType1"), False),
    ((b"/Descent -212 ", b""), True),  # pdfminer takes 0 where pdfium finds its own: read from the descriptor
], ids=["no-tounicode", "fractional-width", "mmtype1", "no-descent"])
def test_a_font_without_what_the_fast_path_needs_falls_back_to_pdfplumber(change, fast):
    data = made_pdf(TABLE).replace(*change)
    if fast:
        assert pdf_fast.page_texts(data)[1] > 0
    else:
        with pytest.raises(pdf_fast.Unsupported):
            pdf_fast.page_texts(data)
    old, new = both(data)
    assert new == old


def test_the_engines_agree_on_each_seed_printed_to_pdf_by_libreoffice(tmp_path):
    """Without ../shared: each seed drawn as a Word table (the form's merged headers), printed to PDF by
    LibreOffice as offices do; the two engines give the same text, and it extracts to the seed's truth."""
    import random

    from gixml.training.zoo.convert import can_make_pdf, soffice_convert
    from gixml.training.zoo.render import document, to_docx, truth_reports

    import gixml

    if not can_make_pdf():
        pytest.skip("making a PDF needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    for report in truth_reports(ROOT / "tests" / "fixtures" / "truth", "seed"):
        docx = tmp_path / f"{report.name}.docx"
        to_docx(document(report, random.Random(0)), random.Random(0), docx)
        soffice_convert(docx, "pdf", tmp_path)
        data = (tmp_path / f"{report.name}.pdf").read_bytes()
        assert pdf_fast.page_texts(data)[1] > 0  # read by the fast path itself, not handed on
        old, new = both(data)
        assert new == old, report.name
        got = gixml.extract_text(new).values
        assert {k: (v, got.get(k)) for k, v in report.cells.items() if got.get(k) != v} == {}, report.name


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED_PDFS, reason="../shared is absent")
@pytest.mark.parametrize("pdf", SHARED_PDFS, ids=lambda p: str(p.relative_to(SHARED)))
def test_the_engines_agree_on_every_pdf_in_shared(pdf):
    old, new = both(pdf.read_bytes())
    assert new == old


def test_the_engine_is_chosen_by_argument_then_environment(monkeypatch):
    calls = []
    real = pdf_fast.page_texts

    def spy(data: bytes) -> tuple[list[str], int]:
        calls.append(1)
        return real(data)

    monkeypatch.setattr(pdf_fast, "page_texts", spy)
    data = made_pdf(TABLE)
    monkeypatch.delenv("GIXML_PDF_ENGINE", raising=False)
    read_pdf(data)
    assert len(calls) == 1  # auto: pdfium when pypdfium2 is installed
    monkeypatch.setenv("GIXML_PDF_ENGINE", "pdfplumber")
    read_pdf(data)
    assert len(calls) == 1
    read_pdf(data, engine="pdfium")
    assert len(calls) == 2
    monkeypatch.setenv("GIXML_PDF_ENGINE", "pdfium")
    read_pdf(data)
    assert len(calls) == 3


def test_an_unknown_engine_is_a_clear_error(monkeypatch):
    with pytest.raises(ConfigurationError, match="unknown PDF engine 'fast'; use one of auto, pdfium, pdfplumber"):
        read_pdf(made_pdf(TABLE), engine="fast")
    monkeypatch.setenv("GIXML_PDF_ENGINE", "pdfminer")
    with pytest.raises(ValueError, match="GIXML_PDF_ENGINE"):  # a ValueError too
        read_pdf(made_pdf(TABLE))


def _error(data: bytes, engine: str) -> tuple[type, str]:
    with pytest.raises(Exception) as info:
        read_pdf(data, path="report.pdf", engine=engine)
    return type(info.value), str(info.value)


@pytest.mark.parametrize("data", [
    b"<html>404 Not Found</html>",
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
], ids=["not-a-pdf", "damaged"])
def test_an_unreadable_file_gives_the_same_error_with_either_engine(data):
    old, new = _error(data, "pdfplumber"), _error(data, "pdfium")
    assert new == old
    assert issubclass(old[0], UnreadableFileError)


def test_a_pdf_without_text_is_a_scan_with_either_engine():
    data = made_pdf(b"0.5 w 72 600 m 372 600 l S\n", font=False)
    old, new = _error(data, "pdfplumber"), _error(data, "pdfium")
    assert new == old
    assert old[0] is NoTextLayer


#: Paths pdfminer paints as lines, rectangles and curves: re, a closed four-sided path, an open one, a line closed
#: by h, Béziers (c, v, y), two subpaths in one path, a path only clipped (not painted), a scaled matrix.
PATHS = (b"72 500 100 20 re f\n"
         b"72 450 m 172 450 l 172 470 l 72 470 l h S\n"
         b"72 400 m 172 400 l 172 420 l 72 420 l 72 400 l S\n"
         b"200 400 m 300 400 l h S\n"
         b"72 350 m 100 380 150 320 172 350 c 200 340 250 360 v 300 350 320 340 y S\n"
         b"72 300 m 172 300 l 72 280 m 172 280 l 172 260 l S\n"
         b"72 200 100 20 re W n\n"
         b"q 2 0 0 0.5 10 20 cm 72 100 m 172 100 l 172 140 l 72 140 l h B Q\n"
         b"72 50 m 72 50 l 80 60 l 90 50 l 72 50 l h f\n")


def test_paths_become_pdfplumbers_lines_rectangles_and_curves():
    import io

    import pdfplumber
    import pypdfium2 as pdfium
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    data = made_pdf(TABLE + PATHS)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        want = {kind: [(round(o["x0"], 3), round(o["top"], 3), round(o["x1"], 3), round(o["bottom"], 3),
                        [(round(x, 3), round(y, 3)) for x, y in o["pts"]]) for o in objs]
                for kind, objs in (("line", page.lines), ("rect", page.rects), ("curve", page.curves))}
    mpage = next(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))))
    _, height, fonts = pdf_fast._page_setup(mpage)
    document = pdfium.PdfDocument(data)
    _, lines, rects, curves = pdf_fast._page_objects(document[0], fonts, height, 0.0)
    got = {kind: [(round(o["x0"], 3), round(o["top"], 3), round(o["x1"], 3), round(o["bottom"], 3),
                   [(round(x, 3), round(y, 3)) for x, y in o["pts"]]) for o in objs]
           for kind, objs in (("line", lines), ("rect", rects), ("curve", curves))}
    assert got == want
    assert len(want["curve"]) >= 2 and len(want["rect"]) >= 3
    old, new = both(data)
    assert new == old


def test_a_time_limit_reached_in_the_fast_path_is_not_taken_for_a_file_it_cannot_read(monkeypatch):
    from gixml.errors import ExtractionTimeoutError

    def expired(data: bytes) -> tuple[list[str], int]:
        raise ExtractionTimeoutError("took longer than 1 s", path="report.pdf")

    monkeypatch.setattr(pdf_fast, "_page_texts", expired)
    with pytest.raises(ExtractionTimeoutError):
        read_pdf(made_pdf(TABLE), engine="pdfium")
