"""Text bytes → text: decoded by what they are, never by a guess.

A byte-order mark (UTF-8, UTF-16, UTF-32) decides first, then strict UTF-8,
then the charset detector of ``charset-normalizer`` limited to the encodings
Chinese reports use (GB18030 covers GBK and GB2312, Big5, UTF-16 without a
mark). A UTF-8 file that a download cut inside a character, or that holds
some lines in GBK or a few damaged bytes, is read line by line, with notes
saying what was mended.
"""
from __future__ import annotations

import codecs

from ..errors import UnreadableFileError, UnsupportedInputError

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
    from charset_normalizer import from_bytes  # heavy, and rarely needed

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
