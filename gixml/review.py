"""A review page: each extracted cell beside the line it came from, and corrections to train on.

``gixml review report.pdf -o review.html`` writes one static, self-contained
page (the CSS and the script inline, nothing fetched); ``gixml review
results.jsonl -o site/`` writes a page per report and an index sorted by how
much each needs review. A page shows

- the metadata, the warnings (each linking to its cells and lines) and the
  identities (each failed one with both sides);
- the three tables drawn as the national form draws them, each cell coloured
  by the path that read it (``rule`` / ``model`` / ``order`` / ``identity`` /
  ``prior``) and outlined by its flags;
- the source text, every line with the label it was given.

Focusing or hovering a cell shows its confidence, method, flags and printed
characters; clicking it (or Enter) scrolls the source to its line and marks the
characters. A reviewer can correct where a cell's value is printed (select the
characters in the source, then "Take the selection"), say a cell is printed
blank, or correct a line's label; "Export corrections" downloads an
annotation file (``annotations/GUIDELINES.md``) of every line of the report,
the corrected ones marked checked, which ``gixml train`` accepts.

The page's data is the report's JSON (``provenance="full"``) and the
annotation records of its lines (``training.annotations.prelabel``), embedded
as JSON; the script only reads and writes them.
"""
from __future__ import annotations

import html
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .forms import ACTIVE_COLUMNS_BY_ROW, APPEAL_COLS, APPEAL_ROWS, REQUEST_COLS, REQUEST_ROWS_BY_FORMAT

#: The form's words for each row and column key (SCHEMA.md).
ACTIVE_ROW_NAMES = {
    "regulations": "规章", "normative_documents": "规范性文件", "licensing": "行政许可",
    "other_services": "其他对外管理服务事项", "penalties": "行政处罚", "enforcement": "行政强制",
    "fees": "行政事业性收费", "procurement": "政府集中采购",
}
ACTIVE_COL_NAMES = {
    "new_made": "本年新制作数量", "new_published": "本年新公开数量", "total_published": "对外公开总数量",
    "previous": "上一年项目数量", "change": "本年增/减", "decisions": "处理决定数量",
    "projects": "采购项目数量", "amount": "采购总金额", "issued": "本年制发件数", "repealed": "本年废止件数",
    "in_force": "现行有效件数",
}
#: Which item of 第二十条 each active row is printed under.
ARTICLES = {"regulations": "（一）", "normative_documents": "（一）", "licensing": "（五）",
            "other_services": "（五）", "penalties": "（六）", "enforcement": "（六）", "fees": "（八）",
            "procurement": "（九）"}
REQUEST_COL_NAMES = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
                     "social_org": "社会公益组织", "legal_service": "法律服务机构", "other_org": "其他",
                     "total": "总计"}
APPEAL_COL_NAMES = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                    "total": "总计"}
METHODS = ("rule", "model", "order", "identity", "prior", "absent")
FLAGS = ("low_confidence", "failed_identity", "undetermined")


# -- one report -----------------------------------------------------------------
def page(report: Mapping[str, Any], records: Sequence[Mapping[str, Any]], *, title: str | None = None,
         index: str | None = None) -> str:
    """The review page of one report: its JSON dict (``provenance="full"``) and
    the annotation records of every line (``prelabel``; with the cited lines
    only when the input is not at hand). ``index``: a link back to the batch's index."""
    cells = _cells(report)
    name = title or os.path.basename(str(report.get("source") or "report"))
    data = {"records": list(records), "doc": name}
    parts = [
        _head(f"gixml review · {name}"),
        "<body>",
        '<a class="skip" href="#tables">Skip to the tables</a>',
        "<header>",
        f'<p class="crumbs"><a href="{html.escape(index)}">← all reports</a></p>' if index else "",
        f"<h1>{html.escape(name)}</h1>",
        _meta(report),
        _legend(),
        "</header>",
        '<main id="main">',
        '<div id="tables" class="pane" tabindex="-1">',
        _inspector(),
        _active_table(report, cells),
        _requests_table(report, cells),
        _appeals_table(cells),
        _identities(report),
        _warnings(report),
        _statements(report),
        _corrections(),
        "</div>",
        _source(records),
        "</main>",
        f'<script type="application/json" id="gixml-data">{_json_for_html(data)}</script>',
        f"<script>{SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


def _json_for_html(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _cells(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    from .export import cell_provenance

    prov = cell_provenance(report)
    return {key: {"value": value, **prov[key]} for key, value in (report.get("cells") or {}).items()}


def _head(title: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>")


def _meta(report: Mapping[str, Any]) -> str:
    meta = report.get("meta") or {}
    items = [("organization", meta.get("organization")), ("year", meta.get("year")),
             ("published", meta.get("published")), ("format", report.get("format")),
             ("status", report.get("status")), ("source", report.get("source"))]
    return '<dl class="meta">' + "".join(
        f"<div><dt>{k}</dt><dd>{html.escape(str(v)) if v is not None else '—'}</dd></div>" for k, v in items) + "</dl>"


def _legend() -> str:
    methods = "".join(f'<span class="cell m-{m}">{m}</span>' for m in METHODS[:-1])
    flags = "".join(f'<span class="cell f-{f}">{f}</span>' for f in FLAGS)
    return (f'<p class="legend">Read by: {methods} · flagged: {flags} · '
            '<span class="cell blank">∅</span> printed blank</p>')


def _inspector() -> str:
    return ('<section id="inspector" aria-live="polite" aria-label="the selected cell">'
            '<p class="hint">Hover or focus a cell to see how it was read; click it (or press Enter) to see its '
            "line in the source.</p></section>")


def _cell_html(key: str, cells: Mapping[str, Mapping[str, Any]]) -> str:
    c = cells.get(key)
    if c is None:
        return '<td class="nokey">·</td>'
    value = c.get("value")
    classes = ["cell", f"m-{c.get('method') or 'absent'}"] + [f"f-{f}" for f in c.get("flags") or ()]
    if value is None:
        classes.append("blank")
    shown = "∅" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
    attrs = {
        "id": f"c-{key}", "class": " ".join(classes), "tabindex": "0", "data-key": key,
        "data-value": "" if value is None else str(value), "data-line": c.get("line") or "",
        "data-span": ",".join(map(str, c.get("span") or ())), "data-printed": c.get("printed") or "",
        "data-confidence": "" if c.get("confidence") is None else c.get("confidence"),
        "data-method": c.get("method") or "", "data-flags": " ".join(c.get("flags") or ()),
        "aria-label": f"{key} = {shown}",
    }
    return "<td " + " ".join(f'{k}="{html.escape(str(v))}"' for k, v in attrs.items()) + f">{html.escape(shown)}</td>"


def _active_table(report: Mapping[str, Any], cells: Mapping[str, Mapping[str, Any]]) -> str:
    fmt = report.get("format")
    if fmt not in ACTIVE_COLUMNS_BY_ROW:
        return ""
    out = ['<section class="table"><h2 id="t-active">二、主动公开政府信息情况</h2>']
    groups: dict[str, list[str]] = {}
    for row in ACTIVE_COLUMNS_BY_ROW[fmt]:
        groups.setdefault(ARTICLES[row], []).append(row)
    for article, rows in groups.items():
        cols = list(ACTIVE_COLUMNS_BY_ROW[fmt][rows[0]])
        if any(f"active.{r}.decisions" in cells for r in rows) and "decisions" not in cols:
            cols.append("decisions")  # a 2019 report that adds 处理决定数量 to 行政事业性收费
        head = "".join(f'<th scope="col">{ACTIVE_COL_NAMES[c]}</th>' for c in cols)
        if fmt == "2021" and article == "（八）":
            head = '<th scope="col">本年收费金额（单位：万元）</th>'
        body = "".join(f'<tr><th scope="row">{ACTIVE_ROW_NAMES[r]}</th>'
                       + "".join(_cell_html(f"active.{r}.{c}", cells) for c in cols) + "</tr>" for r in rows)
        out.append(f'<table><caption>第二十条第{article}项</caption><thead><tr><th scope="col">信息内容</th>{head}'
                   f"</tr></thead><tbody>{body}</tbody></table>")
    out.append("</section>")
    return "".join(out)


#: The requests table's label cells as the form nests them: (group, sub-group, row) texts per row key.
REQUEST_LABELS = {
    "new_received": ("一、本年新收政府信息公开申请数量", None, None),
    "carried_over": ("二、上年结转政府信息公开申请数量", None, None),
    "granted": ("三、本年度办理结果", "（一）予以公开", None),
    "partially_granted": ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    **{r: ("三、本年度办理结果", "（三）不予公开", t) for r, t in (
        ("denied_state_secret", "1.属于国家秘密"), ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
        ("denied_three_safety", "3.危及“三安全一稳定”"), ("denied_third_party", "4.保护第三方合法权益"),
        ("denied_internal_affairs", "5.属于三类内部事务信息"), ("denied_process_info", "6.属于四类过程性信息"),
        ("denied_enforcement_file", "7.属于行政执法案卷"), ("denied_admin_query", "8.属于行政查询事项"))},
    **{r: ("三、本年度办理结果", "（四）无法提供", t) for r, t in (
        ("unavailable_not_held", "1.本机关不掌握相关政府信息"), ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
        ("unavailable_unclear", "3.补正后申请内容仍不明确"))},
    **{r: ("三、本年度办理结果", "（五）不予处理", t) for r, t in (
        ("rejected_complaint", "1.信访举报投诉类申请"), ("rejected_duplicate", "2.重复申请"),
        ("rejected_publication", "3.要求提供公开出版物"), ("rejected_excessive", "4.无正当理由大量反复申请"),
        ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息"))},
    "other": ("三、本年度办理结果", "（六）其他处理", None),
    **{r: ("三、本年度办理结果", "（六）其他处理", t) for r, t in (
        ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_other", "3.其他"))},
    "total": ("三、本年度办理结果", "（七）总计", None),
    "carried_forward": ("四、结转下年度继续办理", None, None),
}


def _request_label_cells(rows: Sequence[str]) -> dict[str, str]:
    """Each row's label cells (``<th>``), the group and sub-group cells spanning their rows, as the form draws them."""
    out: dict[str, str] = {}
    for i, row in enumerate(rows):
        group, sub, text = REQUEST_LABELS[row]
        cells = []
        if sub is None:
            cells.append(f'<th scope="row" colspan="3">{group}</th>')
        else:
            if i == 0 or REQUEST_LABELS[rows[i - 1]][0] != group:
                span = sum(1 for r in rows[i:] if REQUEST_LABELS[r][0] == group)
                cells.append(f'<th scope="rowgroup" rowspan="{span}" class="group">{group}</th>')
            if text is None:
                cells.append(f'<th scope="row" colspan="2">{sub}</th>')
            else:
                if i == 0 or REQUEST_LABELS[rows[i - 1]][1] != sub or REQUEST_LABELS[rows[i - 1]][2] is None:
                    span = 0
                    for r in rows[i:]:
                        if REQUEST_LABELS[r][1] != sub or REQUEST_LABELS[r][2] is None:
                            break
                        span += 1
                    cells.append(f'<th scope="rowgroup" rowspan="{span}">{sub}</th>')
                cells.append(f'<th scope="row">{text}</th>')
        out[row] = "".join(cells)
    return out


def _requests_table(report: Mapping[str, Any], cells: Mapping[str, Mapping[str, Any]]) -> str:
    fmt = report.get("format")
    if fmt not in REQUEST_ROWS_BY_FORMAT:
        return ""
    rows = list(REQUEST_ROWS_BY_FORMAT[fmt])
    if fmt == "2021" and cells.get("requests.other.total", {}).get("line"):
        rows = [r for r in rows if r not in ("other_no_correction", "other_no_fee", "other_other")]
        rows.insert(rows.index("total"), "other")  # printed as one row
    labels = _request_label_cells(rows)
    head = ('<tr><th scope="col" colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）'
            '</th><th scope="colgroup" colspan="7">申请人情况</th></tr>'
            '<tr><th scope="col" rowspan="2">自然人</th><th scope="colgroup" colspan="5">法人或其他组织</th>'
            '<th scope="col" rowspan="2">总计</th></tr><tr>'
            + "".join(f'<th scope="col">{REQUEST_COL_NAMES[c]}</th>' for c in REQUEST_COLS[1:6]) + "</tr>")
    body = "".join(f"<tr>{labels[r]}" + "".join(_cell_html(f"requests.{r}.{c}", cells) for c in REQUEST_COLS)
                   + "</tr>" for r in rows)
    return (f'<section class="table"><h2 id="t-requests">三、收到和处理政府信息公开申请情况</h2><table class="wide">'
            f"<thead>{head}</thead><tbody>{body}</tbody></table></section>")


def _appeals_table(cells: Mapping[str, Mapping[str, Any]]) -> str:
    if not any(k.startswith("appeals.") for k in cells):
        return ""
    cols = "".join(f'<th scope="col">{APPEAL_COL_NAMES[c]}</th>' for c in APPEAL_COLS)
    head = ('<tr><th scope="colgroup" colspan="5" rowspan="2">行政复议</th><th scope="colgroup" colspan="10">行政诉讼</th>'
            '</tr><tr><th scope="colgroup" colspan="5">未经复议直接起诉</th><th scope="colgroup" colspan="5">复议后起诉</th>'
            f"</tr><tr>{cols * 3}</tr>")
    body = "<tr>" + "".join(_cell_html(f"appeals.{r}.{c}", cells) for r in APPEAL_ROWS for c in APPEAL_COLS) + "</tr>"
    return (f'<section class="table"><h2 id="t-appeals">四、政府信息公开行政复议、行政诉讼情况</h2>'
            f'<table class="wide"><thead>{head}</thead><tbody>{body}</tbody></table></section>')


def _links(keys: Iterable[str], lines: Iterable[int]) -> str:
    keys, lines = list(keys), list(lines)
    out = [f'<a href="#c-{html.escape(k)}" class="to-cell" data-key="{html.escape(k)}">{html.escape(k)}</a>'
           for k in keys[:12]]
    if len(keys) > 12:
        out.append(f"… {len(keys) - 12} more")
    out += [f'<a href="#L{n}" class="to-line" data-line="{n}">line {n}</a>' for n in lines[:12]]
    return " ".join(out)


def _warnings(report: Mapping[str, Any]) -> str:
    warnings = report.get("warnings") or []
    if not warnings:
        return '<section><h2 id="warnings">Warnings</h2><p>None.</p></section>'
    items = "".join(f'<li><code>{html.escape(w["code"])}</code> {html.escape(w["message"])}'
                    f'<br>{_links(w.get("cells") or (), w.get("lines") or ())}</li>' for w in warnings)
    return f'<section><h2 id="warnings">Warnings ({len(warnings)})</h2><ol class="warnings">{items}</ol></section>'


def _identities(report: Mapping[str, Any]) -> str:
    failed = [w for w in report.get("warnings") or () if w.get("code") == "identity"]
    checked = ("requests: in every row, 总计 = the six applicant columns; in every column, 总计 = the result rows, "
               "and 一 + 二 = 总计 + 四; appeals: each group's 总计 = its four results")
    if not failed:
        return (f'<section><h2 id="identities">Identities (勾稽关系)</h2><p class="ok">All hold: {checked}.</p>'
                "</section>")
    items = "".join(
        f'<li><strong>{html.escape(str(w.get("left")))} ≠ {html.escape(str(w.get("right")))}</strong> · '
        f'{html.escape(w["message"])}<br>{_links(w.get("cells") or (), w.get("lines") or ())}</li>' for w in failed)
    return (f'<section><h2 id="identities">Identities (勾稽关系): {len(failed)} failed</h2>'
            f'<p>Checked: {checked}.</p><ol class="failed">{items}</ol></section>')


def _statements(report: Mapping[str, Any]) -> str:
    statements = report.get("statements") or []
    if not statements:
        return ""
    items = "".join(
        f'<li class="{"ok" if s.get("agrees") else "bad" if s.get("agrees") is False else ""}">'
        f'{html.escape(s["what"])}: the text says {s["value"]}, the table {s.get("table")} '
        f'{_links(s.get("cells") or (), [s["line"]])}</li>' for s in statements)
    return f'<section><h2 id="statements">The prose\'s figures</h2><ul>{items}</ul></section>'


def _corrections() -> str:
    return ('<section id="corrections"><h2>Corrections</h2>'
            '<p>Select a cell, then select its characters in the source and press <em>Take the selection</em>, '
            'or mark it printed blank; change a line\'s label from the line\'s menu (focus a line, press Enter). '
            "The export is an annotation file for <code>gixml train</code>: put it under "
            "<code>annotations/</code> and run <code>gixml train --out DIR</code>.</p>"
            '<ol id="changes"></ol>'
            '<button type="button" id="export">Export corrections</button> '
            '<label for="export-text" class="visually-hidden">the exported annotation file</label>'
            '<textarea id="export-text" rows="3" readonly placeholder="the annotation file appears here"></textarea>'
            "</section>")


def _source(records: Sequence[Mapping[str, Any]]) -> str:
    items = "".join(
        f'<li id="L{r["line"]}" data-line="{r["line"]}" data-label="{html.escape(str(r.get("label")))}" tabindex="-1">'
        f'<span class="ln">{r["line"]}</span><span class="lab">{html.escape(str(r.get("label")))}</span>'
        f'<span class="tx">{html.escape(str(r.get("text") or ""))}</span></li>' for r in records)
    return f'<div id="source" class="pane" aria-label="the source text"><h2>Source</h2><ol class="src">{items}</ol></div>'


# -- files ------------------------------------------------------------------------
def records_for(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The annotation records of every line of an input (its labels as extraction gives them)."""
    from .training.annotations import prelabel

    return prelabel(os.path.abspath(path), include_text=True)


def review_file(path: str | os.PathLike[str], out: str | os.PathLike[str]) -> None:
    """Write the review page of one input (a report gixml reads) to ``out``."""
    from .pipeline import extract

    report = extract(path).to_dict(provenance="full")
    _write(out, page(report, records_for(path), title=os.path.basename(os.fspath(path))))


def _records_from_report(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Records of the cited lines only, when the input is not at hand (a results file read elsewhere)."""
    return [{"line": int(n), "label": "?", "text": text} for n, text in (report.get("lines") or {}).items()]


#: How much a report needs review, for the index: undetermined cells first, then failed identities,
#: then low confidence, then prose mismatches.
def need(report: Mapping[str, Any]) -> tuple[int, ...]:
    from .dataset import REVIEW_COUNTS, review_counts

    counts = review_counts(report)
    return tuple(counts[name] for name in REVIEW_COUNTS)


def review_site(results: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> int:
    """A page per report of a results file (the inputs read again where they are
    still at hand, for their whole text) and ``index.html``; returns the number of pages."""
    from .batch import latest_records
    from .pipeline import extract

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for n, record in enumerate(latest_records(os.fspath(results)), start=1):
        path = record.get("path") or f"report-{n}"
        name = f"{n:05d}-{Path(path).stem[:60]}.html"
        if not record.get("report"):
            rows.append((None, name, path, record.get("error") or "no report", None))
            continue
        if os.path.isfile(path):
            report = extract(path).to_dict(provenance="full")
            records = records_for(path)
        else:
            report, records = record["report"], _records_from_report(record["report"])
        _write(out / name, page(report, records, title=os.path.basename(path), index="index.html"))
        rows.append((need(report), name, path, report.get("status"), report.get("meta") or {}))
    _write(out / "index.html", _index(rows))
    return sum(1 for r in rows if r[0] is not None)


def _index(rows: list[tuple[Any, str, str, Any, Any]]) -> str:
    done = sorted((r for r in rows if r[0] is not None), key=lambda r: (tuple(-x for x in r[0]), r[2]))
    failed = [r for r in rows if r[0] is None]
    body = "".join(
        f'<tr><td><a href="{html.escape(name)}">{html.escape(os.path.basename(path))}</a></td>'
        f"<td>{html.escape(str(meta.get('organization') or '—'))}</td><td>{meta.get('year') or '—'}</td>"
        f"<td>{html.escape(str(status))}</td>" + "".join(f"<td>{x}</td>" for x in need_) + "</tr>"
        for need_, name, path, status, meta in done)
    errors = "".join(f"<li>{html.escape(path)}: {html.escape(str(status))}</li>" for _, _, path, status, _ in failed)
    return "\n".join([
        _head("gixml review · reports"), "<body class=\"index\"><header><h1>Reports to review</h1>",
        f"<p>{len(done)} report(s), the ones needing most review first (undetermined cells, then failed "
        "identities, then low confidence, then prose mismatches).</p></header><main class=\"single\">",
        '<table class="index"><thead><tr><th scope="col">report</th><th scope="col">organization</th>'
        '<th scope="col">year</th><th scope="col">status</th><th scope="col">undetermined</th>'
        '<th scope="col">failed identity</th><th scope="col">low confidence</th><th scope="col">prose mismatch</th>'
        f"</tr></thead><tbody>{body}</tbody></table>",
        f"<h2>Not read</h2><ul>{errors}</ul>" if failed else "", "</main></body></html>"])


def _write(path: str | os.PathLike[str], text: str) -> None:
    path = os.fspath(path)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


STYLE = """
:root { --rule:#e8f3e8; --model:#e6effa; --order:#fff4d6; --identity:#efe6fa; --prior:#fde3e3; --absent:#f2f2f2;
  font-family: "Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","WenQuanYi Zen Hei","Microsoft YaHei",
  "PingFang SC","SimSun","AR PL UMing CN",sans-serif; font-size: 14px; color:#111; }
html, body { height:100%; }
body { margin:0; display:flex; flex-direction:column; overflow:hidden; }
body.index { display:block; height:auto; overflow:auto; }
header { padding: .5rem 1rem; border-bottom: 1px solid #ccc; }
h1 { font-size: 1.2rem; margin: .3rem 0; } h2 { font-size: 1rem; margin: 1rem 0 .4rem; }
.meta { display:flex; flex-wrap:wrap; gap: .2rem 1.2rem; margin:.3rem 0; }
.meta div { display:flex; gap:.3rem; } .meta dt { color:#555; } .meta dd { margin:0; font-weight:600; }
main { display:grid; grid-template-columns: minmax(0,3fr) minmax(0,2fr); grid-template-rows: minmax(0,1fr);
  flex:1; min-height:0; }
main.single { display:block; height:auto; padding: 0 1rem; }
.pane { overflow:auto; padding: 0 1rem 2rem; min-height:0; position:relative; }
#source { border-left: 1px solid #ccc; background:#fcfcfc; }
table { border-collapse: collapse; margin: .3rem 0 .8rem; }
caption { text-align:left; font-weight:600; padding:.2rem 0; }
th, td { border: 1px solid #999; padding: .15rem .35rem; }
th { background:#f4f4f4; font-weight:normal; text-align:left; }
th.group { writing-mode: vertical-rl; text-align:center; letter-spacing:.2em; }
td.cell, span.cell { text-align:right; font-variant-numeric: tabular-nums; cursor:pointer; min-width:2.2em; }
span.cell { display:inline-block; border:1px solid #999; padding:0 .3rem; margin:0 .1rem; }
.m-rule { background:var(--rule); } .m-model { background:var(--model); } .m-order { background:var(--order); }
.m-identity { background:var(--identity); } .m-prior { background:var(--prior); } .m-absent { background:var(--absent); }
.f-low_confidence { outline: 2px dashed #c77700; outline-offset:-3px; }
.f-failed_identity { outline: 2px solid #c00; outline-offset:-3px; }
.f-undetermined { outline: 2px dotted #555; outline-offset:-3px; color:#555; }
.blank { color:#777; }
td.cell:focus, td.cell.selected { outline: 3px solid #0050b3; outline-offset:-3px; }
#inspector { position: sticky; top: 0; background:#fff; border-bottom:1px solid #ccc; padding:.4rem 0; z-index:1; }
#inspector .hint { color:#555; margin:0; } #inspector dl { display:grid; grid-template-columns: auto 1fr;
  gap:.1rem .6rem; margin:.2rem 0; } #inspector dt { color:#555; } #inspector dd { margin:0; }
ol.src { list-style:none; margin:0; padding:0; font-family: "Noto Sans Mono CJK SC","WenQuanYi Zen Hei Mono",
  "Sarasa Mono SC",monospace; font-size: 13px; }
ol.src li { display:grid; grid-template-columns: 3.2em 4.5em 1fr; white-space: pre-wrap; word-break: break-all;
  border-bottom: 1px solid #f0f0f0; }
ol.src li:focus { outline: 2px solid #0050b3; }
ol.src .ln { color:#888; text-align:right; padding-right:.4em; user-select:none; }
ol.src .lab { color:#666; font-size: 11px; user-select:none; }
ol.src li.hl { background:#fff3b0; } mark { background:#ffbf00; color:#000; }
ol.src li.changed .lab { color:#0050b3; font-weight:600; }
.warnings li, .failed li { margin-bottom:.3rem; } .ok { color:#185c18; } .bad { color:#a00; }
.legend { font-size: 12px; } .crumbs { margin:0; }
.skip { position:absolute; left:-999px; } .skip:focus { left: 1rem; top: .5rem; background:#fff; }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
textarea { width: 100%; font-family: monospace; font-size: 11px; }
@media print {
  html, body { height:auto; } body { display:block; overflow:visible; } main { display:block; } .pane { overflow:visible; } #source, #inspector, #corrections,
  .skip, .legend { display:none; } td.cell { outline:none !important; }
  .f-low_confidence::after, .f-failed_identity::after, .f-undetermined::after { content:"*"; }
  table { page-break-inside: avoid; }
}
"""

SCRIPT = r"""
(function () {
  const data = JSON.parse(document.getElementById('gixml-data').textContent);
  const records = data.records;
  const byLine = new Map(records.map(r => [r.line, r]));
  const labels = ['blank', 'heading', 'label', 'number', 'row', 'prose', 'noise'];
  const cellFix = new Map();   // key -> {line, start, end} or {blank: true}
  const labelFix = new Map();  // line -> label
  const inspector = document.getElementById('inspector');
  let current = null;

  function esc(s) { return String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c])); }

  function show(td) {
    const d = td.dataset;
    const fix = cellFix.get(d.key);
    inspector.innerHTML = '<dl>' +
      '<dt>cell</dt><dd><code>' + esc(d.key) + '</code></dd>' +
      '<dt>value</dt><dd>' + (d.value === '' ? '∅ (blank)' : esc(d.value)) + '</dd>' +
      '<dt>printed</dt><dd>' + (d.printed ? '“' + esc(d.printed) + '”' : '—') + '</dd>' +
      '<dt>line</dt><dd>' + (d.line ? '<a href="#L' + d.line + '" class="to-line" data-line="' + d.line + '">' + d.line + '</a>' : '—') + '</dd>' +
      '<dt>confidence</dt><dd>' + (d.confidence || '—') + '</dd>' +
      '<dt>method</dt><dd>' + esc(d.method) + '</dd>' +
      '<dt>flags</dt><dd>' + (d.flags ? esc(d.flags) : 'none') + '</dd>' +
      (fix ? '<dt>corrected</dt><dd>' + (fix.blank ? 'printed blank' : 'line ' + fix.line + ', characters ' + fix.start + '–' + fix.end) + '</dd>' : '') +
      '</dl><p><button type="button" id="take">Take the selection</button> ' +
      '<button type="button" id="blank">Printed blank</button></p>';
    document.getElementById('take').onclick = () => take(td);
    document.getElementById('blank').onclick = () => { cellFix.set(d.key, {blank: true}); listChanges(); show(td); };
  }

  function clearMarks() {
    document.querySelectorAll('ol.src li.hl').forEach(li => {
      li.classList.remove('hl');
      const tx = li.querySelector('.tx'); tx.textContent = tx.textContent;
    });
  }

  function goToLine(n, span) {
    const li = document.getElementById('L' + n);
    if (!li) return null;
    clearMarks();
    li.classList.add('hl');
    if (span && span.length === 2) {
      const tx = li.querySelector('.tx'); const t = tx.textContent;
      tx.innerHTML = esc(t.slice(0, span[0])) + '<mark>' + esc(t.slice(span[0], span[1])) + '</mark>' + esc(t.slice(span[1]));
    }
    li.scrollIntoView({block: 'center'});
    return li;
  }

  function select(td) {
    document.querySelectorAll('td.cell.selected').forEach(x => x.classList.remove('selected'));
    td.classList.add('selected');
    current = td;
    show(td);
    if (td.dataset.line) goToLine(Number(td.dataset.line), td.dataset.span ? td.dataset.span.split(',').map(Number) : null);
  }

  function take(td) {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { alert('Select the characters of the value in the source first.'); return; }
    const range = sel.getRangeAt(0);
    const li = range.startContainer.parentElement.closest('ol.src li');
    const tx = li && li.querySelector('.tx');
    if (!tx || !tx.contains(range.endContainer)) { alert('Select characters within one line of the source.'); return; }
    const pre = document.createRange(); pre.setStart(tx, 0); pre.setEnd(range.startContainer, range.startOffset);
    const start = pre.toString().length; const end = start + range.toString().length;
    cellFix.set(td.dataset.key, {line: Number(li.dataset.line), start: start, end: end});
    listChanges(); show(td);
  }

  function setLabel(li) {
    const n = Number(li.dataset.line);
    const now = labelFix.get(n) || li.dataset.label;
    const choice = prompt('Label of line ' + n + ' (' + labels.join(', ') + '):', now);
    if (choice && labels.includes(choice.trim())) {
      labelFix.set(n, choice.trim());
      li.querySelector('.lab').textContent = choice.trim(); li.classList.add('changed');
      listChanges();
    }
  }

  function listChanges() {
    const out = [];
    cellFix.forEach((f, k) => out.push('<li><code>' + esc(k) + '</code> ' + (f.blank ? 'printed blank' : 'at line ' + f.line + ', ' + f.start + '–' + f.end) + '</li>'));
    labelFix.forEach((l, n) => out.push('<li>line ' + n + ' is <code>' + esc(l) + '</code></li>'));
    document.getElementById('changes').innerHTML = out.join('');
  }

  function exportText() {
    const touched = new Set();
    const cells = new Map(records.map(r => [r.line, (r.cells || []).map(c => c.slice())]));
    cellFix.forEach((f, key) => {
      cells.forEach((list, n) => {
        const kept = list.filter(c => c[2] !== key);
        if (kept.length !== list.length) { cells.set(n, kept); touched.add(n); }
      });
      if (!f.blank) {
        const list = cells.get(f.line).filter(c => c[1] <= f.start || c[0] >= f.end);
        list.push([f.start, f.end, key]); list.sort((a, b) => a[0] - b[0]);
        cells.set(f.line, list); touched.add(f.line);
      }
    });
    labelFix.forEach((l, n) => touched.add(n));
    return records.map(r => JSON.stringify(Object.assign({}, r, {
      label: labelFix.get(r.line) || r.label,
      cells: cells.get(r.line),
      checked: r.checked || touched.has(r.line),
    }))).join('\n') + '\n';
  }
  window.gixmlExport = exportText;

  document.querySelectorAll('td.cell').forEach(td => {
    td.addEventListener('mouseenter', () => show(td));
    td.addEventListener('focus', () => show(td));
    td.addEventListener('click', () => select(td));
    td.addEventListener('keydown', e => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(td); }
      const moves = {ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0]};
      if (moves[e.key]) {
        e.preventDefault();
        const row = td.parentElement, cells = Array.from(row.querySelectorAll('td.cell'));
        let target = null;
        if (moves[e.key][0] === 0) target = cells[cells.indexOf(td) + moves[e.key][1]];
        else {
          const rows = Array.from(row.parentElement.children);
          const other = rows[rows.indexOf(row) + moves[e.key][0]];
          if (other) target = other.querySelectorAll('td.cell')[cells.indexOf(td)];
        }
        if (target) target.focus();
      }
    });
  });
  document.querySelectorAll('ol.src li').forEach(li => {
    li.addEventListener('dblclick', () => setLabel(li));
    li.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); setLabel(li); } });
  });
  document.addEventListener('click', e => {
    const a = e.target.closest('a.to-line, a.to-cell');
    if (!a) return;
    e.preventDefault();
    if (a.classList.contains('to-line')) { const li = goToLine(Number(a.dataset.line), null); if (li) li.focus({preventScroll: true}); }
    else { const td = document.getElementById('c-' + a.dataset.key); if (td) { td.scrollIntoView({block: 'center'}); td.focus(); select(td); } }
  });
  document.getElementById('export').addEventListener('click', () => {
    const text = exportText();
    document.getElementById('export-text').value = text;
    const blob = new Blob([text], {type: 'application/x-ndjson'});
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = data.doc.replace(/\.[^.]*$/, '') + '.annotations.jsonl';
    document.body.appendChild(a); a.click(); a.remove();
  });
})();
"""
