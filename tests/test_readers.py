"""Reading originals: PDF (pdfplumber), Word (python-docx), web pages (lxml)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from report_builders import build_docx, build_html

import gixml
from gixml.errors import MissingDependencyError, UnreadableFileError, UnsupportedInputError
from gixml.read.document import read, read_bytes

ROOT = Path(__file__).resolve().parent.parent
TRUTHS = sorted((ROOT / "tests" / "fixtures" / "truth").glob("*.json"))
SHARED = ROOT.parent / "shared"
PDFS = sorted((SHARED / "corpus").glob("*/original.pdf")) + sorted((SHARED / "pdf-made").glob("*/original.pdf"))
# Reports of the 2021 format whose truth may be used here (copy_into_repo: true).
CORPUS_2021 = [SHARED / "corpus" / name / "truth.json" for name in ("fj-pingtan-2021", "fj-pingtan-czj-2023")]


def _misses(report: gixml.Report, truth: dict) -> list[tuple[str, object, object]]:
    got = report.values
    return [(k, v, got.get(k)) for k, v in truth["cells"].items() if got.get(k) != v] + \
        [(k, None, got[k]) for k in got if k not in truth["cells"]]


@pytest.mark.corpus
@pytest.mark.skipif(not PDFS, reason="../shared is absent")
@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.parent.name)
def test_pdf_originals_extract_to_their_truth(pdf):
    truth = json.loads(pdf.with_name("truth.json").read_text(encoding="utf-8"))
    report = gixml.extract(pdf)
    assert report.format == truth["format"]
    assert _misses(report, truth) == []


def _truths() -> list[Path]:
    return TRUTHS + [p for p in CORPUS_2021 if p.exists()]


@pytest.mark.parametrize("truth_path", _truths(), ids=lambda p: p.stem if p.parent.name == "truth" else p.parent.name)
def test_a_word_document_built_from_a_truth_extracts_to_it(truth_path, tmp_path):
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    path = tmp_path / "报告.docx"
    build_docx(truth, path)
    doc = read(path)
    assert doc.kind == "docx"
    assert "\t" in doc.text  # table rows keep their cells apart
    report = gixml.extract(path)
    assert report.format == truth["format"]
    assert _misses(report, truth) == []


@pytest.mark.parametrize("truth_path", _truths(), ids=lambda p: p.stem if p.parent.name == "truth" else p.parent.name)
@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_a_web_page_built_from_a_truth_extracts_to_it(truth_path, encoding, tmp_path):
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    path = tmp_path / "page.htm"
    path.write_bytes(build_html(truth, encoding=encoding))
    doc = read(path)
    assert doc.kind == "html" and doc.encoding in (("gb18030",) if encoding == "gbk" else ("utf-8",))
    assert "var x" not in doc.text and "td{" not in doc.text  # scripts and styles are dropped
    report = gixml.extract(path)
    assert report.format == truth["format"]
    assert _misses(report, truth) == []


def test_a_web_page_is_recognised_by_its_bytes_under_any_name(tmp_path):
    truth = json.loads(TRUTHS[0].read_text(encoding="utf-8"))
    path = tmp_path / "download.txt"
    path.write_bytes(build_html(truth))
    assert read(path).kind == "html"
    assert _misses(gixml.extract(path), truth) == []


def test_a_pdf_without_a_text_layer_is_reported_as_a_scan(tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    document.save(str(path))
    with pytest.raises(UnsupportedInputError) as info:
        gixml.extract(path)
    assert str(path) in str(info.value) and "without a text layer" in str(info.value)


def test_a_file_named_docx_or_pdf_that_is_not_one_is_unreadable(tmp_path):
    for name in ("report.docx", "report.pdf"):
        path = tmp_path / name
        path.write_text("<html>404 Not Found</html>", encoding="utf-8")
        with pytest.raises(UnreadableFileError) as info:
            gixml.extract(path)
        assert f"{path}: is named {path.suffix}" in str(info.value)


def test_a_damaged_word_document_is_unreadable(tmp_path):
    import zipfile

    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<not xml")
    with pytest.raises(UnreadableFileError, match="is not a readable Word document"):
        gixml.extract(path)


def test_a_missing_optional_reader_names_the_extra_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pdfplumber", None)  # import pdfplumber now raises ImportError
    with pytest.raises(MissingDependencyError) as info:
        read_bytes(b"%PDF-1.7\n", source="a.pdf")
    assert "pip install 'gixml[pdf]'" in str(info.value) and str(info.value).startswith("a.pdf: ")
    assert isinstance(info.value, UnsupportedInputError)
