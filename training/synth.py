"""Synthetic layouts: a table of values → messy report text, every line labelled.

Real annotations are few and cover the layouts their sources happened to use.
This generator renders a report (title, prose sections, the three tables, a
signature) in layouts beyond them, so the classifier sees more ways a table can
be flattened:

- ``rows``: one row per line, cells separated by spaces or tabs;
- ``cells``: one cell per line (labels and values each on their own line);
- ``wrapped``: long row labels wrapped over 2–3 lines, the values on the first
  or the last line of the label;
- ``pipes``: markdown pipe tables with a rule line;
- ``collapsed``: each table collapsed onto one line, cells separated by spaces
  or glued together (``一、本年新收政府信息公开申请数量801000081``);
- ``vertical``: header cells printed one character per line;

combined with modifiers: page breaks with a running title and a page number
inside a table, full-width digits, blank cells printed ``/``, ``—`` or ``--``,
spaces inside labels (``结 果 维 持``), and prose wrapped at a PDF's line width.

Synthetic documents augment the real annotations for training; evaluation of
line labels is on real documents only. Values satisfy the form's identities
(so glued runs can be split), except where a blank cell is printed.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from gixml.lines.labels import LineLabel as L
from gixml.records import CellKey

LAYOUTS = ("rows", "cells", "wrapped", "pipes", "collapsed", "vertical")

ACTIVE = {
    "2019": [
        ("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("规章", "regulations"), ("规范性文件", "normative_documents")], ["new_made", "new_published", "total_published"]),
        ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", "licensing"), ("其他对外管理服务事项", "other_services")], ["previous", "change", "decisions"]),
        ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政处罚", "penalties"), ("行政强制", "enforcement")], ["previous", "change", "decisions"]),
        ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"],
         [("行政事业性收费", "fees")], ["previous", "change"]),
        ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"],
         [("政府集中采购", "procurement")], ["projects", "amount"]),
    ],
    "2021": [
        ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
         [("规章", "regulations"), ("行政规范性文件", "normative_documents")], ["issued", "repealed", "in_force"]),
        ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [("行政许可", "licensing")], ["decisions"]),
        ("第二十条第（六）项", ["信息内容", "本年处理决定数量"],
         [("行政处罚", "penalties"), ("行政强制", "enforcement")], ["decisions"]),
        ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], [("行政事业性收费", "fees")], ["amount"]),
    ],
}

REQUEST_COLS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"]
REQUEST_HEADER = ["申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
_DENIED = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
           "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]
_DENIED_KEYS = ["state_secret", "prohibited_by_law", "three_safety", "third_party", "internal_affairs",
                "process_info", "enforcement_file", "admin_query"]
_UNAVAILABLE = [("1.本机关不掌握相关政府信息", "not_held"), ("2.没有现成信息需要另行制作", "needs_creation"),
                ("3.补正后申请内容仍不明确", "unclear")]
_REJECTED = [("1.信访举报投诉类申请", "complaint"), ("2.重复申请", "duplicate"), ("3.要求提供公开出版物", "publication"),
             ("4.无正当理由大量反复申请", "excessive"), ("5.要求行政机关确认或重新出具已获取信息", "confirmation")]
_OTHER_2021 = [("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
               ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_no_fee"),
               ("3.其他", "other_other")]


def request_rows(fmt: str) -> list[tuple[list[str], str]]:
    """(label parts, row key): the group labels a row sits under, then its own label."""
    rows: list[tuple[list[str], str]] = [
        (["一、本年新收政府信息公开申请数量"], "new_received"),
        (["二、上年结转政府信息公开申请数量"], "carried_over"),
        (["三、本年度办理结果", "（一）予以公开"], "granted"),
        (["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"], "partially_granted"),
    ]
    rows += [((["（三）不予公开"] if i == 0 else []) + [lab], f"denied_{k}") for i, (lab, k) in
             enumerate(zip(_DENIED, _DENIED_KEYS))]
    rows += [((["（四）无法提供"] if i == 0 else []) + [lab], f"unavailable_{k}") for i, (lab, k) in enumerate(_UNAVAILABLE)]
    rows += [((["（五）不予处理"] if i == 0 else []) + [lab], f"rejected_{k}") for i, (lab, k) in enumerate(_REJECTED)]
    if fmt == "2019":
        rows.append((["（六）其他处理"], "other"))
    else:
        rows += [((["（六）其他处理"] if i == 0 else []) + [lab], k) for i, (lab, k) in enumerate(_OTHER_2021)]
    rows += [(["（七）总计"], "total"), (["四、结转下年度继续办理"], "carried_forward")]
    return rows


APPEAL_HEADER = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                 "未经复议直接起诉", "复议后起诉"]
APPEAL_ROWS = ["review", "litigation_direct", "litigation_after_review"]
APPEAL_COLS = ["upheld", "corrected", "other", "pending", "total"]

_PLACES = "东西南北中新安平永宁丰和顺昌兴泰华阳江河山海湖桥林川城"
_SENTENCES = [
    "{y}年，我{u}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》。",
    "全年通过政府门户网站主动公开政府信息{n}条，其中政策文件{m}件。",
    "本年度共收到政府信息公开申请{n}件，均在法定期限内予以答复。",
    "进一步健全信息发布审核机制，严格落实“三审三校”制度，确保公开信息准确规范。",
    "加强政府网站和政务新媒体日常监管，及时关停更新不及时的账号{m}个。",
    "组织开展政务公开专题培训{m}次，参训人员{n}人次。",
    "政府信息公开工作仍存在公开内容不够全面、解读形式较为单一等问题。",
    "下一步，将持续加强制度建设，提升政务公开标准化规范化水平。",
    "本年度未收取政府信息公开信息处理费。",
    "本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
    "如对本报告有疑问，请与{b}办公室联系（电话：0{m}-{n}）。",
]
_SUBSECTIONS = ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障"]
_SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class SyntheticDocument:
    """Generated text, the label of each of its lines, and the values it prints."""

    text: str
    labels: list[L]
    cells: dict[CellKey, int | float | None]
    format: str
    layout: str
    modifiers: tuple[str, ...] = ()


@dataclass
class _Doc:
    lines: list[str] = field(default_factory=list)
    labels: list[L] = field(default_factory=list)

    def add(self, text: str, label: L) -> None:
        self.lines.append(text)
        self.labels.append(label if text.strip() else L.BLANK)


def random_cells(rng: random.Random, fmt: str) -> dict[CellKey, int | float | None]:
    """Values for every cell of ``fmt`` that satisfy the form's identities."""
    def small() -> int:
        return rng.choice([0, 0, 0, 0, 1, 2, 3, rng.randint(0, 30), rng.randint(0, 500)])

    cells: dict[CellKey, int | float | None] = {}
    for _, _, rows, cols in ACTIVE[fmt]:
        for _, row in rows:
            for col in cols:
                v: int | float = small()
                if col == "change":
                    v = rng.choice([0, 0, small(), -small()])
                if col == "amount":
                    v = rng.choice([0, round(rng.uniform(0, 9000), rng.choice([0, 2, 4])), rng.randint(0, 99999)])
                    v = int(v) if float(v).is_integer() else v
                cells[CellKey("active", row, col)] = v
    result_keys = [key for _, key in request_rows(fmt) if key not in ("new_received", "carried_over", "total",
                                                                       "carried_forward")]
    totals = [0] * 6
    for key in result_keys:
        vals = [rng.choice([0, 0, 0, 0, 1, rng.randint(0, 9), rng.randint(0, 120)]) if rng.random() < 0.6 else 0
                for _ in range(6)]
        for c, v in enumerate(vals):
            cells[CellKey("requests", key, REQUEST_COLS[c])] = v
            totals[c] += v
        cells[CellKey("requests", key, "total")] = sum(vals)
    forward = [rng.choice([0, 0, rng.randint(0, 5)]) for _ in range(6)]
    previous = [rng.randint(0, min(t + f, 5)) for t, f in zip(totals, forward)]
    new = [t + f - p for t, f, p in zip(totals, forward, previous)]
    for key, vals in (("new_received", new), ("carried_over", previous), ("total", totals), ("carried_forward", forward)):
        for c, v in enumerate(vals):
            cells[CellKey("requests", key, REQUEST_COLS[c])] = v
        cells[CellKey("requests", key, "total")] = sum(vals)
    for row in APPEAL_ROWS:
        vals = [rng.choice([0, 0, 0, 1, rng.randint(0, 12)]) for _ in range(4)]
        for col, v in zip(APPEAL_COLS, vals + [sum(vals)]):
            cells[CellKey("appeals", row, col)] = v
    return cells


def _fmt(v: int | float | None, rng: random.Random, blank: str) -> str:
    if v is None:
        return blank
    if isinstance(v, float):
        return f"{v:g}" if rng.random() < 0.5 else str(v)
    return f"+{v}" if v > 0 and rng.random() < 0.03 else str(v)


def _spaced(label: str, rng: random.Random, p: float) -> str:
    """Sometimes print a label with spaces between its characters."""
    return " ".join(label) if rng.random() < p else label


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def _table(doc: _Doc, header: list[str], rows: list[tuple[list[str], list[str]]], layout: str,
           rng: random.Random, *, page_break: bool, running_title: str, page: list[int]) -> None:
    """Render one table: ``rows`` are (label parts, printed values)."""
    sep = "\t" if rng.random() < 0.4 else rng.choice([" ", "  ", "   "])
    glue = layout == "collapsed" and rng.random() < 0.5
    break_at = rng.randrange(len(rows)) if page_break and rows else -1
    if layout == "collapsed":
        parts = list(header)
        for labels, values in rows:
            parts += labels + values
        if glue:
            text = "".join(parts)
        else:
            text = " ".join(parts)
        doc.add(text, L.ROW)
        return
    if layout == "pipes":
        doc.add("| " + " | ".join(header) + " |", L.LABEL)
        doc.add("|" + "---|" * len(header), L.BLANK)
    elif layout == "vertical":
        for cell in header:
            for ch in cell:
                doc.add(ch, L.LABEL)
    elif layout == "cells":
        for cell in header:
            doc.add(cell, L.LABEL)
    else:
        if rng.random() < 0.5:
            doc.add(sep.join(header), L.LABEL)
        else:
            for chunk in _wrap(sep.join(header), rng.randint(12, 30)):
                doc.add(chunk, L.LABEL)
    for n, (labels, values) in enumerate(rows):
        if n == break_at:
            page[0] += 1
            doc.add(rng.choice([f"- {page[0]} -", f"第 {page[0]} 页", f"{page[0]}", f"第{page[0]}页 共{page[0] + 2}页"]),
                    L.NOISE)
            doc.add("", L.BLANK)
            if rng.random() < 0.7:
                doc.add(running_title, L.NOISE)
        label_text = "".join(labels)
        if layout == "pipes":
            doc.add("| " + " | ".join([*labels, *values]) + " |", L.ROW)
        elif layout == "cells":
            for lab in labels:
                doc.add(lab, L.LABEL)
            for v in values:
                doc.add(v, L.NUMBER)
        elif layout == "wrapped" and len(label_text) > 8:
            chunks = _wrap(label_text, rng.randint(4, 9))
            first = rng.random() < 0.5
            for i, chunk in enumerate(chunks):
                if (first and i == 0) or (not first and i == len(chunks) - 1):
                    doc.add(chunk + sep + sep.join(values), L.ROW)
                else:
                    doc.add(chunk, L.LABEL)
        elif layout == "vertical" and rng.random() < 0.3:
            for lab in labels:
                doc.add(lab, L.LABEL)
            doc.add(sep.join(values), L.NUMBER)
        else:
            doc.add(sep.join([*labels, *values]), L.ROW)


def render(cells: dict[CellKey, int | float | None], fmt: str, rng: random.Random, layout: str | None = None,
           year: int | None = None) -> SyntheticDocument:
    """Render one report holding ``cells`` in a layout (random unless given)."""
    layout = layout or rng.choice(LAYOUTS)
    year = year or (rng.choice([2019, 2020]) if fmt == "2019" else rng.randint(2021, 2025))
    body = "".join(rng.sample(_PLACES, 2)) + rng.choice(["区人民政府", "县人民政府", "市财政局", "镇人民政府", "市公安局"])
    fullwidth = rng.random() < 0.15
    page_breaks = rng.random() < 0.5
    blank = rng.choice(["/", "—", "--", "－"])
    prose_width = rng.choice([0, 0, rng.randint(18, 40)])  # 0: a paragraph per line (web text)
    spaced = 0.15 if rng.random() < 0.3 else 0.0
    modifiers = tuple(m for m, on in (("fullwidth", fullwidth), ("page_breaks", page_breaks),
                                      ("spaced_labels", spaced > 0), ("wrapped_prose", prose_width > 0)) if on)
    running_title = f"{body}{year}年政府信息公开工作年度报告"
    page = [0]
    doc = _Doc()

    def prose(n: int) -> None:
        for _ in range(n):
            s = rng.choice(_SENTENCES).format(y=year, n=rng.randint(10, 3000), m=rng.randint(1, 99), u=body[-4:],
                                              b=body)
            for chunk in (_wrap(s, prose_width) if prose_width else [s]):
                doc.add(chunk, L.PROSE)

    if rng.random() < 0.5:
        doc.add(body, L.HEADING)
        doc.add(f"{year}年政府信息公开工作年度报告", L.HEADING)
    else:
        doc.add(running_title, L.HEADING)
    doc.add("", L.BLANK)
    prose(2)
    for s, title in enumerate(_SECTIONS):
        doc.add(title, L.HEADING)
        if s == 0:
            for sub in rng.sample(_SUBSECTIONS, rng.randint(0, 3)):
                doc.add(sub, L.HEADING)
                prose(rng.randint(1, 3))
        elif s == 1:
            for title_sub, header, rows, cols in ACTIVE[fmt]:
                doc.add(title_sub, L.HEADING)
                printed = [([_spaced(lab, rng, spaced)], [_fmt(cells.get(CellKey("active", key, c)), rng, blank) for c in cols])
                           for lab, key in rows]
                _table(doc, header, printed, layout, rng, page_break=page_breaks and rng.random() < 0.3,
                       running_title=running_title, page=page)
        elif s == 2:
            printed = [([_spaced(p, rng, spaced) for p in parts], [_fmt(cells.get(CellKey("requests", key, c)), rng, blank)
                                                                   for c in REQUEST_COLS])
                       for parts, key in request_rows(fmt)]
            _table(doc, REQUEST_HEADER, printed, layout, rng, page_break=page_breaks, running_title=running_title,
                   page=page)
        elif s == 3:
            printed = [([], [_fmt(cells.get(CellKey("appeals", r, c)), rng, blank) for r in APPEAL_ROWS for c in APPEAL_COLS])]
            _table(doc, APPEAL_HEADER, printed, layout if layout != "wrapped" else "rows", rng, page_break=False,
                   running_title=running_title, page=page)
        else:
            prose(rng.randint(1, 3))
    doc.add("", L.BLANK)
    doc.add(body, L.NOISE)
    doc.add(f"{year + 1}年1月{rng.randint(10, 31)}日", L.NOISE)
    text = "\n".join(doc.lines)
    if fullwidth:
        text = text.translate(_FULLWIDTH)
    return SyntheticDocument(text, doc.labels, cells, fmt, layout, modifiers)


def blank_some(cells: dict[CellKey, int | float | None], rng: random.Random) -> dict[CellKey, int | float | None]:
    """Print a few active-table cells (no identity checks them) as blank."""
    out = dict(cells)
    for key in [k for k in out if k.table == "active"]:
        if rng.random() < 0.08:
            out[key] = None
    return out


def generate(rng: random.Random, fmt: str | None = None, layout: str | None = None) -> SyntheticDocument:
    fmt = fmt or rng.choice(["2019", "2021"])
    cells = random_cells(rng, fmt)
    if rng.random() < 0.3:
        cells = blank_some(cells, rng)
    return render(cells, fmt, rng, layout)


def generate_corpus(n: int, *, seed: int = 0) -> list[SyntheticDocument]:
    """``n`` documents, layouts in turn, from one seeded generator."""
    rng = random.Random(seed)
    return [generate(rng, layout=LAYOUTS[i % len(LAYOUTS)]) for i in range(n)]
