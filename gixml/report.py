"""The results: plain frozen dataclasses for cells, warnings, metadata and the report."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .records import fast_init

# Cell flags
LOW_CONFIDENCE = "low_confidence"
FAILED_IDENTITY = "failed_identity"
UNDETERMINED = "undetermined"


@fast_init
@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a table: its value and where it came from.

    ``line`` is the 1-based line of the input the value was read from,
    ``source`` that line as printed and ``printed`` the characters of the value
    in it (``span`` gives their offsets). ``method`` says which path decided:
    ``rule`` (the assembler's rules matched exactly), ``model`` (the line
    classifier's reading), ``order`` (a row of values without its label,
    placed by the form's row order), ``identity`` (a glued digit run split by
    the form's identities), ``prior`` (a glued run split by the value prior)
    or ``absent`` (nothing printed, or nothing that could be read).
    """

    key: str
    value: int | float | None
    unit: str | None = None
    line: int | None = None
    source: str | None = None
    printed: str | None = None
    span: tuple[int, int] | None = None
    confidence: float = 0.0
    method: str = "absent"
    flags: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return self.key.split(".")[0]

    @property
    def row(self) -> str:
        return self.key.split(".")[1]

    @property
    def col(self) -> str:
        return self.key.split(".")[2]

    def flagged(self, *flags: str, confidence: float | None = None) -> "Cell":
        """This cell with ``flags`` added (and a new confidence): what
        ``dataclasses.replace`` gives, five times faster."""
        return Cell(self.key, self.value, self.unit, self.line, self.source, self.printed, self.span,
                    self.confidence if confidence is None else confidence, self.method, self.flags + flags)

    def provenance(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "source": self.source,
            "printed": self.printed,
            "span": list(self.span) if self.span else None,
            "confidence": self.confidence,
            "method": self.method,
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class ReportWarning:
    """Something the reader of the numbers must know.

    ``code`` is stable and machine-readable (``identity``, ``row_width``,
    ``table_without_data``, ``table_missing``, …); for a failed identity
    ``left`` and ``right`` are the two sides as printed and ``cells`` the keys
    involved.
    """

    code: str
    message: str
    cells: tuple[str, ...] = ()
    left: int | float | None = None
    right: int | float | None = None
    lines: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message, "cells": list(self.cells)}
        if self.left is not None or self.right is not None:
            out["left"], out["right"] = self.left, self.right
        if self.lines:
            out["lines"] = list(self.lines)
        return out


@dataclass(frozen=True)
class Meta:
    """The report's organization (as the title or signature prints it), the year
    it reports on, and the date it was published (under the signature, else the
    web page's date), ISO formatted."""

    organization: str | None = None
    year: int | None = None
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"organization": self.organization, "year": self.year, "published": self.published}


SECTION_KEYS = ("overview", "active", "requests", "appeals", "problems", "other")


@dataclass(frozen=True)
class Report:
    """An extracted report.

    ``cells`` maps every SCHEMA key of the detected ``format`` to its
    :class:`Cell`, in SCHEMA order; ``units`` maps amount keys to the unit the
    report states; ``status`` is ``complete``, ``partial`` (a table missing or
    cells undetermined) or ``not_a_report``.
    """

    source: str | None
    format: str | None
    meta: Meta
    cells: dict[str, Cell]
    units: dict[str, str] = field(default_factory=dict)
    warnings: tuple[ReportWarning, ...] = ()
    sections: dict[str, str] = field(default_factory=dict)
    table_formats: dict[str, str | None] = field(default_factory=dict)
    status: str = "complete"
    encoding: str | None = None

    @property
    def values(self) -> dict[str, int | float | None]:
        """The flat ``key → value`` mapping of the JSON output's ``cells``."""
        return {key: cell.value for key, cell in self.cells.items()}

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready report: ``format``, ``meta``, ``cells`` (flat SCHEMA keys →
        value) and ``units`` first, then provenance, warnings and section texts."""
        return {
            "format": self.format,
            "meta": self.meta.to_dict(),
            "cells": self.values,
            "units": dict(self.units),
            "status": self.status,
            "warnings": [w.to_dict() for w in self.warnings],
            "provenance": {key: cell.provenance() for key, cell in self.cells.items()},
            "tables": dict(self.table_formats),
            "sections": dict(self.sections),
            "source": self.source,
            "encoding": self.encoding,
            "gixml_version": __version__,
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_rows(self) -> list[dict[str, Any]]:
        """Long form: one row per cell (key, table, row, col, value, unit, line, …)."""
        rows = []
        for key, cell in self.cells.items():
            rows.append(
                {
                    "source": self.source,
                    "key": key,
                    "table": cell.table,
                    "row": cell.row,
                    "col": cell.col,
                    "value": cell.value,
                    "unit": self.units.get(key),
                    "line": cell.line,
                    "printed": cell.printed,
                    "confidence": cell.confidence,
                    "method": cell.method,
                    "flags": " ".join(cell.flags),
                }
            )
        return rows

    def to_csv(self, *, header: bool = True) -> str:
        from .export import rows_to_csv

        return rows_to_csv(self.to_rows(), header=header)

    def to_xml(self) -> str:
        from .export import report_to_xml

        return report_to_xml(self)
