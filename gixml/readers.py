"""Stage 1 (continued) — the readers of PDF, Word and web-page originals.

Each turns one file into plain text that the later stages read like any text
dump, with one rule in common: **a table row is one line, its cells separated
by tabs**; everything else is a line per paragraph. That keeps the columns a
PDF-to-text tool loses (``pdftotext`` reads a table column by column).

- :func:`read_pdf` — pdfplumber: the ruled tables of each page (Word and WPS
  tables printed to PDF are ruled) as tab rows, the text around them as lines,
  in reading order. A PDF without a text layer (a scan) is an error, not an
  empty report.
- :func:`read_docx` — python-docx: paragraphs and table rows in document order;
  a merged cell is printed once (in its first row and column).
- :func:`read_html` — lxml: the page's charset (``<meta charset>``, GBK pages
  included) or detection; data tables as tab rows, layout tables (a table whose
  cells hold tables or paragraphs) read as blocks; scripts and styles dropped.

The libraries are optional extras (``pip install 'gixml[pdf]'``, ``[docx]``,
``[html]``, or ``[all]``) imported only when such a file is read;
:class:`~gixml.errors.MissingDependencyError` says which to install.
"""
from __future__ import annotations

import io
import re
from typing import Any

from .errors import MissingDependencyError, UnreadableFileError, UnsupportedInputError

_CELL_SPACE = re.compile(r"\s+")


def _need(module: str, extra: str, what: str, path: str | None) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(f"is {what}; reading it needs the optional package {module.split('.')[0]}: "
                                     f"pip install 'gixml[{extra}]'", path=path) from None


def _cell_text(text: str | None) -> str:
    """A table cell as one field: its lines joined (a label wrapped in its cell), spaces kept single."""
    if not text:
        return ""
    return _CELL_SPACE.sub(" ", "".join(part.strip() for part in text.splitlines())).strip()


# -------------------------------------------------------------------- PDF
def read_pdf(data: bytes, *, path: str | None = None) -> str:
    """The text of a PDF: ruled tables as tab rows, other text as lines, page by page."""
    pdfplumber = _need("pdfplumber", "pdf", "a PDF", path)
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
        raise UnsupportedInputError("is a PDF without a text layer (a scan); run OCR on it first, e.g. "
                                    "ocrmypdf -l chi_sim, and read the result", path=path)
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
        rows = ["\t".join(_cell_text(c) for c in row if c is not None) for row in table.extract()]
        items.append((table.bbox[1], 1, "\n".join(r for r in rows if r.strip())))
    items.sort(key=lambda item: (item[0], item[1]))
    return "\n".join(text for _, _, text in items)


# ------------------------------------------------------------------- DOCX
def read_docx(data: bytes, *, path: str | None = None) -> str:
    """The text of a Word document: paragraphs and table rows in document order."""
    docx = _need("docx", "docx", "a Word document", path)
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableFileError(f"is not a readable Word document ({type(exc).__name__}: {exc})", path=path) from None
    lines: list[str] = []

    def block(element: Any, parent: Any) -> None:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, parent).text)
        elif tag == "tbl":
            table(Table(element, parent))
        elif tag == "sdt":  # content controls wrap paragraphs and tables
            for child in element.iterchildren():
                if child.tag.rsplit("}", 1)[-1] == "sdtContent":
                    for inner in child.iterchildren():
                        block(inner, parent)

    def table(t: Any) -> None:
        above: list[Any] = []
        for row in t.rows:
            fields: list[str] = []
            seen: list[Any] = []  # the cells' XML elements, held so that lxml keeps their proxies
            for cell in row.cells:
                key = cell._tc
                if any(key is other for other in seen):
                    continue  # a cell merged across columns: once
                seen.append(key)
                if any(key is other for other in above):
                    fields.append("")  # merged down from the row above: printed there
                    continue
                if cell.tables:  # a table inside a cell: read the cell as blocks
                    for inner in cell._tc.iterchildren():
                        block(inner, cell)
                    continue
                fields.append(_cell_text("\n".join(p.text for p in cell.paragraphs)))
            above = seen
            if any(fields):
                lines.append("\t".join(fields))

    try:
        for element in document.element.body.iterchildren():
            block(element, document)
    except Exception as exc:
        raise UnreadableFileError(f"is a damaged Word document ({type(exc).__name__}: {exc})", path=path) from None
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------- HTML
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_BLOCKS = frozenset("""address article aside blockquote body br dd div dl dt fieldset figcaption figure footer form
h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul title caption""".split())
_DROP = frozenset(("script", "style", "noscript", "template", "iframe", "object", "svg"))


def decode_html(data: bytes, *, path: str | None = None) -> tuple[str, str]:
    """Decode a web page: a byte-order mark, then its declared charset, then detection."""
    from .read import decode

    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            codec = "gb18030" if declared in ("gb2312", "gbk", "gb18030", "x-gbk") else declared
            try:
                return data.decode(codec), codec
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration: detect instead
    return decode(data, source=path)


def read_html(data: bytes, *, path: str | None = None) -> tuple[str, str]:
    """The text of a web page and the charset it was decoded with."""
    html = _need("lxml.html", "html", "a web page", path)
    text, encoding = decode_html(data, path=path)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str that declares its encoding
    if not text.strip():
        return "", encoding
    try:
        root = html.document_fromstring(text)
    except Exception as exc:
        raise UnreadableFileError(f"is not a readable web page ({type(exc).__name__}: {exc})", path=path) from None
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _CELL_SPACE.sub(" ", "".join(current)).strip()
        if line:
            out.append(line)
        current.clear()

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _DROP or not tag:
            if el.tail:
                current.append(el.tail)
            return
        if tag == "table" and _is_data_table(el):
            flush()
            for tr in el.iter("tr"):
                cells = [_cell_text(td.text_content()) for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
                if any(cells):
                    out.append("\t".join(cells))
        else:
            block = tag in _BLOCKS or tag in ("td", "th")
            if block:
                flush()
            if el.text:
                current.append(el.text)
            for child in el:
                walk(child)
            if block:
                flush()
        if el.tail:
            current.append(el.tail)

    walk(root)
    flush()
    return "\n".join(out) + "\n", encoding


def _is_data_table(table: Any) -> bool:
    """A table of data (cells of text), not a table used for the page's layout."""
    for cell in table.iter("td", "th"):
        if cell.find(".//table") is not None:
            return False
        if sum(1 for _ in cell.iter("p", "div", "br", "li")) > 3:
            return False
    return True
