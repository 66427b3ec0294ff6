"""Metadata and section texts: who published the report, for which year, when; the six sections' text.

In: the labelled lines. Out: :class:`~gixml.records.Meta` and the sections.

- ``organization``: the body's name as the title prints it (the text before
  the year in "…2020年(度)政府信息公开工作年度报告", or after it in
  "2021年…政府信息公开工作年度报告", which may be split over two lines; a title
  cited in 《》 is not the report's), completed by the signature where the
  signature's name is the fuller one;
- ``year``: the year in the title, else the statistics period;
- ``published``: the date printed under the signature (a date line after
  section 六, at the end, or ending a web page glued on one line after the
  signature; in digits or in Chinese numerals, 二〇二一年三月十二日), else the
  web page's 发布时间.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .forms import SECTION_KEYS
from .lines.labels import LabelledLine
from .lines.normalise import fold_text
from .lines.rules import is_furniture
from .records import Meta

_TITLE = re.compile(
    r"(?P<org>[\u3400-\u9fff（）()·]{2,40}?)\s*[（(]?\s*(?P<year>(?:19|20)\d{2})\s*[)）]?\s*年度?\s*"
    r"(?:政府信息公开|政务公开|信息公开)[\u3400-\u9fff]{0,6}?(?:工作)?年度?报告"
)
# The year first: "2021年白圩镇人民政府政府信息公开工作年度报告" (the body is never the generic 政府信息…).
_TITLE_YEAR_FIRST = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年度?\s*(?!度?(?:政府信息|政务公开|信息公开))(?P<org>[\u3400-\u9fff（）()·]{2,40}?)\s*"
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?年度?报告"
)
# A title cited inside book-title marks (《…关于做好2020年度政府信息公开工作年度报告编制发布工作的通知》) is not the title.
_CITED = re.compile(r"《[^》]*》")
_TITLE_FIELD = re.compile(r"^\s*标题\s*[:：]\s*(?P<title>.+)$")
# (no two runs of optional spaces side by side: they backtrack, quadratic on a line of tabs)
_TITLE_TAIL = re.compile(r"^\s*(?:[（(]\s*)?(?P<year>(?:19|20)\d{2})\s*(?:[)）]\s*)?年度?\s*(?:政府信息公开|政务公开|信息公开)?")
_DATE_CN = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_DATE_ISO = re.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_PAGE_DATE = re.compile(r"(?:发布时间|发布日期|成文日期|时间|日期)\s*[:：]?\s*")
_PAGE_DATE_LABEL = re.compile(r"(?:发布时间|发布日期|成文日期|时间|日期)[:：]?")
_PERIOD = re.compile(r"统计(?:期限|周期|时限|时间)[^0-9]{0,12}(?P<y>(?:19|20)\d{2})\s*年")
_BODY_SUFFIX = re.compile(
    r"(人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|管理委员会|管委会|委员会|办事处|政府|[局委办厅署院所站中心]{1,2})$"
)
_SIGNATURE = re.compile(r"^[\u3400-\u9fff（）()]{3,40}$")
# (one run of optional spaces only, after the 。: two side by side backtrack, quadratic on a line of spaces)
_GLUED_SIGNATURE = re.compile(
    r"(?:[。；;！]\s*|\s)(?P<name>[\u3400-\u9fff（）()]{3,40}?)\s*"
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日[^。，,\d]{0,12}$")
_LEADING_JUNK = re.compile(r"^(?:关于|[\u3400-\u9fff]{0,4}[:：])")


_CN_DIGITS = {ch: str(n) for n, ch in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
_CN_DATE = re.compile(r"(?P<y>[〇零○ＯO一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,2})\s*月\s*"
                      r"(?P<d>[一二三四五六七八九十]{1,3})\s*日")


def _cn_number(text: str) -> int:
    """一 … 九, 十, 十一 … 十九, 二十 … 三十一."""
    if "十" not in text:
        return int(_CN_DIGITS[text])
    tens, _, ones = text.partition("十")
    return (int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[ones]) if ones else 0)


def _arabic_dates(line: str) -> str:
    """Dates in Chinese numerals (二〇二一年三月十二日) written in digits (2021年3月12日)."""
    if "年" not in line or "日" not in line:
        return line
    return _CN_DATE.sub(lambda m: f"{''.join(_CN_DIGITS[c] for c in m.group('y'))}年{_cn_number(m.group('m'))}月"
                                  f"{_cn_number(m.group('d'))}日", line)


def _iso(m: re.Match[str]) -> str | None:
    y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _core(name: str) -> str:
    return re.sub(r"(人民政府|政府|办事处)$", "", name)


def _title(lines: Sequence[str]) -> tuple[str | None, int | None]:
    """Organization and year from the first title-like line (joined with its neighbour)."""
    head = [s.strip() for s in lines[:60]]
    for i, s in enumerate(head):
        m = _TITLE_FIELD.match(s)
        if m:
            t = _TITLE.search(m.group("title").replace(" ", ""))
            if t:
                return t.group("org"), int(t.group("year"))
    for join in (0, 1, 2):  # the line alone, then with the next one or two (a title wrapped over three lines)
        for i, s in enumerate(head):
            if not s or len(s) > 80 or is_furniture(s):
                continue
            after = [x for x in head[i + 1:i + 6] if x][:join]
            candidate = _CITED.sub("", (s + "".join(after)).replace(" ", "").replace("\u3000", ""))
            if "报告" not in candidate:  # both patterns end in 报告: a quick test first
                continue
            t = _TITLE.search(candidate) or _TITLE_YEAR_FIRST.search(candidate)
            if t:
                org = _LEADING_JUNK.sub("", t.group("org"))
                return org or None, int(t.group("year"))
    for i, s in enumerate(head):  # "城东区韵家口镇政府" on one line, "2020 年政府信息公开工作年度报告" on the next
        tail = _TITLE_TAIL.match(s.replace(" ", ""))
        nxt = next((x for x in head[i + 1:i + 4] if x), "")
        prev = next((x for x in reversed(head[max(0, i - 3):i]) if x), "")
        if tail and "报告" in (s + nxt) and prev and _SIGNATURE.match(prev.replace(" ", "")):
            return prev.replace(" ", ""), int(tail.group("year"))
    return None, None


def _signature(lines: Sequence[str]) -> tuple[str | None, str | None]:
    """The body name and date printed at the end of the report."""
    tail = [s.strip() for s in lines]
    last_section = max((i for i, s in enumerate(tail) if "其他需要报告的事项" in s), default=-1)
    start = last_section + 1 if last_section >= 0 else max(0, len(tail) - 15)
    name = date = None
    for i in range(len(tail) - 1, start - 1, -1):
        s = tail[i].replace(" ", "")
        if not s:
            continue
        if date is None:
            m = _DATE_CN.fullmatch(s) or _DATE_ISO.fullmatch(s)
            if m and _PAGE_DATE_LABEL.fullmatch(next((x for x in reversed(tail[:i]) if x), "").replace(" ", "")):
                continue  # the web page's 发布时间, printed after the report: not the signature's date
            if m:
                date = _iso(m)
                continue
        if date is not None and _SIGNATURE.match(s) and _BODY_SUFFIX.search(s):
            name = s
            break
        if date is not None and len(s) > 40:
            break
    if date is None:  # a signature line that carries its date: "……人民政府 2021年1月14日"
        for i in range(len(tail) - 1, start - 1, -1):
            m = _DATE_CN.search(tail[i])
            if m and len(tail[i]) - len(m.group()) < 30 and "。" not in tail[i]:
                date = _iso(m)
                rest = _DATE_CN.sub("", tail[i]).strip()
                if rest and _BODY_SUFFIX.search(rest):
                    name = rest
                break
    if date is None and tail:  # a web page glued on one line: "…无其他需要报告事项。 平潭综合实验区财政金融局 2020年1月2日 附件下载"
        for s in reversed(tail[max(last_section, 0):]):
            m = _GLUED_SIGNATURE.search(s[-120:])  # the signature ends the line
            if m and _BODY_SUFFIX.search(m.group("name")):
                date, name = _iso(m), m.group("name")
                break
    return name, date


def _page_date(lines: Sequence[str]) -> str | None:
    for s in lines[:40]:
        m = _PAGE_DATE.search(s)
        if m:
            rest = s[m.end():]
            d = _DATE_ISO.match(rest) or _DATE_CN.match(rest)
            if d:
                return _iso(d)
    return None


def _merge_names(title: str | None, signature: str | None) -> str | None:
    """The fuller of the two names when one contains the other's core."""
    if not title or not signature:
        return title or signature
    a, b = _core(title), _core(signature)
    if b and b in a:  # the title has the fuller place name; keep the signature's body suffix
        suffix = signature[len(b):]
        return a + suffix if not title.endswith(suffix) else title
    if a and a in b:
        return signature
    if b.endswith(a[-3:]) if len(a) >= 3 else False:
        return signature
    return title


def extract_meta(lines: Sequence[str]) -> Meta:
    """Metadata from the lines of a report (full-width digits are folded here)."""
    lines = [_arabic_dates(s.replace("**", "").replace("__", ""))  # markdown's bold: **2020**年
             for s in fold_text("\n".join(lines)).split("\n")] if lines else []
    org, year = _title(lines)
    sig_name, sig_date = _signature(lines)
    if year is None:
        for s in lines[:80]:
            m = _PERIOD.search(s.replace(" ", ""))
            if m:
                year = int(m.group("y"))
                break
    organization = _merge_names(org, sig_name)
    published = sig_date or _page_date(lines)
    return Meta(organization, year, published)


def extract_sections(labelled: Sequence[LabelledLine]) -> dict[str, str]:
    """The text of the six sections, keyed ``overview`` … ``other``.

    A section starts at the first line whose section-title token is the title
    of that section (in a heading line, or a whole report glued on one line)
    and runs to the next section start.
    """
    starts: list[tuple[int, int, str]] = []  # (line index, char start, key)
    seen: set[str] = set()
    for i, ll in enumerate(labelled):
        if ll.label.value not in ("heading", "row", "label"):
            continue
        for t in ll.tokens:
            if t.kind == "section" and t.key not in seen:
                seen.add(t.key or "")
                starts.append((i, t.start, t.key or ""))
    starts.sort()
    out: dict[str, str] = {}
    for n, (i, _, key) in enumerate(starts):
        if n + 1 < len(starts):
            j = starts[n + 1][0]
            same_line = j == i
        else:
            j, same_line = len(labelled), False
        if same_line:
            text = labelled[i].line.text[starts[n][1]:starts[n + 1][1]]
        else:
            first = labelled[i].line.text[starts[n][1]:]
            body = [ll.line.raw for ll in labelled[i + 1:j]]
            text = "\n".join([first] + body)
        out[key] = text.strip()
    return {k: out[k] for k in SECTION_KEYS if k in out}
