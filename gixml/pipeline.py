"""The whole data flow, one stage after another:

read → normalise → tokenise → label lines → rejoin broken labels → assemble → validate → (export).

A newcomer looking for where a cell's value came from reads the stages in this
order; each is a function of the previous stage's output.
"""
from __future__ import annotations

import os

from .assemble import assemble
from .errors import NotAReportError
from .labels import Labeller, label_lines
from .rejoin import rejoin
from .meta import extract_meta, extract_sections
from .normalise import normalise
from .read import Document, read
from .report import UNDETERMINED, Report, ReportWarning
from .tokenise import tokenise
from .validate import validate


def extract(source: str | os.PathLike[str] | Document, *, labeller: Labeller | None = None, strict: bool = False) -> Report:
    """Extract the three tables, metadata and sections of one report.

    ``source`` is a path (text, PDF, Word or web page), the report's text, or a
    :class:`~gixml.read.Document` already read. Lines are labelled by the rules
    where they are confident and by the shipped classifier elsewhere
    (:func:`gixml.classify.default_labeller`); ``labeller`` replaces that, e.g.
    ``RuleLabeller()`` for rules alone or a ``CascadeLabeller`` with your own model. With ``strict``, a text holding
    none of the tables raises :class:`~gixml.errors.NotAReportError`; otherwise
    it gives a report with ``status="not_a_report"``.
    """
    doc = source if isinstance(source, Document) else read(source)
    if labeller is None:
        from .classify import default_labeller  # loads the shipped model once, lazily

        labeller = default_labeller()
    lines = normalise(doc.text)
    tokens = tokenise(lines)
    labelled = rejoin(label_lines(lines, tokens, labeller))
    meta = extract_meta([line.raw for line in lines])
    tables = assemble(labelled, year=meta.year)
    cells, identity_warnings = validate(tables.cells)
    warnings = [ReportWarning("decoding", note) for note in doc.notes] + tables.warnings + identity_warnings
    found = any(c.value is not None for c in cells.values())
    if not found:
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
        sections=extract_sections(labelled),
        table_formats=tables.table_formats,
        status=status,
        encoding=doc.encoding,
    )
