"""The converter zoo: reports rendered as the form draws them, read back by the
converters users run, extracted to the values rendered."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

import gixml
from gixml.training.zoo.convert import CONVERTERS, can_make_pdf, missing, soffice_convert
from gixml.training.zoo.render import ZooReport, document, grid, synthetic_reports, to_docx, to_html, truth_reports

ROOT = Path(__file__).resolve().parent.parent
SEEDS = list(truth_reports(ROOT / "tests" / "fixtures" / "truth", "seed"))


def _report(fmt: str) -> ZooReport:
    return next(r for r in SEEDS if r.format == fmt) if any(r.format == fmt for r in SEEDS) else \
        synthetic_reports(1, fmt, seed=0)[0]


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_the_tables_are_drawn_on_a_full_grid_with_every_value_once(fmt):
    report = _report(fmt) if fmt == "2019" else synthetic_reports(1, "2021", seed=3)[0]
    blocks = document(report, random.Random(0))
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == 3
    keys = []
    for block in tables:
        placed = grid(block)
        assert all(len(row) == block.width for row in placed)
        keys += [cell.key for row in placed for cell, corner in row if corner and cell.key]
    assert sorted(keys) == sorted(report.cells)  # every value drawn, once
    requests = grid(tables[1])
    assert requests[0][3][0].text == "申请人情况" and requests[1][4][0].text == "法人或其他组织"
    assert [c.text for c, _ in requests[2][4:9]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def _extracts_to_truth(text: str, report: ZooReport) -> None:
    got = gixml.extract_text(text).values
    wrong = {k: (v, got.get(k)) for k, v in report.cells.items() if got.get(k) != v}
    assert wrong == {}


def _run(name: str, path: Path) -> str:
    converter = CONVERTERS[name]
    lacking = missing(converter)
    if lacking:
        pytest.skip(f"{name} needs {', '.join(lacking)}")
    return converter.run(path)


@pytest.mark.parametrize("report", SEEDS, ids=lambda r: r.name)
@pytest.mark.parametrize("name", ["bs4-get_text-newline", "markdownify"])
def test_a_seed_rendered_as_a_web_page_reads_back_to_its_truth(tmp_path, report, name):
    path = tmp_path / "page.html"
    path.write_text(to_html(document(report, random.Random(1)), random.Random(1)), encoding="utf-8")
    html = path.read_text(encoding="utf-8")
    assert 'rowspan="' in html and 'colspan="' in html
    _extracts_to_truth(_run(name, path), report)


@pytest.mark.parametrize("report", SEEDS[:2], ids=lambda r: r.name)
def test_a_seed_rendered_as_a_word_document_reads_back_to_its_truth(tmp_path, report):
    path = tmp_path / "report.docx"
    to_docx(document(report, random.Random(2)), random.Random(2), path)
    from docx import Document

    tables = Document(str(path)).tables
    assert len(tables) == 3 and len(tables[2].rows) == 4  # the appeals table: three header rows and the values
    _extracts_to_truth(_run("docx2txt", path), report)


def test_a_seed_through_libreoffice_pdf_and_pdftotext_raw_reads_back_to_its_truth(tmp_path):
    if not can_make_pdf():
        pytest.skip("making a PDF needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    report = SEEDS[0]
    docx = tmp_path / "report.docx"
    to_docx(document(report, random.Random(3)), random.Random(3), docx)
    soffice_convert(docx, "pdf", tmp_path)
    _extracts_to_truth(_run("pdftotext-raw", tmp_path / "report.pdf"), report)


def test_every_converter_names_what_it_lacks():
    assert len(CONVERTERS) >= 15
    assert {c.kind for c in CONVERTERS.values()} == {"html", "docx", "pdf"}
    for converter in CONVERTERS.values():
        for need in missing(converter):
            assert "pip install" in need or "apt-get install" in need
