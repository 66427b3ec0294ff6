"""gixml's errors: one hierarchy, each message naming the file and the problem."""
from __future__ import annotations


class GixmlError(Exception):
    """Base class: every error gixml raises on purpose is one of these."""

    def __init__(self, message: str, *, path: str | None = None):
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class UnreadableFileError(GixmlError):
    """The file cannot be opened or its bytes cannot be decoded as text."""


class UnsupportedInputError(GixmlError):
    """The input is of a kind gixml does not read (a binary file, an unknown format)."""


class MissingDependencyError(UnsupportedInputError):
    """Reading this kind of file needs an optional package that is not installed
    (``pip install 'gixml[pdf]'``, ``[docx]``, ``[html]``, ``[dask]``)."""


class InputTooLargeError(UnsupportedInputError):
    """The input holds far more text than any annual report (gixml reads at most
    ``gixml.read.document.MAX_TEXT_CHARS`` characters): a whole site or archive saved as one file?"""


class NotAReportError(GixmlError):
    """The text holds none of the three tables of an annual report."""


class ModelError(GixmlError):
    """A shipped or trained model (the line classifier, the value prior) is missing, damaged,
    has no card, or was made for another label set, feature or prior version."""


class AnnotationError(GixmlError):
    """An annotation file is malformed, or no longer matches its source (``gixml train``)."""


class ExtractionTimeoutError(GixmlError):
    """Extracting one input took longer than its time limit (``gixml batch
    --timeout``): the input is recorded as an error and the batch goes on."""


class ConfigurationError(GixmlError, ValueError):
    """A setting (an argument or an environment variable) names something gixml does not have."""
