"""Web page → text: data tables as tab rows, layout tables as blocks, scripts and styles dropped.

Uses lxml (``pip install 'gixml[html]'``). The page's charset comes from a
byte-order mark, then its ``<meta charset>`` (GBK pages included), then
detection. A data table (cells of text) gives one line per row; a table used
for the page's layout (cells holding tables or paragraphs) is read as blocks.
"""
from __future__ import annotations

import re
from typing import Any

from ..errors import UnreadableFileError
from .common import cell_text, need, single_spaced
from .text import decode

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_BLOCKS = frozenset("""address article aside blockquote body br dd div dl dt fieldset figcaption figure footer form
h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul title caption""".split())
_DROP = frozenset(("script", "style", "noscript", "template", "iframe", "object", "svg"))


def decode_html(data: bytes, *, path: str | None = None) -> tuple[str, str]:
    """Decode a web page: a byte-order mark, then its declared charset, then detection."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            codec = "gb18030" if declared in ("gb2312", "gbk", "gb18030", "x-gbk") else declared
            try:
                return data.decode(codec), codec
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration: detect instead
    return decode(data, source=path)


def read_html(data: bytes, *, path: str | None = None) -> tuple[str, str]:
    """The text of a web page and the charset it was decoded with."""
    html = need("lxml.html", "html", "a web page", path)
    text, encoding = decode_html(data, path=path)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str that declares its encoding
    if not text.strip():
        return "", encoding
    try:
        root = html.document_fromstring(text)
    except Exception as exc:
        raise UnreadableFileError(f"is not a readable web page ({type(exc).__name__}: {exc})", path=path) from None
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = single_spaced("".join(current))
        if line:
            out.append(line)
        current.clear()

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _DROP or not tag:
            if el.tail:
                current.append(el.tail)
            return
        if tag == "table" and _is_data_table(el):
            flush()
            for tr in el.iter("tr"):
                cells = [cell_text(td.text_content()) for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
                if any(cells):
                    out.append("\t".join(cells))
        else:
            block = tag in _BLOCKS or tag in ("td", "th")
            if block:
                flush()
            if el.text:
                current.append(el.text)
            for child in el:
                walk(child)
            if block:
                flush()
        if el.tail:
            current.append(el.tail)

    walk(root)
    flush()
    return "\n".join(out) + "\n", encoding


def _is_data_table(table: Any) -> bool:
    """A table of data (cells of text), not a table used for the page's layout."""
    for cell in table.iter("td", "th"):
        if cell.find(".//table") is not None:
            return False
        if sum(1 for _ in cell.iter("p", "div", "br", "li")) > 3:
            return False
    return True
