"""gixml — exact, verifiable data from Chinese government information-disclosure
annual reports (政府信息公开工作年度报告).

    >>> import gixml
    >>> report = gixml.extract("report.txt")          # doctest: +SKIP
    >>> report.to_dict()["cells"]["requests.total.total"]  # doctest: +SKIP

The public API: :func:`extract`, :func:`extract_many` (many files in parallel,
results as they finish, :class:`BatchResult`), the result classes :class:`Report`,
:class:`Cell`, :class:`ReportWarning`, :class:`Meta`, and the errors
(:class:`GixmlError` and subclasses). Nothing heavy is imported here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "extract",
    "extract_many",
    "BatchResult",
    "Report",
    "Cell",
    "Meta",
    "ReportWarning",
    "GixmlError",
    "UnreadableFileError",
    "UnsupportedInputError",
    "NotAReportError",
    "ModelError",
    "MissingDependencyError",
    "InputTooLargeError",
    "__version__",
]

_LAZY = {
    "extract": ("gixml.pipeline", "extract"),
    "extract_many": ("gixml.batch", "extract_many"),
    "BatchResult": ("gixml.batch", "BatchResult"),
    "Report": ("gixml.report", "Report"),
    "Cell": ("gixml.report", "Cell"),
    "Meta": ("gixml.report", "Meta"),
    "ReportWarning": ("gixml.report", "ReportWarning"),
    "GixmlError": ("gixml.errors", "GixmlError"),
    "UnreadableFileError": ("gixml.errors", "UnreadableFileError"),
    "UnsupportedInputError": ("gixml.errors", "UnsupportedInputError"),
    "NotAReportError": ("gixml.errors", "NotAReportError"),
    "ModelError": ("gixml.errors", "ModelError"),
    "MissingDependencyError": ("gixml.errors", "MissingDependencyError"),
    "InputTooLargeError": ("gixml.errors", "InputTooLargeError"),
}

if TYPE_CHECKING:
    from .batch import BatchResult, extract_many
    from .errors import (GixmlError, InputTooLargeError, MissingDependencyError, ModelError, NotAReportError,
                         UnreadableFileError, UnsupportedInputError)
    from .pipeline import extract
    from .report import Cell, Meta, Report, ReportWarning


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gixml' has no attribute {name!r}")
