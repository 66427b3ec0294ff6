"""Stage 1 — read: a path or a string → the report's text.

What a file is decides how it is read, by its first bytes before its name:
a PDF (``%PDF``), a Word document (a ZIP holding ``word/document.xml``) and a
web page (``.html``/``.htm``, or text that starts like one) go to their readers
in ``readers.py``; anything else is text.

Text bytes are decoded by what they are, never by a guess: a byte-order mark
(UTF-8, UTF-16, UTF-32) decides first, then strict UTF-8, then the charset
detector of ``charset-normalizer`` limited to the encodings Chinese reports
use (GB18030 covers GBK and GB2312, Big5, UTF-16 without a mark).
"""
from __future__ import annotations

import codecs
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UnreadableFileError, UnsupportedInputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16_le", "utf_16_be"]
_BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP container but not a Word document (.docx); save the report as .docx, .pdf or text",
    b"\xd0\xcf\x11\xe0": "an old Office document (DOC/XLS)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}


@dataclass(frozen=True)
class Document:
    """The text of one input, where it came from, what it was and how it was decoded."""

    text: str
    source: str | None
    encoding: str | None
    kind: str = "text"  # text, pdf, docx or html


def decode(data: bytes, *, source: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; returns (text, encoding)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise UnreadableFileError(f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc}",
                                          path=source) from None
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise UnsupportedInputError(f"is {what}, not text; convert it to text first (pdftotext -layout, "
                                        "or save as .txt)", path=source)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported here: heavy, and rarely needed

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None or best.encoding is None:
        raise UnreadableFileError("is neither UTF-8 nor GB18030/GBK, Big5 or UTF-16 text; "
                                  "check that it is a text file and re-save it as UTF-8", path=source)
    text = str(best)
    if "\x00" in text:
        raise UnsupportedInputError("is a binary file (it holds NUL bytes), not text", path=source)
    return text, best.encoding


def read(source: str | os.PathLike[str]) -> Document:
    """Stage entry point: a path, or a string holding the report's text.

    A ``str`` is taken as a path when it names an existing file, and as the
    report's text when it holds a line break or does not name a file.
    """
    if isinstance(source, str) and "\n" not in source and "\r" not in source and _is_dir(source):
        raise UnreadableFileError("is a directory, not a file", path=source)
    if isinstance(source, str) and ("\n" in source or "\r" in source or not _is_file(source)):
        if not ("\n" in source or "\r" in source) and len(source) < 260 and _looks_like_path(source):
            raise UnreadableFileError("no such file", path=source)
        return Document(source, None, None)
    path = Path(source)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFileError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise UnreadableFileError("is a directory, not a file", path=str(path)) from None
    except OSError as exc:
        raise UnreadableFileError(f"cannot be read: {exc.strerror or exc}", path=str(path)) from None
    return read_bytes(data, source=str(path))


_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body)\b", re.IGNORECASE | re.DOTALL)


def read_bytes(data: bytes, *, source: str | None = None) -> Document:
    """Read the bytes of one file (``source`` names it in errors and picks the
    reader by its suffix when the bytes do not tell)."""
    suffix = os.path.splitext(source or "")[1].lower()
    if data.startswith(b"%PDF"):
        from .readers import read_pdf

        return Document(read_pdf(data, path=source), source, None, "pdf")
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        from .readers import read_docx

        return Document(read_docx(data, path=source), source, None, "docx")
    if suffix in (".pdf", ".docx") and data:
        raise UnreadableFileError(f"is named {suffix} but is not a {suffix[1:].upper()} file "
                                  "(a damaged download, or a web page saved under that name?)", path=source)
    if suffix in (".html", ".htm", ".xhtml", ".shtml") or _HTML_START.match(data[:2048]):
        from .readers import read_html

        text, encoding = read_html(data, path=source)
        return Document(text, source, encoding, "html")
    text, encoding = decode(data, source=source)
    return Document(text, source, encoding)


def _is_docx(data: bytes) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _is_dir(s: str) -> bool:
    try:
        return len(s) < 4096 and Path(s).is_dir()
    except (OSError, ValueError):
        return False


def _is_file(s: str) -> bool:
    try:
        return len(s) < 4096 and Path(s).is_file()
    except (OSError, ValueError):
        return False


def _looks_like_path(s: str) -> bool:
    """A one-line string with a path's shape: a file suffix or a separator, and no Chinese."""
    if any("\u3400" <= ch <= "\u9fff" for ch in s):
        return "/" in s or "\\" in s or s.lower().endswith((".txt", ".md", ".pdf", ".html", ".htm", ".docx"))
    return True
