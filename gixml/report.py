"""The result: a :class:`Report`, a plain frozen record of everything read from one input.

Its cells, warnings and metadata are the shared records of ``records.py``;
its ``to_*`` methods call ``export.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import export
from .records import Cell, CellKey, Meta, ReportStatus, ReportWarning, Statement


@dataclass(frozen=True)
class Report:
    """An extracted report.

    ``cells`` maps every key of the detected ``format`` to its
    :class:`~gixml.records.Cell`, in SCHEMA order: the keys are
    :class:`~gixml.records.CellKey` (so ``report.cells["requests.total.total"]``
    works, and each key has ``.table``, ``.row``, ``.col``); ``units`` maps
    amount keys to the unit the report states; ``status``
    is ``complete``, ``partial`` (a table missing or cells undetermined) or
    ``not_a_report``; ``sections`` holds the text of the six sections;
    ``source_lines`` the text of each line a cell or a warning cites, by line
    number (what the JSON's ``lines`` holds); ``statements`` the table figures
    the prose states, each checked against its cells (``prose.py``).
    """

    source: str | None
    format: str | None
    meta: Meta
    cells: dict[CellKey, Cell]
    units: dict[CellKey, str] = field(default_factory=dict)
    warnings: tuple[ReportWarning, ...] = ()
    sections: dict[str, str] = field(default_factory=dict)
    table_formats: dict[str, str | None] = field(default_factory=dict)
    status: ReportStatus = "complete"
    encoding: str | None = None
    source_lines: dict[int, str] = field(default_factory=dict)
    statements: tuple[Statement, ...] = ()

    @property
    def values(self) -> dict[str, int | float | None]:
        """The flat ``key → value`` mapping of the JSON output's ``cells`` (plain string keys)."""
        return {str(key): cell.value for key, cell in self.cells.items()}

    def to_dict(self, *, provenance: export.Provenance = "lines") -> dict[str, Any]:
        """The JSON-ready report; ``provenance`` is ``full``, ``lines`` or
        ``none`` (see :func:`gixml.export.to_dict`)."""
        return export.to_dict(self, provenance=provenance)

    def to_json(self, *, indent: int | None = 2, provenance: export.Provenance = "lines") -> str:
        return export.to_json(self, indent=indent, provenance=provenance)

    def to_xml(self, *, provenance: export.Provenance = "lines") -> str:
        return export.to_xml(self, provenance=provenance)

    def to_rows(self) -> list[dict[str, Any]]:
        """Long form: one row per cell (key, table, row, col, value, unit, line, …)."""
        return export.to_rows(self)

    def to_csv(self, *, header: bool = True) -> str:
        return export.to_csv(self, header=header)
