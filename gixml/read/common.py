"""What the readers of originals share: their optional library, and a table cell as one field.

The libraries are optional extras (``pip install 'gixml[pdf]'``, ``[docx]``,
``[html]``, or ``[all]``) imported only when such a file is read;
:class:`~gixml.errors.MissingDependencyError` says which to install.
"""
from __future__ import annotations

import importlib
import re
from types import ModuleType

from ..errors import MissingDependencyError

_CELL_SPACE = re.compile(r"\s+")


def need(module: str, extra: str, what: str, path: str | None) -> ModuleType:
    """Import an optional library, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(f"is {what}; reading it needs the optional package {module.split('.')[0]}: "
                                     f"pip install 'gixml[{extra}]'", path=path) from None


def cell_text(text: str | None) -> str:
    """A table cell as one field: its lines joined (a label wrapped in its cell), spaces kept single."""
    if not text:
        return ""
    return _CELL_SPACE.sub(" ", "".join(part.strip() for part in text.splitlines())).strip()


def single_spaced(text: str) -> str:
    """Runs of white space as one space, the ends stripped."""
    return _CELL_SPACE.sub(" ", text).strip()
