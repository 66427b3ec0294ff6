"""Render a report whose values we know into the documents offices publish.

A report (:class:`ZooReport`: its format, every cell's value, its body and
year) becomes a **document model** (:class:`Block` list: headings, prose, and
tables as grids of :class:`GridCell` with ``rowspan``/``colspan``, each cell
knowing its role and, for a value, its cell key), drawn as the national form
draws the three tables: the 第二十条 sub-tables of 主动公开, the 申请人情况
header over two rows and the nested row groups of 收到和处理申请, the 行政复议 /
行政诉讼 header of the appeals table.

The model is written as

- :func:`to_html`: a web page with a real ``<table>`` (``rowspan``, ``colspan``),
  or, with ``style="inline"``, one whose cells are ``<span>``s printed without
  any separator between them (a common CMS template);
- :func:`to_docx`: a Word document with the same table, merged cells and all
  (python-docx); LibreOffice turns it into a PDF (``convert.py``).

Everything varies with a seeded ``random.Random``: label wrapping, fonts,
column widths, blank cells, prose around the tables, a signature. Because
each value cell carries its key, what a converter prints can be checked (and,
later, labelled) against what was rendered.
"""
from __future__ import annotations

import html
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gixml.training.synth import (
    _PLACES,
    _SENTENCES,
    _SUBSECTIONS,
    ACTIVE,
    APPEAL_COLS,
    APPEAL_ROWS,
    REQUEST_COLS,
    random_cells,
    request_rows,
)

from gixml.records import CellKey
from gixml.tables.prior import DEFAULT_COLUMN, ValuePrior, load_value_prior

Role = Literal["title", "header", "label", "value", "blank"]
Value = int | float | None


@dataclass(frozen=True)
class ZooReport:
    """A report whose every value is known: from hand-checked truth, or synthetic."""

    name: str
    format: str
    cells: dict[str, Value]
    organization: str
    year: int
    origin: Literal["seed", "corpus", "synthetic"]


@dataclass
class GridCell:
    text: str
    role: Role
    key: str | None = None  # the cell key of a value
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Block:
    kind: Literal["heading", "prose", "table", "signature", "furniture"]
    text: str = ""  # (furniture: the running head printed at the top of each page)
    rows: list[list[GridCell]] = field(default_factory=list)
    width: int = 0  # a table's columns
    pages: str = ""  # furniture: the page number at the foot of each page, {n} the page, {m} the pages


#: Page numbers as offices print them at the foot of a page (never a bare
#: number, nor ``3/5``: the alignment could not tell them from value cells).
PAGE_NUMBERS = ("- {n} -", "—{n}—", "第 {n} 页", "第{n}页 共{m}页")


# ---------------------------------------------------------------- reports
def truth_reports(truth_dir: Path, origin: Literal["seed", "corpus"]) -> Iterator[ZooReport]:
    """The reports of a folder of truth files (``*.json`` as in ``../shared/truth``)."""
    for path in sorted(truth_dir.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        meta = truth.get("meta") or {}
        yield ZooReport(path.stem, truth["format"], dict(truth["cells"]), meta.get("organization") or "某某人民政府",
                        int(meta.get("year") or (2020 if truth["format"] == "2019" else 2022)), origin)


def prior_value(rng: random.Random, prior: ValuePrior, fmt: str, row: str, col: str) -> int | float:
    """A value for an active-table cell drawn from the value prior: zero with
    the column's share of zeros, else 10 to a normal power (its mean and
    spread of log10); amounts sometimes with decimals, changes sometimes negative."""
    zero, mean, spread = prior.columns.get((fmt, row, col, None), DEFAULT_COLUMN)
    if rng.random() < zero:
        return 0
    value = 10 ** rng.gauss(mean, spread)
    if col == "amount" and rng.random() < 0.5:
        return round(min(value, 1e7), rng.choice([1, 2, 4])) or 0
    out = max(1, min(int(round(value)), 10**6))
    return -out if col == "change" and rng.random() < 0.3 else out


def synthetic_reports(n: int, fmt: str, *, seed: int) -> list[ZooReport]:
    """``n`` reports whose values satisfy the form's identities
    (``synth.random_cells``), the active table's drawn from the shipped value
    prior (``prior_value``): what real reports print, zeros and all."""
    rng = random.Random(f"zoo-synthetic-{fmt}-{seed}")
    prior = load_value_prior()
    out = []
    for i in range(n):
        cells = {str(k): v for k, v in random_cells(rng, fmt).items()}
        for key in [k for k in cells if k.startswith("active.")]:
            key_ = CellKey.parse(key)
            cells[key] = prior_value(rng, prior, fmt, key_.row, key_.col)
        body = "".join(rng.sample(_PLACES, 2)) + rng.choice(["区人民政府", "县人民政府", "市财政局", "镇人民政府",
                                                             "市公安局", "县教育局", "区卫生健康委员会"])
        year = rng.choice([2019, 2020]) if fmt == "2019" else rng.randint(2021, 2025)
        out.append(ZooReport(f"synthetic-{fmt}-{seed}-{i:04d}", fmt, cells, body, year, "synthetic"))
    return out


# ---------------------------------------------------------------- the model
def _value_text(v: Value, blank: str) -> str:
    if v is None:
        return blank
    return str(v)  # (never rounded: a float prints every digit it holds)


def _wrapped(label: str, rng: random.Random, p: float) -> str:
    """Sometimes a long label wraps inside its cell (a line break in the cell)."""
    if len(label) > 8 and rng.random() < p:
        cut = rng.randint(4, len(label) - 3)
        return label[:cut] + "\n" + label[cut:]
    return label


def _value(report: ZooReport, key: CellKey, blank: str) -> GridCell:
    v = report.cells.get(str(key))
    return GridCell(_value_text(v, blank), "blank" if v is None else "value", str(key))


def active_table(report: ZooReport, rng: random.Random, blank: str, wrap: float) -> Block:
    width = 4
    rows: list[list[GridCell]] = []
    for title, header, items, cols in ACTIVE[report.format]:
        # the form's columns, and any other the report prints (2019's 行政事业性收费 with 处理决定数量)
        extra = [c for c in ("decisions",) if c not in cols and any(f"active.{key}.{c}" in report.cells
                                                                   for _, key in items)]
        present, header = cols + extra, header + ["处理决定数量"] * len(extra)
        rows.append([GridCell(title, "title", colspan=width)])
        head = [GridCell(header[0], "header")] + [GridCell(_wrapped(h, rng, wrap), "header") for h in header[1:]]
        if len(head) < width:
            head[-1].colspan = width - len(head) + 1
        rows.append(head)
        for label, key in items:
            row = [GridCell(_wrapped(label, rng, wrap), "label")]
            row += [_value(report, CellKey("active", key, c), blank) for c in present]
            if len(row) < width:
                row[-1].colspan = width - len(row) + 1
            rows.append(row)
    return Block("table", rows=rows, width=width)


def requests_table(report: ZooReport, rng: random.Random, blank: str, wrap: float) -> Block:
    width = 3 + len(REQUEST_COLS)
    rows: list[list[GridCell]] = [
        [GridCell(rng.choice(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", ""]), "header",
                  colspan=3, rowspan=3),
         GridCell("申请人情况", "header", colspan=7)],
        [GridCell("自然人", "header", rowspan=2), GridCell("法人或其他组织", "header", colspan=5),
         GridCell("总计", "header", rowspan=2)],
        [GridCell(h, "header") for h in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    spec = request_rows(report.format)
    results = [i for i, (_, key) in enumerate(spec) if key not in ("new_received", "carried_over", "carried_forward")]
    groups: dict[int, int] = {}  # row index → rows its sub-group label spans
    i = 0
    while i < len(spec):
        parts, _ = spec[i]
        if len(parts) >= 2 and parts[-2].startswith("（"):
            n = 1
            while i + n < len(spec) and len(spec[i + n][0]) == 1 and spec[i + n][0][0][0].isdigit():
                n += 1
            groups[i] = n
            i += n
        else:
            i += 1
    in_group = 0
    for i, (parts, key) in enumerate(spec):
        row: list[GridCell] = []
        if key in ("new_received", "carried_over", "carried_forward"):
            row.append(GridCell(_wrapped(parts[-1], rng, wrap), "label", colspan=3))
        else:
            if i == results[0]:
                row.append(GridCell("三、本年度办理结果", "label", rowspan=len(results)))
            if i in groups:
                row.append(GridCell(_wrapped(parts[-2], rng, wrap), "label", rowspan=groups[i]))
                in_group = groups[i]
                row.append(GridCell(_wrapped(parts[-1], rng, wrap), "label"))
            elif in_group > 0:
                row.append(GridCell(_wrapped(parts[-1], rng, wrap), "label"))
            else:
                row.append(GridCell(_wrapped(parts[-1], rng, wrap), "label", colspan=2))
            in_group -= 1 if in_group > 0 else 0
        row += [_value(report, CellKey("requests", key, c), blank) for c in REQUEST_COLS]
        rows.append(row)
    return Block("table", rows=rows, width=width)


def appeals_table(report: ZooReport, rng: random.Random, blank: str) -> Block:
    width = 15
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [
        [GridCell("行政复议", "header", colspan=5), GridCell("行政诉讼", "header", colspan=10)],
        [GridCell(h, "header", rowspan=2) for h in results]
        + [GridCell("未经复议直接起诉", "header", colspan=5), GridCell("复议后起诉", "header", colspan=5)],
        [GridCell(h, "header") for h in results * 2],
        [_value(report, CellKey("appeals", r, c), blank) for r in APPEAL_ROWS for c in APPEAL_COLS],
    ]
    return Block("table", rows=rows, width=width)


def document(report: ZooReport, rng: random.Random) -> list[Block]:
    """The report as headings, prose and the three tables."""
    blank = rng.choice(["/", "—", "－", ""]) if rng.random() < 0.3 else "/"
    wrap = rng.choice([0.0, 0.0, 0.3, 0.7])
    year, body = report.year, report.organization

    def prose(n: int) -> list[Block]:
        return [Block("prose", rng.choice(_SENTENCES).format(y=year, n=rng.randint(10, 3000), m=rng.randint(1, 99),
                                                              u=body[-4:], b=body)) for _ in range(n)]

    blocks = [Block("heading", f"{body}{year}年政府信息公开工作年度报告")] + prose(rng.randint(1, 2))
    blocks.append(Block("heading", "一、总体情况"))
    for sub in rng.sample(_SUBSECTIONS, rng.randint(0, 3)):
        blocks += [Block("heading", sub)] + prose(rng.randint(1, 2))
    blocks.append(Block("heading", "二、主动公开政府信息情况"))
    blocks.append(active_table(report, rng, blank, wrap))
    blocks.append(Block("heading", "三、收到和处理政府信息公开申请情况"))
    blocks.append(requests_table(report, rng, blank, wrap))
    blocks.append(Block("heading", "四、政府信息公开行政复议、行政诉讼情况"))
    blocks.append(appeals_table(report, rng, blank))
    blocks += [Block("heading", "五、存在的主要问题及改进情况")] + prose(rng.randint(1, 3))
    blocks += [Block("heading", "六、其他需要报告的事项")] + prose(rng.randint(1, 2))
    blocks.append(Block("signature", f"{body}\n{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"))
    if rng.random() < 0.6:  # page furniture, printed by the page documents (Word, PDF) only
        head = rng.choice(["", f"{body}{year}年度政府信息公开年报", f"{body}政务公开"])
        # (dashes around a page number only where a blank cell is not a dash: "- 3 -" would be three cells)
        dashes = blank in ("—", "－", "-")
        pages = [p for p in PAGE_NUMBERS if not (dashes and p[0] in "-—")]
        blocks.append(Block("furniture", head, pages=rng.choice(pages)))
    return blocks


def grid(block: Block) -> list[list[tuple[GridCell, bool]]]:
    """A table's cells placed on its grid: (cell, whether this is its top-left corner)
    for every position (rowspans and colspans filled in)."""
    height = len(block.rows)
    placed: list[list[tuple[GridCell, bool] | None]] = [[None] * block.width for _ in range(height)]
    for r, row in enumerate(block.rows):
        c = 0
        for cell in row:
            while c < block.width and placed[r][c] is not None:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if r + dr < height and c + dc < block.width:
                        placed[r + dr][c + dc] = (cell, dr == 0 and dc == 0)
            c += cell.colspan
    return [[p if p is not None else (GridCell("", "blank"), True) for p in row] for row in placed]


# ---------------------------------------------------------------- writers
HtmlStyle = Literal["table", "inline"]
NAV = "首页 > 政府信息公开 > 年度报告"  # a web page's breadcrumb
FOOTER = "网站标识码：1234567890 主办：某某人民政府办公室"


def to_html(blocks: list[Block], rng: random.Random, style: HtmlStyle = "table") -> str:
    """A web page; ``inline`` prints the table cells as spans with nothing between them."""
    font = rng.choice(["宋体", "仿宋_GB2312", "微软雅黑", "SimSun"])
    out = ['<!DOCTYPE html>\n<html><head><meta charset="utf-8">',
           f"<title>{html.escape(blocks[0].text)}</title></head>",
           f'<body style="font-family:{font}"><div class="nav">{html.escape(NAV)}</div>']
    for block in blocks:
        if block.kind == "furniture":
            continue  # (a web page has no pages)
        if block.kind == "heading":
            out.append(f"<h3>{html.escape(block.text)}</h3>" if rng.random() < 0.6
                       else f"<p><strong>{html.escape(block.text)}</strong></p>")
        elif block.kind in ("prose", "signature"):
            out.append("<p>" + "<br>".join(html.escape(t) for t in block.text.split("\n")) + "</p>")
        elif style == "table":
            out.append('<table border="1" cellspacing="0" cellpadding="2">')
            for row in block.rows:
                cells = []
                for cell in row:
                    span = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                        f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
                    text = "<br>".join(html.escape(t) for t in cell.text.split("\n"))
                    cells.append(f'<td{span}><p align="center">{text}</p></td>')
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</table>")
        else:  # inline: cells printed without separators, a row per div
            for row in block.rows:
                out.append("<div>" + "".join(f"<span>{html.escape(c.text.replace(chr(10), ''))}</span>"
                                             for c in row) + "</div>")
    out.append(f'<div class="footer">{html.escape(FOOTER)}</div></body></html>')
    return "\n".join(out)


def to_docx(blocks: list[Block], rng: random.Random, path: Path, size: float | None = None) -> None:
    """A Word document: paragraphs and the tables with their cells merged as
    the form prints them; ``size`` fixes the font size (else drawn: the larger,
    the narrower a label column's lines and the more page breaks)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    # the fonts offices name (a machine without them substitutes one of its own
    # Chinese fonts) and fonts Debian ships (fonts-wqy-*, fonts-arphic-*)
    font = rng.choice(["宋体", "仿宋_GB2312", "SimSun", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing CN",
                       "AR PL UKai CN"])
    drawn = rng.choice([10, 10.5, 12, 14, 16])  # (the larger, the more page breaks inside the tables)
    size = size or drawn
    style = doc.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    section = doc.sections[0]
    section.top_margin = section.bottom_margin = Cm(rng.choice([2.0, 2.54, 3.7]))
    for block in blocks:
        if block.kind == "furniture":
            _page_furniture(section, block)
        elif block.kind == "heading":
            doc.add_paragraph(block.text).runs[0].bold = True
        elif block.kind in ("prose", "signature"):
            for text in block.text.split("\n") if block.kind == "signature" else [block.text]:
                doc.add_paragraph(text)
        else:
            placed = grid(block)
            table = doc.add_table(rows=len(placed), cols=block.width)
            table.style = "Table Grid"
            label_cm = rng.choice([2.0, 2.6, 3.2])
            for r, row in enumerate(placed):
                for c, (cell, corner) in enumerate(row):
                    if not corner:
                        continue
                    target = table.cell(r, c)
                    if cell.rowspan > 1 or cell.colspan > 1:
                        target = target.merge(table.cell(min(r + cell.rowspan, len(placed)) - 1,
                                                          min(c + cell.colspan, block.width) - 1))
                    lines = cell.text.split("\n")
                    target.paragraphs[0].text = lines[0]
                    for more in lines[1:]:
                        target.add_paragraph(more)
            for c, column in enumerate(table.columns):
                if c == 0 and block.width <= 4:
                    column.width = Cm(label_cm)
    doc.save(str(path))


def _page_furniture(section: Any, block: Block) -> None:
    """A running head in the section's header, the page number (Word's PAGE
    and NUMPAGES fields) in its footer."""
    import re

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if block.text:
        section.header.paragraphs[0].text = block.text
        section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in re.split(r"(\{[nm]\})", block.pages):
        if part in ("{n}", "{m}"):
            run = foot.add_run()
            for kind, text in (("begin", None), (None, "PAGE" if part == "{n}" else "NUMPAGES"), ("end", None)):
                if kind:
                    char = OxmlElement("w:fldChar")
                    char.set(qn("w:fldCharType"), kind)
                    run._r.append(char)
                else:
                    instr = OxmlElement("w:instrText")
                    instr.set(qn("xml:space"), "preserve")
                    instr.text = text
                    run._r.append(instr)
        elif part:
            foot.add_run(part)
