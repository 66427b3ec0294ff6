"""Word (.docx) → text: paragraphs and table rows in document order.

Uses python-docx (``pip install 'gixml[docx]'``). A table row is one line, its
cells separated by tabs; a cell merged across columns is printed once, a cell
merged down from the row above is an empty field.
"""
from __future__ import annotations

import io
from typing import Any

from ..errors import UnreadableFileError
from .common import cell_text, need


def read_docx(data: bytes, *, path: str | None = None) -> str:
    """The text of a Word document: paragraphs and table rows in document order."""
    docx = need("docx", "docx", "a Word document", path)
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
                fields.append(cell_text("\n".join(p.text for p in cell.paragraphs)))
            above = seen
            if any(fields):
                lines.append("\t".join(fields))

    try:
        for element in document.element.body.iterchildren():
            block(element, document)
    except Exception as exc:
        raise UnreadableFileError(f"is a damaged Word document ({type(exc).__name__}: {exc})", path=path) from None
    return "\n".join(lines) + "\n"
