"""Which cells of the two national formats measure the same thing.

The 2019 format (国办公开办函〔2019〕60号, used for the 2019 and 2020 reports) and
the 2021 format (国办公开办函〔2021〕30号, from the 2021 reports on) print the
same requests and appeals tables, except that format 2021 splits （六）其他处理
into three sub-rows. Their active tables differ: the 2021 form counts
regulations issued, repealed and in force, where the 2019 form counted those
newly made, newly published and published in total; it keeps the decisions of
行政许可, 行政处罚 and 行政强制, and drops the item counts, 其他对外管理服务事项
and 政府集中采购. Each key of each format is one of (:data:`RELATIONS`):

- ``same``: the same row and column label in both forms, the same quantity;
- ``sum``: format 2019's single row equals the sum of format 2021's sub-rows
  (``requests.other.*`` = ``other_no_correction`` + ``other_no_fee`` +
  ``other_other``: the three sub-rows divide （六）其他处理);
- ``approximate``: a close quantity under another definition
  (本年新制作数量 against 本年制发件数: documents made against documents made
  and issued);
- ``none``: no counterpart in the other form.

:data:`CROSSWALK` lists every key of both formats with its relation, its
comparable key, and why. :func:`comparable` turns a report's cells into
comparable keys, so that a body's series runs across the change of 2021.
The labels compared are the forms' own, as ``forms.py`` and SCHEMA.md give them;
nothing here is inferred from the data.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .forms import APPEAL_COLS, APPEAL_ROWS, OTHER_SUB_ROWS, REQUEST_COLS, REQUEST_ROWS_BY_FORMAT, cell_keys

Relation = Literal["same", "sum", "approximate", "none"]
RELATIONS: tuple[Relation, ...] = ("same", "sum", "approximate", "none")


@dataclass(frozen=True)
class Link:
    """One key of one format: how it relates to the other format."""

    format: str
    key: str
    relation: Relation
    comparable: str | None  # the comparable key it feeds (None: no counterpart)
    why: str


def _active_links() -> list[Link]:
    same_decisions = "处理决定数量 (2019) and 本年处理决定数量 (2021): the decisions made in the report's year"
    links = []
    for row in ("regulations", "normative_documents"):
        name = "规章" if row == "regulations" else "规范性文件 / 行政规范性文件"
        links += [
            Link("2019", f"active.{row}.new_made", "approximate", f"active.{row}.issued",
                 f"{name}: 本年新制作数量 (made this year) against 2021's 本年制发件数 (made and issued this year)"),
            Link("2021", f"active.{row}.issued", "approximate", f"active.{row}.issued",
                 f"{name}: 本年制发件数 against 2019's 本年新制作数量"),
            Link("2019", f"active.{row}.new_published", "none", None,
                 f"{name}: 本年新公开数量 (published this year) has no column in the 2021 form"),
            Link("2019", f"active.{row}.total_published", "none", None,
                 f"{name}: 对外公开总数量 (the total published) and 2021's 现行有效件数 (the number in force) are "
                 "different quantities"),
            Link("2021", f"active.{row}.repealed", "none", None, f"{name}: 本年废止件数 is new in the 2021 form"),
            Link("2021", f"active.{row}.in_force", "none", None,
                 f"{name}: 现行有效件数 (the number in force) is not 2019's 对外公开总数量 (the total published)"),
        ]
    for row, name in (("licensing", "行政许可"), ("penalties", "行政处罚"), ("enforcement", "行政强制")):
        links += [Link(fmt, f"active.{row}.decisions", "same", f"active.{row}.decisions", f"{name}: {same_decisions}")
                  for fmt in ("2019", "2021")]
    for row, name in (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项"), ("penalties", "行政处罚"),
                      ("enforcement", "行政强制"), ("fees", "行政事业性收费")):
        links += [Link("2019", f"active.{row}.{col}", "none", None,
                       f"{name}: {label} (items, not decisions) has no column in the 2021 form")
                  for col, label in (("previous", "上一年项目数量"), ("change", "本年增/减"))]
    links += [
        Link("2019", "active.other_services.decisions", "none", None, "其他对外管理服务事项 is not in the 2021 form"),
        Link("2019", "active.fees.decisions", "none", None,
             "行政事业性收费: 处理决定数量 (a column some 2019 reports add) has no 2021 counterpart"),
        Link("2021", "active.fees.amount", "none", None,
             "行政事业性收费: 本年收费金额 (万元) is new in the 2021 form; the 2019 form counted fee items"),
        Link("2019", "active.procurement.projects", "none", None, "政府集中采购 is not in the 2021 form"),
        Link("2019", "active.procurement.amount", "none", None, "政府集中采购 is not in the 2021 form"),
    ]
    return links


def _request_links() -> list[Link]:
    links = []
    for row in REQUEST_ROWS_BY_FORMAT["2021"]:
        for col in REQUEST_COLS:
            key = f"requests.{row}.{col}"
            if row in OTHER_SUB_ROWS:
                links.append(Link("2021", key, "sum", f"requests.other.{col}",
                                  "（六）其他处理: the three sub-rows of the 2021 form divide 2019's single row; their "
                                  "sum is comparable"))
            else:
                links += [Link(fmt, key, "same", key, "the same row and column of the requests table in both forms")
                          for fmt in ("2019", "2021")]
    for col in REQUEST_COLS:
        key = f"requests.other.{col}"
        links += [Link("2019", key, "same", key, "（六）其他处理, one row"),
                  Link("2021", key, "same", key, "（六）其他处理 printed as one row by a 2021 report")]
    return links


def _appeal_links() -> list[Link]:
    return [Link(fmt, f"appeals.{row}.{col}", "same", f"appeals.{row}.{col}",
                 "the appeals table is the same in both forms")
            for row in APPEAL_ROWS for col in APPEAL_COLS for fmt in ("2019", "2021")]


#: Every key of both formats (with the optional ones), each with its relation to the other format.
CROSSWALK: tuple[Link, ...] = tuple(_active_links() + _request_links() + _appeal_links())
_BY_KEY = {(link.format, link.key): link for link in CROSSWALK}


def link(fmt: str, key: str) -> Link:
    """The crosswalk entry of ``key`` in format ``fmt`` (KeyError if the format has no such key)."""
    return _BY_KEY[(fmt, key)]


def comparable_keys(*, approximate: bool = False) -> tuple[str, ...]:
    """The comparable keys, in SCHEMA.md order: those ``same`` or ``sum`` in
    both formats, and with ``approximate`` the close ones too."""
    wanted = {"same", "sum", "approximate"} if approximate else {"same", "sum"}
    out: list[str] = []
    for fmt in ("2021", "2019"):
        for key in cell_keys(fmt, single_other=fmt == "2021", fees_decisions=fmt == "2019"):
            entry = _BY_KEY[(fmt, str(key))]
            if entry.relation in wanted and entry.comparable and entry.comparable not in out:
                out.append(entry.comparable)
    return tuple(out)


def comparable(cells: Mapping[str, int | float | None], fmt: str | None, *,
               approximate: bool = False) -> dict[str, int | float | None]:
    """A report's cells (key → value, as ``Report.values`` or the JSON's
    ``cells``) under :func:`comparable_keys`. A ``sum`` is null when any of its
    parts is null, unless the report printed the single row itself. Keys the
    report's format cannot fill are null."""
    out: dict[str, int | float | None] = dict.fromkeys(comparable_keys(approximate=approximate))
    if fmt is None:
        return out
    sums: dict[str, list[int | float | None]] = {}
    for key, value in cells.items():
        entry = _BY_KEY.get((fmt, key))
        if entry is None or entry.comparable not in out:
            continue
        if entry.relation == "sum":
            sums.setdefault(entry.comparable, []).append(value)
        else:
            out[entry.comparable] = value
    for key, parts in sums.items():
        if out[key] is None and parts and all(p is not None for p in parts):
            out[key] = sum(parts)  # type: ignore[arg-type]
    return out


def markdown() -> str:
    """The crosswalk as the Markdown table of ``docs/CROSSWALK.md`` (a test keeps the two equal)."""
    lines = [
        "# The crosswalk between the 2019 and 2021 formats",
        "",
        "Made by `python -c 'import gixml.crosswalk as c; print(c.markdown(), end=\"\")' > docs/CROSSWALK.md`",
        "from `gixml/crosswalk.py`; the forms are 国办公开办函〔2019〕60号 (format `2019`) and",
        "国办公开办函〔2021〕30号 (format `2021`), their labels as SCHEMA.md gives them.",
        "`gixml table --comparable exact` writes the `same` and `sum` keys; `--comparable approximate`",
        "adds the `approximate` ones. Counts: " + ", ".join(
            f"{sum(1 for x in CROSSWALK if x.relation == r)} {r}" for r in RELATIONS) + ".",
        "",
        "| format | key | relation | comparable key | why |",
        "| --- | --- | --- | --- | --- |",
    ]
    for x in CROSSWALK:
        lines.append(f"| {x.format} | `{x.key}` | {x.relation} | {f'`{x.comparable}`' if x.comparable else '—'} "
                     f"| {x.why} |")
    return "\n".join(lines) + "\n"
