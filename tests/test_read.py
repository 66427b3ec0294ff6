"""read (stage 1): encodings, line endings and inputs that are not text."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

import gixml
from gixml.read.document import read, read_text
from gixml.read.text import decode

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED = next(SEEDS.glob("000_*.txt"))  # one cell per line; GBK can encode all of it
SEED_TEXT = SEED.read_text(encoding="utf-8")


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _problem(error: gixml.GixmlError) -> str:
    """The message without the path it names."""
    return str(error).replace(error.path or "", "")


ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk"),
    "utf-16-bom": lambda t: t.encode("utf-16"),  # Python writes the BOM
    "utf-16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_encodings_give_identical_text(tmp_path, encoding):
    data = ENCODINGS[encoding](SEED_TEXT)
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(data)
    doc = read(path)
    assert _strip_bom(doc.text) == SEED_TEXT
    assert doc.source == str(path)
    assert doc.encoding


@pytest.mark.parametrize("encoding", ["utf-8-bom", "gbk", "utf-16-bom"])
def test_encodings_give_the_same_extraction(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(ENCODINGS[encoding](SEED_TEXT))
    assert gixml.extract(path).values == gixml.extract(SEED).values


def test_read_accepts_str_paths_and_text(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    assert read(str(path)).text == SEED_TEXT
    assert read(str(path)).source == str(path)
    with pytest.raises(gixml.UnreadableFileError, match="is not a file name .* gixml.extract_text"):
        read(SEED_TEXT)  # a report's text passed as a path: a clear error, not a guess
    doc = read_text(SEED_TEXT, name="page.txt")
    assert (doc.text, doc.source, doc.kind) == (SEED_TEXT, "page.txt", "text")
    report = gixml.extract_text(SEED_TEXT, name="page.txt")
    assert report.source == "page.txt" and report.values == gixml.extract(SEED).values
    assert gixml.extract_text(SEED_TEXT).source is None


@pytest.mark.parametrize(
    ("magic", "what"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "ZIP"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG"),
    ],
)
def test_binary_input_is_unsupported(tmp_path, magic, what):
    path = tmp_path / "年报.txt"
    path.write_bytes(magic)
    with pytest.raises(gixml.UnsupportedInputError) as info:
        read(path)
    assert str(path) in str(info.value)
    assert what in _problem(info.value)
    assert info.value.path == str(path)
    assert isinstance(info.value, gixml.GixmlError)


def test_a_damaged_pdf_is_unreadable_and_says_so(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    with pytest.raises(gixml.UnreadableFileError) as info:
        gixml.extract(path)
    assert str(path) in str(info.value)
    assert "is not a readable PDF" in _problem(info.value)
    with pytest.raises(gixml.UnreadableFileError):
        gixml.extract(str(path))


@pytest.mark.parametrize("as_str", [False, True])
def test_missing_file(tmp_path, as_str):
    path = tmp_path / "missing" / "report.txt"
    with pytest.raises(gixml.UnreadableFileError) as info:
        read(str(path) if as_str else path)
    assert str(path) in str(info.value)
    assert info.value.path == str(path)


@pytest.mark.parametrize("as_str", [False, True])
def test_directory_is_unreadable(tmp_path, as_str):
    with pytest.raises(gixml.UnreadableFileError) as info:
        read(str(tmp_path) if as_str else tmp_path)
    assert str(tmp_path) in str(info.value)


def test_directory_error_says_it_is_a_directory(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    with pytest.raises(gixml.UnreadableFileError) as info:
        read(folder)
    assert "directory" in _problem(info.value)


def test_directory_given_as_str_error_says_it_is_a_directory(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    with pytest.raises(gixml.UnreadableFileError) as info:
        read(str(folder))
    assert "directory" in _problem(info.value)


def test_undecodable_bytes_after_a_bom(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"\xff\xfe\xfd garbage \x80")
    with pytest.raises(gixml.UnreadableFileError) as info:
        read(path)
    assert str(path) in str(info.value)


def test_decode_prefers_the_bom():
    assert decode(codecs.BOM_UTF8 + "规章".encode("utf-8"))[0].lstrip("\ufeff") == "规章"
    assert decode("规章\n0\n".encode("utf-16"))[0].lstrip("\ufeff") == "规章\n0\n"
    assert decode("规章".encode("utf-8")) == ("规章", "utf-8")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings_give_the_same_extraction(tmp_path, newline):
    base = gixml.extract(SEED).to_dict(provenance="full")
    path = tmp_path / "report.txt"
    path.write_bytes(SEED_TEXT.replace("\n", newline).encode("utf-8"))
    other = gixml.extract(path).to_dict(provenance="full")
    for field in ("format", "meta", "cells", "units", "status", "warnings", "provenance", "lines", "tables",
                  "sections"):
        assert other[field] == base[field], field
    # the same from a str
    from_text = gixml.extract_text(SEED_TEXT.replace("\n", newline)).to_dict()
    assert from_text["cells"] == base["cells"]
    assert from_text["provenance"] == base["provenance"]


# ------------------------------------------------ HTML tables inside a text file


MARKDOWN_WITH_HTML_TABLE = """**三、收到和处理政府信息公开申请情况**

<table style="width:100%;">
<tbody>
<tr class="odd">
<td colspan="3"><p>一、本年新收政府信息<br />
公开申请数量</p></td>
<td><p>12</p></td>
<td><p>0</p></td>
</tr>
<tr class="even">
<td colspan="3"><p>二、上年结转&amp;政府信息公开申请数量</p></td>
<td><p>3</p></td>
<td></td>
</tr>
</tbody>
</table>

### 四、政府信息公开行政复议、行政诉讼情况
"""


def test_an_html_table_inside_a_text_is_read_as_tab_rows_and_keeps_the_line_numbers():
    """Pandoc's markdown writes a table with merged cells as raw HTML, one tag per line."""
    doc = read_text(MARKDOWN_WITH_HTML_TABLE)
    lines = doc.text.split("\n")
    original = MARKDOWN_WITH_HTML_TABLE.split("\n")
    assert len(lines) == len(original)
    assert lines[4] == "一、本年新收政府信息公开申请数量\t12\t0"  # on the line of its <tr>
    assert lines[10] == "二、上年结转&政府信息公开申请数量\t3\t"
    assert [n for n, line in enumerate(lines) if "<" in line] == []
    assert lines[-2] == original[-2] == "### 四、政府信息公开行政复议、行政诉讼情况"
    assert lines[0] == original[0]


def test_an_html_table_on_one_line_gives_one_line_per_row(tmp_path):
    path = tmp_path / "page.md"
    path.write_text("前言\n<table><tr><td>规章</td><td>1</td></tr><tr><td>规范性文件</td><td>2</td></tr></table>\n结束\n",
                    encoding="utf-8")
    assert read(path).text == "前言\n规章\t1\n规范性文件\t2\n结束\n"


def test_a_text_without_an_html_table_is_untouched():
    text = "说明：<b>加粗</b> 与 a<table 不是表格\n"
    assert read_text(text).text == text


def test_finding_html_tables_is_linear_whatever_the_text_holds():
    """A regex with a lazy .*? rescanned the rest of the text from every unclosed <table."""
    import time

    from gixml.read.markup import read_tables_in_text

    hostile = "<table " * 300_000 + "\n</table>"
    start = time.perf_counter()
    read_tables_in_text(hostile)
    assert time.perf_counter() - start < 2.0
    assert read_tables_in_text("a <tablet> b </table>") == "a <tablet> b </table>"  # not a <table> tag
