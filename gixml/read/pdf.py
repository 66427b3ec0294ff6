"""PDF → text: the ruled tables of each page as tab rows, the text around them as lines, in reading order.

Uses pdfplumber (``pip install 'gixml[pdf]'``). Word and WPS tables printed
to PDF are ruled, so their rows and cells are found from the rulings, which
keeps the columns a PDF-to-text tool loses (``pdftotext`` reads a table
column by column). A PDF without a text layer (a scan) is an error, not an
empty report.

Two engines give the same text: ``pdfplumber`` (pdfminer parses the pages, in
Python) and ``pdfium`` (``pdf_fast``: pypdfium2 reads the characters and
rulings, pdfplumber's table and line functions make the text; about five times
quicker). ``pdfium`` hands to pdfplumber any document it cannot read exactly as
pdfplumber would. ``auto`` (the default) is ``pdfium`` when pypdfium2 is
installed; the environment variable ``GIXML_PDF_ENGINE`` sets the default.
"""
from __future__ import annotations

import importlib.util
import io
import os
from typing import Any

from ..errors import (
    ConfigurationError,
    GixmlError,
    MissingDependencyError,
    UnreadableFileError,
    UnsupportedInputError,
)
from .common import cell_text, need


class NoTextLayer(UnsupportedInputError):
    """A PDF whose pages hold no characters: a scan (``ocr.py`` reads it when the OCR extra is installed)."""


#: The PDF engines ``read_pdf`` takes.
ENGINES = ("auto", "pdfium", "pdfplumber")


def read_pdf(data: bytes, *, path: str | None = None, engine: str | None = None) -> str:
    """The text of a PDF: ruled tables as tab rows, other text as lines, page by page.

    ``engine`` is one of :data:`ENGINES`; None takes ``GIXML_PDF_ENGINE`` or
    else ``auto``. Both engines give the same text and the same errors.
    """
    engine = engine or os.environ.get("GIXML_PDF_ENGINE") or "auto"
    if engine not in ENGINES:
        raise ConfigurationError(f"unknown PDF engine {engine!r}; use one of {', '.join(ENGINES)} "
                                 "(the engine argument or GIXML_PDF_ENGINE)")
    if engine == "auto":
        engine = "pdfium" if importlib.util.find_spec("pypdfium2") is not None else "pdfplumber"
    if engine == "pdfium":
        need("pypdfium2", "pdf", "a PDF", path)
        need("pdfplumber", "pdf", "a PDF", path)
        from . import pdf_fast

        try:
            texts, chars = pdf_fast.page_texts(data)
        except GixmlError:  # a time limit (batch --timeout) stops the reading, whichever engine
            raise
        except Exception:  # noqa: BLE001 - pdf_fast.Unsupported, or a damaged file: pdfplumber reads it or says why not
            chars = 0
        if chars:
            return "\n".join(texts) + "\n"
    return _read_pdfplumber(data, path)


def _read_pdfplumber(data: bytes, path: str | None) -> str:
    """``read_pdf`` by pdfplumber alone."""
    pdfplumber = need("pdfplumber", "pdf", "a PDF", path)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds on a damaged or encrypted file
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise UnreadableFileError("is a password-protected PDF; remove the password first", path=path) from None
        raise UnreadableFileError(f"is not a readable PDF ({name}: {exc})".rstrip(": )") + ")", path=path) from None
    pages: list[str] = []
    chars = 0
    try:
        with pdf:
            for page in pdf.pages:
                chars += len(page.chars)
                pages.append(_pdf_page(page))
    except MissingDependencyError:
        raise
    except Exception as exc:
        raise UnreadableFileError(f"is a damaged PDF ({type(exc).__name__}: {exc})", path=path) from None
    if chars == 0:
        raise NoTextLayer("is a PDF without a text layer (a scan); gixml reads it by OCR with the optional "
                          "extra (pip install 'gixml[ocr]'), or run OCR on it first (ocrmypdf -l chi_sim)", path=path)
    return "\n".join(pages) + "\n"


def _pdf_page(page: Any) -> str:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        return not any(x0 - 1 <= obj["x0"] and obj["x1"] <= x1 + 1 and top - 1 <= obj["top"] and obj["bottom"] <= bottom + 1
                       for x0, top, x1, bottom in boxes)

    items: list[tuple[float, int, str]] = []
    rest = page.filter(outside) if boxes else page
    for line in rest.extract_text_lines():
        items.append((line["top"], 0, line["text"]))
    for table in tables:
        rows = ["\t".join(cell_text(c) for c in row if c is not None) for row in table.extract()]
        items.append((table.bbox[1], 1, "\n".join(r for r in rows if r.strip())))
    items.sort(key=lambda item: (item[0], item[1]))
    return "\n".join(text for _, _, text in items)
