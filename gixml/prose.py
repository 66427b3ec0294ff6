"""Figures the report's prose states, checked against its tables.

The overview usually restates a few figures of the tables:
"共收到政府信息公开申请35件", "予以公开18件、部分公开3件", "行政复议2件". This
module finds such statements on the prose lines (never on table lines), each
with its line and the characters of its number, says which cells it restates
(:data:`PATTERNS`: a statement may restate a sum, as 不予公开 does the eight
denied rows), and compares it with those cells once the tables are read. A
disagreement is a ``prose_mismatch`` warning citing both the prose line and
the cells' lines; nothing is changed: the report is reported as printed.

A statement is not read where its clause (the text between two of ，。；)
speaks of another year ("2020年…受理…申请21件" in a 2021 report), compares
("较上年", "同比", "累计"), plans ("下一步", "力争", "计划"), or speaks of an
area's bodies together ("全市", "全区", "各级": the table is usually the one
body's own), because those figures are not the table's. Table lines are not
read, except a line holding a sentence (a 。) or a whole web page on one line.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from .forms import REQUEST_ROWS_BY_FORMAT
from .lines.labels import TABLE_LABELS, LabelledLine
from .records import Cell, CellKey, ReportWarning, Statement

_NUMBER = r"\s*(\d{1,7})\s*"
_COUNT = _NUMBER + r"[件起个]"


def _requests(rows: Iterable[str]) -> tuple[CellKey, ...]:
    return tuple(CellKey("requests", row, "total") for row in rows)


_ROWS = REQUEST_ROWS_BY_FORMAT["2021"]
_DENIED = tuple(r for r in _ROWS if r.startswith("denied_"))
_UNAVAILABLE = tuple(r for r in _ROWS if r.startswith("unavailable_"))
_REJECTED = tuple(r for r in _ROWS if r.startswith("rejected_"))

#: (what, pattern whose group 1 is the number, the cells whose sum the statement gives).
#: The first pattern that matches at a place wins (予以公开及部分公开 before 予以公开).
PATTERNS: tuple[tuple[str, re.Pattern[str], tuple[CellKey, ...]], ...] = tuple(
    (what, re.compile(pattern), keys) for what, pattern, keys in (
        ("requests received", r"(?:收到|受理|新收|接收)[^，。；;,\d]{0,30}?(?:公开申请|依申请公开)[^，。；;,\d]{0,6}?"
         + _NUMBER + "件", _requests(["new_received"])),  # 公开申请: not 行政复议申请
        ("granted and partly granted", r"予以公开(?:和|及|与|、)部分公开" + _NUMBER + "件",
         _requests(["granted", "partially_granted"])),
        ("granted", r"(?<!不)予以公开(?:答复)?的?" + _NUMBER + "件", _requests(["granted"])),
        ("partly granted", r"部分公开(?:答复)?的?" + _NUMBER + "件", _requests(["partially_granted"])),
        ("denied", r"不予公开(?:答复)?的?" + _NUMBER + "件", _requests(_DENIED)),
        ("unavailable", r"无法提供(?:答复)?的?" + _NUMBER + "件", _requests(_UNAVAILABLE)),
        ("not handled", r"不予处理(?:答复)?的?" + _NUMBER + "件", _requests(_REJECTED)),
        ("carried over", r"上年结转(?:的)?(?:政府信息公开)?(?:申请)?" + _NUMBER + "件", _requests(["carried_over"])),
        ("carried forward", r"结转(?:至|到)?下(?:一)?年度?(?:继续办理)?(?:的)?" + _NUMBER + "件",
         _requests(["carried_forward"])),
        ("administrative reviews", r"行政复议(?:案件|申请)?" + _COUNT, (CellKey("appeals", "review", "total"),)),
        ("administrative lawsuits", r"行政诉讼(?:案件)?" + _COUNT,
         (CellKey("appeals", "litigation_direct", "total"), CellKey("appeals", "litigation_after_review", "total"))),
    )
)
#: A clause with one of these speaks of another time or of many bodies together: its figures are not read.
NOT_THE_TABLE = re.compile(r"上年(?!结转)|去年|同比|较|累计|以来|全市|全省|全区|全县|全镇|各级|各部门|全国|下一步|力争|计划|预计|目标")
#: A line this long labelled as a table line is a whole page on one line: its prose is read too.
WHOLE_PAGE = 300
_CLAUSE = re.compile(r"[^，。；;,]+")
_YEAR = re.compile(r"(\d{4})\s*年")


def find_statements(labelled: Sequence[LabelledLine], year: int | None) -> list[Statement]:
    """Every statement of a table figure on the prose lines, in the order printed."""
    found: list[Statement] = []
    for ll in labelled:
        text = ll.line.text
        if "\t" in text or (ll.label in TABLE_LABELS and len(text) < WHOLE_PAGE and "。" not in text):
            continue  # a table line (a sentence, or a web page dumped on one line, is read: its clauses are split below)
        if not any(ch in text for ch in "件起个"):
            continue
        for clause in _CLAUSE.finditer(text):
            words = clause.group()
            if NOT_THE_TABLE.search(words) or any(int(y) != year for y in _YEAR.findall(words) if year):
                continue
            taken: list[tuple[int, int]] = []
            for what, pattern, keys in PATTERNS:
                for m in pattern.finditer(words):
                    start, end = clause.start() + m.start(1), clause.start() + m.end(1)
                    if any(a < end and start < b for a, b in taken):
                        continue
                    taken.append((clause.start() + m.start(), clause.start() + m.end()))
                    span = ll.line.raw_span(start, end)
                    phrase = ll.line.raw_span(clause.start() + m.start(), clause.start() + m.end())
                    found.append(Statement(what, keys, int(m.group(1)), ll.line.number, span,
                                           ll.line.raw[span[0]:span[1]], ll.line.raw[phrase[0]:phrase[1]]))
    found.sort(key=lambda s: (s.line, s.span))
    return found


def check_statements(statements: Sequence[Statement], cells: Mapping[CellKey, Cell]
                     ) -> tuple[tuple[Statement, ...], list[ReportWarning]]:
    """Each statement with the sum of its cells as read (``table``: None when
    a cell is missing or blank), and a ``prose_mismatch`` warning for each that
    disagrees. A statement of the same figure twice is compared once."""
    out: list[Statement] = []
    warnings: list[ReportWarning] = []
    said: set[tuple[tuple[CellKey, ...], int]] = set()
    for s in statements:
        got = [cells.get(k) for k in s.keys]
        if any(c is None or c.value is None for c in got):
            out.append(s)
            continue
        table = sum(c.value for c in got)  # type: ignore[misc]
        checked = Statement(s.what, s.keys, s.value, s.line, s.span, s.printed, s.phrase, table)
        out.append(checked)
        if table != s.value and (s.keys, s.value) not in said:
            said.add((s.keys, s.value))
            lines = tuple(sorted({s.line} | {c.line for c in got if c is not None and c.line is not None}))
            what = str(s.keys[0]) if len(s.keys) == 1 else f"the sum of {', '.join(map(str, s.keys))}"
            flagged = sorted({f for c in got if c is not None for f in c.flags})
            doubt = (f"; those cells are flagged {', '.join(flagged)}: the table may be misread rather than the "
                     "report inconsistent" if flagged else "; both are reported as printed")
            warnings.append(ReportWarning(
                "prose_mismatch", f"the text says {s.what} {s.value} (line {s.line}: {s.phrase!r}), but the table "
                f"gives {table} ({what}){doubt}", s.keys, lines=lines))
    return tuple(out), warnings
