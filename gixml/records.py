"""The records every stage shares: cell keys, cells, warnings, metadata, and their vocabularies.

- :class:`CellKey` names a cell of the national form, ``CellKey("requests",
  "total", "total")``; ``str(key)`` is its SCHEMA key ``"requests.total.total"``,
  the key of the JSON output.
- :class:`Cell` is one cell's value and where it came from; :class:`ReportWarning`
  something the reader of the numbers must know; :class:`Meta` who published
  the report, for which year, when.
- The words these records use are ``Literal`` types: :data:`CellMethod`,
  :data:`CellFlag`, :data:`WarningCode`, :data:`ReportStatus`.

:func:`fast_init` gives the most numerous frozen records (tokens, lines,
labelled lines, cells) a faster constructor.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

T = TypeVar("T", bound=type)


def fast_init(cls: T) -> T:
    """Give a frozen, slotted dataclass a faster ``__init__`` (a class decorator,
    placed above ``@dataclass(frozen=True, slots=True)``).

    A report makes about 700 tokens, lines, labelled lines and cells. A frozen
    dataclass's own ``__init__`` sets each field with ``object.__setattr__``;
    this one stores each field through its slot's descriptor, three times
    faster. Measured on the whole batch (``benchmarks/compare.py``, 600 text
    reports, median of 4 runs, 2026-12-03): without it a batch takes 1.14× as
    long. Everything else stays the dataclass's own: fields, defaults, ``==``,
    ``hash``, ``repr``, ``dataclasses.replace``, pickling and the
    ``FrozenInstanceError`` on assignment (``tests/test_fast_paths.py`` builds
    each class both ways and compares).
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"fast_init needs a frozen dataclass with slots, not {cls.__name__}")
    fields = [f for f in dataclasses.fields(cls) if f.init]
    if any(f.default_factory is not dataclasses.MISSING or not f.name.isidentifier() for f in fields) \
            or getattr(cls, "__post_init__", None) is not None or len(fields) != len(dataclasses.fields(cls)):
        raise TypeError(f"fast_init handles plain fields with plain defaults only ({cls.__name__})")
    namespace: dict[str, Any] = {}
    arguments, body = [], []
    for f in fields:
        if f.default is dataclasses.MISSING:
            arguments.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            arguments.append(f"{f.name}=_default_{f.name}")
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__  # the slot's member descriptor
        body.append(f"    _set_{f.name}(self, {f.name})")
    # As dataclasses does for its own __init__: source built from the class's
    # own field names, the setters as globals of the generated function.
    source = f"def __init__(self, {', '.join(arguments)}):\n" + "\n".join(body or ["    pass"]) + "\n"
    exec(source, namespace)  # noqa: S102
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    setattr(cls, "__init__", init)
    return cls


class CellKey(str):
    """A cell of the national form: ``CellKey("requests", "total", "total")``.

    It *is* its SCHEMA key, the string ``"requests.total.total"`` (it compares,
    hashes and prints as that string, so ``report.cells["requests.total.total"]``
    and ``"requests.total.total" in warning.cells`` work), and it names its
    parts: ``key.table``, ``key.row``, ``key.col``. Build one from its parts,
    or :meth:`parse` a key read back from JSON; never by joining strings.
    """

    table: str
    row: str
    col: str

    def __new__(cls, table: str, row: str, col: str) -> CellKey:
        key = super().__new__(cls, f"{table}.{row}.{col}")
        key.table, key.row, key.col = table, row, col
        return key

    def __getnewargs__(self) -> tuple[str, str, str]:  # type: ignore[override]
        return (self.table, self.row, self.col)

    def __repr__(self) -> str:
        return f"CellKey({self.table!r}, {self.row!r}, {self.col!r})"

    @classmethod
    def parse(cls, key: str) -> CellKey:
        """``"requests.total.total"`` → ``CellKey("requests", "total", "total")``."""
        parts = key.split(".")
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"{key!r} is not a cell key TABLE.ROW.COL")
        return cls(*parts)


#: How a cell's value was read, from the surest path to none:
#: ``rule`` (the assembler's rules matched exactly), ``model`` (the same, on a
#: line the classifier labelled), ``order`` (a row of values without its
#: label, placed by the form's row order), ``identity`` (a glued digit run
#: split by the form's identities), ``prior`` (a glued run split by the value
#: prior) or ``absent`` (nothing printed, or nothing that could be read).
CellMethod = Literal["rule", "model", "order", "identity", "prior", "absent"]

#: What a reader must check: ``low_confidence`` (read by a weaker path),
#: ``failed_identity`` (in an identity that does not add up), ``undetermined``
#: (printed but not readable; the value is null).
CellFlag = Literal["low_confidence", "failed_identity", "undetermined"]
LOW_CONFIDENCE: CellFlag = "low_confidence"
FAILED_IDENTITY: CellFlag = "failed_identity"
UNDETERMINED: CellFlag = "undetermined"

#: The report's status: every table read, a table or cells missing, or no table at all.
ReportStatus = Literal["complete", "partial", "not_a_report"]

#: The codes of :class:`ReportWarning` (README's table says what each means).
WarningCode = Literal[
    "identity", "row_width", "glued_cells", "glued_cells_ambiguous", "ambiguous_row", "duplicate_row",
    "stray_values", "row_not_in_format", "cells_not_in_format", "format_mixed", "format_from_year",
    "table_missing", "table_without_data", "decoding", "not_a_report", "long_line", "beside_undetermined",
    "order_uncertain", "wrapped_cells", "order_lost", "prose_mismatch", "read_by_ocr",
]


@fast_init
@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a table: its value and where it came from.

    ``line`` is the 1-based line of the input the value was read from,
    ``source`` that line as printed and ``printed`` the characters of the value
    in it (``span`` gives their offsets); ``method`` says which path read it
    (see :data:`CellMethod`) and ``confidence`` how sure that path is. A cell
    a narrow column printed over two lines (``1`` / ``2`` for 12; a
    ``wrapped_cells`` warning names it and both lines) cites its first line
    and first piece.
    """

    key: CellKey
    value: int | float | None
    unit: str | None = None
    line: int | None = None
    source: str | None = None
    printed: str | None = None
    span: tuple[int, int] | None = None
    confidence: float = 0.0
    method: CellMethod = "absent"
    flags: tuple[CellFlag, ...] = ()

    @property
    def table(self) -> str:
        return self.key.table

    @property
    def row(self) -> str:
        return self.key.row

    @property
    def col(self) -> str:
        return self.key.col

    def flagged(self, *flags: CellFlag, confidence: float | None = None) -> Cell:
        """This cell with ``flags`` added (and a new confidence)."""
        return dataclasses.replace(self, flags=self.flags + flags,
                                   confidence=self.confidence if confidence is None else confidence)


@dataclass(frozen=True)
class ReportWarning:
    """Something the reader of the numbers must know.

    ``code`` is stable and machine-readable (:data:`WarningCode`); for a failed
    identity ``left`` and ``right`` are the two sides as printed; ``cells`` are
    the cells involved and ``lines`` the input lines to look at.
    """

    code: WarningCode
    message: str
    cells: tuple[CellKey, ...] = ()
    left: int | float | None = None
    right: int | float | None = None
    lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Meta:
    """The report's organization (as the title or signature prints it), the year
    it reports on, and the date it was published (under the signature, else the
    web page's date), ISO formatted."""

    organization: str | None = None
    year: int | None = None
    published: str | None = None


@dataclass(frozen=True)
class Statement:
    """A table figure the report's prose states ("共收到政府信息公开申请35件"):
    ``what`` it counts, the cells whose sum it restates (``keys``), the
    ``value`` printed, its ``line``, the ``span`` and ``printed`` characters of
    the number in that line, the ``phrase`` that states it as printed
    ("收到政府信息公开申请35件"), and ``table``, the sum of those cells as read
    (None until checked, or when a cell is blank or missing)."""

    what: str
    keys: tuple[CellKey, ...]
    value: int
    line: int
    span: tuple[int, int]
    printed: str
    phrase: str = ""
    table: int | float | None = None

    @property
    def agrees(self) -> bool | None:
        """Whether the prose and the table agree (None when the table's side is not known)."""
        return None if self.table is None else self.table == self.value
