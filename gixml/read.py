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

from .errors import InputTooLargeError, UnreadableFileError, UnsupportedInputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16_le", "utf_16_be"]
#: The most text gixml reads from one input. An annual report is 5,000–50,000
#: characters; 20 million is a whole archive, and would take about 25 s and
#: 1.5 GB to read. Text files larger than MAX_TEXT_BYTES are refused unread.
MAX_TEXT_CHARS = 20_000_000
MAX_TEXT_BYTES = 4 * MAX_TEXT_CHARS
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
    notes: tuple[str, ...] = ()  # what reading had to mend (lines in another encoding, damaged bytes)


def decode(data: bytes, *, source: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; returns (text, encoding). See :func:`decode_with_notes`."""
    text, encoding, _ = decode_with_notes(data, source=source)
    return text, encoding


def decode_with_notes(data: bytes, *, source: str | None = None) -> tuple[str, str, tuple[str, ...]]:
    """Decode bytes to text; returns (text, encoding, notes on what was mended).

    A byte-order mark decides; then strict UTF-8. A UTF-8 file that a download
    cut inside a character, or that holds some lines in GBK (pasted from
    another file) or a few damaged bytes, is read line by line: each line as
    UTF-8, else as GB18030, else with U+FFFD for the bytes that are neither;
    the notes say which lines (a replaced character is never a digit, so no
    number is made up). Other files go to the charset detector."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, ()
            except UnicodeDecodeError as exc:
                raise UnreadableFileError(f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc}",
                                          path=source) from None
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise UnsupportedInputError(f"is {what}, not text; convert it to text first (pdftotext -layout, "
                                        "or save as .txt)", path=source)
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    for cut in (1, 2, 3):  # a download cut inside the last character
        try:
            text = data[:-cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return text + "\ufffd", "utf-8", ("the file ends inside a character (a cut-off download?); "
                                          "the text may be incomplete",)
    if b"\x00" not in data:
        mended = _utf8_by_line(data)
        if mended is not None:
            return mended
    from charset_normalizer import from_bytes  # imported here: heavy, and rarely needed

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None or best.encoding is None:
        raise UnreadableFileError("is neither UTF-8 nor GB18030/GBK, Big5 or UTF-16 text; "
                                  "check that it is a text file and re-save it as UTF-8", path=source)
    text = str(best)
    if "\x00" in text:
        raise UnsupportedInputError("is a binary file (it holds NUL bytes), not text", path=source)
    return text, best.encoding, ()


def _utf8_by_line(data: bytes) -> tuple[str, str, tuple[str, ...]] | None:
    """A UTF-8 file with some lines in GBK or damaged, read line by line; None
    when it is not one (no line holds non-ASCII UTF-8, or many are damaged)."""
    lines = data.split(b"\n")
    out: list[str] = []
    utf8_text = gbk = damaged = 0
    gbk_lines: list[int] = []
    damaged_lines: list[int] = []
    for n, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8")
            utf8_text += not raw.isascii()
        except UnicodeDecodeError:
            try:
                line = raw.decode("gb18030")
                gbk += 1
                gbk_lines.append(n)
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                damaged += 1
                damaged_lines.append(n)
        out.append(line)
    if utf8_text < 3 or 2 * utf8_text < gbk or damaged > max(5, (utf8_text + gbk) // 5):
        # Not a UTF-8 file (in a GBK file a few short lines happen to be valid
        # UTF-8: the detector's job), or not text at all.
        return None
    notes = []
    if gbk:
        notes.append(f"{gbk} line(s) are GBK/GB18030 in a UTF-8 file, read as such (line {_some(gbk_lines)})")
    if damaged:
        notes.append(f"{damaged} line(s) hold bytes that are neither UTF-8 nor GBK, shown as \ufffd "
                     f"(line {_some(damaged_lines)}); values on them may be missing")
    return "\n".join(out), "utf-8" if not gbk else "utf-8+gb18030", tuple(notes)


def _some(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:5]))
    return shown + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")


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
        return _limited(Document(source, None, None))
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
        from .readers import read_pdf

        return Document(read_pdf(data, path=source), source, None, "pdf")
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        from .readers import read_docx

        return Document(read_docx(data, path=source), source, None, "docx")
    if suffix in (".pdf", ".docx") and data:
        raise UnreadableFileError(f"is named {suffix} but is not a {suffix[1:].upper()} file "
                                  "(a damaged download, or a web page saved under that name?)", path=source)
    if len(data) > MAX_TEXT_BYTES:
        raise InputTooLargeError(f"is {len(data) / 1e6:,.0f} MB; an annual report's text is under 1 MB and gixml reads "
                                 f"at most {MAX_TEXT_BYTES / 1e6:,.0f} MB of text (is it a whole site or archive saved "
                                 "as one file? split it into its reports)", path=source)
    if suffix in (".html", ".htm", ".xhtml", ".shtml") or _HTML_START.match(data[:2048]):
        from .readers import read_html

        text, encoding = read_html(data, path=source)
        return Document(text, source, encoding, "html")
    text, encoding, notes = decode_with_notes(data, source=source)
    return Document(text, source, encoding, notes=notes)


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
