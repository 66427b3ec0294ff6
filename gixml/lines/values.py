"""Reading one printed cell: ``"＋30"`` → 30, ``"78104.6元"`` → (78104.6, "元"), ``"/"`` → blank.

Works on normalised text (full-width forms already folded, see
``normalise.py``) but folds again, so it is safe on raw text too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..forms import CELL_UNIT_PATTERN
from .normalise import fold_text

NUMBER_RE = re.compile(rf"^(?P<sign>[+-]?)(?P<num>\d+(?:\.\d+)?)(?P<unit>{CELL_UNIT_PATTERN})?$")
BLANK_RE = re.compile(r"^[/\\—–―\-_]{1,3}$")
#: A run of more digits is not a cell, nor a row of cells glued together (a
#: glued row of the requests table has under 50; the longest in the corpus, 17).
#: Longer runs stay text: no float holds 10**309, no int is read from 4,301 digits.
MAX_DIGITS = 100
# A unit stated for a whole column: （单位：万元）, (单位:元).
HEADER_UNIT_RE = re.compile(r"单位[:：]?\s*(?P<unit>万元|元|亿元|千元)")


@dataclass(frozen=True)
class Parsed:
    """A parsed cell: its value (None for a blank), the unit printed with it, and
    the digits as printed (without sign or unit) for digit-level reasoning."""

    value: int | float | None
    unit: str | None
    digits: str


def parse_value(text: str) -> Parsed | None:
    """Parse a printed cell; ``None`` when ``text`` is not a cell at all.

    >>> parse_value("＋30")
    Parsed(value=30, unit=None, digits='30')
    >>> parse_value("-18").value
    -18
    >>> parse_value("45.82万元")
    Parsed(value=45.82, unit='万元', digits='45.82')
    >>> parse_value("—")
    Parsed(value=None, unit=None, digits='')
    """
    if text.isdigit() and text.isascii() and len(text) <= MAX_DIGITS:  # the common case: plain ASCII digits
        return Parsed(int(text), None, text)
    if len(text) > 2 * MAX_DIGITS + 8:  # too long to be one cell (a chunk of prose): not folded for nothing
        return None
    s = (text if text.isascii() else fold_text(text)).strip()
    if not s:
        return None
    if BLANK_RE.match(s):
        return Parsed(None, None, "")
    m = NUMBER_RE.match(s)
    if not m:
        return None
    num = m.group("num")
    if len(num) > MAX_DIGITS:
        return None
    value: int | float = float(num) if "." in num else int(num)
    if m.group("sign") == "-":
        value = -value
    return Parsed(value, m.group("unit"), num)


def header_unit(text: str) -> str | None:
    """The unit a column header states: ``采购总金额（单位：万元）`` → ``万元``."""
    m = HEADER_UNIT_RE.search(text)
    return m.group("unit") if m else None
