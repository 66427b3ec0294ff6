"""gixml — exact, verifiable data from Chinese government information-disclosure
annual reports (政府信息公开工作年度报告).

    >>> import gixml
    >>> report = gixml.extract("report.pdf")                  # doctest: +SKIP
    >>> report.values["requests.total.total"]                 # doctest: +SKIP
    >>> gixml.extract_text(text, name="report.txt").status    # doctest: +SKIP

The public API: :func:`extract` (a file), :func:`extract_text` (a string),
:func:`extract_many` (many files in parallel, a :class:`BatchResult` each as
they finish, :class:`BatchOptions`), the result records :class:`Report`,
:class:`Cell`, :class:`CellKey`, :class:`ReportWarning`, :class:`Meta`, a
dataset of many reports (:func:`to_frame`, a pandas DataFrame; :func:`write_table`,
CSV, Parquet or Excel: one row per report, one column per cell), and the
errors (:class:`GixmlError` and its subclasses). Nothing heavy is imported
until one of them is used.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

_LAZY = {
    "extract": "gixml.pipeline",
    "extract_text": "gixml.pipeline",
    "extract_many": "gixml.batch",
    "to_frame": "gixml.dataset",
    "write_table": "gixml.dataset",
    "BatchOptions": "gixml.batch",
    "BatchResult": "gixml.batch",
    "Report": "gixml.report",
    "Cell": "gixml.records",
    "CellKey": "gixml.records",
    "Meta": "gixml.records",
    "ReportWarning": "gixml.records",
    "GixmlError": "gixml.errors",
    "UnreadableFileError": "gixml.errors",
    "UnsupportedInputError": "gixml.errors",
    "NotAReportError": "gixml.errors",
    "ModelError": "gixml.errors",
    "MissingDependencyError": "gixml.errors",
    "InputTooLargeError": "gixml.errors",
    "AnnotationError": "gixml.errors",
    "ExtractionTimeoutError": "gixml.errors",
}

__all__ = [*_LAZY, "__version__"]

if TYPE_CHECKING:
    from .batch import BatchOptions, BatchResult, extract_many
    from .dataset import to_frame, write_table
    from .errors import (
        AnnotationError,
        ExtractionTimeoutError,
        GixmlError,
        InputTooLargeError,
        MissingDependencyError,
        ModelError,
        NotAReportError,
        UnreadableFileError,
        UnsupportedInputError,
    )
    from .pipeline import extract, extract_text
    from .records import Cell, CellKey, Meta, ReportWarning
    from .report import Report


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gixml' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
