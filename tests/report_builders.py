"""Build a report's original (a Word document, a web page) from its truth, with
the official tables laid out the way offices make them: merged header cells,
row-group labels merged down their rows, labels merged across columns.

One abstract grid serves both: a table is a list of rows; a row is a list of
``Place(text, row, col, rowspan, colspan)``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from gixml.training.synth import ACTIVE, APPEAL_COLS, APPEAL_ROWS, REQUEST_COLS, request_rows


@dataclass(frozen=True)
class Place:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Grid:
    rows: int
    cols: int
    places: tuple[Place, ...]


def _value(v: Any, blank: str) -> str:
    if v is None:
        return blank
    if isinstance(v, float):
        return repr(v) if v != int(v) else f"{v:.2f}"
    return str(v)


def active_grids(cells: dict[str, Any], fmt: str, blank: str) -> list[tuple[str, Grid]]:
    out = []
    for title, header, rows, cols in ACTIVE[fmt]:
        cols = list(cols)
        header = list(header)
        if fmt == "2019" and rows[0][1] == "fees" and "active.fees.decisions" in cells:
            cols.append("decisions")
            header.append("处理决定数量")
        places = [Place(h, 0, j) for j, h in enumerate(header)]
        for i, (label, key) in enumerate(rows, start=1):
            places.append(Place(label, i, 0))
            places += [Place(_value(cells.get(f"active.{key}.{c}"), blank), i, j) for j, c in enumerate(cols, start=1)]
        out.append((title, Grid(len(rows) + 1, len(header), tuple(places))))
    return out


def requests_grid(cells: dict[str, Any], fmt: str, blank: str) -> Grid:
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    places = [Place(note, 0, 0, rowspan=3, colspan=3), Place("申请人情况", 0, 3, colspan=7),
              Place("自然人", 1, 3, rowspan=2), Place("法人或其他组织", 1, 4, colspan=5), Place("总计", 1, 9, rowspan=2)]
    places += [Place(h, 2, 4 + j) for j, h in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])]
    rows = request_rows(fmt)
    r = 3
    results_rows = [i for i, (parts, key) in enumerate(rows) if key not in ("new_received", "carried_over",
                                                                              "carried_forward")]
    first_result, last_result = 3 + results_rows[0], 3 + results_rows[-1]
    places.append(Place("三、本年度办理结果", first_result, 0, rowspan=last_result - first_result + 1))
    subgroup_rows: dict[str, list[int]] = {}
    current = ""
    for parts, key in rows:
        label = parts[-1]
        if key in ("new_received", "carried_over", "carried_forward"):
            places.append(Place(label, r, 0, colspan=3))
        elif label.startswith(("1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.")):
            if len(parts) > 1 and not parts[0].startswith("三"):
                current = parts[0]
            subgroup_rows.setdefault(current, []).append(r)
            places.append(Place(label, r, 2))
        else:
            current = ""
            places.append(Place(label, r, 1, colspan=2))
        places += [Place(_value(cells.get(f"requests.{key}.{c}"), blank), r, 3 + j) for j, c in enumerate(REQUEST_COLS)]
        r += 1
    for name, members in subgroup_rows.items():
        places.append(Place(name, members[0], 1, rowspan=len(members)))
    return Grid(r, 10, tuple(places))


def appeals_grid(cells: dict[str, Any], blank: str) -> Grid:
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    places = [Place("行政复议", 0, 0, colspan=5), Place("行政诉讼", 0, 5, colspan=10)]
    places += [Place(h, 1, j, rowspan=2) for j, h in enumerate(heads)]
    places += [Place("未经复议直接起诉", 1, 5, colspan=5), Place("复议后起诉", 1, 10, colspan=5)]
    places += [Place(h, 2, 5 + j) for j, h in enumerate(heads * 2)]
    values = [_value(cells.get(f"appeals.{r}.{c}"), blank) for r in APPEAL_ROWS for c in APPEAL_COLS]
    places += [Place(v, 3, j) for j, v in enumerate(values)]
    return Grid(4, 15, tuple(places))


PROSE = ("本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
         "全年主动公开政府信息，及时回应社会关切。", "下一步，将持续加强制度建设，提升政务公开标准化规范化水平。")


def blocks(truth: dict[str, Any], blank: str) -> list[tuple[str, Any]]:
    """The report as ('p', text) and ('table', Grid) blocks, in order."""
    cells, fmt = truth["cells"], truth["format"]
    year = (truth.get("meta") or {}).get("year") or 2020
    org = (truth.get("meta") or {}).get("organization") or "某某区人民政府"
    out: list[tuple[str, Any]] = [("p", f"{org}{year}年政府信息公开工作年度报告"), ("p", PROSE[0].format(y=year)),
                                  ("p", "一、总体情况"), ("p", PROSE[1]), ("p", "二、主动公开政府信息情况")]
    for title, grid in active_grids(cells, fmt, blank):
        out += [("p", title), ("table", grid)]
    out += [("p", "三、收到和处理政府信息公开申请情况"), ("table", requests_grid(cells, fmt, blank)),
            ("p", "四、政府信息公开行政复议、行政诉讼情况"), ("table", appeals_grid(cells, blank)),
            ("p", "五、存在的主要问题及改进情况"), ("p", PROSE[2]), ("p", "六、其他需要报告的事项"), ("p", "无。"),
            ("p", org), ("p", f"{year + 1}年1月20日")]
    return out


def build_docx(truth: dict[str, Any], path: Any) -> None:
    import docx

    document = docx.Document()
    for kind, item in blocks(truth, ""):
        if kind == "p":
            document.add_paragraph(item)
            continue
        table = document.add_table(rows=item.rows, cols=item.cols)
        table.style = "Table Grid"
        for place in item.places:
            cell = table.cell(place.row, place.col)
            if place.rowspan > 1 or place.colspan > 1:
                cell = cell.merge(table.cell(place.row + place.rowspan - 1, place.col + place.colspan - 1))
            cell.text = place.text
    document.save(str(path))


def build_html(truth: dict[str, Any], *, encoding: str = "gbk") -> bytes:
    """A saved web page: GBK by default, the report inside a layout table, scripts and styles."""
    parts = [f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">',
             "<title>政府信息公开工作年度报告</title><style>td{border:1px solid}</style>",
             "<script>var x = '<td>1</td>';</script></head><body><div class=nav>首页 &gt; 政务公开</div>",
             "<table class=layout><tr><td><div class=content>"]
    for kind, item in blocks(truth, "/"):
        if kind == "p":
            parts.append(f"<p>{html.escape(item)}</p>")
            continue
        parts.append("<table border=1>")
        by_row: dict[int, list[Place]] = {}
        for place in item.places:
            by_row.setdefault(place.row, []).append(place)
        for r in range(item.rows):
            parts.append("<tr>")
            for place in sorted(by_row.get(r, []), key=lambda p: p.col):
                span = (f' rowspan="{place.rowspan}"' if place.rowspan > 1 else "") + \
                       (f' colspan="{place.colspan}"' if place.colspan > 1 else "")
                parts.append(f"<td{span}><p>{html.escape(place.text)}</p></td>")
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</div></td></tr></table><div class=footer>网站标识码 123</div></body></html>")
    return "\n".join(parts).encode(encoding)
