"""A file (or a string) → a :class:`Document`: the report's text, where it came from, how it was read.

What a file is decides how it is read, by its first bytes before its name:
a PDF (``%PDF``), a Word document (a ZIP holding ``word/document.xml``) and a
web page (``.html``/``.htm``, or bytes that start like one) go to their
readers (``pdf.py``, ``docx.py``, ``html.py``); an old Word, WPS or RTF file is
converted to .docx by LibreOffice first (``legacy.py``); a PDF without a text
layer (a scan) is read by OCR when the extra is installed (``ocr.py``); anything
else is text (``text.py``). Every reader gives plain text in which a table row is one line,
its cells separated by tabs.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import InputTooLargeError, UnreadableFileError, UnsupportedInputError
from .docx import read_docx
from .html import read_html
from .legacy import is_legacy, to_docx
from .markup import read_tables_in_text
from .ocr import available as ocr_available
from .ocr import read_scan
from .pdf import NoTextLayer, read_pdf
from .text import decode_with_notes

#: The most text gixml reads from one input. An annual report is 5,000–50,000
#: characters; 20 million is a whole archive, and would take about 25 s and
#: 1.5 GB to read. Text files larger than MAX_TEXT_BYTES are refused unread.
MAX_TEXT_CHARS = 20_000_000
MAX_TEXT_BYTES = 4 * MAX_TEXT_CHARS

DocumentKind = Literal["text", "pdf", "docx", "html", "ocr"]


@dataclass(frozen=True)
class Document:
    """The text of one input, where it came from, what it was and how it was decoded."""

    text: str
    source: str | None
    encoding: str | None
    kind: DocumentKind = "text"
    notes: tuple[str, ...] = ()  # what reading had to mend (lines in another encoding, damaged bytes)
    #: Read by OCR (``kind`` "ocr"): per 1-based line, each text box's span in the line and its confidence.
    ocr: dict[int, tuple[tuple[int, int, float], ...]] | None = None
    pages: int = 0  # the pages OCR read


def read(path: str | os.PathLike[str]) -> Document:
    """Read one file: text in any encoding, a PDF, a Word document (.docx; .doc, .wps and .rtf through
    LibreOffice) or a web page."""
    if isinstance(path, str) and ("\n" in path or "\r" in path or len(path) > 4096):
        raise UnreadableFileError("is not a file name (it holds a line break, or is far too long); to extract "
                                  "a report held in a string, use gixml.extract_text(text, name=...)",
                                  path=_shortened(path))
    return read_bytes(file_bytes(path), source=str(Path(path)))


def file_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a file, or an :class:`~gixml.errors.UnreadableFileError` saying why not."""
    file = Path(path)
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise UnreadableFileError("no such file", path=str(file)) from None
    except IsADirectoryError:
        raise UnreadableFileError("is a directory, not a file", path=str(file)) from None
    except OSError as exc:
        raise UnreadableFileError(f"cannot be read: {exc.strerror or exc}", path=str(file)) from None


def read_text(text: str, *, name: str | None = None) -> Document:
    """A report already in a string; ``name`` says where it came from (in errors and in the report)."""
    return _limited(Document(read_tables_in_text(text), name, None))


_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body)\b", re.IGNORECASE | re.DOTALL)


def read_bytes(data: bytes, *, source: str | None = None) -> Document:
    """Read the bytes of one file (``source`` names it in errors and picks the
    reader by its suffix when the bytes do not tell)."""
    return _limited(_read_bytes(data, source=source))


def _limited(doc: Document) -> Document:
    if len(doc.text) > MAX_TEXT_CHARS:
        raise InputTooLargeError(f"holds {len(doc.text):,} characters of text; an annual report holds under 100,000 "
                                 f"and gixml reads at most {MAX_TEXT_CHARS:,} (is it a whole site or archive saved as "
                                 "one file? split it into its reports)", path=doc.source)
    return doc


def _read_bytes(data: bytes, *, source: str | None = None) -> Document:
    suffix = os.path.splitext(source or "")[1].lower()
    if data.startswith(b"%PDF"):
        try:
            return Document(read_pdf(data, path=source), source, None, "pdf")
        except NoTextLayer:
            if not ocr_available():
                raise
            text, boxes, pages = read_scan(data, path=source)
            if not text.strip():
                raise UnsupportedInputError("is a PDF without a text layer, and OCR found no text on its pages",
                                            path=source) from None
            return Document(text, source, None, "ocr", ocr=boxes, pages=pages)
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return Document(read_docx(data, path=source), source, None, "docx")
    if is_legacy(data, suffix):  # .doc, .wps, .rtf: converted to .docx by LibreOffice
        return Document(read_docx(to_docx(data, suffix=suffix, path=source), path=source), source, None, "docx")
    if suffix in (".pdf", ".docx") and data:
        raise UnreadableFileError(f"is named {suffix} but is not a {suffix[1:].upper()} file "
                                  "(a damaged download, or a web page saved under that name?)", path=source)
    if len(data) > MAX_TEXT_BYTES:
        raise InputTooLargeError(f"is {len(data) / 1e6:,.0f} MB; an annual report's text is under 1 MB and gixml reads "
                                 f"at most {MAX_TEXT_BYTES / 1e6:,.0f} MB of text (is it a whole site or archive saved "
                                 "as one file? split it into its reports)", path=source)
    if suffix in (".html", ".htm", ".xhtml", ".shtml") or _HTML_START.match(data[:2048]):
        text, encoding = read_html(data, path=source)
        return Document(text, source, encoding, "html")
    text, encoding, notes = decode_with_notes(data, source=source)
    return Document(read_tables_in_text(text), source, encoding, notes=notes)


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _shortened(text: str) -> str:
    first = text.strip().split("\n", 1)[0][:40]
    return repr(first + "…")
