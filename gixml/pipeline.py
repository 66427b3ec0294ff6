"""The whole data flow, one stage after another:

    read (a file → text)
    → lines (normalise → tokenise → label → rejoin)
    → tables (assemble → validate → the prose's figures checked against them)
    → a Report (→ export, when asked)

A newcomer looking for where a cell's value came from reads the stages in this
order; each is a function of the previous stage's output.
"""
from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .errors import NotAReportError
from .lines.cascade import default_labeller
from .lines.features import MAX_CLASSIFIED_CHARS
from .lines.labels import Labeller, label_lines
from .lines.normalise import Line, normalise
from .lines.rejoin import rejoin
from .lines.tokenise import MAX_LINE_TOKENS, Token, is_cut, tokenise
from .meta import extract_meta, extract_sections
from .prose import check_statements, find_statements
from .read.document import Document, read, read_text
from .read.ocr import DPI as OCR_DPI
from .read.ocr import ENGINE as OCR_ENGINE
from .read.ocr import OCR_SURE
from .records import LOW_CONFIDENCE, UNDETERMINED, Cell, CellKey, ReportStatus, ReportWarning, Statement
from .report import Report
from .tables.assemble import assemble
from .tables.identities import validate


def extract(path: str | os.PathLike[str], *, labeller: Labeller | None = None, strict: bool = False) -> Report:
    """Extract the three tables, metadata and sections of the report in a file:
    text in any encoding, a PDF with a text layer, a Word ``.docx`` or a saved
    web page. See :func:`extract_document` for ``labeller`` and ``strict``."""
    return extract_document(read(path), labeller=labeller, strict=strict)


def extract_text(text: str, *, name: str | None = None, labeller: Labeller | None = None,
                 strict: bool = False) -> Report:
    """Extract a report's text held in a string; ``name`` says where it came
    from (it becomes the report's ``source`` and names it in errors). The
    string is read as plain text: a web page's markup is not parsed (read its
    file with :func:`extract`, or its bytes with ``read_bytes`` and
    :func:`extract_document`)."""
    return extract_document(read_text(text, name=name), labeller=labeller, strict=strict)


def extract_document(doc: Document, *, labeller: Labeller | None = None, strict: bool = False) -> Report:
    """Extract a :class:`~gixml.read.document.Document` already read (``read_bytes`` reads bytes held in memory).

    Lines are labelled by the rules where they are confident and by the shipped
    classifier elsewhere (:func:`gixml.lines.cascade.default_labeller`);
    ``labeller`` replaces that, e.g. ``RuleLabeller()`` for the rules alone or
    ``labeller_for(folder)`` for another model. With ``strict``, a text holding
    none of the tables raises :class:`~gixml.errors.NotAReportError`;
    otherwise it gives a report with ``status="not_a_report"``.
    """
    with _collector_paused():
        lines = normalise(doc.text)
        tokens = tokenise(lines)
        long_lines = _long_lines(lines, tokens)
        labelled = rejoin(label_lines(lines, tokens, labeller or default_labeller()))
        meta = extract_meta([line.raw for line in lines])
        tables = assemble(labelled, year=meta.year)
        cells, identity_warnings = validate(tables.cells)
        if doc.ocr is not None:
            cells, ocr_warnings = _ocr_confidence(cells, doc)
            identity_warnings = ocr_warnings + identity_warnings
        statements, prose_warnings = check_statements(find_statements(labelled, meta.year), cells)
        sections = extract_sections(labelled)
    warnings = ([ReportWarning("decoding", note) for note in doc.notes] + long_lines
                + _placeholders(lines, tables.warnings) + identity_warnings + prose_warnings)
    status: ReportStatus
    if not any(c.value is not None for c in cells.values()):
        status = "not_a_report"
        if strict:
            raise NotAReportError("holds none of the three statistical tables of an annual report", path=doc.source)
        warnings = [ReportWarning("not_a_report", "no table of an annual report was found in the text")] + [
            w for w in warnings if w.code != "table_missing"
        ]
    elif any(UNDETERMINED in c.flags for c in cells.values()) or any(w.code == "table_missing" for w in warnings):
        status = "partial"
    else:
        status = "complete"
    return Report(
        source=doc.source,
        format=tables.format,
        meta=meta,
        cells=cells,
        units=tables.units,
        warnings=tuple(warnings),
        sections=sections,
        table_formats=tables.table_formats,
        status=status,
        encoding=doc.encoding,
        source_lines=_cited_lines(lines, cells.values(), warnings, statements),
        statements=statements,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a report is extracted.

    Extraction makes no reference cycles (``tests/test_batch.py`` checks it),
    so everything it makes is freed by reference counting and the collector
    only spends time scanning the objects alive. That time grows faster than
    the input: with it, a 3 MB text took 1.9× as long as with it paused, and
    time grew as size^1.15 (``benchmarks/scaling.py``, shape ``short_lines``,
    2026-12-03). The collector is restored as it was, exception or not.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cited_lines(lines: list[Line], cells: Iterable[Cell], warnings: Iterable[ReportWarning],
                 statements: Iterable[Statement] = ()) -> dict[int, str]:
    """The raw text of each line a cell, a warning or a prose statement cites."""
    numbers = {c.line for c in cells if c.line is not None}
    numbers.update(n for w in warnings for n in w.lines)
    numbers.update(s.line for s in statements)
    return {n: lines[n - 1].raw for n in sorted(numbers) if 0 < n <= len(lines)}


def _ocr_confidence(cells: dict[CellKey, Cell], doc: Document) -> tuple[dict[CellKey, Cell], list[ReportWarning]]:
    """Cells of a text read by OCR: each cell's confidence times OCR's confidence in the box it was read
    from; a box read with less than ``OCR_SURE`` flags its cells low_confidence (an identity may confirm such
    a cell; it is never rewritten). One ``read_by_ocr`` warning says so."""
    boxes = doc.ocr or {}
    out: dict[CellKey, Cell] = {}
    unsure: list[Cell] = []
    for key, cell in cells.items():
        if cell.line is None or cell.span is None:
            out[key] = cell
            continue
        start, end = cell.span
        confs = [c for a, b, c in boxes.get(cell.line, ()) if a < end and start < b]
        sure = min(confs) if confs else 1.0
        confidence = round(cell.confidence * sure, 4)
        if sure < OCR_SURE:
            unsure.append(cell)
            out[key] = cell.flagged(LOW_CONFIDENCE, confidence=confidence) if LOW_CONFIDENCE not in cell.flags \
                else dataclasses.replace(cell, confidence=confidence)
        else:
            out[key] = dataclasses.replace(cell, confidence=confidence)
    message = (f"the text was read by OCR from {doc.pages} scanned page(s) ({OCR_ENGINE}, {OCR_DPI} dpi): each "
               "cell's confidence includes OCR's confidence in the characters it was read from")
    if unsure:
        message += (f"; {len(unsure)} cell(s) from characters OCR read with less than {OCR_SURE} confidence are "
                    "flagged low_confidence: check them against the scan")
    return out, [ReportWarning("read_by_ocr", message, tuple(c.key for c in unsure),
                               lines=tuple(sorted({c.line for c in unsure if c.line is not None})))]


#: What a converter prints where it left a table out: pandoc's plain text writes ``[TABLE]`` for a
#: table it cannot draw (merged cells); LibreOffice's and others' image placeholders are not tables.
TABLE_PLACEHOLDERS = frozenset({"[TABLE]"})


def _placeholders(lines: list[Line], warnings: list[ReportWarning]) -> list[ReportWarning]:
    """A missing table's warning says so when the text holds a converter's placeholder for a table left out."""
    held = tuple(line.number for line in lines if line.text.strip() in TABLE_PLACEHOLDERS)
    if not held:
        return warnings
    said = (f" (line{'s' if len(held) > 1 else ''} {', '.join(map(str, held[:5]))} hold{'' if len(held) > 1 else 's'}"
            f" '[TABLE]': the converter left a table out of the text; convert the original again, e.g. with "
            "pandoc -t markdown, or give gixml the PDF, Word or web page itself)")
    return [ReportWarning(w.code, w.message + said, w.cells, lines=w.lines + held, left=w.left, right=w.right)
            if w.code in ("table_missing", "table_without_data") else w for w in warnings]


def _long_lines(lines: list[Line], tokens: list[list[Token]]) -> list[ReportWarning]:
    """One ``long_line`` warning for the lines longer than gixml reads whole
    (their tokens cut at ``MAX_LINE_TOKENS``, their n-grams at ``MAX_CLASSIFIED_CHARS``)."""
    cut = [line.number for line, found in zip(lines, tokens) if is_cut(found)]
    long = [line.number for line in lines if len(line.text) > MAX_CLASSIFIED_CHARS]
    if not cut and not long:
        return []
    said = []
    if cut:
        said.append(f"{_numbers(cut)} hold{'s' if len(cut) == 1 else ''} more than {MAX_LINE_TOKENS:,} words and "
                    "numbers: the rest of each was read as text, and no cell was taken from it")
    if long:
        said.append(f"{_numbers(long)} {'is' if len(long) == 1 else 'are'} longer than "
                    f"{MAX_CLASSIFIED_CHARS:,} characters: the line classifier read the start of each")
    return [ReportWarning("long_line", "; ".join(said) + " (no table row is this long: is it a whole site or "
                          "archive on one line?)")]


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5])
    more = f" and {len(numbers) - 5:,} more" if len(numbers) > 5 else ""
    return f"line{'s' if len(numbers) > 1 else ''} {shown}{more}"
