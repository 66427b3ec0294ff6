"""Old word-processor files (.doc, .wps, .rtf) read through LibreOffice (read/legacy.py).

The conversions need LibreOffice (soffice on the PATH: apt-get install libreoffice-writer-nogui, as .ci/run
does); without it those tests skip and say so, and the error a user gets is tested on its own.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from report_builders import build_docx

import gixml
from gixml.read import legacy

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "examples" / "truth" / "fj-pingtan-2021.truth.json"  # a corpus report marked copy_into_repo


def _soffice() -> str:
    command = legacy.soffice()
    if command is None:
        pytest.skip("reading .doc/.wps/.rtf needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    pytest.importorskip("docx", reason="making the .docx needs python-docx (the docx extra)")
    return command


def _made(tmp_path: Path, target: str) -> tuple[Path, dict]:
    """A .docx made from a corpus report's truth, saved by LibreOffice as ``target`` (doc or rtf)."""
    from gixml.training.zoo.convert import soffice_convert

    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    docx = tmp_path / "report.docx"
    build_docx(truth, docx)
    out = tmp_path / "out"
    out.mkdir()
    soffice_convert(docx, target, out)
    return out / f"report.{target}", truth


@pytest.mark.parametrize("target", ["doc", "rtf"])
def test_an_old_word_file_made_by_libreoffice_from_a_corpus_docx_extracts_to_its_truth(tmp_path, target):
    _soffice()
    path, truth = _made(tmp_path, target)
    head = path.read_bytes()[:8]
    assert head.startswith(legacy.OLE_MAGIC if target == "doc" else legacy.RTF_MAGIC)
    report = gixml.extract(path)
    assert report.format == truth["format"]
    wrong = {k: (report.values.get(k), v) for k, v in truth["cells"].items() if report.values.get(k) != v}
    assert wrong == {}
    assert report.values == gixml.extract(tmp_path / "report.docx").values


def test_a_doc_without_its_suffix_or_renamed_wps_is_read_the_same(tmp_path):
    _soffice()
    path, truth = _made(tmp_path, "doc")
    wps = path.with_suffix(".wps")
    shutil.copy(path, wps)
    assert gixml.extract(wps).values["requests.total.total"] == truth["cells"]["requests.total.total"]


def test_without_libreoffice_the_error_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(legacy.shutil, "which", lambda name: None)
    doc = tmp_path / "old.doc"
    doc.write_bytes(legacy.OLE_MAGIC + b"\x00" * 600)
    with pytest.raises(gixml.MissingDependencyError, match="LibreOffice.*apt-get install libreoffice-writer-nogui") as e:
        gixml.extract(doc)
    assert str(doc) in str(e.value)
    xls = tmp_path / "sheet.xls"  # an OLE file that is not a Word document stays refused as before
    xls.write_bytes(legacy.OLE_MAGIC + b"\x00" * 600)
    with pytest.raises(gixml.UnsupportedInputError, match="old Office document"):
        gixml.extract(xls)


def test_a_conversion_that_takes_too_long_or_fails_is_a_clear_error(tmp_path):
    _soffice()
    path, _ = _made(tmp_path, "rtf")
    with pytest.raises(gixml.UnreadableFileError, match="did not convert it within"):
        legacy.to_docx(path.read_bytes(), suffix=".rtf", path=str(path), timeout=0.01)
    with pytest.raises(gixml.UnreadableFileError, match="could not convert|did not convert"):
        legacy.to_docx(b"{\\rtf1 \x00\x00 broken", suffix=".rtf", path="broken.rtf", timeout=60)
